// `npm run seed`: loads the Zhoushan demo into the configured database (idempotent).
import pino from 'pino';
import path from 'node:path';
import { loadConfig } from '../server/config/env.ts';
import { migrateToLatest, openDatabase } from '../server/db/database.ts';
import { seedZhoushanDemo } from '../db/seeds/zhoushan.ts';

const config = loadConfig();
const log = pino({ level: config.logLevel });
const db = await openDatabase({ databaseUrl: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pglite') });
try {
  await migrateToLatest(db.knex);
  const { skipped } = await seedZhoushanDemo(db.knex, (message) => log.info(message));
  log.info(skipped ? 'demo already loaded; nothing to do' : 'demo loaded');
} finally {
  await db.close();
}
