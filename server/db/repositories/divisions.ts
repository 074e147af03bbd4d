// Divisions (行政区划): the city → county → township → village tree and its boundaries.
import type { Knex } from 'knex';
import type { Division, DivisionLevel } from '../../schemas/resources.ts';
import type { AreaGeometry } from '../../schemas/geojson.ts';

export interface DivisionRow {
  code: string;
  name: string;
  level: DivisionLevel;
  parent_code: string | null;
  households: number;
  population: number;
  synthetic: boolean;
}

const COLUMNS = ['code', 'name', 'level', 'parent_code', 'households', 'population', 'synthetic'] as const;

/** A division row in API names. */
export function toDivision(row: DivisionRow): Division {
  return {
    code: row.code,
    name: row.name,
    level: row.level,
    parentCode: row.parent_code,
    households: row.households,
    population: row.population,
    synthetic: row.synthetic,
  };
}

export async function listDivisions(knex: Knex, filter: { parent?: string; level?: DivisionLevel }): Promise<Division[]> {
  const query = knex<DivisionRow>('divisions').select<DivisionRow[]>(COLUMNS).orderBy('code');
  if (filter.parent) query.where('parent_code', filter.parent);
  if (filter.level) query.where('level', filter.level);
  return (await query).map(toDivision);
}

export async function findDivision(knex: Knex, code: string): Promise<Division | null> {
  const row = await knex<DivisionRow>('divisions').select<DivisionRow[]>(COLUMNS).where({ code }).first();
  return row ? toDivision(row) : null;
}

export async function findDivisionWithGeometry(
  knex: Knex,
  code: string,
): Promise<{ division: Division; geometry: AreaGeometry | null } | null> {
  const row = await knex('divisions')
    .select(COLUMNS)
    .select(knex.raw('ST_AsGeoJSON(geom, 6)::json as geometry'))
    .where({ code })
    .first();
  return row ? { division: toDivision(row), geometry: row.geometry } : null;
}

/** The division and its ancestors, nearest first (village → township → county → city). */
export async function divisionChain(knex: Knex, code: string): Promise<Division[]> {
  const result = await knex.raw(
    `WITH RECURSIVE chain AS (
       SELECT ${COLUMNS.join(', ')}, 0 AS depth FROM divisions WHERE code = ?
       UNION ALL
       SELECT ${COLUMNS.map((c) => 'd.' + c).join(', ')}, chain.depth + 1 FROM divisions d JOIN chain ON d.code = chain.parent_code
     ) SELECT * FROM chain ORDER BY depth`,
    [code],
  );
  return (result.rows as DivisionRow[]).map(toDivision);
}

export async function divisionCodes(knex: Knex): Promise<Set<string>> {
  return new Set((await knex('divisions').select('code')).map((r: { code: string }) => r.code));
}

/** Why PostGIS finds a boundary invalid, or null when it is valid. */
export async function boundaryInvalidity(knex: Knex, geometry: AreaGeometry): Promise<string | null> {
  const result = await knex.raw(`SELECT ST_IsValidReason(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)) AS reason`, [JSON.stringify(geometry)]);
  const reason: string = result.rows[0].reason;
  return reason === 'Valid Geometry' ? null : reason;
}

/** Replaces a division's boundary with an authoritative one (no longer synthetic). */
export async function replaceBoundary(knex: Knex, code: string, geometry: AreaGeometry): Promise<void> {
  await knex('divisions')
    .where({ code })
    .update({ geom: knex.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [JSON.stringify(geometry)]), synthetic: false });
}
