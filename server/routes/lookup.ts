import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { FeatureCollection } from 'geojson';
import { Type } from 'typebox';
import { DivisionLevel, GridKind, GridSubkind, Problem } from '../schemas/resources.ts';
import { IsoDate, ProblemResponses, TextBody, mediaTypeResponse } from '../schemas/common.ts';
import { INPUT_CRS, isInputCrs, toWgs84, toWgs84InPlace, type InputCrs } from '../domain/crs/index.ts';
import type { LookupGrid } from '../domain/lookup/index.ts';
import { findVesselForLookup } from '../db/repositories/lookup.ts';
import { authorize } from '../http/auth.ts';
import { parseDate } from '../http/params.ts';
import { ProblemError, badRequest, invalidParameter } from '../http/problem.ts';
import {
  BATCH_LIMIT,
  BatchTooLarge,
  CsvHeaderMissing,
  JsonPairs,
  coordinateFault,
  readCsvPoints,
  readFeaturePoints,
  readJsonPairs,
  readJsonPoints,
  type CsvBatch,
  type PointBatch,
} from '../lookup/batch-input.ts';
import { jsonBatchAnswer } from '../lookup/batch-output.ts';
import type { BatchAnswer, LookupService } from '../lookup/lookup-service.ts';
import type { RouteContext } from './context.ts';
import { GEOJSON_MEDIA_TYPE } from '../http/geojson-media.ts';

export interface LookupRouteContext extends RouteContext {
  lookup: LookupService;
}

const GridRef = Type.Object({ code: Type.String(), name: Type.String(), kind: GridKind, subkind: Type.Union([GridSubkind, Type.Null()]) });
const DivisionRef = Type.Object({ code: Type.String(), name: Type.String(), level: DivisionLevel });
const PointAnswer = Type.Object({
  point: Type.Object({ lon: Type.Number(), lat: Type.Number() }, { description: 'the WGS84 point looked up (after crs conversion)' }),
  at: Type.Optional(IsoDate),
  grid: Type.Union([GridRef, Type.Null()]),
  microGrid: Type.Union([GridRef, Type.Null()]),
  divisions: Type.Array(DivisionRef, { description: 'village → township → county → city of the grid' }),
  seaGrids: Type.Array(GridRef),
  none: Type.Optional(Type.Object({ nearest: Type.Union([Type.Object({ code: Type.String(), distanceM: Type.Number() }), Type.Null()]) })),
  swapped: Type.Optional(Type.Boolean({ description: 'lon,lat given would fall in the service area if swapped' })),
});
const VesselGrid = Type.Object({
  vessel: Type.Object({
    mmsi: Type.Union([Type.String(), Type.Null()]),
    registeredName: Type.String(),
    type: Type.Union([Type.String(), Type.Null()]),
    lengthM: Type.Union([Type.Number(), Type.Null()]),
    homePort: Type.Union([Type.String(), Type.Null()]),
  }),
  position: Type.Union([
    Type.Object({ time: Type.String(), lon: Type.Number(), lat: Type.Number(), sog: Type.Union([Type.Number(), Type.Null()]), cog: Type.Union([Type.Number(), Type.Null()]) }),
    Type.Null(),
  ]),
  formationGrid: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
  seaGrids: Type.Array(GridRef),
  note: Type.Optional(Type.String()),
});
// A batch answer is written as bytes (batch-output.ts), never serialised: these schemas document it.
const PointFault = Type.Object({ pointer: Type.String(), message: Type.String() });
const PointCodes = {
  gridCode: Type.Union([Type.String(), Type.Null()]),
  microGridCode: Type.Union([Type.String(), Type.Null()]),
  villageCode: Type.Union([Type.String(), Type.Null()]),
  seaGridCodes: Type.Array(Type.String()),
};
const BatchResults = Type.Object({
  count: Type.Integer(),
  results: Type.Array(
    Type.Object({ id: Type.Optional(Type.Unknown({ description: 'the id the point was sent with' })), ...PointCodes, error: Type.Optional(Type.String()) }),
    { description: 'one per point, in input order' },
  ),
  errors: Type.Array(PointFault, { description: 'points that could not be looked up, by index (`/3`)' }),
});
const AnsweredFeatures = Type.Object(
  {
    type: Type.Literal('FeatureCollection'),
    features: Type.Array(
      Type.Object(
        { type: Type.Literal('Feature'), geometry: Type.Unknown(), properties: Type.Object({ ...PointCodes, lookupError: Type.Optional(Type.String()) }, { additionalProperties: true }) },
        { additionalProperties: true },
      ),
    ),
    errors: Type.Array(PointFault, { description: 'features that could not be looked up (`/features/3/geometry`)' }),
  },
  { additionalProperties: true, description: 'the collection sent, each feature\'s properties extended' },
);
const BatchAnswerResponse = mediaTypeResponse('The answer in the form the points came in', {
  'application/json': BatchResults,
  'application/geo+json': AnsweredFeatures,
  'text/csv': TextBody,
});

const Crs = Type.Optional(Type.String({ description: `input coordinate system: ${INPUT_CRS.join(', ')} (default wgs84)` }));
const BatchQuery = Type.Object({ at: Type.Optional(IsoDate), crs: Crs }, { additionalProperties: false });

const gridRef = (g: LookupGrid) => ({ code: g.code, name: g.name, kind: g.kind, subkind: g.subkind });

function coordinate(raw: string | undefined, name: 'lon' | 'lat'): number {
  if (raw === undefined || raw.trim() === '') throw invalidParameter(name, 'is required');
  const value = Number(raw);
  if (!Number.isFinite(value)) throw invalidParameter(name, `"${raw}" is not a number`);
  return value;
}

function crsOf(raw: string | undefined): InputCrs {
  if (raw === undefined) return 'wgs84';
  if (!isInputCrs(raw)) throw invalidParameter('crs', `"${raw}" is not one of ${INPUT_CRS.join(', ')}`);
  return raw;
}

const swappedProblem = (lon: number, lat: number) =>
  new ProblemError(400, 'invalid-parameter', 'Invalid parameter', `lon, lat: (${lon}, ${lat}) looks swapped; send lon first`, [
    { pointer: 'lon', message: 'looks swapped with lat' },
    { pointer: 'lat', message: 'looks swapped with lon' },
  ]);

/** The JSON batch answer goes out as the stream batch-output.ts writes; the route's schema only documents it. */
const sendStream = (reply: FastifyReply, answer: Readable) => reply.type('application/json; charset=utf-8').send(answer);

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export const lookupRoutes: FastifyPluginAsyncTypebox<LookupRouteContext> = async (app, { knex, config, lookup }) => {
  const openReads = config.mode === 'demo';
  // Single lookups come by the thousand per second from other systems: at info level their access lines
  // ("incoming request", "request completed") cost about a third of a lookup's CPU and flood the log, so they log
  // warnings and errors only; debug and trace keep everything. Usage per API key is counted either way (auth.ts).
  const singleLookupLogLevel = config.logLevel === 'info' ? 'warn' : config.logLevel;

  const tooLarge = (error: BatchTooLarge) => new ProblemError(413, 'payload-too-large', 'Payload too large', error.message);
  app.addContentTypeParser('text/csv', async (_request: unknown, payload: NodeJS.ReadableStream) => {
    try {
      return await readCsvPoints(payload as Readable);
    } catch (error) {
      if (error instanceof BatchTooLarge) throw tooLarge(error);
      if (error instanceof CsvHeaderMissing) throw badRequest(error.message, [{ pointer: 'row 0', message: error.message }]);
      throw error;
    }
  });
  // A body of plain [lon, lat] pairs is read from its bytes (no array per point); any other JSON goes to Fastify's
  // own parser, with the app's prototype-poisoning settings.
  const parseJson = app.getDefaultJsonParser(app.initialConfig.onProtoPoisoning ?? 'error', app.initialConfig.onConstructorPoisoning ?? 'error');
  app.addContentTypeParser(['application/json', GEOJSON_MEDIA_TYPE], { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    let pairs: JsonPairs | null;
    try {
      pairs = readJsonPairs(body);
    } catch (error) {
      done(error instanceof BatchTooLarge ? tooLarge(error) : (error as Error), undefined);
      return;
    }
    if (pairs) done(null, pairs);
    else parseJson(request, body.toString('utf8'), done);
  });

  const villageOf = (grid: LookupGrid | undefined) => {
    if (!grid) return null;
    const own = lookup.divisionChain(grid.divisionCode)[0];
    return own?.level === 'village' ? own.code : null;
  };

  /** Validates what was read, flags swaps, converts to WGS84 and looks up; faulted points answer nothing. */
  async function answer(batch: PointBatch, crs: InputCrs, at: string | undefined): Promise<BatchAnswer> {
    const { coords, faults } = batch;
    for (const i of faults.keys()) {
      if (lookup.looksSwapped(coords[i * 2], coords[i * 2 + 1])) faults.set(i, `lon, lat (${coords[i * 2]}, ${coords[i * 2 + 1]}) look swapped; send lon first`);
      coords[i * 2] = Number.NaN;
      coords[i * 2 + 1] = Number.NaN;
    }
    return lookup.lookup(toWgs84InPlace(coords, crs), at);
  }

  const seaCodes = (result: BatchAnswer, i: number): string[] => {
    const codes: string[] = [];
    for (let k = result.seaStart[i]; k < result.seaStart[i + 1]; k++) codes.push(result.grids[result.sea[k]].code);
    return codes;
  };

  app.get(
    '/v1/lookup',
    {
      logLevel: singleLookupLogLevel,
      schema: {
        tags: ['lookup'],
        summary: 'Point → grid, micro-grid, division chain and sea grids (boundary rule: docs/lookup.md)',
        querystring: Type.Object(
          { lon: Type.Optional(Type.String()), lat: Type.Optional(Type.String()), at: Type.Optional(Type.String()), crs: Crs },
          { additionalProperties: false },
        ),
        response: { 200: PointAnswer, ...ProblemResponses },
      },
    },
    async (request) => {
      authorize(request, 'lookup', {}, openReads);
      const q = request.query;
      const lon = coordinate(q.lon, 'lon');
      const lat = coordinate(q.lat, 'lat');
      const crs = crsOf(q.crs);
      const at = q.at === undefined ? undefined : parseDate(q.at);
      const fault = coordinateFault(lon, lat);
      if (fault) {
        if (lookup.looksSwapped(lon, lat)) throw swappedProblem(lon, lat);
        throw invalidParameter(fault.startsWith('lon') ? 'lon' : 'lat', fault);
      }
      const [x, y] = toWgs84(lon, lat, crs);
      const { grid, microGrid, seaGrids } = await lookup.lookupPoint(x, y, at);
      const owner = grid ?? microGrid ?? seaGrids[0];
      return {
        point: { lon: x, lat: y },
        ...(at ? { at } : {}),
        grid: grid && gridRef(grid),
        microGrid: microGrid && gridRef(microGrid),
        divisions: owner ? lookup.divisionChain(owner.divisionCode) : [],
        seaGrids: seaGrids.map(gridRef),
        ...(grid ? {} : { none: { nearest: await lookup.nearest(x, y, at) } }),
        ...(lookup.looksSwapped(x, y) ? { swapped: true } : {}),
      };
    },
  );

  app.post(
    '/v1/lookup',
    {
      // A batch of lookups reads only; demo mode answers the public.
      config: { readOnly: true },
      bodyLimit: 64 * 1024 * 1024,
      schema: {
        tags: ['lookup'],
        summary: `Batch lookup of up to ${BATCH_LIMIT.toLocaleString('en')} points`,
        description:
          'Body: a JSON array of `[lon, lat]` or `{ id, lon, lat }` → `{ results, errors }`; a GeoJSON FeatureCollection of Points → ' +
          'the same collection with gridCode, microGridCode, villageCode, seaGridCodes (and lookupError) added to each feature\'s properties; ' +
          'or `text/csv` with a header naming id, lon, lat → the same CSV with grid_code, micro_grid_code, village_code, sea_grid_codes, error appended. ' +
          'Bad points are reported per point (`/3`, `row 4`) and the rest answered; more than the limit is 413.',
        querystring: BatchQuery,
        response: { 200: BatchAnswerResponse, 400: Problem, 413: Problem },
      },
    },
    async (request, reply) => {
      authorize(request, 'lookup', {}, openReads);
      const crs = crsOf(request.query.crs);
      const at = request.query.at === undefined ? undefined : parseDate(request.query.at);
      const body: unknown = request.body;
      if (request.headers['content-type']?.startsWith('text/csv')) {
        const csv = body as CsvBatch;
        const result = await answer(csv, crs, at);
        const out: string[] = [`${csv.header},grid_code,micro_grid_code,village_code,sea_grid_codes,error`];
        for (let i = 0; i < csv.size; i++) {
          const fault = csv.faults.get(i);
          const land = result.land[i] >= 0 ? result.grids[result.land[i]] : undefined;
          const micro = result.micro[i] >= 0 ? result.grids[result.micro[i]].code : '';
          out.push(`${csv.lines[i]},${land?.code ?? ''},${micro},${villageOf(land) ?? ''},${seaCodes(result, i).join(';')},${fault ? csvField(`row ${i + 1}: ${fault}`) : ''}`);
        }
        return reply.type('text/csv; charset=utf-8').header('x-lookup-errors', String(csv.faults.size)).send(out.join('\n') + '\n');
      }

      if (body instanceof JsonPairs) {
        return sendStream(reply, jsonBatchAnswer(body, await answer(body, crs, at), { villageCode: villageOf }));
      }
      if (Array.isArray(body)) {
        if (body.length > BATCH_LIMIT) throw tooLarge(new BatchTooLarge(body.length));
        const batch = readJsonPoints(body);
        const idOf = (i: number) => {
          const item = body[i] as { id?: unknown } | null;
          return item !== null && typeof item === 'object' && !Array.isArray(item) ? item.id : undefined;
        };
        return sendStream(reply, jsonBatchAnswer(batch, await answer(batch, crs, at), { villageCode: villageOf, idOf }));
      }

      const collection = body as FeatureCollection | null;
      if (collection === null || typeof collection !== 'object' || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
        throw badRequest('expected a JSON array of points, a GeoJSON FeatureCollection of Points, or text/csv', [{ pointer: '/', message: 'unsupported batch shape' }]);
      }
      if (collection.features.length > BATCH_LIMIT) throw tooLarge(new BatchTooLarge(collection.features.length));
      const batch = readFeaturePoints(collection);
      const result = await answer(batch, crs, at);
      collection.features.forEach((feature, i) => {
        if (feature === null || typeof feature !== 'object') return;
        const fault = batch.faults.get(i);
        const land = result.land[i] >= 0 ? result.grids[result.land[i]] : undefined;
        feature.properties = {
          ...(feature.properties ?? {}),
          gridCode: land?.code ?? null,
          microGridCode: result.micro[i] >= 0 ? result.grids[result.micro[i]].code : null,
          villageCode: villageOf(land),
          seaGridCodes: seaCodes(result, i),
          ...(fault ? { lookupError: fault } : {}),
        };
      });
      const errors = [...batch.faults].map(([i, message]) => ({ pointer: `/features/${i}/geometry`, message }));
      return reply.type('application/geo+json; charset=utf-8').send(JSON.stringify({ ...collection, errors }));
    },
  );

  app.get(
    '/v1/vessels/:vessel/grid',
    {
      schema: {
        tags: ['lookup'],
        summary: 'Vessel → its formation grid and the sea grids its latest position lies in',
        params: Type.Object({ vessel: Type.String({ description: 'MMSI or registered name' }) }),
        response: { 200: VesselGrid, ...ProblemResponses },
      },
    },
    async (request) => {
      authorize(request, 'lookup', {}, openReads);
      const found = await findVesselForLookup(knex, request.params.vessel);
      if (!found) throw new ProblemError(404, 'not-found', 'Not found', `vessel not found: ${request.params.vessel}`);
      const { vessel, position, formation } = found;
      if (!position) return { vessel, position: null, formationGrid: formation, seaGrids: [], note: 'no positions yet' };
      const { seaGrids } = await lookup.lookupPoint(position.lon, position.lat);
      return { vessel, position, formationGrid: formation, seaGrids: seaGrids.map(gridRef) };
    },
  );
};
