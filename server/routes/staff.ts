// Grid staff rosters (网格力量): read at a date or with their history, replace under If-Match, import from CSV.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { GridCode, Problem } from '../schemas/resources.ts';
import { IsoDate, TextBody } from '../schemas/common.ts';
import { ReplaceRoster, StaffHistory, StaffImportReport, StaffRoster } from '../schemas/staff.ts';
import { importRosters, readRoster, readRosterHistory, replaceGridRoster } from '../workflow/staff.ts';
import { authorize } from '../http/auth.ts';
import { parseDate } from '../http/params.ts';
import { badRequest } from '../http/problem.ts';
import type { RouteContext } from './context.ts';

const Params = Type.Object({ code: GridCode });
const Errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 412: Problem, 422: Problem, 428: Problem };
const tags = ['staff'];

export const staffRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  const openReads = config.mode === 'demo';
  // A roster file is read whole: it is all or nothing anyway, and a city's roster is a few hundred kilobytes.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: 10 * 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.get(
    '/v1/grids/:code/staff',
    {
      schema: {
        tags,
        summary: 'The staff roster of a filed grid in force today or on `at`; phones only for roles entitled to them',
        params: Params,
        querystring: Type.Object({ at: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: { 200: StaffRoster, ...Errors },
      },
    },
    async (request, reply) => {
      authorize(request, 'registry:read', {}, openReads);
      const at = request.query.at === undefined ? undefined : parseDate(request.query.at);
      const { roster, etag } = await readRoster(knex, request.principal, request.params.code, at);
      reply.header('etag', etag);
      return roster;
    },
  );

  app.get(
    '/v1/grids/:code/staff/history',
    {
      schema: { tags, summary: 'Every staff assignment of a grid ever recorded, with its dates', params: Params, response: { 200: StaffHistory, ...Errors } },
    },
    async (request) => {
      authorize(request, 'registry:read', {}, openReads);
      return readRosterHistory(knex, request.principal, request.params.code);
    },
  );

  app.put(
    '/v1/grids/:code/staff',
    {
      schema: {
        tags,
        summary: 'Replace the staff roster of a filed grid from `validFrom` on (no refiling, no new grid version); If-Match the ETag of the last read',
        params: Params,
        headers: Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'ETag from GET /v1/grids/{code}/staff' })) }),
        body: ReplaceRoster,
        response: { 200: StaffRoster, ...Errors },
      },
    },
    async (request, reply) => {
      authorize(request, 'registry:read'); // who may change which grid's staff is the workflow's to say
      const { roster, etag } = await replaceGridRoster(knex, request.principal, request.params.code, request.headers['if-match'], request.body);
      reply.header('etag', etag);
      return roster;
    },
  );

  app.post(
    '/v1/staff/import',
    {
      schema: {
        tags,
        summary: 'Import staff rosters from CSV (code,role,name,phone,from,to; roles in Chinese or English): all or nothing, faults per row and column',
        consumes: ['text/csv'],
        body: TextBody,
        response: { 200: StaffImportReport, ...Errors },
      },
    },
    async (request) => {
      authorize(request, 'registry:read'); // rights are checked per grid of the file
      if (typeof request.body !== 'string') throw badRequest('send the roster as text/csv', [{ pointer: 'Content-Type', message: 'expected text/csv' }]);
      return importRosters(knex, request.principal, request.body);
    },
  );
};
