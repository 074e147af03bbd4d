// Bad input gets a 4xx problem+json naming what is wrong, on both backends, and changes nothing (#17 item 4): ids
// beyond 64 bits, If-Match versions beyond 32 bits, NUL characters, counts beyond the integer columns, overlong codes,
// a 100 KB URL or header, anonymous writes (401 before the body is looked at), stale If-Match on every edit and
// transition, and plan grids whose geometry or parent the rules could never accept.
import { request as httpRequest } from 'node:http';
import type { Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

const TOWNSHIP = '330903001000';
const VILLAGE = '330903001001';
const BEYOND_64_BITS = '9223372036854775808';
const FAR_BEYOND = '99999999999999999999999';
const box = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const feature = (properties: Record<string, unknown> = {}, geometry: unknown = box(122.3, 29.95, 122.301, 29.951)) => ({
  type: 'Feature',
  properties: { name: '测试网格', kind: 'comprehensive', divisionCode: VILLAGE, ...properties },
  geometry,
});

type Response = Awaited<ReturnType<typeof callAs>>;

function expectProblem(res: Response, status: number, pointer?: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = res.json();
  expect(problem).toMatchObject({ status, title: expect.any(String) });
  if (pointer !== undefined) expect(problem.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  return problem;
}

/** Sends a raw request over a socket (app.inject skips Node's HTTP parser, which is what refuses oversized heads). */
function rawRequest(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; contentType: string; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.each(BACKENDS)('bad input on %s', (backend) => {
  let service: TestService;
  let planId: string;
  let etag: string;
  const planner = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, ifMatch?: string) => callAs(service, method, url, 'demo-planner', payload, ifMatch);
  const current = async () => (await planner('GET', `/v1/plans/${planId}`)).json() as { version: number; status: string };

  beforeAll(async () => {
    service = await startTestService(backend);
    const created = await planner('POST', '/v1/plans', { townshipCode: TOWNSHIP, trigger: 'initial', start: 'filed' });
    expect(created.statusCode).toBe(201);
    planId = created.json().id;
    etag = created.headers.etag as string;
  });
  afterAll(async () => {
    await service?.close();
  });

  it('refuses ids beyond 64 bits in every plan path with 400 naming the parameter', async () => {
    for (const id of [BEYOND_64_BITS, FAR_BEYOND]) {
      for (const path of [`/v1/plans/${id}`, `/v1/plans/${id}/grids`, `/v1/plans/${id}/diff`, `/v1/plans/${id}/export`]) {
        const problem = expectProblem(await planner('GET', path), 400, 'id');
        expect(problem.detail).toContain('9223372036854775807');
      }
      expectProblem(await callAs(service, 'POST', `/v1/plans/${id}/import?format=geojson`, 'demo-planner', { type: 'FeatureCollection', features: [] }, etag), 400, 'id');
      expectProblem(await planner('PUT', `/v1/plans/${planId}/grids/${id}`, feature(), etag), 400, 'gridId');
      expectProblem(await planner('DELETE', `/v1/plans/${planId}/grids/${id}`, undefined, etag), 400, 'gridId');
      expectProblem(await planner('POST', `/v1/plans/${planId}/merge`, { gridIds: [id, '1'] }, etag), 400, '/gridIds/0');
      const line = { type: 'LineString', coordinates: [[122.3, 29.9], [122.3, 30]] };
      expectProblem(await planner('POST', `/v1/plans/${planId}/split`, { gridId: id, line }, etag), 400, '/gridId');
    }
    // The largest id is well-formed: it names no plan.
    expectProblem(await planner('GET', '/v1/plans/9223372036854775807'), 404);
    expect((await current()).version).toBe(1);
  });

  it('refuses an If-Match version beyond 32 bits with 400 naming If-Match', async () => {
    for (const version of ['4294967296', '2147483648', FAR_BEYOND]) {
      const problem = expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature(), `"plan-${planId}-v${version}"`), 400, 'If-Match');
      expect(problem.detail).toContain(version);
    }
    expect((await current()).version).toBe(1);
  });

  it('refuses a NUL character in any name, note, parameter or key with 400 naming where', async () => {
    expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature({ name: '网格\u0000' }), etag), 400, '/properties/name');
    const staff = [{ role: 'worker', name: '张\u0000三' }];
    expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature({ staff }), etag), 400, '/properties/staff/0/name');
    expectProblem(await planner('POST', '/v1/plans', { townshipCode: TOWNSHIP, trigger: 'other', triggerNote: 'a\u0000b' }), 400, '/triggerNote');
    expectProblem(await planner('POST', `/v1/plans/${planId}/submit`, { justifications: { 'size.households\u0000': 'ok' } }, etag), 400, '/justifications/size.households\u0000');
    const vessel = await callAs(service, 'POST', '/v1/vessels', 'demo-maritime', { registeredName: '浙普渔\u000064110' });
    expectProblem(vessel, 400, '/registeredName');
    expectProblem(await callAs(service, 'GET', '/v1/vessels/%00', 'demo-client'), 400, 'id');
    expectProblem(await callAs(service, 'GET', '/v1/islands?ruleSet=zh%00', 'demo-client'), 400, 'ruleSet');
    expect((await current()).version).toBe(1);
  });

  it('refuses households, population and codes beyond their columns with 400 naming the field', async () => {
    expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature({ households: 1e20 }), etag), 400, '/properties/households');
    expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature({ population: 3e9 }), etag), 400, '/properties/population');
    const longCode = expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature({ code: '3'.repeat(18) }), etag), 400, '/properties/code');
    expect(longCode.errors).toEqual([{ pointer: '/properties/code', message: 'must NOT have more than 17 characters' }]);
    expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature({ parentCode: '3'.repeat(40) }), etag), 400, '/properties/parentCode');
    expect((await current()).version).toBe(1);
  });

  it('refuses offsets beyond an integer and overlong path segments (found by the fuzz suite)', async () => {
    for (const url of ['/v1/grids?offset=9223372036854775808', '/v1/filings?offset=1e20', '/v1/vessels?offset=2147483648', '/ogc/collections/grids/items?offset=9223372036854775808']) {
      expectProblem(await callAs(service, 'GET', url, 'demo-registrar'), 400, 'offset');
    }
    for (const url of [`/v1/plans/${'1'.repeat(200)}`, `/v1/grids/${'x'.repeat(3000)}/notice`]) {
      expectProblem(await callAs(service, 'GET', url, 'demo-registrar'), 414);
    }
  });

  it('answers a 100 KB URL or header with 431 problem+json', async () => {
    const address = await service.app.listen({ port: 0, host: '127.0.0.1' });
    const port = Number(new URL(address).port);
    for (const res of [await rawRequest(port, `/v1/grids?division=${'3'.repeat(100_000)}`), await rawRequest(port, '/health', { 'x-padding': 'x'.repeat(100_000) })]) {
      expect(res.status).toBe(431);
      expect(res.contentType).toMatch(/^application\/problem\+json/);
      expect(JSON.parse(res.body)).toMatchObject({ status: 431, title: 'Request header fields too large' });
    }
    // The server keeps answering.
    expect((await rawRequest(port, '/health')).status).toBe(200);
  });

  it('answers anonymous writes with 401 and WWW-Authenticate before looking at the body', async () => {
    const writes: Array<['POST' | 'PUT' | 'DELETE', string]> = [
      ['POST', '/v1/plans'],
      ['POST', `/v1/plans/${planId}/grids`],
      ['PUT', `/v1/plans/${planId}/grids/1`],
      ['DELETE', `/v1/plans/${planId}/grids/1`],
      ['POST', `/v1/plans/${planId}/split`],
      ['POST', `/v1/plans/${planId}/merge`],
      ['POST', `/v1/plans/${planId}/submit`],
      ['POST', `/v1/plans/${planId}/approve`],
      ['POST', `/v1/plans/${planId}/return`],
      ['POST', `/v1/plans/${planId}/file`],
      ['POST', `/v1/plans/${planId}/import`],
      ['POST', '/v1/vessels'],
      ['POST', '/v1/vessels/1/formation'],
      ['POST', '/v1/positions'],
    ];
    for (const [method, url] of writes) {
      // A body that fails the schema, an id that is malformed: the missing key is still what the caller hears.
      for (const payload of [{ bogus: true }, undefined]) {
        const res = await callAs(service, method, url.replace('/1', '/x'), undefined, payload);
        expectProblem(res, 401, 'Authorization');
        expect(res.headers['www-authenticate']).toBe('Bearer');
      }
    }
    expect((await current()).version).toBe(1);
  });

  it('answers a stale If-Match on every edit and transition with 412', async () => {
    const grids = (await planner('GET', `/v1/plans/${planId}/grids`)).json().features as Array<{ id: string }>;
    expect(grids.length).toBeGreaterThan(1);
    const added = await planner('POST', `/v1/plans/${planId}/grids`, feature({ name: '新网格' }), etag);
    expect(added.statusCode).toBe(201);
    const fresh = added.headers.etag as string;
    const line = { type: 'LineString', coordinates: [[122.3, 29.9], [122.3, 30]] };
    const edits: Array<[string, 'POST' | 'PUT' | 'DELETE', string, unknown]> = [
      ['demo-planner', 'POST', `/v1/plans/${planId}/grids`, feature()],
      ['demo-planner', 'PUT', `/v1/plans/${planId}/grids/${grids[0].id}`, feature()],
      ['demo-planner', 'DELETE', `/v1/plans/${planId}/grids/${grids[0].id}`, undefined],
      ['demo-planner', 'POST', `/v1/plans/${planId}/split`, { gridId: grids[0].id, line }],
      ['demo-planner', 'POST', `/v1/plans/${planId}/merge`, { gridIds: [grids[0].id, grids[1].id] }],
      // The draft has rule errors: submit used to revalidate first and answer 422.
      ['demo-planner', 'POST', `/v1/plans/${planId}/submit`, {}],
      ['demo-reviewer', 'POST', `/v1/plans/${planId}/approve`, {}],
      ['demo-reviewer', 'POST', `/v1/plans/${planId}/return`, { comment: '请修改' }],
      ['demo-registrar', 'POST', `/v1/plans/${planId}/file`, {}],
    ];
    for (const [key, method, url, payload] of edits) {
      const problem = expectProblem(await callAs(service, method, url, key, payload, etag), 412, 'If-Match');
      expect(problem.type).toMatch(/stale-version$/);
    }
    const imported = await service.app.inject({
      method: 'POST',
      url: `/v1/plans/${planId}/import`,
      headers: { authorization: 'Bearer demo-planner', 'content-type': 'application/geo+json', 'if-match': etag },
      payload: JSON.stringify({ type: 'FeatureCollection', features: [feature()] }),
    });
    expectProblem(imported, 412, 'If-Match');
    expect(`"plan-${planId}-v${(await current()).version}"`).toBe(fresh);
    etag = fresh;
  });

  it('checks a plan grid as it is written: coordinates in range, closed rings of 4 positions, a known parentCode', async () => {
    const ring = (...positions: number[][]) => ({ type: 'Polygon', coordinates: [positions] });
    const cases: Array<[string, unknown, string]> = [
      ['longitude beyond 180', ring([190, 29.95], [122.31, 29.95], [122.31, 29.96], [190, 29.95]), '/geometry/coordinates/0/0'],
      ['latitude beyond 90', ring([122.3, 29.95], [122.31, 95], [122.31, 29.96], [122.3, 29.95]), '/geometry/coordinates/0/1'],
      ['unclosed ring', ring([122.3, 29.95], [122.31, 29.95], [122.31, 29.96], [122.3, 29.96]), '/geometry/coordinates/0/3'],
    ];
    for (const [what, geometry, pointer] of cases) {
      const problem = expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature({ name: what }, geometry), etag), 422, pointer);
      expect(problem.type).toMatch(/invalid-geometry$/);
      expect(problem.detail).toContain(what);
    }
    // A ring of fewer than 4 positions is no GeoJSON polygon: the schema refuses it.
    const triangle = ring([122.3, 29.95], [122.31, 29.95], [122.3, 29.95]);
    expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature({}, triangle), etag), 400, '/geometry/coordinates/0');
    const grids = (await planner('GET', `/v1/plans/${planId}/grids`)).json().features as Array<{ id: string; properties: { code: string | null } }>;
    const reshaped = expectProblem(await planner('PUT', `/v1/plans/${planId}/grids/${grids[0].id}`, feature({}, cases[0][1]), etag), 422, '/geometry/coordinates/0/0');
    expect(reshaped.detail).toContain('longitude');

    const orphan = expectProblem(await planner('POST', `/v1/plans/${planId}/grids`, feature({ parentCode: '330903001001999' }), etag), 422, '/properties/parentCode');
    expect(orphan.detail).toContain('330903001001999');
    expect(`"plan-${planId}-v${(await current()).version}"`).toBe(etag);

    // A micro-grid under a grid of the plan is accepted.
    const parent = grids.find((g) => g.properties.code)!.properties.code!;
    const micro = await planner('POST', `/v1/plans/${planId}/grids`, feature({ name: '微网格', parentCode: parent }), etag);
    expect(micro.statusCode, micro.body).toBe(201);
  });
});
