// Polygon overlay on lon/lat GeoJSON, kept fast by clipping operands to the box where the result can lie before
// handing them to turf (polyclip-ts), and by bbox indexes so only nearby polygons meet.
import * as turf from '@turf/turf';
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export type Area = Polygon | MultiPolygon;
export type Bbox = [west: number, south: number, east: number, north: number];

export function polygonsOf(g: Area): Position[][][] {
  return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
}

function areaOfParts(parts: Position[][][]): Area | null {
  if (parts.length === 0) return null;
  return parts.length === 1 ? { type: 'Polygon', coordinates: parts[0] } : { type: 'MultiPolygon', coordinates: parts };
}

export function bboxOf(g: Area): Bbox {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity;
  for (const polygon of polygonsOf(g)) {
    for (const [x, y] of polygon[0]) {
      if (x < w) w = x;
      if (x > e) e = x;
      if (y < s) s = y;
      if (y > n) n = y;
    }
  }
  return [w, s, e, n];
}

export function bboxIntersection(a: Bbox, b: Bbox): Bbox | null {
  const box: Bbox = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return box[0] <= box[2] && box[1] <= box[3] ? box : null;
}

export interface BboxIndex {
  /** Indexes of the boxes that intersect `box`. */
  search(box: Bbox): number[];
}

/** A packed R-tree (flatbush) over `boxes`. */
export function bboxIndex(boxes: readonly Bbox[]): BboxIndex {
  if (boxes.length === 0) return { search: () => [] };
  const index = new Flatbush(boxes.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  return { search: (b) => index.search(b[0], b[1], b[2], b[3]) };
}

// Sutherland–Hodgman against one box edge at a time.
function clipRing(ring: Position[], box: Bbox): Position[] {
  let points = ring.slice(0, -1);
  const edges: Array<[(p: Position) => boolean, (a: Position, b: Position) => Position]> = [
    [(p) => p[0] >= box[0], (a, b) => [box[0], a[1] + ((b[1] - a[1]) * (box[0] - a[0])) / (b[0] - a[0])]],
    [(p) => p[0] <= box[2], (a, b) => [box[2], a[1] + ((b[1] - a[1]) * (box[2] - a[0])) / (b[0] - a[0])]],
    [(p) => p[1] >= box[1], (a, b) => [a[0] + ((b[0] - a[0]) * (box[1] - a[1])) / (b[1] - a[1]), box[1]]],
    [(p) => p[1] <= box[3], (a, b) => [a[0] + ((b[0] - a[0]) * (box[3] - a[1])) / (b[1] - a[1]), box[3]]],
  ];
  for (const [inside, cut] of edges) {
    if (points.length === 0) break;
    const out: Position[] = [];
    let prev = points[points.length - 1];
    for (const p of points) {
      if (inside(p) !== inside(prev)) out.push(cut(prev, p));
      if (inside(p)) out.push(p);
      prev = p;
    }
    points = out;
  }
  if (points.length < 3) return [];
  return [...points, points[0]];
}

/** The part of `g` inside `box` (may carry zero-width slivers along the box edge, which overlay removes). */
export function clipToBbox(g: Area, box: Bbox): Area | null {
  const parts: Position[][][] = [];
  for (const polygon of polygonsOf(g)) {
    const outer = clipRing(polygon[0], box);
    if (outer.length === 0) continue;
    const holes = polygon.slice(1).map((r) => clipRing(r, box)).filter((r) => r.length > 0);
    parts.push([outer, ...holes]);
  }
  return areaOfParts(parts);
}

const feature = (g: Area) => turf.feature(g);

/** `g` with every coordinate on a 1e-9° lattice (0.1 mm) and repeated positions dropped. */
function snapped(g: Area): Area {
  const snap = (v: number) => Math.round(v * 1e9) / 1e9;
  const ring = (r: Position[]) => r.map(([x, y]) => [snap(x), snap(y)]).filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  return areaOfParts(polygonsOf(g).map((polygon) => polygon.map(ring)))!;
}

/**
 * Runs a polyclip operation on each candidate set of operands in turn until one succeeds. polyclip-ts occasionally
 * fails to close an output ring on nearly collinear input ("Unable to complete output ring"); the same operation
 * on the unclipped or snapped operands, which describe the same area, succeeds.
 */
function robustly(candidates: Area[][], op: (features: ReturnType<typeof feature>[]) => Area | null): Area | null {
  for (const [i, operands] of candidates.entries()) {
    try {
      return op(operands.map(feature));
    } catch (error) {
      if (i === candidates.length - 1) throw error;
    }
  }
  return null;
}

/** a ∩ b, or null when they share no area. */
export function intersection(a: Area, b: Area): Area | null {
  const box = bboxIntersection(bboxOf(a), bboxOf(b));
  if (!box) return null;
  const ca = clipToBbox(a, box);
  const cb = clipToBbox(b, box);
  if (!ca || !cb) return null;
  return robustly([[ca, cb], [a, b], [snapped(a), snapped(b)]], (fs) => turf.intersect(turf.featureCollection(fs))?.geometry ?? null);
}

/**
 * Whether a and b share area, not just a boundary. A vertex of one strictly inside the other settles it (a small
 * disc around that vertex lies in both) without an overlay, which is the common case for a grid on an island.
 */
export function sharesArea(a: Area, b: Area): boolean {
  if (!bboxIntersection(bboxOf(a), bboxOf(b))) return false;
  const strictlyInside = (from: Area, into: Area) => polygonsOf(from).some((p) => turf.booleanPointInPolygon(p[0][0], into, { ignoreBoundary: true }));
  if (strictlyInside(a, b) || strictlyInside(b, a)) return true;
  const shared = intersection(a, b);
  return shared !== null && areaM2(shared) > 0;
}

/** a minus every polygon in `others` (only the parts of them inside a's bbox matter). */
export function difference(a: Area, others: readonly Area[]): Area | null {
  const box = bboxOf(a);
  const clipped = others.map((o) => clipToBbox(o, box)).filter((o): o is Area => o !== null);
  if (clipped.length === 0) return a;
  return robustly([[a, ...clipped], [a, ...others], [a, ...others].map(snapped)], (fs) => turf.difference(turf.featureCollection(fs))?.geometry ?? null);
}

/** Union of many polygons, merged pairwise in Z-order so that each merge joins neighbours and stays small. */
export function union(parts: readonly Area[]): Area | null {
  const keyed = parts.map((g) => {
    const b = bboxOf(g);
    return { g, z: zOrder((b[0] + b[2]) / 2, (b[1] + b[3]) / 2) };
  });
  let level = keyed.sort((a, b) => a.z - b.z).map((k) => k.g);
  if (level.length === 0) return null;
  while (level.length > 1) {
    const next: Area[] = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 === level.length) next.push(level[i]);
      else {
        const pair = [level[i], level[i + 1]];
        const u = robustly([pair, pair.map(snapped)], (fs) => turf.union(turf.featureCollection(fs))?.geometry ?? null);
        if (u) next.push(u);
      }
    }
    level = next;
  }
  return level[0];
}

// Morton code on a 2^26 grid over the globe (about 0.5 m); 52 bits stay exact in a double.
function zOrder(lon: number, lat: number): number {
  const x = Math.floor(((lon + 180) / 360) * 67108863);
  const y = Math.floor(((lat + 90) / 180) * 67108863);
  let z = 0;
  for (let bit = 25; bit >= 0; bit--) z = z * 4 + ((x >> bit) & 1) * 2 + ((y >> bit) & 1);
  return z;
}

export function areaM2(g: Area): number {
  return turf.area(g);
}

/** Each polygon of `g` as its own geometry. */
export function splitParts(g: Area | null): Polygon[] {
  return g ? polygonsOf(g).map((coordinates) => ({ type: 'Polygon', coordinates })) : [];
}

/** Twice the planar signed area of a ring in degrees²: positive when counter-clockwise. */
export function ringSignedArea(ring: readonly Position[]): number {
  let sum = 0;
  for (let i = 0, n = ring.length - 1; i < n; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum;
}
