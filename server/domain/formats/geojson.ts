// GeoJSON (RFC 7946): read with JSON.parse and a shape check; written as a FeatureCollection of grid attributes.
import type { FeatureCollection, Geometry } from 'geojson';
import type { InputCrs } from '../crs/index.ts';
import { FormatError, type TransferGrid } from './types.ts';

/** Legacy `crs` members we can honour; anything else is refused rather than read as lon/lat. */
const NAMED_CRS: Record<string, InputCrs> = {
  'urn:ogc:def:crs:ogc:1.3:crs84': 'wgs84',
  'urn:ogc:def:crs:epsg::4326': 'wgs84',
  'epsg:4326': 'wgs84',
  'urn:ogc:def:crs:epsg::4490': 'cgcs2000',
  'epsg:4490': 'cgcs2000',
};

/**
 * Parses a GeoJSON FeatureCollection (or a single Feature); returns it with the CRS a legacy `crs` member names.
 * @example readGeoJson(new TextEncoder().encode('{"type":"FeatureCollection","features":[]}')).collection.features // []
 */
export function readGeoJson(bytes: Uint8Array): { collection: FeatureCollection<Geometry | null>; crs: InputCrs | null } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new FormatError('not-geojson', `the body is not JSON: ${(error as Error).message}`);
  }
  const object = parsed as { type?: unknown; features?: unknown; crs?: { properties?: { name?: unknown } } } | null;
  if (object?.type === 'Feature') return { collection: { type: 'FeatureCollection', features: [parsed as FeatureCollection<Geometry | null>['features'][number]] }, crs: null };
  if (object?.type !== 'FeatureCollection' || !Array.isArray(object.features)) throw new FormatError('not-geojson', 'expected a GeoJSON FeatureCollection');
  const badFeature = object.features.findIndex((f) => f === null || typeof f !== 'object' || (f as { type?: unknown }).type !== 'Feature');
  if (badFeature >= 0) throw new FormatError('not-geojson', `/features/${badFeature} is not a GeoJSON Feature`, 400, `/features/${badFeature}`);
  const named = object.crs?.properties?.name;
  let crs: InputCrs | null = null;
  if (named !== undefined) {
    crs = NAMED_CRS[String(named).toLowerCase()] ?? null;
    if (!crs) throw new FormatError('unknown-crs', `the collection names crs "${String(named)}"; only CRS84, EPSG:4326 and EPSG:4490 longitude/latitude are read`, 400, '/crs');
  }
  return { collection: parsed as FeatureCollection<Geometry | null>, crs };
}

export const gridProperties = (grid: TransferGrid) => ({
  code: grid.code,
  name: grid.name,
  kind: grid.kind,
  subkind: grid.subkind,
  divisionCode: grid.divisionCode,
  parentCode: grid.parentCode,
  households: grid.households,
  population: grid.population,
});

/** @example writeGeoJson([grid]) // '{"type":"FeatureCollection","features":[…]}' */
export function writeGeoJson(grids: TransferGrid[]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    features: grids.map((grid) => ({ type: 'Feature', properties: gridProperties(grid), geometry: grid.geometry })),
  });
}
