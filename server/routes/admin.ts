// Administration (/v1/admin): users with a role and a scope, and their API keys. City administrators act within their
// city and grant roles up to their own (server/domain/access/roles.ts); `npm run admin` does the same at the console.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { authorize } from '../http/auth.ts';
import { Problem } from '../schemas/resources.ts';
import { ApiKeyView, AuditEntry, IssuedApiKey, KeyRotation, NewKey, NewUser, RecordId, UserRole, UserView } from '../schemas/admin.ts';
import {
  auditOfUser,
  createUser,
  disableUser,
  issueKey,
  listKeys,
  listUsers,
  revokeKey,
  rotateKey,
  scopeOf,
} from '../workflow/administration.ts';
import type { RouteContext } from './context.ts';

const Refusals = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const ById = Type.Object({ id: RecordId });

export const adminRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex }) => {
  // Only administrators get past this, before any body is read: 401 without a key, 403 for other roles.
  app.addHook('onRequest', async (request) => authorize(request, 'user:admin'));

  app.post(
    '/v1/admin/users',
    { schema: { tags: ['admin'], summary: 'Creates a user inside your scope with a role up to your own', body: NewUser, response: { 201: UserView, ...Refusals } } },
    async (request, reply) => {
      const { name, role, divisionCode } = request.body;
      return reply.code(201).send(await createUser(knex, request.principal, { name, role, scopePrefix: scopeOf(divisionCode) }));
    },
  );

  app.get(
    '/v1/admin/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Users acting inside your scope',
        querystring: Type.Object({ role: Type.Optional(UserRole) }, { additionalProperties: false }),
        response: { 200: Type.Object({ users: Type.Array(UserView) }), ...Refusals },
      },
    },
    async (request) => ({ users: await listUsers(knex, request.principal, request.query.role) }),
  );

  app.post(
    '/v1/admin/users/:id/disable',
    { schema: { tags: ['admin'], summary: 'Disables a user: every key of theirs is refused from now on, on every replica', params: ById, response: { 200: UserView, ...Refusals } } },
    async (request) => disableUser(knex, request.principal, request.params.id),
  );

  app.get(
    '/v1/admin/users/:id/audit',
    {
      schema: {
        tags: ['admin'],
        summary: "The audit log of a user and the user's keys",
        params: ById,
        response: { 200: Type.Object({ entries: Type.Array(AuditEntry) }), ...Refusals },
      },
    },
    async (request) => ({ entries: await auditOfUser(knex, request.principal, request.params.id) }),
  );

  app.post(
    '/v1/admin/keys',
    { schema: { tags: ['admin'], summary: 'Issues a key to a user; the key is in this answer only', body: NewKey, response: { 201: IssuedApiKey, ...Refusals } } },
    async (request, reply) => reply.code(201).send(await issueKey(knex, request.principal, request.body)),
  );

  app.get(
    '/v1/admin/keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'Keys of users inside your scope (never the keys themselves): label, expiry, last use, revocation',
        querystring: Type.Object({ userId: Type.Optional(RecordId) }, { additionalProperties: false }),
        response: { 200: Type.Object({ keys: Type.Array(ApiKeyView) }), ...Refusals },
      },
    },
    async (request) => {
      // This replica's counted requests first, so usage and last use are current as far as it knows.
      await app.keyring.flush();
      return { keys: await listKeys(knex, request.principal, request.query.userId) };
    },
  );

  app.post(
    '/v1/admin/keys/:id/rotate',
    {
      schema: {
        tags: ['admin'],
        summary: 'Replaces a key: a new key for the same user and label, the old one revoked at once',
        params: ById,
        body: Type.Optional(KeyRotation),
        response: { 201: IssuedApiKey, ...Refusals },
      },
    },
    async (request, reply) => reply.code(201).send(await rotateKey(knex, request.principal, request.params.id, request.body ?? {})),
  );

  app.post(
    '/v1/admin/keys/:id/revoke',
    { schema: { tags: ['admin'], summary: 'Revokes a key: refused from now on, on every replica', params: ById, response: { 200: ApiKeyView, ...Refusals } } },
    async (request) => revokeKey(knex, request.principal, request.params.id),
  );
};
