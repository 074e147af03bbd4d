// Grid staff through HTTP on both backends: a staff edit filed with a plan reaches the registry and the notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

const TOWNSHIP = '330903001000'; // 沈家门街道, filed in the demo
const GRID = '330903001001002';

interface Member {
  role: string;
  name: string;
  phone?: string;
}

describe.each(BACKENDS)('grid staff on %s', (backend) => {
  let service: TestService;
  const KEYS = { planner: 'demo-planner', reviewer: 'demo-reviewer', registrar: 'demo-registrar', otherPlanner: 'demo-planner-changguo' };
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who?: keyof typeof KEYS, payload?: unknown, etag?: string) =>
    callAs(service, method, url, who && KEYS[who], payload, etag);

  beforeAll(async () => {
    service = await startTestService(backend);
  }, 180_000);
  afterAll(async () => {
    await service?.close();
  });

  it('files a plan that only changes a grid leader and shows the new leader in the registry and on the notice', async () => {
    const created = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIP, trigger: 'other', triggerNote: '网格长调整', start: 'filed' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    const grids = (await call('GET', `/v1/plans/${id}/grids`, 'planner')).json().features as Array<{ id: string; properties: Record<string, unknown> & { code: string; staff: Member[] }; geometry: unknown }>;
    const grid = grids.find((g) => g.properties.code === GRID)!;
    const before = grid.properties.staff.find((s) => s.role === 'leader')!;
    const staff = grid.properties.staff.map((s) => (s.role === 'leader' ? { ...s, name: '新网格长', phone: '17000009999' } : s));
    const { code, name, kind, subkind, divisionCode, parentCode, households, population, managingUnits } = grid.properties;
    const edited = await call(
      'PUT',
      `/v1/plans/${id}/grids/${grid.id}`,
      'planner',
      { type: 'Feature', properties: { code, name, kind, subkind, divisionCode, parentCode, households, population, managingUnits, staff }, geometry: grid.geometry },
      created.headers.etag as string,
    );
    expect(edited.statusCode, edited.body).toBe(200);
    const warnings = [...new Set(edited.json().report.findings.filter((f: { severity: string }) => f.severity === 'warning').map((f: { ruleId: string }) => f.ruleId))] as string[];
    const submitted = await call('POST', `/v1/plans/${id}/submit`, 'planner', { justifications: Object.fromEntries(warnings.map((r) => [r, '已核实'])) }, edited.headers.etag as string);
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await call('POST', `/v1/plans/${id}/approve`, 'reviewer', {}, submitted.headers.etag as string);
    expect(approved.statusCode, approved.body).toBe(200);
    const filed = await call('POST', `/v1/plans/${id}/file`, 'registrar', {}, approved.headers.etag as string);
    expect(filed.statusCode, filed.body).toBe(200);

    const registry = (await call('GET', `/v1/grids/${GRID}`, 'planner')).json();
    const leaders = registry.properties.staff.filter((s: Member) => s.role === 'leader');
    expect(leaders).toEqual([expect.objectContaining({ name: '新网格长', phone: '17000009999' })]);
    const notice = (await call('GET', `/v1/grids/${GRID}/notice`)).json();
    expect(notice.staff.filter((s: Member) => s.role === 'leader')).toEqual([expect.objectContaining({ name: '新网格长', phone: '17000009999' })]);
    expect(JSON.stringify(notice)).not.toContain(before.phone);
  });
});
