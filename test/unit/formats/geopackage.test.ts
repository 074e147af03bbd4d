// GeoPackage: our writer read back by our reader, by GDAL (ogrinfo) and by GDAL's own conformance script; GeoPackages
// written by GDAL read by us; and the files that cannot be imported. The .gpkg fixtures were written by GDAL 3.6:
//   ogr2ogr -f GPKG two-grids-gdal.gpkg two-grids.geojson -a_srs EPSG:4490 -nln grids -lco SPATIAL_INDEX=NO
//   ogr2ogr -f GPKG mixed-geometry.gpkg mixed-geometry.geojson -nln grids -lco SPATIAL_INDEX=NO
//   ogr2ogr -f GPKG beijing1954.gpkg two-grids.geojson -a_srs EPSG:4214 -nln grids -lco SPATIAL_INDEX=NO
//   ogr2ogr -f GPKG three-d.gpkg three-d.geojson -a_srs EPSG:4326 -nln grids -lco SPATIAL_INDEX=NO
//   ogr2ogr -f GPKG grids-villages-roads.gpkg two-grids.geojson -a_srs EPSG:4490 -nln grids -lco SPATIAL_INDEX=NO
//   ogr2ogr -update grids-villages-roads.gpkg villages.geojson -a_srs EPSG:4490 -nln villages -lco SPATIAL_INDEX=NO
//   ogr2ogr -update grids-villages-roads.gpkg roads.geojson -a_srs EPSG:4490 -nln roads -lco SPATIAL_INDEX=NO
// (each with --config OGR_SQLITE_PRAGMA page_size=512 to keep them small).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { readGridFile, writeGridFile, type TransferGrid } from '../../../server/domain/formats/index.ts';
import { fixture, maxDeviation } from './support.ts';

const hasGdal = (() => {
  try {
    execFileSync('ogrinfo', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
/** GDAL's GeoPackage conformance checker, shipped with python3-gdal (a dependency of Debian's gdal-bin). */
const VALIDATE_GPKG = '/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py';
const canValidate = existsSync(VALIDATE_GPKG) && existsSync('/usr/bin/python3');

async function fixtureGrids(): Promise<TransferGrid[]> {
  const { grids } = await readGridFile(fixture('two-grids.geojson'), 'geojson', null);
  return grids.map((g) => ({ ...g, name: g.name!, kind: g.kind ?? 'comprehensive', divisionCode: g.divisionCode ?? '330903001001', population: 7 }));
}

async function exported(layer = 'grids-test'): Promise<Uint8Array> {
  return (await writeGridFile(await fixtureGrids(), 'geopackage', layer)).body as Uint8Array;
}

/** Changes a GeoPackage with SQL, as another tool might have written it. */
async function altered(bytes: Uint8Array, sql: string): Promise<Uint8Array> {
  const db = new (await initSqlJs()).Database(bytes);
  try {
    db.exec(sql);
    return db.export();
  } finally {
    db.close();
  }
}

function tempFile(name: string, bytes: Uint8Array): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'wangge-gpkg-')), name);
  writeFileSync(file, bytes);
  return file;
}

describe('GeoPackage writer', () => {
  it('writes a file named .gpkg that reads back to the same codes, attributes and coordinates, holes and parts included', async () => {
    const grids = await fixtureGrids();
    const { body, contentType, filename } = await writeGridFile(grids, 'geopackage', 'grids-test');
    expect(filename).toBe('grids-test.gpkg');
    expect(contentType).toBe('application/geopackage+sqlite3');
    const { grids: back, rejected } = await readGridFile(body as Uint8Array, 'geopackage', null);
    expect(rejected).toEqual([]);
    expect(back.map((g) => [g.code, g.name, g.kind, g.subkind, g.divisionCode, g.parentCode, g.households, g.population])).toEqual(
      grids.map((g) => [g.code, g.name, g.kind, g.subkind, g.divisionCode, g.parentCode, g.households, 7]),
    );
    back.forEach((g, i) => expect(maxDeviation(g.geometry, grids[i].geometry)).toBe(0));
    expect(back[1].geometry.type).toBe('MultiPolygon');
    expect(back.every((g) => g.notes.length === 0)).toBe(true);
  });

  it('sets the GeoPackage pragmas and the required tables and SRS rows', async () => {
    const db = new (await initSqlJs()).Database(await exported());
    try {
      const one = (sql: string) => db.exec(sql)[0].values;
      expect(one('PRAGMA application_id')).toEqual([[0x47504b47]]);
      expect(one('PRAGMA user_version')).toEqual([[10200]]);
      expect(one('SELECT srs_id, organization, organization_coordsys_id FROM gpkg_spatial_ref_sys ORDER BY srs_id')).toEqual([
        [-1, 'NONE', -1],
        [0, 'NONE', 0],
        [4326, 'EPSG', 4326],
        [4490, 'EPSG', 4490],
      ]);
      expect(one('SELECT table_name, data_type, identifier, srs_id FROM gpkg_contents')).toEqual([['grids-test', 'features', 'grids-test', 4490]]);
      expect(one('SELECT table_name, column_name, geometry_type_name, srs_id, z, m FROM gpkg_geometry_columns')).toEqual([['grids-test', 'geom', 'MULTIPOLYGON', 4490, 0, 0]]);
      const [[blob]] = one('SELECT geom FROM "grids-test" ORDER BY fid LIMIT 1') as Uint8Array[][];
      // "GP", version 0, flags: little-endian with an xy envelope; srs_id 4490; then little-endian WKB MultiPolygon (6).
      expect([...blob.subarray(0, 4)]).toEqual([0x47, 0x50, 0, 0b11]);
      expect(new DataView(blob.buffer, blob.byteOffset).getInt32(4, true)).toBe(4490);
      expect([...blob.subarray(40, 45)]).toEqual([1, 6, 0, 0, 0]);
      expect(Array.from(new Float64Array(blob.slice(8, 40).buffer))).toEqual([122.29, 122.3, 29.94, 29.95]);
    } finally {
      db.close();
    }
  });

  it.skipIf(!hasGdal)('is read by GDAL as one EPSG:4490 MultiPolygon layer with UTF-8 attributes', async () => {
    const file = tempFile('grids.gpkg', await exported());
    const summary = execFileSync('ogrinfo', ['-al', '-so', file], { encoding: 'utf8' });
    expect(summary).toContain('Layer name: grids-test');
    expect(summary).toContain('Geometry: Multi Polygon');
    expect(summary).toContain('Feature Count: 2');
    expect(summary).toContain('ID["EPSG",4490]');
    expect(summary).toMatch(/households: Integer64/);
    const features = execFileSync('ogrinfo', ['-al', '-geom=SUMMARY', file], { encoding: 'utf8' });
    expect(features).toContain('name (String) = 测试网格二');
    expect(features).toContain('code (String) = 330903001001001');
    expect(features).toMatch(/MULTIPOLYGON : 1 geometries:\s*POLYGON : 5 points, 1 inner rings/);
  });

  it.skipIf(!canValidate)("passes GDAL's GeoPackage conformance check (validate_gpkg.py)", async () => {
    const file = tempFile('grids.gpkg', await exported());
    // The script prints every failed requirement and exits non-zero on any.
    expect(execFileSync('/usr/bin/python3', [VALIDATE_GPKG, file], { encoding: 'utf8' }).trim()).toBe('');
  });

  it('writes an empty partition as an empty feature table', async () => {
    const { body } = await writeGridFile([], 'geopackage', 'grids-empty');
    const { grids, rejected } = await readGridFile(body as Uint8Array, 'geopackage', null);
    expect([grids, rejected]).toEqual([[], []]);
  });
});

describe('GeoPackage reader', () => {
  it('reads a GeoPackage written by GDAL (EPSG:4490, layer of any geometry type)', async () => {
    const { grids, rejected } = await readGridFile(fixture('two-grids-gdal.gpkg'), 'geopackage', null);
    expect(rejected).toEqual([]);
    expect(grids.map((g) => [g.code, g.name, g.households, g.divisionCode])).toEqual([
      ['330903001001001', '测试网格一', 420, '330903001001'],
      ['330903001001002', '测试网格二', 380, null],
    ]);
    const expected = (await readGridFile(fixture('two-grids.geojson'), 'geojson', null)).grids;
    grids.forEach((g, i) => expect(maxDeviation(g.geometry, expected[i].geometry)).toBe(0));
  });

  it('refuses Z (ISO WKB PolygonZ written by GDAL) naming the feature, or drops it with a note when asked', async () => {
    const refused = await readGridFile(fixture('three-d.gpkg'), 'geopackage', null);
    expect(refused.grids).toEqual([]);
    expect(refused.rejected).toEqual([{ index: 0, pointer: '/features/0/geometry/coordinates/0/0', message: expect.stringMatching(/^3D coordinates are not accepted/) }]);
    const { grids, rejected } = await readGridFile(fixture('three-d.gpkg'), 'geopackage', null, { dropZ: true });
    expect(rejected).toEqual([]);
    expect(grids.map((g) => [g.name, g.households])).toEqual([['带高程的网格', 300]]);
    expect(grids[0].notes.join(' ')).toMatch(/Z .*dropped/);
    expect(grids[0].geometry.type === 'Polygon' && grids[0].geometry.coordinates[0].every((p) => p.length === 2)).toBe(true);
  });

  it('converts GCJ-02 said by the caller on top of a WGS84/CGCS2000 layer', async () => {
    const { grids } = await readGridFile(fixture('two-grids-gdal.gpkg'), 'geopackage', 'gcj02');
    expect(grids[0].notes).toContain('converted from GCJ-02 to WGS84');
  });

  it('refuses a file that is not a GeoPackage, and an SQLite database that is not one', async () => {
    await expect(readGridFile(new TextEncoder().encode('not a geopackage'), 'geopackage', null)).rejects.toMatchObject({ type: 'not-a-geopackage', status: 400 });
    await expect(readGridFile(fixture('two-grids-gdal.zip'), 'geopackage', null)).rejects.toMatchObject({ type: 'not-a-geopackage' });
    const plain = new (await initSqlJs()).Database();
    plain.exec('CREATE TABLE grids (code TEXT)');
    const sqlite = plain.export();
    plain.close();
    await expect(readGridFile(sqlite, 'geopackage', null)).rejects.toMatchObject({ type: 'not-a-geopackage', message: expect.stringContaining('gpkg_contents') });
    // An SQLite header on a damaged body.
    const damaged = (await exported()).slice(0, 2048);
    damaged.fill(0xff, 100);
    await expect(readGridFile(damaged, 'geopackage', null)).rejects.toMatchObject({ type: 'not-a-geopackage' });
  });

  it('refuses a GeoPackage without a feature table, naming what it holds', async () => {
    const attributesOnly = await altered(
      await exported(),
      `DELETE FROM gpkg_geometry_columns; UPDATE gpkg_contents SET data_type = 'attributes', srs_id = NULL`,
    );
    await expect(readGridFile(attributesOnly, 'geopackage', null)).rejects.toMatchObject({
      type: 'no-feature-table',
      message: expect.stringContaining('grids-test (attributes)'),
    });
  });

  it('refuses a layer of points', async () => {
    const points = await altered(await exported(), `UPDATE gpkg_geometry_columns SET geometry_type_name = 'POINT'`);
    await expect(readGridFile(points, 'geopackage', null)).rejects.toMatchObject({ type: 'not-polygons', message: expect.stringContaining('POINT') });
  });

  it('rejects points and lines in a layer of mixed geometry types, naming each feature', async () => {
    const { grids, rejected } = await readGridFile(fixture('mixed-geometry.gpkg'), 'geopackage', null);
    expect(grids.map((g) => g.index)).toEqual([0]);
    expect(rejected.map((r) => r.pointer)).toEqual(['/features/1/geometry/type', '/features/2/geometry/type']);
    expect(rejected.map((r) => r.message)).toEqual([expect.stringContaining('Point'), expect.stringContaining('LineString')]);
  });

  it('rejects a row whose geometry is not GeoPackage binary, with its row number', async () => {
    const broken = await altered(await exported(), `UPDATE "grids-test" SET geom = X'00010203' WHERE fid = 2`);
    const { grids, rejected } = await readGridFile(broken, 'geopackage', null);
    expect(grids.map((g) => g.index)).toEqual([0]);
    expect(rejected).toEqual([{ index: 1, pointer: '/features/1/geometry', message: expect.stringMatching(/row 2 of grids-test.*GP/) }]);
  });

  it('refuses an SRS it cannot place, and needs crs= for an undefined one', async () => {
    await expect(readGridFile(fixture('beijing1954.gpkg'), 'geopackage', null)).rejects.toMatchObject({
      type: 'unknown-crs',
      parameter: 'srs_id',
      message: expect.stringContaining('EPSG:4214'),
    });
    await expect(readGridFile(fixture('beijing1954.gpkg'), 'geopackage', 'gcj02')).rejects.toMatchObject({ type: 'unknown-crs' });
    const undefinedSrs = await altered(await exported(), `UPDATE gpkg_geometry_columns SET srs_id = 0; UPDATE gpkg_contents SET srs_id = 0`);
    await expect(readGridFile(undefinedSrs, 'geopackage', null)).rejects.toMatchObject({ type: 'missing-crs', parameter: 'crs' });
    expect((await readGridFile(undefinedSrs, 'geopackage', 'cgcs2000')).grids).toHaveLength(2);
    const missing = await altered(await exported(), `PRAGMA foreign_keys = OFF; UPDATE gpkg_geometry_columns SET srs_id = 3857`);
    await expect(readGridFile(missing, 'geopackage', null)).rejects.toMatchObject({ type: 'unknown-crs', message: expect.stringContaining('3857') });
  });
});

describe('GeoPackage layers (layer=)', () => {
  const TABLES = 'grids (GEOMETRY), villages (POLYGON), roads (LINESTRING)';
  const rows = async (bytes: Uint8Array, layer?: string | null) =>
    (await readGridFile(bytes, 'geopackage', null, { layer })).grids.map((g) => [g.code, g.name, g.households]);

  it('reads the only feature table without layer, and the same table when layer names it', async () => {
    const only = await rows(fixture('two-grids-gdal.gpkg'));
    expect(only).toEqual([
      ['330903001001001', '测试网格一', 420],
      ['330903001001002', '测试网格二', 380],
    ]);
    expect(await rows(fixture('two-grids-gdal.gpkg'), 'grids')).toEqual(only);
  });

  it('refuses several feature tables without layer (422), naming each and saying to pass layer=', async () => {
    await expect(readGridFile(fixture('grids-villages-roads.gpkg'), 'geopackage', null)).rejects.toMatchObject({
      type: 'several-layers',
      status: 422,
      parameter: 'layer',
      message: `the GeoPackage holds 3 feature tables: ${TABLES}; say which to import with layer=<table_name> (npm run import: --layer <table_name>)`,
    });
  });

  it('reads the feature table layer names, and only that one', async () => {
    expect(await rows(fixture('grids-villages-roads.gpkg'), 'villages')).toEqual([['330903001002001', '沈家门村', 150]]);
    expect(await rows(fixture('grids-villages-roads.gpkg'), 'grids')).toEqual(await rows(fixture('two-grids-gdal.gpkg')));
    await expect(readGridFile(fixture('grids-villages-roads.gpkg'), 'geopackage', null, { layer: 'roads' })).rejects.toMatchObject({
      type: 'not-polygons',
      message: 'the feature table roads holds LINESTRING geometries, not polygons',
    });
  });

  it('refuses a layer the GeoPackage does not hold, or that is not a feature table, naming the feature tables', async () => {
    await expect(readGridFile(fixture('grids-villages-roads.gpkg'), 'geopackage', null, { layer: 'rivers' })).rejects.toMatchObject({
      type: 'unknown-layer',
      status: 400,
      parameter: 'layer',
      message: `the GeoPackage has no table "rivers"; its feature tables are ${TABLES}`,
    });
    // Table names are matched exactly, as gpkg_contents spells them.
    await expect(readGridFile(fixture('grids-villages-roads.gpkg'), 'geopackage', null, { layer: 'Villages' })).rejects.toMatchObject({ type: 'unknown-layer' });
    const withAttributes = await altered(
      fixture('grids-villages-roads.gpkg'),
      `CREATE TABLE census (id INTEGER PRIMARY KEY, households INTEGER);
       INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('census', 'attributes', 'census');`,
    );
    await expect(readGridFile(withAttributes, 'geopackage', null, { layer: 'census' })).rejects.toMatchObject({
      type: 'unknown-layer',
      message: `the table "census" holds attributes, not features; its feature tables are ${TABLES}`,
    });
  });

  it.each([
    ['geojson', 'two-grids.geojson'],
    ['shapefile', 'two-grids-gdal.zip'],
    ['csv', 'grids.csv'],
  ] as const)('refuses layer for %s, which has no layers', async (format, file) => {
    await expect(readGridFile(fixture(file), format, null, { layer: 'grids' })).rejects.toMatchObject({
      type: 'invalid-parameter',
      status: 400,
      parameter: 'layer',
      message: expect.stringContaining(`only a GeoPackage has layers, and this file is ${format}`),
    });
  });
});
