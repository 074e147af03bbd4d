// The .prj of a shapefile: written as EPSG:4490 (CGCS2000) in the ESRI WKT that ArcGIS, QGIS and GDAL read; read
// back only when it names a geographic CRS we can place (WGS84, CGCS2000). Beijing 1954, Xi'an 1980 and every
// projected CRS are refused rather than guessed: their offsets reach hundreds of metres.
import type { InputCrs } from '../crs/index.ts';
import { FormatError } from './types.ts';

export const CGCS2000_PRJ =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/**
 * The coordinate system a .prj names, or a FormatError (unknown-crs) for any other.
 * @example crsOfPrj(CGCS2000_PRJ) // 'cgcs2000'
 */
export function crsOfPrj(wkt: string): InputCrs {
  const upper = wkt.trim().toUpperCase();
  const name = /^[A-Z]+\[\s*"([^"]*)"/.exec(upper)?.[1] ?? upper.slice(0, 60);
  if (upper.startsWith('GEOGCS[') || upper.startsWith('GEOGCRS[')) {
    if (/CHINA_2000|CHINA GEODETIC COORDINATE SYSTEM 2000|CHINA_GEODETIC_COORDINATE_SYSTEM_2000|CGCS ?2000/.test(upper)) return 'cgcs2000';
    if (/WGS[ _]?(19)?84/.test(upper)) return 'wgs84';
  }
  throw new FormatError(
    'unknown-crs',
    `the .prj names "${name}", which cannot be placed without guessing; export the layer in EPSG:4490 (CGCS2000) or EPSG:4326 (WGS84) longitude/latitude`,
    400,
    'prj',
  );
}
