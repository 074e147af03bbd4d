// The filing workflow end to end through HTTP on both backends: planner drafts → reviewer returns → planner fixes →
// reviewer approves → registrar files → history differs by date; plus If-Match, illegal transitions, roles,
// a tampered filing chain and a crash inside the filing transaction.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { createUserWithKey } from '../../server/db/repositories/users.ts';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

// A fixture township at sea east of Zhoushan (no islands there): two villages, each split into two grids.
const TOWNSHIP = '330903999000';
const VILLAGES = ['330903999001', '330903999002'];
const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const W = 122.9, M = 122.91, E = 122.92, S = 30.3, C = 30.31, N = 30.32;
const GRIDS = [
  { village: 0, geometry: box(W, S, M, C), households: 400 },
  { village: 0, geometry: box(W, C, M, N), households: 200 },
  { village: 1, geometry: box(M, S, E, C), households: 420 },
  { village: 1, geometry: box(M, C, E, N), households: 380 },
];

const staff = (n: number) => [
  { role: 'leader', name: `测试组长${n}`, phone: `1700000900${n}` },
  { role: 'full_time', name: `测试网格员${n}`, phone: `1700000800${n}` },
];
const gridFeature = (g: (typeof GRIDS)[number], i: number, households = g.households) => ({
  type: 'Feature',
  properties: {
    name: `测试网格${i + 1}`,
    kind: 'comprehensive',
    subkind: 'community',
    divisionCode: VILLAGES[g.village],
    households,
    population: households * 2,
    managingUnits: [{ name: '测试街道办事处', role: 'territorial' }],
    staff: staff(i),
  },
  geometry: g.geometry,
});

describe.each(BACKENDS)('plans and filing on %s', (backend) => {
  let service: TestService;
  const KEYS = { planner: 'test-planner', reviewer: 'demo-reviewer', registrar: 'demo-registrar', otherPlanner: 'demo-planner-changguo', client: 'demo-client' };
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who?: keyof typeof KEYS, payload?: unknown, etag?: string) =>
    callAs(service, method, url, who && KEYS[who], payload, etag);

  beforeAll(async () => {
    service = await startTestService(backend);
    const knex = service.db.knex;
    await knex.raw(
      `INSERT INTO divisions (code, name, level, parent_code, synthetic, geom) VALUES
       (?, '测试街道', 'township', '330903000000', true, ST_Multi(ST_GeomFromGeoJSON(?))),
       (?, '测试西村', 'village', ?, true, ST_Multi(ST_GeomFromGeoJSON(?))),
       (?, '测试东村', 'village', ?, true, ST_Multi(ST_GeomFromGeoJSON(?)))`,
      [TOWNSHIP, JSON.stringify(box(W, S, E, N)), VILLAGES[0], TOWNSHIP, JSON.stringify(box(W, S, M, N)), VILLAGES[1], TOWNSHIP, JSON.stringify(box(M, S, E, N))],
    );
    await createUserWithKey(knex, { name: '测试街道规划员', role: 'township_planner', scopePrefix: '330903999' }, KEYS.planner);
  });
  afterAll(async () => {
    await service?.close();
  });

  let planId: string;
  let etag: string;

  it('lets the planner draft a plan and add grids, each edit under If-Match and revalidated', async () => {
    const created = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIP, trigger: 'initial', description: '初次划分' });
    expect(created.statusCode).toBe(201);
    planId = created.json().id;
    etag = created.headers.etag as string;
    expect(etag).toBe(`"plan-${planId}-v1"`);
    const empty = await call('POST', `/v1/plans/${planId}/submit`, 'planner', {}, etag);
    expect(empty.statusCode).toBe(422);
    expect(empty.json().type).toMatch(/empty-plan$/);

    for (const [i, g] of GRIDS.entries()) {
      const res = await call('POST', `/v1/plans/${planId}/grids`, 'planner', gridFeature(g, i), etag);
      expect(res.statusCode).toBe(201);
      etag = res.headers.etag as string;
    }
    const plan = (await call('GET', `/v1/plans/${planId}`, 'planner')).json();
    expect(plan.version).toBe(5);
    expect(plan.report.counts.error).toBe(0);
    expect(plan.report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('size.households');
  });

  it('refuses an edit without If-Match (428) and a stale one (412), changing nothing', async () => {
    const missing = await call('POST', `/v1/plans/${planId}/grids`, 'planner', gridFeature(GRIDS[0], 9));
    expect(missing.statusCode).toBe(428);
    const stale = await call('POST', `/v1/plans/${planId}/grids`, 'planner', gridFeature(GRIDS[0], 9), `"plan-${planId}-v1"`);
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toMatch(/problem\+json/);
    const grids = (await call('GET', `/v1/plans/${planId}/grids`, 'planner')).json();
    expect(grids.features).toHaveLength(4);
  });

  it('keeps other townships, clients and the public out', async () => {
    expect((await call('GET', `/v1/plans/${planId}`, 'otherPlanner')).statusCode).toBe(403);
    expect((await call('POST', '/v1/plans', 'client', { townshipCode: TOWNSHIP, trigger: 'initial' })).statusCode).toBe(403);
    expect((await call('POST', '/v1/plans', 'otherPlanner', { townshipCode: TOWNSHIP, trigger: 'initial' })).statusCode).toBe(403);
    expect((await call('GET', '/v1/plans')).statusCode).toBe(401);
    const other = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIP, trigger: 'other' });
    expect(other.statusCode).toBe(400);
    expect(other.json().errors[0].pointer).toBe('triggerNote');
  });

  it('refuses illegal transitions with 409 and the allowed ones', async () => {
    const res = await call('POST', `/v1/plans/${planId}/file`, 'registrar', {}, etag);
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toContain('allowed: submit');
  });

  it('needs a justification for every warning before submission', async () => {
    const res = await call('POST', `/v1/plans/${planId}/submit`, 'planner', {}, etag);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/justifications/size.households');
    const ok = await call('POST', `/v1/plans/${planId}/submit`, 'planner', { justifications: { 'size.households': '新建小区尚未入住，户数将增长' } }, etag);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().plan.status).toBe('submitted');
    etag = ok.headers.etag as string;
  });

  it('lets the reviewer return the plan with comments; the planner cannot review their own plan', async () => {
    expect((await call('POST', `/v1/plans/${planId}/approve`, 'planner', {}, etag)).statusCode).toBe(403);
    expect((await call('POST', `/v1/plans/${planId}/return`, 'reviewer', {}, etag)).statusCode).toBe(400);
    const res = await call('POST', `/v1/plans/${planId}/return`, 'reviewer', { comments: [{ grid: '2', text: '第2网格户数偏少，请调整' }] }, etag);
    expect(res.statusCode).toBe(200);
    expect(res.json().plan.status).toBe('returned');
    expect(res.json().plan.comments[0]).toMatchObject({ text: '第2网格户数偏少，请调整', grid: '2' });
    etag = res.headers.etag as string;
  });

  it('lets the planner fix and resubmit, the reviewer approve and the registrar file', async () => {
    const grids = (await call('GET', `/v1/plans/${planId}/grids`, 'planner')).json().features;
    const small = grids.find((g: { properties: { households: number } }) => g.properties.households === 200);
    const fixed = await call('PUT', `/v1/plans/${planId}/grids/${small.id}`, 'planner', gridFeature(GRIDS[1], 1, 350), etag);
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().report.counts).toEqual({ error: 0, warning: 0 });
    etag = fixed.headers.etag as string;
    const submitted = await call('POST', `/v1/plans/${planId}/submit`, 'planner', {}, etag);
    expect(submitted.statusCode).toBe(200);
    etag = submitted.headers.etag as string;
    const approved = await call('POST', `/v1/plans/${planId}/approve`, 'reviewer', {}, etag);
    expect(approved.json().plan.status).toBe('approved');
    etag = approved.headers.etag as string;
    expect((await call('POST', `/v1/plans/${planId}/file`, 'reviewer', {}, etag)).statusCode).toBe(403);
    const filed = await call('POST', `/v1/plans/${planId}/file`, 'registrar', {}, etag);
    expect(filed.statusCode).toBe(200);
    expect(filed.json().plan.status).toBe('filed');
    const filing = filed.json().filing;
    expect(filing.number).toMatch(/^BA\d{4}-\d{5}$/);
    expect(filing.previousSha256).toMatch(/^[0-9a-f]{64}$/);
    // The receipt prints the chain head this filing made, as GET /v1/filings/head answers it now.
    expect(filing.head).toEqual({ number: filing.number, chainSeq: expect.any(Number), sha256: filing.snapshotSha256, filedAt: filing.filedAt });
    expect((await call('GET', '/v1/filings/head')).json()).toEqual(filing.head);
    etag = filed.headers.etag as string;

    const registry = (await call('GET', `/v1/grids?division=${TOWNSHIP}`)).json();
    expect(registry.features.map((f: { properties: { code: string } }) => f.properties.code).sort()).toEqual([
      '330903999001001',
      '330903999001002',
      '330903999002001',
      '330903999002002',
    ]);
    expect((await call('PUT', `/v1/plans/${planId}/grids/${small.id}`, 'planner', gridFeature(GRIDS[1], 1), etag)).statusCode).toBe(409);
  });

  it('files a merge as a new version of the partition: codes retired, lineage kept, past dates reproducible', async () => {
    const created = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIP, trigger: 'scale_change', start: 'filed' });
    const id = created.json().id;
    let tag = created.headers.etag as string;
    const grids = (await call('GET', `/v1/plans/${id}/grids`, 'planner')).json().features;
    const west = grids.filter((g: { properties: { divisionCode: string } }) => g.properties.divisionCode === VILLAGES[0]).map((g: { id: string }) => g.id);
    const merged = await call('POST', `/v1/plans/${id}/merge`, 'planner', { gridIds: west, name: '测试西村网格' }, tag);
    expect(merged.statusCode).toBe(200);
    tag = merged.headers.etag as string;
    const diff = (await call('GET', `/v1/plans/${id}/diff`, 'planner')).json();
    expect(diff.summary).toEqual({ added: 1, retired: 2, reshaped: 0, unchanged: 2 });
    for (const [who, transition, body] of [
      ['planner', 'submit', { justifications: { 'size.households': '合并后750户，待拆分' } }],
      ['reviewer', 'approve', {}],
      ['registrar', 'file', {}],
    ] as const) {
      const res = await call('POST', `/v1/plans/${id}/${transition}`, who, body, tag);
      expect(res.statusCode, `${transition}: ${res.body}`).toBe(200);
      tag = res.headers.etag as string;
    }
    const now = (await call('GET', `/v1/grids?division=${TOWNSHIP}`)).json().features.map((f: { properties: { code: string } }) => f.properties.code).sort();
    expect(now).toEqual(['330903999001003', '330903999002001', '330903999002002']);
    const yesterday = new Date(Date.now() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
    expect((await call('GET', `/v1/grids?division=${TOWNSHIP}&at=${yesterday}`)).json().features).toHaveLength(0);
    const history = (await call('GET', '/v1/grids/330903999001001/history')).json();
    expect(history.status).toBe('retired');
    expect(history.lineage).toEqual([expect.objectContaining({ from: '330903999001001', to: '330903999001003', relation: 'merge' })]);
    expect((await call('GET', '/v1/plans?township=' + TOWNSHIP, 'planner')).json().plans.map((p: { status: string }) => p.status)).toEqual(['filed', 'superseded']);
  });

  it('leaves the old partition whole when filing fails inside the transaction', async () => {
    const knex = service.db.knex;
    const created = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIP, trigger: 'other', triggerNote: '测试', start: 'filed' });
    const id = created.json().id;
    let tag = created.headers.etag as string;
    const grids = (await call('GET', `/v1/plans/${id}/grids`, 'planner')).json().features;
    const east = grids.filter((g: { properties: { divisionCode: string } }) => g.properties.divisionCode === VILLAGES[1]).map((g: { id: string }) => g.id);
    tag = (await call('POST', `/v1/plans/${id}/merge`, 'planner', { gridIds: east }, tag)).headers.etag as string;
    tag = (await call('POST', `/v1/plans/${id}/submit`, 'planner', { justifications: { 'size.households': '测试' } }, tag)).headers.etag as string;
    tag = (await call('POST', `/v1/plans/${id}/approve`, 'reviewer', {}, tag)).headers.etag as string;
    const before = (await call('GET', `/v1/grids?division=${TOWNSHIP}`)).json().features.map((f: { properties: { code: string; version: number } }) => `${f.properties.code}@${f.properties.version}`);
    const codesBefore = await knex('grid_codes').count({ n: '*' });

    await knex.raw(`CREATE FUNCTION fail_filing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated crash'; END $$`);
    await knex.raw('CREATE TRIGGER fail_filing BEFORE INSERT ON filings FOR EACH ROW EXECUTE FUNCTION fail_filing()');
    try {
      const res = await call('POST', `/v1/plans/${id}/file`, 'registrar', {}, tag);
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('simulated');
    } finally {
      await knex.raw('DROP TRIGGER fail_filing ON filings');
      await knex.raw('DROP FUNCTION fail_filing()');
    }
    const after = (await call('GET', `/v1/grids?division=${TOWNSHIP}`)).json().features.map((f: { properties: { code: string; version: number } }) => `${f.properties.code}@${f.properties.version}`);
    expect(after).toEqual(before);
    expect(await knex('grid_codes').count({ n: '*' })).toEqual(codesBefore);
    expect((await call('GET', `/v1/plans/${id}`, 'planner')).json().status).toBe('approved');
  });

  it('starts a plan from the demo partition of 沈家门街道 that passes every error rule', async () => {
    const res = await service.app.inject({
      method: 'POST',
      url: '/v1/plans',
      headers: { authorization: 'Bearer demo-planner' },
      payload: { townshipCode: '330903001000', trigger: 'population_movement', start: 'filed' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().report.counts.error).toBe(0);
    const grids = (await call('GET', `/v1/plans/${res.json().id}/grids`, 'reviewer')).json().features;
    expect(grids.length).toBeGreaterThan(100);
    // Writing a grid back as read (code set, parentCode null) keeps both as they were.
    const { planGridId: _id, status: _status, ...properties } = grids[0].properties;
    const put = await service.app.inject({
      method: 'PUT',
      url: `/v1/plans/${res.json().id}/grids/${grids[0].id}`,
      headers: { authorization: 'Bearer demo-planner', 'if-match': res.headers.etag as string },
      payload: { type: 'Feature', properties, geometry: grids[0].geometry },
    });
    expect(put.statusCode, put.body).toBe(200);
    const reread = await call('GET', `/v1/plans/${res.json().id}/grids`, 'reviewer');
    expect(reread.statusCode).toBe(200);
    const again = reread.json().features.find((f: { id: string }) => f.id === grids[0].id);
    expect(again.properties).toMatchObject({ code: grids[0].properties.code, parentCode: null });

    // households: null means "count the stored household points inside the grid", never zero.
    const counted = await service.app.inject({
      method: 'PUT',
      url: `/v1/plans/${res.json().id}/grids/${grids[0].id}`,
      headers: { authorization: 'Bearer demo-planner', 'if-match': put.headers.etag as string },
      payload: { type: 'Feature', properties: { ...properties, households: null }, geometry: grids[0].geometry },
    });
    expect(counted.statusCode, counted.body).toBe(200);
    const [{ n }] = (
      await service.db.knex.raw(`SELECT coalesce(sum(households), 0)::int AS n FROM household_counts WHERE ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), geom)`, [
        JSON.stringify(grids[0].geometry),
      ])
    ).rows;
    expect(n).toBeGreaterThan(0);
    const recounted = (await call('GET', `/v1/plans/${res.json().id}/grids`, 'reviewer')).json().features.find((f: { id: string }) => f.id === grids[0].id);
    expect(recounted.properties.households).toBe(n);
  });

  it('verifies the filing hash chain and detects a tampered record', async () => {
    const filings = (await call('GET', '/v1/filings')).json().filings;
    const ours = filings.filter((f: { townshipCode: string }) => f.townshipCode === TOWNSHIP);
    expect(ours).toHaveLength(2);
    const last = filings[filings.length - 1];
    const head = { number: last.number, chainSeq: filings.length, sha256: last.snapshotSha256, filedAt: last.filedAt };
    expect((await call('GET', '/v1/filings/verify')).json()).toEqual({ ok: true, checked: filings.length, head });
    const second = filings.indexOf(ours[1]);
    expect(filings[second].previousSha256).toBe(filings[second - 1].snapshotSha256);
    await service.db.knex.raw(`UPDATE filings SET snapshot = jsonb_set(snapshot, '{filedBy}', '"someone else"') WHERE number = ?`, [ours[0].number]);
    const broken = (await call('GET', '/v1/filings/verify')).json();
    expect(broken).toMatchObject({ ok: false, brokenAt: ours[0].number });
  });

  it('records every action in the audit log', async () => {
    const actions = (await service.db.knex('audit_log').where({ entity: 'plan', entity_id: planId }).orderBy('id')).map((r: { action: string }) => r.action);
    expect(actions).toEqual([
      'plan.create', 'plan.grid.add', 'plan.grid.add', 'plan.grid.add', 'plan.grid.add',
      'plan.submit', 'plan.return', 'plan.grid.update', 'plan.submit', 'plan.approve', 'plan.file',
    ]);
  });
});
