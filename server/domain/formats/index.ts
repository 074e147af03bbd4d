// Grid files in and out: bytes ⇄ grids for GeoJSON, zipped Shapefile, KML and CSV (WKT). Pure: no HTTP, no store.
// GeoPackage is left out: the one maintained JS library (@ngageoint/geopackage) brings a SQLite build and canvas
// bindings, far heavier than the four formats together; ogr2ogr converts any of these exports to GeoPackage.
import type { InputCrs } from '../crs/index.ts';
import { readCsv, writeCsv } from './csv.ts';
import { readGeoJson, writeGeoJson } from './geojson.ts';
import { toImportedGrids } from './grids.ts';
import { readKml, writeKml } from './kml.ts';
import { readShapefileZip, writeShapefileZip } from './shapefile.ts';
import { type ImportOutcome, type TransferFormat, type TransferGrid } from './types.ts';

export * from './types.ts';
export { isUnsafeZipPath, MAX_UNZIPPED_BYTES } from './shapefile.ts';
export { CGCS2000_PRJ, crsOfPrj } from './prj.ts';

/** Media types per format: the first is what exports send, all are accepted on import. */
export const MEDIA_TYPES: Record<TransferFormat, string[]> = {
  geojson: ['application/geo+json', 'application/json'],
  shapefile: ['application/zip', 'application/x-zip-compressed'],
  kml: ['application/vnd.google-earth.kml+xml', 'application/xml', 'text/xml'],
  csv: ['text/csv'],
};
const EXTENSIONS: Record<TransferFormat, string> = { geojson: 'geojson', shapefile: 'zip', kml: 'kml', csv: 'csv' };

/** The format a Content-Type names, if any. @example formatOfMediaType('text/csv; charset=utf-8') // 'csv' */
export function formatOfMediaType(contentType: string | undefined): TransferFormat | null {
  const type = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  return (Object.keys(MEDIA_TYPES) as TransferFormat[]).find((f) => MEDIA_TYPES[f].includes(type)) ?? null;
}

/**
 * Reads a grid file into WGS84 grids with a report per feature. `crs` is what the caller said (null: not said);
 * KML and GeoJSON default to WGS84, a shapefile to its .prj.
 * @example await readGridFile(bytes, 'geojson', 'gcj02') // { grids: [...], rejected: [], ignored: [] }
 */
export async function readGridFile(bytes: Uint8Array, format: TransferFormat, crs: InputCrs | null): Promise<ImportOutcome> {
  switch (format) {
    case 'geojson': {
      const { collection, crs: declared } = readGeoJson(bytes);
      return toImportedGrids(collection, crs ?? declared ?? 'wgs84');
    }
    case 'kml': {
      const { collection, ignored } = readKml(bytes);
      return toImportedGrids(collection, crs ?? 'wgs84', ignored);
    }
    case 'csv': {
      const { collection, rejected } = readCsv(bytes);
      const outcome = toImportedGrids(collection, crs ?? 'wgs84');
      const unreadable = new Set(rejected.map((r) => r.index));
      return { ...outcome, rejected: [...rejected, ...outcome.rejected.filter((r) => !unreadable.has(r.index))].sort((a, b) => a.index - b.index) };
    }
    case 'shapefile': {
      const { collection, crs: used, notes } = await readShapefileZip(bytes, crs);
      const outcome = toImportedGrids(collection, used);
      return { ...outcome, grids: outcome.grids.map((g) => ({ ...g, notes: [...notes, ...g.notes] })) };
    }
  }
}

/**
 * Writes grids as a file named `<layer>.<extension>`.
 * @example writeGridFile(grids, 'kml', 'grids-330903001000') // { body: '<?xml…', contentType: 'application/vnd.google-earth.kml+xml', filename: 'grids-330903001000.kml' }
 */
export function writeGridFile(grids: TransferGrid[], format: TransferFormat, layer: string): { body: Uint8Array | string; contentType: string; filename: string } {
  const filename = `${layer}.${EXTENSIONS[format]}`;
  const contentType = MEDIA_TYPES[format][0] + (format === 'shapefile' ? '' : '; charset=utf-8');
  switch (format) {
    case 'geojson':
      return { body: writeGeoJson(grids), contentType, filename };
    case 'shapefile':
      return { body: writeShapefileZip(grids, layer), contentType, filename };
    case 'kml':
      return { body: writeKml(grids, layer), contentType, filename };
    case 'csv':
      return { body: writeCsv(grids), contentType, filename };
  }
}
