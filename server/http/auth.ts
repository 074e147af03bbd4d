// Who is asking: `Authorization: Bearer <key>` resolves to a principal (through the keyring's cache); no header means
// the public. `authorize` turns a refusal into 401 (no key) or 403 (outside one's role or scope), both problem+json.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ANONYMOUS, may, type Action, type Principal, type Target } from '../domain/access/roles.ts';
import { Keyring } from '../workflow/keyring.ts';
import type { Database } from '../db/database.ts';
import { ProblemError } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** SHA-256 of the API key the request came with; null for the public */
    keySha256: string | null;
  }
  interface FastifyInstance {
    keyring: Keyring;
  }
}

export async function registerAuthentication(app: FastifyInstance, db: Database): Promise<void> {
  const keyring = new Keyring({ knex: db.knex, backend: db.backend, connectionString: db.connectionString, log: app.log });
  await keyring.start();
  app.addHook('onClose', () => keyring.stop());
  app.decorate('keyring', keyring);

  // Fastify forbids object defaults on decorators (they would be shared); every request starts anonymous instead.
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('keySha256', null);
  app.addHook('onRequest', async (request) => {
    request.principal = ANONYMOUS;
    request.keySha256 = null;
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ProblemError(401, 'unauthorized', 'Unauthorized', 'Authorization must be "Bearer <key>"', [{ pointer: 'Authorization', message: 'malformed' }], WWW_AUTHENTICATE);
    const holder = await keyring.resolve(match[1]);
    if (!holder) throw new ProblemError(401, 'unauthorized', 'Unauthorized', 'Unknown, revoked or expired API key', [{ pointer: 'Authorization', message: 'unknown key' }], WWW_AUTHENTICATE);
    request.principal = holder.principal;
    request.keySha256 = holder.keySha256;
    keyring.countUse(holder.keySha256);
  });
}

const WWW_AUTHENTICATE = { 'www-authenticate': 'Bearer' };

export function authorize(request: FastifyRequest, action: Action, target: Target = {}, openReads = false): void {
  if (may(request.principal, action, target, openReads)) return;
  if (request.principal.role === 'public') {
    throw new ProblemError(401, 'unauthorized', 'Unauthorized', `${action} needs an API key: Authorization: Bearer <key>`, [], WWW_AUTHENTICATE);
  }
  const where = target.divisionCode ? ` for ${target.divisionCode}` : '';
  throw new ProblemError(403, 'forbidden', 'Forbidden', `${request.principal.role} (${request.principal.scopePrefix || 'all'}) may not ${action}${where}`);
}

/** An onRequest hook for a plugin whose every route reads the registry, so a caller without a key hears 401 first. */
export const requireRegistryRead = (openReads: boolean) => async (request: FastifyRequest) => authorize(request, 'registry:read', {}, openReads);
