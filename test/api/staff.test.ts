// Grid staff rosters through HTTP on both backends: a staff edit filed with a plan reaches the registry and the
// notice; a roster changes without refiling (no new grid version), is versioned by date and audited; CSV imports are
// all or nothing with faults per row and column; only the township's planner may change its staff. On PostgreSQL the
// CLI (`npm run staff -- import`) is run against the same database.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

const TOWNSHIP = '330903001000'; // 沈家门街道, filed in the demo on 2024-01-15
const GRID = '330903001001002';
const run = promisify(execFile);

interface Member {
  role: string;
  name: string;
  phone?: string;
  validFrom?: string;
  validTo?: string | null;
}

describe.each(BACKENDS)('grid staff on %s', (backend) => {
  let service: TestService;
  const KEYS = { planner: 'demo-planner', reviewer: 'demo-reviewer', registrar: 'demo-registrar', otherPlanner: 'demo-planner-changguo', client: 'demo-client' };
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, who?: keyof typeof KEYS, payload?: unknown, etag?: string) =>
    callAs(service, method, url, who && KEYS[who], payload, etag);

  // Comprehensive grids of the township other than GRID, one per test that changes a roster.
  let others: string[];
  const roster = async (code: string, query = '', who: keyof typeof KEYS = 'planner') => call('GET', `/v1/grids/${code}/staff${query}`, who);
  const history = async (code: string) => (await call('GET', `/v1/grids/${code}/staff/history`, 'planner')).json().assignments as Member[];
  const notice = async (code: string) => (await call('GET', `/v1/grids/${code}/notice`)).json() as { staff: Member[] };
  const put = async (code: string, body: unknown, who: keyof typeof KEYS = 'planner', etag?: string) =>
    call('PUT', `/v1/grids/${code}/staff`, who, body, etag ?? ((await roster(code)).headers.etag as string));
  const importCsv = (csv: string, who: keyof typeof KEYS = 'planner') =>
    service.app.inject({ method: 'POST', url: '/v1/staff/import', payload: csv, headers: { 'content-type': 'text/csv', authorization: `Bearer ${KEYS[who]}` } });
  const pointers = (body: { errors?: Array<{ pointer: string }> }) => (body.errors ?? []).map((e) => e.pointer);

  beforeAll(async () => {
    service = await startTestService(backend);
    const notices = (await call('GET', `/v1/divisions/${TOWNSHIP}/notice`)).json().notices as Array<{ code: string; kind: string }>;
    others = notices.filter((n) => n.kind === 'comprehensive' && n.code !== GRID).map((n) => n.code).slice(0, 6);
  }, 180_000);
  afterAll(async () => {
    await service?.close();
  });

  it('files a plan that only changes a grid leader and shows the new leader in the registry and on the notice', async () => {
    const versionBefore = (await call('GET', `/v1/grids/${GRID}`, 'planner')).json().properties.version;
    const neighbourBefore = (await call('GET', `/v1/grids/${others[0]}`, 'planner')).json().properties;
    const created = await call('POST', '/v1/plans', 'planner', { townshipCode: TOWNSHIP, trigger: 'other', triggerNote: '网格长调整', start: 'filed' });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;
    type PlanGrid = { id: string; properties: Record<string, unknown> & { code: string; staff: Member[]; managingUnits: unknown[] }; geometry: unknown };
    const grids = (await call('GET', `/v1/plans/${id}/grids`, 'planner')).json().features as PlanGrid[];
    let etag = created.headers.etag as string;
    const edit = async (g: PlanGrid, changes: Record<string, unknown>) => {
      const { code, name, kind, subkind, divisionCode, parentCode, households, population, managingUnits, staff } = g.properties;
      const properties = { code, name, kind, subkind, divisionCode, parentCode, households, population, managingUnits, staff, ...changes };
      const res = await call('PUT', `/v1/plans/${id}/grids/${g.id}`, 'planner', { type: 'Feature', properties, geometry: g.geometry }, etag);
      expect(res.statusCode, res.body).toBe(200);
      etag = res.headers.etag as string;
      return res;
    };
    const grid = grids.find((g) => g.properties.code === GRID)!;
    const before = grid.properties.staff.find((s) => s.role === 'leader')!;
    await edit(grid, { staff: grid.properties.staff.map((s) => (s.role === 'leader' ? { ...s, name: '新网格长', phone: '17000009999' } : s)) });
    // A neighbour gets a new managing unit only: a new version of it, with its roster untouched.
    const neighbour = grids.find((g) => g.properties.code === others[0])!;
    const edited = await edit(neighbour, { managingUnits: [...neighbour.properties.managingUnits, { name: '沈家门街道综治中心', role: 'business' }] });
    const warnings = [...new Set(edited.json().report.findings.filter((f: { severity: string }) => f.severity === 'warning').map((f: { ruleId: string }) => f.ruleId))] as string[];
    const submitted = await call('POST', `/v1/plans/${id}/submit`, 'planner', { justifications: Object.fromEntries(warnings.map((r) => [r, '已核实'])) }, etag);
    expect(submitted.statusCode, submitted.body).toBe(200);
    const approved = await call('POST', `/v1/plans/${id}/approve`, 'reviewer', {}, submitted.headers.etag as string);
    expect(approved.statusCode, approved.body).toBe(200);
    const filed = await call('POST', `/v1/plans/${id}/file`, 'registrar', {}, approved.headers.etag as string);
    expect(filed.statusCode, filed.body).toBe(200);

    const registry = (await call('GET', `/v1/grids/${GRID}`, 'planner')).json();
    const leaders = registry.properties.staff.filter((s: Member) => s.role === 'leader');
    expect(leaders).toEqual([expect.objectContaining({ name: '新网格长', phone: '17000009999' })]);
    const filedNotice = await notice(GRID);
    expect(filedNotice.staff.filter((s: Member) => s.role === 'leader')).toEqual([expect.objectContaining({ name: '新网格长', phone: '17000009999' })]);
    expect(JSON.stringify(filedNotice)).not.toContain(before.phone);
    // The grid's geometry did not change, so neither did its version; grids whose staff the plan left alone keep
    // their registered roster and its history untouched.
    expect(registry.properties.version).toBe(versionBefore);
    const neighbourAfter = (await call('GET', `/v1/grids/${others[0]}`, 'planner')).json().properties;
    expect(neighbourAfter.version).toBe(neighbourBefore.version + 1);
    expect(neighbourAfter.managingUnits).toContainEqual({ name: '沈家门街道综治中心', role: 'business' });
    expect(neighbourAfter.staff).toEqual(neighbourBefore.staff);
    expect((await history(others[0])).every((a) => a.validFrom === '2024-01-15' && a.validTo === null)).toBe(true);
  });

  it('changes a roster at once in the registry and on the notice, audited, with no new grid version', async () => {
    const code = others[1];
    const versions = (await call('GET', `/v1/grids/${code}/history`)).json();
    const read = await roster(code);
    expect(read.statusCode, read.body).toBe(200);
    expect(read.headers.etag).toMatch(/^"staff-\d+-[0-9a-f]+"$/);
    const staff = [
      { role: 'leader', name: '陈网格长', phone: '13900000001' },
      { role: 'full_time', name: '林专职', phone: '0580-3000001' },
      { role: 'part_time', name: '吴兼职', phone: '13900000003' },
      { role: 'instructor', name: '郑指导员', phone: '13900000004' },
      { role: 'micro_liaison', name: '何联络员' },
    ];
    const missing = await call('PUT', `/v1/grids/${code}/staff`, 'planner', { staff });
    expect(missing.statusCode).toBe(428);
    const changed = await put(code, { staff }, 'planner', read.headers.etag as string);
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.headers.etag).not.toBe(read.headers.etag);
    const stale = await put(code, { staff: [] }, 'planner', read.headers.etag as string);
    expect(stale.statusCode).toBe(412);

    const names = (list: Member[]) => list.map((s) => [s.role, s.name]);
    const expected = staff.map((s) => [s.role, s.name]);
    expect(names(changed.json().staff)).toEqual(expected);
    expect(names((await call('GET', `/v1/grids/${code}`, 'planner')).json().properties.staff)).toEqual(expected);
    const shown = await notice(code);
    expect(names(shown.staff)).toEqual(expected);
    expect(shown.staff[0].phone).toBe('13900000001');
    // Phones only for roles entitled to them, as for the registry.
    expect((await roster(code, '', 'client')).json().staff.some((s: Member) => s.phone)).toBe(false);
    expect((await call('GET', `/v1/grids/${code}`, 'client')).json().properties.staff.some((s: Member) => s.phone)).toBe(false);
    expect((await call('GET', `/v1/grids/${code}/history`)).json()).toEqual(versions);

    const trail = await service.db.knex('audit_log').where({ entity: 'grid_staff', entity_id: code, action: 'staff.replace' });
    expect(trail).toHaveLength(1);
    expect(trail[0].actor).toContain('沈家门');
    expect(trail[0].after.map((a: Member) => a.name)).toEqual(staff.map((s) => s.name));
    expect(trail[0].before.map((a: Member) => a.validFrom)).toEqual(['2024-01-15', '2024-01-15']);
  });

  it('keeps the history by date: ?at= before a change shows the old roster, after it the new one', async () => {
    const code = others[2];
    const people = (list: Member[]) => list.map((s) => [s.role, s.name, s.phone]);
    const old = (await roster(code, '?at=2024-05-31')).json().staff as Member[];
    expect(old.map((s) => s.role)).toEqual(['leader', 'full_time']);
    const changed = await put(code, { validFrom: '2024-06-01', staff: [{ role: 'leader', name: '六月网格长', phone: '13900000011' }, { role: 'part_time', name: '临时网格员', phone: '13900000012', validTo: '2024-09-01' }] });
    expect(changed.statusCode, changed.body).toBe(200);

    expect(people((await roster(code, '?at=2024-05-31')).json().staff)).toEqual(people(old));
    expect((await roster(code, '?at=2024-06-01')).json().staff.map((s: Member) => s.name)).toEqual(['六月网格长', '临时网格员']);
    expect((await roster(code, '?at=2024-09-01')).json().staff.map((s: Member) => s.name)).toEqual(['六月网格长']);
    expect((await call('GET', `/v1/grids/${code}?at=2024-05-31`, 'planner')).json().properties.staff.map((s: Member) => s.name)).toEqual(old.map((s) => s.name));
    expect((await history(code)).map((a) => [a.name, a.validFrom, a.validTo])).toEqual([
      ...old.map((s) => [s.name, '2024-01-15', '2024-06-01']),
      ['六月网格长', '2024-06-01', null],
      ['临时网格员', '2024-06-01', '2024-09-01'],
    ]);
    // History before the latest change stays as it was.
    const backdated = await put(code, { validFrom: '2024-05-01', staff: [] });
    expect(backdated.statusCode).toBe(422);
    expect(pointers(backdated.json())).toEqual(['/validFrom']);
  });

  it('imports rosters from CSV with roles in Chinese or English and reports every row', async () => {
    const [a, b] = [others[3], others[4]];
    const csv = [
      'code,role,name,phone,from,to',
      `${a},网格长,张导入,13900000021,2024-07-01,`,
      `${a},专职网格员,李导入,0580-3000022,2024-07-01,`,
      `${a},Part-time grid worker,王导入,,2024-07-01,2024-12-31`,
      `${b},leader,赵导入,13900000024,,`,
      `${b},微网格联络员,钱导入,13900000025,,`,
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({ grids: 2, assignments: 5 });
    expect(report.rows.map((r: { row: number; role: string }) => [r.row, r.role])).toEqual([[2, 'leader'], [3, 'full_time'], [4, 'part_time'], [5, 'leader'], [6, 'micro_liaison']]);
    expect((await roster(a, '?at=2024-07-01')).json().staff.map((s: Member) => [s.role, s.name, s.phone ?? null])).toEqual([
      ['leader', '张导入', '13900000021'], ['full_time', '李导入', '0580-3000022'], ['part_time', '王导入', null],
    ]);
    expect((await notice(b)).staff.map((s) => s.name)).toEqual(['赵导入', '钱导入']);
    const audited = await service.db.knex('audit_log').where({ entity: 'grid_staff', action: 'staff.import' }).whereIn('entity_id', [a, b]);
    expect(audited).toHaveLength(2);
  });

  it('refuses a CSV with bad rows naming row and column, and writes nothing', async () => {
    const code = others[5];
    const before = await history(code);
    const auditBefore = Number((await service.db.knex('audit_log').count({ n: '*' }))[0].n);
    const csv = [
      'code,role,name,phone,from,to',
      `${code},网格长,好的一行,13900000031,,`,
      `${code},组长,角色不对,13900000032,,`,
      `${code},专职网格员,电话不对,12345,,`,
      `${code},兼职网格员,日期颠倒,13900000034,2024-08-01,2024-07-01`,
      `330903001999999,网格长,没有网格,13900000036,,`,
    ].join('\n');
    const res = await importCsv(csv);
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(pointers(res.json())).toEqual(['/rows/3/role', '/rows/4/phone', '/rows/5/to', '/rows/6/code']);
    expect(res.json().errors[0].message).toMatch(/^row 3, column role: unknown role "组长"/);
    expect(await history(code)).toEqual(before);
    expect(Number((await service.db.knex('audit_log').count({ n: '*' }))[0].n)).toBe(auditBefore);

    // A NUL anywhere in a request is refused before it is read (server/http/text.ts), CSV bodies included.
    const nul = await importCsv(`code,role,name,phone,from,to\n${code},兼职网格员,"空\u0000字符",13900000035,,\n`);
    expect(nul.statusCode).toBe(400);
    expect(nul.json().type).toMatch(/nul-character$/);
    expect(await history(code)).toEqual(before);

    const noHeader = await importCsv('code,name\n330903001001002,王芳\n');
    expect(noHeader.statusCode).toBe(422);
    expect(pointers(noHeader.json())).toEqual(['/rows/1/role', '/rows/1/from']);
  });

  it('lets only the township planner change its staff: another township\'s planner gets 403, the public 401', async () => {
    const code = others[1];
    const before = await history(code);
    const staff = [{ role: 'leader', name: '越权者', phone: '13900000041' }];
    const other = await put(code, { staff }, 'otherPlanner');
    expect(other.statusCode).toBe(403);
    expect((await put(code, { staff }, 'reviewer')).statusCode).toBe(403);
    expect((await call('PUT', `/v1/grids/${code}/staff`, undefined, { staff })).statusCode).toBe(401);
    const imported = await importCsv(`code,role,name,phone,from,to\n${code},网格长,越权者,13900000041,,\n`, 'otherPlanner');
    expect(imported.statusCode).toBe(403);
    expect(pointers(imported.json())).toEqual(['/rows/2/code']);
    expect(await history(code)).toEqual(before);
  });

  it('answers bad roster input with 4xx naming the field', async () => {
    const code = others[1];
    const cases: Array<[unknown, number, string]> = [
      [{ staff: [{ role: 'boss', name: '某人' }] }, 400, '/staff/0/role'],
      [{ staff: [{ role: 'leader', name: '某\u0000人' }] }, 400, '/staff/0/name'],
      [{ staff: [{ role: 'leader', name: '   ' }] }, 400, '/staff/0/name'],
      [{ staff: [{ role: 'leader', name: '某人', phone: '12345' }] }, 400, '/staff/0/phone'],
      [{ validFrom: '2030-03-01', staff: [{ role: 'leader', name: '某人', validTo: '2030-02-01' }] }, 422, '/staff/0/validTo'],
      [{ validFrom: '2030-02-30', staff: [] }, 422, '/validFrom'],
    ];
    const before = await history(code);
    for (const [body, status, pointer] of cases) {
      const res = await put(code, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(pointers(res.json()), JSON.stringify(body)).toContain(pointer);
    }
    expect(await history(code)).toEqual(before);
    expect((await roster('330903001999999')).statusCode).toBe(404);
  });

  it('describes the staff routes in the OpenAPI document, the import as text/csv', async () => {
    const spec = (await call('GET', '/openapi.json')).json();
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/v1/grids/{code}/staff', '/v1/grids/{code}/staff/history', '/v1/staff/import']));
    expect(Object.keys(spec.paths['/v1/grids/{code}/staff'])).toEqual(expect.arrayContaining(['get', 'put']));
    expect(Object.keys(spec.paths['/v1/staff/import'].post.requestBody.content)).toEqual(['text/csv']);
    expect(spec.paths['/v1/grids/{code}/staff'].put.requestBody.content['application/json'].schema.properties.staff.items.properties.role.enum).toEqual([
      'leader', 'full_time', 'part_time', 'instructor', 'micro_liaison',
    ]);
  });

  it.runIf(backend === 'postgresql')('imports with the CLI: a report on success, faults by row and column and exit 1 otherwise', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'wangge-staff-cli-'));
    const cli = async (file: string) => {
      const env = { ...process.env, DATABASE_URL: service.config.databaseUrl!, LOG_LEVEL: 'silent' };
      try {
        const { stdout, stderr } = await run(path.resolve('node_modules/.bin/tsx'), ['scripts/staff.ts', 'import', file], { env });
        return { code: 0, stdout, stderr };
      } catch (error) {
        return error as { code: number; stdout: string; stderr: string };
      }
    };
    try {
      const code = others[4];
      await writeFile(path.join(dir, 'good.csv'), `code,role,name,phone,from,to\n${code},网格指导员,命令行导入,13900000051,,\n`);
      const good = await cli(path.join(dir, 'good.csv'));
      expect(good.code, good.stderr).toBe(0);
      expect(JSON.parse(good.stdout)).toMatchObject({ grids: 1, assignments: 1, rows: [{ row: 2, role: 'instructor', status: 'imported' }] });
      expect((await roster(code)).json().staff.map((s: Member) => s.name)).toEqual(['命令行导入']);

      await writeFile(path.join(dir, 'bad.csv'), `code,role,name,phone,from,to\n${code},网格长,坏电话,999,,\n`);
      const bad = await cli(path.join(dir, 'bad.csv'));
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('/rows/2/phone');
      expect((await roster(code)).json().staff.map((s: Member) => s.name)).toEqual(['命令行导入']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
