// Tile serving: p95 over random tiles z8–z16 over land in the Zhoushan demo, uncached and cached through HTTP,
// against the baseline (plain ST_AsMVT per request: whole geometries transformed, no pre-clip, no simplification,
// no cache) on the same tiles in the same run. Prints one JSON line.
// Usage: npx tsx scripts/bench/tiles.bench.ts [tilesPerRun=300]   (WANGGE_TEST_BACKENDS=embedded for one backend)
import { BACKENDS, startTestService } from '../../test/support/service.ts';
import { renderTile } from '../../server/db/repositories/tiles.ts';
import { invalidateTiles } from '../../server/domain/tiles/cache.ts';
import { tileOf, type TileAddress } from '../../server/domain/tiles/tile-math.ts';
import type { TileLayerName } from '../../server/domain/tiles/layers.ts';
import { mulberry32 } from '../../server/domain/random.ts';

const COUNT = Number(process.argv[2] ?? 300);
const LAYERS: TileLayerName[] = ['grids', 'micro-grids', 'sea-grids', 'divisions', 'islands', 'households'];

/** Deterministic, so both backends and every mode see the same tiles. */
const p = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const r = (v: number) => Math.round(v * 100) / 100;
  return { p50: r(p(sorted, 0.5)), p95: r(p(sorted, 0.95)), max: r(sorted[sorted.length - 1]) };
};

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

const results: Record<string, unknown> = { bench: 'tiles', tiles: COUNT, zooms: '8-16' };
for (const backend of BACKENDS) {
  const service = await startTestService(backend);
  const { knex } = service.db;
  // Land = where households live: random household points pick the tiles.
  const points: { lon: number; lat: number }[] = (await knex.raw('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM household_counts')).rows;
  const random = mulberry32(9);
  const requests = Array.from({ length: COUNT }, () => {
    const point = points[Math.floor(random() * points.length)];
    const z = 8 + Math.floor(random() * 9);
    return { layer: LAYERS[Math.floor(random() * LAYERS.length)], tile: tileOf(point.lon, point.lat, z) as TileAddress };
  });
  const url = ({ layer, tile }: (typeof requests)[number]) => `/tiles/${layer}/${tile.z}/${tile.x}/${tile.y}.mvt`;
  const options = { inhabitedThreshold: 50 };

  // Warm the connection and the query plans on tiles outside the sample.
  for (const layer of LAYERS) await renderTile(knex, backend, layer, tileOf(122.1, 30.0, 10), options);

  const baseline: number[] = [];
  for (const r of requests) baseline.push(await time(() => renderTile(knex, backend, r.layer, r.tile, { ...options, mode: 'plain' })));
  const optimised: number[] = [];
  for (const r of requests) optimised.push(await time(() => renderTile(knex, backend, r.layer, r.tile, options)));
  const uncached: number[] = [];
  for (const r of requests) {
    invalidateTiles();
    uncached.push(await time(() => service.app.inject({ url: url(r), headers: { 'accept-encoding': 'gzip' } })));
  }
  // The uncached pass empties the cache before every request; fill it once so the cached pass measures hits only.
  for (const r of requests) await service.app.inject({ url: url(r), headers: { 'accept-encoding': 'gzip' } });
  const cached: number[] = [];
  for (const r of requests) cached.push(await time(() => service.app.inject({ url: url(r), headers: { 'accept-encoding': 'gzip' } })));

  const b = summary(baseline);
  const u = summary(uncached);
  const c = summary(cached);
  const o = summary(optimised);
  results[backend] = {
    encoder: backend === 'postgresql' ? 'ST_AsMVT' : 'SQL clip/snap + JS encoder (PGlite has no protobuf-c)',
    baselinePlainMs: b,
    optimisedRenderMs: o,
    uncachedHttpMs: u,
    cachedHttpMs: c,
    p95RatioBaselineToOptimisedRender: Math.round((b.p95 / o.p95) * 100) / 100,
    p95RatioBaselineToUncached: Math.round((b.p95 / u.p95) * 100) / 100,
    p95RatioBaselineToCached: Math.round((b.p95 / c.p95) * 10) / 10,
    loadAverage: (await import('node:os')).loadavg()[0],
    targets: { uncachedP95Under50: u.p95 < 50, cachedP95Under5: c.p95 < 5 },
  };
  await service.close();
}
console.log(JSON.stringify(results));
