import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ChainHead, ChainVerdict, Filing, PublishedHead } from '../schemas/plans.ts';
import { GridCode, Problem } from '../schemas/resources.ts';
import { Paging, ProblemResponses } from '../schemas/common.ts';
import { filingChainHead, listFilings, verifyFilingChain } from '../db/repositories/filings.ts';
import { gridHistory } from '../db/repositories/grids.ts';
import { authorize } from '../http/auth.ts';
import { invalidParameter, notFound } from '../http/problem.ts';
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
    '/v1/filings/head',
    {
      schema: {
        tags: ['filings'],
        summary: 'The head of the filing chain: the newest filing, its chain position and SHA-256 (printed on receipts and public notices)',
        response: { 200: ChainHead, 404: Problem, 401: Problem },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const head = await filingChainHead(knex);
      if (!head) throw notFound('filing chain head', '(no filing yet)');
      return head;
    },
  );

  app.get(
    '/v1/filings/verify',
    {
      schema: {
        tags: ['filings'],
        summary: 'Verify the filing chain against what the registry serves; name the first divergence',
        description:
          "Recomputes each filing's SHA-256 from its row (number, township, scope, filedAt, approvedBy, filedBy, trigger) and the grid " +
          'versions in force right after it (code, version, name, kind, subkind, division, parent, households, population, geometry, ' +
          'validity dates), checks the stored chain links, and with `sha256` (and `number`) of a head published earlier checks the ' +
          'chain still contains it. Grid staff and managing units are not covered.',
        querystring: PublishedHead,
        response: { 200: ChainVerdict, 400: Problem, 401: Problem },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const { sha256, number } = request.query;
      if (number !== undefined && sha256 === undefined) throw invalidParameter('sha256', 'a published head is checked by its sha256; give it with number');
      return verifyFilingChain(knex, sha256 === undefined ? undefined : { sha256, ...(number === undefined ? {} : { number }) });
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
