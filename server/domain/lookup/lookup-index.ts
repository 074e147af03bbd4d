import type { MultiPolygon, Polygon } from 'geojson';
import type { GRID_SUBKINDS, GridKind } from '../../schemas/resources.ts';
import { divisionPrefix } from '../divisions/codes.ts';
import { buildGridLayer, directoryCell, firstCovering, polygonCovers, singlePoint, type GridLayer, type GridLayerOptions } from './grid-layer.ts';
import { partCell, partDirectory, type PartDirectory } from './part-directory.ts';

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

/** One township's grids of a layer, packed on their own so that a filing repacks its township only. */
export interface LookupPart {
  /** The township digits every grid of the part shares ({@link lookupPartKey}). */
  readonly key: string;
  /** The part's grids in code order; polygon p of `packed` is grids[p]. */
  readonly grids: readonly LookupGrid[];
  readonly packed: GridLayer;
}

export interface LookupLayer {
  /** Every grid of the layer, part after part (parts in key order, each in code order); batch results index into it. */
  readonly grids: readonly LookupGrid[];
  readonly parts: readonly LookupPart[];
  /** Position in `grids` of each part's first grid. */
  readonly partStart: Int32Array;
  readonly directory: PartDirectory;
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

/**
 * The part a grid is packed in: the township digits of its division code, the same prefix a filing of that township
 * replaces (`division_code LIKE prefix%`).
 * @example lookupPartKey({ divisionCode: '330903001002' }) // '330903001'
 */
export function lookupPartKey(grid: Pick<LookupGridInput, 'divisionCode'>): string {
  return divisionPrefix(grid.divisionCode, 'township');
}

// Byte order of ASCII codes, the order of PostgreSQL's COLLATE "C".
function compareCodes(a: { code: string }, b: { code: string }): number {
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}

function buildPart(key: string, inputs: LookupGridInput[], options: GridLayerOptions): LookupPart {
  const sorted = [...inputs].sort(compareCodes);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].code === sorted[i - 1].code) throw new RangeError(`duplicate grid code ${sorted[i].code} in the lookup index`);
  }
  const packed = buildGridLayer(sorted, options);
  const grids = sorted.map(({ geometry: _geometry, ...grid }) => grid);
  return { key, grids, packed };
}

/** A layer over parts (in any order): sorted by key, their grids concatenated, the directory over their extents. */
function layerOf(parts: LookupPart[]): LookupLayer {
  parts.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const partStart = new Int32Array(parts.length + 1);
  parts.forEach((part, p) => (partStart[p + 1] = partStart[p] + part.grids.length));
  return { grids: parts.flatMap((part) => part.grids), parts, partStart, directory: partDirectory(parts.map((part) => part.packed.dirBox)) };
}

const layerOptions = (layer: LookupLayerName, options: LookupIndexOptions): GridLayerOptions => ({ cellsPerPolygon: options.cellsPerGrid, firstOnly: layer !== 'sea' });

/** Packs grids into parts per layer and key. */
function packParts(grids: Iterable<LookupGridInput>, options: LookupIndexOptions): Record<LookupLayerName, LookupPart[]> {
  const groups: Record<LookupLayerName, Map<string, LookupGridInput[]>> = { land: new Map(), micro: new Map(), sea: new Map() };
  for (const grid of grids) {
    const byKey = groups[lookupLayerOf(grid)];
    const key = lookupPartKey(grid);
    const group = byKey.get(key);
    if (group) group.push(grid);
    else byKey.set(key, [grid]);
  }
  const parts = (layer: LookupLayerName) => [...groups[layer]].map(([key, inputs]) => buildPart(key, inputs, layerOptions(layer, options)));
  return { land: parts('land'), micro: parts('micro'), sea: parts('sea') };
}

/**
 * Builds the in-memory index over the partition in force: one layer each for land grids, micro-grids and sea
 * grids (see {@link lookupLayerOf}), each packed per township ({@link lookupPartKey}). Geometries are lon/lat
 * (EPSG:4326 / CGCS2000) and assumed valid.
 * @example
 * const index = buildLookupIndex(grids);
 * lookupPoint(index, 122.2, 30.0).grid?.code
 */
export function buildLookupIndex(grids: Iterable<LookupGridInput>, options: LookupIndexOptions = {}): LookupIndex {
  const parts = packParts(grids, options);
  return { land: layerOf(parts.land), micro: layerOf(parts.micro), sea: layerOf(parts.sea) };
}

/**
 * The division prefix an update replaces for a change under `prefix`: parts are whole townships, so a longer prefix
 * (a village) widens to its township's.
 * @example lookupUpdateScope('330903001002') // '330903001'
 */
export function lookupUpdateScope(prefix: string): string {
  return divisionPrefix(prefix, 'township');
}

/**
 * The index with every grid under a division prefix replaced by `grids` (every grid in force under
 * {@link lookupUpdateScope}(prefix), of every layer), repacking only the parts under it: what a filing of a
 * township changes. Answers the same as buildLookupIndex over the whole new partition. The given index is left as
 * it was, so lookups go on using it until the new one is swapped in.
 * @example const next = updateLookupIndex(index, '330903001', await gridsInForceUnder('330903001'));
 */
export function updateLookupIndex(index: LookupIndex, prefix: string, grids: Iterable<LookupGridInput>, options: LookupIndexOptions = {}): LookupIndex {
  const scope = lookupUpdateScope(prefix);
  const inputs = [...grids];
  const outside = inputs.find((grid) => !grid.divisionCode.startsWith(scope));
  if (outside) throw new RangeError(`grid ${outside.code} of division ${outside.divisionCode} is not under ${scope}, the prefix being replaced`);
  const fresh = packParts(inputs, options);
  const next = (layer: LookupLayerName) => layerOf([...index[layer].parts.filter((part) => !part.key.startsWith(scope)), ...fresh[layer]]);
  return { land: next('land'), micro: next('micro'), sea: next('sea') };
}

/** The grid (position in layer.grids) with the smallest code covering point i of `coords`, or -1. Allocation-free. */
export function firstCoveringGrid(layer: LookupLayer, coords: Float64Array, i: number): number {
  const directory = layer.directory;
  const cell = partCell(directory, coords, i);
  if (cell < 0) return -1;
  let best = -1;
  for (let k = directory.cellStart[cell], end = directory.cellStart[cell + 1]; k < end; k++) {
    const p = directory.entries[k];
    const local = firstCovering(layer.parts[p].packed, coords, i);
    if (local < 0) continue;
    const g = layer.partStart[p] + local;
    if (best < 0 || layer.grids[g].code < layer.grids[best].code) best = g;
  }
  return best;
}

/**
 * Writes the positions (in layer.grids) of every grid covering point i of `coords` into out from `at` on, in code
 * order, growing out when full; returns out and the new end.
 */
function coveringGrids(layer: LookupLayer, coords: Float64Array, i: number, out: Int32Array, at: number): { out: Int32Array; end: number } {
  const directory = layer.directory;
  const cell = partCell(directory, coords, i);
  if (cell < 0) return { out, end: at };
  let end = at;
  let partsHit = 0;
  for (let k = directory.cellStart[cell], last = directory.cellStart[cell + 1]; k < last; k++) {
    const p = directory.entries[k];
    const packed = layer.parts[p].packed;
    const local = directoryCell(packed, coords, i);
    if (local < 0) continue;
    const before = end;
    for (let e = packed.cellStart[local], stop = packed.cellStart[local + 1]; e < stop; e++) {
      const entry = packed.cellEntries[e];
      if (!(entry & 1) && !polygonCovers(packed, entry >> 1, coords, i)) continue;
      if (end === out.length) {
        const grown = new Int32Array(out.length * 2);
        grown.set(out);
        out = grown;
      }
      out[end++] = layer.partStart[p] + (entry >> 1);
    }
    if (end > before) partsHit++;
  }
  // Each part lists its own in code order; hits from several parts are merged by code (a few at most).
  if (partsHit > 1) {
    for (let a = at + 1; a < end; a++) {
      const g = out[a];
      let b = a - 1;
      for (; b >= at && layer.grids[out[b]].code > layer.grids[g].code; b--) out[b + 1] = out[b];
      out[b + 1] = g;
    }
  }
  return { out, end };
}

// Sea answers of single-point queries; they run to completion synchronously, so one buffer serves them all.
let singleSea: Int32Array = new Int32Array(16);

/**
 * The grid, micro-grid and sea grids covering a WGS84 point. Boundary rule: among the grids of one layer whose
 * closed polygon covers the point (PostGIS `ST_Covers`), the smallest code wins; every covering sea grid is listed.
 * @example lookupPoint(index, 122.106, 30.02) // { grid: { code: '330902…', … }, microGrid: null, seaGrids: [] }
 */
export function lookupPoint(index: LookupIndex, lon: number, lat: number): PointLookup {
  const point = singlePoint(lon, lat);
  const land = firstCoveringGrid(index.land, point, 0);
  const micro = firstCoveringGrid(index.micro, point, 0);
  const sea = coveringGrids(index.sea, point, 0, singleSea, 0);
  singleSea = sea.out;
  const seaGrids: LookupGrid[] = [];
  for (let k = 0; k < sea.end; k++) seaGrids.push(index.sea.grids[sea.out[k]]);
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
  let seaCount = 0;
  for (let i = 0; i < n; i++) {
    result.land[i] = firstCoveringGrid(index.land, coords, i);
    result.micro[i] = firstCoveringGrid(index.micro, coords, i);
    result.seaStart[i] = seaCount;
    const sea = coveringGrids(index.sea, coords, i, result.sea, seaCount);
    result.sea = sea.out;
    seaCount = sea.end;
  }
  result.seaStart[n] = seaCount;
  return result;
}
