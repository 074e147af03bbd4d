import type { LookupLayerName } from './lookup-index.ts';

/** Row filter per layer over the `grids` table; the SQL form of `lookupLayerOf`. */
export const LOOKUP_LAYER_FILTER: Readonly<Record<LookupLayerName, string>> = {
  land: "kind IN ('comprehensive', 'special') AND parent_code IS NULL",
  micro: 'parent_code IS NOT NULL',
  sea: "kind = 'maritime' AND parent_code IS NULL",
};

export interface LookupSqlOptions {
  /** Which grid versions answer: the partition in force by default; pass a date predicate for `?at=`. */
  versionFilter?: string;
}

/**
 * The PostGIS form of the boundary rule for one point ($1 = lon, $2 = lat): the covering grid with the smallest
 * code (land, micro), or every covering grid in code order (sea). Same answers as lookupPoint.
 * @example lookupPointSql('land') // SELECT code FROM grids WHERE … ORDER BY code COLLATE "C" LIMIT 1
 */
export function lookupPointSql(layer: LookupLayerName, options: LookupSqlOptions = {}): string {
  const versionFilter = options.versionFilter ?? 'valid_to IS NULL';
  return [
    'SELECT code FROM grids',
    `WHERE ${LOOKUP_LAYER_FILTER[layer]} AND ${versionFilter}`,
    '  AND ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))',
    `ORDER BY code COLLATE "C"${layer === 'sea' ? '' : ' LIMIT 1'}`,
  ].join('\n');
}

/**
 * Batch form: $1 = float8[] of lon, $2 = float8[] of lat; one row per input point (1-based `ord`), code null
 * when no grid covers it. For the sea layer use lookupPointSql per point or aggregate; this is for land and micro.
 */
export function lookupBatchSql(layer: Exclude<LookupLayerName, 'sea'>, options: LookupSqlOptions = {}): string {
  const versionFilter = options.versionFilter ?? 'valid_to IS NULL';
  return [
    'SELECT pt.ord, g.code',
    'FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS pt(lon, lat, ord)',
    'LEFT JOIN LATERAL (',
    '  SELECT code FROM grids',
    `  WHERE ${LOOKUP_LAYER_FILTER[layer]} AND ${versionFilter}`,
    '    AND ST_Covers(geom, ST_SetSRID(ST_MakePoint(pt.lon, pt.lat), 4326))',
    '  ORDER BY code COLLATE "C" LIMIT 1',
    ') g ON true',
    'ORDER BY pt.ord',
  ].join('\n');
}
