// Grid files in and out: bytes ⇄ grids for GeoJSON, zipped Shapefile, KML, CSV (WKT) and GeoPackage. No HTTP, no
// store; an uploaded file may be read from its path.
import { readFile } from 'node:fs/promises';
import type { InputCrs } from '../crs/index.ts';
import { readCsv, writeCsv } from './csv.ts';
import { readGeoJson, writeGeoJson } from './geojson.ts';
import { readGeoPackage, writeGeoPackage } from './geopackage.ts';
import { toImportedGrids } from './grids.ts';
import { readKml, writeKml } from './kml.ts';
import { readShapefileZip, writeShapefileZip } from './shapefile.ts';
import { FormatError, type FeatureFault, type HeightOptions, type ImportOutcome, type TransferFormat, type TransferGrid } from './types.ts';
import { DEFAULT_ZIP_LIMITS, type ZipLimits } from './zip.ts';

export * from './types.ts';
export { DEFAULT_ZIP_LIMITS, isUnsafeZipPath, type ZipLimits } from './zip.ts';
export { CGCS2000_PRJ, crsOfPrj } from './prj.ts';

/** Media types per format: the first is what exports send, all are accepted on import. */
export const MEDIA_TYPES: Record<TransferFormat, string[]> = {
  geojson: ['application/geo+json', 'application/json'],
  shapefile: ['application/zip', 'application/x-zip-compressed'],
  kml: ['application/vnd.google-earth.kml+xml', 'application/xml', 'text/xml'],
  csv: ['text/csv'],
  geopackage: ['application/geopackage+sqlite3', 'application/x-sqlite3', 'application/vnd.sqlite3'],
};
const EXTENSIONS: Record<TransferFormat, string> = { geojson: 'geojson', shapefile: 'zip', kml: 'kml', csv: 'csv', geopackage: 'gpkg' };
/** Formats written as bytes; the others are UTF-8 text. */
export const BINARY_FORMATS: readonly TransferFormat[] = ['shapefile', 'geopackage'];

/** The format a Content-Type names, if any. @example formatOfMediaType('text/csv; charset=utf-8') // 'csv' */
export function formatOfMediaType(contentType: string | undefined): TransferFormat | null {
  const type = contentType?.split(';')[0].trim().toLowerCase() ?? '';
  return (Object.keys(MEDIA_TYPES) as TransferFormat[]).find((f) => MEDIA_TYPES[f].includes(type)) ?? null;
}

/** Features a reader could not decode, merged with what the mapping rejected (one fault per feature, the reader's first). */
function withUnreadable(outcome: ImportOutcome, unreadable: FeatureFault[]): ImportOutcome {
  const indexes = new Set(unreadable.map((r) => r.index));
  return { ...outcome, rejected: [...unreadable, ...outcome.rejected.filter((r) => !indexes.has(r.index))].sort((a, b) => a.index - b.index) };
}

export interface ReadOptions {
  /** drop Z values (heights) with a note instead of rejecting their features */
  dropZ?: boolean;
  /** the GeoPackage feature table to read (its table_name); null: the only one. Other formats have no layers. */
  layer?: string | null;
  /** what a zipped shapefile may hold (entries, inflated size, compression ratio) */
  limits?: ZipLimits;
}

/** A grid file: its bytes, or the path of a file holding them (a zip is then read from the disk, never whole). */
export type GridFileSource = Uint8Array | { path: string };

/**
 * Reads a grid file into WGS84 grids with a report per feature. `crs` is what the caller said (null: not said);
 * KML and GeoJSON default to WGS84, a shapefile to its .prj, a GeoPackage to its layer's SRS. Heights (Z other
 * than 0) reject their feature unless `dropZ` says to drop them. `layer` picks a GeoPackage's feature table.
 * @example await readGridFile(bytes, 'geojson', 'gcj02') // { grids: [...], rejected: [], ignored: [] }
 */
export async function readGridFile(
  source: GridFileSource,
  format: TransferFormat,
  crs: InputCrs | null,
  { dropZ = false, layer = null, limits = DEFAULT_ZIP_LIMITS }: ReadOptions = {},
): Promise<ImportOutcome> {
  if (layer !== null && format !== 'geopackage') {
    throw new FormatError('invalid-parameter', `only a GeoPackage has layers, and this file is ${format}; layer= (npm run import: --layer) names a GeoPackage's feature table`, 400, 'layer');
  }
  const heights: HeightOptions = { dropZ };
  if (format === 'shapefile') {
    const { collection, crs: used, notes, removedZ } = await readShapefileZip(source instanceof Uint8Array ? source : source.path, crs, limits);
    const outcome = toImportedGrids(collection, used, [], { ...heights, removedZ });
    return { ...outcome, grids: outcome.grids.map((g) => ({ ...g, notes: [...notes, ...g.notes] })) };
  }
  const bytes = source instanceof Uint8Array ? source : new Uint8Array(await readFile(source.path));
  switch (format) {
    case 'geojson': {
      const { collection, crs: declared } = readGeoJson(bytes);
      return toImportedGrids(collection, crs ?? declared ?? 'wgs84', [], heights);
    }
    case 'kml': {
      const { collection, ignored } = readKml(bytes);
      return toImportedGrids(collection, crs ?? 'wgs84', ignored, heights);
    }
    case 'csv': {
      const { collection, rejected } = readCsv(bytes);
      return withUnreadable(toImportedGrids(collection, crs ?? 'wgs84', [], heights), rejected);
    }
    case 'geopackage': {
      const { collection, crs: used, rejected } = await readGeoPackage(bytes, crs, layer);
      return withUnreadable(toImportedGrids(collection, used, [], heights), rejected);
    }
  }
}

/**
 * Writes grids as a file named `<layer>.<extension>`.
 * @example await writeGridFile(grids, 'kml', 'grids-330903001000') // { body: '<?xml…', contentType: 'application/vnd.google-earth.kml+xml', filename: 'grids-330903001000.kml' }
 */
export async function writeGridFile(grids: TransferGrid[], format: TransferFormat, layer: string): Promise<{ body: Uint8Array | string; contentType: string; filename: string }> {
  const filename = `${layer}.${EXTENSIONS[format]}`;
  const contentType = MEDIA_TYPES[format][0] + (BINARY_FORMATS.includes(format) ? '' : '; charset=utf-8');
  switch (format) {
    case 'geojson':
      return { body: writeGeoJson(grids), contentType, filename };
    case 'shapefile':
      return { body: writeShapefileZip(grids, layer), contentType, filename };
    case 'kml':
      return { body: writeKml(grids, layer), contentType, filename };
    case 'csv':
      return { body: writeCsv(grids), contentType, filename };
    case 'geopackage':
      return { body: await writeGeoPackage(grids, layer), contentType, filename };
  }
}
