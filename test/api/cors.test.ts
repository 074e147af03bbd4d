// CORS on both backends: a web map on another origin may read tiles, OGC features and /v1 (GET, HEAD and their
// preflight); writes never get CORS headers; production shares nothing unless CORS_ORIGINS names the origin
// (without it: test/api/production-access.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config/env.ts';
import { BACKENDS, startTestService, type TestService } from '../support/service.ts';

const MAP_ORIGIN = 'https://map.example.org';
const TILE = '/tiles/grids/12/3439/1707.mvt';

describe('CORS_ORIGINS', () => {
  it('defaults to any origin in demo mode and to none in production', () => {
    expect(loadConfig({}).corsOrigins).toBe('any');
    expect(loadConfig({ WANGGE_MODE: 'production' }).corsOrigins).toBe('none');
    expect(loadConfig({ WANGGE_MODE: 'production', CORS_ORIGINS: `${MAP_ORIGIN}, http://127.0.0.1:5173` }).corsOrigins).toEqual([MAP_ORIGIN, 'http://127.0.0.1:5173']);
    expect(loadConfig({ CORS_ORIGINS: 'none' }).corsOrigins).toBe('none');
  });

  it('refuses an entry that is not an origin, naming it', () => {
    for (const bad of ['map.example.org', 'https://map.example.org/tiles', 'ftp://map.example.org']) {
      expect(() => loadConfig({ CORS_ORIGINS: `${MAP_ORIGIN},${bad}` })).toThrow(`CORS_ORIGINS: "${bad}" is not an origin`);
    }
  });
});

describe.each(BACKENDS)('CORS on %s', (backend) => {
  let demo: TestService;
  let production: TestService;
  const preflight = (service: TestService, url: string, method: string, origin = MAP_ORIGIN) =>
    service.app.inject({
      method: 'OPTIONS',
      url,
      headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization' },
    });
  const fromOrigin = (service: TestService, method: 'GET' | 'POST', url: string, origin = MAP_ORIGIN, extra: Record<string, string> = {}) =>
    service.app.inject({ method, url, headers: { origin, ...extra }, ...(method === 'POST' ? { payload: [[122.3, 29.95]] } : {}) });

  beforeAll(async () => {
    demo = await startTestService(backend);
    production = await startTestService(backend, { WANGGE_MODE: 'production', SEED_DEMO: 'false', CORS_ORIGINS: MAP_ORIGIN });
  });
  afterAll(async () => {
    await demo?.close();
    await production?.close();
  });

  it('answers a preflight for reads of tiles, OGC and /v1 with the key header allowed', async () => {
    for (const url of [TILE, '/tiles/grids.json', '/ogc/collections/grids/items', '/v1/grids']) {
      const res = await preflight(demo, url, 'GET');
      expect(res.statusCode, url).toBe(204);
      expect(res.headers['access-control-allow-origin'], url).toBe('*');
      expect(String(res.headers['access-control-allow-methods'])).toBe('GET, HEAD');
      expect(String(res.headers['access-control-allow-headers'])).toMatch(/Authorization/);
    }
  });

  it('marks tile and feature reads as shareable, and exposes ETag and Link', async () => {
    const tile = await fromOrigin(demo, 'GET', TILE);
    expect([200, 204]).toContain(tile.statusCode);
    expect(tile.headers['access-control-allow-origin']).toBe('*');
    expect(String(tile.headers['access-control-expose-headers'])).toMatch(/ETag/);
    const items = await fromOrigin(demo, 'GET', '/ogc/collections/grids/items?limit=1');
    expect(items.statusCode).toBe(200);
    expect(items.headers['access-control-allow-origin']).toBe('*');
  });

  it('shares no write: a POST gets no CORS headers and its preflight allows nothing', async () => {
    const post = await fromOrigin(demo, 'POST', '/v1/lookup');
    expect(post.statusCode).toBe(200);
    expect(post.headers['access-control-allow-origin']).toBeUndefined();
    expect((await preflight(demo, '/v1/plans', 'POST')).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('in production shares reads with the listed origin only, refusals included', async () => {
    const listed = await fromOrigin(production, 'GET', '/health');
    expect(listed.headers['access-control-allow-origin']).toBe(MAP_ORIGIN);
    expect(String(listed.headers.vary)).toMatch(/Origin/);
    const other = await fromOrigin(production, 'GET', '/health', 'https://elsewhere.example.com');
    expect(other.statusCode).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // A browser must be able to read why its key was refused.
    const refused = await fromOrigin(production, 'GET', '/v1/grids', MAP_ORIGIN, { authorization: 'Bearer not-a-key' });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(MAP_ORIGIN);
  });
});
