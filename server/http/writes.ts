// Writes need an API key. An anonymous write is answered 401 (with WWW-Authenticate) as soon as its headers are
// read: before its body is parsed or validated, so the caller first learns what matters and an upload is not read
// for nothing. Roles and scopes are still the routes' to check. POST routes that only read (a lookup batch,
// validation, a suggestion) declare `config: { readOnly: true }` and authorize in their handlers.
import type { FastifyInstance, preParsingAsyncHookHandler } from 'fastify';
import { ProblemError } from './problem.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** a POST that changes nothing: anonymous callers reach the handler, which decides */
    readOnly?: boolean;
  }
}

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const requireKey: preParsingAsyncHookHandler = async (request, _reply, payload) => {
  if (request.principal.role === 'public') {
    throw new ProblemError(401, 'unauthorized', 'Unauthorized', `${request.method} ${request.routeOptions.url} needs an API key: Authorization: Bearer <key>`, [
      { pointer: 'Authorization', message: 'missing' },
    ], { 'www-authenticate': 'Bearer' });
  }
  return payload;
};

/** Call before the routes are registered: it adds the check to every write route registered after it. */
export function requireKeyForWrites(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (methods.every((m) => READ_METHODS.has(m)) || route.config?.readOnly) return;
    route.preParsing = [...[route.preParsing ?? []].flat(), requireKey];
  });
}
