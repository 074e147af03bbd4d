// OGC GeoPackage 1.2 (12-128r15): one feature table of grids written, one read (the only one, or the one the caller
// names), in memory with sql.js (SQLite compiled to WebAssembly: no native build). Geometries are GeoPackage binary:
// a "GP" header with the srs_id and the envelope, then WKB, encoded and decoded by wkx. Exports are EPSG:4490 (CGCS2000) longitude/latitude, like the
// shapefile's .prj; imports take EPSG:4326 or EPSG:4490, or an undefined SRS when the caller says the CRS.
import initSqlJs from 'sql.js';
import wkx from 'wkx';
import { bbox as envelopeOf } from '@turf/turf';
import type { FeatureCollection, Geometry } from 'geojson';
import type { InputCrs } from '../crs/index.ts';
import { crsOfWkt, nameOfWkt } from './prj.ts';
import { FormatError, type FeatureFault, type TransferGrid } from './types.ts';

type SqlJs = initSqlJs.SqlJsStatic;
type Sqlite = initSqlJs.Database;
type SqlValue = initSqlJs.SqlValue;

/** `PRAGMA application_id` of a GeoPackage: "GPKG" in ASCII. */
const APPLICATION_ID = 0x47504b47;
/** `PRAGMA user_version`: GeoPackage 1.2.0, what GDAL writes by default. */
const USER_VERSION = 10200;
const EXPORT_SRS_ID = 4490;
const SQLITE_MAGIC = 'SQLite format 3\u0000';

const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]';
const CGCS2000_WKT =
  'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]';

/** The rows every GeoPackage must hold (-1 and 0: undefined Cartesian and geographic), and the two we write. */
const SPATIAL_REF_SYS: SqlValue[][] = [
  ['Undefined Cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined Cartesian coordinate reference system'],
  ['Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'],
  ['WGS 84 geodetic', 4326, 'EPSG', 4326, WGS84_WKT, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'],
  ['China Geodetic Coordinate System 2000', 4490, 'EPSG', 4490, CGCS2000_WKT, 'CGCS2000 longitude/latitude coordinates in decimal degrees'],
];

/** The core tables of the spec (clauses 1.1.2, 1.1.3, 2.1.5), as it words them. */
const CORE_SCHEMA = `
CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name), CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
`;

/** Attribute columns of the feature table: the names the CSV export uses, which the importer reads back. */
const COLUMNS: Array<{ name: string; type: 'TEXT' | 'INTEGER'; value: (g: TransferGrid) => string | number | null }> = [
  { name: 'code', type: 'TEXT', value: (g) => g.code },
  { name: 'name', type: 'TEXT', value: (g) => g.name },
  { name: 'kind', type: 'TEXT', value: (g) => g.kind },
  { name: 'subkind', type: 'TEXT', value: (g) => g.subkind },
  { name: 'division_code', type: 'TEXT', value: (g) => g.divisionCode },
  { name: 'parent_code', type: 'TEXT', value: (g) => g.parentCode },
  { name: 'households', type: 'INTEGER', value: (g) => g.households },
  { name: 'population', type: 'INTEGER', value: (g) => g.population },
];

let sqlJs: Promise<SqlJs> | undefined;
/** sql.js compiles its WebAssembly once, on the first GeoPackage. */
function loadSqlJs(): Promise<SqlJs> {
  sqlJs ??= initSqlJs().catch((error: unknown) => {
    sqlJs = undefined;
    throw error;
  });
  return sqlJs;
}

const quoted = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** GeoPackage binary (spec 2.1.3): "GP", version 0, flags (little-endian, xy envelope), srs_id, envelope, WKB. */
function encodeGeometry(geometry: TransferGrid['geometry'], srsId: number): Uint8Array {
  const multi = geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] } : geometry;
  const wkb = wkx.Geometry.parseGeoJSON(multi).toWkb();
  const [minX, minY, maxX, maxY] = envelopeOf(geometry);
  const out = new Uint8Array(40 + wkb.length);
  const view = new DataView(out.buffer);
  out.set([0x47, 0x50, 0, 0b0000_0011]);
  view.setInt32(4, srsId, true);
  [minX, maxX, minY, maxY].forEach((v, i) => view.setFloat64(8 + 8 * i, v, true));
  out.set(wkb, 40);
  return out;
}

/** Envelope sizes by the flags' envelope indicator: none, xy, xyz, xym, xyzm. */
const ENVELOPE_BYTES = [0, 32, 48, 48, 64];

/** A GeoJSON geometry from GeoPackage binary; null for the empty geometry; throws with what is wrong. */
function decodeGeometry(blob: Uint8Array): Geometry | null {
  if (blob.length < 8 || blob[0] !== 0x47 || blob[1] !== 0x50) throw new Error('not GeoPackage binary (no "GP" header)');
  if (blob[2] !== 0) throw new Error(`GeoPackage binary version ${blob[2]} is not 0`);
  const flags = blob[3];
  if (flags & 0b0010_0000) throw new Error('an extended (non-standard) geometry type');
  const envelope = ENVELOPE_BYTES[(flags >> 1) & 0b111];
  if (envelope === undefined) throw new Error(`envelope indicator ${(flags >> 1) & 0b111} is not 0–4`);
  if (flags & 0b0001_0000) return null;
  const wkb = blob.subarray(8 + envelope);
  return wkx.Geometry.parse(Buffer.from(wkb.buffer, wkb.byteOffset, wkb.byteLength)).toGeoJSON() as Geometry;
}

/**
 * A GeoPackage with one feature table `layer` (MultiPolygon, EPSG:4490) holding the grids' attributes.
 * @example await writeGeoPackage(grids, 'grids-330903001000') // Uint8Array starting "SQLite format 3"
 */
export async function writeGeoPackage(grids: TransferGrid[], layer: string): Promise<Uint8Array> {
  const db = new (await loadSqlJs()).Database();
  try {
    db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${USER_VERSION}; BEGIN; ${CORE_SCHEMA}`);
    for (const row of SPATIAL_REF_SYS) db.run('INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)', row);
    const table = quoted(layer);
    db.run(
      `CREATE TABLE ${table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON, ${COLUMNS.map((c) => `${c.name} ${c.type}`).join(', ')})`,
    );
    const extent = grids.length ? envelopeOf({ type: 'GeometryCollection', geometries: grids.map((g) => g.geometry) }) : [null, null, null, null];
    db.run('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      layer,
      'features',
      layer,
      'grids (网格) of the Wangge registry',
      ...extent,
      EXPORT_SRS_ID,
    ]);
    db.run("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'MULTIPOLYGON', ?, 0, 0)", [layer, EXPORT_SRS_ID]);
    const insert = db.prepare(`INSERT INTO ${table} (geom, ${COLUMNS.map((c) => c.name).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}, ?)`);
    try {
      for (const grid of grids) insert.run([encodeGeometry(grid.geometry, EXPORT_SRS_ID), ...COLUMNS.map((c) => c.value(grid))]);
    } finally {
      insert.free();
    }
    db.run('COMMIT');
    return db.export();
  } finally {
    db.close();
  }
}

type Row = Record<string, SqlValue>;

function rows(db: Sqlite, sql: string, params: SqlValue[] = []): Row[] {
  const statement = db.prepare(sql, params);
  try {
    const out: Row[] = [];
    while (statement.step()) out.push(statement.getAsObject());
    return out;
  } finally {
    statement.free();
  }
}

interface SpatialRefSys {
  srs_id: number;
  srs_name: string;
  organization: string;
  organization_coordsys_id: number;
  definition: string;
}

/** The CRS of the layer's srs_id; an undefined SRS needs the caller's word, an unknown one is refused. */
function crsOfSrs(srsId: number, srs: SpatialRefSys | undefined, explicitCrs: InputCrs | null): InputCrs {
  if (!srs) throw new FormatError('unknown-crs', `the layer's srs_id ${srsId} is not in gpkg_spatial_ref_sys`, 400, 'srs_id');
  const organization = String(srs.organization).toUpperCase();
  if (organization === 'NONE' || srs.srs_id === -1 || srs.srs_id === 0) {
    if (explicitCrs) return explicitCrs;
    throw new FormatError('missing-crs', `the layer's SRS is "${srs.srs_name}" (undefined), so its coordinate system is unknown; say it with crs=wgs84|cgcs2000|gcj02|bd09`, 400, 'crs');
  }
  const byCode = organization === 'EPSG' ? ({ 4326: 'wgs84', 4490: 'cgcs2000' } as Record<number, InputCrs>)[Number(srs.organization_coordsys_id)] : undefined;
  const declared = byCode ?? crsOfWkt(String(srs.definition));
  if (!declared) {
    throw new FormatError(
      'unknown-crs',
      `the layer is in ${srs.organization}:${srs.organization_coordsys_id} "${srs.srs_name || nameOfWkt(String(srs.definition))}", which cannot be placed without guessing; export it in EPSG:4490 (CGCS2000) or EPSG:4326 (WGS84) longitude/latitude`,
      400,
      'srs_id',
    );
  }
  return explicitCrs === 'gcj02' || explicitCrs === 'bd09' ? explicitCrs : declared;
}

/** Geometry types a grid layer may declare; points and lines are refused as a whole, GEOMETRY is read feature by feature. */
const POLYGON_LAYER_TYPES = ['POLYGON', 'MULTIPOLYGON', 'GEOMETRY', 'GEOMETRYCOLLECTION'];

interface GeoPackageLayer {
  collection: FeatureCollection<Geometry | null>;
  crs: InputCrs;
  /** rows whose geometry cannot be decoded */
  rejected: FeatureFault[];
}

/**
 * The feature table to read: the one `layer` names, or the only one. Several without `layer` are refused (422) rather
 * than guessed, as a planner's file often holds grids, villages and roads side by side.
 */
function chooseLayer(layers: Row[], contents: Row[], layer: string | null): Row {
  const tables = layers.map((l) => `${l.table_name} (${l.geometry_type})`).join(', ');
  if (layer === null) {
    if (layers.length === 1) return layers[0];
    throw new FormatError(
      'several-layers',
      `the GeoPackage holds ${layers.length} feature tables: ${tables}; say which to import with layer=<table_name> (npm run import: --layer <table_name>)`,
      422,
      'layer',
    );
  }
  const chosen = layers.find((l) => l.table_name === layer);
  if (chosen) return chosen;
  const other = contents.find((c) => c.table_name === layer);
  const why = other ? `the table "${layer}" holds ${other.data_type}, not features` : `the GeoPackage has no table "${layer}"`;
  throw new FormatError('unknown-layer', `${why}; its feature tables are ${tables}`, 400, 'layer');
}

function readLayer(db: Sqlite, explicitCrs: InputCrs | null, layer: string | null): GeoPackageLayer {
  const present = new Set(rows(db, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view')").map((r) => String(r.name)));
  const missing = ['gpkg_spatial_ref_sys', 'gpkg_contents', 'gpkg_geometry_columns'].filter((t) => !present.has(t));
  if (missing.length) throw new FormatError('not-a-geopackage', `an SQLite database without ${missing.join(', ')}: not a GeoPackage`);
  const contents = rows(db, 'SELECT table_name, data_type FROM gpkg_contents');
  const layers = rows(
    db,
    `SELECT c.table_name, g.column_name, upper(g.geometry_type_name) AS geometry_type, g.srs_id
       FROM gpkg_contents c JOIN gpkg_geometry_columns g ON g.table_name = c.table_name WHERE c.data_type = 'features'
      ORDER BY c.rowid`,
  );
  if (layers.length === 0) {
    const listed = contents.map((c) => `${c.table_name} (${c.data_type})`).join(', ');
    throw new FormatError('no-feature-table', `the GeoPackage holds no feature table${listed ? `; gpkg_contents lists ${listed}` : ''}`);
  }
  const { table_name: table, column_name: column, geometry_type: geometryType, srs_id: srsId } = chooseLayer(layers, contents, layer);
  if (!POLYGON_LAYER_TYPES.includes(String(geometryType))) {
    throw new FormatError('not-polygons', `the feature table ${table} holds ${geometryType} geometries, not polygons`, 400, String(table));
  }
  const srs = rows(db, 'SELECT * FROM gpkg_spatial_ref_sys WHERE srs_id = ?', [srsId])[0] as unknown as SpatialRefSys | undefined;
  const crs = crsOfSrs(Number(srsId), srs, explicitCrs);

  const tableInfo = rows(db, `PRAGMA table_info(${quoted(String(table))})`);
  if (!tableInfo.some((c) => c.name === column)) throw new FormatError('not-a-geopackage', `gpkg_geometry_columns names ${table}.${column}, which does not exist`, 400, String(table));
  const primaryKey = tableInfo.find((c) => Number(c.pk) === 1)?.name;
  const rejected: FeatureFault[] = [];
  const features = rows(db, `SELECT * FROM ${quoted(String(table))}${primaryKey ? ` ORDER BY ${quoted(String(primaryKey))}` : ''}`).map((row, index) => {
    const { [String(column)]: blob, ...rest } = row;
    // Attributes only: the key and any binary columns say nothing about a grid.
    const properties = Object.fromEntries(Object.entries(rest).filter(([name, value]) => name !== primaryKey && !(value instanceof Uint8Array)));
    let geometry: Geometry | null = null;
    if (blob instanceof Uint8Array) {
      try {
        geometry = decodeGeometry(blob);
      } catch (error) {
        rejected.push({ index, pointer: `/features/${index}/geometry`, message: `row ${index + 1} of ${table}: the geometry cannot be read (${(error as Error).message})` });
      }
    }
    return { type: 'Feature' as const, properties, geometry };
  });
  return { collection: { type: 'FeatureCollection', features }, crs, rejected };
}

/**
 * Reads one feature table of a GeoPackage as GeoJSON features — `layer` (a table_name in gpkg_contents), or the only
 * one when `layer` is null — with its CRS (from gpkg_spatial_ref_sys; `crs` when the SRS is undefined, or GCJ-02/BD-09
 * said on top of a WGS84 one) and the rows whose geometry is unreadable.
 * @example (await readGeoPackage(bytes, null, 'grids')).crs // 'cgcs2000'
 */
export async function readGeoPackage(bytes: Uint8Array, explicitCrs: InputCrs | null, layer: string | null = null): Promise<GeoPackageLayer> {
  if (bytes.length < 100 || new TextDecoder().decode(bytes.subarray(0, 16)) !== SQLITE_MAGIC) {
    throw new FormatError('not-a-geopackage', 'the file is not a GeoPackage: it does not start as an SQLite database does ("SQLite format 3")');
  }
  const db = new (await loadSqlJs()).Database(bytes);
  try {
    return readLayer(db, explicitCrs, layer);
  } catch (error) {
    if (error instanceof FormatError) throw error;
    throw new FormatError('not-a-geopackage', `the GeoPackage cannot be read: ${(error as Error).message}`);
  } finally {
    db.close();
  }
}
