// The embedded database: PGlite with its PostGIS extension, stored in a local folder and served over the
// PostgreSQL wire protocol on a loopback port so the same `pg` driver and knex code run on both backends.
// PGlite runs in a worker thread of its own (embeddedWorker.ts): its queries are synchronous WebAssembly, and in
// the service's thread every query (a filing's transaction, a tile drawn) would stall all other requests, in-memory
// lookups included, for its whole duration.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { workerBootstrap } from '../jobs/workerBootstrap.ts';

export interface EmbeddedDatabase {
  connectionString: string;
  stop(): Promise<void>;
}

export interface EmbeddedWorkerData {
  dataDir: string | null;
}

export type EmbeddedWorkerMessage = { kind: 'ready'; connectionString: string } | { kind: 'stopped' } | { kind: 'failed'; message: string };

const BOOTSTRAP = workerBootstrap(new URL('./embeddedWorker.ts', import.meta.url));

/** Opens (or creates) the PGlite database in `dataDir` in its own thread; `dataDir` null keeps it in memory (tests). */
export async function startEmbeddedDatabase(dataDir: string | null): Promise<EmbeddedDatabase> {
  const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { dataDir } satisfies EmbeddedWorkerData });
  // A thread that fails once running shows as refused connections in the pool, which the queries report.
  worker.on('error', () => undefined);
  const exited = once(worker, 'exit');
  const reply = () =>
    new Promise<EmbeddedWorkerMessage>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      void exited.then(([code]) => reject(new Error(`the embedded database thread exited with code ${code}`)));
    });
  const started = await reply();
  if (started.kind !== 'ready') {
    await worker.terminate();
    throw new Error(`the embedded database did not start: ${started.kind === 'failed' ? started.message : started.kind}`);
  }
  return {
    connectionString: started.connectionString,
    async stop() {
      const stopped = reply();
      worker.postMessage('stop');
      await stopped.catch(() => undefined);
      await worker.terminate();
    },
  };
}
