// The service as the HTTP benchmarks and the soak run it: in-process on the embedded store, listening on 127.0.0.1
// only, the public rate limit lifted; and the points callers look up. Not a *.bench.ts, so `npm run bench` skips it.
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
