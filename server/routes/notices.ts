// Public notices (公示, 舟山条例 Art. 22): open to everyone, with staff phones, since the regulation requires contacts.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { DivisionCode, GridCode, type Division } from '../schemas/resources.ts';
import type { AreaGeometry } from '../schemas/geojson.ts';
import { IsoDate, ProblemResponses, TextBody, mediaTypeResponse } from '../schemas/common.ts';
import { divisionChain, findDivisionWithGeometry } from '../db/repositories/divisions.ts';
import { findGrid, listGrids, type GridFeature } from '../db/repositories/grids.ts';
import { filingChainHead } from '../db/repositories/filings.ts';
import { divisionPrefix } from '../domain/divisions/codes.ts';
import { assembleGridNotice, DivisionNotice, GridNotice, noticeDivision } from '../domain/notice/content.ts';
import { gridMapExtent, renderGridMap, renderOverviewMap } from '../domain/notice/map.ts';
import { renderDivisionNoticeDocument, renderGridNoticePage } from '../domain/notice/html.ts';
import { invalidParameter, notFound } from '../http/problem.ts';
import { parseDate } from '../http/params.ts';
import type { RouteContext } from './context.ts';

const NoticeQuery = Type.Object(
  {
    at: Type.Optional(IsoDate),
    f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('html')], { description: 'html: printable A4 document' })),
  },
  { additionalProperties: false },
);

const ALL = { limit: 10_000, offset: 0 };

const sendHtml = (reply: FastifyReply, html: string) => reply.type('text/html; charset=utf-8').send(html);

/** Division chains and outlines by division code, each read once per request. */
function divisionCache(knex: Knex) {
  const chains = new Map<string, Promise<Division[]>>();
  const outlines = new Map<string, Promise<AreaGeometry | null>>();
  return {
    chain(code: string) {
      if (!chains.has(code)) chains.set(code, divisionChain(knex, code));
      return chains.get(code)!;
    },
    outline(code: string) {
      if (!outlines.has(code)) outlines.set(code, findDivisionWithGeometry(knex, code).then((d) => d?.geometry ?? null));
      return outlines.get(code)!;
    },
  };
}

const shape = (grid: GridFeature) => ({ geometry: grid.geometry });

export const noticeRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  app.get(
    '/v1/grids/:code/notice',
    {
      schema: {
        tags: ['notices'],
        summary: 'Public notice (公示) of one filed grid: area map, staff with contacts, supervision hotline; `f=html` prints on A4',
        params: Type.Object({ code: GridCode }),
        querystring: NoticeQuery,
        response: { 200: mediaTypeResponse('The notice; with f=html a printable A4 page', { 'application/json': GridNotice, 'text/html': TextBody }), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const at = request.query.at === undefined ? undefined : parseDate(request.query.at);
      const grid = await findGrid(knex, request.params.code, at, { includePhones: true });
      if (!grid) throw notFound('grid', request.params.code + (at ? ` on ${at}` : ''));
      const divisions = divisionCache(knex);
      const notice = assembleGridNotice(grid, await divisions.chain(grid.properties.divisionCode), config.noticeHotline, await filingChainHead(knex));
      if (request.query.f !== 'html') return notice;
      const nearby = await listGrids(knex, { bbox: gridMapExtent(grid.geometry), at, micro: false, ...ALL }, { includePhones: false });
      const neighbours = nearby.features.filter((g) => g.id !== grid.id).map(shape);
      const map = renderGridMap({ geometry: grid.geometry, label: notice.name }, neighbours, await divisions.outline(grid.properties.divisionCode));
      return sendHtml(reply, renderGridNoticePage(notice, map));
    },
  );

  app.get(
    '/v1/divisions/:code/notice',
    {
      schema: {
        tags: ['notices'],
        summary: 'Public notices of every filed grid of a township or village; `f=html` is one printable document',
        params: Type.Object({ code: DivisionCode }),
        querystring: NoticeQuery,
        response: { 200: mediaTypeResponse('The notices; with f=html one printable document', { 'application/json': DivisionNotice, 'text/html': TextBody }), ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const at = request.query.at === undefined ? undefined : parseDate(request.query.at);
      const found = await findDivisionWithGeometry(knex, request.params.code);
      if (!found) throw notFound('division', request.params.code);
      const { division, geometry } = found;
      if (division.level !== 'township' && division.level !== 'village') {
        throw invalidParameter('code', `${division.name} is a ${division.level}; notices are published per township or village`);
      }
      const divisions = divisionCache(knex);
      const { features } = await listGrids(knex, { divisionPrefix: divisionPrefix(division.code, division.level), at, micro: false, ...ALL }, { includePhones: true });
      const chainHead = await filingChainHead(knex);
      const notices: GridNotice[] = [];
      for (const grid of features) notices.push(assembleGridNotice(grid, await divisions.chain(grid.properties.divisionCode), config.noticeHotline, chainHead));
      const body: DivisionNotice = { division: noticeDivision(await divisions.chain(division.code)), at: at ?? null, hotline: config.noticeHotline, chainHead, notices };
      if (request.query.f !== 'html') return body;
      const maps = new Map<string, string>();
      for (const grid of features) {
        const neighbours = features.filter((g) => g.id !== grid.id).map(shape);
        maps.set(grid.id, renderGridMap({ geometry: grid.geometry, label: grid.properties.name }, neighbours, await divisions.outline(grid.properties.divisionCode)));
      }
      return sendHtml(reply, renderDivisionNoticeDocument(body, renderOverviewMap(notices, geometry), maps));
    },
  );
};
