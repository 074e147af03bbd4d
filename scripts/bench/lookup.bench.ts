// Point-to-grid lookup throughput, single core, against a turf.booleanPointInPolygon linear scan in the same run.
// (a) Zhoushan-demo scale: 2,000 bent Voronoi grids over lon 121.8–122.8, lat 29.6–30.9;
// (b) province scale: 50,000 grids over lon 118–123, lat 27–31.2 (roughly Zhejiang).
// Run: npx tsx scripts/bench/lookup.bench.ts   → one JSON line.
import { booleanPointInPolygon, bbox as turfBbox } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { buildLookupIndex, lookupBatch, lookupPoint, type LookupIndex, type LookupGridInput } from '../../server/domain/lookup/index.ts';
import { syntheticPartition, type BBox } from '../../test/unit/lookup/synthetic-partition.ts';
import { mulberry32 } from '../../server/domain/random.ts';

const POINTS = 1_000_000;
const RUNS = 5;

interface Scenario {
  name: string;
  cells: number;
  bbox: BBox;
  /** Points for the turf baselines (plain, with bbox): the scans take minutes at province scale. */
  turfSample: [number, number];
  target: number;
}

const SCENARIOS: Scenario[] = [
  { name: 'zhoushan_2000', cells: 2000, bbox: [121.8, 29.6, 122.8, 30.9], turfSample: [1000, 5000], target: 1_000_000 },
  { name: 'province_50000', cells: 50_000, bbox: [118, 27, 123, 31.2], turfSample: [100, 500], target: 500_000 },
];

function randomPoints(bbox: BBox, n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const coords = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    coords[i * 2] = bbox[0] + rand() * (bbox[2] - bbox[0]);
    coords[i * 2 + 1] = bbox[1] + rand() * (bbox[3] - bbox[1]);
  }
  return coords;
}

function indexBytes(index: LookupIndex): number {
  let bytes = 0;
  for (const layer of [index.land, index.micro, index.sea]) {
    for (const { packed } of layer.parts) {
      for (const value of Object.values(packed)) {
        if (ArrayBuffer.isView(value)) bytes += value.byteLength;
      }
      bytes += packed.tree?.data.byteLength ?? 0;
    }
  }
  return bytes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function turfScan(features: Feature<Polygon | MultiPolygon>[], coords: Float64Array, n: number): { seconds: number; codes: (string | null)[] } {
  const codes: (string | null)[] = [];
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const pt = [coords[i * 2], coords[i * 2 + 1]];
    let best: string | null = null;
    for (const f of features) {
      const code = f.properties!.code as string;
      if ((best === null || code < best) && booleanPointInPolygon(pt, f)) best = code;
    }
    codes.push(best);
  }
  return { seconds: (performance.now() - start) / 1000, codes };
}

function runScenario(s: Scenario) {
  const genStart = performance.now();
  const grids: LookupGridInput[] = syntheticPartition({ cells: s.cells, bbox: s.bbox, seed: 2024, verticesPerEdge: [7, 32] });
  const vertexCounts = grids.map((g) => (g.geometry as Polygon).coordinates[0].length - 1);
  const generateSeconds = (performance.now() - genStart) / 1000;

  const heapBefore = process.memoryUsage();
  const buildStart = performance.now();
  const index = buildLookupIndex(grids);
  const buildSeconds = (performance.now() - buildStart) / 1000;

  const coords = randomPoints(s.bbox, POINTS, 7);
  let out = lookupBatch(index, coords); // warm-up, and the arrays reused below
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    out = lookupBatch(index, coords, out);
    rates.push(POINTS / ((performance.now() - t) / 1000));
  }
  const batchRate = median(rates);

  const singleN = 200_000;
  let found = 0;
  const singleStart = performance.now();
  for (let i = 0; i < singleN; i++) if (lookupPoint(index, coords[i * 2], coords[i * 2 + 1]).grid) found++;
  const singleRate = singleN / ((performance.now() - singleStart) / 1000);

  // Baselines on a subsample: plain features (turf tests every ring), and features carrying a bbox (turf skips on it).
  const plain = grids.map((g): Feature<Polygon | MultiPolygon> => ({ type: 'Feature', properties: { code: g.code }, geometry: g.geometry }));
  const withBbox = plain.map((f) => ({ ...f, bbox: turfBbox(f) }));
  const [plainSample, bboxSample] = s.turfSample;
  const turfPlain = turfScan(plain, coords, plainSample);
  const turfBboxed = turfScan(withBbox, coords, bboxSample);
  const turfPlainRate = plainSample / turfPlain.seconds;
  const turfBboxRate = bboxSample / turfBboxed.seconds;
  let mismatches = 0;
  turfBboxed.codes.forEach((code, i) => {
    const ours = out.land[i] < 0 ? null : index.land.grids[out.land[i]].code;
    if (ours !== code) mismatches++;
  });
  const heapAfter = process.memoryUsage();

  return {
    scenario: s.name,
    grids: grids.length,
    vertices: { min: Math.min(...vertexCounts), mean: Math.round(vertexCounts.reduce((a, b) => a + b, 0) / vertexCounts.length), max: Math.max(...vertexCounts) },
    generate_s: +generateSeconds.toFixed(2),
    build_s: +buildSeconds.toFixed(2),
    directory: { parts: index.land.parts.length, entries: index.land.parts.reduce((sum, { packed }) => sum + packed.cellEntries.length, 0) },
    points: POINTS,
    batch_points_per_s: Math.round(batchRate),
    batch_best_points_per_s: Math.round(Math.max(...rates)),
    batch_runs_points_per_s: rates.map(Math.round),
    single_lookupPoint_per_s: Math.round(singleRate),
    single_found: found,
    target_points_per_s: s.target,
    target_met: batchRate >= s.target,
    turf_linear_scan: { sample: plainSample, points_per_s: Math.round(turfPlainRate), ratio: Math.round(batchRate / turfPlainRate) },
    turf_linear_scan_with_bbox: { sample: bboxSample, points_per_s: Math.round(turfBboxRate), ratio: Math.round(batchRate / turfBboxRate), mismatches },
    ratio_target_met: batchRate / turfPlainRate >= 100,
    index_bytes: indexBytes(index),
    memory_mb: {
      rss: Math.round(heapAfter.rss / 2 ** 20),
      heap_used: Math.round(heapAfter.heapUsed / 2 ** 20),
      heap_used_before_build: Math.round(heapBefore.heapUsed / 2 ** 20),
      array_buffers: Math.round(heapAfter.arrayBuffers / 2 ** 20),
    },
  };
}

const results = SCENARIOS.map(runScenario);
console.log(JSON.stringify({ bench: 'lookup', node: process.version, cpu_note: 'single thread; batch_points_per_s is the median of the runs', results }));
