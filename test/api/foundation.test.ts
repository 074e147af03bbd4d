// The foundation through HTTP on both backends: health, valid stored geometries, divisions, islands, grids, OpenAPI
// and problem+json errors.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GEODATA_DIR } from '../../db/seeds/zhoushan.ts';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';
import { Validator } from '@seriousme/openapi-schema-validator';

const csvRows = (file: string) => readFileSync(path.join(GEODATA_DIR, file), 'utf8').trim().split('\n').length - 1;
const featureCount = (file: string) => JSON.parse(readFileSync(path.join(GEODATA_DIR, file), 'utf8')).features.length;

describe.each(BACKENDS)('foundation on %s', (backend) => {
  let service: TestService;
  const get = (url: string) => service.app.inject({ method: 'GET', url });

  beforeAll(async () => {
    service = await startTestService(backend);
  });
  afterAll(async () => {
    await service?.close();
  });

  it('reports backend, PostGIS and the seeded counts from the geodata files', async () => {
    const res = await get('/health');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.backend).toBe(backend);
    expect(body.postgis).toMatch(/^3\.\d+/);
    expect(body.counts.divisions).toBe(csvRows('zhoushan-divisions.csv'));
    expect(body.counts.islands).toBe(featureCount('zhoushan-islands.geojson'));
    expect(body.counts.household_counts).toBe(csvRows('zhoushan-households.csv'));
    expect(body.counts.grids).toBeGreaterThan(0);
  });

  // The rules engine, lookups, tiles and GDAL clients assume valid geometries (OGC Simple Features); found wanting
  // once: 衢山岛 and four divisions had pinched rings.
  it('stores only valid geometries, in every geometry column of every table', async () => {
    const knex = service.db.knex;
    const columns: Array<{ table: string; column: string }> = (
      await knex.raw(`SELECT f_table_name AS "table", f_geometry_column AS "column" FROM geometry_columns WHERE f_table_schema = current_schema() ORDER BY 1, 2`)
    ).rows;
    expect(columns.map((c) => c.table)).toEqual(expect.arrayContaining(['divisions', 'grids', 'islands']));
    const invalid: string[] = [];
    for (const { table, column } of columns) {
      const rows: Array<{ reason: string }> = (
        await knex.raw(`SELECT ST_IsValidReason(??) AS reason FROM ?? WHERE ?? IS NOT NULL AND NOT ST_IsValid(??)`, [column, table, column, column])
      ).rows;
      invalid.push(...rows.map((r) => `${table}.${column}: ${r.reason}`));
    }
    expect(invalid).toEqual([]);
  });

  it('lists the division tree by level and parent', async () => {
    const townships = (await get('/v1/divisions?level=township')).json().divisions;
    expect(townships).toHaveLength(36);
    const villages = (await get('/v1/divisions?level=village')).json().divisions;
    expect(villages).toHaveLength(428);
    const counties = (await get('/v1/divisions?parent=330900000000')).json().divisions;
    expect(counties.map((d: { name: string }) => d.name).sort()).toEqual(['岱山县', '嵊泗县', '定海区', '普陀区'].sort());
    const householdsOfCounties = counties.reduce((sum: number, d: { households: number }) => sum + d.households, 0);
    const city = (await get('/v1/divisions/330900000000')).json();
    expect(city.properties.households).toBe(householdsOfCounties);
  });

  it('returns one division with its synthetic boundary', async () => {
    const res = await get('/v1/divisions/330902000000');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.type).toBe('Feature');
    expect(body.properties).toMatchObject({ code: '330902000000', name: '定海区', level: 'county', synthetic: true });
    expect(body.geometry.type).toBe('MultiPolygon');
  });

  it('answers an unknown division with 404 problem+json', async () => {
    const res = await get('/v1/divisions/330999999999');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ status: 404, title: 'Not found' });
    expect(res.json().detail).toContain('330999999999');
  });

  it.each([
    ['/v1/divisions/33090', 'code'],
    ['/v1/divisions?level=province', 'level'],
    ['/v1/grids?kind=residential', 'kind'],
    ['/v1/grids?bbox=122.5,30.2,122.0,29.9', 'bbox'],
    ['/v1/grids?bbox=122,30,190,31', 'bbox'],
    ['/v1/grids?bbox=a,b,c,d', 'bbox'],
    ['/v1/grids?bbox=122,30,123', 'bbox'],
    ['/v1/grids?division=abc', 'division'],
    ['/v1/grids?at=2024-02-30', 'at'],
    ['/v1/grids?limit=0', 'limit'],
  ])('rejects %s with 400 naming %s', async (url, parameter) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body.errors.map((e: { pointer: string }) => e.pointer)).toContain(parameter);
  });

  it('lists grids of a division as GeoJSON, filtered by kind and bbox, with paging links', async () => {
    const all = (await get('/v1/grids?limit=10000')).json();
    expect(all.type).toBe('FeatureCollection');
    const township = all.features[0].properties.divisionCode.slice(0, 9) + '000';
    const inTownship = (await get(`/v1/grids?division=${township}&limit=10000`)).json();
    expect(inTownship.features.length).toBeGreaterThan(0);
    for (const f of inTownship.features) expect(f.properties.divisionCode.startsWith(township.slice(0, 9))).toBe(true);
    const maritime = (await get('/v1/grids?kind=maritime&limit=10000')).json();
    expect(maritime.features.every((f: { properties: { kind: string } }) => f.properties.kind === 'maritime')).toBe(true);
    const far = (await get('/v1/grids?bbox=100,20,100.1,20.1')).json();
    expect(far.features).toHaveLength(0);
    const page = (await get('/v1/grids?limit=2')).json();
    expect(page.features).toHaveLength(Math.min(2, all.numberMatched));
    if (all.numberMatched > 2) expect(page.links.next).toContain('offset=2');
  });

  it('returns one grid with an ETag, and 404 for an unknown code', async () => {
    const first = (await get('/v1/grids?limit=1')).json().features[0];
    const res = await get(`/v1/grids/${first.properties.code}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe(`"${first.properties.code}-v${first.properties.version}"`);
    expect(res.json().geometry.type).toBe('MultiPolygon');
    expect((await get('/v1/grids/330999999999001')).statusCode).toBe(404);
  });

  it('publishes OpenAPI 3.1 and interactive docs', async () => {
    const spec = (await get('/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/health', '/v1/divisions', '/v1/divisions/{code}', '/v1/grids', '/v1/islands']));
    // Errors are documented with the media type they are sent with.
    const notFound = spec.paths['/v1/grids/{code}'].get.responses['404'];
    expect(Object.keys(notFound.content)).toEqual(['application/problem+json']);
    expect(Object.keys(spec.paths['/v1/grids/{code}'].get.responses['200'].content)).toContain('application/json');
    // Generated clients name methods by operationId, and must not be made to send what has a default.
    const operations = Object.entries(spec.paths as Record<string, Record<string, { operationId?: string; parameters?: Array<{ in: string; name: string; required?: boolean; schema?: { default?: unknown } }> }>>)
      .flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ at: `${method} ${path}`, ...operation })));
    const ids = operations.map((o) => o.operationId);
    expect(ids.filter((id) => !id), 'operations without an operationId').toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(operations.find((o) => o.at === 'get /v1/grids/{code}/notice')?.operationId).toBe('getGridsByCodeNotice');
    const requiredWithDefault = operations.flatMap((o) => (o.parameters ?? []).filter((p) => p.required && p.schema?.default !== undefined).map((p) => `${o.at} ${p.name}`));
    expect(requiredWithDefault).toEqual([]);
    const validation = await new Validator().validate(spec);
    expect(validation.errors ?? [], 'OpenAPI 3.1 schema').toEqual([]);
    expect(validation.valid).toBe(true);
    const gridsQuery = operations.find((o) => o.at === 'get /v1/grids')!.parameters!;
    for (const name of ['limit', 'offset']) expect(gridsQuery.find((p) => p.name === name)?.required ?? false, name).toBe(false);
    const docs = await get('/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('documents each 200 in the media types it is sent as (not JSON for tiles, HTML, CSV or files), and errors as problem+json', async () => {
    const spec = (await get('/openapi.json')).json();
    type Response = { content?: Record<string, { schema: { type?: string; format?: string; properties?: object } }> };
    const responses = (path: string, method = 'get'): Record<string, Response> => spec.paths[path][method].responses;
    const content = (path: string, method = 'get') => responses(path, method)['200']?.content ?? {};
    const mediaTypes = (path: string, method = 'get') => Object.keys(content(path, method));

    const tile = '/tiles/{layer}/{z}/{x}/{y}.mvt';
    expect(mediaTypes(tile)).toEqual(['application/vnd.mapbox-vector-tile']);
    expect(content(tile)['application/vnd.mapbox-vector-tile'].schema).toEqual({ type: 'string', format: 'binary' });
    expect(responses(tile)['204']).toBeDefined();
    expect(responses(tile)['204'].content).toBeUndefined();

    for (const notice of ['/v1/grids/{code}/notice', '/v1/divisions/{code}/notice']) {
      expect(mediaTypes(notice)).toEqual(['application/json', 'text/html']);
      expect(content(notice)['application/json'].schema.properties).toHaveProperty('hotline');
      expect(content(notice)['text/html'].schema).toEqual({ type: 'string' });
    }

    const files = ['application/geo+json', 'application/zip', 'application/vnd.google-earth.kml+xml', 'text/csv', 'application/geopackage+sqlite3'];
    for (const exported of ['/v1/grids/export', '/v1/plans/{id}/export']) {
      expect(mediaTypes(exported)).toEqual(files);
      expect(content(exported)['application/geo+json'].schema.properties).toHaveProperty('features');
      expect(content(exported)['application/zip'].schema).toEqual({ type: 'string', format: 'binary' });
      expect(content(exported)['application/geopackage+sqlite3'].schema).toEqual({ type: 'string', format: 'binary' });
      expect(content(exported)['text/csv'].schema).toEqual({ type: 'string' });
    }

    expect(mediaTypes('/v1/lookup', 'post')).toEqual(['application/json', 'application/geo+json', 'text/csv']);
    expect(Object.keys(content('/v1/lookup', 'post')['application/json'].schema.properties ?? {})).toEqual(['count', 'results', 'errors']);
    expect(content('/v1/lookup', 'post')['application/geo+json'].schema.properties).toHaveProperty('errors');
    expect(content('/v1/lookup', 'post')['text/csv'].schema).toEqual({ type: 'string' });

    const requestTypes = (path: string) => Object.keys(spec.paths[path].post.requestBody.content);
    for (const takesGeoJson of ['/v1/validate', '/v1/suggest']) expect(requestTypes(takesGeoJson)).toEqual(['application/json', 'application/geo+json']);

    expect(mediaTypes('/ogc/collections/{collectionId}/items')).toEqual(['application/geo+json', 'text/html']);
    expect(mediaTypes('/ogc/collections/{collectionId}/items/{featureId}')).toEqual(['application/geo+json', 'text/html']);
    expect(mediaTypes('/ogc/collections/{collectionId}/queryables')).toEqual(['application/schema+json']);
    expect(mediaTypes('/ogc/collections')).toEqual(['application/json', 'text/html']);

    const operations: Array<[string, string]> = [
      [tile, 'get'],
      ['/v1/grids/{code}/notice', 'get'],
      ['/v1/divisions/{code}/notice', 'get'],
      ['/v1/grids/export', 'get'],
      ['/v1/plans/{id}/export', 'get'],
      ['/v1/lookup', 'post'],
      ['/ogc/collections/{collectionId}/items', 'get'],
    ];
    for (const [path, method] of operations) {
      const errors = Object.entries(responses(path, method)).filter(([status]) => status.startsWith('4'));
      expect(errors.length, `${method} ${path}`).toBeGreaterThan(0);
      for (const [status, response] of errors) expect(Object.keys(response.content ?? {}), `${method} ${path} ${status}`).toEqual(['application/problem+json']);
    }
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const res = await get('/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('reports a database failure as 500 problem+json without leaking SQL', async () => {
    await service.db.knex.raw('ALTER TABLE islands RENAME TO islands_away');
    try {
      const res = await get('/v1/islands');
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().detail).toBe('The server could not complete the request; it has been logged.');
      expect(res.body.toLowerCase()).not.toMatch(/select|from "islands"|relation|does not exist/);
    } finally {
      await service.db.knex.raw('ALTER TABLE islands_away RENAME TO islands');
    }
  });
});
