// POST /v1/validate through HTTP on both backends: a proposed partition of a division comes back as a rule report
// (gap, overlap, swapped lon/lat, bow-tie, uncovered island…), malformed input as problem+json naming the feature
// index and JSON pointer, and nothing is ever written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';

// A fixture township at sea east of Zhoushan (no islands there), one village.
const TOWNSHIP = '330903996000';
const VILLAGE = '330903996001';
const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const W = 122.9, M = 122.91, E = 122.92, S = 30.3, N = 30.31;

const grid = (geometry: unknown, properties: Record<string, unknown> = {}) => ({
  type: 'Feature',
  properties: {
    name: '测试网格',
    kind: 'comprehensive',
    divisionCode: VILLAGE,
    households: 400,
    staff: [{ role: 'leader', name: '组长', phone: '17000000001' }, { role: 'full_time', name: '网格员', phone: '17000000002' }],
    ...properties,
  },
  geometry,
});
const request = (features: unknown[], extra: Record<string, unknown> = {}) => ({
  divisionCode: TOWNSHIP,
  features: { type: 'FeatureCollection', features },
  ...extra,
});

describe.each(BACKENDS)('POST /v1/validate on %s', (backend) => {
  let service: TestService;
  const validate = (payload: unknown) => service.app.inject({ method: 'POST', url: '/v1/validate', payload: payload as object });
  const ruleIds = (body: { findings: Array<{ ruleId: string }> }) => body.findings.map((f) => f.ruleId);
  const tableCounts = async () => {
    const counts: Record<string, number> = {};
    for (const table of ['grids', 'grid_codes', 'plans', 'plan_grids', 'filings']) counts[table] = Number((await service.db.knex(table).count({ n: '*' }))[0].n);
    return counts;
  };
  let before: Record<string, number>;

  beforeAll(async () => {
    service = await startTestService(backend);
    await service.db.knex.raw(
      `INSERT INTO divisions (code, name, level, parent_code, synthetic, geom) VALUES
       (?, '校验街道', 'township', '330903000000', true, ST_Multi(ST_GeomFromGeoJSON(?))),
       (?, '校验村', 'village', ?, true, ST_Multi(ST_GeomFromGeoJSON(?)))`,
      [TOWNSHIP, JSON.stringify(box(W, S, E, N)), VILLAGE, TOWNSHIP, JSON.stringify(box(W, S, E, N))],
    );
    before = await tableCounts();
  });
  afterAll(async () => {
    expect(await tableCounts()).toEqual(before);
    await service?.close();
  });

  it('passes an exact tiling and reports a band warning with the grid it concerns', async () => {
    const res = await validate(request([grid(box(W, S, M, N)), grid(box(M, S, E, N), { households: 120 })]));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts).toEqual({ error: 0, warning: 1 });
    expect(res.json().findings[0]).toMatchObject({ ruleId: 'size.households', severity: 'warning', codes: [1] });
    expect(res.json().findings[0].message.zh).toBeTruthy();
  });

  it('takes the partition as application/geo+json, as GDAL and QGIS send GeoJSON', async () => {
    const body = JSON.stringify(request([grid(box(W, S, M, N)), grid(box(M, S, E, N), { households: 120 })]));
    const res = await service.app.inject({ method: 'POST', url: '/v1/validate', headers: { 'content-type': 'application/geo+json' }, payload: body });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts).toEqual({ error: 0, warning: 1 });
    const broken = await service.app.inject({ method: 'POST', url: '/v1/validate', headers: { 'content-type': 'application/geo+json' }, payload: '{"divisionCode": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('finds a 2 m² gap and a sliver overlap, each with its polygon', async () => {
    // 0.00002° of longitude at 30.3° N is about 1.9 m; over 0.01° of latitude (1,110 m) that is ~2,100 m².
    const gap = await validate(request([grid(box(W, S, M, N)), grid(box(M + 0.00002, S, E, N))]));
    expect(ruleIds(gap.json())).toContain('topology.gap');
    expect(gap.json().findings.find((f: { ruleId: string }) => f.ruleId === 'topology.gap').geometry.type).toMatch(/Polygon/);
    // A gap of about 2 m² in one corner (1.4 m × 1.4 m): still above the default tolerance of 1 m².
    const d = 0.0000128;
    const notch: Polygon = { type: 'Polygon', coordinates: [[[M, S], [E, S], [E, N], [M, N], [M, S + d], [M + d, S + d], [M + d, S], [M, S]]] };
    const corner = await validate(request([grid(box(W, S, M, N)), grid(notch)]));
    const cornerGap = corner.json().findings.find((f: { ruleId: string }) => f.ruleId === 'topology.gap');
    expect(cornerGap, corner.body).toBeDefined();
    const overlap = await validate(request([grid(box(W, S, M + 0.00002, N)), grid(box(M, S, E, N))]));
    expect(ruleIds(overlap.json())).toContain('topology.overlap');
    expect(overlap.json().findings.find((f: { ruleId: string }) => f.ruleId === 'topology.overlap').codes).toEqual([0, 1]);
  });

  it('flags swapped lon/lat and a bow-tie, each with a repair or the crossing point', async () => {
    const res = await validate(
      request([
        grid({ type: 'Polygon', coordinates: [box(W, S, M, N).coordinates[0].map(([x, y]) => [y, x])] }),
        grid({ type: 'Polygon', coordinates: [[[M, S], [E, N], [E, S], [M, N], [M, S]]] }),
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    const byRule = (id: string) => res.json().findings.find((f: { ruleId: string }) => f.ruleId === id);
    expect(byRule('geometry.swapped')).toMatchObject({ severity: 'error', codes: [0] });
    expect(byRule('geometry.self_intersection')).toMatchObject({ severity: 'error', codes: [1] });
    expect(byRule('geometry.self_intersection').geometry.type).toMatch(/Point/);
  });

  it('reports the uncovered inhabited islands of a real township, each with its outline', async () => {
    // 沈家门街道 without any grid: every inhabited island in it is uncovered.
    const res = await validate({ divisionCode: '330903001000', features: { type: 'FeatureCollection', features: [] } });
    expect(res.statusCode, res.body).toBe(200);
    const islands = res.json().findings.filter((f: { ruleId: string }) => f.ruleId === 'islands.uncovered');
    expect(islands.length).toBeGreaterThan(0);
    for (const finding of islands) expect(finding.geometry.type).toMatch(/Polygon/);
  });

  it.each([
    ['a geometry that is not a polygon', grid({ type: 'LineString', coordinates: [[W, S], [E, N]] })],
    ['coordinates as strings', grid({ type: 'Polygon', coordinates: [[['122.9', S], [M, S], [M, N], [W, N], ['122.9', S]]] })],
    ['a latitude out of range', grid(box(W, 95, M, 96))],
    ['a ring of three positions', grid({ type: 'Polygon', coordinates: [[[W, S], [M, S], [W, S]]] })],
    ['households as text', grid(box(W, S, M, N), { households: 'many' })],
  ])('answers %s with 400 problem+json naming the feature', async (_what, feature) => {
    const pointer = '/features/features/0';
    const res = await validate(request([feature, grid(box(M, S, E, N))]));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().type).toMatch(/malformed-features$/);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer).some((p: string) => p.startsWith(pointer))).toBe(true);
    expect(res.json().detail).toBeTruthy();
  });

  it('refuses more vertices than the rule set allows', async () => {
    const ring: number[][] = [];
    for (let i = 0; i <= 20_001; i++) ring.push([W + ((M - W) * i) / 20_002, S]);
    ring.push([M, N], [W, N], [W, S]);
    const res = await validate(request([grid({ type: 'Polygon', coordinates: [ring] }), grid(box(M, S, E, N))]));
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ pointer: expect.stringMatching(/^\/features\/features\/0/), message: expect.stringMatching(/vertices/) });
  });

  it('names invalid GeoJSON, an unknown rule set and an unknown division', async () => {
    const notFeature = await validate(request([{ type: 'Feature', properties: {}, geometry: null }, { type: 'Point' }]));
    expect(notFeature.statusCode).toBe(400);
    expect(notFeature.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/features/features/1/type');

    const ruleSet = await validate(request([grid(box(W, S, E, N))], { ruleSet: 'atlantis' }));
    expect(ruleSet.statusCode).toBe(400);
    expect(ruleSet.json().errors[0].pointer).toBe('ruleSet');
    expect(ruleSet.json().detail).toMatch(/atlantis/);
    expect(ruleSet.json().detail).toMatch(/gansu/);

    const division = await validate({ ...request([grid(box(W, S, E, N))]), divisionCode: '330903995000' });
    expect(division.statusCode).toBe(404);
    expect(division.json().detail).toMatch(/330903995000/);
  });

  it('answers a collection over the feature limit with 413', async () => {
    const many = Array.from({ length: 5_001 }, () => grid(box(W, S, M, N)));
    const res = await validate(request(many));
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors[0].pointer).toBe('/features/features');
  });

  it('validates against the gansu rule set when asked', async () => {
    // gansu accepts a grid of about 1,000 people outside the household band.
    const res = await validate(request([grid(box(W, S, E, N), { households: 250, population: 1_000 })], { ruleSet: 'gansu' }));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().ruleSet).toBe('gansu');
    expect(ruleIds(res.json())).not.toContain('size.households');
    const zhoushan = await validate(request([grid(box(W, S, E, N), { households: 250, population: 1_000 })]));
    expect(ruleIds(zhoushan.json())).toContain('size.households');
  });
});
