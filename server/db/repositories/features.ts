// The feature collections OGC API – Features serves: one catalogue entry per collection with its SQL, its
// property filters (queryables) and its extent. Handlers see features, never SQL.
import type { Knex } from 'knex';
import type { Geometry } from 'geojson';
import type { BBox } from '../../http/params.ts';
import { inForce, gridIdentity, type GridIdentityRow } from './grids.ts';
import { toDivision, type DivisionRow } from './divisions.ts';

export type FeatureCollectionId =
  | 'divisions'
  | 'divisions-county'
  | 'divisions-township'
  | 'divisions-village'
  | 'grids'
  | 'micro-grids'
  | 'sea-grids'
  | 'islands'
  | 'household-density';

/** An instant (a calendar date) or a closed/half-open interval of dates; null is an open end. */
export type TimeFilter = { instant: string } | { start: string | null; end: string | null };

export interface Queryable {
  type: 'string' | 'integer' | 'boolean';
  description: string;
  enum?: string[];
  pattern?: string;
}

export interface FeatureFilter {
  bbox?: BBox;
  time?: TimeFilter;
  /** Values already checked against the collection's queryables. */
  properties: Record<string, string | number | boolean>;
  limit: number;
  offset: number;
}

export interface StoredFeature {
  type: 'Feature';
  id: string;
  geometry: Geometry | null;
  properties: Record<string, unknown>;
}

export interface CollectionInfo {
  id: FeatureCollectionId;
  title: string;
  description: string;
  /** Whether features carry a validity period that `datetime` selects on. */
  temporal: boolean;
  queryables: Record<string, Queryable>;
}

export interface CollectionExtent {
  bbox: BBox | null;
  interval: [string | null, string | null] | null;
}

export interface FeatureCatalog {
  collections: CollectionInfo[];
  list(id: FeatureCollectionId, filter: FeatureFilter): Promise<{ features: StoredFeature[]; total: number }>;
  find(id: FeatureCollectionId, featureId: string, time?: TimeFilter): Promise<StoredFeature | null>;
  extent(id: FeatureCollectionId): Promise<CollectionExtent>;
}

/** Household density cells per degree: 0.01° cells, about 0.96 km × 1.11 km at Zhoushan's latitude. */
export const DENSITY_CELLS_PER_DEGREE = 100;

const DIVISION_CODE = { type: 'string', pattern: '^[0-9]{12}$' } as const;
const gridQueryables = (extra: Record<string, Queryable> = {}): Record<string, Queryable> => ({
  code: { type: 'string', description: 'grid code', pattern: '^[0-9]{15,17}$' },
  subkind: { type: 'string', description: 'subkind, e.g. community, village, vessel_formation' },
  divisionCode: { ...DIVISION_CODE, description: 'grids within this division (any level: a township code selects its villages)' },
  ...extra,
});
const divisionQueryables = (withLevel: boolean): Record<string, Queryable> => ({
  ...(withLevel ? { level: { type: 'string', description: 'division level', enum: ['city', 'county', 'township', 'village'] } } : {}),
  parentCode: { ...DIVISION_CODE, description: 'parent division code' },
});

const COLLECTIONS: CollectionInfo[] = [
  { id: 'divisions', title: 'Administrative divisions (行政区划)', description: 'City, counties, townships and villages; filter with `level`. Demo boundaries are synthetic.', temporal: false, queryables: divisionQueryables(true) },
  { id: 'divisions-county', title: 'Counties (县/区)', description: 'County-level divisions. Demo boundaries are synthetic.', temporal: false, queryables: divisionQueryables(false) },
  { id: 'divisions-township', title: 'Townships and streets (乡镇/街道)', description: 'Township-level divisions. Demo boundaries are synthetic.', temporal: false, queryables: divisionQueryables(false) },
  { id: 'divisions-village', title: 'Villages and communities (村/社区)', description: 'Village-level divisions. Demo boundaries are synthetic.', temporal: false, queryables: divisionQueryables(false) },
  {
    id: 'grids',
    title: 'Land grids (综合网格 / 专属网格)',
    description: 'Filed comprehensive and special grids; `datetime` selects the partition in force on a date or the versions valid during an interval.',
    temporal: true,
    queryables: gridQueryables({ kind: { type: 'string', description: 'grid kind', enum: ['comprehensive', 'special'] } }),
  },
  {
    id: 'micro-grids',
    title: 'Micro-grids (微网格)',
    description: 'Filed micro-grids, each inside its comprehensive grid (`parentCode`).',
    temporal: true,
    queryables: gridQueryables({ parentCode: { type: 'string', description: 'code of the enclosing grid', pattern: '^[0-9]{15}$' } }),
  },
  { id: 'sea-grids', title: 'Sea grids (海上专属网格)', description: 'Filed maritime grids: vessel formations, aquaculture and offshore operation zones.', temporal: true, queryables: gridQueryables() },
  {
    id: 'islands',
    title: 'Islands (海岛)',
    description: 'Island outlines (OpenStreetMap contributors, ODbL) with permanent residents.',
    temporal: false,
    queryables: {
      inhabited: { type: 'boolean', description: 'whether the island has at least the inhabited threshold of residents' },
      countyCode: { ...DIVISION_CODE, description: 'county the island belongs to' },
    },
  },
  {
    id: 'household-density',
    title: 'Household density (户数密度)',
    description: `Households summed over square cells of ${1 / DENSITY_CELLS_PER_DEGREE}° (about 1 km); counts only, never records.`,
    temporal: false,
    queryables: { minHouseholds: { type: 'integer', description: 'only cells with at least this many households' } },
  },
];

const GEOMETRY = 'ST_AsGeoJSON(geom, 7)::json AS geometry';
const SIGNIFICANT_DIGITS = [
  [/00000000$/, 4],
  [/000000$/, 6],
  [/000$/, 9],
] as const;

/** `330903001000` → `330903001`: the digits every descendant of the division shares. */
function codePrefix(code: string): string {
  for (const [pattern, digits] of SIGNIFICANT_DIGITS) if (pattern.test(code)) return code.slice(0, digits);
  return code;
}

const envelope = (b: BBox) => ['geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)', [...b]] as const;

// ---- grids, micro-grids, sea grids: versioned rows of `grids`

type GridScope = 'grids' | 'micro-grids' | 'sea-grids';
const GRID_ID = /^(\d{15,17})(?:\.v(\d+))?$/;

function gridScope(knex: Knex, scope: GridScope): Knex.QueryBuilder {
  const q = knex('grids');
  if (scope === 'grids') return q.whereNull('parent_code').whereIn('kind', ['comprehensive', 'special']);
  if (scope === 'micro-grids') return q.whereNotNull('parent_code');
  return q.where('kind', 'maritime');
}

function withTime(q: Knex.QueryBuilder, time: TimeFilter | undefined): Knex.QueryBuilder {
  if (!time || 'instant' in time) return inForce(q, time?.instant);
  if (time.end) q.where('valid_from', '<=', time.end);
  if (time.start) q.where((w) => w.whereNull('valid_to').orWhere('valid_to', '>', time.start!));
  return q;
}

interface GridRow extends GridIdentityRow {
  version: number;
  households: number;
  population: number;
  status: string;
  valid_from: string;
  valid_to: string | null;
  synthetic: boolean;
  geometry: Geometry;
}

const GRID_COLUMNS = ['code', 'version', 'name', 'kind', 'subkind', 'division_code', 'parent_code', 'households', 'population', 'status', 'valid_from', 'valid_to', 'synthetic'];

/** Versions of one grid in a response to an interval share a code, so their ids carry the version. */
function gridFeature(row: GridRow, versioned: boolean): StoredFeature {
  return {
    type: 'Feature',
    id: versioned ? `${row.code}.v${row.version}` : row.code,
    geometry: row.geometry,
    properties: {
      ...gridIdentity(row),
      households: row.households,
      population: row.population,
      version: row.version,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      status: row.status,
      synthetic: row.synthetic,
    },
  };
}

function gridFilter(q: Knex.QueryBuilder, properties: FeatureFilter['properties']): Knex.QueryBuilder {
  for (const [name, value] of Object.entries(properties)) {
    if (name === 'divisionCode') q.where('division_code', 'like', `${codePrefix(String(value))}%`);
    else if (name === 'parentCode') q.where('parent_code', value);
    else if (name === 'code' || name === 'kind' || name === 'subkind') q.where(name, value);
  }
  return q;
}

// ---- divisions

const DIVISION_LEVEL: Partial<Record<FeatureCollectionId, string>> = {
  'divisions-county': 'county',
  'divisions-township': 'township',
  'divisions-village': 'village',
};

type DivisionRowWithGeometry = DivisionRow & { geometry: Geometry | null };

const divisionFeature = (row: DivisionRowWithGeometry): StoredFeature => ({
  type: 'Feature',
  id: row.code,
  geometry: row.geometry,
  properties: toDivision(row),
});

function divisionScope(knex: Knex, id: FeatureCollectionId, properties: FeatureFilter['properties']): Knex.QueryBuilder {
  const q = knex('divisions');
  const level = DIVISION_LEVEL[id] ?? properties.level;
  if (level) q.where('level', level);
  if (properties.parentCode) q.where('parent_code', properties.parentCode);
  return q;
}

// ---- islands

interface IslandRow {
  id: number;
  name: string | null;
  residents: number;
  county_code: string | null;
  area_km2: number;
  synthetic: boolean;
  geometry: Geometry;
}

// ---- household density: points summed into cells, never served one by one

interface CellRow {
  ix: number;
  iy: number;
  households: number;
}

function cellFeature(row: CellRow): StoredFeature {
  const [w, s, e, n] = [row.ix, row.iy, row.ix + 1, row.iy + 1].map((v) => v / DENSITY_CELLS_PER_DEGREE);
  return {
    type: 'Feature',
    id: `${row.ix}_${row.iy}`,
    geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] },
    properties: { households: row.households, cellSizeDegrees: 1 / DENSITY_CELLS_PER_DEGREE },
  };
}

/** Cells whose square touches the bbox, whole: points come from the bbox grown to cell edges, then by cell index. */
function cellQuery(knex: Knex, bbox: BBox | undefined, minHouseholds: number | undefined, cell?: [number, number]): Knex.QueryBuilder {
  const k = DENSITY_CELLS_PER_DEGREE;
  const cells = knex('household_counts')
    .select(knex.raw(`floor(ST_X(geom) * ${k})::int AS ix, floor(ST_Y(geom) * ${k})::int AS iy, sum(households)::int AS households`))
    .groupByRaw('1, 2');
  if (bbox) {
    const [x0, y0, x1, y1] = [Math.floor(bbox[0] * k), Math.floor(bbox[1] * k), Math.floor(bbox[2] * k), Math.floor(bbox[3] * k)];
    cells.whereRaw(...envelope([x0 / k, y0 / k, (x1 + 1) / k, (y1 + 1) / k]));
    cells.whereRaw(`floor(ST_X(geom) * ${k})::int BETWEEN ? AND ? AND floor(ST_Y(geom) * ${k})::int BETWEEN ? AND ?`, [x0, x1, y0, y1]);
  }
  if (cell) {
    const [ix, iy] = cell;
    cells.whereRaw(...envelope([ix / k, iy / k, (ix + 1) / k, (iy + 1) / k]));
    cells.whereRaw(`floor(ST_X(geom) * ${k})::int = ? AND floor(ST_Y(geom) * ${k})::int = ?`, [ix, iy]);
  }
  if (minHouseholds !== undefined) cells.havingRaw('sum(households) >= ?', [minHouseholds]);
  return cells;
}

async function page<R>(
  count: Knex.QueryBuilder,
  rows: Knex.QueryBuilder,
  filter: FeatureFilter,
  toFeature: (row: R) => StoredFeature,
): Promise<{ features: StoredFeature[]; total: number }> {
  const [{ total }] = await count;
  const found: R[] = await rows.limit(filter.limit).offset(filter.offset);
  return { features: found.map(toFeature), total: Number(total) };
}

/**
 * The catalogue over one database.
 * @example const catalog = featureCatalog(knex, { inhabitedThreshold: 50 }); await catalog.list('grids', { properties: {}, limit: 10, offset: 0 })
 */
export function featureCatalog(knex: Knex, options: { inhabitedThreshold: number }): FeatureCatalog {
  const islandFeature = (row: IslandRow): StoredFeature => ({
    type: 'Feature',
    id: String(row.id),
    geometry: row.geometry,
    properties: {
      id: row.id,
      name: row.name,
      residents: row.residents,
      inhabited: row.residents >= options.inhabitedThreshold,
      countyCode: row.county_code,
      areaKm2: row.area_km2,
      synthetic: row.synthetic,
    },
  });

  function islandScope(properties: FeatureFilter['properties']): Knex.QueryBuilder {
    const q = knex('islands');
    if (properties.inhabited !== undefined) q.where('residents', properties.inhabited ? '>=' : '<', options.inhabitedThreshold);
    if (properties.countyCode) q.where('county_code', properties.countyCode);
    return q;
  }

  async function list(id: FeatureCollectionId, filter: FeatureFilter) {
    const { bbox, properties } = filter;
    const spatial = (q: Knex.QueryBuilder) => (bbox ? q.whereRaw(...envelope(bbox)) : q);
    switch (id) {
      case 'grids':
      case 'micro-grids':
      case 'sea-grids': {
        const scoped = () => spatial(gridFilter(withTime(gridScope(knex, id), filter.time), properties));
        const versioned = filter.time !== undefined && !('instant' in filter.time);
        return page<GridRow>(
          scoped().count({ total: '*' }),
          scoped().select(GRID_COLUMNS).select(knex.raw(GEOMETRY)).orderBy(['code', 'version']),
          filter,
          (row) => gridFeature(row, versioned),
        );
      }
      case 'islands': {
        const scoped = () => spatial(islandScope(properties));
        return page<IslandRow>(
          scoped().count({ total: '*' }),
          scoped().select('id', 'name', 'residents', 'county_code', 'area_km2', 'synthetic').select(knex.raw(GEOMETRY)).orderBy('id'),
          filter,
          islandFeature,
        );
      }
      case 'household-density': {
        const cells = () => cellQuery(knex, bbox, properties.minHouseholds as number | undefined);
        return page<CellRow>(
          knex.from(cells().as('cells')).count({ total: '*' }),
          knex.from(cells().as('cells')).select('*').orderBy(['iy', 'ix']),
          filter,
          cellFeature,
        );
      }
      default: {
        const scoped = () => spatial(divisionScope(knex, id, properties));
        return page<DivisionRowWithGeometry>(
          scoped().count({ total: '*' }),
          scoped().select('code', 'name', 'level', 'parent_code', 'households', 'population', 'synthetic').select(knex.raw(GEOMETRY)).orderBy('code'),
          filter,
          divisionFeature,
        );
      }
    }
  }

  async function find(id: FeatureCollectionId, featureId: string, time?: TimeFilter): Promise<StoredFeature | null> {
    switch (id) {
      case 'grids':
      case 'micro-grids':
      case 'sea-grids': {
        const match = GRID_ID.exec(featureId);
        if (!match) return null;
        const q = gridScope(knex, id).where('code', match[1]).select(GRID_COLUMNS).select(knex.raw(GEOMETRY));
        if (match[2]) q.where('version', Number(match[2]));
        else inForce(q, time && 'instant' in time ? time.instant : undefined);
        const row: GridRow | undefined = await q.first();
        return row ? gridFeature(row, match[2] !== undefined) : null;
      }
      case 'islands': {
        if (!/^\d{1,9}$/.test(featureId)) return null;
        const row = await knex('islands')
          .where('id', Number(featureId))
          .select('id', 'name', 'residents', 'county_code', 'area_km2', 'synthetic')
          .select(knex.raw(GEOMETRY))
          .first();
        return row ? islandFeature(row) : null;
      }
      case 'household-density': {
        const match = /^(-?\d{1,5})_(-?\d{1,5})$/.exec(featureId);
        if (!match) return null;
        const row = await cellQuery(knex, undefined, undefined, [Number(match[1]), Number(match[2])]).first();
        return row ? cellFeature(row) : null;
      }
      default: {
        if (!/^\d{12}$/.test(featureId)) return null;
        const row = await divisionScope(knex, id, {})
          .where('code', featureId)
          .select('code', 'name', 'level', 'parent_code', 'households', 'population', 'synthetic')
          .select(knex.raw(GEOMETRY))
          .first();
        return row ? divisionFeature(row) : null;
      }
    }
  }

  async function extent(id: FeatureCollectionId): Promise<CollectionExtent> {
    const temporal = id === 'grids' || id === 'micro-grids' || id === 'sea-grids';
    const source =
      id === 'household-density'
        ? knex('household_counts')
        : temporal
          ? gridScope(knex, id)
          : id === 'islands'
            ? knex('islands')
            : divisionScope(knex, id, {});
    const row = await source
      .select(
        knex.raw('ST_XMin(ST_Extent(geom)) AS w, ST_YMin(ST_Extent(geom)) AS s, ST_XMax(ST_Extent(geom)) AS e, ST_YMax(ST_Extent(geom)) AS n'),
        ...(temporal ? [knex.raw('min(valid_from) AS t0, bool_or(valid_to IS NULL) AS open, max(valid_to) AS t1')] : []),
      )
      .first();
    const bbox: BBox | null = row && row.w !== null ? [row.w, row.s, row.e, row.n] : null;
    const interval: CollectionExtent['interval'] = temporal && row?.t0 ? [row.t0, row.open ? null : row.t1] : null;
    return { bbox, interval };
  }

  return { collections: COLLECTIONS, list, find, extent };
}
