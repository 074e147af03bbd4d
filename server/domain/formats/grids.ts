// From whatever features a file held to grids a plan can take: attribute mapping (code, name/名称, households/户数,
// …), geometry checks (polygons only, closed rings, lon/lat range), heights refused or dropped on request,
// reprojection, RFC 7946 winding.
import { rewind } from '@turf/turf';
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { toWgs84, type InputCrs } from '../crs/index.ts';
import { GRID_SUBKINDS, type GridKind } from '../../schemas/resources.ts';
import type { FeatureFault, HeightOptions, ImportedGrid, ImportOutcome, ZRange } from './types.ts';

type Attributes = Record<string, unknown> | null;

/** Attribute names (lower case) each grid field is read from; the first present wins. */
const ALIASES = {
  code: ['code', 'grid_code', 'gridcode', '网格编码', '网格代码', '编码'],
  name: ['name', 'grid_name', '网格名称', '名称'],
  kind: ['kind', '网格类型'],
  subkind: ['subkind', '网格子类'],
  divisionCode: ['divisioncode', 'division_code', 'division', 'divisionco', '区划代码'],
  parentCode: ['parentcode', 'parent_code', 'parent'],
  households: ['households', 'hh', '户数'],
  population: ['population', 'pop', '人口'],
} as const;

const KINDS: readonly GridKind[] = ['comprehensive', 'special', 'maritime'];

function lookup(attributes: Attributes, field: keyof typeof ALIASES): unknown {
  if (!attributes) return null;
  const byName = new Map(Object.entries(attributes).map(([k, v]) => [k.trim().toLowerCase(), v]));
  for (const alias of ALIASES[field]) {
    const value = byName.get(alias);
    if (value !== undefined && value !== null && String(value).trim() !== '') return value;
  }
  return null;
}

class FeatureRejected extends Error {
  constructor(
    readonly pointer: string,
    message: string,
  ) {
    super(message);
  }
}

const text = (value: unknown) => (value === null ? null : String(value).trim());

function digits(value: unknown, field: string): string | null {
  const code = text(typeof value === 'number' ? Math.round(value) : value);
  if (code !== null && !/^\d+$/.test(code)) throw new FeatureRejected(`properties/${field}`, `${field} "${code}" is not a string of digits`);
  return code;
}

function count(value: unknown, field: string): number | null {
  if (value === null) return null;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isInteger(n) || n < 0) throw new FeatureRejected(`properties/${field}`, `${field} "${String(value)}" is not a whole number ≥ 0`);
  return n;
}

function attributesOf(attributes: Attributes): Omit<ImportedGrid, 'index' | 'geometry' | 'notes'> {
  const kind = text(lookup(attributes, 'kind'));
  if (kind !== null && !KINDS.includes(kind as GridKind)) throw new FeatureRejected('properties/kind', `kind "${kind}" is not one of ${KINDS.join(', ')}`);
  const subkind = text(lookup(attributes, 'subkind'));
  const allowed: readonly string[] = kind ? GRID_SUBKINDS[kind as GridKind] : Object.values(GRID_SUBKINDS).flat();
  if (subkind !== null && !allowed.includes(subkind)) throw new FeatureRejected('properties/subkind', `subkind "${subkind}" is not one of ${allowed.join(', ')}`);
  return {
    code: digits(lookup(attributes, 'code'), 'code'),
    name: text(lookup(attributes, 'name')),
    kind: kind as GridKind | null,
    subkind,
    divisionCode: digits(lookup(attributes, 'divisionCode'), 'divisionCode'),
    parentCode: digits(lookup(attributes, 'parentCode'), 'parentCode'),
    households: count(lookup(attributes, 'households'), 'households'),
    population: count(lookup(attributes, 'population'), 'population'),
  };
}

/** Polygons of a geometry, or a rejection naming what it is instead. */
function polygonsOf(geometry: Geometry | null, notes: string[]): Position[][][] {
  if (!geometry) throw new FeatureRejected('geometry', 'the feature has no geometry');
  switch (geometry.type) {
    case 'Polygon':
      return [geometry.coordinates];
    case 'MultiPolygon':
      return geometry.coordinates;
    case 'GeometryCollection': {
      const parts = geometry.geometries.flatMap((g) => polygonsOf(g, notes));
      notes.push('a collection of polygons (KML MultiGeometry) became one MultiPolygon');
      return parts;
    }
    default:
      throw new FeatureRejected('geometry/type', `a ${geometry.type} among the grids: only Polygon and MultiPolygon can be imported`);
  }
}

/** Third values seen in a feature's positions: whether any, and the first that is a real height (not 0). */
interface Heights {
  any: boolean;
  first?: { pointer: string; z: number };
}

const DROP_Z_HINT = 'grids are 2D; import with dropZ=true (npm run import: --drop-z) to drop the Z values';

function checkedRing(ring: Position[], pointer: string, crs: InputCrs, heights: Heights): Position[] {
  if (!Array.isArray(ring) || ring.length < 4) throw new FeatureRejected(pointer, 'a ring needs at least 4 positions');
  const out = ring.map((position, i) => {
    if (!Array.isArray(position) || position.length < 2 || !position.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      throw new FeatureRejected(`${pointer}/${i}`, 'a position must be [lon, lat] numbers');
    }
    if (position.length > 2) {
      heights.any = true;
      if (position[2] !== 0) heights.first ??= { pointer: `${pointer}/${i}`, z: position[2] };
    }
    const [lon, lat] = toWgs84(position[0], position[1], crs);
    if (Math.abs(lon) > 180 || Math.abs(lat) > 90) throw new FeatureRejected(`${pointer}/${i}`, `[${position[0]}, ${position[1]}] is not longitude/latitude (projected coordinates need a geographic CRS)`);
    return [lon, lat];
  });
  const [first, last] = [out[0], out[out.length - 1]];
  if (first[0] !== last[0] || first[1] !== last[1]) throw new FeatureRejected(pointer, 'the ring is not closed (first and last positions differ)');
  return out;
}

/**
 * Refuses real heights unless told to drop them; a Z of 0 everywhere (how Google Earth writes flat KML, and many
 * PolygonZ exports) is no height and is dropped with the same note.
 */
function checkHeights(heights: Heights, removed: ZRange | null, dropZ: boolean, notes: string[]): void {
  if (!dropZ) {
    if (heights.first) throw new FeatureRejected(heights.first.pointer, `3D coordinates are not accepted: this position has a Z (height) of ${heights.first.z}; ${DROP_Z_HINT}`);
    if (removed && (removed[0] !== 0 || removed[1] !== 0)) {
      throw new FeatureRejected('geometry', `3D coordinates are not accepted: this record has Z (height) values from ${removed[0]} to ${removed[1]}; ${DROP_Z_HINT}`);
    }
  }
  if (heights.any || removed) notes.push('Z (height) values dropped: grids are 2D');
}

function geometryOf(feature: Feature<Geometry | null>, crs: InputCrs, notes: string[], removed: ZRange | null, dropZ: boolean): Polygon | MultiPolygon {
  const polygons = polygonsOf(feature.geometry, notes);
  if (polygons.length === 0) throw new FeatureRejected('geometry', 'the geometry is empty');
  const heights: Heights = { any: false };
  const single = feature.geometry?.type === 'Polygon';
  const coordinates = polygons.map((rings, p) => {
    const base = single ? 'geometry/coordinates' : `geometry/coordinates/${p}`;
    return rings.map((ring, r) => checkedRing(ring, `${base}/${r}`, crs, heights));
  });
  checkHeights(heights, removed, dropZ, notes);
  if (crs === 'gcj02' || crs === 'bd09') notes.push(`converted from ${crs === 'gcj02' ? 'GCJ-02' : 'BD-09'} to WGS84`);
  const geometry: Polygon | MultiPolygon = coordinates.length === 1 ? { type: 'Polygon', coordinates: coordinates[0] } : { type: 'MultiPolygon', coordinates };
  return rewind(geometry, { mutate: true }) as Polygon | MultiPolygon;
}

/**
 * Maps the features of a read file to grids, in WGS84. A feature that cannot be a grid is rejected with a pointer
 * into the file (`/features/3/geometry/type`, `/features/0/geometry/coordinates/0/2` for a height); the caller
 * decides that any rejection stops the import.
 * @example toImportedGrids({ type: 'FeatureCollection', features: [square] }, 'gcj02').grids[0].notes // ['converted from GCJ-02 to WGS84']
 */
export function toImportedGrids(
  collection: FeatureCollection<Geometry | null>,
  crs: InputCrs,
  ignored: FeatureFault[] = [],
  heights: HeightOptions = { dropZ: false },
): ImportOutcome {
  const grids: ImportedGrid[] = [];
  const rejected: FeatureFault[] = [];
  collection.features.forEach((feature, index) => {
    try {
      const notes: string[] = [];
      const attributes = attributesOf(feature.properties);
      const geometry = geometryOf(feature, crs, notes, heights.removedZ?.[index] ?? null, heights.dropZ);
      grids.push({ index, ...attributes, geometry, notes });
    } catch (error) {
      if (!(error instanceof FeatureRejected)) throw error;
      rejected.push({ index, pointer: `/features/${index}/${error.pointer}`, message: error.message });
    }
  });
  return { grids, rejected, ignored };
}
