import type { MultiPolygon, Polygon } from 'geojson';
import type { GRID_SUBKINDS, GridKind } from '../../schemas/resources.ts';
import { buildGridLayer, directoryCell, firstCovering, polygonCovers, singlePoint, type GridLayer, type GridLayerOptions } from './grid-layer.ts';

// Spelled from the constant: the schema's GridSubkind union is built from a mapped array and types as never.
type GridSubkindName = (typeof GRID_SUBKINDS)[GridKind][number];

/** A grid of the partition in force, as the lookup engine needs it. */
export interface LookupGridInput {
  code: string;
  name: string;
  kind: GridKind;
  subkind: GridSubkindName | null;
  divisionCode: string;
  /** Set on micro-grids only: the comprehensive grid they subdivide. */
  parentCode?: string | null;
  geometry: Polygon | MultiPolygon;
}

export type LookupGrid = Omit<LookupGridInput, 'geometry'>;

/** land: comprehensive and special grids; micro: micro-grids; sea: maritime grids. */
export type LookupLayerName = 'land' | 'micro' | 'sea';

export interface LookupLayer {
  /** Grids in code order (`COLLATE "C"`); the batch results are indexes into this array. */
  readonly grids: readonly LookupGrid[];
  readonly packed: GridLayer;
}

export interface LookupIndex {
  readonly land: LookupLayer;
  readonly micro: LookupLayer;
  readonly sea: LookupLayer;
}

export interface PointLookup {
  grid: LookupGrid | null;
  microGrid: LookupGrid | null;
  seaGrids: LookupGrid[];
}

export interface LookupIndexOptions {
  /** Directory cells per grid (default 64). */
  cellsPerGrid?: number;
}

/**
 * The layer a grid answers in; the same split as the SQL filters in `lookupSql`.
 * @example lookupLayerOf({ kind: 'comprehensive', parentCode: '330902001001001' }) // 'micro'
 */
export function lookupLayerOf(grid: Pick<LookupGridInput, 'kind' | 'parentCode'>): LookupLayerName {
  if (grid.parentCode != null) return 'micro';
  return grid.kind === 'maritime' ? 'sea' : 'land';
}

// Byte order of ASCII codes, the order of PostgreSQL's COLLATE "C".
function compareCodes(a: { code: string }, b: { code: string }): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function buildLayer(inputs: LookupGridInput[], options: GridLayerOptions): LookupLayer {
  const sorted = [...inputs].sort(compareCodes);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].code === sorted[i - 1].code) throw new RangeError(`duplicate grid code ${sorted[i].code} in the lookup index`);
  }
  const packed = buildGridLayer(sorted, options);
  const grids = sorted.map(({ geometry: _geometry, ...grid }) => grid);
  return { grids, packed };
}

/**
 * Builds the in-memory index over the partition in force: one layer each for land grids, micro-grids and sea
 * grids (see {@link lookupLayerOf}). Geometries are lon/lat (EPSG:4326 / CGCS2000) and assumed valid.
 * @example
 * const index = buildLookupIndex(grids);
 * lookupPoint(index, 122.2, 30.0).grid?.code
 */
export function buildLookupIndex(grids: Iterable<LookupGridInput>, options: LookupIndexOptions = {}): LookupIndex {
  const byLayer: Record<LookupLayerName, LookupGridInput[]> = { land: [], micro: [], sea: [] };
  for (const grid of grids) byLayer[lookupLayerOf(grid)].push(grid);
  const cellsPerPolygon = options.cellsPerGrid;
  return {
    land: buildLayer(byLayer.land, { cellsPerPolygon, firstOnly: true }),
    micro: buildLayer(byLayer.micro, { cellsPerPolygon, firstOnly: true }),
    sea: buildLayer(byLayer.sea, { cellsPerPolygon, firstOnly: false }),
  };
}

/** Calls fn for every grid of the layer covering point i of `coords`, in code order. */
function forEachCovering(layer: GridLayer, coords: Float64Array, i: number, fn: (p: number) => void): void {
  const cell = directoryCell(layer, coords, i);
  if (cell < 0) return;
  for (let k = layer.cellStart[cell], end = layer.cellStart[cell + 1]; k < end; k++) {
    const entry = layer.cellEntries[k];
    if (entry & 1 || polygonCovers(layer, entry >> 1, coords, i)) fn(entry >> 1);
  }
}

/**
 * The grid, micro-grid and sea grids covering a WGS84 point. Boundary rule: among the grids of one layer whose
 * closed polygon covers the point (PostGIS `ST_Covers`), the smallest code wins; every covering sea grid is listed.
 * @example lookupPoint(index, 122.106, 30.02) // { grid: { code: '330902…', … }, microGrid: null, seaGrids: [] }
 */
export function lookupPoint(index: LookupIndex, lon: number, lat: number): PointLookup {
  const point = singlePoint(lon, lat);
  const land = firstCovering(index.land.packed, point, 0);
  const micro = firstCovering(index.micro.packed, point, 0);
  const seaGrids: LookupGrid[] = [];
  forEachCovering(index.sea.packed, point, 0, (p) => seaGrids.push(index.sea.grids[p]));
  return { grid: land < 0 ? null : index.land.grids[land], microGrid: micro < 0 ? null : index.micro.grids[micro], seaGrids };
}

/** Batch answers as indexes into each layer's `grids`, -1 for none. Sea grids of point i: sea[seaStart[i] .. seaStart[i + 1] - 1]. */
export interface BatchLookup {
  land: Int32Array;
  micro: Int32Array;
  seaStart: Int32Array;
  sea: Int32Array;
}

/**
 * Looks up interleaved lon,lat pairs without allocating per point. Pass the previous result as `out` to reuse
 * its arrays; the sea array grows only when a batch has more sea hits than it holds.
 * @example
 * const out = lookupBatch(index, Float64Array.of(122.1, 30.0, 122.3, 30.1));
 * out.land[1] < 0 ? 'none' : index.land.grids[out.land[1]].code
 */
export function lookupBatch(index: LookupIndex, coords: Float64Array, out?: BatchLookup): BatchLookup {
  const n = coords.length >> 1;
  const result: BatchLookup =
    out && out.land.length >= n && out.seaStart.length >= n + 1
      ? out
      : { land: new Int32Array(n), micro: new Int32Array(n), seaStart: new Int32Array(n + 1), sea: out?.sea ?? new Int32Array(Math.max(16, n >> 4)) };
  const land = index.land.packed;
  const micro = index.micro.packed;
  const sea = index.sea.packed;
  let seaCount = 0;
  for (let i = 0; i < n; i++) {
    result.land[i] = firstCovering(land, coords, i);
    result.micro[i] = firstCovering(micro, coords, i);
    result.seaStart[i] = seaCount;
    const cell = directoryCell(sea, coords, i);
    if (cell < 0) continue;
    for (let k = sea.cellStart[cell], end = sea.cellStart[cell + 1]; k < end; k++) {
      const entry = sea.cellEntries[k];
      if (!(entry & 1) && !polygonCovers(sea, entry >> 1, coords, i)) continue;
      if (seaCount === result.sea.length) {
        const grown = new Int32Array(result.sea.length * 2);
        grown.set(result.sea);
        result.sea = grown;
      }
      result.sea[seaCount++] = entry >> 1;
    }
  }
  result.seaStart[n] = seaCount;
  return result;
}
