// Start-up sequence shared by `npm start` and the tests: open the store, migrate, load the demo, build the app.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config/env.ts';
import { migrateToLatest, openDatabase, type Database } from './db/database.ts';
import { seedZhoushanDemo } from '../db/seeds/zhoushan.ts';
import { buildApp } from './app.ts';
import { DEMO_USERS } from './domain/access/demoUsers.ts';
import { createUserWithKey } from './db/repositories/users.ts';
import path from 'node:path';

export interface Service {
  app: FastifyInstance;
  db: Database;
  close(): Promise<void>;
}

export async function startService(config: Config, log: Logger, options: { inMemory?: boolean } = {}): Promise<Service> {
  const started = Date.now();
  log.info(config.databaseUrl ? 'connecting to PostgreSQL' : `opening embedded database in ${options.inMemory ? 'memory' : config.dataDir}`);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    embeddedDir: options.inMemory ? null : path.join(config.dataDir, 'pglite'),
  });
  try {
    log.info('running migrations');
    await migrateToLatest(db.knex);
    if (config.seedDemo) {
      const seedLog = log.child({ phase: 'seed' });
      const { skipped } = await seedZhoushanDemo(db.knex, (message) => seedLog.info(message));
      log.info(skipped ? 'Zhoushan demo already loaded' : 'Zhoushan demo loaded');
    }
    if (config.mode === 'demo') {
      for (const user of DEMO_USERS) await createUserWithKey(db.knex, user, user.key);
      log.info(`demo users (Authorization: Bearer <key>): ${DEMO_USERS.map((u) => `${u.key} = ${u.role} ${u.scopePrefix || 'all'}`).join('; ')}`);
    }
    const app = await buildApp({ db, config, logger: log.child({ component: 'http' }) });
    log.info({ ms: Date.now() - started, backend: db.backend }, 'service ready');
    return {
      app,
      db,
      async close() {
        await app.close();
        await db.close();
      },
    };
  } catch (error) {
    await db.close();
    throw error;
  }
}
