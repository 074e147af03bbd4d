import { bd09ToWgs84, gcj02ToWgs84, type LonLat } from './chinese-offsets.ts';

/** Input coordinate systems a caller may name (`?crs=`). */
export const INPUT_CRS = ['wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const;
export type InputCrs = (typeof INPUT_CRS)[number];

/** Narrows an untrusted `crs` parameter. */
export function isInputCrs(value: string): value is InputCrs {
  return (INPUT_CRS as readonly string[]).includes(value);
}

/**
 * Converts a coordinate to WGS84. CGCS2000 differs from WGS84 by a few centimetres, below the precision of
 * any grid boundary, so it is taken as equal (API.md conventions).
 * @example toWgs84(122.2, 30.0, 'gcj02') // ≈ [122.1955, 30.0024]
 */
export function toWgs84(lon: number, lat: number, crs: InputCrs): LonLat {
  switch (crs) {
    case 'wgs84':
    case 'cgcs2000':
      return [lon, lat];
    case 'gcj02':
      return gcj02ToWgs84(lon, lat);
    case 'bd09':
      return bd09ToWgs84(lon, lat);
  }
}

/**
 * Converts interleaved lon,lat pairs to WGS84 in place (batch lookups convert before indexing).
 * @example toWgs84InPlace(Float64Array.of(122.2, 30.0), 'bd09')
 */
export function toWgs84InPlace(coords: Float64Array, crs: InputCrs): Float64Array {
  if (crs === 'wgs84' || crs === 'cgcs2000') return coords;
  for (let i = 0; i + 1 < coords.length; i += 2) {
    const [lon, lat] = toWgs84(coords[i], coords[i + 1], crs);
    coords[i] = lon;
    coords[i + 1] = lat;
  }
  return coords;
}
