// Zipped shapefiles: a GDAL-written fixture read back, our writer read by our reader and by GDAL, and the bad zips.
// three-d-gdal.zip is a PolygonZ layer written by GDAL 3.6 from three-d-mixed.geojson (one flat feature, Z 0, and one
// with heights 5.5–7):
//   ogr2ogr -f "ESRI Shapefile" three-d.shp three-d-mixed.geojson -a_srs EPSG:4490 -lco ENCODING=UTF-8
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { CGCS2000_PRJ, crsOfPrj, isUnsafeZipPath, readGridFile, writeGridFile, type TransferGrid } from '../../../server/domain/formats/index.ts';
import { fixture, maxDeviation } from './support.ts';

const hasGdal = (() => {
  try {
    execFileSync('ogrinfo', ['--version']);
    return true;
  } catch {
    return false;
  }
})();

async function fixtureGrids(): Promise<TransferGrid[]> {
  const { grids } = await readGridFile(fixture('two-grids.geojson'), 'geojson', null);
  return grids.map((g) => ({ ...g, name: g.name!, kind: g.kind ?? 'comprehensive', divisionCode: g.divisionCode ?? '330903001001' }));
}

const files = (zip: Uint8Array) => unzipSync(zip);
const rezip = (entries: Record<string, Uint8Array>) => zipSync(entries);

describe('shapefile reader', () => {
  it('refuses the PolygonZ records with heights, naming each, and keeps those with Z 0 (dropZ drops all heights)', async () => {
    const { grids, rejected } = await readGridFile(fixture('three-d-gdal.zip'), 'shapefile', null);
    expect(grids.map((g) => [g.name, g.notes])).toEqual([['平地网格', ['Z (height) values dropped: grids are 2D']]]);
    expect(rejected).toEqual([{ index: 1, pointer: '/features/1/geometry', message: expect.stringMatching(/^3D coordinates are not accepted: .* from 5\.5 to 7;/) }]);
    const dropped = await readGridFile(fixture('three-d-gdal.zip'), 'shapefile', null, { dropZ: true });
    expect(dropped.rejected).toEqual([]);
    expect(dropped.grids.map((g) => [g.name, g.households, g.notes])).toEqual([
      ['平地网格', 320, ['Z (height) values dropped: grids are 2D']],
      ['带高程的网格', 300, ['Z (height) values dropped: grids are 2D']],
    ]);
  });

  it('reads a shapefile written by GDAL (EPSG:4490 .prj, UTF-8 .cpg, laundered field names)', async () => {
    const { grids, rejected } = await readGridFile(fixture('two-grids-gdal.zip'), 'shapefile', null);
    expect(rejected).toEqual([]);
    expect(grids.map((g) => [g.code, g.name, g.households, g.divisionCode])).toEqual([
      ['330903001001001', '测试网格一', 420, '330903001001'],
      ['330903001001002', '测试网格二', 380, null],
    ]);
    const expected = (await readGridFile(fixture('two-grids.geojson'), 'geojson', null)).grids;
    expect(maxDeviation(grids[0].geometry, expected[0].geometry)).toBeLessThan(1e-9);
    expect(maxDeviation(grids[1].geometry, expected[1].geometry)).toBeLessThan(1e-9);
  });

  it('refuses a zip without a .shp, a body that is not a zip, and a .shp without its .dbf', async () => {
    await expect(readGridFile(rezip({ 'readme.txt': strToU8('网格') }), 'shapefile', null)).rejects.toMatchObject({ type: 'not-a-shapefile', status: 400 });
    await expect(readGridFile(strToU8('not a zip'), 'shapefile', null)).rejects.toMatchObject({ type: 'not-a-zip' });
    const { 'two-grids.dbf': _dbf, ...noDbf } = files(fixture('two-grids-gdal.zip'));
    await expect(readGridFile(rezip(noDbf), 'shapefile', null)).rejects.toMatchObject({ type: 'not-a-shapefile', message: expect.stringContaining('.dbf') });
  });

  it('needs a .prj or an explicit crs, and refuses a .prj it cannot place', async () => {
    const { 'two-grids.prj': _prj, ...noPrj } = files(fixture('two-grids-gdal.zip'));
    await expect(readGridFile(rezip(noPrj), 'shapefile', null)).rejects.toMatchObject({ type: 'missing-prj', parameter: 'crs' });
    expect((await readGridFile(rezip(noPrj), 'shapefile', 'wgs84')).grids).toHaveLength(2);
    const beijing54 = 'GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';
    await expect(readGridFile(rezip({ ...noPrj, 'two-grids.prj': strToU8(beijing54) }), 'shapefile', null)).rejects.toMatchObject({ type: 'unknown-crs', parameter: 'prj' });
    await expect(readGridFile(rezip({ ...noPrj, 'two-grids.prj': strToU8(beijing54) }), 'shapefile', 'gcj02')).rejects.toMatchObject({ type: 'unknown-crs' });
  });

  it('refuses zip-slip paths before reading anything', async () => {
    const entries = files(fixture('two-grids-gdal.zip'));
    await expect(readGridFile(rezip({ ...entries, '../evil.shp': entries['two-grids.shp'] }), 'shapefile', null)).rejects.toMatchObject({ type: 'unsafe-zip-entry' });
    expect(['../evil.shp', 'a/../../b.shp', '/etc/passwd', 'C:\\x.shp', '..\\evil.shp'].every(isUnsafeZipPath)).toBe(true);
    expect(['grids.shp', 'dir/grids..v2.shp', '...shp'].some(isUnsafeZipPath)).toBe(false);
  });

  it('knows CGCS2000 and WGS84 .prj files and refuses projected ones', () => {
    expect(crsOfPrj(CGCS2000_PRJ)).toBe('cgcs2000');
    expect(crsOfPrj('GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]')).toBe('wgs84');
    expect(() => crsOfPrj('PROJCS["CGCS2000_3_Degree_GK_Zone_41",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000"]]')).toThrow(/CGCS2000_3_DEGREE_GK_ZONE_41/);
  });
});

describe('shapefile writer', () => {
  it('writes .shp/.shx/.dbf/.prj/.cpg that read back to the same grids, holes and parts included', async () => {
    const grids = await fixtureGrids();
    const { body, filename } = await writeGridFile(grids, 'shapefile', 'grids-test');
    expect(filename).toBe('grids-test.zip');
    const entries = files(body as Uint8Array);
    expect(Object.keys(entries).sort()).toEqual(['grids-test.cpg', 'grids-test.dbf', 'grids-test.prj', 'grids-test.shp', 'grids-test.shx']);
    expect(new TextDecoder().decode(entries['grids-test.prj'])).toBe(CGCS2000_PRJ);
    const back = (await readGridFile(body as Uint8Array, 'shapefile', null)).grids;
    expect(back.map((g) => [g.code, g.name, g.households, g.kind, g.divisionCode])).toEqual(grids.map((g) => [g.code, g.name, g.households, g.kind, g.divisionCode]));
    back.forEach((g, i) => expect(maxDeviation(g.geometry, grids[i].geometry)).toBe(0));
  });

  it.skipIf(!hasGdal)('is read by GDAL as EPSG:4490 polygons with UTF-8 names', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'wangge-shp-'));
    const zip = path.join(dir, 'grids.zip');
    writeFileSync(zip, (await writeGridFile(await fixtureGrids(), 'shapefile', 'grids')).body as Uint8Array);
    const info = execFileSync('ogrinfo', ['-al', '-geom=SUMMARY', `/vsizip/${zip}`], { encoding: 'utf8' });
    expect(info).toContain('ID["EPSG",4490]');
    expect(info).toContain('Feature Count: 2');
    expect(info).toContain('name (String) = 测试网格二');
    expect(info).toMatch(/MULTIPOLYGON : 2 geometries/);
    expect(info).toMatch(/POLYGON : 5 points, 1 inner rings/);
  });
});
