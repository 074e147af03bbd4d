// From regions of H3 cells to grid polygons that tile the division exactly: dissolve each region's
// cells (cellsToMultiPolygon), smooth the hexagon staircase on boundaries shared by two grids (both
// sides move the same vertices, so the tiling is kept), clip to the division part where needed, then node
// every boundary so neighbours and the division share vertex sequences.
import { featureCollection, intersect, multiPolygon, polygon } from '@turf/turf';
import { cellToBoundary, cellsToMultiPolygon } from 'h3-js';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { nodeBoundaries } from '../geometry/noding.ts';
import type { AreaGeometry, HouseholdBand, HouseholdPoint } from './types.ts';
import type { Assignment } from './regions.ts';
import { pointInRings, type UnitGraph } from './units.ts';

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
function smoothSharedArcs(outlines: Outline[], maxShift: number, pinned: ReadonlySet<string>, iterations = 12): void {
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
  for (const [k, e] of uses) if (e.count === 2 && e.around.size === 2 && !pinned.has(k)) movable.add(k);
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

interface StrayPoint {
  unit: number;
  households: number;
  from: number;
  /** The region whose smoothed outline holds the point now, -1 if none next to it does. */
  to: number;
}

/** Household points that a moved boundary vertex put outside their region's smoothed outline. */
function strayPoints(graph: UnitGraph, outlines: Outline[], owner: Assignment, points: readonly HouseholdPoint[]): StrayPoint[] {
  const outlineOf = new Map(outlines.map((o) => [`${o.region}:${o.part}`, o]));
  const holds = (region: number, part: number, p: HouseholdPoint) =>
    outlineOf.get(`${region}:${part}`)?.polygons.some((rings) => pointInRings(p.lon, p.lat, rings)) ?? false;
  const stray: StrayPoint[] = [];
  points.forEach((p, i) => {
    const u = graph.pointUnit[i];
    if (u < 0 || p.households <= 0 || holds(owner[u], graph.part[u], p)) return;
    const others = [...new Set(graph.neighbours[u].map((v) => owner[v]))].filter((r) => r >= 0 && r !== owner[u]).sort((x, y) => x - y);
    stray.push({ unit: u, households: p.households, from: owner[u], to: others.find((r) => holds(r, graph.part[u], p)) ?? -1 });
  });
  return stray;
}

/** Smoothing rounds that pin only the cells of harmful strays before all strays' cells are pinned. */
const MAX_SMOOTHING_ROUNDS = 4;

const bandGap = (h: number, band: HouseholdBand) => Math.max(0, band.min - h, h - band.max);

/**
 * Grid geometry per region (null for an empty region), tiling the division. Smoothing may carry a
 * household point across a boundary; where that takes a grid out of the band (or further out) than its
 * cells have it, the vertices of that point's cell stay put and the smoothing is done again, so the
 * grids keep the band fit the regions were balanced to.
 */
export function regionGeometries(
  graph: UnitGraph,
  members: number[][],
  edgeLengthDeg: number,
  points: readonly HouseholdPoint[],
  band: HouseholdBand,
): Array<AreaGeometry | null> {
  const hexagons: Outline[] = [];
  members.forEach((units, region) => {
    const byPart = new Map<number, number[]>();
    for (const u of units) {
      const list = byPart.get(graph.part[u]);
      if (list) list.push(u);
      else byPart.set(graph.part[u], [u]);
    }
    for (const [part, list] of [...byPart].sort((a, b) => a[0] - b[0])) {
      hexagons.push({
        region,
        part,
        polygons: cellsToMultiPolygon(list.map((u) => graph.cell[u]), true) as Position[][][],
        interiorOnly: list.every((u) => graph.interior[u] === 1),
      });
    }
  });
  const owner = new Int32Array(graph.cell.length).fill(-1);
  const cellCounts = members.map((units) => units.reduce((s, u) => s + graph.households[u], 0));
  members.forEach((units, region) => units.forEach((u) => (owner[u] = region)));
  const pinned = new Set<string>();
  const pin = (u: number) => {
    for (const p of cellToBoundary(graph.cell[u], true)) pinned.add(key(graph.part[u], p));
  };
  let outlines: Outline[] = [];
  for (let round = 0; ; round++) {
    // smoothSharedArcs replaces an outline's polygons, so the hexagon outlines stay as they were.
    outlines = hexagons.map((o) => ({ ...o }));
    smoothSharedArcs(outlines, edgeLengthDeg / 2, pinned);
    const stray = strayPoints(graph, outlines, owner, points);
    const counts = cellCounts.slice();
    for (const p of stray) {
      counts[p.from] -= p.households;
      if (p.to >= 0) counts[p.to] += p.households;
    }
    const harmed = (r: number) => r < 0 || bandGap(counts[r], band) > bandGap(cellCounts[r], band);
    const harmful = stray.filter((p) => harmed(p.from) || harmed(p.to));
    if (harmful.length === 0 || round > MAX_SMOOTHING_ROUNDS) break;
    // In the last round every stray point's cell is pinned, harmful or not, to settle it.
    for (const p of round < MAX_SMOOTHING_ROUNDS ? harmful : stray) pin(p.unit);
  }
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

