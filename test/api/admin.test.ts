// Administration on both backends: a city administrator (made by `npm run admin -- init` on PostgreSQL, where another
// process can reach the database) creates users inside its scope with roles up to its own, issues, rotates, lists and
// revokes keys (shown once, with label, expiry and last use), and every action is audited. Bad input is a 4xx
// problem+json naming the field.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithKey } from '../../server/db/repositories/users.ts';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

const run = promisify(execFile);
const CITY = '330900000000';
const IN_SCOPE = '330903001000'; // 沈家门街道
const NINGBO_TOWNSHIP = '330203001000';

async function adminCli(service: TestService, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, DATABASE_URL: service.config.databaseUrl!, LOG_LEVEL: 'silent' };
  try {
    const { stdout, stderr } = await run(path.resolve('node_modules/.bin/tsx'), ['scripts/admin.ts', ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Polls until `done` holds (at most `withinMs`); no fixed sleeps. */
async function eventually(done: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started <= withinMs) if (await done()) return true;
  return false;
}

describe.each(BACKENDS)('administration on %s', (backend) => {
  let service: TestService;
  let admin: string;
  const as = (key: string | undefined, method: 'GET' | 'POST', url: string, payload?: unknown) => callAs(service, method, url, key, payload);

  beforeAll(async () => {
    service = await startTestService(backend, { WANGGE_MODE: 'production', SEED_DEMO: 'false' });
    // The CLI needs a database another process can open: on the embedded build the administrator is made in-process.
    if (backend === 'postgresql') {
      const init = await adminCli(service, 'init', '--city', '330900');
      expect(init.code, init.stderr).toBe(0);
      admin = JSON.parse(init.stdout).key.key;
    } else {
      admin = (await createUserWithKey(service.db.knex, { name: '舟山市网格化管理员', role: 'city_admin', scopePrefix: '3309' })).key;
    }
  });
  afterAll(async () => {
    await service?.close();
  });

  it('lets the administrator create users inside its scope, with roles up to its own', async () => {
    const created = await as(admin, 'POST', '/v1/admin/users', { name: '沈家门街道规划员 王芳', role: 'township_planner', divisionCode: IN_SCOPE });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ role: 'township_planner', scopePrefix: '330903001', disabledAt: null });
    const deputy = await as(admin, 'POST', '/v1/admin/users', { name: '普陀区网格化管理员', role: 'city_admin', divisionCode: '330903000000' });
    expect(deputy.statusCode, deputy.body).toBe(201);
    const listed = (await as(admin, 'GET', '/v1/admin/users?role=township_planner')).json().users;
    expect(listed.map((u: { name: string }) => u.name)).toContain('沈家门街道规划员 王芳');
  });

  it('refuses users outside its scope and roles above its own with 403 naming the field', async () => {
    const outside = await as(admin, 'POST', '/v1/admin/users', { name: '宁波规划员', role: 'township_planner', divisionCode: NINGBO_TOWNSHIP });
    expect(outside.statusCode).toBe(403);
    expect(outside.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(outside.json().errors).toEqual([expect.objectContaining({ pointer: '/divisionCode' })]);
    const above = await as(admin, 'POST', '/v1/admin/users', { name: '全局管理员', role: 'admin', divisionCode: CITY });
    expect(above.statusCode).toBe(403);
    expect(above.json().errors).toEqual([expect.objectContaining({ pointer: '/role' })]);
    expect(await service.db.knex('users').whereIn('name', ['宁波规划员', '全局管理员'])).toEqual([]);
  });

  it('keeps administration to administrators: 401 without a key, 403 for other roles, before the body is read', async () => {
    const anonymous = await as(undefined, 'POST', '/v1/admin/users', { nonsense: true });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer');
    const planner = (await createUserWithKey(service.db.knex, { name: '非管理员', role: 'city_registrar', scopePrefix: '3309' })).key;
    expect((await as(planner, 'POST', '/v1/admin/users', { nonsense: true })).statusCode).toBe(403);
    expect((await as(planner, 'GET', '/v1/admin/keys')).statusCode).toBe(403);
  });

  it.each([
    [{ name: '某人', role: 'mayor', divisionCode: IN_SCOPE }, '/role'],
    [{ name: '某人', role: 'township_planner', divisionCode: '33090300100' }, '/divisionCode'],
    [{ name: '某人', role: 'township_planner', divisionCode: '000000000000' }, '/divisionCode'],
    [{ name: '', role: 'township_planner', divisionCode: IN_SCOPE }, '/name'],
    [{ name: '   ', role: 'township_planner', divisionCode: IN_SCOPE }, '/name'],
    [{ name: '王\u0000芳', role: 'township_planner', divisionCode: IN_SCOPE }, '/name'],
    [{ role: 'township_planner', divisionCode: IN_SCOPE }, '/name'],
  ])('refuses a user %o with 400 naming %s', async (body, pointer) => {
    const res = await as(admin, 'POST', '/v1/admin/users', body);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it('issues keys shown once, lists them with label, expiry and last use, rotates and revokes them', async () => {
    const user = (await as(admin, 'POST', '/v1/admin/users', { name: '12345热线系统', role: 'api_client', divisionCode: CITY })).json();
    const issued = await as(admin, 'POST', '/v1/admin/keys', { userId: user.id, label: '热线主系统' });
    expect(issued.statusCode, issued.body).toBe(201);
    const { key, id } = issued.json();
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(issued.json()).toMatchObject({ label: '热线主系统', expiresAt: null, lastUsedAt: null, revokedAt: null });
    const stored = await service.db.knex('api_keys').where({ id }).first();
    expect(JSON.stringify(stored)).not.toContain(key);

    const before = Date.now();
    expect((await as(key, 'GET', '/v1/grids?limit=1')).statusCode).toBe(200);
    const listed = (await as(admin, 'GET', `/v1/admin/keys?userId=${user.id}`)).json().keys;
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('key');
    expect(listed[0].usageCount).toBe(1);
    expect(Date.parse(listed[0].lastUsedAt)).toBeGreaterThanOrEqual(before - 1_000);

    const rotated = await as(admin, 'POST', `/v1/admin/keys/${id}/rotate`, {});
    expect(rotated.statusCode, rotated.body).toBe(201);
    expect(rotated.json()).toMatchObject({ label: '热线主系统', userId: user.id });
    expect((await as(key, 'GET', '/v1/grids?limit=1')).statusCode).toBe(401);
    const fresh = rotated.json().key;
    expect((await as(fresh, 'GET', '/v1/grids?limit=1')).statusCode).toBe(200);

    const revoked = await as(admin, 'POST', `/v1/admin/keys/${rotated.json().id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await as(fresh, 'GET', '/v1/grids?limit=1')).statusCode).toBe(401);

    const trail = (await as(admin, 'GET', `/v1/admin/users/${user.id}/audit`)).json().entries.map((e: { action: string }) => e.action);
    expect(trail).toEqual(['user.create', 'key.issue', 'key.rotate', 'key.issue', 'key.revoke']);
  });

  it('refuses an expired key, and an expiry not in the future', async () => {
    const user = (await as(admin, 'POST', '/v1/admin/users', { name: '临时外包 QGIS', role: 'api_client', divisionCode: CITY })).json();
    const past = await as(admin, 'POST', '/v1/admin/keys', { userId: user.id, label: '过期', expiresAt: '2020-01-01T00:00:00+08:00' });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors).toEqual([expect.objectContaining({ pointer: '/expiresAt' })]);
    const badDate = await as(admin, 'POST', '/v1/admin/keys', { userId: user.id, label: '坏日期', expiresAt: 'tomorrow' });
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().errors[0].pointer).toBe('/expiresAt');

    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    const { key } = (await as(admin, 'POST', '/v1/admin/keys', { userId: user.id, label: '一次性', expiresAt })).json();
    expect((await as(key, 'GET', '/v1/grids?limit=1')).statusCode).toBe(200);
    expect(await eventually(async () => (await as(key, 'GET', '/v1/grids?limit=1')).statusCode === 401, 10_000)).toBe(true);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  });

  it('disables a user: every key refused, audited; keys of users outside the scope are not its to touch', async () => {
    const user = (await as(admin, 'POST', '/v1/admin/users', { name: '离职规划员', role: 'township_planner', divisionCode: IN_SCOPE })).json();
    const { key } = (await as(admin, 'POST', '/v1/admin/keys', { userId: user.id, label: '办公电脑' })).json();
    expect((await as(key, 'GET', '/v1/grids?limit=1')).statusCode).toBe(200);
    const disabled = await as(admin, 'POST', `/v1/admin/users/${user.id}/disable`);
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabledAt).not.toBeNull();
    expect((await as(key, 'GET', '/v1/grids?limit=1')).statusCode).toBe(401);
    expect((await as(admin, 'GET', `/v1/admin/users/${user.id}/audit`)).json().entries.map((e: { action: string }) => e.action)).toContain('user.disable');

    const ningbo = await createUserWithKey(service.db.knex, { name: '宁波热线', role: 'api_client', scopePrefix: '3302' });
    const foreign = await as(admin, 'POST', '/v1/admin/keys', { userId: ningbo.id, label: '越权' });
    expect(foreign.statusCode).toBe(403);
    expect((await as(admin, 'POST', `/v1/admin/users/${ningbo.id}/disable`)).statusCode).toBe(403);
    expect((await as(admin, 'POST', '/v1/admin/keys/99999999999999999999/revoke')).statusCode).toBe(400);
    expect((await as(admin, 'POST', '/v1/admin/keys/999999999/revoke')).statusCode).toBe(404);
  });

  it('describes /v1/admin in the OpenAPI document', async () => {
    const paths = Object.keys((await as(undefined, 'GET', '/openapi.json')).json().paths);
    for (const p of ['/v1/admin/users', '/v1/admin/users/{id}/disable', '/v1/admin/keys', '/v1/admin/keys/{id}/rotate', '/v1/admin/keys/{id}/revoke']) {
      expect(paths).toContain(p);
    }
  });
});

describe.runIf(BACKENDS.includes('postgresql'))('npm run admin on postgresql', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService('postgresql', { WANGGE_MODE: 'production', SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('creates the first administrator once, prints its key once, and says what exists on a second init', { timeout: 120_000 }, async () => {
    const first = await adminCli(service, 'init', '--city', '330200000000');
    expect(first.code, first.stderr).toBe(0);
    const { user, key } = JSON.parse(first.stdout);
    expect(user).toMatchObject({ role: 'city_admin', scopePrefix: '3302' });
    const me = await callAs(service, 'GET', '/v1/keys/me', key.key);
    expect(me.json()).toMatchObject({ role: 'city_admin', scopePrefix: '3302' });
    const audited = await service.db.knex('audit_log').where({ entity: 'user', entity_id: user.id }).pluck('action');
    expect(audited).toEqual(['admin.init']);

    const again = await adminCli(service, 'init', '--city', '3302');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(user.name);
    expect(again.stderr).toMatch(/--force/);
    expect(again.stdout).toBe('');
    const forced = await adminCli(service, 'init', '--city', '3302', '--force', '--name', '宁波市第二管理员');
    expect(forced.code, forced.stderr).toBe(0);
    const keys = await adminCli(service, 'keys', 'list', '--user', user.id);
    expect(JSON.parse(keys.stdout)).toEqual([expect.objectContaining({ id: key.id, label: 'first administrator key (init)' })]);
    expect(keys.stdout).not.toContain(key.key);
  });

  it('adds, lists and disables users and issues and revokes keys at the console; bad input exits 2 naming the option', { timeout: 120_000 }, async () => {
    const added = await adminCli(service, 'users', 'add', '--name', '镇海区审核员', '--role', 'county_reviewer', '--division', '330211000000');
    expect(added.code, added.stderr).toBe(0);
    const user = JSON.parse(added.stdout);
    const issued = JSON.parse((await adminCli(service, 'keys', 'issue', '--user', user.id, '--label', '审核工作站')).stdout);
    expect((await callAs(service, 'GET', '/v1/grids?limit=1', issued.key)).statusCode).toBe(200);
    const revoked = await adminCli(service, 'keys', 'revoke', issued.id);
    expect(revoked.code, revoked.stderr).toBe(0);
    // The CLI is another process: this service hears the revocation through NOTIFY only.
    expect(await eventually(async () => (await callAs(service, 'GET', '/v1/grids?limit=1', issued.key)).statusCode === 401, 1_000)).toBe(true);
    expect((await adminCli(service, 'users', 'disable', user.id)).code).toBe(0);
    const listed = JSON.parse((await adminCli(service, 'users', 'list', '--role', 'county_reviewer')).stdout);
    expect(listed).toEqual([expect.objectContaining({ name: '镇海区审核员', disabledAt: expect.any(String) })]);

    for (const [args, option] of [
      [['users', 'add', '--name', '某人', '--role', 'mayor', '--division', '330211000000'], '--role'],
      [['users', 'add', '--name', '某人', '--role', 'county_reviewer', '--division', '3302'], '--division'],
      [['users', 'add', '--name', '', '--role', 'county_reviewer', '--division', '330211000000'], '--name'],
      [['init', '--city', '330211000000'], '--city'],
      [['keys', 'issue', '--user', user.id, '--label', 'x', '--expires', 'soon'], '--expires'],
    ] as const) {
      const res = await adminCli(service, ...args);
      expect(res.code, res.stderr).toBe(2);
      expect(res.stderr).toContain(option);
    }
  });
});
