// Two service instances on one PostgreSQL database: a filing through A reaches B's in-memory lookup index
// through LISTEN/NOTIFY within a second, and a filing or footprint NOTIFY alone drops B's cached tiles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as turf from '@turf/turf';
import pino from 'pino';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { loadConfig } from '../../server/config/env.ts';
import { startService, type Service } from '../../server/start.ts';
import { BACKENDS, createScratchDatabase } from '../support/service.ts';
import { saveFormationFootprints } from '../../server/db/repositories/vessels.ts';
import { bufferedHull } from '../../server/domain/maritime/footprint.ts';
import { tileOf } from '../../server/domain/tiles/tile-math.ts';
import { FILING_CHANNEL } from '../../server/lookup/lookup-service.ts';
import { FOOTPRINT_CHANNEL } from '../../server/events/footprints.ts';

const TOWNSHIP = '330903001000';
type PlanGrid = Feature<Polygon | MultiPolygon, { code: string | null; divisionCode: string }> & { id: string };

describe.runIf(BACKENDS.includes('postgresql'))('lookup replicas on postgresql', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let a: Service;
  let b: Service;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const log = pino({ level: 'silent' });
    a = await startService(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: scratch.url }), log, { inMemory: true });
    b = await startService(loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: scratch.url, SEED_DEMO: 'false' }), log, { inMemory: true });
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await scratch?.drop();
  });

  it('answers a grid filed through instance A on instance B within a second', async () => {
    const call = (method: 'GET' | 'POST', url: string, key: string, payload?: object, etag?: string) =>
      a.app.inject({ method, url, payload, headers: { authorization: `Bearer ${key}`, ...(etag ? { 'if-match': etag } : {}) } });
    const created = await call('POST', '/v1/plans', 'demo-planner', { townshipCode: TOWNSHIP, trigger: 'scale_change', start: 'filed' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    let etag = created.headers.etag as string;

    // Two grids of one village that share an edge.
    const grids = (await call('GET', `/v1/plans/${id}/grids`, 'demo-planner')).json().features as PlanGrid[];
    const land = grids.filter((g) => g.properties.code && g.properties.code.length === 15);
    let pair: [PlanGrid, PlanGrid] | null = null;
    for (const g of land) {
      const h = land.find((o) => o !== g && o.properties.divisionCode === g.properties.divisionCode && turf.booleanIntersects(o, g));
      if (h) {
        pair = [g, h];
        break;
      }
    }
    expect(pair).not.toBeNull();
    const [first, second] = pair!;
    const probe = turf.pointOnFeature(first).geometry.coordinates;
    const before = (await b.app.inject({ method: 'GET', url: `/v1/lookup?lon=${probe[0]}&lat=${probe[1]}` })).json();
    expect(before.grid.code).toBe(first.properties.code);

    const merged = await call('POST', `/v1/plans/${id}/merge`, 'demo-planner', { gridIds: [first.id, second.id], name: '合并测试网格' }, etag);
    expect(merged.statusCode, merged.body).toBe(200);
    etag = merged.headers.etag as string;
    let submitted = await call('POST', `/v1/plans/${id}/submit`, 'demo-planner', {}, etag);
    if (submitted.statusCode === 422) {
      const warnings = (submitted.json().errors as Array<{ pointer: string }>)
        .map((e) => /^\/justifications\/(.+)$/.exec(e.pointer)?.[1])
        .filter((rule): rule is string => rule !== undefined);
      const justifications = Object.fromEntries(warnings.map((rule) => [rule, '测试：合并后再行调整']));
      submitted = await call('POST', `/v1/plans/${id}/submit`, 'demo-planner', { justifications }, etag);
    }
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await call('POST', `/v1/plans/${id}/approve`, 'demo-reviewer', {}, submitted.headers.etag as string);
    expect(approved.statusCode, approved.body).toBe(200);
    const filed = await call('POST', `/v1/plans/${id}/file`, 'demo-registrar', {}, approved.headers.etag as string);
    expect(filed.statusCode, filed.body).toBe(200);
    const filedAt = Date.now();

    let code = before.grid.code as string;
    while (Date.now() - filedAt < 1_000 && code === before.grid.code) {
      code = (await b.app.inject({ method: 'GET', url: `/v1/lookup?lon=${probe[0]}&lat=${probe[1]}` })).json().grid.code;
      if (code === before.grid.code) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(code).not.toBe(before.grid.code);
    const registry = (await b.app.inject({ method: 'GET', url: `/v1/grids/${code}` })).json();
    expect(registry.properties.name).toBe('合并测试网格');
    const inSecond = turf.pointOnFeature(second).geometry.coordinates;
    expect((await b.app.inject({ method: 'GET', url: `/v1/lookup?lon=${inSecond[0]}&lat=${inSecond[1]}` })).json().grid.code).toBe(code);
  }, 60_000);

  it('moves a formation footprint that positions sent to A derive on B within a second (NOTIFY wangge_footprint)', async () => {
    const formationCode = (await a.app.inject({ method: 'GET', url: '/v1/vessels/412000101' })).json().formationCode as string;
    expect(formationCode).toMatch(/^\d{15}$/);
    // Open sea east of 朱家尖, well away from the demo formation's filed footprint.
    const [lon, lat] = [122.705, 29.9];
    const seaGridsOnB = async (at = [lon, lat]) =>
      ((await b.app.inject({ method: 'GET', url: `/v1/lookup?lon=${at[0]}&lat=${at[1]}` })).json().seaGrids as Array<{ code: string }>).map((g) => g.code);
    const within = async (at: number[], ms: number) => {
      const started = Date.now();
      let codes = await seaGridsOnB(at);
      while (!codes.includes(formationCode) && Date.now() - started < ms) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        codes = await seaGridsOnB(at);
      }
      return codes;
    };
    expect(await seaGridsOnB()).not.toContain(formationCode);
    const time = new Date(Date.now() - 30_000).toISOString();
    const reports = [
      { mmsi: '412000101', time, lon: 122.7, lat: 29.9 },
      { mmsi: '412000102', time, lon: 122.71, lat: 29.905 },
      { mmsi: '412000103', time, lon: 122.705, lat: 29.895 },
    ];
    const ingested = await a.app.inject({ method: 'POST', url: '/v1/positions', payload: reports, headers: { authorization: 'Bearer demo-ais' } });
    expect(ingested.json()).toMatchObject({ stored: 3, footprintsUpdated: [formationCode] });
    expect(await within([lon, lat], 1_000)).toContain(formationCode);

    // Both instances share this process's in-process events; a footprint written with only the NOTIFY (as another
    // machine's ingest would arrive) shows that B follows the channel itself.
    const elsewhere: [number, number] = [122.8, 29.9];
    await a.db.knex.transaction((trx) => saveFormationFootprints(trx, [{ code: formationCode, geometry: bufferedHull([elsewhere], 1852)! }], new Date(), 'replica-test'));
    expect(await within(elsewhere, 1_000)).toContain(formationCode);
    expect(await seaGridsOnB()).not.toContain(formationCode);
  }, 60_000);

  it.each([
    ['grids', FILING_CHANNEL, { number: 'REPLICA-TILES-1', townshipCode: TOWNSHIP }, `kind <> 'maritime'`],
    ['sea-grids', FOOTPRINT_CHANNEL, { batch: 'replica-tiles-1' }, `kind = 'maritime'`],
  ] as const)('drops the %s tiles cached on B when only a NOTIFY on %s arrives', async (layer, channel, payload, kind) => {
    // A grid in force and the z12 tile over it, drawn and cached by B.
    const grid = await a.db.knex('grids').whereNull('valid_to').whereNull('parent_code').whereRaw(kind).where('code', 'like', `${TOWNSHIP.slice(0, 9)}%`).orderBy('code').first();
    expect(grid).toBeDefined();
    const [lon, lat] = (await a.db.knex.raw('SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM grids WHERE id = ?) q', [grid.id])).rows
      .map((r: { lon: number; lat: number }) => [Number(r.lon), Number(r.lat)])[0];
    const { z, x, y } = tileOf(lon, lat, 12);
    const nameOnB = async () => {
      const res = await b.app.inject({ method: 'GET', url: `/tiles/${layer}/${z}/${x}/${y}.mvt` });
      expect(res.statusCode).toBe(200);
      const decoded = new VectorTile(new PbfReader(res.rawPayload)).layers[layer];
      return Array.from({ length: decoded.length }, (_, i) => decoded.feature(i).properties).find((p) => p.code === grid.code)?.name;
    };
    expect(await nameOnB()).toBe(grid.name);
    const renamed = `${grid.name}（副本通知）`;
    await a.db.knex('grids').where({ id: grid.id }).update({ name: renamed });
    expect(await nameOnB()).toBe(grid.name);

    // Only the NOTIFY, as another machine's filing or ingest would send it: no in-process event.
    await a.db.knex.raw('SELECT pg_notify(?, ?)', [channel, JSON.stringify(payload)]);
    const started = Date.now();
    let name = await nameOnB();
    while (name !== renamed && Date.now() - started < 1_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      name = await nameOnB();
    }
    expect(name).toBe(renamed);
  }, 30_000);
});
