// An API client's view of its own key: who it acts as, how many requests it has made and its rate limit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES } from '../domain/access/roles.ts';
import { keyUsage } from '../db/repositories/users.ts';
import { ProblemError } from '../http/problem.ts';
import { ProblemResponses } from '../schemas/common.ts';
import { Problem } from '../schemas/resources.ts';
import type { RouteContext } from './context.ts';

const KeyView = Type.Object({
  name: Type.String(),
  role: Type.Enum(ROLES),
  scopePrefix: Type.String({ description: 'division code prefix the key acts within; empty for everywhere' }),
  issuedAt: Type.String(),
  usageCount: Type.Integer({ description: 'requests made with this key, refused ones included' }),
  rateLimitPerMinute: Type.Integer(),
});

export const keyRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  app.get(
    '/v1/keys/me',
    // Exempt from the rate limit: a client that hit it can still see why.
    { config: { rateLimit: false }, schema: { tags: ['service'], summary: "The caller's API key: role, scope, usage count and rate limit", response: { 200: KeyView, ...ProblemResponses, 401: Problem } } },
    async (request) => {
      const hash = request.keySha256;
      const stored = hash ? await keyUsage(knex, hash) : null;
      if (!hash || !stored) throw new ProblemError(401, 'unauthorized', 'Unauthorized', 'send your API key: Authorization: Bearer <key>', [], { 'www-authenticate': 'Bearer' });
      const { name, role, scopePrefix } = request.principal;
      return { name, role, scopePrefix, issuedAt: stored.createdAt, usageCount: stored.usageCount + app.pendingKeyUsage(hash), rateLimitPerMinute: config.rateLimit.perKey };
    },
  );
};
