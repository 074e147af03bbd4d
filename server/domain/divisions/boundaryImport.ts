// Authoritative boundaries a city loads in place of the derived ones: each feature names a known division by its
// 12-digit code and brings a Polygon or MultiPolygon. Pure, so the CLI and tests share it.
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { toWgs84, type InputCrs } from '../crs/to-wgs84.ts';

export interface BoundaryFeature {
  properties?: Record<string, unknown> | null;
  geometry?: { type?: string; coordinates?: unknown } | null;
}

export interface AcceptedBoundary {
  index: number;
  code: string;
  geometry: Polygon | MultiPolygon;
}

export interface RejectedBoundary {
  index: number;
  pointer: string;
  message: string;
}

const CODE_PROPERTIES = ['code', 'CODE', 'adcode', 'ADCODE', 'xzqdm', 'XZQDM'];

function codeOf(properties: Record<string, unknown>): string | null {
  for (const key of CODE_PROPERTIES) {
    const value = properties[key];
    if (value === undefined || value === null) continue;
    const digits = String(value).trim();
    // Six-digit county codes (GB/T 2260) and nine-digit township codes are padded to the 12-digit form.
    if (/^\d{6}$|^\d{9}$|^\d{12}$/.test(digits)) return digits.padEnd(12, '0');
  }
  return null;
}

function positionsValid(coordinates: unknown, depth: number): boolean {
  if (!Array.isArray(coordinates)) return false;
  if (depth === 0) {
    const [lon, lat] = coordinates as number[];
    return coordinates.length >= 2 && Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lon) <= 180 && Math.abs(lat) <= 90;
  }
  return coordinates.length > 0 && coordinates.every((c) => positionsValid(c, depth - 1));
}

function reproject(geometry: Polygon | MultiPolygon, crs: InputCrs): Polygon | MultiPolygon {
  const ring = (r: Position[]) => r.map(([lon, lat]) => toWgs84(lon, lat, crs) as Position);
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: geometry.coordinates.map(ring) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map(ring)) };
}

/** Sorts features into boundaries to load and rejections that say which feature is wrong and why. */
export function readBoundaryFeatures(
  features: readonly BoundaryFeature[],
  knownCodes: ReadonlySet<string>,
  crs: InputCrs = 'wgs84',
): { accepted: AcceptedBoundary[]; rejected: RejectedBoundary[] } {
  const accepted: AcceptedBoundary[] = [];
  const rejected: RejectedBoundary[] = [];
  const seen = new Set<string>();
  features.forEach((feature, index) => {
    const reject = (path: string, message: string) => rejected.push({ index, pointer: `/features/${index}${path}`, message });
    const code = codeOf(feature.properties ?? {});
    if (!code) return reject('/properties/code', `no division code (one of ${CODE_PROPERTIES.join(', ')}) with 6, 9 or 12 digits`);
    if (!knownCodes.has(code)) return reject('/properties/code', `${code} is not a known division`);
    if (seen.has(code)) return reject('/properties/code', `${code} appears more than once`);
    const type = feature.geometry?.type;
    if (type !== 'Polygon' && type !== 'MultiPolygon') return reject('/geometry/type', `geometry is ${type ?? 'missing'}; expected Polygon or MultiPolygon`);
    if (!positionsValid(feature.geometry?.coordinates, type === 'Polygon' ? 2 : 3)) {
      return reject('/geometry/coordinates', 'coordinates must be numbers within ±180 longitude and ±90 latitude');
    }
    seen.add(code);
    accepted.push({ index, code, geometry: reproject(feature.geometry as Polygon | MultiPolygon, crs) });
  });
  return { accepted, rejected };
}
