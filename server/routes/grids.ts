import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DivisionCode, Grid, GridCode, GridKind, GridSubkind } from '../schemas/resources.ts';
import { IsoDate, Links, Paging, ProblemResponses, pageLinks } from '../schemas/common.ts';
import { findDivision } from '../db/repositories/divisions.ts';
import { findGrid, listGrids } from '../db/repositories/grids.ts';
import { divisionPrefix } from '../domain/divisions/codes.ts';
import { notFound } from '../http/problem.ts';
import { parseBBox, parseDate } from '../http/params.ts';
import { authorize } from '../http/auth.ts';
import { may } from '../domain/access/roles.ts';
import type { RouteContext } from './context.ts';

const GridFeature = Type.Object({ type: Type.Literal('Feature'), id: Type.String(), properties: Grid, geometry: Type.Unknown() });
const GridCollection = Type.Object({
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(GridFeature),
  numberMatched: Type.Integer(),
  numberReturned: Type.Integer(),
  links: Links,
});

export const gridRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  const openReads = config.mode === 'demo';
  app.get(
    '/v1/grids',
    {
      schema: {
        tags: ['grids'],
        summary: 'Filed grids (网格) as GeoJSON, by division, kind, bbox and date',
        querystring: Type.Object(
          {
            division: Type.Optional(DivisionCode),
            kind: Type.Optional(GridKind),
            subkind: Type.Optional(GridSubkind),
            bbox: Type.Optional(Type.String({ description: 'minLon,minLat,maxLon,maxLat (WGS84)' })),
            at: Type.Optional(IsoDate),
            micro: Type.Optional(Type.Boolean({ description: 'include micro-grids (default true)' })),
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { 200: GridCollection, ...ProblemResponses },
      },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      const q = request.query;
      const bbox = q.bbox === undefined ? undefined : parseBBox(q.bbox);
      const at = q.at === undefined ? undefined : parseDate(q.at);
      let prefix: string | undefined;
      if (q.division) {
        const division = await findDivision(knex, q.division);
        if (!division) throw notFound('division', q.division);
        prefix = divisionPrefix(division.code, division.level);
      }
      const { features, total } = await listGrids(
        knex,
        { divisionPrefix: prefix, kind: q.kind, subkind: q.subkind, bbox, at, micro: q.micro, limit: q.limit, offset: q.offset },
        { includePhones: prefix !== undefined && may(request.principal, 'personal:read', { divisionCode: prefix.padEnd(12, '0') }) },
      );
      return {
        type: 'FeatureCollection' as const,
        features,
        numberMatched: total,
        numberReturned: features.length,
        links: pageLinks(request.url, q.limit, q.offset, total),
      };
    },
  );

  app.get(
    '/v1/grids/:code',
    {
      schema: {
        tags: ['grids'],
        summary: 'One grid by code (the version in force now or on `at`)',
        params: Type.Object({ code: GridCode }),
        querystring: Type.Object({ at: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: { 200: GridFeature, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      authorize(request, 'registry:read', {}, openReads);
      const at = request.query.at === undefined ? undefined : parseDate(request.query.at);
      const includePhones = may(request.principal, 'personal:read', { divisionCode: request.params.code.slice(0, 12) });
      const grid = await findGrid(knex, request.params.code, at, { includePhones });
      if (!grid) throw notFound('grid', request.params.code + (at ? ` on ${at}` : ''));
      // A formation's derived footprint changes the representation without a new version.
      const derived = grid.properties.footprintAt ? `-f${Date.parse(grid.properties.footprintAt)}` : '';
      reply.header('etag', `"${grid.properties.code}-v${grid.properties.version}${derived}"`);
      return grid;
    },
  );
};
