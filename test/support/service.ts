// Starts the real service for API tests on either backend: the embedded PGlite (in memory) or a throw-away
// database on a real PostgreSQL + PostGIS (WANGGE_TEST_PG_URL, default the local server).
import pg from 'pg';
import pino from 'pino';
import { loadConfig, type Config } from '../../server/config/env.ts';
import type { Backend } from '../../server/db/database.ts';
import { startService, type Service } from '../../server/start.ts';

export const ADMIN_URL = process.env.WANGGE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Both backends always; WANGGE_TEST_BACKENDS=embedded narrows it for a quick local run. */
export const BACKENDS: Backend[] = (process.env.WANGGE_TEST_BACKENDS?.split(',') as Backend[] | undefined) ?? ['embedded', 'postgresql'];

export interface TestService extends Service {
  config: Config;
}

export async function createScratchDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `wangge_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function startTestService(backend: Backend, env: Record<string, string> = {}): Promise<TestService> {
  const scratch = backend === 'postgresql' ? await createScratchDatabase() : null;
  // Suites fire many anonymous requests; the public rate limit is tested on its own (test/api/rateLimit.test.ts).
  const config = loadConfig({ LOG_LEVEL: 'silent', RATE_LIMIT_PUBLIC: '1000000', ...(scratch ? { DATABASE_URL: scratch.url } : {}), ...env });
  const service = await startService(config, pino({ level: 'silent' }), { inMemory: true });
  return {
    ...service,
    config,
    async close() {
      await service.close();
      await scratch?.drop();
    },
  };
}

/** One request through the service's router, as the holder of `key` (none: the public), with If-Match when given. */
export function callAs(service: TestService, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, key?: string, payload?: unknown, etag?: string) {
  return service.app.inject({
    method,
    url,
    payload: payload as object | undefined,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(etag ? { 'if-match': etag } : {}) },
  });
}
