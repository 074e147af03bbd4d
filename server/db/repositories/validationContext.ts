// What the rules engine needs from the store to judge a partition of one division.
import type { Knex } from 'knex';
import type { MultiPolygon, Polygon } from 'geojson';
import { divisionPrefix } from '../../domain/divisions/codes.ts';
import type { DivisionLevel } from '../../schemas/resources.ts';

type Area = Polygon | MultiPolygon;

export interface ValidationContext {
  division: { code: string; level: DivisionLevel; geometry: Area };
  islands: Array<{ id: number; name: string | null; residents: number; geometry: Area }>;
  land: Area[];
  /** those of the proposed codes that are retired or in use outside this division: a plan for it may use neither */
  takenCodes: string[];
}

/** Only the proposed codes are looked up, so the cost does not grow with the registry. */
export async function loadValidationContext(knex: Knex, divisionCode: string, proposedCodes: readonly string[]): Promise<ValidationContext | null> {
  const division = await knex('divisions').select('code', 'level', knex.raw('ST_AsGeoJSON(geom)::json as geometry')).where({ code: divisionCode }).first();
  if (!division || !division.geometry) return null;
  const islands = await knex('islands as i')
    .select('i.id', 'i.name', 'i.residents', knex.raw('ST_AsGeoJSON(i.geom)::json as geometry'))
    .join('divisions as d', knex.raw('ST_Intersects(d.geom, i.geom)'))
    .where('d.code', divisionCode)
    .orderBy('i.id');
  const prefix = divisionPrefix(division.code, division.level);
  const taken = proposedCodes.length
    ? await knex('grid_codes')
        .select('code')
        .whereIn('code', [...new Set(proposedCodes)])
        .where((q) => q.where('status', 'retired').orWhere((active) => active.where('status', 'active').whereNot('code', 'like', `${prefix}%`)))
    : [];
  return {
    division: { code: division.code, level: division.level, geometry: division.geometry },
    islands,
    land: islands.map((i: { geometry: Area }) => i.geometry),
    takenCodes: taken.map((r: { code: string }) => r.code),
  };
}

/** PostGIS's repair of an invalid geometry (ST_MakeValid), offered to the planner, never applied silently. */
export async function makeValid(knex: Knex, geometry: Area): Promise<Area | null> {
  const result = await knex.raw(
    `SELECT ST_AsGeoJSON(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326)), 3), 7)::json AS geometry`,
    [JSON.stringify(geometry)],
  );
  const repaired = result.rows[0]?.geometry as Area | undefined;
  return repaired && repaired.coordinates.length ? repaired : null;
}
