// The API-key cache: bounded, never holding unknown keys, and a revoked key refused at once here and within a second
// on another replica of the same PostgreSQL database (NOTIFY wangge_access), with no sleeps: the tests poll.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import knexFactory from 'knex';
import pino from 'pino';
import { loadConfig } from '../../server/config/env.ts';
import { createUserWithKey, hashKey, revokeKeyByHash } from '../../server/db/repositories/users.ts';
import { startService, type Service } from '../../server/start.ts';
import { Keyring } from '../../server/workflow/keyring.ts';
import { BACKENDS, callAs, createScratchDatabase, startTestService, type TestService } from '../support/service.ts';

const client = (name: string) => ({ name, role: 'api_client' as const, scopePrefix: '' });
const lookupAs = (service: Service, key?: string) =>
  service.app.inject({ method: 'GET', url: '/v1/grids?limit=1', headers: key ? { authorization: `Bearer ${key}` } : {} });

/** Polls `refused` until it holds; the time it took in ms, or Infinity past `withinMs`. */
async function timeUntil(refused: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started <= withinMs) if (await refused()) return Date.now() - started;
  return Infinity;
}

describe.each(BACKENDS)('API-key cache on %s', (backend) => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService(backend, { WANGGE_MODE: 'production', SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('holds no unknown key, however many random bearer tokens arrive', async () => {
    await createUserWithKey(service.db.knex, client('缓存测试'), 'known-key');
    expect((await lookupAs(service, 'known-key')).statusCode).toBe(200);
    const before = service.app.keyring.size;
    expect(before).toBe(1);
    for (let i = 0; i < 500; i++) {
      const res = await lookupAs(service, `random-${i}-${Math.random().toString(36).slice(2)}`);
      expect(res.statusCode).toBe(401);
    }
    expect(service.app.keyring.size).toBe(before);
  });

  it('holds at most its capacity of keys, and still answers every key', async () => {
    const keyring = new Keyring({ knex: service.db.knex, backend: 'embedded', connectionString: '', capacity: 3 });
    await keyring.start();
    try {
      const keys = ['cap-1', 'cap-2', 'cap-3', 'cap-4', 'cap-5'];
      for (const key of keys) await createUserWithKey(service.db.knex, client(`容量测试 ${key}`), key);
      for (const key of keys) expect((await keyring.resolve(key))?.principal.name).toBe(`容量测试 ${key}`);
      expect(keyring.size).toBe(3);
      for (const key of keys) expect(await keyring.resolve(key)).not.toBeNull();
    } finally {
      await keyring.stop();
    }
  });

  it('refuses a key its holder revoked from the next request on, and audits it', async () => {
    const { id } = await createUserWithKey(service.db.knex, client('泄露的密钥'), 'leaked-key');
    expect((await lookupAs(service, 'leaked-key')).statusCode).toBe(200);
    const revoked = await callAs(service, 'DELETE', '/v1/keys/me', 'leaked-key');
    expect(revoked.statusCode, revoked.body).toBe(204);
    const refused = await lookupAs(service, 'leaked-key');
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer');
    const entries = await service.db.knex('audit_log').where({ entity: 'api_key', action: 'key.revoke' });
    const keyId = (await service.db.knex('api_keys').where({ user_id: id }).first()).id;
    expect(entries.map((e) => e.entity_id)).toContain(String(keyId));
    expect((await callAs(service, 'DELETE', '/v1/keys/me')).statusCode).toBe(401);
  });
});

describe.runIf(BACKENDS.includes('postgresql'))('key revocation across replicas on postgresql', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let a: Service;
  let b: Service;

  beforeAll(async () => {
    scratch = await createScratchDatabase();
    const log = pino({ level: 'silent' });
    const config = loadConfig({ LOG_LEVEL: 'silent', DATABASE_URL: scratch.url, WANGGE_MODE: 'production', SEED_DEMO: 'false' });
    a = await startService(config, log, { inMemory: true });
    b = await startService(config, log, { inMemory: true });
  }, 120_000);
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await scratch?.drop();
  });

  it('refuses on replica B, within a second, a key revoked through replica A', async () => {
    await createUserWithKey(a.db.knex, client('副本测试 A'), 'replica-key-a');
    expect((await lookupAs(b, 'replica-key-a')).statusCode).toBe(200);
    expect(b.app.keyring.size).toBe(1);
    const revoked = await a.app.inject({ method: 'DELETE', url: '/v1/keys/me', headers: { authorization: 'Bearer replica-key-a' } });
    expect(revoked.statusCode).toBe(204);
    expect(await timeUntil(async () => (await lookupAs(b, 'replica-key-a')).statusCode === 401, 1_000)).toBeLessThanOrEqual(1_000);
  });

  it('refuses on both replicas, within a second, a key revoked by another process (the NOTIFY alone)', async () => {
    await createUserWithKey(a.db.knex, client('副本测试 CLI'), 'replica-key-cli');
    for (const replica of [a, b]) expect((await lookupAs(replica, 'replica-key-cli')).statusCode).toBe(200);
    // Another connection, as `npm run admin` would be: nothing is announced in this process.
    const other = knexFactory({ client: 'pg', connection: scratch.url, pool: { min: 0, max: 1 } });
    try {
      await other.transaction((trx) => revokeKeyByHash(trx, hashKey('replica-key-cli')));
    } finally {
      await other.destroy();
    }
    for (const replica of [a, b]) {
      expect(await timeUntil(async () => (await lookupAs(replica, 'replica-key-cli')).statusCode === 401, 1_000)).toBeLessThanOrEqual(1_000);
    }
  });
});
