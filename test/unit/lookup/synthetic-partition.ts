// Synthetic partitions for the lookup tests and benchmark: a Voronoi diagram of seeded random points whose
// interior edges are densified and bent, identically on both sides, so neighbours share every vertex.
import { featureCollection, point, voronoi } from '@turf/turf';
import type { Position } from 'geojson';
import type { LookupGridInput } from '../../../server/domain/lookup/index.ts';
import { mulberry32 } from '../../../server/domain/random.ts';

export type BBox = [number, number, number, number];

export interface SyntheticPartitionOptions {
  cells: number;
  bbox: BBox;
  seed: number;
  /** Extra vertices per Voronoi edge, drawn per edge in [min, max]; 0,0 keeps the straight Voronoi edges. */
  verticesPerEdge: [number, number];
  /** Bend of an edge as a share of its length (default 0.08). */
  bend?: number;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

function onBorder(a: Position, b: Position, [minX, minY, maxX, maxY]: BBox): boolean {
  return (a[0] === b[0] && (a[0] === minX || a[0] === maxX)) || (a[1] === b[1] && (a[1] === minY || a[1] === maxY));
}

// Intermediate vertices of edge a→b, computed in a canonical direction so both neighbours get the same ones.
function bentEdge(a: Position, b: Position, options: SyntheticPartitionOptions, seed: number): Position[] {
  const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const [p, q] = forward ? [a, b] : [b, a];
  const rand = mulberry32(hashString(`${seed}:${p[0]},${p[1]}|${q[0]},${q[1]}`));
  const [lo, hi] = options.verticesPerEdge;
  const k = lo + Math.floor(rand() * (hi - lo + 1));
  const dx = q[0] - p[0];
  const dy = q[1] - p[1];
  const straight = onBorder(p, q, options.bbox);
  const bend = straight ? 0 : options.bend ?? 0.08;
  const h = [rand() * 2 - 1, (rand() * 2 - 1) / 2, (rand() * 2 - 1) / 3];
  const points: Position[] = [];
  for (let i = 1; i <= k; i++) {
    const t = i / (k + 1);
    const wiggle = (rand() - 0.5) * 0.2;
    const offset = bend * Math.sin(Math.PI * t) * (h[0] + h[1] * Math.sin(2 * Math.PI * t) + h[2] * Math.sin(3 * Math.PI * t) + wiggle);
    points.push([p[0] + t * dx - offset * dy, p[1] + t * dy + offset * dx]);
  }
  return forward ? points : points.reverse();
}

/**
 * A partition of the bbox into `cells` grids with 15-digit codes assigned in shuffled order (so code order
 * has nothing to do with position).
 */
export function syntheticPartition(options: SyntheticPartitionOptions): LookupGridInput[] {
  const rand = mulberry32(options.seed);
  const [minX, minY, maxX, maxY] = options.bbox;
  const seeds = featureCollection(Array.from({ length: options.cells }, () => point([minX + rand() * (maxX - minX), minY + rand() * (maxY - minY)])));
  const cells = voronoi(seeds, { bbox: options.bbox }).features.filter((f) => f != null);
  const order = cells.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return cells.map((cell, i): LookupGridInput => {
    const ring = cell.geometry.coordinates[0];
    const bent: Position[] = [];
    for (let v = 0; v + 1 < ring.length; v++) {
      bent.push(ring[v], ...bentEdge(ring[v], ring[v + 1], options, options.seed));
    }
    bent.push(ring[0]);
    return {
      code: String(330902000000000 + order[i] * 7 + 1).padStart(15, '0'),
      name: `synthetic grid ${order[i]}`,
      kind: 'comprehensive',
      subkind: 'community',
      divisionCode: '330902001001',
      geometry: { type: 'Polygon', coordinates: [bent] },
    };
  });
}
