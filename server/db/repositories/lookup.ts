// What point-to-grid lookup reads from the store: the partition in force (or of a date) for the in-memory index,
// the division tree for chains, the PostGIS-only answers (`LOOKUP_ENGINE=postgis`) and vessels with positions.
import type { Knex } from 'knex';
import type { MultiPolygon } from 'geojson';
import type { DivisionLevel } from '../../schemas/resources.ts';
import type { LookupGrid, LookupGridInput, LookupLayerName } from '../../domain/lookup/index.ts';
import { LOOKUP_LAYER_FILTER, lookupBatchSql } from '../../domain/lookup/index.ts';
import { gridIdentity, inForce, type GridIdentityRow } from './grids.ts';

type LookupGridRow = GridIdentityRow;

const toLookupGrid = (row: LookupGridRow): LookupGrid => gridIdentity(row);

/**
 * Every grid in force now or on `at` (of one lookup layer when `layer` is given, under a division prefix when
 * `prefix` is), with its geometry. 15 decimals keep every double of a lon/lat exactly (its last bit is ~1e-14
 * there), so the index tests the same vertices as `ST_Covers`.
 */
export async function lookupGridInputs(knex: Knex, at?: string, layer?: LookupLayerName, prefix?: string): Promise<LookupGridInput[]> {
  const rows: Array<LookupGridRow & { geometry: MultiPolygon }> = await inForce(knex('grids'), at)
    .modify((q) => (layer ? q.whereRaw(LOOKUP_LAYER_FILTER[layer]) : q))
    .modify((q) => (prefix ? q.where('division_code', 'like', `${prefix}%`) : q))
    .select('code', 'name', 'kind', 'subkind', 'division_code', 'parent_code', knex.raw('ST_AsGeoJSON(geom, 15)::json AS geometry'));
  return rows.map((row) => ({ ...toLookupGrid(row), geometry: row.geometry }));
}

export interface DivisionNode {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

export async function divisionNodes(knex: Knex): Promise<DivisionNode[]> {
  const rows = await knex('divisions').select('code', 'name', 'level', 'parent_code');
  return rows.map((r: { code: string; name: string; level: DivisionLevel; parent_code: string | null }) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
  }));
}

/** [minLon, minLat, maxLon, maxLat] of the land and sea grids in force, or null without grids. */
export async function serviceExtent(knex: Knex): Promise<[number, number, number, number] | null> {
  const result = await knex.raw(
    `SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n
     FROM (SELECT ST_Extent(geom)::geometry AS e FROM grids WHERE valid_to IS NULL AND parent_code IS NULL) x`,
  );
  const row = result.rows[0] as { w: number | null; s: number; e: number; n: number } | undefined;
  return row && row.w !== null ? [row.w, row.s, row.e, row.n] : null;
}

// The domain's SQL uses $n placeholders; knex wants `?` with bindings in order of appearance.
function positional(sql: string, values: readonly Knex.Value[]): [string, Knex.Value[]] {
  const bindings: Knex.Value[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    bindings.push(values[Number(n) - 1]);
    return '?';
  });
  return [text, bindings];
}

const VERSION_AT = 'valid_from <= $3::date AND (valid_to IS NULL OR valid_to > $3::date)';
const versionFilter = (at: string | undefined, table = '') =>
  at ? VERSION_AT.replace(/valid_/g, `${table}valid_`) : `${table}valid_to IS NULL`;

/** PostGIS answers for a batch, in input order: the land grid, micro-grid and sea grids of each point. */
export interface SqlPointAnswer {
  grid: LookupGrid | null;
  microGrid: LookupGrid | null;
  seaGrids: LookupGrid[];
}

const GRID_JSON = `json_build_object('code', g.code, 'name', g.name, 'kind', g.kind, 'subkind', g.subkind, 'division_code', g.division_code, 'parent_code', g.parent_code)`;

/**
 * The boundary rule in PostGIS for a whole batch in one statement: `lookupBatchSql` for land and micro-grids
 * (smallest covering code), every covering sea grid in code order. `coords` holds lon,lat pairs.
 */
export async function lookupPointsSql(knex: Knex, coords: Float64Array, at?: string): Promise<SqlPointAnswer[]> {
  const n = coords.length >> 1;
  const lons = new Array<number>(n);
  const lats = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    lons[i] = coords[i * 2];
    lats[i] = coords[i * 2 + 1];
  }
  const filter = { versionFilter: versionFilter(at) };
  const layerJoin = (layer: 'land' | 'micro') =>
    `LEFT JOIN (${lookupBatchSql(layer, filter)}) ${layer} ON ${layer}.ord = pt.ord
     LEFT JOIN LATERAL (SELECT ${GRID_JSON} AS grid FROM grids g WHERE g.code = ${layer}.code AND ${versionFilter(at, 'g.')}) ${layer}_g ON true`;
  const sql = `
    SELECT land_g.grid AS land, micro_g.grid AS micro, sea.grids AS sea
    FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS pt(lon, lat, ord)
    ${layerJoin('land')}
    ${layerJoin('micro')}
    LEFT JOIN LATERAL (
      SELECT json_agg(${GRID_JSON} ORDER BY g.code COLLATE "C") AS grids FROM grids g
      WHERE ${LOOKUP_LAYER_FILTER.sea} AND ${versionFilter(at, 'g.')}
        AND ST_Covers(g.geom, ST_SetSRID(ST_MakePoint(pt.lon, pt.lat), 4326))
    ) sea ON true
    ORDER BY pt.ord`;
  const result = await knex.raw(...positional(sql, [lons, lats, at ?? null]));
  return (result.rows as Array<{ land: LookupGridRow | null; micro: LookupGridRow | null; sea: LookupGridRow[] | null }>).map((row) => ({
    grid: row.land ? toLookupGrid(row.land) : null,
    microGrid: row.micro ? toLookupGrid(row.micro) : null,
    seaGrids: (row.sea ?? []).map(toLookupGrid),
  }));
}

/** The land grid nearest to a point and the geodesic distance to it (PostGIS geography, metres). */
export async function nearestGridSql(knex: Knex, lon: number, lat: number, at?: string): Promise<{ code: string; distanceM: number } | null> {
  const sql = `
    WITH candidates AS (
      SELECT code, geom FROM grids
      WHERE ${LOOKUP_LAYER_FILTER.land} AND ${versionFilter(at)}
      ORDER BY geom <-> ST_SetSRID(ST_MakePoint($1, $2), 4326) LIMIT 8
    )
    SELECT code, ST_Distance(geom::geography, ST_SetSRID(ST_MakePoint($1, $2), 4326)::geography) AS distance
    FROM candidates ORDER BY distance, code COLLATE "C" LIMIT 1`;
  const result = await knex.raw(...positional(sql, [lon, lat, at ?? null]));
  const row = result.rows[0] as { code: string; distance: number } | undefined;
  return row ? { code: row.code, distanceM: Number(row.distance) } : null;
}

export interface VesselForLookup {
  mmsi: string | null;
  registeredName: string;
  type: string | null;
  lengthM: number | null;
  homePort: string | null;
}

export interface VesselPosition {
  time: string;
  lon: number;
  lat: number;
  sog: number | null;
  cog: number | null;
}

/** A vessel by MMSI or registered name, its latest position and the formation grid it belongs to now. */
export async function findVesselForLookup(
  knex: Knex,
  mmsiOrName: string,
): Promise<{ vessel: VesselForLookup; position: VesselPosition | null; formation: { code: string; name: string } | null } | null> {
  const row = await knex('vessels').select('id', 'mmsi', 'registered_name', 'type', 'length_m', 'home_port').where('mmsi', mmsiOrName).orWhere('registered_name', mmsiOrName).first();
  if (!row) return null;
  const position = row.mmsi
    ? await knex('vessel_positions').select('time', 'lon', 'lat', 'sog', 'cog').where('mmsi', row.mmsi).orderBy('time', 'desc').first()
    : undefined;
  const formation = await knex('formation_members as m')
    .join('grids as g', function joinGrid() {
      this.on('g.code', '=', 'm.formation_code').andOnNull('g.valid_to');
    })
    .select('g.code', 'g.name')
    .where('m.vessel_id', row.id)
    .whereNull('m.valid_to')
    .orderBy('m.valid_from', 'desc')
    .first();
  return {
    vessel: { mmsi: row.mmsi, registeredName: row.registered_name, type: row.type, lengthM: row.length_m, homePort: row.home_port },
    position: position
      ? { time: new Date(position.time).toISOString(), lon: position.lon, lat: position.lat, sog: position.sog, cog: position.cog }
      : null,
    formation: formation ? { code: formation.code, name: formation.name } : null,
  };
}
