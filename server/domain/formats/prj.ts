// The .prj of a shapefile: written as EPSG:4490 (CGCS2000) in the ESRI WKT that ArcGIS, QGIS and GDAL read; read
// back only when it names a geographic CRS we can place (WGS84, CGCS2000). Beijing 1954, Xi'an 1980 and every
// projected CRS are refused rather than guessed: their offsets reach hundreds of metres.
import type { InputCrs } from '../crs/index.ts';
import { FormatError } from './types.ts';

export const CGCS2000_PRJ =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** The name a WKT coordinate system gives itself, for messages. @example nameOfWkt('GEOGCS["GCS_Tokyo",…]') // 'GCS_Tokyo' */
export const nameOfWkt = (wkt: string) => /^[A-Za-z]+\[\s*"([^"]*)"/.exec(wkt.trim())?.[1] ?? wkt.trim().slice(0, 60);

/**
 * The geographic CRS a WKT (1 or 2, ESRI or OGC flavour) names, if it is one we can place; null otherwise.
 * @example crsOfWkt('GEOGCS["WGS 84",DATUM["WGS_1984",…]]') // 'wgs84'
 */
export function crsOfWkt(wkt: string): InputCrs | null {
  const upper = wkt.trim().toUpperCase();
  if (!upper.startsWith('GEOGCS[') && !upper.startsWith('GEOGCRS[')) return null;
  if (/CHINA_2000|CHINA GEODETIC COORDINATE SYSTEM 2000|CHINA_GEODETIC_COORDINATE_SYSTEM_2000|CGCS ?2000/.test(upper)) return 'cgcs2000';
  if (/WGS[ _]?(19)?84/.test(upper)) return 'wgs84';
  return null;
}

/**
 * The coordinate system a .prj names, or a FormatError (unknown-crs) for any other.
 * @example crsOfPrj(CGCS2000_PRJ) // 'cgcs2000'
 */
export function crsOfPrj(wkt: string): InputCrs {
  const crs = crsOfWkt(wkt);
  if (crs) return crs;
  throw new FormatError(
    'unknown-crs',
    `the .prj names "${nameOfWkt(wkt.toUpperCase())}", which cannot be placed without guessing; export the layer in EPSG:4490 (CGCS2000) or EPSG:4326 (WGS84) longitude/latitude`,
    400,
    'prj',
  );
}
