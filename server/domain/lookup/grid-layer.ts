// One lookup layer (land grids, micro-grids or sea grids) packed into typed arrays.
//
// Two levels, both uniform grids with a monotone cell function (floor((v - min) * inv), clamped), so that
// "v0 <= v <= v1" always implies "cell(v0) <= cell(v) <= cell(v1)" in floating point as well:
// - a directory over the layer extent: each cell lists the polygons that may cover a point in it, in code
//   order, each flagged "boundary" (test the point) or "full" (the cell lies strictly inside the polygon and
//   no edge can touch it). Lists stop after the first full entry when only the smallest covering code matters.
// - per polygon, horizontal rows listing the edges whose y-range meets the row, for an exact ray-crossing
//   test in PostGIS's own arithmetic, which also detects points on an edge or a vertex.
// Queries take their point as point i of interleaved lon,lat coordinates (coords[2i], coords[2i + 1]): a batch
// passes its own array, and no double crosses a call, where the optimising compiler would box it on the heap.
import Flatbush from 'flatbush';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export interface LayerPolygon {
  geometry: Polygon | MultiPolygon;
}

export interface GridLayer {
  readonly size: number;
  // Vertices of every ring, interleaved lon,lat; each ring closed (last vertex = first).
  readonly xy: Float64Array;
  // Ring r spans vertices ringStart[r] .. ringStart[r + 1] - 1; polygon p owns rings polyRingStart[p] .. polyRingStart[p + 1] - 1.
  readonly ringStart: Int32Array;
  readonly polyRingStart: Int32Array;
  // Per polygon: bbox (minX, minY, maxX, maxY), row count and 1 / row height, first row in rowStart.
  readonly polyBox: Float64Array;
  readonly polyRows: Int32Array;
  readonly polyRowInv: Float64Array;
  readonly polyRowBase: Int32Array;
  // CSR: row k lists the start vertices of its edges in rowEdges[rowStart[k] .. rowStart[k + 1] - 1].
  readonly rowStart: Int32Array;
  readonly rowEdges: Int32Array;
  // Directory over the layer extent; entries are polygon * 2 + (1 when full).
  readonly dirBox: Float64Array;
  readonly dirNx: number;
  readonly dirNy: number;
  readonly dirInvW: number;
  readonly dirInvH: number;
  readonly cellStart: Int32Array;
  readonly cellEntries: Int32Array;
  // Packed R-tree over polygon bboxes, for nearest-grid queries.
  readonly tree: Flatbush | null;
}

type PolygonRows = Pick<GridLayer, 'xy' | 'polyBox' | 'polyRows' | 'polyRowInv' | 'polyRowBase' | 'rowStart' | 'rowEdges'>;

export interface GridLayerOptions {
  /** Directory cells per polygon (default 64): more cells, more points answered without an edge test. */
  cellsPerPolygon?: number;
  /** Upper bound on directory cells (default 8,000,000). */
  maxCells?: number;
  /** Stop each directory list after the first full polygon (true for layers answering one grid). */
  firstOnly: boolean;
}

const EDGES_PER_ROW = 4;
const MAX_ROWS = 1024;

/** Cell of v in n cells from min, 1 / width inv; clamped, and monotone in v in floating point too. */
export function cellOf(v: number, min: number, inv: number, n: number): number {
  const c = Math.floor((v - min) * inv);
  return c < 0 ? 0 : c >= n ? n - 1 : c;
}

class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/**
 * Closed-polygon test with PostGIS `ST_Covers(polygon, point)` semantics: true when point i of `coords` is inside
 * polygon p or on any of its rings, holes included. PostGIS answers this with its own winding-number test
 * (lwgeom_functions_analytic.c: determineSide, exact `side == 0.0` for the boundary, half-open y rule), not
 * with GEOS; the same expression in IEEE doubles here gives the same answer bit for bit, also for points a
 * rounding error away from a diagonal edge. Rings combine by parity, equal to PostGIS for valid polygons.
 */
export function polygonCovers(layer: PolygonRows, p: number, coords: Float64Array, i: number): boolean {
  const px = coords[i * 2];
  const py = coords[i * 2 + 1];
  const box = layer.polyBox;
  const b = p * 4;
  if (px < box[b] || py < box[b + 1] || px > box[b + 2] || py > box[b + 3]) return false;
  const row = layer.polyRowBase[p] + cellOf(py, box[b + 1], layer.polyRowInv[p], layer.polyRows[p]);
  const xy = layer.xy;
  const edges = layer.rowEdges;
  let inside = false;
  for (let k = layer.rowStart[row], end = layer.rowStart[row + 1]; k < end; k++) {
    const i = edges[k] * 2;
    const x1 = xy[i];
    const y1 = xy[i + 1];
    const x2 = xy[i + 2];
    const y2 = xy[i + 3];
    // Half-open rule: an edge crosses the ray when y1 <= py < y2 or y2 <= py < y1.
    const crosses = y1 < y2 ? py >= y1 && py < y2 : py >= y2 && py < y1;
    // Outside the closed y-range the edge can neither cross nor hold the point.
    if (!crosses && py !== y1 && py !== y2) continue;
    const side = (x2 - x1) * (py - y1) - (px - x1) * (y2 - y1);
    if (side === 0) {
      if (px >= Math.min(x1, x2) && px <= Math.max(x1, x2)) return true;
    } else if (crosses && side > 0 === y2 > y1) {
      inside = !inside;
    }
  }
  return inside;
}

interface PackedRings {
  xy: Float64Array;
  ringStart: Int32Array;
  polyRingStart: Int32Array;
  polyBox: Float64Array;
}

function packRings(polygons: readonly LayerPolygon[]): PackedRings {
  let vertexCount = 0;
  let ringCount = 0;
  for (const { geometry } of polygons) {
    for (const part of polygonsOf(geometry)) {
      for (const ring of part) {
        vertexCount += ring.length + 1;
        ringCount++;
      }
    }
  }
  const xy = new Float64Array(vertexCount * 2);
  const ringStart = new Int32Array(ringCount + 1);
  const polyRingStart = new Int32Array(polygons.length + 1);
  const polyBox = new Float64Array(polygons.length * 4);
  let v = 0;
  let r = 0;
  polygons.forEach(({ geometry }, p) => {
    polyRingStart[p] = r;
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const part of polygonsOf(geometry)) {
      for (const ring of part) {
        if (ring.length === 0) continue;
        ringStart[r++] = v;
        for (const [x, y] of ring) {
          xy[v * 2] = x;
          xy[v * 2 + 1] = y;
          v++;
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
        const first = ring[0];
        const last = ring[ring.length - 1];
        if (first[0] !== last[0] || first[1] !== last[1]) {
          xy[v * 2] = first[0];
          xy[v * 2 + 1] = first[1];
          v++;
        }
      }
    }
    polyBox.set([minX, minY, maxX, maxY], p * 4);
  });
  polyRingStart[polygons.length] = r;
  ringStart[r] = v;
  return { xy: xy.slice(0, v * 2), ringStart: ringStart.slice(0, r + 1), polyRingStart: polyRingStart.slice(0, polygons.length + 1), polyBox };
}

/** Calls fn(startVertex) for every edge of polygon p. */
export function forEachEdge(layer: Pick<GridLayer, 'ringStart' | 'polyRingStart'>, p: number, fn: (e: number) => void): void {
  for (let r = layer.polyRingStart[p]; r < layer.polyRingStart[p + 1]; r++) {
    for (let e = layer.ringStart[r], end = layer.ringStart[r + 1] - 1; e < end; e++) fn(e);
  }
}

/** Packs polygons (already in code order) into a layer. */
export function buildGridLayer(polygons: readonly LayerPolygon[], options: GridLayerOptions): GridLayer {
  const rings = packRings(polygons);
  const { xy, polyBox } = rings;
  const n = polygons.length;

  // Per-polygon rows.
  const polyRows = new Int32Array(n);
  const polyRowInv = new Float64Array(n);
  const polyRowBase = new Int32Array(n + 1);
  let rowTotal = 0;
  for (let p = 0; p < n; p++) {
    let edgeCount = 0;
    forEachEdge(rings, p, () => edgeCount++);
    const height = polyBox[p * 4 + 3] - polyBox[p * 4 + 1];
    const rows = height > 0 ? Math.max(1, Math.min(MAX_ROWS, Math.ceil(edgeCount / EDGES_PER_ROW))) : 1;
    polyRows[p] = rows;
    polyRowInv[p] = height > 0 ? rows / height : 0;
    polyRowBase[p] = rowTotal;
    rowTotal += rows;
  }
  polyRowBase[n] = rowTotal;
  const rowCount = new Int32Array(rowTotal + 1);
  const edgeRows = (p: number, e: number, fn: (row: number) => void) => {
    const y1 = xy[e * 2 + 1];
    const y2 = xy[e * 2 + 3];
    const minY = polyBox[p * 4 + 1];
    const r0 = cellOf(Math.min(y1, y2), minY, polyRowInv[p], polyRows[p]);
    const r1 = cellOf(Math.max(y1, y2), minY, polyRowInv[p], polyRows[p]);
    for (let r = r0; r <= r1; r++) fn(polyRowBase[p] + r);
  };
  for (let p = 0; p < n; p++) forEachEdge(rings, p, (e) => edgeRows(p, e, (row) => rowCount[row + 1]++));
  const rowStart = new Int32Array(rowTotal + 1);
  for (let k = 0; k < rowTotal; k++) rowStart[k + 1] = rowStart[k] + rowCount[k + 1];
  const rowEdges = new Int32Array(rowStart[rowTotal]);
  const rowFill = rowStart.slice(0, rowTotal);
  for (let p = 0; p < n; p++) forEachEdge(rings, p, (e) => edgeRows(p, e, (row) => (rowEdges[rowFill[row]++] = e)));

  const partial = {
    size: n,
    ...rings,
    polyRows,
    polyRowInv,
    polyRowBase,
    rowStart,
    rowEdges,
  };
  const directory = buildDirectory(partial, options);
  let tree: Flatbush | null = null;
  if (n > 0) {
    tree = new Flatbush(n);
    for (let p = 0; p < n; p++) tree.add(polyBox[p * 4], polyBox[p * 4 + 1], polyBox[p * 4 + 2], polyBox[p * 4 + 3]);
    tree.finish();
  }
  return { ...partial, ...directory, tree };
}

type LayerWithoutDirectory = Omit<GridLayer, 'dirBox' | 'dirNx' | 'dirNy' | 'dirInvW' | 'dirInvH' | 'cellStart' | 'cellEntries' | 'tree'>;
type Directory = Pick<GridLayer, 'dirBox' | 'dirNx' | 'dirNy' | 'dirInvW' | 'dirInvH' | 'cellStart' | 'cellEntries'>;

function buildDirectory(layer: LayerWithoutDirectory, options: GridLayerOptions): Directory {
  const { size: n, polyBox, xy } = layer;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let p = 0; p < n; p++) {
    minX = Math.min(minX, polyBox[p * 4]);
    minY = Math.min(minY, polyBox[p * 4 + 1]);
    maxX = Math.max(maxX, polyBox[p * 4 + 2]);
    maxY = Math.max(maxY, polyBox[p * 4 + 3]);
  }
  if (n === 0) {
    return { dirBox: Float64Array.of(1, 1, -1, -1), dirNx: 1, dirNy: 1, dirInvW: 0, dirInvH: 0, cellStart: new Int32Array(2), cellEntries: new Int32Array(0) };
  }
  const width = maxX - minX;
  const height = maxY - minY;
  const target = Math.min(options.maxCells ?? 8_000_000, n * (options.cellsPerPolygon ?? 64));
  const aspect = width > 0 && height > 0 ? width / height : 1;
  const nx = width > 0 ? Math.max(1, Math.round(Math.sqrt(target * aspect))) : 1;
  const ny = height > 0 ? Math.max(1, Math.round(target / nx)) : 1;
  const invW = width > 0 ? nx / width : 0;
  const invH = height > 0 ? ny / height : 0;
  const cellW = width / nx;
  const cellH = height / ny;
  // Margin absorbing rounding in the clipped x-range of an edge; only ever widens the set of boundary cells.
  const eps = (cellW + cellH) * 1e-6 + 1e-12;

  const stamp = new Int32Array(nx * ny).fill(-1);
  const pairCell = new IntList(n * 16);
  const pairEntry = new IntList(n * 16);
  const centre = new Float64Array(2);
  for (let p = 0; p < n; p++) {
    const markCell = (cell: number) => {
      if (stamp[cell] === p) return;
      stamp[cell] = p;
      pairCell.push(cell);
      pairEntry.push(p * 2);
    };
    forEachEdge(layer, p, (e) => {
      const x1 = xy[e * 2];
      const y1 = xy[e * 2 + 1];
      const x2 = xy[e * 2 + 2];
      const y2 = xy[e * 2 + 3];
      const yLo = Math.min(y1, y2);
      const yHi = Math.max(y1, y2);
      const j0 = cellOf(yLo - eps, minY, invH, ny);
      const j1 = cellOf(yHi + eps, minY, invH, ny);
      for (let j = j0; j <= j1; j++) {
        let xa = Math.min(x1, x2);
        let xb = Math.max(x1, x2);
        if (y1 !== y2) {
          const ya = Math.max(yLo, minY + j * cellH - eps);
          const yb = Math.min(yHi, minY + (j + 1) * cellH + eps);
          const xAtA = x1 + ((ya - y1) * (x2 - x1)) / (y2 - y1);
          const xAtB = x1 + ((yb - y1) * (x2 - x1)) / (y2 - y1);
          xa = Math.max(xa, Math.min(xAtA, xAtB));
          xb = Math.min(xb, Math.max(xAtA, xAtB));
        }
        const i0 = cellOf(xa - eps, minX, invW, nx);
        const i1 = cellOf(xb + eps, minX, invW, nx);
        for (let i = i0; i <= i1; i++) markCell(j * nx + i);
      }
    });
    // Cells of the bbox that no edge touches are wholly inside or wholly outside: test one point.
    const b = p * 4;
    const i0 = cellOf(polyBox[b], minX, invW, nx);
    const i1 = cellOf(polyBox[b + 2], minX, invW, nx);
    const j0 = cellOf(polyBox[b + 1], minY, invH, ny);
    const j1 = cellOf(polyBox[b + 3], minY, invH, ny);
    for (let j = j0; j <= j1; j++) {
      const cy = minY + (j + 0.5) * cellH;
      for (let i = i0; i <= i1; i++) {
        const cell = j * nx + i;
        if (stamp[cell] === p) continue;
        const cx = minX + (i + 0.5) * cellW;
        if (cellOf(cx, minX, invW, nx) !== i || cellOf(cy, minY, invH, ny) !== j) {
          markCell(cell);
        } else {
          centre[0] = cx;
          centre[1] = cy;
          if (!polygonCovers(layer, p, centre, 0)) continue;
          stamp[cell] = p;
          pairCell.push(cell);
          pairEntry.push(p * 2 + 1);
        }
      }
    }
  }

  // Counting sort by cell; stable, so each cell's entries stay in polygon (code) order.
  const cellCount = new Int32Array(nx * ny + 1);
  for (let k = 0; k < pairCell.length; k++) cellCount[pairCell.data[k] + 1]++;
  for (let c = 0; c < nx * ny; c++) cellCount[c + 1] += cellCount[c];
  const sorted = new Int32Array(pairCell.length);
  const fill = cellCount.slice(0, nx * ny);
  for (let k = 0; k < pairCell.length; k++) sorted[fill[pairCell.data[k]]++] = pairEntry.data[k];

  if (!options.firstOnly) {
    return { dirBox: Float64Array.of(minX, minY, maxX, maxY), dirNx: nx, dirNy: ny, dirInvW: invW, dirInvH: invH, cellStart: cellCount, cellEntries: sorted };
  }
  const cellStart = new Int32Array(nx * ny + 1);
  const kept = new IntList(sorted.length);
  for (let c = 0; c < nx * ny; c++) {
    for (let k = cellCount[c]; k < cellCount[c + 1]; k++) {
      kept.push(sorted[k]);
      if (sorted[k] & 1) break;
    }
    cellStart[c + 1] = kept.length;
  }
  return { dirBox: Float64Array.of(minX, minY, maxX, maxY), dirNx: nx, dirNy: ny, dirInvW: invW, dirInvH: invH, cellStart, cellEntries: kept.toArray() };
}

// Single-point queries run to completion synchronously, so one array serves them all (no allocation per query).
const SINGLE_POINT = new Float64Array(2);

/** (lon, lat) as point 0 of a coordinate array, for single-point queries; the next call overwrites it. */
export function singlePoint(lon: number, lat: number): Float64Array {
  SINGLE_POINT[0] = lon;
  SINGLE_POINT[1] = lat;
  return SINGLE_POINT;
}

/** Directory cell of point i of `coords`, or -1 outside the layer extent (NaN included). */
export function directoryCell(layer: GridLayer, coords: Float64Array, i: number): number {
  const px = coords[i * 2];
  const py = coords[i * 2 + 1];
  const box = layer.dirBox;
  if (!(px >= box[0] && px <= box[2] && py >= box[1] && py <= box[3])) return -1;
  return cellOf(py, box[1], layer.dirInvH, layer.dirNy) * layer.dirNx + cellOf(px, box[0], layer.dirInvW, layer.dirNx);
}

/** The first polygon (in code order) covering point i of `coords`, or -1. Allocation-free. */
export function firstCovering(layer: GridLayer, coords: Float64Array, i: number): number {
  const cell = directoryCell(layer, coords, i);
  if (cell < 0) return -1;
  const entries = layer.cellEntries;
  for (let k = layer.cellStart[cell], end = layer.cellStart[cell + 1]; k < end; k++) {
    const entry = entries[k];
    const p = entry >> 1;
    if (entry & 1 || polygonCovers(layer, p, coords, i)) return p;
  }
  return -1;
}
