// Who is asking: `Authorization: Bearer <key>` resolves to a principal; no header means the public.
// `authorize` turns a refusal into 401 (no key) or 403 (outside one's role or scope), both problem+json.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Knex } from 'knex';
import { ANONYMOUS, may, type Action, type Principal, type Target } from '../domain/access/roles.ts';
import { findPrincipalByKey, hashKey, recordKeyUsage } from '../db/repositories/users.ts';
import { ProblemError } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal;
    /** SHA-256 of the API key the request came with; null for the public */
    keySha256: string | null;
  }
  interface FastifyInstance {
    /** Requests counted for a key since the last flush to the database. */
    pendingKeyUsage(keySha256: string): number;
  }
}

const USAGE_FLUSH_MS = 5_000;

export function registerAuthentication(app: FastifyInstance, knex: Knex): void {
  // Keys are looked up once a minute at most; usage counts are batched, so a lookup does not cost a write.
  const cache = new Map<string, { principal: Principal | null; until: number }>();
  const usage = new Map<string, number>();
  const flush = async () => {
    if (usage.size === 0) return;
    const batch = new Map(usage);
    usage.clear();
    await recordKeyUsage(knex, batch);
  };
  const timer = setInterval(() => void flush().catch((err) => app.log.warn({ err }, 'usage count flush failed')), USAGE_FLUSH_MS);
  timer.unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await flush();
  });

  // Fastify forbids object defaults on decorators (they would be shared); every request starts anonymous instead.
  app.decorateRequest('principal', null as unknown as Principal);
  app.decorateRequest('keySha256', null);
  app.decorate('pendingKeyUsage', (keySha256: string) => usage.get(keySha256) ?? 0);
  app.addHook('onRequest', async (request) => {
    request.principal = ANONYMOUS;
    request.keySha256 = null;
    const header = request.headers.authorization;
    if (!header) return;
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ProblemError(401, 'unauthorized', 'Unauthorized', 'Authorization must be "Bearer <key>"', [{ pointer: 'Authorization', message: 'malformed' }]);
    const hash = hashKey(match[1]);
    let entry = cache.get(hash);
    if (!entry || entry.until < Date.now()) {
      entry = { principal: await findPrincipalByKey(knex, match[1]), until: Date.now() + 60_000 };
      cache.set(hash, entry);
    }
    if (!entry.principal) throw new ProblemError(401, 'unauthorized', 'Unauthorized', 'Unknown or revoked API key', [{ pointer: 'Authorization', message: 'unknown key' }]);
    request.principal = entry.principal;
    request.keySha256 = hash;
    usage.set(hash, (usage.get(hash) ?? 0) + 1);
  });
}

export function authorize(request: FastifyRequest, action: Action, target: Target = {}, openReads = false): void {
  if (may(request.principal, action, target, openReads)) return;
  if (request.principal.role === 'public') {
    throw new ProblemError(401, 'unauthorized', 'Unauthorized', `${action} needs an API key: Authorization: Bearer <key>`, [], { 'www-authenticate': 'Bearer' });
  }
  const where = target.divisionCode ? ` for ${target.divisionCode}` : '';
  throw new ProblemError(403, 'forbidden', 'Forbidden', `${request.principal.role} (${request.principal.scopePrefix || 'all'}) may not ${action}${where}`);
}
