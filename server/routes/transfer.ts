// Grid files in and out: import into a draft plan (all or nothing, a report per feature), export of a filed
// partition at any date and of a plan, as GeoJSON, zipped Shapefile, KML, CSV (WKT) or GeoPackage.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Knex } from 'knex';
import { Type } from 'typebox';
import { BinaryBody, Id, IsoDate, ProblemResponses, TextBody, mediaTypeResponse } from '../schemas/common.ts';
import { AreaGeometry, featureCollectionOf } from '../schemas/geojson.ts';
import { Plan } from '../schemas/plans.ts';
import { DivisionCode, GridKind } from '../schemas/resources.ts';
import type { Principal } from '../domain/access/roles.ts';
import { INPUT_CRS, type InputCrs } from '../domain/crs/index.ts';
import { divisionPrefix } from '../domain/divisions/codes.ts';
import { allowedTransitions } from '../domain/plans/status.ts';
import {
  BINARY_FORMATS,
  MEDIA_TYPES,
  TRANSFER_FORMATS,
  formatOfMediaType,
  readGridFile,
  writeGridFile,
  type FeatureFault,
  type ImportOutcome,
  type TransferFormat,
  type TransferGrid,
} from '../domain/formats/index.ts';
import { findDivision } from '../db/repositories/divisions.ts';
import { listGrids } from '../db/repositories/grids.ts';
import { insertPlanGrids, planGrids, type PlanGridInput, type PlanRecord } from '../db/repositories/plans.ts';
import { editPlan, planEtag, visiblePlan } from '../workflow/plans.ts';
import { authorize } from '../http/auth.ts';
import { parseDate } from '../http/params.ts';
import { ProblemError, invalidParameter, notFound } from '../http/problem.ts';
import type { Config } from '../config/env.ts';
import type { RouteContext } from './context.ts';

/** Uploads up to this size are read; larger ones get 413 before a byte is parsed. */
export const IMPORT_BODY_LIMIT = 100 * 1024 * 1024;

const Format = Type.Union(TRANSFER_FORMATS.map((f) => Type.Literal(f)));
const Crs = Type.Union(INPUT_CRS.map((c) => Type.Literal(c)), { description: 'coordinate system of the file; required for a shapefile without .prj' });
const Fault = Type.Object({ index: Type.Integer(), pointer: Type.String(), message: Type.String() });
const ImportReport = Type.Object({
  imported: Type.Integer(),
  features: Type.Array(
    Type.Object({ index: Type.Integer(), planGridId: Type.String(), code: Type.Union([Type.String(), Type.Null()]), name: Type.String(), notes: Type.Array(Type.String()) }),
  ),
  skipped: Type.Array(Fault, { description: 'content left out by design, such as KML network links (never fetched)' }),
  plan: Plan,
});

const ExportedGrids = featureCollectionOf(
  Type.Object({
    code: Type.Union([Type.String(), Type.Null()]),
    name: Type.String(),
    kind: GridKind,
    subkind: Type.Union([Type.String(), Type.Null()]),
    divisionCode: DivisionCode,
    parentCode: Type.Union([Type.String(), Type.Null()]),
    households: Type.Union([Type.Integer(), Type.Null()]),
    population: Type.Union([Type.Integer(), Type.Null()]),
  }),
  AreaGeometry,
);
/** An export in each format, as the media type it is sent as; the body is the file itself (Fastify never serialises it). */
const ExportFile = mediaTypeResponse(
  'The file, with Content-Disposition naming it and X-Feature-Count',
  Object.fromEntries(
    TRANSFER_FORMATS.map((f) => [MEDIA_TYPES[f][0], f === 'geojson' ? ExportedGrids : BINARY_FORMATS.includes(f) ? BinaryBody : TextBody]),
  ),
);

export interface ImportUpload {
  bytes: Uint8Array;
  format: TransferFormat;
  /** what the caller said; null: the file's own (.prj, GeoJSON crs) or WGS84 */
  crs: InputCrs | null;
  /** drop Z values (heights) with a note instead of rejecting the features that have them */
  dropZ: boolean;
  /** the GeoPackage feature table to import (its table_name); null: the only one */
  layer: string | null;
}

export interface ImportResult {
  imported: number;
  features: Array<{ index: number; planGridId: string; code: string | null; name: string; notes: string[] }>;
  skipped: FeatureFault[];
  plan: PlanRecord & { allowedTransitions: string[] };
}

/**
 * Whether a read file can be imported at all: a 422 naming every rejected feature, or saying the file is empty.
 * `rejected` may add faults found against the plan (division codes) to the file's own.
 */
export function assertImportable(outcome: ImportOutcome, rejected: FeatureFault[] = outcome.rejected): void {
  if (rejected.length) {
    const sorted = [...rejected].sort((a, b) => a.index - b.index);
    const total = outcome.grids.length + outcome.rejected.length;
    throw new ProblemError(422, 'import-rejected', 'Features rejected', `${rejected.length} of ${total} feature(s) cannot be imported; nothing was imported`, sorted.map(({ pointer, message }) => ({ pointer, message })));
  }
  if (outcome.grids.length === 0) throw new ProblemError(422, 'empty-import', 'Nothing to import', 'the file holds no features', [{ pointer: 'body', message: 'no features' }]);
}

/**
 * Reads a grid file and adds every feature to a draft plan in one edit (If-Match, revalidation, audit), or nothing
 * when any feature is rejected (422 naming each). Shared by the API and `npm run import`.
 */
export async function importIntoPlan(
  knex: Knex,
  principal: Principal,
  planId: string,
  ifMatch: string | undefined,
  upload: ImportUpload,
  config?: Config,
  onProgress?: (done: number, total: number) => void,
): Promise<ImportResult> {
  const target = await visiblePlan(knex, principal, planId);
  const outcome = await readGridFile(upload.bytes, upload.format, upload.crs, { dropZ: upload.dropZ, layer: upload.layer });
  const township = divisionPrefix(target.townshipCode, 'township');
  const rejected = [...outcome.rejected];
  const records: Array<{ index: number; notes: string[]; grid: PlanGridInput }> = [];
  for (const g of outcome.grids) {
    const notes = [...g.notes];
    const divisionCode = g.divisionCode ?? target.townshipCode;
    if (!divisionCode.startsWith(township)) {
      rejected.push({ index: g.index, pointer: `/features/${g.index}/properties/divisionCode`, message: `${divisionCode} is not in township ${target.townshipCode}` });
      continue;
    }
    if (!g.divisionCode) notes.push(`no division code: placed under the township ${target.townshipCode}`);
    const name = g.name ?? g.code ?? `导入网格 ${g.index + 1}`;
    if (!g.name) notes.push(`no name: named "${name}"`);
    if (g.households === null) notes.push('no households: counted from the stored household points inside the grid');
    const kind = g.kind ?? (target.scope === 'maritime' ? 'maritime' : 'comprehensive');
    records.push({
      index: g.index,
      notes,
      grid: {
        code: g.code,
        name,
        kind,
        subkind: g.subkind,
        divisionCode,
        parentCode: g.parentCode,
        households: g.households,
        population: g.population,
        managingUnits: [],
        staff: [],
        geometry: g.geometry,
      },
    });
  }
  assertImportable(outcome, rejected);

  let ids: string[] = [];
  const plan = await editPlan(knex, principal, planId, ifMatch, 'grid.import', async (trx, current) => {
    ids = [];
    for (const [i, record] of records.entries()) {
      ids.push(...(await insertPlanGrids(trx, current.id, [record.grid])));
      onProgress?.(i + 1, records.length);
    }
    return { imported: ids.length, format: upload.format, crs: upload.crs, layer: upload.layer, skipped: outcome.ignored.length };
  }, config);
  return {
    imported: ids.length,
    features: records.map((r, i) => ({ index: r.index, planGridId: ids[i], code: r.grid.code ?? null, name: r.grid.name, notes: r.notes })),
    skipped: outcome.ignored,
    plan: { ...plan, allowedTransitions: allowedTransitions(plan.status) },
  };
}

const toTransfer = (p: Omit<TransferGrid, 'geometry'>, geometry: TransferGrid['geometry']): TransferGrid => ({
  code: p.code,
  name: p.name,
  kind: p.kind,
  subkind: p.subkind,
  divisionCode: p.divisionCode,
  parentCode: p.parentCode,
  households: p.households,
  population: p.population,
  geometry,
});

async function sendFile(reply: FastifyReply, grids: TransferGrid[], format: TransferFormat, layer: string) {
  const { body, contentType, filename } = await writeGridFile(grids, format, layer);
  return reply
    .type(contentType)
    .header('content-disposition', `attachment; filename="${filename}"`)
    .header('x-feature-count', String(grids.length))
    .send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

export const transferRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  const openReads = config.mode === 'demo';
  // Uploads reach the route as bytes: the readers decide what they are (encapsulated to this plugin).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser([...Object.values(MEDIA_TYPES).flat(), 'application/octet-stream'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post(
    '/v1/plans/:id/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['plans'],
        summary: 'Import grids from a file, or one layer of a GeoPackage (layer=), into a draft plan (all or nothing)',
        description:
          'Body: the file itself — GeoJSON (application/geo+json), a zipped shapefile (application/zip; needs its .prj, or crs=), ' +
          'KML (application/vnd.google-earth.kml+xml; network links are listed in `skipped` and never fetched), CSV with a WKT column (text/csv) ' +
          'or a GeoPackage (application/geopackage+sqlite3; EPSG:4326 or EPSG:4490, or crs= for an undefined SRS): its one feature table, or the one layer= names. ' +
          'A GeoPackage of several feature tables without layer= → 422 several-layers naming them; a layer= it does not hold → 400 unknown-layer naming those it does; layer= with another format → 400. ' +
          'Attributes read: code, name/名称, households/户数, population, kind, subkind, divisionCode. ' +
          'Any rejected feature (non-polygon, unclosed ring, projected coordinates, 3D coordinates, bad attribute) → 422 naming each, nothing written. ' +
          'Grids are 2D: a Z other than 0 rejects its feature unless dropZ=true, which drops Z values with a note per feature (a Z of 0 is dropped with the note anyway). ' +
          `Uploads over ${IMPORT_BODY_LIMIT / 1024 / 1024} MB → 413.`,
        params: Type.Object({ id: Id }),
        headers: Type.Object({ 'if-match': Type.Optional(Type.String()) }),
        querystring: Type.Object(
          {
            format: Type.Optional(Format),
            crs: Type.Optional(Crs),
            dropZ: Type.Optional(Type.Boolean({ description: 'drop Z values (heights) with a note per feature instead of rejecting 3D features (default false)' })),
            layer: Type.Optional(Type.String({ minLength: 1, description: 'GeoPackage only: the feature table to import, by its table_name in gpkg_contents; needed when the file holds several' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ImportReport, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? formatOfMediaType(request.headers['content-type']);
      if (!format) throw invalidParameter('format', `say the format (${TRANSFER_FORMATS.join(', ')}) or send a Content-Type that names it`);
      const bytes = request.body;
      if (!(bytes instanceof Uint8Array) || bytes.length === 0) throw new ProblemError(400, 'empty-body', 'Empty body', 'send the file as the request body', [{ pointer: 'body', message: 'empty' }]);
      const result = await importIntoPlan(knex, request.principal, request.params.id, request.headers['if-match'], { bytes, format, crs: request.query.crs ?? null, dropZ: request.query.dropZ ?? false, layer: request.query.layer ?? null }, config);
      reply.header('etag', planEtag(result.plan));
      return result;
    },
  );

  app.get(
    '/v1/grids/export',
    {
      schema: {
        tags: ['grids'],
        summary: 'Download the filed partition of a division on any date as GeoJSON, Shapefile (zip, EPSG:4490), KML, CSV (WKT) or GeoPackage (EPSG:4490)',
        querystring: Type.Object(
          { division: Type.Optional(DivisionCode), at: Type.Optional(IsoDate), kind: Type.Optional(GridKind), format: Type.Optional(Format) },
          { additionalProperties: false },
        ),
        response: { 200: ExportFile, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      authorize(request, 'registry:read', {}, openReads);
      const q = request.query;
      const at = q.at === undefined ? undefined : parseDate(q.at);
      let prefix: string | undefined;
      if (q.division) {
        const division = await findDivision(knex, q.division);
        if (!division) throw notFound('division', q.division);
        prefix = divisionPrefix(division.code, division.level);
      }
      const { features } = await listGrids(knex, { divisionPrefix: prefix, kind: q.kind, at, limit: 1_000_000, offset: 0 }, { includePhones: false });
      const layer = ['grids', q.division ?? 'all', at].filter(Boolean).join('-');
      return sendFile(reply, features.map((f) => toTransfer(f.properties, f.geometry as TransferGrid['geometry'])), q.format ?? 'geojson', layer);
    },
  );

  app.get(
    '/v1/plans/:id/export',
    {
      schema: {
        tags: ['plans'],
        summary: 'Download the proposed grids of a plan as GeoJSON, Shapefile (zip, EPSG:4490), KML, CSV (WKT) or GeoPackage (EPSG:4490)',
        params: Type.Object({ id: Id }),
        querystring: Type.Object({ format: Type.Optional(Format) }, { additionalProperties: false }),
        response: { 200: ExportFile, ...ProblemResponses },
      },
    },
    async (request, reply) => {
      const plan = await visiblePlan(knex, request.principal, request.params.id);
      const grids = await planGrids(knex, plan.id);
      reply.header('etag', planEtag(plan));
      return sendFile(reply, grids.map((g) => toTransfer(g.properties, g.geometry)), request.query.format ?? 'geojson', `plan-${plan.id}-v${plan.version}`);
    },
  );
};
