// Position ingest: JSON arrays, CSV (text/csv) or raw AIS sentences (text/plain). Idempotent, out-of-order tolerant;
// rows on land are stored and flagged; faulty rows are rejected one by one; the footprints of formations whose members
// moved are derived again (server/workflow/positions.ts). Reports older than POSITION_RETENTION_DAYS are pruned at
// most once an hour.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IngestReport } from '../schemas/maritime.ts';
import { Problem } from '../schemas/resources.ts';
import { landGeometries, positionWriterFor, pruneVesselPositions } from '../db/repositories/vessels.ts';
import { parsePositionCsv, parsePositionJson, parsePositionNmea, type ParsedBatch } from '../domain/maritime/positions.ts';
import { ingestPositions } from '../workflow/positions.ts';
import { LandMask } from '../domain/maritime/land.ts';
import { authorize } from '../http/auth.ts';
import { ProblemError, badRequest } from '../http/problem.ts';
import type { RouteContext } from './context.ts';

const PRUNE_EVERY_MS = 3600_000;

export const positionRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, backend, config }) => {
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
  let land: Promise<LandMask> | null = null;
  let prunedAt = 0;

  app.post(
    '/v1/positions',
    {
      schema: {
        tags: ['vessels'],
        summary: 'Ingest position reports: JSON array, CSV (mmsi,time,lon,lat,sog,cog) or NMEA AIVDM/AIVDO lines',
        response: { 200: IngestReport, 400: Problem, 401: Problem, 403: Problem, 415: Problem },
      },
    },
    async (request) => {
      authorize(request, 'position:write');
      const now = new Date();
      const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
      let batch: ParsedBatch;
      if (type === 'application/json') {
        if (!Array.isArray(request.body)) throw badRequest('a JSON body must be an array of reports', [{ pointer: '/', message: 'not an array' }]);
        batch = parsePositionJson(request.body, now);
      } else if (type === 'text/csv') batch = parsePositionCsv(String(request.body), now);
      else if (type === 'text/plain') batch = parsePositionNmea(String(request.body), now);
      else throw new ProblemError(415, 'unsupported-media-type', 'Unsupported media type', 'send application/json, text/csv or text/plain (NMEA)');

      land ??= landGeometries(knex).then((geometries) => new LandMask(geometries));
      const report = await ingestPositions(knex, batch, now, { writer: positionWriterFor(backend), land: await land, footprint: config.formationFootprint });
      if (Date.now() - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = Date.now();
        await pruneVesselPositions(knex, config.positionRetentionDays);
      }
      return report;
    },
  );
};
