import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Division, DivisionCode, DivisionLevel, Problem } from '../schemas/resources.ts';
import { ProblemResponses } from '../schemas/common.ts';
import { findDivisionWithGeometry, listDivisions } from '../db/repositories/divisions.ts';
import { notFound } from '../http/problem.ts';
import { authorize } from '../http/auth.ts';
import type { RouteContext } from './context.ts';

const DivisionFeature = Type.Object({
  type: Type.Literal('Feature'),
  id: Type.String(),
  properties: Division,
  geometry: Type.Union([Type.Unknown(), Type.Null()]),
});

export const divisionRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  const openReads = config.mode === 'demo';
  app.get(
    '/v1/divisions',
    {
      schema: {
        tags: ['divisions'],
        summary: 'Division tree (行政区划), filtered by parent and level',
        querystring: Type.Object({ parent: Type.Optional(DivisionCode), level: Type.Optional(DivisionLevel) }, { additionalProperties: false }),
        response: { 200: Type.Object({ divisions: Type.Array(Division) }), ...ProblemResponses, 401: Problem },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      return { divisions: await listDivisions(knex, request.query) };
    },
  );

  app.get(
    '/v1/divisions/:code',
    {
      schema: {
        tags: ['divisions'],
        summary: 'One division with its boundary',
        params: Type.Object({ code: DivisionCode }),
        response: { 200: DivisionFeature, ...ProblemResponses, 401: Problem },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const found = await findDivisionWithGeometry(knex, request.params.code);
      if (!found) throw notFound('division', request.params.code);
      return { type: 'Feature' as const, id: found.division.code, properties: found.division, geometry: found.geometry };
    },
  );
};
