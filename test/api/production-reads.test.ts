// Production mode closes every registry read to the public, OGC API – Features and vector tiles included, as /v1:
// 401 problem+json with WWW-Authenticate before any parameter is looked at; a key reads them. Open to all: /health,
// the API description and public notices. Demo mode leaves the same reads open.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserWithKey } from '../../server/db/repositories/users.ts';
import { tileOf } from '../../server/domain/tiles/tile-math.ts';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';

const run = promisify(execFile);
const KEY = 'test-gis-office-key';
const GRID = '330903001001001';
// 沈家门, where the demo's filed grids are
const { z, x, y } = tileOf(122.3, 29.95, 13);
const TILE = `/tiles/grids/${z}/${x}/${y}.mvt`;

/** Every route of the OGC and tile surfaces, with its answer to a key. */
const CLOSED: Array<[string, number[]]> = [
  ['/ogc', [200]],
  ['/ogc?f=html', [200]],
  ['/ogc/api', [200]],
  ['/ogc/conformance', [200]],
  ['/ogc/collections', [200]],
  ['/ogc/collections/grids', [200]],
  ['/ogc/collections/grids/queryables', [200]],
  ['/ogc/collections/grids/items', [200]],
  ['/ogc/collections/sea-grids/items', [200]],
  ['/ogc/collections/islands/items', [200]],
  ['/ogc/collections/divisions/items', [200]],
  ['/ogc/collections/household-density/items', [200]],
  [`/ogc/collections/grids/items/${GRID}`, [200]],
  ['/tiles', [200]],
  ['/tiles/grids.json', [200]],
  ['/tiles/households.json', [200]],
  [TILE, [200]],
  [`/tiles/households/${z}/${x}/${y}.mvt`, [200]],
];

describe.each(BACKENDS)('production reads on %s', (backend) => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService(backend, { WANGGE_MODE: 'production', SEED_DEMO: 'true' });
    await createUserWithKey(service.db.knex, { name: '市网格化工作机构 GIS', role: 'api_client', scopePrefix: '' }, KEY);
  }, 400_000); // loading the whole demo into the embedded build takes minutes on a busy machine
  afterAll(async () => {
    await service?.close();
  });

  it.each(CLOSED.map(([url]) => url))('refuses %s without a key: 401 problem+json with WWW-Authenticate', async (url) => {
    const res = await callAs(service, 'GET', url);
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.headers['www-authenticate']).toBe('Bearer');
    expect(res.json()).toMatchObject({ status: 401, detail: expect.stringMatching(/API key/) });
  });

  it.each(CLOSED)('answers %s to a key', async (url, statuses) => {
    const res = await callAs(service, 'GET', url, KEY);
    expect(statuses, res.body.slice(0, 300)).toContain(res.statusCode);
  });

  it('says 401 before it looks at parameters, and 401 for an unknown key', async () => {
    for (const url of ['/tiles/grids/23/0/0.mvt', '/tiles/nothing.json', '/ogc/collections/nothing/items', '/ogc/collections/grids/items?bbox=x']) {
      expect((await callAs(service, 'GET', url)).statusCode, url).toBe(401);
      expect((await callAs(service, 'GET', url, KEY)).statusCode, url).toBeGreaterThanOrEqual(400);
    }
    const unknown = await callAs(service, 'GET', '/ogc/collections/grids/items', 'not-a-key');
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['www-authenticate']).toBe('Bearer');
  });

  it('is read by GDAL sending the key in GDAL_HTTP_HEADERS, as docs/interop.md says', { timeout: 120_000 }, async () => {
    const address = await service.app.listen({ port: 0, host: '127.0.0.1' });
    const keyed = { env: { ...process.env, GDAL_HTTP_HEADERS: `Authorization: Bearer ${KEY}` } };
    const { stdout } = await run('ogrinfo', ['-ro', '-q', `OAPIF:${address}/ogc`], keyed);
    expect(stdout).toMatch(/grids/);
    await expect(run('ogrinfo', ['-ro', '-q', `OAPIF:${address}/ogc`], { env: { ...process.env, GDAL_HTTP_HEADERS: '' } })).rejects.toThrow(/401/);
  });

  it('lets no shared cache keep a tile answered to a key', async () => {
    const res = await callAs(service, 'GET', TILE, KEY);
    expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
  });

  it('keeps /health, the API description and public notices open', async () => {
    for (const url of ['/health', '/openapi.json', '/docs/', `/v1/grids/${GRID}/notice`, `/v1/grids/${GRID}/notice?f=html`, '/v1/divisions/330903001000/notice']) {
      expect((await callAs(service, 'GET', url)).statusCode, url).toBe(200);
    }
  });

  it('documents the 401 of every OGC and tile route', async () => {
    const paths = (await callAs(service, 'GET', '/openapi.json')).json().paths as Record<string, { get?: { responses: Record<string, unknown> } }>;
    const closed = Object.entries(paths).filter(([path]) => /^\/(ogc|tiles)(\/|$)/.test(path));
    expect(closed.length).toBeGreaterThanOrEqual(10);
    for (const [path, item] of closed) expect(item.get?.responses, path).toHaveProperty('401');
  });
});

describe.each(BACKENDS)('demo reads on %s', (backend) => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService(backend, { WANGGE_MODE: 'demo', SEED_DEMO: 'false' });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('answers the OGC and tile routes to anyone, with tiles shared caches may keep', async () => {
    for (const [url] of CLOSED.filter(([url]) => !url.includes(GRID))) {
      const res = await callAs(service, 'GET', url);
      expect([200, 204], `${url}: ${res.body.slice(0, 200)}`).toContain(res.statusCode);
    }
    expect((await callAs(service, 'GET', TILE)).headers['cache-control']).toMatch(/^public, max-age=\d+$/);
  });
});
