import { afterAll, beforeAll, describe, it } from 'vitest';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

describe.each(BACKENDS)('probe %s', (backend) => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService(backend); });
  afterAll(async () => { await s?.close(); });
  it('probes', async () => {
    const big = '99999999999999999999999';
    const p = await callAs(s, 'POST', '/v1/plans', 'demo-planner', { townshipCode: '330903001000', trigger: 'initial' });
    console.log('create', p.statusCode, p.body.slice(0, 200));
    const id = p.json().id; const etag = p.headers.etag as string;
    const feat = (props: object, geometry: object = { type: 'Polygon', coordinates: [[[122.3, 29.95], [122.31, 29.95], [122.31, 29.96], [122.3, 29.95]]] }) => ({ type: 'Feature', properties: { name: 'x', kind: 'comprehensive', divisionCode: '330903001001', ...props }, geometry });
    const cases: Array<[string, any, string, string?, unknown?, string?]> = [
      ['plan big', 'GET', `/v1/plans/${big}`, 'demo-planner'],
      ['grids big', 'GET', `/v1/plans/${big}/grids`, 'demo-planner'],
      ['diff big', 'GET', `/v1/plans/${big}/diff`, 'demo-planner'],
      ['export big', 'GET', `/v1/plans/${big}/export`, 'demo-planner'],
      ['import big', 'POST', `/v1/plans/${big}/import?format=geojson`, 'demo-planner', { type: 'FeatureCollection', features: [] }, etag],
      ['merge big', 'POST', `/v1/plans/${id}/merge`, 'demo-planner', { gridIds: [big, '1'] }, etag],
      ['put grid big', 'PUT', `/v1/plans/${id}/grids/${big}`, 'demo-planner', feat({}), etag],
      ['del grid big', 'DELETE', `/v1/plans/${id}/grids/${big}`, 'demo-planner', undefined, etag],
      ['split big', 'POST', `/v1/plans/${id}/split`, 'demo-planner', { gridId: big, line: { type: 'LineString', coordinates: [[0, 0], [1, 1]] } }, etag],
      ['ifmatch big', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({}), `"plan-${id}-v${big}"`],
      ['ifmatch 2^32', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({}), `"plan-${id}-v4294967296"`],
      ['nul name', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({ name: 'a\u0000b' }), etag],
      ['households 1e20', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({ households: 1e20 }), etag],
      ['population 3e9', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({ population: 3e9 }), etag],
      ['code long', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({ code: '1'.repeat(100) }), etag],
      ['parent long', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({ parentCode: '1'.repeat(100) }), etag],
      ['lon 500', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({}, { type: 'Polygon', coordinates: [[[500, 29.95], [122.31, 29.95], [122.31, 29.96], [500, 29.95]]] }), etag],
      ['unclosed', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({}, { type: 'Polygon', coordinates: [[[122.3, 29.95], [122.31, 29.95], [122.31, 29.96], [122.3, 29.96]]] }), etag],
      ['anon write', 'POST', `/v1/plans/${id}/grids`, undefined, { bogus: 1 }],
      ['anon create', 'POST', `/v1/plans`, undefined, { bogus: 1 }],
      ['stale submit', 'POST', `/v1/plans/${id}/submit`, 'demo-planner', {}, `"plan-${id}-v99"`],
      ['stale add', 'POST', `/v1/plans/${id}/grids`, 'demo-planner', feat({}), `"plan-${id}-v99"`],
      ['nul plan desc', 'POST', `/v1/plans`, 'demo-planner', { townshipCode: '330903001000', trigger: 'initial', description: 'a\u0000' }],
      ['grid code', 'GET', `/v1/grids/1234567890123456`, undefined],
    ];
    for (const [name, m, url, key, body, et] of cases) {
      const r = await callAs(s, m, url, key, body, et);
      console.log(backend, name, r.statusCode, r.headers['content-type'], r.body.slice(0, 250));
    }
  });
});
