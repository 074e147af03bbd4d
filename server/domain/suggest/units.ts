// Building blocks of a suggestion: H3 cells clipped to the division's land parts, their household
// counts, and an adjacency graph that never crosses a barrier line or open water.
import Flatbush from 'flatbush';
import {
  POLYGON_TO_CELLS_FLAGS,
  cellToLatLng,
  cellsToDirectedEdge,
  directedEdgeToBoundary,
  getHexagonAreaAvg,
  gridDisk,
  latLngToCell,
  polygonToCellsExperimental,
} from 'h3-js';
import type { LineString, MultiLineString, Position } from 'geojson';
import type { AreaGeometry, HouseholdPoint, SuggestInput } from './types.ts';

export type Rings = Position[][];

/** One land part of the division (a polygon with its holes). */
export interface DivisionPart {
  rings: Rings;
  bbox: [number, number, number, number];
}

/** A unit is one H3 cell within one division part: a cell straddling two islands is two units. */
export interface UnitGraph {
  resolution: number;
  parts: DivisionPart[];
  cell: string[];
  part: Int32Array;
  lon: Float64Array;
  lat: Float64Array;
  households: Float64Array;
  /** 1 when the whole cell lies inside its part, so its clipped geometry is the hexagon itself. */
  interior: Uint8Array;
  neighbours: number[][];
  /** Connected component of each unit, numbered in unit order. */
  component: Int32Array;
  components: number[][];
  points: { points: number; households: number; malformed: number; outsideDivision: number };
  /** Unit of each valid household point, -1 when outside the division. */
  pointUnit: Int32Array;
}

const MIN_RESOLUTION = 6;
const MAX_RESOLUTION = 12;
const CELLS_PER_GRID = 40;
const MAX_UNITS = 15_000;

export function divisionParts(geometry: AreaGeometry): DivisionPart[] {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.filter((rings) => rings.length > 0 && rings[0].length >= 4).map((rings) => ({ rings, bbox: ringBbox(rings[0]) }));
}

function ringBbox(ring: Position[]): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

/** Even-odd ray test over all rings, so holes are excluded. */
export function pointInRings(x: number, y: number, rings: Rings): boolean {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

export function pointInPart(x: number, y: number, part: DivisionPart): boolean {
  const [minX, minY, maxX, maxY] = part.bbox;
  return x >= minX && x <= maxX && y >= minY && y <= maxY && pointInRings(x, y, part.rings);
}

export function isValidPoint(p: HouseholdPoint): boolean {
  return (
    Number.isFinite(p.lon) && Number.isFinite(p.lat) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180 &&
    Number.isFinite(p.households) && p.households >= 0
  );
}

/**
 * Resolution with about CELLS_PER_GRID cells per expected grid, refined while single cells hold
 * more than a quarter of the ideal grid (dense blocks must stay splittable).
 */
export function chooseResolution(areaM2: number, points: HouseholdPoint[], ideal: number): number {
  const total = points.reduce((s, p) => s + p.households, 0);
  const grids = Math.max(1, total / ideal);
  const targetCellArea = areaM2 / (grids * CELLS_PER_GRID);
  let res = MIN_RESOLUTION;
  while (res < MAX_RESOLUTION && getHexagonAreaAvg(res + 1, 'm2') >= targetCellArea) res++;
  if (getHexagonAreaAvg(res, 'm2') > targetCellArea * 1.5 && res < MAX_RESOLUTION) res++;
  while (res < MAX_RESOLUTION && areaM2 / getHexagonAreaAvg(res + 1, 'm2') < MAX_UNITS) {
    const perCell = new Map<string, number>();
    let densest = 0;
    for (const p of points) {
      const c = latLngToCell(p.lat, p.lon, res);
      const n = (perCell.get(c) ?? 0) + p.households;
      perCell.set(c, n);
      if (n > densest) densest = n;
    }
    if (densest <= ideal / 4) break;
    res++;
  }
  return res;
}

interface Segment {
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

function barrierSegments(barriers: SuggestInput['barriers']): Segment[] {
  const segments: Segment[] = [];
  for (const b of barriers ?? []) {
    const geometry: LineString | MultiLineString = 'geometry' in b ? b.geometry : b;
    const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
    for (const line of lines) {
      for (let i = 1; i < line.length; i++) {
        segments.push({ ax: line[i - 1][0], ay: line[i - 1][1], bx: line[i][0], by: line[i][1] });
      }
    }
  }
  return segments;
}

function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
}

function segmentsCross(s: Segment, px: number, py: number, qx: number, qy: number): boolean {
  const o1 = orient(s.ax, s.ay, s.bx, s.by, px, py);
  const o2 = orient(s.ax, s.ay, s.bx, s.by, qx, qy);
  const o3 = orient(px, py, qx, qy, s.ax, s.ay);
  const o4 = orient(px, py, qx, qy, s.bx, s.by);
  return o1 !== o2 && o3 !== o4;
}

function barrierIndex(segments: Segment[]): Flatbush | null {
  if (segments.length === 0) return null;
  const index = new Flatbush(segments.length);
  for (const s of segments) index.add(Math.min(s.ax, s.bx), Math.min(s.ay, s.by), Math.max(s.ax, s.bx), Math.max(s.ay, s.by));
  index.finish();
  return index;
}

/**
 * Two boundary cells touch on land only if their shared hexagon edge does: sample the edge just
 * inside each cell and require both sides to be in the part. This keeps bays and straits out of the graph.
 */
function touchOnLand(a: string, b: string, part: DivisionPart, ca: Position, cb: Position): boolean {
  const [[lat0, lon0], [lat1, lon1]] = directedEdgeToBoundary(cellsToDirectedEdge(a, b));
  for (const t of [0.2, 0.5, 0.8]) {
    const x = lon0 + (lon1 - lon0) * t;
    const y = lat0 + (lat1 - lat0) * t;
    const inA = pointInPart(x + (ca[0] - x) * 0.02, y + (ca[1] - y) * 0.02, part);
    if (inA && pointInPart(x + (cb[0] - x) * 0.02, y + (cb[1] - y) * 0.02, part)) return true;
  }
  return false;
}

export function buildUnitGraph(input: SuggestInput, resolution: number, validPoints: HouseholdPoint[], malformed: number): UnitGraph {
  const parts = divisionParts(input.division.geometry);
  const cell: string[] = [];
  const partOf: number[] = [];
  const interiorFlags: number[] = [];
  const byCell = new Map<string, number[]>();
  parts.forEach((part, p) => {
    const full = new Set(polygonToCellsExperimental(part.rings, resolution, POLYGON_TO_CELLS_FLAGS.containmentFull, true));
    const overlapping = polygonToCellsExperimental(part.rings, resolution, POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true);
    // H3 reads the part's edges as great-circle arcs, the clipping as planar segments: a ring of
    // extra cells around the boundary covers the sliver between the two (clipping drops the rest).
    const cells = [...new Set(overlapping.flatMap((c) => (full.has(c) ? [c] : gridDisk(c, 1))))].sort();
    for (const c of cells) {
      const u = cell.length;
      cell.push(c);
      partOf.push(p);
      // Arcs and planar segments differ by metres: only cells a whole ring away from the edge skip clipping.
      interiorFlags.push(gridDisk(c, 1).every((d) => full.has(d)) ? 1 : 0);
      const list = byCell.get(c);
      if (list) list.push(u);
      else byCell.set(c, [u]);
    }
  });
  const n = cell.length;
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    const [y, x] = cellToLatLng(cell[u]);
    lon[u] = x;
    lat[u] = y;
  }
  const part = Int32Array.from(partOf);
  const interior = Uint8Array.from(interiorFlags);

  const households = new Float64Array(n);
  let outsideDivision = 0;
  let counted = 0;
  const pointUnit = new Int32Array(validPoints.length).fill(-1);
  for (const [i, p] of validPoints.entries()) {
    const candidates = byCell.get(latLngToCell(p.lat, p.lon, resolution));
    let home = -1;
    if (candidates) {
      if (candidates.length === 1 && interior[candidates[0]]) home = candidates[0];
      else home = candidates.find((u) => pointInPart(p.lon, p.lat, parts[part[u]])) ?? -1;
    }
    if (home < 0) outsideDivision++;
    else {
      pointUnit[i] = home;
      households[home] += p.households;
      counted += p.households;
    }
  }

  const segments = barrierSegments(input.barriers);
  const barriers = barrierIndex(segments);
  const neighbours: number[][] = Array.from({ length: n }, () => []);
  for (let u = 0; u < n; u++) {
    for (const c of gridDisk(cell[u], 1)) {
      if (c === cell[u]) continue;
      for (const v of byCell.get(c) ?? []) {
        if (v <= u || part[v] !== part[u]) continue;
        if (!(interior[u] && interior[v]) && !touchOnLand(cell[u], cell[v], parts[part[u]], [lon[u], lat[u]], [lon[v], lat[v]])) continue;
        if (barriers) {
          const hits = barriers.search(Math.min(lon[u], lon[v]), Math.min(lat[u], lat[v]), Math.max(lon[u], lon[v]), Math.max(lat[u], lat[v]));
          if (hits.some((i) => segmentsCross(segments[i], lon[u], lat[u], lon[v], lat[v]))) continue;
        }
        neighbours[u].push(v);
        neighbours[v].push(u);
      }
    }
  }
  for (const list of neighbours) list.sort((a, b) => a - b);

  const component = new Int32Array(n).fill(-1);
  const components: number[][] = [];
  for (let s = 0; s < n; s++) {
    if (component[s] >= 0) continue;
    const id = components.length;
    const members = [s];
    component[s] = id;
    for (let i = 0; i < members.length; i++) {
      for (const v of neighbours[members[i]]) {
        if (component[v] < 0) {
          component[v] = id;
          members.push(v);
        }
      }
    }
    components.push(members.sort((a, b) => a - b));
  }

  return {
    resolution,
    parts,
    cell,
    part,
    lon,
    lat,
    households,
    interior,
    neighbours,
    component,
    components,
    points: { points: validPoints.length + malformed, households: counted, malformed, outsideDivision },
    pointUnit,
  };
}
