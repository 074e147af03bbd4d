// Vector tiles through HTTP on both backends, decoded with @mapbox/vector-tile and checked against the database.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { invalidateTiles } from '../../server/routes/tiles.ts';
import { announceFilingLanded } from '../../server/events/filings.ts';
import { bufferedBounds3857, mercatorBoundsToLonLat, simplifyTolerance, tileBoundsLonLat, tileOf, type TileAddress } from '../../server/domain/tiles/tile-math.ts';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';

const SHENJIAMEN = tileOf(122.3, 29.95, 12);
const decode = (body: Buffer) => new VectorTile(new PbfReader(body));
const tilePath = (layer: string, { z, x, y }: TileAddress) => `/tiles/${layer}/${z}/${x}/${y}.mvt`;

describe.each(BACKENDS)('vector tiles on %s', (backend) => {
  let service: TestService;
  const get = (url: string, headers: Record<string, string> = {}) => service.app.inject({ method: 'GET', url, headers });
  const layerOf = async (layer: string, tile: TileAddress) => {
    const res = await get(tilePath(layer, tile));
    expect(res.statusCode, res.body).toBe(200);
    return decode(res.rawPayload).layers[layer];
  };
  const codesIn = async (layer: string, tile: TileAddress) => {
    const decoded = await layerOf(layer, tile);
    return Array.from({ length: decoded.length }, (_, i) => decoded.feature(i).properties);
  };

  beforeAll(async () => {
    service = await startTestService(backend);
  });
  afterAll(async () => {
    await service?.close();
  });

  it('draws the grids of a z12 tile over 沈家门 that the grid API finds there', async () => {
    const features = await codesIn('grids', SHENJIAMEN);
    const codes = features.map((p) => String(p.code)).sort();
    expect(codes.length).toBeGreaterThan(0);
    // Every grid whose shape meets the tile is drawn …
    const [w, s, e, n] = tileBoundsLonLat(SHENJIAMEN);
    const meeting = await service.db.knex('grids')
      .whereRaw(`valid_to IS NULL AND parent_code IS NULL AND kind <> 'maritime' AND ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326))`, [w, s, e, n])
      .pluck('code');
    expect(codes).toEqual(expect.arrayContaining(meeting));
    // … and nothing beyond what /v1/grids returns for the tile with its buffer.
    const reach = mercatorBoundsToLonLat(bufferedBounds3857(SHENJIAMEN));
    const listed = (await get(`/v1/grids?bbox=${reach.join(',')}&micro=false&limit=10000`)).json();
    const land = listed.features.filter((f: { properties: { kind: string } }) => f.properties.kind !== 'maritime');
    const byCode = new Map(land.map((f: { properties: { code: string; households: number; name: string } }) => [f.properties.code, f.properties]));
    for (const p of features) {
      expect(byCode.get(String(p.code)), String(p.code)).toMatchObject({ households: p.households, name: p.name });
    }
  });

  it('places features where they are: a grid decoded to lon/lat lies around its stored centroid', async () => {
    const decoded = await layerOf('grids', SHENJIAMEN);
    const feature = decoded.feature(0).toGeoJSON(SHENJIAMEN.x, SHENJIAMEN.y, SHENJIAMEN.z);
    const code = decoded.feature(0).properties.code;
    const { rows } = await service.db.knex.raw(
      `SELECT ST_X(c) AS lon, ST_Y(c) AS lat FROM (SELECT ST_Centroid(ST_ClipByBox2D(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326))) AS c FROM grids WHERE code = ? AND valid_to IS NULL) x`,
      [...tileBoundsLonLat(SHENJIAMEN), code],
    );
    const ring = (feature.geometry.type === 'Polygon' ? feature.geometry.coordinates[0] : (feature.geometry as { coordinates: number[][][][] }).coordinates[0][0]) as number[][];
    const lons = ring.map((p) => p[0]);
    const lats = ring.map((p) => p[1]);
    expect(rows[0].lon).toBeGreaterThan(Math.min(...lons));
    expect(rows[0].lon).toBeLessThan(Math.max(...lons));
    expect(rows[0].lat).toBeGreaterThan(Math.min(...lats));
    expect(rows[0].lat).toBeLessThan(Math.max(...lats));
  });

  it.each(['divisions', 'islands', 'grids'])('stores the %s shapes tiles draw within one z16 tile unit of the registry\'s', async (table) => {
    const { rows } = await service.db.knex.raw(
      `SELECT max(ST_HausdorffDistance(ST_Transform(geom, 3857), tile_geom)) AS off, sum(ST_NPoints(geom)) AS stored, sum(ST_NPoints(tile_geom)) AS drawn
       FROM ${table} WHERE geom IS NOT NULL`,
    );
    expect(rows[0].off).toBeLessThanOrEqual(simplifyTolerance(16));
    expect(Number(rows[0].drawn)).toBeLessThanOrEqual(Number(rows[0].stored));
  });

  it('draws divisions with their level, villages only from z9', async () => {
    const levels = async (z: number) => new Set((await codesIn('divisions', tileOf(122.3, 29.95, z))).map((p) => p.level));
    expect(await levels(12)).toEqual(new Set(['city', 'county', 'township', 'village']));
    expect(await levels(8)).toEqual(new Set(['city', 'county', 'township']));
  });

  const householdsInside = async (tile: TileAddress) => {
    const { rows } = await service.db.knex.raw(
      'SELECT coalesce(sum(households), 0) AS n FROM household_counts WHERE ST_Within(ST_Transform(geom, 3857), ST_TileEnvelope(?, ?, ?))',
      [tile.z, tile.x, tile.y],
    );
    return Number(rows[0].n);
  };
  const householdsDrawn = async (tile: TileAddress) => (await codesIn('households', tile)).reduce((sum, p) => sum + Number(p.households), 0);

  // z11 reads the stored cell sums, z14 sums the points per request.
  it.each([11, 14])('sums households into cells: a z%i tile holds exactly the households of the points inside it', async (z) => {
    const tile = tileOf(122.3, 29.95, z);
    const cells = await codesIn('households', tile);
    expect(cells.length).toBeGreaterThan(1);
    expect(cells.length).toBeLessThanOrEqual(256);
    expect(await householdsDrawn(tile)).toBe(await householdsInside(tile));
  });

  it('keeps the stored household sums in step when counts are added, changed and removed', async () => {
    const tile = tileOf(122.3, 29.95, 10);
    const [{ village_code: village }] = await service.db.knex('household_counts').select('village_code').whereRaw(
      'ST_Within(ST_Transform(geom, 3857), ST_TileEnvelope(?, ?, ?))',
      [tile.z, tile.x, tile.y],
    ).limit(1);
    await service.db.knex('household_counts').where({ village_code: village }).update({ households: service.db.knex.raw('households + 7') });
    await service.db.knex('household_counts').insert({ village_code: village, households: 11, geom: service.db.knex.raw('ST_SetSRID(ST_MakePoint(122.301, 29.951), 4326)') });
    invalidateTiles({ layers: ['households'] });
    const afterAdding = await householdsDrawn(tile);
    expect(afterAdding).toBe(await householdsInside(tile));
    await service.db.knex('household_counts').where({ village_code: village }).del();
    invalidateTiles({ layers: ['households'] });
    const afterRemoving = await householdsDrawn(tile);
    expect(afterRemoving).toBe(await householdsInside(tile));
    expect(afterRemoving).toBeLessThan(afterAdding);
  });

  it('gzips when asked, with an ETag that answers 304, and cache headers', async () => {
    const plain = await get(tilePath('islands', SHENJIAMEN));
    expect(plain.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    expect(plain.headers['cache-control']).toMatch(/max-age=\d+/);
    const zipped = await get(tilePath('islands', SHENJIAMEN), { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.rawPayload).equals(plain.rawPayload)).toBe(true);
    expect(plain.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(zipped.headers.etag).toMatch(/^W\/"[\w-]+"$/);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    expect((await get(tilePath('islands', SHENJIAMEN), { 'if-none-match': String(plain.headers.etag) })).statusCode).toBe(304);
  });

  it('answers 304 to either variant\'s tag, with or without W/, and to *', async () => {
    const path = tilePath('islands', SHENJIAMEN);
    const plainTag = String((await get(path)).headers.etag);
    const gzipTag = String((await get(path, { 'accept-encoding': 'gzip' })).headers.etag);
    const strong = (tag: string) => tag.replace(/^W\//, '');
    for (const ifNoneMatch of [plainTag, gzipTag, strong(plainTag), strong(gzipTag), '*', `"other", ${gzipTag}`]) {
      for (const encoding of [{}, { 'accept-encoding': 'gzip' }] as Record<string, string>[]) {
        const res = await get(path, { 'if-none-match': ifNoneMatch, ...encoding });
        expect(res.statusCode, `${ifNoneMatch} ${JSON.stringify(encoding)}`).toBe(304);
        expect(res.headers.etag).toBe('accept-encoding' in encoding ? gzipTag : plainTag);
      }
    }
    expect((await get(path, { 'if-none-match': '"other"' })).statusCode).toBe(200);
  });

  it('answers an empty tile with 204', async () => {
    const res = await get(tilePath('grids', tileOf(-150, 20, 12)));
    expect(res.statusCode).toBe(204);
    expect(res.rawPayload.length).toBe(0);
  });

  it('keeps tiles in the cache until invalidateTiles() drops them', async () => {
    const first = await get(tilePath('grids', SHENJIAMEN));
    const code = decode(first.rawPayload).layers.grids.feature(0).properties.code;
    await service.db.knex('grids').where({ code }).whereNull('valid_to').update({ name: '改名网格' });
    const cached = await get(tilePath('grids', SHENJIAMEN));
    expect(cached.headers.etag).toBe(first.headers.etag);
    expect(invalidateTiles({ layers: ['grids'], bbox: tileBoundsLonLat(SHENJIAMEN) })).toBeGreaterThan(0);
    const fresh = await get(tilePath('grids', SHENJIAMEN));
    expect(fresh.headers.etag).not.toBe(first.headers.etag);
    const layer = decode(fresh.rawPayload).layers.grids;
    const names = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties);
    expect(names.find((p) => p.code === code)?.name).toBe('改名网格');
  });

  it('drops grid tiles when a filing lands', async () => {
    const first = await get(tilePath('grids', SHENJIAMEN));
    const code = decode(first.rawPayload).layers.grids.feature(0).properties.code;
    await service.db.knex('grids').where({ code }).whereNull('valid_to').update({ households: 433 });
    announceFilingLanded({ number: 'TEST-1', townshipCode: String(code).slice(0, 9) + '000' });
    const layer = decode((await get(tilePath('grids', SHENJIAMEN))).rawPayload).layers.grids;
    const drawn = Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties);
    expect(drawn.find((p) => p.code === code)?.households).toBe(433);
  });

  it('does not cache a tile whose render read the partition before a filing landed', async () => {
    const tile = tileOf(122.31, 29.94, 13);
    invalidateTiles({ layers: ['grids'] });
    // The filing lands while the render's query is on its way: that render is served but must not be kept.
    const landDuringRender = (query: { sql: string }) => {
      if (!query.sql.includes('tile_geom')) return;
      service.db.knex.off('query', landDuringRender);
      announceFilingLanded({ number: 'TEST-RACE', townshipCode: '330903001000' });
    };
    service.db.knex.on('query', landDuringRender);
    const [first] = await codesIn('grids', tile);
    expect(first).toBeDefined();
    await service.db.knex('grids').where({ code: first.code }).whereNull('valid_to').update({ name: '归档后改名' });
    expect((await codesIn('grids', tile)).find((p) => p.code === first.code)?.name).toBe('归档后改名');
  });

  it('publishes TileJSON 3.0.0 per layer', async () => {
    const res = await get('/tiles/grids.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc).toMatchObject({ tilejson: '3.0.0', scheme: 'xyz', minzoom: 0, maxzoom: 16 });
    expect(doc.tiles[0]).toMatch(/\/tiles\/grids\/\{z\}\/\{x\}\/\{y\}\.mvt$/);
    expect(doc.vector_layers[0]).toMatchObject({ id: 'grids', fields: { code: 'String', households: 'Number' } });
    const [w, s, e, n] = doc.bounds;
    expect(w).toBeLessThan(122.3);
    expect(e).toBeGreaterThan(122.3);
    expect(s).toBeLessThan(29.95);
    expect(n).toBeGreaterThan(29.95);
    expect((await get('/tiles')).json().layers.map((l: { name: string }) => l.name)).toContain('households');
    expect((await get('/tiles/nothing.json')).statusCode).toBe(404);
  });

  it.each([
    ['/tiles/grids/23/0/0.mvt', 'z'],
    ['/tiles/grids/2/4/0.mvt', 'x'],
    ['/tiles/grids/2/0/4.mvt', 'y'],
    ['/tiles/grids/12/1/abc.mvt', 'y'],
  ])('rejects %s with 400 naming %s', async (url, parameter) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(parameter);
  });

  it('answers an unknown layer with 404', async () => {
    const res = await get('/tiles/roads/12/3439/1690.mvt');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
