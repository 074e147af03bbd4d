import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Filing } from '../schemas/plans.ts';
import { GridCode, Problem } from '../schemas/resources.ts';
import { Paging, ProblemResponses } from '../schemas/common.ts';
import { listFilings, verifyFilingChain } from '../db/repositories/filings.ts';
import { gridHistory } from '../db/repositories/grids.ts';
import { authorize } from '../http/auth.ts';
import { notFound } from '../http/problem.ts';
import type { RouteContext } from './context.ts';

export const filingRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  const openReads = config.mode === 'demo';

  app.get(
    '/v1/filings',
    {
      schema: {
        tags: ['filings'],
        summary: 'Filing records (备案), oldest first',
        querystring: Type.Object({ township: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })), ...Paging }),
        response: { 200: Type.Object({ filings: Type.Array(Filing) }), ...ProblemResponses, 401: Problem },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const { township, limit, offset } = request.query;
      return { filings: await listFilings(knex, { townshipPrefix: township?.slice(0, 9), limit, offset }) };
    },
  );

  app.get(
    '/v1/filings/verify',
    {
      schema: {
        tags: ['filings'],
        summary: 'Verify the hash chain of all filing records',
        response: {
          200: Type.Object({ ok: Type.Boolean(), checked: Type.Integer(), brokenAt: Type.Optional(Type.String()), reason: Type.Optional(Type.String()) }),
          401: Problem,
        },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      return verifyFilingChain(knex);
    },
  );

  app.get(
    '/v1/grids/:code/history',
    {
      schema: {
        tags: ['grids'],
        summary: 'Every version of a grid and its lineage (splits, merges, reshapes)',
        params: Type.Object({ code: GridCode }),
        response: {
          200: Type.Object({
            code: Type.String(),
            status: Type.String(),
            versions: Type.Array(
              Type.Object({ version: Type.Integer(), name: Type.String(), households: Type.Integer(), validFrom: Type.String(), validTo: Type.Union([Type.String(), Type.Null()]), filingNumber: Type.Union([Type.String(), Type.Null()]), areaM2: Type.Number() }),
            ),
            lineage: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), relation: Type.String(), filingNumber: Type.Union([Type.String(), Type.Null()]), onDate: Type.String() })),
          }),
          ...ProblemResponses,
          401: Problem,
        },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const history = await gridHistory(knex, request.params.code);
      if (!history) throw notFound('grid', request.params.code);
      return history;
    },
  );
};
