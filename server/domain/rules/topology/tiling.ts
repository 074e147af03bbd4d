// Does a set of polygons tile a container (no gap, no overlap, nothing outside)?
//
// Fast path: with every ring oriented (outer counter-clockwise, holes clockwise), the pieces tile the container
// exactly when their boundary edges, as directed segments, cancel against each other and the container's boundary.
// (The sum of the pieces' winding numbers then equals the container's at every point.) That is one hash-map pass
// over all vertices. Where segments are left over, any gap, overlap or spill lies inside the bbox of some
// connected chain of leftover segments, so the exact polygon overlay runs only inside those boxes.
// Before that, leftover segments are split where another leftover vertex lies on them (a T-junction: a grid corner
// on the division's edge, or a neighbour with an extra vertex), which is how most real tilings are drawn.
import type { Polygon, Position } from 'geojson';
import {
  areaM2,
  bboxIndex,
  bboxIntersection,
  bboxOf,
  clipToBbox,
  difference,
  intersection,
  polygonsOf,
  ringSignedArea,
  splitParts,
  union,
  type Area,
  type Bbox,
} from './overlay.ts';

export interface TilingPiece {
  /** caller's id, returned in defects (the feature index) */
  id: number;
  geometry: Area;
}

export interface TilingTolerances {
  gapM2: number;
  overlapM2: number;
  outsideM2: number;
}

export interface TilingDefects {
  gaps: Array<{ geometry: Polygon; areaM2: number; neighbours: number[] }>;
  overlaps: Array<{ a: number; b: number; geometry: Area; areaM2: number }>;
  outside: Array<{ id: number; geometry: Area; areaM2: number }>;
  /** boxes where the exact overlay ran; empty when the boundaries cancelled exactly */
  suspectBoxes: Bbox[];
}

// Slightly more than the gap between two boxes that only touch, so touching chains merge into one box.
const TOUCH = 1e-9;
// A vertex this close (degrees, ~0.1 mm) to a segment counts as on it; the area ignored is under 0.1 mm × edge length.
const ON_SEGMENT = 1e-9;

/**
 * Gaps, overlaps and spills of `pieces` over `container`, each above its tolerance in m².
 * Pieces must be valid polygons (no self-intersections); orientation does not matter.
 * @example findTilingDefects(township, grids.map((g, id) => ({ id, geometry: g })), { gapM2: 1, overlapM2: 1, outsideM2: 1 })
 */
export function findTilingDefects(container: Area, pieces: readonly TilingPiece[], tol: TilingTolerances): TilingDefects {
  const suspectBoxes = leftoverBoxes(container, pieces);
  const defects: TilingDefects = { gaps: [], overlaps: [], outside: [], suspectBoxes };
  if (suspectBoxes.length === 0) return defects;

  const boxes = pieces.map((p) => bboxOf(p.geometry));
  const index = bboxIndex(boxes);
  const pairsSeen = new Set<string>();
  const outsideSeen = new Set<number>();
  for (const box of suspectBoxes) {
    const near = index.search(box);
    for (const i of near) {
      if (!outsideSeen.has(i)) {
        outsideSeen.add(i);
        const spill = difference(pieces[i].geometry, [container]);
        const area = spill ? areaM2(spill) : 0;
        if (spill && area > tol.outsideM2) defects.outside.push({ id: pieces[i].id, geometry: spill, areaM2: area });
      }
      for (const j of index.search(boxes[i])) {
        if (j <= i) continue;
        const shared = bboxIntersection(boxes[i], boxes[j]);
        if (!shared || !bboxIntersection(shared, box) || pairsSeen.has(`${i}:${j}`)) continue;
        pairsSeen.add(`${i}:${j}`);
        const overlap = intersection(pieces[i].geometry, pieces[j].geometry);
        const area = overlap ? areaM2(overlap) : 0;
        if (overlap && area > tol.overlapM2) defects.overlaps.push({ a: pieces[i].id, b: pieces[j].id, geometry: overlap, areaM2: area });
      }
    }
    const inBox = clipToBbox(container, box);
    if (!inBox) continue;
    const covered = union(near.map((i) => clipToBbox(pieces[i].geometry, box)).filter((g): g is Area => g !== null));
    const gap = covered ? difference(inBox, [covered]) : inBox;
    for (const part of splitParts(gap)) {
      const area = areaM2(part);
      if (area <= tol.gapM2) continue;
      const neighbours = index.search(bboxOf(part)).map((i) => pieces[i].id);
      defects.gaps.push({ geometry: part, areaM2: area, neighbours });
    }
  }
  return defects;
}

/** Bboxes (merged where they touch) of the connected chains of boundary segments that do not cancel. */
function leftoverBoxes(container: Area, pieces: readonly TilingPiece[]): Bbox[] {
  const net = new Map<string, number>();
  addBoundary(net, container, -1);
  for (const p of pieces) addBoundary(net, p.geometry, 1);
  if (net.size === 0) return [];
  splitAtTJunctions(net);
  if (net.size === 0) return [];

  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  const segments: Array<[string, number[]]> = [];
  for (const key of net.keys()) {
    const c = key.split(',').map(Number);
    const a = `${c[0]},${c[1]}`;
    const b = `${c[2]},${c[3]}`;
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    parent.set(find(a), find(b));
    segments.push([a, c]);
  }
  const byRoot = new Map<string, Bbox>();
  for (const [a, c] of segments) {
    const root = find(a);
    const box = byRoot.get(root) ?? [Infinity, Infinity, -Infinity, -Infinity];
    byRoot.set(root, [Math.min(box[0], c[0], c[2]), Math.min(box[1], c[1], c[3]), Math.max(box[2], c[0], c[2]), Math.max(box[3], c[1], c[3])]);
  }
  return mergeTouching([...byRoot.values()].map((b) => [b[0] - TOUCH, b[1] - TOUCH, b[2] + TOUCH, b[3] + TOUCH]));
}

// Directed segments as undirected keys with a sign; outer rings counted counter-clockwise, holes clockwise.
function addBoundary(net: Map<string, number>, g: Area, weight: 1 | -1): void {
  for (const polygon of polygonsOf(g)) {
    polygon.forEach((ring, r) => {
      const ccw = ringSignedArea(ring) > 0;
      const direction = ccw === (r === 0) ? weight : -weight;
      for (let i = 0; i + 1 < ring.length; i++) addSegment(net, ring[i], ring[i + 1], direction);
    });
  }
}

function addSegment(net: Map<string, number>, a: Position, b: Position, direction: number): void {
  if (a[0] === b[0] && a[1] === b[1]) return;
  const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const key = forward ? `${a[0]},${a[1]},${b[0]},${b[1]}` : `${b[0]},${b[1]},${a[0]},${a[1]}`;
  const value = (net.get(key) ?? 0) + (forward ? direction : -direction);
  if (value === 0) net.delete(key);
  else net.set(key, value);
}

/** Splits every leftover segment at the leftover vertices lying on it, then lets the pieces cancel again. */
function splitAtTJunctions(net: Map<string, number>): void {
  const segments = [...net].map(([key, value]) => ({ c: key.split(',').map(Number), value }));
  const vertices = new Map<string, Position>();
  for (const { c } of segments) {
    vertices.set(`${c[0]},${c[1]}`, [c[0], c[1]]);
    vertices.set(`${c[2]},${c[3]}`, [c[2], c[3]]);
  }
  const points = [...vertices.values()];
  const index = bboxIndex(points.map(([x, y]) => [x, y, x, y]));
  net.clear();
  for (const { c, value } of segments) {
    const [ax, ay, bx, by] = c;
    const dx = bx - ax, dy = by - ay;
    const length2 = dx * dx + dy * dy;
    const cuts: Array<{ t: number; p: Position }> = [];
    for (const i of index.search([Math.min(ax, bx) - ON_SEGMENT, Math.min(ay, by) - ON_SEGMENT, Math.max(ax, bx) + ON_SEGMENT, Math.max(ay, by) + ON_SEGMENT])) {
      const p = points[i];
      const t = ((p[0] - ax) * dx + (p[1] - ay) * dy) / length2;
      if (t <= 0 || t >= 1) continue;
      const offLine = Math.abs((p[0] - ax) * dy - (p[1] - ay) * dx) / Math.sqrt(length2);
      if (offLine <= ON_SEGMENT) cuts.push({ t, p });
    }
    const chain: Position[] = [[ax, ay], ...cuts.sort((u, v) => u.t - v.t).map((cut) => cut.p), [bx, by]];
    for (let k = 0; k + 1 < chain.length; k++) addSegment(net, chain[k], chain[k + 1], value);
  }
}

function mergeTouching(boxes: Bbox[]): Bbox[] {
  let merged = boxes;
  for (let changed = true; changed; ) {
    changed = false;
    const out: Bbox[] = [];
    for (const box of merged) {
      const hit = out.findIndex((o) => bboxIntersection(o, box));
      if (hit < 0) out.push(box);
      else {
        const o = out[hit];
        out[hit] = [Math.min(o[0], box[0]), Math.min(o[1], box[1]), Math.max(o[2], box[2]), Math.max(o[3], box[3])];
        changed = true;
      }
    }
    merged = out;
  }
  return merged;
}
