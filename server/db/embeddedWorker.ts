// Worker-thread entry: the embedded PGlite and its socket server, so that the database's work (WebAssembly that
// runs to completion per query: a filing's transaction, a tile's geometry, an import) never holds up the service's
// event loop. Started by embedded.ts with the data folder; posts the connection string when ready and closes the
// database when told to stop.
import { mkdir } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import type { EmbeddedWorkerData, EmbeddedWorkerMessage } from './embedded.ts';

const port = parentPort!;
const post = (message: EmbeddedWorkerMessage) => port.postMessage(message);
const { dataDir } = workerData as EmbeddedWorkerData;

try {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: dataDir ?? undefined, extensions: { postgis } });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
  await server.start();
  port.once('message', async () => {
    await server.stop();
    await db.close();
    post({ kind: 'stopped' });
    port.close();
  });
  post({ kind: 'ready', connectionString: `postgres://postgres@${server.getServerConn()}/postgres` });
} catch (error) {
  post({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  port.close();
}
