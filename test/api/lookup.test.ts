// Point-to-grid lookup through HTTP on both backends: answers inside and outside the 沈家门 demo partition, CRS
// input, every bad input, batch round trips (JSON, GeoJSON, CSV), the PostGIS engine, and the agreement of the
// in-memory engine with PostGIS (ST_Covers + smallest code) on random, vertex and edge-midpoint points.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { wgs84ToGcj02 } from '../../server/domain/crs/index.ts';
import { lookupGridInputs, lookupPointsSql } from '../../server/db/repositories/lookup.ts';
import pino from 'pino';
import { buildApp } from '../../server/app.ts';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';
import { mulberry32 } from '../../server/domain/random.ts';

const TOWNSHIP = '330903001000';
type GridFeature = Feature<Polygon | MultiPolygon, { code: string; divisionCode: string; parentCode: string | null; kind: string }>;

describe.each(BACKENDS)('lookup on %s', (backend) => {
  let service: TestService;
  let grids: GridFeature[];
  const get = (url: string) => service.app.inject({ method: 'GET', url });
  const post = (payload: unknown, contentType = 'application/json', query = '') =>
    service.app.inject({ method: 'POST', url: `/v1/lookup${query}`, headers: { 'content-type': contentType }, payload: payload as string });

  beforeAll(async () => {
    service = await startTestService(backend);
    const body = (await get(`/v1/grids?division=${TOWNSHIP}&micro=false&limit=10000`)).json();
    grids = body.features.filter((f: GridFeature) => f.properties.kind !== 'maritime');
    expect(grids.length).toBeGreaterThan(10);
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers points inside demo grids with their code and division chain', async () => {
    for (const grid of grids.slice(0, 12)) {
      const [lon, lat] = turf.pointOnFeature(grid).geometry.coordinates;
      const res = await get(`/v1/lookup?lon=${lon}&lat=${lat}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.grid.code).toBe(grid.properties.code);
      expect(body.point).toEqual({ lon, lat });
      expect(body.none).toBeUndefined();
      expect(body.divisions.map((d: { level: string }) => d.level)).toEqual(['village', 'township', 'county', 'city']);
      expect(body.divisions[0].code).toBe(grid.properties.divisionCode);
      expect(body.divisions[1].code).toBe(TOWNSHIP);
      expect(body.divisions[3].code).toBe('330900000000');
    }
  });

  it('answers a point outside every grid with none and the nearest grid', async () => {
    const body = (await get('/v1/lookup?lon=123.4&lat=29.2')).json();
    expect(body.grid).toBeNull();
    expect(body.divisions).toEqual([]);
    expect(body.none.nearest.code).toMatch(/^\d{15}$/);
    expect(body.none.nearest.distanceM).toBeGreaterThan(10_000);
  });

  it('converts GCJ-02 input to WGS84 before looking up', async () => {
    const grid = grids[3];
    const [lon, lat] = turf.pointOnFeature(grid).geometry.coordinates;
    const [glon, glat] = wgs84ToGcj02(lon, lat);
    const body = (await get(`/v1/lookup?lon=${glon}&lat=${glat}&crs=gcj02`)).json();
    expect(body.grid.code).toBe(grid.properties.code);
    expect(body.point.lon).toBeCloseTo(lon, 6);
    expect(body.point.lat).toBeCloseTo(lat, 6);
    const shifted = (await get(`/v1/lookup?lon=${lon}&lat=${lat}&crs=gcj02`)).json();
    expect(turf.distance([lon, lat], [shifted.point.lon, shifted.point.lat], { units: 'meters' })).toBeGreaterThan(200);
  });

  it.each([
    ['lon=abc&lat=30', ['lon']],
    ['lat=30', ['lon']],
    ['lon=122.3&lat=', ['lat']],
    ['lon=190&lat=30', ['lon']],
    ['lon=122.3&lat=95', ['lat']],
    ['lon=122.3&lat=30&crs=mercator', ['crs']],
    ['lon=122.3&lat=30&at=2024-13-01', ['at']],
    ['lon=29.95&lat=122.3', ['lon', 'lat']],
  ])('rejects %s with 400 naming %s', async (query, pointers) => {
    const res = await get(`/v1/lookup?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toEqual(pointers);
    if (pointers.length === 2) expect(res.json().detail).toContain('looks swapped');
  });

  it('answers a JSON batch in order, reporting bad points by index', async () => {
    const inside = grids.slice(0, 3).map((g) => turf.pointOnFeature(g).geometry.coordinates);
    const res = await post([inside[0], { id: 'b', lon: inside[1][0], lat: inside[1][1] }, [123.4, 29.2], ['x', 30], { id: 7, lon: 29.95, lat: 122.3 }, inside[2]]);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.count).toBe(6);
    expect(body.results.map((r: { gridCode: string | null }) => r.gridCode)).toEqual([grids[0].properties.code, grids[1].properties.code, null, null, null, grids[2].properties.code]);
    expect(body.results[1]).toMatchObject({ id: 'b', villageCode: grids[1].properties.divisionCode });
    expect(body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(['/3', '/4']);
    expect(body.errors[1].message).toContain('swapped');
    expect(body.results[4]).toMatchObject({ id: 7, error: expect.stringContaining('swapped') });
  });

  it.each(['application/json', 'application/geo+json'])('answers a GeoJSON batch sent as %s with properties kept and the lookup added', async (contentType) => {
    const inside = turf.pointOnFeature(grids[5]).geometry.coordinates;
    const collection = turf.featureCollection<GeoJSON.Geometry>([
      turf.point(inside, { caseId: 'A-1' }),
      turf.point([123.4, 29.2], { caseId: 'A-2' }),
      turf.lineString([inside, [123.4, 29.2]], { caseId: 'A-3' }),
    ]);
    const res = await post(JSON.stringify(collection), contentType);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.type).toBe('FeatureCollection');
    expect(body.features.map((f: Feature) => f.properties)).toEqual([
      { caseId: 'A-1', gridCode: grids[5].properties.code, microGridCode: null, villageCode: grids[5].properties.divisionCode, seaGridCodes: [] },
      { caseId: 'A-2', gridCode: null, microGridCode: null, villageCode: null, seaGridCodes: [] },
      expect.objectContaining({ caseId: 'A-3', gridCode: null, lookupError: 'geometry is not a Point' }),
    ]);
    expect(body.errors).toEqual([{ pointer: '/features/2/geometry', message: 'geometry is not a Point' }]);
  });

  it('answers CSV with the code columns appended, malformed rows reported and the rest answered', async () => {
    const [lon, lat] = turf.pointOnFeature(grids[2]).geometry.coordinates;
    const csv = `id,lon,lat,note\nr1,${lon},${lat},first\nr2,abc,30,"bad, row"\nr3,"${lon}",${lat},quoted\nr4,123.4\n`;
    const res = await post(csv, 'text/csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trim().split('\n');
    expect(lines[0]).toBe('id,lon,lat,note,grid_code,micro_grid_code,village_code,sea_grid_codes,error');
    const { code, divisionCode } = grids[2].properties;
    expect(lines[1]).toBe(`r1,${lon},${lat},first,${code},,${divisionCode},,`);
    expect(lines[2]).toBe('r2,abc,30,"bad, row",,,,,row 2: lon is not a number');
    expect(lines[3]).toBe(`r3,"${lon}",${lat},quoted,${code},,${divisionCode},,`);
    expect(lines[4]).toBe('r4,123.4,,,,,row 4: lat is not a number');
    expect(lines).toHaveLength(5);
    const noHeader = await post(`${lon},${lat}\n`, 'text/csv');
    expect(noHeader.statusCode).toBe(400);
  });

  it('refuses a batch over 100,000 points with 413 and an unknown shape with 400', async () => {
    const points = Array.from({ length: 100_001 }, () => [122.3, 29.95]);
    const res = await post(JSON.stringify(points));
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const csv = 'id,lon,lat\n' + '1,122.3,29.95\n'.repeat(100_001);
    expect((await post(csv, 'text/csv')).statusCode).toBe(413);
    expect((await post({ points: [] })).statusCode).toBe(400);
    expect((await post([[122.3, 29.95]], 'application/json', '?crs=utm')).json().errors[0].pointer).toBe('crs');
  });

  it('says a vessel is unknown, and that a known vessel has no positions yet', async () => {
    const missing = await get('/v1/vessels/412000001/grid');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toContain('vessel not found');
    await service.db.knex('vessels').insert({ mmsi: '412123456', registered_name: '浙普渔64110', type: 'trawler', synthetic: true });
    for (const id of ['412123456', encodeURIComponent('浙普渔64110')]) {
      const res = await get(`/v1/vessels/${id}/grid`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ vessel: { mmsi: '412123456', registeredName: '浙普渔64110' }, position: null, formationGrid: null, seaGrids: [], note: 'no positions yet' });
    }
  });

  it('writes no access lines for single lookups at LOG_LEVEL=info, but does for batches and at debug', async () => {
    const requestsLogged = async (logLevel: 'info' | 'debug') => {
      const lines: Array<{ msg?: string; req?: { method: string; url: string } }> = [];
      const logger = pino({ level: logLevel }, { write: (line: string) => lines.push(JSON.parse(line)) });
      const app = await buildApp({ db: service.db, config: { ...service.config, logLevel }, logger });
      try {
        expect((await app.inject({ method: 'GET', url: '/v1/lookup?lon=122.3&lat=29.95' })).statusCode).toBe(200);
        expect((await app.inject({ method: 'POST', url: '/v1/lookup', payload: [[122.3, 29.95]] })).statusCode).toBe(200);
      } finally {
        await app.close();
      }
      return lines.filter((line) => line.msg === 'incoming request').map((line) => `${line.req?.method} ${line.req?.url}`);
    };
    expect(await requestsLogged('info')).toEqual(['POST /v1/lookup']);
    expect(await requestsLogged('debug')).toEqual(['GET /v1/lookup?lon=122.3&lat=29.95', 'POST /v1/lookup']);
  });

  it('agrees with PostGIS (ST_Covers, smallest code) on random, vertex and edge points', async () => {
    const inputs = await lookupGridInputs(service.db.knex);
    const township = inputs.filter((g) => g.divisionCode.startsWith('330903001'));
    const [w, s, e, n] = turf.bbox(turf.featureCollection(township.map((g) => turf.feature(g.geometry))));
    const random = mulberry32(7);
    const coords: number[] = [];
    for (let i = 0; i < 20_000; i++) coords.push(w + (e - w) * random(), s + (n - s) * random());
    const onBoundary: Position[] = [];
    for (const g of inputs) {
      const rings = g.geometry.type === 'Polygon' ? g.geometry.coordinates : g.geometry.coordinates.flat();
      for (const ring of rings) {
        for (let k = 0; k + 1 < ring.length; k++) {
          const [a, b] = [ring[k], ring[k + 1]];
          onBoundary.push(a, [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2], [a[0] + (b[0] - a[0]) / 3, a[1] + (b[1] - a[1]) / 3]);
        }
      }
    }
    expect(onBoundary.length).toBeGreaterThan(2_000);
    for (let j = 0; j < 2_000; j++) {
      const [x, y] = onBoundary[Math.floor((j * onBoundary.length) / 2_000)];
      coords.push(x, y);
    }

    const points: Position[] = [];
    for (let i = 0; i < coords.length; i += 2) points.push([coords[i], coords[i + 1]]);
    const memory = (await post(points)).json().results as Array<{ gridCode: string | null; microGridCode: string | null; seaGridCodes: string[] }>;
    const sql = await lookupPointsSql(service.db.knex, Float64Array.from(coords));
    expect(sql).toHaveLength(memory.length);
    let covered = 0;
    const mismatches: string[] = [];
    sql.forEach((answer, i) => {
      const want = [answer.grid?.code ?? null, answer.microGrid?.code ?? null, answer.seaGrids.map((g) => g.code).join(';')];
      const got = [memory[i].gridCode, memory[i].microGridCode, memory[i].seaGridCodes.join(';')];
      if (want.join('|') !== got.join('|')) mismatches.push(`${points[i]}: postgis ${want} memory ${got}`);
      if (want[0]) covered++;
    });
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(covered).toBeGreaterThan(2_000);
  }, 120_000);
});

describe.each(BACKENDS)('lookup with LOOKUP_ENGINE=postgis on %s', (backend) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(backend, { LOOKUP_ENGINE: 'postgis' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers the same endpoints from PostGIS', async () => {
    const grid = (await service.app.inject({ method: 'GET', url: `/v1/grids?division=${TOWNSHIP}&micro=false&kind=comprehensive&limit=1` })).json().features[0];
    const [lon, lat] = turf.pointOnFeature(grid).geometry.coordinates;
    const single = (await service.app.inject({ method: 'GET', url: `/v1/lookup?lon=${lon}&lat=${lat}` })).json();
    expect(single.grid.code).toBe(grid.properties.code);
    expect(single.divisions[0].code).toBe(grid.properties.divisionCode);
    const outside = (await service.app.inject({ method: 'GET', url: '/v1/lookup?lon=123.4&lat=29.2' })).json();
    expect(outside.none.nearest.code).toMatch(/^\d{15}$/);
    const batch = (await service.app.inject({ method: 'POST', url: '/v1/lookup', payload: [[lon, lat], [123.4, 29.2]] })).json();
    expect(batch.results.map((r: { gridCode: string | null }) => r.gridCode)).toEqual([grid.properties.code, null]);
    const past = (await service.app.inject({ method: 'GET', url: `/v1/lookup?lon=${lon}&lat=${lat}&at=2020-01-01` })).json();
    expect(past.grid).toBeNull();
  });
});
