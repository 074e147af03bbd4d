// ESRI Shapefile in a zip. Reading: the layer's files are inflated as streams within the import limits (zip.ts),
// the `shapefile` package parses .shp/.dbf, the .prj and .cpg say CRS and encoding. Writing is done here: the
// spec is short and the npm writers get it wrong for us (exterior rings left counter-clockwise, multi-part
// records mis-sized, DBF text written as Latin-1), so Chinese names and holes would not survive a round trip.
import { rewind } from '@turf/turf';
import { zipSync } from 'fflate';
import { read as readShapefile } from 'shapefile';
import type { FeatureCollection, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import type { InputCrs } from '../crs/index.ts';
import { CGCS2000_PRJ, crsOfPrj } from './prj.ts';
import { FormatError, type TransferGrid, type ZRange } from './types.ts';
import { readZipEntries, type ZipLimits } from './zip.ts';

/** The 0x.. shape types of the spec; of the polygon ones, PolygonZ carries heights and PolygonM measures. */
const SHAPE_TYPES: Record<number, string> = { 0: 'Null', 1: 'Point', 3: 'PolyLine', 5: 'Polygon', 8: 'MultiPoint', 11: 'PointZ', 13: 'PolyLineZ', 15: 'PolygonZ', 18: 'MultiPointZ', 21: 'PointM', 23: 'PolyLineM', 25: 'PolygonM', 28: 'MultiPointM', 31: 'MultiPatch' };

const POLYGON_Z = 15;
const POLYGON_M = 25;

/**
 * The Z range of each record of a PolygonZ .shp in record order (null for a null shape): the `shapefile` package
 * reads x and y only, so the heights it leaves out are looked up here, to refuse or note them per feature.
 */
function heightsOfRecords(shp: Uint8Array): Array<ZRange | null> {
  const view = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  const ranges: Array<ZRange | null> = [];
  for (let at = 100; at + 12 <= shp.byteLength; ) {
    const content = at + 8;
    const length = view.getInt32(at + 4) * 2;
    if (length < 4) break;
    let range: ZRange | null = null;
    if (view.getInt32(content, true) === POLYGON_Z && length >= 44) {
      // type, box, part and point counts, part starts, x/y pairs; then Z min and max.
      const zAt = content + 44 + 4 * view.getInt32(content + 36, true) + 16 * view.getInt32(content + 40, true);
      if (zAt + 16 <= content + length) range = [view.getFloat64(zAt, true), view.getFloat64(zAt + 8, true)];
    }
    ranges.push(range);
    at = content + length;
  }
  return ranges;
}

function encodingOf(cpg: Uint8Array | undefined): string {
  if (!cpg) return 'utf-8';
  const label = new TextDecoder().decode(cpg).trim().toLowerCase();
  const encoding = ({ '65001': 'utf-8', utf8: 'utf-8', '936': 'gbk', cp936: 'gbk', gb2312: 'gbk' } as Record<string, string>)[label] ?? label;
  try {
    new TextDecoder(encoding);
  } catch {
    throw new FormatError('unknown-encoding', `the .cpg names "${label}", not an encoding this server reads`, 400, 'cpg');
  }
  return encoding;
}

/** The files of a layer the reader uses; the others (.shx, .sbn, metadata) are listed but never inflated. */
const LAYER_FILE = /\.(shp|dbf|prj|cpg)$/i;

/**
 * Reads a zipped shapefile (a file's path, or its bytes) within `limits`. Without a .prj the caller must say the CRS (`crs`), with one an explicit GCJ-02 or BD-09
 * still applies (those data sets are stored with a WGS84 .prj). A .dbf without .cpg is read as UTF-8.
 */
export async function readShapefileZip(
  zip: string | Uint8Array,
  explicitCrs: InputCrs | null,
  limits: ZipLimits,
): Promise<{ collection: FeatureCollection<Geometry | null>; crs: InputCrs; notes: string[]; removedZ: Array<ZRange | null> }> {
  const { names, files } = await readZipEntries(zip, limits, (name) => LAYER_FILE.test(name));
  const shps = names.filter((n) => /\.shp$/i.test(n));
  if (shps.length === 0) throw new FormatError('not-a-shapefile', `the zip holds no .shp (found: ${names.slice(0, 10).join(', ') || 'nothing'})`);
  if (shps.length > 1) throw new FormatError('not-a-shapefile', `the zip holds ${shps.length} layers (${shps.join(', ')}); upload one layer per zip`);
  const base = shps[0].slice(0, -4).toLowerCase();
  const sibling = (ext: string) => files.get(names.find((n) => n.toLowerCase() === `${base}.${ext}`) ?? '');
  const [shp, dbf, prj, cpg] = [files.get(shps[0])!, sibling('dbf'), sibling('prj'), sibling('cpg')];
  if (!dbf) throw new FormatError('not-a-shapefile', `${shps[0]} comes without its .dbf`);
  if (shp.length < 100 || new DataView(shp.buffer, shp.byteOffset).getInt32(0) !== 9994) throw new FormatError('not-a-shapefile', `${shps[0]} is not an ESRI shapefile`);
  const shapeType = new DataView(shp.buffer, shp.byteOffset).getInt32(32, true);
  if (shapeType === 31 || !(shapeType in SHAPE_TYPES)) throw new FormatError('not-a-shapefile', `${shps[0]} holds ${SHAPE_TYPES[shapeType] ?? `shape type ${shapeType}`} records, not polygons`);

  let crs: InputCrs;
  if (prj) {
    const declared = crsOfPrj(new TextDecoder().decode(prj));
    crs = explicitCrs === 'gcj02' || explicitCrs === 'bd09' ? explicitCrs : declared;
  } else if (explicitCrs) {
    crs = explicitCrs;
  } else {
    throw new FormatError('missing-prj', `${shps[0]} has no .prj, so its coordinate system is unknown; add the .prj or say it with crs=wgs84|cgcs2000|gcj02|bd09`, 400, 'crs');
  }
  let collection: FeatureCollection<Geometry | null>;
  try {
    collection = await readShapefile(shp, dbf, { encoding: encodingOf(cpg) });
  } catch (error) {
    throw new FormatError('not-a-shapefile', `${shps[0]} cannot be read: ${(error as Error).message}`);
  }
  const notes = shapeType === POLYGON_M ? ['M values (measures) of the PolygonM layer dropped: grids carry none'] : [];
  return { collection, crs, notes, removedZ: shapeType === POLYGON_Z ? heightsOfRecords(shp) : [] };
}

// ---- writing -------------------------------------------------------------------------------------------------

interface DbfField {
  name: string;
  type: 'C' | 'N';
  size: number;
  value: (grid: TransferGrid) => string | number | null;
}

/** DBF names are at most 10 characters; the importer reads these names back. */
const FIELDS: Array<Omit<DbfField, 'size'> & { size?: number }> = [
  { name: 'code', type: 'C', value: (g) => g.code },
  { name: 'name', type: 'C', value: (g) => g.name },
  { name: 'kind', type: 'C', value: (g) => g.kind },
  { name: 'subkind', type: 'C', value: (g) => g.subkind },
  { name: 'division', type: 'C', value: (g) => g.divisionCode },
  { name: 'parent', type: 'C', value: (g) => g.parentCode },
  { name: 'households', type: 'N', size: 10, value: (g) => g.households },
  { name: 'population', type: 'N', size: 10, value: (g) => g.population },
];

const utf8 = new TextEncoder();

/** UTF-8 bytes of `value`, cut at a character boundary to fit `size`. */
function fitted(value: string, size: number): Uint8Array {
  let bytes = utf8.encode(value);
  for (let chars = [...value]; bytes.length > size; chars = chars.slice(0, -1)) bytes = utf8.encode(chars.join(''));
  return bytes;
}

function writeDbf(grids: TransferGrid[]): Uint8Array {
  const fields: DbfField[] = FIELDS.map((f) => ({
    ...f,
    size: f.size ?? Math.min(254, Math.max(1, ...grids.map((g) => utf8.encode(String(f.value(g) ?? '')).length))),
  }));
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + fields.reduce((s, f) => s + f.size, 0);
  const out = new Uint8Array(headerLength + recordLength * grids.length + 1);
  const view = new DataView(out.buffer);
  const now = new Date();
  out.set([0x03, now.getFullYear() - 1900, now.getMonth() + 1, now.getDate()]);
  view.setUint32(4, grids.length, true);
  view.setUint16(8, headerLength, true);
  view.setUint16(10, recordLength, true);
  fields.forEach((f, i) => {
    const at = 32 + 32 * i;
    out.set(utf8.encode(f.name), at);
    out[at + 11] = f.type.charCodeAt(0);
    out[at + 16] = f.size;
  });
  out[headerLength - 1] = 0x0d;
  let at = headerLength;
  for (const grid of grids) {
    out.fill(0x20, at, at + recordLength);
    at += 1;
    for (const f of fields) {
      const value = f.value(grid);
      if (value !== null) {
        const bytes = fitted(String(value), f.size);
        out.set(bytes, f.type === 'N' ? at + f.size - bytes.length : at);
      }
      at += f.size;
    }
  }
  out[at] = 0x1a;
  return out;
}

type Box = [number, number, number, number];
const boxOf = (points: Position[]): Box =>
  points.reduce<Box>((b, [x, y]) => [Math.min(b[0], x), Math.min(b[1], y), Math.max(b[2], x), Math.max(b[3], y)], [Infinity, Infinity, -Infinity, -Infinity]);

/** Shapefile rings: exteriors clockwise, holes counter-clockwise (the reverse of RFC 7946). */
function shapefileRings(geometry: Polygon | MultiPolygon): Position[][] {
  const wound = rewind(structuredClone(geometry), { reverse: true, mutate: true }) as Polygon | MultiPolygon;
  return wound.type === 'Polygon' ? wound.coordinates : wound.coordinates.flat();
}

function writeHeader(view: DataView, fileWords: number, box: Box): void {
  view.setInt32(0, 9994);
  view.setInt32(24, fileWords);
  view.setInt32(28, 1000, true);
  view.setInt32(32, 5, true);
  box.forEach((v, i) => view.setFloat64(36 + 8 * i, v, true));
}

function writeShpShx(grids: TransferGrid[]): { shp: Uint8Array; shx: Uint8Array } {
  const records = grids.map((g) => shapefileRings(g.geometry));
  const contentBytes = records.map((rings) => 44 + 4 * rings.length + 16 * rings.reduce((s, r) => s + r.length, 0));
  const shp = new Uint8Array(100 + contentBytes.reduce((s, n) => s + n + 8, 0));
  const shx = new Uint8Array(100 + 8 * records.length);
  const [shpView, shxView] = [new DataView(shp.buffer), new DataView(shx.buffer)];
  const all = records.flat(2);
  const box: Box = all.length ? boxOf(all) : [0, 0, 0, 0];
  writeHeader(shpView, shp.length / 2, box);
  writeHeader(shxView, shx.length / 2, box);
  let at = 100;
  records.forEach((rings, i) => {
    shxView.setInt32(100 + 8 * i, at / 2);
    shxView.setInt32(104 + 8 * i, contentBytes[i] / 2);
    shpView.setInt32(at, i + 1);
    shpView.setInt32(at + 4, contentBytes[i] / 2);
    shpView.setInt32(at + 8, 5, true);
    boxOf(rings.flat()).forEach((v, k) => shpView.setFloat64(at + 12 + 8 * k, v, true));
    shpView.setInt32(at + 44, rings.length, true);
    shpView.setInt32(at + 48, rings.reduce((s, r) => s + r.length, 0), true);
    let start = 0;
    rings.forEach((ring, r) => {
      shpView.setInt32(at + 52 + 4 * r, start, true);
      start += ring.length;
    });
    let p = at + 52 + 4 * rings.length;
    for (const [x, y] of rings.flat()) {
      shpView.setFloat64(p, x, true);
      shpView.setFloat64(p + 8, y, true);
      p += 16;
    }
    at += 8 + contentBytes[i];
  });
  return { shp, shx };
}

/**
 * A zip with `<layer>.shp/.shx/.dbf` (UTF-8, said by `.cpg`) and `.prj` for EPSG:4490 (CGCS2000).
 * @example unzipSync(writeShapefileZip(grids, 'grids-330903001000')) // { 'grids-330903001000.shp': …, … }
 */
export function writeShapefileZip(grids: TransferGrid[], layer: string): Uint8Array {
  const { shp, shx } = writeShpShx(grids);
  return zipSync({
    [`${layer}.shp`]: shp,
    [`${layer}.shx`]: shx,
    [`${layer}.dbf`]: writeDbf(grids),
    [`${layer}.prj`]: utf8.encode(CGCS2000_PRJ),
    [`${layer}.cpg`]: utf8.encode('UTF-8'),
  });
}
