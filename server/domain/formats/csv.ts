// CSV with a WKT geometry column (what QGIS "Add Delimited Text Layer" and most spreadsheets exchange): parsed by
// csv-parse, WKT by @terraformer/wkt.
import { parse } from 'csv-parse/sync';
import { geojsonToWKT, wktToGeoJSON } from '@terraformer/wkt';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import { FormatError, type FeatureFault, type TransferGrid } from './types.ts';

const GEOMETRY_COLUMNS = ['wkt', 'geometry', 'geom', 'the_geom', 'shape'];

/**
 * Reads rows with a header; rows whose WKT does not parse are rejected with their row number.
 * @example readCsv(bytes).collection.features[0].geometry // { type: 'Polygon', … }
 */
export function readCsv(bytes: Uint8Array): { collection: FeatureCollection<Geometry | null>; rejected: FeatureFault[] } {
  let rows: Record<string, string>[];
  try {
    rows = parse(new TextDecoder().decode(bytes), { columns: true, bom: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new FormatError('not-csv', `the CSV cannot be read: ${(error as Error).message}`);
  }
  const header = rows.length ? Object.keys(rows[0]) : [];
  const column = header.find((h) => GEOMETRY_COLUMNS.includes(h.toLowerCase()));
  if (!column) throw new FormatError('not-csv', `no geometry column: name one of ${GEOMETRY_COLUMNS.join(', ')} (WKT)${rows.length ? '' : ' and add data rows'}`);
  const rejected: FeatureFault[] = [];
  const features = rows.map((row, index): Feature<Geometry | null> => {
    const { [column]: wkt, ...properties } = row;
    let geometry: Geometry | null = null;
    try {
      geometry = wktToGeoJSON(wkt);
    } catch (error) {
      rejected.push({ index, pointer: `/features/${index}/geometry`, message: `row ${index + 2}: the ${column} is not WKT (${(error as Error).message})` });
    }
    return { type: 'Feature', properties, geometry };
  });
  return { collection: { type: 'FeatureCollection', features }, rejected };
}

const field = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** UTF-8 with a BOM so that spreadsheet programs show 名称 correctly. @example writeCsv([grid]).split('\n')[0] // '\uFEFFcode,name,…,wkt' */
export function writeCsv(grids: TransferGrid[]): string {
  const header = 'code,name,kind,subkind,division_code,parent_code,households,population,wkt';
  const lines = grids.map((g) => [g.code, g.name, g.kind, g.subkind, g.divisionCode, g.parentCode, g.households, g.population, geojsonToWKT(g.geometry)].map(field).join(','));
  return `\uFEFF${header}\n${lines.join('\n')}\n`;
}
