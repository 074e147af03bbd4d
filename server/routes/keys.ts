// An API client's view of its own key: who it acts as, how many requests it has made and its rate limit.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ROLES } from '../domain/access/roles.ts';
import { keyUsage } from '../db/repositories/users.ts';
import { revokeOwnKey } from '../workflow/administration.ts';
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

const noKey = () => new ProblemError(401, 'unauthorized', 'Unauthorized', 'send your API key: Authorization: Bearer <key>', [], { 'www-authenticate': 'Bearer' });

export const keyRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  app.get(
    '/v1/keys/me',
    // Exempt from the rate limit: a client that hit it can still see why.
    { config: { rateLimit: false }, schema: { tags: ['service'], summary: "The caller's API key: role, scope, usage count and rate limit", response: { 200: KeyView, ...ProblemResponses, 401: Problem } } },
    async (request) => {
      const hash = request.keySha256;
      const stored = hash ? await keyUsage(knex, hash) : null;
      if (!hash || !stored) throw noKey();
      const { name, role, scopePrefix } = request.principal;
      return { name, role, scopePrefix, issuedAt: stored.createdAt, usageCount: stored.usageCount + app.keyring.pendingUsage(hash), rateLimitPerMinute: config.rateLimit.perKey };
    },
  );

  app.delete(
    '/v1/keys/me',
    {
      schema: {
        tags: ['service'],
        summary: "Revokes the caller's API key (one that leaked): refused from then on by every replica",
        response: { 204: Type.Null({ description: 'Revoked' }), 401: Problem },
      },
    },
    async (request, reply) => {
      if (!request.keySha256 || !(await revokeOwnKey(knex, request.principal, request.keySha256))) throw noKey();
      return reply.code(204).send(null);
    },
  );
};
