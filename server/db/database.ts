// Opens the store: the embedded PGlite by default, a real PostgreSQL + PostGIS when DATABASE_URL is set.
// Both go through the same `pg` driver and knex, so every query and migration runs unchanged on either.
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { migrationSource } from '../../db/migrations/index.ts';
import { startEmbeddedDatabase } from './embedded.ts';

// Calendar dates stay `YYYY-MM-DD` strings: turning them into local-midnight Date objects shifts them across time zones.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Backend = 'embedded' | 'postgresql';

export interface Database {
  knex: Knex;
  backend: Backend;
  connectionString: string;
  close(): Promise<void>;
}

/** A failure to reach or prepare the database, worded for the operator. */
export class DatabaseUnavailable extends Error {}

export interface OpenOptions {
  databaseUrl: string | null;
  /** Folder for the embedded database; null keeps it in memory. */
  embeddedDir: string | null;
  poolMax?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const embedded = options.databaseUrl ? null : await startEmbeddedDatabase(options.embeddedDir);
  const connectionString = options.databaseUrl ?? embedded!.connectionString;
  const knex = knexFactory({
    client: 'pg',
    connection: connectionString,
    // PGlite serves one connection at a time; a larger pool would queue behind it and deadlock transactions.
    pool: { min: 0, max: embedded ? 1 : (options.poolMax ?? 10) },
    acquireConnectionTimeout: 30_000,
  });
  const close = async () => {
    await knex.destroy();
    await embedded?.stop();
  };
  try {
    await knex.raw('select 1');
  } catch (error) {
    await close();
    throw new DatabaseUnavailable(`cannot connect to ${redact(connectionString)}: ${(error as Error).message}`);
  }
  try {
    await ensurePostgis(knex);
  } catch (error) {
    await close();
    throw error;
  }
  return { knex, backend: embedded ? 'embedded' : 'postgresql', connectionString, close };
}

async function ensurePostgis(knex: Knex): Promise<void> {
  const installed = await knex.raw(`select 1 from pg_extension where extname = 'postgis'`);
  if (installed.rows.length > 0) return;
  try {
    await knex.raw('CREATE EXTENSION IF NOT EXISTS postgis');
  } catch (error) {
    throw new DatabaseUnavailable(
      `PostGIS is not installed in this database and this user may not create it (${(error as Error).message}). ` +
        'Ask an administrator to run: CREATE EXTENSION postgis;',
    );
  }
}

export async function migrateToLatest(knex: Knex): Promise<void> {
  await knex.migrate.latest({ migrationSource });
}

export async function migrateDownAll(knex: Knex): Promise<void> {
  await knex.migrate.rollback({ migrationSource }, true);
}

function redact(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'the database';
  }
}
