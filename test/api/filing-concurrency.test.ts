// Filings, edits and grid code allocation under concurrency, on both backends: two registrars filing the same
// township at once (one wins, the other is told the partition changed), two edits racing with one If-Match (one
// lands, the other gets 412), two townships filed at once (both land, the hash chain stays whole) and two raw
// filings racing for codes in the same village (never the same code twice).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { createUserWithKey } from '../../server/db/repositories/users.ts';
import { filePartition, type FilingGrid } from '../../server/db/repositories/filings.ts';
import { codeProfile } from '../../server/domain/codes/index.ts';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

// Two fixture townships at sea east of Zhoushan (no islands there), one village each.
const TOWNSHIPS = { west: '330903998000', east: '330903999000' } as const;
const village = (township: string) => `${township.slice(0, 9)}001`;
const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const AREA = { west: [122.93, 122.95], east: [122.96, 122.98] } as const;
const S = 30.3, C = 30.31, N = 30.32;
/** A village split at `cut` (a latitude) into a southern and a northern grid of 400 households each. */
const partition = (side: keyof typeof AREA, cut = C): Polygon[] => [box(AREA[side][0], S, AREA[side][1], cut), box(AREA[side][0], cut, AREA[side][1], N)];

const feature = (side: keyof typeof AREA, geometry: Polygon, i: number) => ({
  type: 'Feature',
  properties: {
    name: `并发测试网格${i + 1}`,
    kind: 'comprehensive',
    subkind: 'community',
    divisionCode: village(TOWNSHIPS[side]),
    households: 400,
    population: 800,
    managingUnits: [{ name: '并发测试街道办事处', role: 'territorial' }],
    staff: [
      { role: 'leader', name: `组长${i}`, phone: `1700000700${i}` },
      { role: 'full_time', name: `网格员${i}`, phone: `1700000600${i}` },
    ],
  },
  geometry,
});

describe.each(BACKENDS)('concurrent filing on %s', (backend) => {
  let service: TestService;
  const KEYS = { planner: 'test-planner-concurrency', reviewer: 'demo-reviewer', registrar: 'demo-registrar' };
  const call = (method: 'GET' | 'POST', url: string, who?: keyof typeof KEYS, payload?: unknown, etag?: string) =>
    callAs(service, method, url, who && KEYS[who], payload, etag);
  const codesOf = async (township: string) =>
    (await call('GET', `/v1/grids?division=${township}`)).json().features.map((f: { properties: { code: string } }) => f.properties.code).sort();

  /** Drafts, submits and approves a plan of the given grids; returns its id and ETag, ready to file. */
  async function approvedPlan(side: keyof typeof AREA, geometries: Polygon[]): Promise<{ id: string; etag: string }> {
    const created = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIPS[side], trigger: 'initial' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    let etag = created.headers.etag as string;
    for (const [i, geometry] of geometries.entries()) {
      const added = await call('POST', `/v1/plans/${id}/grids`, 'planner', feature(side, geometry, i), etag);
      expect(added.statusCode, added.body).toBe(201);
      etag = added.headers.etag as string;
    }
    for (const [who, transition] of [['planner', 'submit'], ['reviewer', 'approve']] as const) {
      const res = await call('POST', `/v1/plans/${id}/${transition}`, who, {}, etag);
      expect(res.statusCode, `${transition}: ${res.body}`).toBe(200);
      etag = res.headers.etag as string;
    }
    return { id, etag };
  }

  beforeAll(async () => {
    service = await startTestService(backend);
    const knex = service.db.knex;
    for (const side of ['west', 'east'] as const) {
      const outline = JSON.stringify(box(AREA[side][0], S, AREA[side][1], N));
      await knex.raw(
        `INSERT INTO divisions (code, name, level, parent_code, synthetic, geom) VALUES
         (?, ?, 'township', '330903000000', true, ST_Multi(ST_GeomFromGeoJSON(?))),
         (?, ?, 'village', ?, true, ST_Multi(ST_GeomFromGeoJSON(?)))`,
        [TOWNSHIPS[side], `并发${side}街道`, outline, village(TOWNSHIPS[side]), `并发${side}村`, TOWNSHIPS[side], outline],
      );
    }
    await createUserWithKey(knex, { name: '并发测试规划员', role: 'township_planner', scopePrefix: '33090399' }, KEYS.planner);
  });
  afterAll(async () => {
    await service?.close();
  });

  it('files one of two plans raced for the same township and refuses the other, which would undo it', async () => {
    const first = await approvedPlan('west', partition('west'));
    const second = await approvedPlan('west', partition('west', 30.305));
    const [a, b] = await Promise.all([
      call('POST', `/v1/plans/${first.id}/file`, 'registrar', {}, first.etag),
      call('POST', `/v1/plans/${second.id}/file`, 'registrar', {}, second.etag),
    ]);
    const results = [a, b].map((r) => r.statusCode).sort();
    expect(results, `${a.body}\n${b.body}`).toEqual([200, 409]);
    const [winner, loser] = a.statusCode === 200 ? [a, b] : [b, a];
    expect(loser.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(loser.json().type).toMatch(/partition-changed$/);
    expect(loser.json().detail).toContain(winner.json().filing.number);

    const allocated = winner.json().filing.codes.allocated as string[];
    expect(allocated).toHaveLength(2);
    expect(await codesOf(TOWNSHIPS.west)).toEqual([...allocated].sort());
    const loserId = loser === a ? first.id : second.id;
    expect((await call('GET', `/v1/plans/${loserId}`, 'planner')).json().status).toBe('approved');
  });

  it('lets only one of two edits raced with the same If-Match through; the other gets 412 and changes nothing', async () => {
    const created = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIPS.west, trigger: 'other', triggerNote: '并发编辑', start: 'filed' });
    const id = created.json().id as string;
    const etag = created.headers.etag as string;
    const [south, north] = partition('west', 30.308);
    const [a, b] = await Promise.all([
      call('POST', `/v1/plans/${id}/grids`, 'planner', feature('west', south, 7), etag),
      call('POST', `/v1/plans/${id}/grids`, 'planner', feature('west', north, 8), etag),
    ]);
    expect([a.statusCode, b.statusCode].sort(), `${a.body}\n${b.body}`).toEqual([201, 412]);
    const plan = (await call('GET', `/v1/plans/${id}`, 'planner')).json();
    expect(plan.version).toBe(2);
    const names = (await call('GET', `/v1/plans/${id}/grids`, 'planner')).json().features.map((f: { properties: { name: string } }) => f.properties.name);
    expect(names.filter((n: string) => n === '并发测试网格8' || n === '并发测试网格9')).toHaveLength(1);
  });

  it('files two townships raced at once and keeps the filing chain whole and ordered', async () => {
    const started = (await call('GET', '/v1/filings')).json().filings.length;
    const west = await approvedPlan('west', partition('west', 30.312));
    const east = await approvedPlan('east', partition('east'));
    const [a, b] = await Promise.all([
      call('POST', `/v1/plans/${west.id}/file`, 'registrar', {}, west.etag),
      call('POST', `/v1/plans/${east.id}/file`, 'registrar', {}, east.etag),
    ]);
    expect([a.statusCode, b.statusCode], `${a.body}\n${b.body}`).toEqual([200, 200]);
    expect(a.json().filing.number).not.toBe(b.json().filing.number);

    const filings = (await call('GET', '/v1/filings')).json().filings as Array<{ number: string; snapshotSha256: string; previousSha256: string | null; filedAt: string }>;
    expect(filings).toHaveLength(started + 2);
    for (let i = 1; i < filings.length; i++) {
      expect(filings[i].previousSha256).toBe(filings[i - 1].snapshotSha256);
      expect(filings[i].filedAt >= filings[i - 1].filedAt).toBe(true);
    }
    const last = filings[filings.length - 1];
    const head = { number: last.number, chainSeq: filings.length, sha256: last.snapshotSha256, filedAt: last.filedAt };
    expect((await call('GET', '/v1/filings/verify')).json()).toEqual({ ok: true, checked: filings.length, head });
    // The receipt of whichever filing landed last printed the head the chain now ends at.
    expect([a.json().filing.head, b.json().filing.head]).toContainEqual(head);
    expect(await codesOf(TOWNSHIPS.east)).toEqual([...b.json().filing.codes.allocated].sort());
  });

  it('never hands out the same code to two filings racing in one village', async () => {
    const knex = service.db.knex;
    const grids = (cut: number): FilingGrid[] =>
      partition('east', cut).map((geometry, i) => ({ ...feature('east', geometry, i).properties, kind: 'comprehensive', parentCode: null, geometry }) as FilingGrid);
    const request = (cut: number) => ({
      townshipCode: TOWNSHIPS.east,
      scope: 'land' as const,
      grids: grids(cut),
      approvedBy: null,
      filedBy: 'concurrency test',
      trigger: 'other',
      planId: null,
      profile: codeProfile('default'),
      // Both proposals differ from the filed grids and from each other, so every grid needs a new code.
      continuityThreshold: 0.99,
    });
    const before = new Set((await knex('grid_codes').select('code')).map((r: { code: string }) => r.code));
    const [x, y] = await Promise.all([knex.transaction((trx) => filePartition(trx, request(30.303))), knex.transaction((trx) => filePartition(trx, request(30.317)))]);

    const allocated = [...x.codes.allocated, ...y.codes.allocated];
    expect(allocated).toHaveLength(4);
    expect(new Set(allocated).size).toBe(4);
    for (const code of allocated) expect(before.has(code)).toBe(false);
    const rows = await knex('grid_codes').select('code', 'status').where('code', 'like', `${village(TOWNSHIPS.east)}%`);
    expect(new Set(rows.map((r: { code: string }) => r.code)).size).toBe(rows.length);
    // The later of the two replaced the earlier: its codes are the ones in force, the earlier ones retired for good.
    const [earlier, later] = [x, y].sort((p, q) => p.number.localeCompare(q.number));
    expect(await codesOf(TOWNSHIPS.east)).toEqual([...later.codes.allocated].sort());
    for (const code of earlier.codes.allocated) expect(rows.find((r: { code: string }) => r.code === code)?.status).toBe('retired');
  });
});
