// Grid files in and out: import into a draft plan (all or nothing, a report per feature), export of a filed
// partition at any date and of a plan, as GeoJSON, zipped Shapefile, KML, CSV (WKT) or GeoPackage.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import { Type } from 'typebox';
import { BinaryBody, Id, IsoDate, ProblemResponses, TextBody, mediaTypeResponse } from '../schemas/common.ts';
import { AreaGeometry, featureCollectionOf } from '../schemas/geojson.ts';
import { Plan } from '../schemas/plans.ts';
import { DivisionCode, GridKind } from '../schemas/resources.ts';
import { INPUT_CRS } from '../domain/crs/index.ts';
import { divisionPrefix } from '../domain/divisions/codes.ts';
import { BINARY_FORMATS, MEDIA_TYPES, TRANSFER_FORMATS, formatOfMediaType, writeGridFile, type TransferFormat, type TransferGrid } from '../domain/formats/index.ts';
import { findDivision } from '../db/repositories/divisions.ts';
import { listGrids } from '../db/repositories/grids.ts';
import { planGrids } from '../db/repositories/plans.ts';
import { ImportWorker } from '../jobs/imports.ts';
import { importIntoPlan } from '../workflow/imports.ts';
import { planEtag, visiblePlan } from '../workflow/plans.ts';
import { authorize } from '../http/auth.ts';
import { parseDate } from '../http/params.ts';
import { invalidParameter, notFound } from '../http/problem.ts';
import { assertDeclaredLength, spoolUpload, type SpooledUpload } from '../http/upload.ts';
import type { RouteContext } from './context.ts';

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
  const limits = config.importLimits;
  // Uploads reach the route as the request stream, unread: the handler decides who may import before a byte of
  // the body is read, and the readers what the file is (encapsulated to this plugin).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser([...Object.values(MEDIA_TYPES).flat(), 'application/octet-stream'], (_request, payload, done) => done(null, payload));
  // One thread reads the imports of this service (unzip, parse), started by the first.
  const worker = new ImportWorker();
  app.addHook('onClose', () => worker.close());

  app.post(
    '/v1/plans/:id/import',
    {
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
          'Who may edit the plan, and If-Match, are checked before the body is read (401/403/404/409/412/428 whatever the body). ' +
          `Limits (413 or 422 problem+json the moment one is passed, naming it and the zip entry): uploads over ${limits.uploadBytes / 1024 / 1024} MB → 413; ` +
          `a zip inflating to more than ${limits.inflatedBytes / 1024 / 1024} MB → 413; a zip of more than ${limits.entries} entries, an entry inflating to more than ${limits.ratio} times its compressed size, ` +
          'or an entry inflating to more or less than its header declares → 422.',
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
      const spooled: SpooledUpload[] = [];
      const receive = async () => {
        const format = request.query.format ?? formatOfMediaType(request.headers['content-type']);
        if (!format) throw invalidParameter('format', `say the format (${TRANSFER_FORMATS.join(', ')}) or send a Content-Type that names it`);
        assertDeclaredLength(request.headers['content-length'], limits.uploadBytes);
        const upload = await spoolUpload(request.body as Readable, limits.uploadBytes);
        spooled.push(upload);
        return { source: { path: upload.path }, format, crs: request.query.crs ?? null, dropZ: request.query.dropZ ?? false, layer: request.query.layer ?? null };
      };
      try {
        const result = await importIntoPlan(knex, request.principal, request.params.id, request.headers['if-match'], receive, { config, read: worker.read });
        reply.header('etag', planEtag(result.plan));
        return result;
      } finally {
        await Promise.all(spooled.map((upload) => upload.remove()));
      }
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
