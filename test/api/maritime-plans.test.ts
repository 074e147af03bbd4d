// Sea grids through the plan workflow on both backends: the maritime authority drafts a sea plan of 沈家门街道 from
// the filed sea grids, splits an aquaculture zone, the county approves and the city files; the halves get codes
// from the maritime range and the township's land grids stay as they were. A sea plan is judged without the land
// partition's island rule and holds sea grids only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon } from 'geojson';
import { bbox } from '@turf/turf';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

const TOWNSHIP = '330903001000';
const KEYS = { maritime: 'demo-maritime', reviewer: 'demo-reviewer', registrar: 'demo-registrar', planner: 'demo-planner' } as const;

describe.each(BACKENDS)('sea plans on %s', (backend) => {
  let service: TestService;
  const call = (method: 'GET' | 'POST', url: string, who?: keyof typeof KEYS, payload?: unknown, etag?: string) =>
    callAs(service, method, url, who && KEYS[who], payload, etag);
  const codes = async (kind: string) =>
    (await call('GET', `/v1/grids?division=${TOWNSHIP}&kind=${kind}&limit=10000`)).json().features.map((f: { properties: { code: string } }) => f.properties.code).sort();

  beforeAll(async () => {
    service = await startTestService(backend);
  });
  afterAll(async () => {
    await service?.close();
  });

  it('drafts, splits, approves and files sea grids without touching the land grids', async () => {
    const landBefore = await codes('comprehensive');
    const seaBefore = await codes('maritime');
    expect(landBefore.length).toBeGreaterThan(100);
    expect(seaBefore.length).toBeGreaterThan(0);

    const created = await call('POST', '/v1/plans', 'maritime', { townshipCode: TOWNSHIP, scope: 'maritime', trigger: 'other', triggerNote: '养殖海域调整', start: 'filed' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    let etag = created.headers.etag as string;
    // Without land grids a land report would find every inhabited island uncovered; a sea plan is not about that.
    const ruleIds = created.json().report.findings.map((f: { ruleId: string }) => f.ruleId);
    expect(ruleIds).not.toContain('islands.uncovered');
    expect(created.json().report.counts.error, created.body).toBe(0);

    const grids = (await call('GET', `/v1/plans/${id}/grids`, 'maritime')).json().features as Array<{ id: string; properties: { subkind: string; code: string }; geometry: Polygon | MultiPolygon }>;
    expect(grids.every((g) => g.properties.code.length === 15)).toBe(true);
    const zone = grids.find((g) => g.properties.subkind === 'aquaculture');
    expect(zone).toBeDefined();
    const [w, s, e, n] = bbox(zone!.geometry);
    const middle = (w + e) / 2;
    const split = await call('POST', `/v1/plans/${id}/split`, 'maritime', { gridId: zone!.id, line: { type: 'LineString', coordinates: [[middle, s - 0.01], [middle, n + 0.01]] } }, etag);
    expect(split.statusCode, split.body).toBe(200);
    etag = split.headers.etag as string;

    const warnings = [...new Set(split.json().report.findings.filter((f: { severity: string }) => f.severity === 'warning').map((f: { ruleId: string }) => f.ruleId))] as string[];
    const submitted = await call('POST', `/v1/plans/${id}/submit`, 'maritime', { justifications: Object.fromEntries(warnings.map((r) => [r, '海域调整，已核实'])) }, etag);
    expect(submitted.statusCode, submitted.body).toBe(200);
    etag = submitted.headers.etag as string;
    const approved = await call('POST', `/v1/plans/${id}/approve`, 'reviewer', {}, etag);
    expect(approved.statusCode, approved.body).toBe(200);
    const filed = await call('POST', `/v1/plans/${id}/file`, 'registrar', {}, approved.headers.etag as string);
    expect(filed.statusCode, filed.body).toBe(200);

    const { allocated, retired } = filed.json().filing.codes as { allocated: string[]; retired: string[] };
    // A split retires the zone's code and gives both halves new codes from the maritime range (800–999).
    expect(retired).toEqual([zone!.properties.code]);
    expect(allocated).toHaveLength(2);
    for (const code of allocated) expect(Number(code.slice(-3))).toBeGreaterThanOrEqual(800);
    expect(await codes('maritime')).toEqual([...seaBefore.filter((c: string) => c !== zone!.properties.code), ...allocated].sort());
    const history = (await call('GET', `/v1/grids/${zone!.properties.code}/history`)).json();
    expect(history.lineage.map((l: { to: string; relation: string }) => [l.to, l.relation]).sort()).toEqual(allocated.map((c) => [c, 'split']).sort());
    expect(await codes('comprehensive')).toEqual(landBefore);
    expect((await call('GET', '/v1/filings/verify')).json().ok).toBe(true);
  });

  it('keeps land grids out of a sea plan and sea grids out of a land plan', async () => {
    const sea = await call('POST', '/v1/plans', 'maritime', { townshipCode: TOWNSHIP, scope: 'maritime', trigger: 'other', triggerNote: '测试', start: 'empty' });
    const land = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIP, trigger: 'other', triggerNote: '测试', start: 'empty' });
    const square: Polygon = { type: 'Polygon', coordinates: [[[122.32, 29.9], [122.33, 29.9], [122.33, 29.91], [122.32, 29.91], [122.32, 29.9]]] };
    const grid = (kind: string, subkind: string) => ({ type: 'Feature', properties: { name: '测试', kind, subkind, divisionCode: TOWNSHIP }, geometry: square });

    const intoSea = await call('POST', `/v1/plans/${sea.json().id}/grids`, 'maritime', grid('comprehensive', 'community'), sea.headers.etag as string);
    expect(intoSea.statusCode).toBe(400);
    expect(intoSea.json().type).toMatch(/wrong-scope$/);
    expect(intoSea.json().errors[0].pointer).toBe('/properties/kind');
    const intoLand = await call('POST', `/v1/plans/${land.json().id}/grids`, 'planner', grid('maritime', 'aquaculture'), land.headers.etag as string);
    expect(intoLand.statusCode).toBe(400);
    expect(intoLand.json().detail).toMatch(/land plan/);
    expect((await call('GET', `/v1/plans/${sea.json().id}`, 'maritime')).json().version).toBe(1);
  });

  it('validates a sea partition without the island rule when asked for scope maritime', async () => {
    const features = { type: 'FeatureCollection', features: [] };
    const land = (await call('POST', '/v1/validate', undefined, { divisionCode: TOWNSHIP, features })).json();
    const sea = (await call('POST', '/v1/validate', undefined, { divisionCode: TOWNSHIP, scope: 'maritime', features })).json();
    expect(land.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('islands.uncovered');
    expect(sea.findings.map((f: { ruleId: string }) => f.ruleId)).not.toContain('islands.uncovered');
  });
});
