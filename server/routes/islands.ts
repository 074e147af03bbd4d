import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Island } from '../schemas/resources.ts';
import { IsoDate, ProblemResponses } from '../schemas/common.ts';
import { listIslands } from '../db/repositories/islands.ts';
import { landGridGeometries } from '../db/repositories/grids.ts';
import { islandCoverage } from '../domain/rules/index.ts';
import { loadRuleSet } from '../rulesets/index.ts';
import { authorize } from '../http/auth.ts';
import { parseDate } from '../http/params.ts';
import type { RouteContext } from './context.ts';

const IslandCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({ type: Type.Literal('Feature'), id: Type.Integer(), properties: Island, geometry: Type.Unknown() })),
});

const Coverage = Type.Object({
  ruleSet: Type.String(),
  inhabitedResidents: Type.Integer(),
  summary: Type.Object({ islands: Type.Integer(), inhabited: Type.Integer(), inhabitedUncovered: Type.Integer() }),
  islands: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.Union([Type.String(), Type.Null()]),
      residents: Type.Integer(),
      inhabited: Type.Boolean(),
      covered: Type.Boolean(),
      coveringCodes: Type.Array(Type.String()),
      coveredShare: Type.Number(),
    }),
  ),
});

export const islandRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  const openReads = config.mode === 'demo';

  app.get(
    '/v1/islands',
    {
      schema: {
        tags: ['islands'],
        summary: 'Islands (海岛) with residents',
        querystring: Type.Object({ ruleSet: Type.Optional(Type.String()) }),
        response: { 200: IslandCollection, ...ProblemResponses },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const ruleSet = loadRuleSet(request.query.ruleSet ?? config.ruleSet);
      return { type: 'FeatureCollection' as const, features: await listIslands(knex, ruleSet.islands.inhabitedResidents) };
    },
  );

  app.get(
    '/v1/islands/coverage',
    {
      schema: {
        tags: ['islands'],
        summary: 'Island coverage: every island, whether and by which grids it is covered; inhabited uncovered islands first',
        querystring: Type.Object({ ruleSet: Type.Optional(Type.String()), at: Type.Optional(IsoDate) }),
        response: { 200: Coverage, ...ProblemResponses },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const ruleSet = loadRuleSet(request.query.ruleSet ?? config.ruleSet);
      const at = request.query.at === undefined ? undefined : parseDate(request.query.at);
      const threshold = ruleSet.islands.inhabitedResidents;
      const islands = await listIslands(knex, threshold);
      const coverage = islandCoverage(
        islands.map((f) => ({ id: f.properties.id, name: f.properties.name, residents: f.properties.residents, geometry: f.geometry })),
        await landGridGeometries(knex, at),
        threshold,
      );
      return {
        ruleSet: ruleSet.name,
        inhabitedResidents: threshold,
        summary: {
          islands: coverage.length,
          inhabited: coverage.filter((c) => c.inhabited).length,
          inhabitedUncovered: coverage.filter((c) => c.inhabited && !c.covered).length,
        },
        islands: coverage.map((c) => ({ ...c, coveringCodes: c.coveringCodes.map(String) })),
      };
    },
  );
};
