// Tamper evidence on both backends: after filings of one township (three times, twice on one day) and of another,
// the chain verifies; then each edit an attacker with SQL access could make (a filed grid's geometry, name,
// households or validity, a filing's people and times, its snapshot) is reverted after verify names it by filing
// number, grid code and field. Removing the newest filing shows against the head published before, even when its
// grid rows are rolled back too; removing a middle filing breaks the links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { createUserWithKey } from '../../server/db/repositories/users.ts';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

// Two fixture townships at sea east of Zhoushan (no islands there), one village each.
const TOWNSHIPS = { a: '330903996000', b: '330903997000' } as const;
const village = (township: string) => `${township.slice(0, 9)}001`;
const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const AREA = { a: [122.93, 122.95], b: [122.96, 122.98] } as const;
const S = 30.3, C = 30.31, N = 30.32;

const feature = (side: keyof typeof AREA, geometry: Polygon, i: number) => ({
  type: 'Feature',
  properties: {
    name: `存证测试网格${i + 1}`,
    kind: 'comprehensive',
    subkind: 'community',
    divisionCode: village(TOWNSHIPS[side]),
    households: 400,
    population: 800,
    managingUnits: [{ name: '存证测试街道办事处', role: 'territorial' }],
    staff: [
      { role: 'leader', name: `组长${i}`, phone: `1700000500${i}` },
      { role: 'full_time', name: `网格员${i}`, phone: `1700000400${i}` },
    ],
  },
  geometry,
});

interface Head {
  number: string;
  chainSeq: number;
  sha256: string;
  filedAt: string;
}

describe.each(BACKENDS)('filing tamper evidence on %s', (backend) => {
  let service: TestService;
  const KEYS = { planner: 'test-planner-evidence', reviewer: 'demo-reviewer', registrar: 'demo-registrar' };
  const call = (method: 'GET' | 'POST' | 'PUT', url: string, who?: keyof typeof KEYS, payload?: unknown, etag?: string) =>
    callAs(service, method, url, who && KEYS[who], payload, etag);
  const knex = () => service.db.knex;
  const verify = async (query = '') => {
    const res = await call('GET', `/v1/filings/verify${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  /** The grid version of `code` that `filing` created. */
  const versionOf = async (code: string, filing: string) => knex()('grids').where({ code, filing_number: filing }).first();

  /** Submits, approves and files the plan; returns the filing receipt. */
  async function fileThrough(id: string, etag: string): Promise<{ number: string; head: Head }> {
    for (const [who, transition] of [['planner', 'submit'], ['reviewer', 'approve'], ['registrar', 'file']] as const) {
      const res = await call('POST', `/v1/plans/${id}/${transition}`, who, {}, etag);
      expect(res.statusCode, `${transition}: ${res.body}`).toBe(200);
      etag = res.headers.etag as string;
      if (transition === 'file') return res.json().filing;
    }
    throw new Error('unreachable');
  }

  async function fileNew(side: keyof typeof AREA) {
    const created = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIPS[side], trigger: 'initial' });
    expect(created.statusCode, created.body).toBe(201);
    let etag = created.headers.etag as string;
    const [w, e] = AREA[side];
    for (const [i, geometry] of [box(w, S, e, C), box(w, C, e, N)].entries()) {
      const added = await call('POST', `/v1/plans/${created.json().id}/grids`, 'planner', feature(side, geometry, i), etag);
      expect(added.statusCode, added.body).toBe(201);
      etag = added.headers.etag as string;
    }
    return fileThrough(created.json().id, etag);
  }

  /** Refiles the township from its filed partition with one grid's properties changed. */
  async function fileChange(side: keyof typeof AREA, code: string, change: Record<string, unknown>) {
    const created = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIPS[side], trigger: 'other', triggerNote: '存证测试', start: 'filed' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    const grid = (await call('GET', `/v1/plans/${id}/grids`, 'planner')).json().features.find((f: { properties: { code: string } }) => f.properties.code === code);
    const { planGridId: _id, status: _status, ...properties } = grid.properties;
    const put = await call('PUT', `/v1/plans/${id}/grids/${grid.id}`, 'planner', { type: 'Feature', properties: { ...properties, ...change }, geometry: grid.geometry }, created.headers.etag as string);
    expect(put.statusCode, put.body).toBe(200);
    return fileThrough(id, put.headers.etag as string);
  }

  beforeAll(async () => {
    service = await startTestService(backend);
    for (const side of ['a', 'b'] as const) {
      const outline = JSON.stringify(box(AREA[side][0], S, AREA[side][1], N));
      await knex().raw(
        `INSERT INTO divisions (code, name, level, parent_code, synthetic, geom) VALUES
         (?, ?, 'township', '330903000000', true, ST_Multi(ST_GeomFromGeoJSON(?))),
         (?, ?, 'village', ?, true, ST_Multi(ST_GeomFromGeoJSON(?)))`,
        [TOWNSHIPS[side], `存证${side}街道`, outline, village(TOWNSHIPS[side]), `存证${side}村`, TOWNSHIPS[side], outline],
      );
    }
    await createUserWithKey(knex(), { name: '存证测试规划员', role: 'township_planner', scopePrefix: '33090399' }, KEYS.planner);
  });
  afterAll(async () => {
    await service?.close();
  });

  // Filings in chain order: A first (south, north), B, A again (north's households), A a third time the same day (north's name).
  const F: Record<'a1' | 'b1' | 'a2' | 'a3', string> = { a1: '', b1: '', a2: '', a3: '' };
  let south: string;
  let north: string;
  let published: Head;

  it('verifies an untampered chain after filings of one township, thrice on one day, and of another', async () => {
    F.a1 = (await fileNew('a')).number;
    [south, north] = (await call('GET', `/v1/grids?division=${TOWNSHIPS.a}`)).json().features.map((f: { properties: { code: string } }) => f.properties.code).sort();
    F.b1 = (await fileNew('b')).number;
    F.a2 = (await fileChange('a', north, { households: 450 })).number;
    const third = await fileChange('a', north, { name: '存证测试网格北' });
    F.a3 = third.number;
    published = third.head;

    // Three versions of the northern grid, the second valid for no day at all: only the chain order tells it apart.
    const versions = await knex()('grids').where({ code: north }).orderBy('version');
    expect(versions.map((v: { filing_number: string; closed_by: string | null }) => [v.filing_number, v.closed_by])).toEqual([
      [F.a1, F.a2],
      [F.a2, F.a3],
      [F.a3, null],
    ]);
    expect(versions[1].valid_from).toBe(versions[1].valid_to);
    expect((await versionOf(south, F.a1)).closed_by).toBeNull();

    expect((await call('GET', '/v1/filings/head')).json()).toEqual(published);
    const verdict = await verify();
    expect(verdict).toEqual({ ok: true, checked: published.chainSeq, head: published });
    expect(await verify(`?sha256=${published.sha256}&number=${published.number}`)).toEqual(verdict);
  });

  /** Applies `tamper`, expects verify to name it, reverts it and expects the chain whole again. */
  async function expectDetected(tamper: () => Promise<unknown>, revert: () => Promise<unknown>, expected: Record<string, unknown>) {
    await tamper();
    try {
      const verdict = await verify();
      expect(verdict).toMatchObject({ ok: false, ...expected });
      expect(verdict.reason).toEqual(expect.any(String));
    } finally {
      await revert();
    }
    expect(await verify()).toMatchObject({ ok: true });
  }

  it("detects a filed grid's geometry moved by 10 m in the grids table, at the filing that filed that version", async () => {
    const { id, geom } = await knex()('grids').select('id', knex().raw('geom::text AS geom')).where({ code: south, filing_number: F.a1 }).first();
    await expectDetected(
      () => knex().raw('UPDATE grids SET geom = ST_Translate(geom, 0.0001, 0) WHERE id = ?', [id]),
      () => knex().raw('UPDATE grids SET geom = ?::geometry WHERE id = ?', [geom, id]),
      { brokenAt: F.a1, grid: south, field: 'geometry' },
    );
  });

  it("detects a renamed grid version, also one a later filing the same day closed", async () => {
    const v2 = await versionOf(north, F.a2);
    await expectDetected(
      () => knex()('grids').where({ id: v2.id }).update({ name: '改过的名字' }),
      () => knex()('grids').where({ id: v2.id }).update({ name: v2.name }),
      { brokenAt: F.a2, grid: north, field: 'name' },
    );
  });

  it('detects changed households', async () => {
    const [grid] = (await call('GET', `/v1/grids?division=${TOWNSHIPS.b}`)).json().features;
    const row = await versionOf(grid.properties.code, F.b1);
    await expectDetected(
      () => knex()('grids').where({ id: row.id }).update({ households: row.households + 1 }),
      () => knex()('grids').where({ id: row.id }).update({ households: row.households }),
      { brokenAt: F.b1, grid: grid.properties.code, field: 'households' },
    );
  });

  it('detects a grid hidden from the current partition by a validity date', async () => {
    const row = await versionOf(south, F.a1);
    await expectDetected(
      () => knex()('grids').where({ id: row.id }).update({ valid_to: '2099-01-01' }),
      () => knex()('grids').where({ id: row.id }).update({ valid_to: null }),
      { brokenAt: F.a1, grid: south, field: 'validTo' },
    );
  });

  it.each([
    ['approved_by', 'approvedBy', 'a2', () => '另一位审核员'],
    ['filed_by', 'filedBy', 'b1', () => '另一位备案员'],
    ['filed_at', 'filedAt', 'a1', (at: Date) => new Date(at.getTime() - 60_000)],
  ] as const)("detects a filing's %s rewritten", async (column, field, filing, rewrite) => {
    const row = await knex()('filings').where({ number: F[filing] }).first();
    await expectDetected(
      () => knex()('filings').where({ number: F[filing] }).update({ [column]: rewrite(row.filed_at) }),
      () => knex()('filings').where({ number: F[filing] }).update({ [column]: row[column] }),
      { brokenAt: F[filing], field },
    );
  });

  it('detects an edited snapshot', async () => {
    const { snapshot } = await knex()('filings').where({ number: F.a2 }).first();
    await expectDetected(
      () => knex().raw(`UPDATE filings SET snapshot = jsonb_set(snapshot, '{filedBy}', '"someone else"') WHERE number = ?`, [F.a2]),
      () => knex()('filings').where({ number: F.a2 }).update({ snapshot: JSON.stringify(snapshot) }),
      { brokenAt: F.a2, field: 'snapshot' },
    );
  });

  it('documents the head and the published-head parameters of verify in OpenAPI', async () => {
    const spec = (await call('GET', '/openapi.json')).json();
    const head = spec.paths['/v1/filings/head'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(head.properties).sort()).toEqual(['chainSeq', 'filedAt', 'number', 'sha256']);
    const verifyOp = spec.paths['/v1/filings/verify'].get;
    expect(verifyOp.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['number', 'sha256']);
    expect(Object.keys(verifyOp.responses['200'].content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['ok', 'checked', 'head', 'brokenAt', 'grid', 'field', 'reason']),
    );
  });

  it('refuses a published head without its sha256, or a malformed one, as 400 naming the parameter', async () => {
    const alone = await call('GET', `/v1/filings/verify?number=${published.number}`);
    expect(alone.statusCode).toBe(400);
    expect(alone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(alone.json().errors).toEqual([expect.objectContaining({ pointer: 'sha256' })]);
    const malformed = await call('GET', '/v1/filings/verify?sha256=xyz');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(malformed.body).toContain('sha256');
  });

  it('shows the newest filing removed against the head published before, even with its grid rows rolled back', async () => {
    await knex()('filings').where({ number: F.a3 }).delete();
    // Its grid versions still name it.
    expect(await verify()).toMatchObject({ ok: false, brokenAt: F.a3, grid: north });

    // A careful attacker also removes the versions it created and reopens the ones it closed: the chain alone is whole...
    await knex()('grids').where({ filing_number: F.a3 }).delete();
    await knex()('grids').where({ closed_by: F.a3 }).update({ valid_to: null, closed_by: null });
    const shortened = await verify();
    expect(shortened).toMatchObject({ ok: true, head: { number: F.a2 } });
    // ...but not against the head published on the receipt, nor against its sha256 alone.
    expect(await verify(`?sha256=${published.sha256}&number=${published.number}`)).toMatchObject({
      ok: false,
      brokenAt: F.a3,
      reason: expect.stringContaining('no longer contains'),
    });
    expect(await verify(`?sha256=${published.sha256}`)).toMatchObject({ ok: false, reason: expect.stringContaining(published.sha256) });
  });

  it('detects a removed middle filing at the filing after it', async () => {
    await knex()('filings').where({ number: F.b1 }).delete();
    expect(await verify()).toMatchObject({ ok: false, brokenAt: F.a2, field: 'previousSha256' });
  });
});
