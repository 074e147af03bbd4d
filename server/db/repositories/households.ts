// Household counts (户数) and the land context a grid suggestion needs: points, islands and filed grids of one division.
import type { Knex } from 'knex';
import type { FiledGrid, HouseholdPoint, IslandInput, SuggestLevel } from '../../domain/suggest/types.ts';

/** Household points of the villages whose codes start with `villagePrefix` (a village code or a township prefix). */
export async function householdPointsUnder(knex: Knex, villagePrefix: string): Promise<HouseholdPoint[]> {
  const rows: Array<{ lon: number; lat: number; households: number }> = await knex('household_counts')
    .select(knex.raw('ST_X(geom) as lon'), knex.raw('ST_Y(geom) as lat'), 'households')
    .where('village_code', 'like', `${villagePrefix}%`)
    .orderBy('id');
  return rows.map((r) => ({ lon: Number(r.lon), lat: Number(r.lat), households: Number(r.households) }));
}

/** Total households per village under the prefix; villages without any counts are absent. */
export async function householdTotalsUnder(knex: Knex, villagePrefix: string): Promise<Map<string, number>> {
  const rows: Array<{ village_code: string; total: string | number }> = await knex('household_counts')
    .select('village_code')
    .sum({ total: 'households' })
    .where('village_code', 'like', `${villagePrefix}%`)
    .groupBy('village_code');
  return new Map(rows.map((r) => [r.village_code, Number(r.total)]));
}

/** Islands that share area with the division, with their residents. */
export async function islandsWithin(knex: Knex, divisionCode: string): Promise<IslandInput[]> {
  const rows = await knex('islands as i')
    .join('divisions as d', knex.raw('ST_Intersects(i.geom, d.geom)'))
    .where('d.code', divisionCode)
    .select('i.id', 'i.residents', knex.raw('ST_AsGeoJSON(i.geom, 7)::json as geometry'))
    .orderBy('i.id');
  return rows.map((r) => ({ id: r.id, residents: Number(r.residents), geometry: r.geometry }));
}

/** Grids (or micro-grids) in force whose division is `divisionCode`: the starting point of adjust mode. */
export async function filedGridsOf(knex: Knex, divisionCode: string, level: SuggestLevel): Promise<FiledGrid[]> {
  const query = knex('grids')
    .whereNull('valid_to')
    .where({ division_code: divisionCode })
    .whereNot('kind', 'maritime')
    .select('code', 'households', knex.raw('ST_AsGeoJSON(geom, 7)::json as geometry'))
    .orderBy('code');
  if (level === 'micro') query.whereNotNull('parent_code');
  else query.whereNull('parent_code');
  const rows = await query;
  return rows.map((r) => ({ code: r.code, households: Number(r.households), geometry: r.geometry }));
}
