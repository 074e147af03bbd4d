// Import and export through HTTP on both backends: the demo's 沈家门 filed partition exported in every format (GeoJSON,
// Shapefile, KML, CSV, GeoPackage) and
// imported into an empty draft gives the same codes and geometries (within 1e-7°); plan export; and every bad input
// of issue 9 answered with problem+json and nothing written.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import initSqlJs from 'sql.js';
import type { MultiPolygon, Polygon } from 'geojson';
import { readGridFile, type TransferFormat } from '../../server/domain/formats/index.ts';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';
import { fixture, maxDeviation } from '../unit/formats/support.ts';

const TOWNSHIP = '330903001000';
const MEDIA: Record<TransferFormat, string> = {
  geojson: 'application/geo+json',
  shapefile: 'application/zip',
  kml: 'application/vnd.google-earth.kml+xml',
  csv: 'text/csv',
  geopackage: 'application/geopackage+sqlite3',
};
type Area = Polygon | MultiPolygon;

describe.each(BACKENDS)('import and export on %s', (backend) => {
  let service: TestService;
  let filed: Map<string, Area>;

  const get = (url: string, key = 'demo-planner') => service.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  const upload = (id: string, body: Uint8Array | string | Readable, contentType: string, etag?: string, query = '', headers: Record<string, string> = {}) =>
    service.app.inject({
      method: 'POST',
      url: `/v1/plans/${id}/import${query}`,
      payload: typeof body === 'string' || body instanceof Readable ? body : Buffer.from(body),
      headers: { authorization: 'Bearer demo-planner', 'content-type': contentType, ...(etag ? { 'if-match': etag } : {}), ...headers },
    });
  async function emptyPlan(): Promise<{ id: string; etag: string }> {
    const res = await service.app.inject({ method: 'POST', url: '/v1/plans', headers: { authorization: 'Bearer demo-planner' }, payload: { townshipCode: TOWNSHIP, trigger: 'scale_change', start: 'empty' } });
    expect(res.statusCode).toBe(201);
    return { id: res.json().id, etag: res.headers.etag as string };
  }
  async function planGeometries(id: string): Promise<Map<string, Area>> {
    const features: Array<{ properties: { code: string }; geometry: Area }> = (await get(`/v1/plans/${id}/grids`)).json().features;
    return new Map(features.map((f) => [f.properties.code, f.geometry]));
  }
  async function expectUntouched(id: string) {
    const plan = (await get(`/v1/plans/${id}`)).json();
    expect(plan.version).toBe(1);
    expect((await planGeometries(id)).size).toBe(0);
  }

  beforeAll(async () => {
    service = await startTestService(backend);
    const grids = (await get(`/v1/grids?division=${TOWNSHIP}&limit=10000`)).json().features as Array<{ properties: { code: string }; geometry: Area }>;
    filed = new Map(grids.map((f) => [f.properties.code, f.geometry]));
    expect(filed.size).toBeGreaterThan(5);
  });
  afterAll(async () => {
    await service?.close();
  });

  it.each(['geojson', 'shapefile', 'kml', 'csv', 'geopackage'] as const)('round-trips the filed 沈家门 partition through %s', async (format) => {
    const exported = await get(`/v1/grids/export?division=${TOWNSHIP}&format=${format}`, 'demo-registrar');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(new RegExp(`attachment; filename="grids-${TOWNSHIP}\\.(geojson|zip|kml|csv|gpkg)"`));
    expect(Number(exported.headers['x-feature-count'])).toBe(filed.size);
    if (format === 'shapefile') expect(Object.keys(unzipSync(exported.rawPayload))).toContain(`grids-${TOWNSHIP}.prj`);

    const { id, etag } = await emptyPlan();
    const res = await upload(id, exported.rawPayload, MEDIA[format], etag, `?format=${format}`);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.imported).toBe(filed.size);
    expect(report.skipped).toEqual([]);
    expect(report.plan.version).toBe(2);
    expect(report.plan.report.findings).toBeInstanceOf(Array);
    expect(res.headers.etag).toBe(`"plan-${id}-v2"`);

    const imported = await planGeometries(id);
    expect([...imported.keys()].sort()).toEqual([...filed.keys()].sort());
    for (const [code, geometry] of filed) expect(maxDeviation(imported.get(code)!, geometry), code).toBeLessThanOrEqual(1e-7);

    // The plan's own export reads back to the same grids.
    const planFile = await get(`/v1/plans/${id}/export?format=${format}`);
    expect(planFile.headers['content-disposition']).toContain(`plan-${id}-v2`);
    const back = await readGridFile(new Uint8Array(planFile.rawPayload), format, null);
    expect(back.rejected).toEqual([]);
    for (const g of back.grids) expect(maxDeviation(g.geometry, filed.get(g.code!)!)).toBeLessThanOrEqual(1e-7);
  });

  it('exports the partition of a past date and refuses an unknown format', async () => {
    const past = await get(`/v1/grids/export?division=${TOWNSHIP}&at=2000-01-01`, 'demo-registrar');
    expect(past.statusCode).toBe(200);
    expect(past.json().features).toEqual([]);
    const dxf = await get(`/v1/grids/export?division=${TOWNSHIP}&format=dxf`, 'demo-registrar');
    expect(dxf.statusCode).toBe(400);
    expect(dxf.json().errors[0].pointer).toBe('format');
  });

  it('exports a past date as GeoPackage too: an empty layer before the demo was filed', async () => {
    const past = await get(`/v1/grids/export?division=${TOWNSHIP}&at=2000-01-01&format=geopackage`, 'demo-registrar');
    expect(past.statusCode).toBe(200);
    expect(past.headers['content-type']).toBe('application/geopackage+sqlite3');
    expect(past.headers['content-disposition']).toBe(`attachment; filename="grids-${TOWNSHIP}-2000-01-01.gpkg"`);
    expect(await readGridFile(new Uint8Array(past.rawPayload), 'geopackage', null)).toEqual({ grids: [], rejected: [], ignored: [] });
  });

  it('refuses a file that is not a GeoPackage, one without a feature table, and an unknown SRS, writing nothing', async () => {
    const { id, etag } = await emptyPlan();
    const notGpkg = await upload(id, fixture('two-grids.geojson'), 'application/geopackage+sqlite3', etag);
    expect(notGpkg.statusCode).toBe(400);
    expect(notGpkg.headers['content-type']).toMatch(/problem\+json/);
    expect(notGpkg.json().type).toMatch(/not-a-geopackage$/);
    const db = new (await initSqlJs()).Database(fixture('two-grids-gdal.gpkg'));
    db.exec(`DELETE FROM gpkg_geometry_columns; UPDATE gpkg_contents SET data_type = 'attributes'`);
    const attributesOnly = db.export();
    db.close();
    const noTable = await upload(id, attributesOnly, 'application/geopackage+sqlite3', etag);
    expect(noTable.statusCode).toBe(400);
    expect(noTable.json()).toMatchObject({ type: expect.stringMatching(/no-feature-table$/), detail: expect.stringContaining('grids (attributes)') });
    const beijing = await upload(id, fixture('beijing1954.gpkg'), 'application/geopackage+sqlite3', etag);
    expect(beijing.statusCode).toBe(400);
    expect(beijing.json()).toMatchObject({ type: expect.stringMatching(/unknown-crs$/), errors: [{ pointer: 'srs_id' }] });
    await expectUntouched(id);
  });

  it('imports the GeoPackage table layer= names; several tables without layer=, or a layer it lacks, are refused, writing nothing', async () => {
    const { id, etag } = await emptyPlan();
    const file = fixture('grids-villages-roads.gpkg');
    const tables = 'grids (GEOMETRY), villages (POLYGON), roads (LINESTRING)';
    const several = await upload(id, file, MEDIA.geopackage, etag);
    expect(several.statusCode, several.body).toBe(422);
    expect(several.headers['content-type']).toMatch(/problem\+json/);
    expect(several.json()).toMatchObject({
      type: expect.stringMatching(/several-layers$/),
      detail: `the GeoPackage holds 3 feature tables: ${tables}; say which to import with layer=<table_name> (npm run import: --layer <table_name>)`,
      errors: [{ pointer: 'layer' }],
    });
    const unknown = await upload(id, file, MEDIA.geopackage, etag, '?layer=rivers');
    expect(unknown.statusCode, unknown.body).toBe(400);
    expect(unknown.json()).toMatchObject({ type: expect.stringMatching(/unknown-layer$/), detail: `the GeoPackage has no table "rivers"; its feature tables are ${tables}`, errors: [{ pointer: 'layer' }] });
    const blank = await upload(id, file, MEDIA.geopackage, etag, '?layer=');
    expect(blank.statusCode).toBe(400);
    expect(blank.json().errors[0].pointer).toBe('layer');
    await expectUntouched(id);

    const chosen = await upload(id, file, MEDIA.geopackage, etag, '?layer=villages');
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json()).toMatchObject({ imported: 1, features: [{ index: 0, code: '330903001002001', name: '沈家门村' }], plan: { version: 2 } });
    const features: Array<{ properties: { code: string; name: string; households: number } }> = (await get(`/v1/plans/${id}/grids`)).json().features;
    expect(features.map((f) => [f.properties.code, f.properties.name, f.properties.households])).toEqual([['330903001002001', '沈家门村', 150]]);
  });

  it('refuses layer= with a file that is not a GeoPackage (400 invalid-parameter), writing nothing', async () => {
    const { id, etag } = await emptyPlan();
    for (const [body, query] of [
      [fixture('two-grids.geojson'), '?layer=grids'],
      [fixture('two-grids-gdal.zip'), '?format=shapefile&layer=grids'],
    ] as const) {
      const res = await upload(id, body, MEDIA.geojson, etag, query);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.json()).toMatchObject({ type: expect.stringMatching(/invalid-parameter$/), errors: [{ pointer: 'layer', message: expect.stringContaining('only a GeoPackage has layers') }] });
    }
    await expectUntouched(id);
  });

  it('refuses a zip that is not a shapefile, and zip-slip paths, writing nothing', async () => {
    const { id, etag } = await emptyPlan();
    const notShp = await upload(id, zipSync({ 'notes.txt': strToU8('网格') }), 'application/zip', etag);
    expect(notShp.statusCode).toBe(400);
    expect(notShp.headers['content-type']).toMatch(/problem\+json/);
    expect(notShp.json().type).toMatch(/not-a-shapefile$/);
    const entries = unzipSync(fixture('two-grids-gdal.zip'));
    const slip = await upload(id, zipSync({ ...entries, '../evil.shp': entries['two-grids.shp'] }), 'application/zip', etag);
    expect(slip.statusCode).toBe(400);
    expect(slip.json()).toMatchObject({ type: expect.stringMatching(/unsafe-zip-entry$/), errors: [{ pointer: '../evil.shp' }] });
    await expectUntouched(id);
  });

  it('refuses a shapefile without .prj unless crs= says it, and a .prj or crs it cannot place', async () => {
    const { id, etag } = await emptyPlan();
    const { 'two-grids.prj': _prj, ...noPrj } = unzipSync(fixture('two-grids-gdal.zip'));
    const missing = await upload(id, zipSync(noPrj), 'application/zip', etag);
    expect(missing.statusCode).toBe(400);
    expect(missing.json()).toMatchObject({ type: expect.stringMatching(/missing-prj$/), errors: [{ pointer: 'crs' }] });
    const tokyo = 'GEOGCS["GCS_Tokyo",DATUM["D_Tokyo",SPHEROID["Bessel_1841",6377397.155,299.1528128]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    const unknown = await upload(id, zipSync({ ...noPrj, 'two-grids.prj': strToU8(tokyo) }), 'application/zip', etag);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ type: expect.stringMatching(/unknown-crs$/), errors: [{ pointer: 'prj' }] });
    const badCrs = await upload(id, fixture('two-grids.geojson'), 'application/geo+json', etag, '?crs=epsg3857');
    expect(badCrs.statusCode).toBe(400);
    expect(badCrs.json().errors[0].pointer).toBe('crs');
    await expectUntouched(id);
    const said = await upload(id, zipSync(noPrj), 'application/zip', etag, '?crs=cgcs2000');
    expect(said.statusCode, said.body).toBe(200);
    expect(said.json().features.map((f: { code: string }) => f.code)).toEqual(['330903001001001', '330903001001002']);
  });

  it.each([
    ['mixed-geometry.geojson', 'application/geo+json'],
    ['mixed-geometry.gpkg', 'application/geopackage+sqlite3'],
  ])('rejects mixed geometry types in %s feature by feature and imports none of them', async (file, contentType) => {
    const { id, etag } = await emptyPlan();
    const res = await upload(id, fixture(file), contentType, etag);
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toContain('nothing was imported');
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/features/1/geometry/type', '/features/2/geometry/type']);
    await expectUntouched(id);
  });

  const kmlWithAltitude = new TextDecoder().decode(fixture('network-link.kml')).replace('122.3,29.94,0 ', '122.3,29.94,5.5 ');
  const csvWithZ = 'name,wkt\n带高程,"POLYGON Z ((122.29 29.94 5.5, 122.3 29.94 6, 122.3 29.95 7, 122.29 29.94 5.5))"\n';
  it.each([
    ['GeoJSON', 'geojson', fixture('three-d.geojson'), '/features/0/geometry/coordinates/0/0'],
    ['a PolygonZ shapefile', 'shapefile', fixture('three-d-gdal.zip'), '/features/1/geometry'],
    ['KML', 'kml', kmlWithAltitude, '/features/0/geometry/coordinates/0/1'],
    ['CSV (POLYGON Z)', 'csv', csvWithZ, '/features/0/geometry/coordinates/0/0'],
    ['GeoPackage', 'geopackage', fixture('three-d.gpkg'), '/features/0/geometry/coordinates/0/0'],
  ] as const)('refuses 3D coordinates in %s with problem+json naming the feature, nothing imported; dropZ=true imports them flat with a note', async (_, format, body, pointer) => {
    const { id, etag } = await emptyPlan();
    const res = await upload(id, body, MEDIA[format], etag);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().detail).toContain('nothing was imported');
    expect(res.json().errors).toEqual([{ pointer, message: expect.stringMatching(/^3D coordinates are not accepted: .*dropZ=true/) }]);
    await expectUntouched(id);
    const flat = await upload(id, body, MEDIA[format], etag, '?dropZ=true');
    expect(flat.statusCode, flat.body).toBe(200);
    const notes: string[][] = flat.json().features.map((f: { notes: string[] }) => f.notes);
    expect(notes.length).toBeGreaterThan(0);
    for (const n of notes) expect(n).toContain('Z (height) values dropped: grids are 2D');
    for (const geometry of (await planGeometries(id)).values()) expect(JSON.stringify(geometry)).not.toContain('5.5');
  });

  it('answers a 200 MB upload with 413 problem+json before reading it', async () => {
    const { id, etag } = await emptyPlan();
    let pulled = 0;
    const body = new Readable({
      read() {
        pulled += 1;
        this.push(pulled > 4 ? null : Buffer.alloc(64 * 1024));
      },
    });
    const res = await upload(id, body, 'application/zip', etag, '', { 'content-length': String(200 * 1024 * 1024) });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
    expect(res.json().type).toMatch(/payload-too-large$/);
    await expectUntouched(id);
  });

  describe('KML with a network link', () => {
    let linkHost: Server;
    let requests = 0;
    beforeAll(async () => {
      linkHost = createServer((_req, res) => {
        requests += 1;
        res.end('<kml/>');
      });
      await new Promise<void>((resolve) => linkHost.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => linkHost.close(() => resolve())));

    it('imports the placemarks, lists the link as skipped and never contacts its host', async () => {
      const { port } = linkHost.address() as AddressInfo;
      const kml = new TextDecoder().decode(fixture('network-link.kml')).replace('LINK_HOST', `127.0.0.1:${port}`);
      const { id, etag } = await emptyPlan();
      const res = await upload(id, kml, 'application/vnd.google-earth.kml+xml', etag);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().imported).toBe(1);
      expect(res.json().skipped).toEqual([{ index: 0, pointer: '/NetworkLink/0', message: expect.stringContaining(`http://127.0.0.1:${port}/grids.kml`) }]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(requests).toBe(0);
    });
  });

  it('needs If-Match and a key, and keeps other townships out', async () => {
    const { id } = await emptyPlan();
    expect((await upload(id, fixture('two-grids.geojson'), 'application/geo+json')).statusCode).toBe(428);
    const anonymous = await service.app.inject({ method: 'POST', url: `/v1/plans/${id}/import`, payload: Buffer.from(fixture('two-grids.geojson')), headers: { 'content-type': 'application/geo+json' } });
    expect(anonymous.statusCode).toBe(401);
    const other = await service.app.inject({ method: 'GET', url: `/v1/plans/${id}/export`, headers: { authorization: 'Bearer demo-planner-changguo' } });
    expect(other.statusCode).toBe(403);
    await expectUntouched(id);
  });

  it('exports the partition in force on any date: the earlier version of a grid changed since, as GeoPackage', async () => {
    const knex = service.db.knex;
    // Last in this suite, as it changes the filed partition the others compare: a land grid gets a second version
    // the day after its first.
    const grid = await knex('grids').whereNull('valid_to').whereNull('parent_code').whereNot('kind', 'maritime').where('division_code', 'like', `${TOWNSHIP.slice(0, 9)}%`).orderBy('code').first();
    const [{ first, second }] = (await knex.raw(`SELECT to_char(valid_from, 'YYYY-MM-DD') AS first, to_char(valid_from + 1, 'YYYY-MM-DD') AS second FROM grids WHERE id = ?`, [grid.id])).rows;
    expect(second <= new Date().toISOString().slice(0, 10)).toBe(true);
    await knex('grids').where({ id: grid.id }).update({ valid_to: second });
    await knex.raw(
      `INSERT INTO grids (code, version, name, kind, subkind, division_code, households, population, valid_from, geom)
       SELECT code, version + 1, name || '（调整）', kind, subkind, division_code, households, population, ?, geom FROM grids WHERE id = ?`,
      [second, grid.id],
    );
    const exportOn = async (at?: string) => {
      const res = await get(`/v1/grids/export?division=${TOWNSHIP}&format=geopackage${at ? `&at=${at}` : ''}`, 'demo-registrar');
      expect(res.statusCode).toBe(200);
      const { grids, rejected } = await readGridFile(new Uint8Array(res.rawPayload), 'geopackage', null);
      expect(rejected).toEqual([]);
      return grids.find((g) => g.code === grid.code)?.name;
    };
    expect(await exportOn(first)).toBe(grid.name);
    expect(await exportOn()).toBe(`${grid.name}（调整）`);
  });
});
