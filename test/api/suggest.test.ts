// Grid suggestion through HTTP on both backends: jobs with progress, the quality report checked against the
// division itself, draft plans, determinism, and the bad inputs (sync problems and failed jobs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { area } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';

const VILLAGE = '330903001009'; // 墩头社区, 沈家门街道: ~1,300 households, a few grids
const EMPTIED_VILLAGE = '330903001216'; // its household counts are deleted below
const POLL_LIMIT_MS = 100_000;
// The first job starts the worker thread (and its TypeScript loader); on a busy 2-core machine a few jobs take tens of seconds.
const JOB_TEST_MS = 150_000;

interface Job {
  id: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  phase: string | null;
  percent: number;
  result?: {
    report: { grids: number; contiguity: number; shareInBand: number; unsatisfied: Array<{ unit: string; households: number; reason: string }>; households: { total: number } };
    features?: { type: 'FeatureCollection'; features: Array<Feature<Polygon | MultiPolygon, { households: number; divisionCode: string }>> };
    planId?: string;
  };
  error?: { type: string; status: number; detail?: string };
}

describe.each(BACKENDS)('suggest on %s', (backend) => {
  let service: TestService;

  const post = (body: unknown, key?: string) =>
    service.app.inject({ method: 'POST', url: '/v1/suggest', payload: body as object, headers: key ? { authorization: `Bearer ${key}` } : {} });
  const get = (url: string, key?: string) => service.app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} });

  async function finished(location: string): Promise<Job> {
    const deadline = Date.now() + POLL_LIMIT_MS;
    for (;;) {
      const job: Job = (await get(location)).json();
      if (job.status === 'succeeded' || job.status === 'failed') return job;
      if (Date.now() > deadline) throw new Error(`job ${location} still ${job.status} (${job.phase} ${job.percent}%) after ${POLL_LIMIT_MS} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function suggest(body: unknown, key?: string): Promise<Job> {
    const res = await post(body, key);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers.location).toBe(res.json().links.self);
    return finished(res.headers.location as string);
  }

  beforeAll(async () => {
    service = await startTestService(backend);
    await service.db.knex('household_counts').where({ village_code: EMPTIED_VILLAGE }).del();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('suggests contiguous grids that tile the village, reaching 100 %', async () => {
    const res = await post({ divisionCode: VILLAGE, seed: 7 });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'queued', links: { self: expect.stringMatching(/^\/v1\/jobs\/[0-9a-f-]{36}$/) } });
    const job = await finished(res.headers.location as string);
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    expect(job.percent).toBe(100);
    const { report, features } = job.result!;
    expect(report.contiguity).toBe(1);
    expect(report.shareInBand).toBeGreaterThan(0);
    expect(features!.features).toHaveLength(report.grids);
    expect(report.grids).toBeGreaterThan(1);

    const division = (await get(`/v1/divisions/${VILLAGE}`)).json();
    const stored = await service.db.knex('household_counts').where({ village_code: VILLAGE }).sum({ total: 'households' }).first();
    expect(features!.features.reduce((s, f) => s + f.properties.households, 0)).toBe(Number(stored!.total));
    // Tiling: the grids' areas add up to the division's (a gap or an overlap would show as a difference).
    const gridArea = features!.features.reduce((s, f) => s + area(f), 0);
    expect(Math.abs(gridArea - area(division))).toBeLessThan(5);
    for (const f of features!.features) expect(f.properties.divisionCode).toBe(VILLAGE);
  }, JOB_TEST_MS);

  it('gives identical features for the same seed', async () => {
    const [a, b] = [await suggest({ divisionCode: VILLAGE, seed: 3 }), await suggest({ divisionCode: VILLAGE, seed: 3 })];
    expect(a.status).toBe('succeeded');
    expect(b.result!.features).toEqual(a.result!.features);
  }, JOB_TEST_MS);

  it('creates a draft plan for the township that the planner can read', async () => {
    const job = await suggest({ divisionCode: VILLAGE, output: 'plan', seed: 7 }, 'demo-planner');
    expect(job.status, JSON.stringify(job.error)).toBe('succeeded');
    const planId = job.result!.planId!;
    expect(planId).toMatch(/^\d+$/);
    expect(job.result!.features).toBeUndefined();
    const plan = await get(`/v1/plans/${planId}`, 'demo-planner');
    expect(plan.statusCode).toBe(200);
    expect(plan.json()).toMatchObject({ status: 'draft', townshipCode: '330903001000' });
    const grids = (await get(`/v1/plans/${planId}/grids`, 'demo-planner')).json().features as Array<{ properties: { divisionCode: string; households: number } }>;
    const inVillage = grids.filter((g) => g.properties.divisionCode === VILLAGE);
    expect(inVillage).toHaveLength(job.result!.report.grids);
    expect(inVillage.reduce((s, g) => s + g.properties.households, 0)).toBe(job.result!.report.households.total);
    // The other villages keep their filed grids.
    expect(grids.length).toBeGreaterThan(inVillage.length);
  }, JOB_TEST_MS);

  it('refuses a plan without a key (401) or outside the planner scope (403)', async () => {
    expect((await post({ divisionCode: VILLAGE, output: 'plan' })).statusCode).toBe(401);
    expect((await post({ divisionCode: VILLAGE, output: 'plan' }, 'demo-planner-changguo')).statusCode).toBe(403);
  });

  it('reports an unsatisfiable band in report.unsatisfied, and the job still succeeds', async () => {
    const job = await suggest({ divisionCode: VILLAGE, band: { min: 300, max: 310, ideal: 305 } });
    expect(job.status).toBe('succeeded');
    expect(job.result!.report.unsatisfied.length).toBeGreaterThan(0);
    expect(job.result!.report.unsatisfied[0].reason).toMatch(/band|300/);
  }, JOB_TEST_MS);

  it('suggests from an uploaded CSV and an uploaded FeatureCollection alike', async () => {
    const division = (await get(`/v1/divisions/${VILLAGE}`)).json();
    const rows: Array<{ lon: number; lat: number; households: number }> = (
      await service.db.knex('household_counts').select(service.db.knex.raw('ST_X(geom) as lon, ST_Y(geom) as lat'), 'households').where({ village_code: VILLAGE }).orderBy('id')
    ).map((r: { lon: number; lat: number; households: number }) => ({ lon: Number(r.lon), lat: Number(r.lat), households: Number(r.households) }));
    const csv = 'lon,lat,households\n' + rows.map((r) => `${r.lon},${r.lat},${r.households}`).join('\n');
    const collection = { type: 'FeatureCollection', features: rows.map((r) => ({ type: 'Feature', properties: { households: r.households }, geometry: { type: 'Point', coordinates: [r.lon, r.lat] } })) };
    const fromCsv = await suggest({ divisionCode: VILLAGE, households: csv, seed: 2 });
    const fromGeoJson = await suggest({ divisionCode: VILLAGE, households: collection, seed: 2 });
    expect(fromCsv.status).toBe('succeeded');
    expect(fromCsv.result!.report.households.total).toBe(rows.reduce((s, r) => s + r.households, 0));
    expect(fromGeoJson.result!.features).toEqual(fromCsv.result!.features);
    expect(division.properties.code).toBe(VILLAGE);
  }, JOB_TEST_MS);

  it('answers an unknown division with 404 and a county with 400', async () => {
    expect((await post({ divisionCode: '330903001999' })).statusCode).toBe(404);
    const county = await post({ divisionCode: '330903000000' });
    expect(county.statusCode).toBe(400);
    expect(county.json().errors[0].pointer).toBe('/divisionCode');
    // The same body as application/geo+json is read, not refused with 415.
    const geoJson = (divisionCode: string) =>
      service.app.inject({ method: 'POST', url: '/v1/suggest', headers: { 'content-type': 'application/geo+json' }, payload: JSON.stringify({ divisionCode }) });
    expect((await geoJson('330903001999')).statusCode).toBe(404);
    expect((await geoJson('330903000000')).json().errors[0].pointer).toBe('/divisionCode');
  });

  it('answers a division without household data with 422 no-household-data before queuing', async () => {
    const res = await post({ divisionCode: EMPTIED_VILLAGE });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().type).toMatch(/no-household-data$/);
  });

  it('fails the job with a problem when the uploaded counts are all zero', async () => {
    const division = (await get(`/v1/divisions/${VILLAGE}`)).json();
    const [lon, lat] = division.geometry.coordinates[0][0][0];
    const job = await suggest({ divisionCode: VILLAGE, households: `${lon},${lat},0` });
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ status: 422, type: expect.stringMatching(/no-household-data$/) });
  }, JOB_TEST_MS);

  it.each([
    [{ divisionCode: VILLAGE, band: { min: 500, max: 300, ideal: 400 } }, '/band'],
    [{ divisionCode: VILLAGE, households: { type: 'FeatureCollection', features: [] } }, '/households/features'],
    [
      {
        divisionCode: VILLAGE,
        households: {
          type: 'FeatureCollection',
          features: [
            { type: 'Feature', properties: { households: 3 }, geometry: { type: 'Point', coordinates: [122.3, 29.95] } },
            { type: 'Feature', properties: { households: 3 }, geometry: { type: 'LineString', coordinates: [[122.3, 29.95], [122.31, 29.95]] } },
          ],
        },
      },
      '/households/features/1/geometry',
    ],
    [{ divisionCode: VILLAGE, households: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: { households: -2 }, geometry: { type: 'Point', coordinates: [122.3, 29.95] } }] } }, '/households/features/0/properties/households'],
    [{ divisionCode: VILLAGE, households: 'lon,lat,households\n122.3,29.95,4\n122.3,abc,4' }, '/households'],
    [{ divisionCode: VILLAGE, households: '\n' }, '/households'],
    [{ divisionCode: VILLAGE, level: 'micro', output: 'plan' }, '/output'],
  ])('rejects bad input %# with 400 naming %s', async (body, pointer) => {
    const res = await post(body, 'demo-planner');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it('answers an unknown job with 404', async () => {
    expect((await get('/v1/jobs/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});
