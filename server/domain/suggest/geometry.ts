// From regions of H3 cells to grid polygons that tile the division exactly: dissolve each region's
// cells (cellsToMultiPolygon), smooth the hexagon staircase on boundaries shared by two grids (both
// sides move the same vertices, so the tiling is kept), clip to the division part where needed, then node
// every boundary so neighbours and the division share vertex sequences.
import { featureCollection, intersect, multiPolygon, polygon } from '@turf/turf';
import { cellsToMultiPolygon } from 'h3-js';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { nodeBoundaries } from '../geometry/noding.ts';
import type { AreaGeometry } from './types.ts';
import type { Assignment } from './regions.ts';
import type { UnitGraph } from './units.ts';

export function asAreaGeometry(polygons: Position[][][]): AreaGeometry {
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

export function polygonsOf(geometry: AreaGeometry | null | undefined): Position[][][] {
  if (!geometry) return [];
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Units of each region, in unit order. */
export function regionMembers(owner: Assignment, regions: number): number[][] {
  const members: number[][] = Array.from({ length: regions }, () => []);
  for (let u = 0; u < owner.length; u++) if (owner[u] >= 0) members[owner[u]].push(u);
  return members;
}

/** The hexagon outline of one region within one division part. */
interface Outline {
  region: number;
  part: number;
  polygons: Position[][][];
  interiorOnly: boolean;
}

const key = (part: number, p: Position) => `${part}:${Math.round(p[0] * 1e10)}:${Math.round(p[1] * 1e10)}`;

/**
 * Laplacian smoothing of vertices that lie inside an arc shared by exactly two outlines (not on a
 * junction, not on the outer edge, which must keep covering the division). Each move is capped at
 * `maxShift` (half a hexagon edge): arcs on either side of a one-cell neck are √3 edges apart, so they never cross.
 */
function smoothSharedArcs(outlines: Outline[], maxShift: number, iterations = 12): void {
  const uses = new Map<string, { count: number; around: Set<string> }>();
  for (const o of outlines) {
    for (const rings of o.polygons) {
      for (const ring of rings) {
        const n = ring.length - 1;
        for (let i = 0; i < n; i++) {
          const k = key(o.part, ring[i]);
          const entry = uses.get(k) ?? { count: 0, around: new Set<string>() };
          entry.count++;
          entry.around.add(key(o.part, ring[(i + n - 1) % n]));
          entry.around.add(key(o.part, ring[(i + 1) % n]));
          uses.set(k, entry);
        }
      }
    }
  }
  const movable = new Set<string>();
  for (const [k, e] of uses) if (e.count === 2 && e.around.size === 2) movable.add(k);
  const origin = new Map<string, Position>();
  const position = new Map<string, Position>();
  const neighbours = new Map<string, [string, string]>();
  for (const o of outlines) {
    for (const rings of o.polygons) {
      for (const ring of rings) {
        const n = ring.length - 1;
        for (let i = 0; i < n; i++) {
          const k = key(o.part, ring[i]);
          if (!position.has(k)) {
            origin.set(k, ring[i]);
            position.set(k, ring[i]);
          }
          if (movable.has(k)) neighbours.set(k, [key(o.part, ring[(i + n - 1) % n]), key(o.part, ring[(i + 1) % n])]);
        }
      }
    }
  }
  const order = [...movable].sort();
  for (let it = 0; it < iterations; it++) {
    const next = new Map<string, Position>();
    for (const k of order) {
      const [a, b] = neighbours.get(k)!;
      const p = position.get(k)!;
      const pa = position.get(a)!;
      const pb = position.get(b)!;
      const o = origin.get(k)!;
      let x = 0.5 * p[0] + 0.25 * (pa[0] + pb[0]);
      let y = 0.5 * p[1] + 0.25 * (pa[1] + pb[1]);
      const d = Math.hypot(x - o[0], y - o[1]);
      if (d > maxShift) {
        x = o[0] + ((x - o[0]) * maxShift) / d;
        y = o[1] + ((y - o[1]) * maxShift) / d;
      }
      next.set(k, [x, y]);
    }
    for (const [k, p] of next) position.set(k, p);
  }
  for (const o of outlines) {
    o.polygons = o.polygons.map((rings) => rings.map((ring) => ring.map((p) => position.get(key(o.part, p)) ?? p)));
  }
}

/** The rules engine's tiling check counts a vertex within 1e-9° (~0.1 mm) as on a segment: node at the same scale. */
const NODING_TOLERANCE_DEG = 1e-9;

/** Grid geometry per region (null for an empty region), tiling the division. */
export function regionGeometries(graph: UnitGraph, members: number[][], edgeLengthDeg: number): Array<AreaGeometry | null> {
  const outlines: Outline[] = [];
  members.forEach((units, region) => {
    const byPart = new Map<number, number[]>();
    for (const u of units) {
      const list = byPart.get(graph.part[u]);
      if (list) list.push(u);
      else byPart.set(graph.part[u], [u]);
    }
    for (const [part, list] of [...byPart].sort((a, b) => a[0] - b[0])) {
      outlines.push({
        region,
        part,
        polygons: cellsToMultiPolygon(list.map((u) => graph.cell[u]), true) as Position[][][],
        interiorOnly: list.every((u) => graph.interior[u] === 1),
      });
    }
  });
  smoothSharedArcs(outlines, edgeLengthDeg / 2);
  const polygons: Position[][][][] = members.map(() => []);
  for (const o of outlines) {
    if (o.interiorOnly) {
      polygons[o.region].push(...o.polygons);
      continue;
    }
    const clipped = intersect(featureCollection<Polygon | MultiPolygon>([multiPolygon(o.polygons), polygon(graph.parts[o.part].rings)]));
    polygons[o.region].push(...polygonsOf(clipped?.geometry));
  }
  // Clipping drops division vertices that are exactly collinear in decimal arithmetic (the noded demo
  // boundaries are full of them); geodesic area is not additive over such T-junctions (9 m² on 六横镇).
  const present = polygons.flatMap((p, r) => (p.length > 0 ? [r] : []));
  const division: MultiPolygon = { type: 'MultiPolygon', coordinates: graph.parts.map((part) => part.rings) };
  const [, ...noded] = nodeBoundaries([division, ...present.map((r): MultiPolygon => ({ type: 'MultiPolygon', coordinates: polygons[r] }))], NODING_TOLERANCE_DEG);
  const out: Array<AreaGeometry | null> = polygons.map(() => null);
  present.forEach((r, i) => (out[r] = asAreaGeometry(noded[i].coordinates)));
  return out;
}

