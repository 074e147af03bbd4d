// Benchmark of validatePartition: a synthetic township (100 grids × ~200 vertices) and county (2,000 grids), and
// the county with a few defects (so the exact overlay runs). Baseline, same run: the naive topology check —
// turf.intersect on every pair of grids without an index, and gaps as division minus turf.union of all grids.
// For the county the baseline's all-pairs part is timed on a random sample of pairs and extrapolated (marked so).
// Run: npx tsx scripts/bench/validate.bench.ts   → one JSON line.
import * as turf from '@turf/turf';
import type { Feature, Polygon, Position } from 'geojson';
import { validatePartition, type PartitionInput } from '../../server/domain/rules/index.ts';
import { loadRuleSet } from '../../server/rulesets/index.ts';

function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A division split into a jittered cols × rows lattice; each cell edge has `perEdge` wiggled vertices shared with
 * its neighbour, so a cell has about 4 × perEdge vertices. Around 122.0E 30.0N, cells ~400 m.
 */
function lattice(cols: number, rows: number, perEdge: number, seed = 1) {
  const next = random(seed);
  const cell = 0.004;
  const node: Position[][] = [];
  for (let i = 0; i <= cols; i++) {
    node.push([]);
    for (let j = 0; j <= rows; j++) {
      const jx = i === 0 || i === cols ? 0 : (next() - 0.5) * cell * 0.4;
      const jy = j === 0 || j === rows ? 0 : (next() - 0.5) * cell * 0.4;
      node[i].push([122.0 + i * cell + jx, 30.0 + j * cell + jy]);
    }
  }
  const edges = new Map<string, Position[]>();
  const edge = (a: [number, number], b: [number, number]): Position[] => {
    const reverse = edges.get(`${b}|${a}`);
    if (reverse) return [node[a[0]][a[1]], ...reverse.slice(1).reverse()];
    const [p, q] = [node[a[0]][a[1]], node[b[0]][b[1]]];
    const border = (a[0] === b[0] && (a[0] === 0 || a[0] === cols)) || (a[1] === b[1] && (a[1] === 0 || a[1] === rows));
    const [dx, dy] = [q[0] - p[0], q[1] - p[1]];
    const len = Math.hypot(dx, dy);
    const points: Position[] = [];
    for (let k = 0; k < perEdge; k++) {
      const t = k / perEdge;
      const w = k === 0 || border ? 0 : Math.sin(t * Math.PI * 3) * cell * 0.02 * (next() * 0.5 + 0.5);
      points.push([p[0] + dx * t - (dy / len) * w, p[1] + dy * t + (dx / len) * w]);
    }
    edges.set(`${a}|${b}`, points);
    return points;
  };
  const township = '330902001000';
  const features: Feature<Polygon>[] = [];
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < rows; j++) {
      const ring = [...edge([i, j], [i + 1, j]), ...edge([i + 1, j], [i + 1, j + 1]), ...edge([i + 1, j + 1], [i, j + 1]), ...edge([i, j + 1], [i, j])];
      ring.push(ring[0]);
      const n = features.length;
      const village = `330902001${String(1 + Math.floor(n / 400)).padStart(3, '0')}`;
      features.push({
        type: 'Feature',
        properties: {
          code: `${village}${String(1 + (n % 400)).padStart(3, '0')}`,
          name: `网格${n + 1}`,
          kind: 'comprehensive',
          subkind: 'community',
          divisionCode: village,
          households: 300 + (n % 250),
          population: 1000,
          staff: [
            { role: 'leader', name: '网格长', phone: '0580-1' },
            { role: 'full_time', name: '网格员', phone: '0580-2' },
          ],
          managingUnits: [],
        },
        geometry: { type: 'Polygon', coordinates: [ring] },
      });
    }
  }
  const outer: Position[] = [];
  for (let i = 0; i < cols; i++) outer.push(...edge([i, 0], [i + 1, 0]));
  for (let j = 0; j < rows; j++) outer.push(...edge([cols, j], [cols, j + 1]));
  for (let i = cols; i > 0; i--) outer.push(...edge([i, rows], [i - 1, rows]));
  for (let j = rows; j > 0; j--) outer.push(...edge([0, j], [0, j - 1]));
  outer.push(outer[0]);
  const input: PartitionInput = {
    ruleSet: { ...loadRuleSet('zhoushan'), geometry: { maxVertices: 20000, serviceArea: [121, 29, 124, 32] } },
    division: { code: township, geometry: { type: 'Polygon', coordinates: [outer] } },
    features,
    stage: 'draft',
  };
  return input;
}

/** Moves one vertex on the south edge of every `every`-th grid 5 m south: a small overlap with the neighbour below. */
function withDefects(input: PartitionInput, every: number): PartitionInput {
  const features = input.features.map((f, i) => {
    if (i % every !== every - 1) return f;
    const g = structuredClone(f) as Feature<Polygon>;
    const ring = g.geometry.coordinates[0];
    ring[25] = [ring[25][0], ring[25][1] - 0.000045];
    return g;
  });
  return { ...input, features };
}

async function time(runs: number, f: () => Promise<unknown>) {
  const times: number[] = [];
  let result: unknown;
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    result = await f();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { ms: times[Math.floor(times.length / 2)], result };
}

async function measure(input: PartitionInput, runs: number) {
  const { ms, result } = await time(runs, () => validatePartition(input));
  const report = result as Awaited<ReturnType<typeof validatePartition>>;
  const vertices = input.features.reduce((n, f) => n + (f.geometry as Polygon).coordinates[0].length, 0);
  return { grids: input.features.length, verticesPerGrid: Math.round(vertices / input.features.length), runs, msPerRun: round(ms), msPerGrid: round(ms / input.features.length, 3), errors: report.counts.error, warnings: report.counts.warning };
}

/** Naive topology: intersect every pair (sampled when there are too many), union everything, subtract. */
function naiveTopology(input: PartitionInput, maxPairs: number) {
  const grids = input.features as Feature<Polygon>[];
  const n = grids.length;
  const allPairs = (n * (n - 1)) / 2;
  const next = random(7);
  const pairs: Array<[number, number]> = [];
  if (allPairs <= maxPairs) {
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) pairs.push([i, j]);
  } else {
    while (pairs.length < maxPairs) {
      const i = Math.floor(next() * n);
      const j = Math.floor(next() * n);
      if (i !== j) pairs.push([Math.min(i, j), Math.max(i, j)]);
    }
  }
  let t = performance.now();
  let overlapArea = 0;
  for (const [i, j] of pairs) {
    const x = turf.intersect(turf.featureCollection([grids[i], grids[j]]));
    if (x) overlapArea += turf.area(x);
  }
  const pairsMs = ((performance.now() - t) * allPairs) / pairs.length;
  t = performance.now();
  const covered = turf.union(turf.featureCollection(grids));
  const gap = covered && turf.difference(turf.featureCollection([turf.feature(input.division.geometry), covered]));
  const gapMs = performance.now() - t;
  return { ms: round(pairsMs + gapMs), pairsMs: round(pairsMs), gapMs: round(gapMs), pairsTimed: pairs.length, allPairs, extrapolated: pairs.length < allPairs, overlapArea, gapArea: gap ? turf.area(gap) : 0 };
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

const township = lattice(10, 10, 50);
const county = lattice(40, 50, 50, 2);
const countyDefects = withDefects(county, 400);

const results = {
  bench: 'validate',
  township: await measure(township, 5),
  county: await measure(county, 3),
  countyWithDefects: await measure(countyDefects, 3),
  baseline: {
    name: 'naive: turf.intersect on every pair without index + division minus turf.union of all grids',
    township: naiveTopology(township, Infinity),
    county: naiveTopology(county, 20_000),
  },
};
const ratio = {
  township: round(results.baseline.township.ms / results.township.msPerRun),
  county: round(results.baseline.county.ms / results.county.msPerRun),
};
console.log(JSON.stringify({ ...results, ratio, targets: { townshipMs: 500, countyMs: 10_000 } }));
