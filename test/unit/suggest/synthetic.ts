// Synthetic divisions and clustered household points for the suggestion's tests and benchmark.
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { seededRandom } from '../../../server/domain/suggest/seed.ts';
import { pointInRings } from '../../../server/domain/suggest/units.ts';
import type { HouseholdPoint } from '../../../server/domain/suggest/types.ts';

export type Shape = 'hole' | 'two-parts';

function ring(cx: number, cy: number, rx: number, ry: number, sides: number, wobble: number, random: () => number): Position[] {
  const pts: Position[] = [];
  for (let i = 0; i < sides; i++) {
    const a = (2 * Math.PI * i) / sides;
    const f = 1 + wobble * (random() - 0.5);
    pts.push([cx + rx * f * Math.cos(a), cy + ry * f * Math.sin(a)]);
  }
  pts.push(pts[0]);
  return pts;
}

/**
 * A township-like division around (122.1, 30.0): `hole` is one polygon with a lake in it,
 * `two-parts` a main land plus an island 1 km off shore and a small bare islet.
 */
export function syntheticDivision(shape: Shape, seed: number, size = 0.03): Polygon | MultiPolygon {
  const random = seededRandom(seed);
  const outer = ring(122.1, 30.0, size, size * 0.8, 40, 0.25, random);
  if (shape === 'hole') {
    const hole = ring(122.1 + size * 0.2, 30.0, size * 0.15, size * 0.12, 16, 0.1, random).reverse();
    return { type: 'Polygon', coordinates: [outer, hole] };
  }
  const island = ring(122.1 + size * 1.45, 30.0 + size * 0.2, size * 0.3, size * 0.25, 20, 0.2, random);
  const islet = ring(122.1 + size * 1.45, 30.0 - size * 0.6, size * 0.04, size * 0.03, 10, 0.1, random);
  return { type: 'MultiPolygon', coordinates: [[outer], [island], [islet]] };
}

function rings(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

function inside(x: number, y: number, geometry: Polygon | MultiPolygon): boolean {
  return rings(geometry).some((r) => pointInRings(x, y, r));
}

/** Clustered household points (a few dense villages, a sprinkle of scattered houses), all inside `geometry`. */
export function clusteredHouseholds(
  geometry: Polygon | MultiPolygon,
  total: number,
  seed: number,
  options: { clusters?: number; avoid?: (x: number, y: number) => boolean; skipParts?: number[] } = {},
): HouseholdPoint[] {
  const random = seededRandom(seed * 7919 + 13);
  const parts = rings(geometry).filter((_, i) => !(options.skipParts ?? []).includes(i));
  const boxes = parts.map((r) => {
    const xs = r[0].map((p) => p[0]);
    const ys = r[0].map((p) => p[1]);
    return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  });
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const clusterCount = options.clusters ?? Math.max(3, Math.round(total / 1500));
  const centres: Array<{ x: number; y: number; s: number }> = [];
  const ok = (x: number, y: number) => parts.some((r) => pointInRings(x, y, r)) && inside(x, y, geometry) && !(options.avoid?.(x, y) ?? false);
  const anywhere = (): [number, number] => {
    for (;;) {
      const b = boxes[Math.floor(random() * boxes.length)];
      const x = b[0] + random() * (b[2] - b[0]);
      const y = b[1] + random() * (b[3] - b[1]);
      if (ok(x, y)) return [x, y];
    }
  };
  for (let i = 0; i < clusterCount; i++) {
    const [x, y] = anywhere();
    centres.push({ x, y, s: 0.001 + random() * 0.003 });
  }
  const points: HouseholdPoint[] = [];
  let placed = 0;
  while (placed < total) {
    const households = Math.min(total - placed, 1 + Math.floor(random() * 12));
    let x: number;
    let y: number;
    if (random() < 0.15) [x, y] = anywhere();
    else {
      const c = centres[Math.floor(random() * centres.length)];
      x = c.x + gauss() * c.s;
      y = c.y + gauss() * c.s;
      if (!ok(x, y)) continue;
    }
    points.push({ lon: x, lat: y, households });
    placed += households;
  }
  return points;
}
