// The filed grid registry with its history: one row per grid version, valid over [valid_from, valid_to).
import type { Knex } from 'knex';
import type { Grid, GridKind, StaffMember } from '../../schemas/resources.ts';
import type { AreaGeometry } from '../../schemas/geojson.ts';
import type { BBox } from '../../http/params.ts';
import { chinaDate } from '../../domain/filings/snapshot.ts';
import { rostersOn } from './staff.ts';

export interface GridFeature {
  type: 'Feature';
  id: string;
  properties: Grid;
  geometry: AreaGeometry;
}

export interface GridFilter {
  /** Division code prefix (see divisionPrefix) the grid's division must start with. */
  divisionPrefix?: string;
  kind?: GridKind;
  subkind?: string;
  bbox?: BBox;
  /** Partition in force on this date; omitted means the current partition. */
  at?: string;
  /** Include micro-grids (grids with a parent grid). */
  micro?: boolean;
  limit: number;
  offset: number;
}

/** The columns that name a grid and place it in the tree, as every grid row has them. */
export interface GridIdentityRow {
  code: string;
  name: string;
  kind: GridKind;
  subkind: Grid['subkind'];
  division_code: string;
  parent_code: string | null;
}

/** A grid row's identity in API names (code, name, kind, subkind, divisionCode, parentCode). */
export function gridIdentity(row: GridIdentityRow) {
  return { code: row.code, name: row.name, kind: row.kind, subkind: row.subkind, divisionCode: row.division_code, parentCode: row.parent_code };
}

interface GridRow extends GridIdentityRow {
  id: string;
  version: number;
  households: number;
  population: number;
  managing_units: Grid['managingUnits'];
  status: 'filed' | 'retired';
  valid_from: string;
  valid_to: string | null;
  footprint_at: Date | string | null;
  geometry: AreaGeometry;
}

/** Restricts a grids query to the versions in force on `at` (or now). valid_to is exclusive. */
export function inForce(query: Knex.QueryBuilder, at: string | undefined, table = 'grids'): Knex.QueryBuilder {
  if (!at) return query.whereNull(`${table}.valid_to`);
  return query
    .where(`${table}.valid_from`, '<=', at)
    .andWhere((q) => q.whereNull(`${table}.valid_to`).orWhere(`${table}.valid_to`, '>', at));
}

function gridQuery(knex: Knex, filter: Omit<GridFilter, 'limit' | 'offset'>): Knex.QueryBuilder {
  const query = inForce(knex('grids'), filter.at);
  if (filter.divisionPrefix) query.where('division_code', 'like', `${filter.divisionPrefix}%`);
  if (filter.kind) query.where('kind', filter.kind);
  if (filter.subkind) query.where('subkind', filter.subkind);
  if (filter.micro === false) query.whereNull('parent_code');
  if (filter.bbox) query.whereRaw('geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)', filter.bbox);
  return query;
}

const SELECT = [
  'id', 'code', 'version', 'name', 'kind', 'subkind', 'division_code', 'parent_code', 'households', 'population',
  'managing_units', 'status', 'valid_from', 'valid_to', 'footprint_at',
];

/** The rows as features with the staff roster in force on `at` (today when absent); phones only when entitled. */
async function withStaff(knex: Knex, rows: GridRow[], at: string | undefined, includePhones: boolean): Promise<GridFeature[]> {
  const rosters = await rostersOn(knex, rows.map((r) => r.code), at ?? chinaDate(new Date()));
  const staffOf = (code: string): StaffMember[] =>
    (rosters.get(code) ?? []).map((s) => ({ role: s.role, name: s.name, ...(includePhones && s.phone ? { phone: s.phone } : {}) }));
  return rows.map((row) => ({
    type: 'Feature',
    id: row.code,
    geometry: row.geometry,
    properties: {
      ...gridIdentity(row),
      households: row.households,
      population: row.population,
      managingUnits: row.managing_units,
      staff: staffOf(row.code),
      version: row.version,
      validFrom: row.valid_from,
      validTo: row.valid_to,
      status: row.status,
      ...(row.footprint_at === null ? {} : { footprintAt: new Date(row.footprint_at).toISOString() }),
    },
  }));
}

export async function listGrids(
  knex: Knex,
  filter: GridFilter,
  options: { includePhones: boolean },
): Promise<{ features: GridFeature[]; total: number }> {
  const [{ count }] = await gridQuery(knex, filter).count<{ count: string }[]>({ count: '*' });
  const rows: GridRow[] = await gridQuery(knex, filter)
    .select(SELECT)
    .select(knex.raw('ST_AsGeoJSON(geom, 7)::json as geometry'))
    .orderBy('code')
    .limit(filter.limit)
    .offset(filter.offset);
  return { features: await withStaff(knex, rows, filter.at, options.includePhones), total: Number(count) };
}

export async function findGrid(knex: Knex, code: string, at: string | undefined, options: { includePhones: boolean }): Promise<GridFeature | null> {
  const rows: GridRow[] = await inForce(knex('grids'), at)
    .where({ code })
    .select(SELECT)
    .select(knex.raw('ST_AsGeoJSON(geom, 7)::json as geometry'));
  const [feature] = await withStaff(knex, rows, at, options.includePhones);
  return feature ?? null;
}

/** Land grids (comprehensive and special, not micro-grids) in force, with geometry only: for coverage reports. */
export async function landGridGeometries(knex: Knex, at?: string): Promise<Array<{ code: string; geometry: AreaGeometry }>> {
  return inForce(knex('grids'), at)
    .select('code', knex.raw('ST_AsGeoJSON(geom)::json as geometry'))
    .whereNot('kind', 'maritime')
    .whereNull('parent_code')
    .orderBy('code');
}

export async function gridHistory(knex: Knex, code: string) {
  const registered = await knex('grid_codes').select('status').where({ code }).first();
  if (!registered) return null;
  const versions = await knex('grids')
    .select('version', 'name', 'households', 'valid_from', 'valid_to', 'filing_number', knex.raw('ST_Area(geom::geography) AS area'))
    .where({ code })
    .orderBy('version');
  const lineage = await knex('grid_lineage').select('from_code', 'to_code', 'relation', 'filing_number', 'on_date').where('from_code', code).orWhere('to_code', code).orderBy('id');
  return {
    code,
    status: registered.status,
    versions: versions.map((v) => ({
      version: v.version,
      name: v.name,
      households: v.households,
      validFrom: v.valid_from,
      validTo: v.valid_to,
      filingNumber: v.filing_number,
      areaM2: Math.round(v.area),
    })),
    lineage: lineage.map((l) => ({ from: l.from_code, to: l.to_code, relation: l.relation, filingNumber: l.filing_number, onDate: l.on_date })),
  };
}
