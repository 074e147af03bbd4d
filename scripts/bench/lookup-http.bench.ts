// Lookup over HTTP on loopback, embedded store, in-memory engine against LOOKUP_ENGINE=postgis in the same run:
// a 100,000-point JSON batch end to end (points/s: request sent → answer decoded, by a client in its own process),
// and single GETs under load from a separate process (autocannon) (50 keep-alive connections, fixed duration;
// requests/s and latency percentiles). Prints one JSON line.
import { LOAD_SOURCE, inChildProcess, realisticPoints, startLoopbackService, type LoadResult } from './loopback.ts';

const BATCH = 100_000;
const CONNECTIONS = 50;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 10_000);
const BATCH_RUNS = 5;

// The batch client runs in its own process too, as callers do: encoding the body and decoding the answer are the
// caller's work and must not share the server's event loop. The body is encoded before the clock starts; each run
// times POST → answer decoded. Input on stdin, result on stdout, both JSON.
const BATCH_SOURCE = `
const { port, points, runs, warmup } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const body = JSON.stringify(points);
(async () => {
  const times = [];
  let hits = 0;
  for (let run = -warmup; run < runs; run++) {
    const t = performance.now();
    const res = await fetch('http://127.0.0.1:' + port + '/v1/lookup', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const answer = await res.json();
    if (run >= 0) times.push(performance.now() - t);
    if (res.status !== 200) throw new Error('batch answered ' + res.status);
    hits = answer.results.filter((r) => r.gridCode).length;
  }
  process.stdout.write(JSON.stringify({ times, hits }));
})();
`;

async function measure(engine: 'memory' | 'postgis') {
  const { service, port, base } = await startLoopbackService({ LOOKUP_ENGINE: engine });
  try {
    const points = await realisticPoints(base, BATCH);
    // JIT warm-up, not counted (the in-memory engine only: a PostGIS batch takes half a minute).
    const batch = await inChildProcess<{ times: number[]; hits: number }>(BATCH_SOURCE, {
      port,
      points,
      runs: engine === 'memory' ? BATCH_RUNS : 1,
      warmup: engine === 'memory' ? 1 : 0,
    });
    const batchMs = [...batch.times].sort((a, b) => a - b)[Math.floor(batch.times.length / 2)];

    const paths = points.slice(0, 10_000).map(([x, y]) => `/v1/lookup?lon=${x}&lat=${y}`);
    const load = await inChildProcess<LoadResult>(LOAD_SOURCE, { port, paths, connections: CONNECTIONS, durationMs: DURATION_MS });
    return {
      batchPoints: BATCH,
      batchMs: Math.round(batchMs),
      // Every timed run, so the scatter around the median shows.
      batchRunsMs: batch.times.map(Math.round),
      batchPointsPerS: Math.round(BATCH / (batchMs / 1000)),
      batchHits: batch.hits,
      getRequests: load.requests,
      getErrors: load.errors,
      getRequestsPerS: Math.round(load.perSecond),
      getP50Ms: load.p50,
      getP99Ms: load.p99,
    };
  } finally {
    await service.close();
  }
}

const memory = await measure('memory');
const postgis = await measure('postgis');
console.log(
  JSON.stringify({
    bench: 'lookup-http',
    backend: 'embedded',
    connections: CONNECTIONS,
    durationS: DURATION_MS / 1000,
    memory,
    postgis,
    ratio: {
      batch: +(memory.batchPointsPerS / postgis.batchPointsPerS).toFixed(1),
      get: +(memory.getRequestsPerS / postgis.getRequestsPerS).toFixed(1),
    },
    targets: { batchPointsPerS: 300_000, getRequestsPerS: 10_000, getP99Ms: 10 },
  }),
);
