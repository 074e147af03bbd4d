// The embedded database: PGlite with its PostGIS extension, stored in a local folder and served over the
// PostgreSQL wire protocol on a loopback port so the same `pg` driver and knex code run on both backends.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  connectionString: string;
  stop(): Promise<void>;
}

/** Opens (or creates) the PGlite database in `dataDir`; `dataDir` null keeps it in memory (tests). */
export async function startEmbeddedDatabase(dataDir: string | null): Promise<EmbeddedDatabase> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: dataDir ?? undefined, extensions: { postgis } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  return {
    connectionString: `postgres://postgres@${server.getServerConn()}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
