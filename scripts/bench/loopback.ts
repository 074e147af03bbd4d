// The service as the HTTP benchmarks and the soak run it: in-process on the embedded store, listening on 127.0.0.1
// only, the public rate limit lifted; and the points callers look up. Not a *.bench.ts, so `npm run bench` skips it.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import { loadConfig } from '../../server/config/env.ts';
import { startService, type Service } from '../../server/start.ts';
import { mulberry32 } from '../../server/domain/random.ts';

/** The demo township whose grids the points fall in (沈家门街道, 137 filed grids). */
export const POINTS_TOWNSHIP = '330903001000';

export interface LoopbackService {
  service: Service;
  port: number;
  base: string;
}

/** Starts the service on 127.0.0.1 at a free port; `env` adds to or overrides the configuration (LOOKUP_ENGINE…). */
export async function startLoopbackService(env: Record<string, string> = {}, log: Logger = pino({ level: 'silent' })): Promise<LoopbackService> {
  // One caller from one address: lift the public rate limit so the figures measure the service, not 429s.
  const config = loadConfig({ LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', RATE_LIMIT_PUBLIC: '1000000000', ...env });
  const service = await startService(config, log, { inMemory: true });
  try {
    await service.app.listen({ host: '127.0.0.1', port: 0 });
  } catch (error) {
    await service.close();
    throw error;
  }
  const port = (service.app.server.address() as AddressInfo).port;
  return { service, port, base: `http://127.0.0.1:${port}` };
}

/**
 * Points as callers send them (addresses, which lie in grids): nine in ten inside a random grid of the township
 * (rejection sampling in its bbox), one in ten anywhere in the township's bbox, mostly at sea (the "none" path).
 * @example const points = await realisticPoints(base, 10_000); // [[lon, lat], …], the same for the same seed
 */
export async function realisticPoints(base: string, count: number, seed = 42): Promise<number[][]> {
  const res = await fetch(`${base}/v1/grids?division=${POINTS_TOWNSHIP}&micro=false&limit=10000`);
  const grids = (await res.json()) as { features: Array<{ geometry: MultiPolygon }> };
  const bboxOf = (g: MultiPolygon) => {
    const xy = g.coordinates.flat(2);
    return [Math.min(...xy.map((p) => p[0])), Math.min(...xy.map((p) => p[1])), Math.max(...xy.map((p) => p[0])), Math.max(...xy.map((p) => p[1]))];
  };
  const boxes = grids.features.map((f) => bboxOf(f.geometry));
  const [w, s, e, n] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
  const random = mulberry32(seed);
  const pointInGrid = () => {
    const i = Math.floor(random() * grids.features.length);
    const [gw, gs, ge, gn] = boxes[i];
    for (;;) {
      const p = [gw + (ge - gw) * random(), gs + (gn - gs) * random()];
      if (booleanPointInPolygon(p, grids.features[i].geometry)) return p;
    }
  };
  return Array.from({ length: count }, () => (random() < 0.9 ? pointInGrid() : [w + (e - w) * random(), s + (n - s) * random()]));
}

// The load generator runs in its own process so it does not share the server's event loop (autocannon takes a
// worker thread for one of its own). autocannon (raw sockets, HdrHistogram) costs far less CPU per request than a
// loop of http.get, which matters with two cores for both sides. Input on stdin, result on stdout, both JSON.
export const LOAD_SOURCE = `
const autocannon = require('autocannon');
const { port, paths, connections, durationMs } = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
autocannon({
  url: 'http://127.0.0.1:' + port,
  connections,
  duration: durationMs / 1000,
  requests: paths.map((path) => ({ method: 'GET', path })),
  // JIT warm-up, not counted: the figures are the steady state a long-running service shows.
  warmup: { connections, duration: 2 },
}, (err, result) => {
  if (err) throw err;
  process.stdout.write(JSON.stringify({
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
  }));
});
`;

/** Runs a client script in a child process: input on its stdin, its stdout parsed as the result. */
export function inChildProcess<T>(source: string, input: unknown): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', source], { stdio: ['pipe', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve(JSON.parse(output) as T) : reject(new Error(`client process exited with ${code}`))));
    child.stdin.end(JSON.stringify(input));
  });
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** mean of autocannon's per-second samples, warm-up excluded */
  perSecond: number;
  p50: number;
  p99: number;
}
