// Production mode on both backends: lookups need an API-client key, each key has its own rate limit, and a client
// can read its key's usage count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithKey } from '../../server/db/repositories/users.ts';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';

const LIMIT = 5;
const KEYS = { hotline: 'test-hotline-key', hotlineBackup: 'test-hotline-backup-key', police: 'test-police-key' } as const;

describe.each(BACKENDS)('production access on %s', (backend) => {
  let service: TestService;
  const lookup = (key?: keyof typeof KEYS) =>
    service.app.inject({ method: 'GET', url: '/v1/lookup?lon=122.30&lat=29.95', headers: key ? { authorization: `Bearer ${KEYS[key]}` } : {} });
  const me = (key: keyof typeof KEYS) => service.app.inject({ method: 'GET', url: '/v1/keys/me', headers: { authorization: `Bearer ${KEYS[key]}` } });

  beforeAll(async () => {
    service = await startTestService(backend, { WANGGE_MODE: 'production', SEED_DEMO: 'false', RATE_LIMIT_PER_KEY: String(LIMIT) });
    await createUserWithKey(service.db.knex, { name: '12345热线', role: 'api_client', scopePrefix: '' }, KEYS.hotline);
    await createUserWithKey(service.db.knex, { name: '公安110', role: 'api_client', scopePrefix: '' }, KEYS.police);
    // a second key of the same user (the hotline's standby system)
    await createUserWithKey(service.db.knex, { name: '12345热线', role: 'api_client', scopePrefix: '' }, KEYS.hotlineBackup);
  });
  afterAll(async () => {
    await service?.close();
  });

  it('refuses a lookup without a key with 401 problem+json', async () => {
    const res = await lookup();
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json().detail).toMatch(/API key/);
    const wrong = await service.app.inject({ method: 'GET', url: '/v1/lookup?lon=122.30&lat=29.95', headers: { authorization: 'Bearer not-a-key' } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().detail).toMatch(/Unknown, revoked or expired/);
  });

  it('answers a keyed lookup and limits each key on its own', async () => {
    const answers = [];
    for (let i = 0; i < LIMIT + 1; i++) answers.push(await lookup('hotline'));
    expect(answers.slice(0, LIMIT).map((r) => r.statusCode)).toEqual(Array(LIMIT).fill(200));
    expect(answers[0].json()).toHaveProperty('grid');
    const refused = answers[LIMIT];
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await lookup('police')).statusCode).toBe(200);
    expect((await lookup('hotlineBackup')).statusCode).toBe(200);
  });

  it('shares nothing with other origins when CORS_ORIGINS is not set', async () => {
    const read = await service.app.inject({ method: 'GET', url: '/health', headers: { origin: 'https://map.example.org' } });
    expect(read.statusCode).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await service.app.inject({ method: 'OPTIONS', url: '/health', headers: { origin: 'https://map.example.org', 'access-control-request-method': 'GET' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it("tells a client its key's role, usage count and rate limit", async () => {
    const hotline = (await me('hotline')).json();
    expect(hotline).toMatchObject({ name: '12345热线', role: 'api_client', rateLimitPerMinute: LIMIT });
    // six lookups, then this request itself (refused by the rate limit, but counted)
    expect(hotline.usageCount).toBe(LIMIT + 2);
    expect((await me('police')).json().usageCount).toBe(2);
    const anonymous = await service.app.inject({ method: 'GET', url: '/v1/keys/me' });
    expect(anonymous.statusCode).toBe(401);
  });
});
