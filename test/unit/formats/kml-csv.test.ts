// KML (network links listed, never followed) and CSV with WKT: readers on fixtures, writers read back.
import { describe, expect, it } from 'vitest';
import { readGridFile, writeGridFile, type TransferGrid } from '../../../server/domain/formats/index.ts';
import { fixture, maxDeviation } from './support.ts';

async function fixtureGrids(): Promise<TransferGrid[]> {
  const { grids } = await readGridFile(fixture('two-grids.geojson'), 'geojson', null);
  return grids.map((g) => ({ ...g, name: g.name!, kind: g.kind ?? 'comprehensive', divisionCode: g.divisionCode ?? '330903001001', population: 7 }));
}
const bytes = (body: Uint8Array | string) => (typeof body === 'string' ? new TextEncoder().encode(body) : body);

describe('KML', () => {
  it('reads Placemarks with ExtendedData and lists network links as ignored', async () => {
    const { grids, rejected, ignored } = await readGridFile(fixture('network-link.kml'), 'kml', null);
    expect(rejected).toEqual([]);
    expect(grids.map((g) => [g.code, g.name, g.households])).toEqual([['330903001001001', '测试网格一', 420]]);
    expect(grids[0].notes.join(' ')).toMatch(/Z .*dropped/);
    expect(ignored).toEqual([{ index: 0, pointer: '/NetworkLink/0', message: expect.stringContaining('http://LINK_HOST/grids.kml') }]);
  });

  it('refuses altitudes (a Z other than 0) naming the Placemark and position, unless dropZ', async () => {
    const withAltitude = new TextEncoder().encode(
      new TextDecoder().decode(fixture('network-link.kml')).replace('122.3,29.94,0 ', '122.3,29.94,35 '),
    );
    const { grids, rejected } = await readGridFile(withAltitude, 'kml', null);
    expect(grids).toEqual([]);
    expect(rejected).toEqual([{ index: 0, pointer: '/features/0/geometry/coordinates/0/1', message: expect.stringMatching(/^3D coordinates are not accepted: .* of 35;/) }]);
    const dropped = await readGridFile(withAltitude, 'kml', null, { dropZ: true });
    expect(dropped.rejected).toEqual([]);
    expect(dropped.grids[0].notes).toContain('Z (height) values dropped: grids are 2D');
  });

  it('refuses XML that is not KML', async () => {
    await expect(readGridFile(new TextEncoder().encode('<gpx></gpx>'), 'kml', null)).rejects.toMatchObject({ type: 'not-kml' });
    await expect(readGridFile(new TextEncoder().encode('<kml><Document>'), 'kml', null)).rejects.toMatchObject({ type: 'not-kml' });
  });

  it('writes grids that read back with the same codes, attributes and coordinates (MultiPolygon via MultiGeometry)', async () => {
    const grids = await fixtureGrids();
    grids[0].name = '网格 <A & B>';
    const { body, contentType } = await writeGridFile(grids, 'kml', '沈家门');
    expect(contentType).toMatch(/kml\+xml/);
    const back = (await readGridFile(bytes(body), 'kml', null)).grids;
    expect(back.map((g) => [g.code, g.name, g.households, g.population, g.kind, g.divisionCode])).toEqual(grids.map((g) => [g.code, g.name, g.households, 7, g.kind, g.divisionCode]));
    back.forEach((g, i) => expect(maxDeviation(g.geometry, grids[i].geometry)).toBe(0));
    expect(back[1].geometry.type).toBe('MultiPolygon');
  });
});

describe('CSV with WKT', () => {
  it('reads rows, and rejects a row whose WKT is broken with its row number', async () => {
    const { grids, rejected } = await readGridFile(fixture('grids.csv'), 'csv', null);
    expect(grids.map((g) => [g.code, g.name, g.households])).toEqual([
      ['330903001001001', '测试网格一', 420],
      ['330903001001002', '测试网格二', 380],
    ]);
    expect(rejected).toEqual([{ index: 2, pointer: '/features/2/geometry', message: expect.stringContaining('row 4') }]);
  });

  it('refuses a POLYGON Z row naming its position, unless dropZ', async () => {
    const csv = new TextEncoder().encode('name,wkt\n平地,"POLYGON ((122.29 29.94, 122.3 29.94, 122.3 29.95, 122.29 29.94))"\n' +
      '带高程,"POLYGON Z ((122.29 29.94 5.5, 122.3 29.94 6, 122.3 29.95 7, 122.29 29.94 5.5))"\n');
    const { grids, rejected } = await readGridFile(csv, 'csv', null);
    expect(grids.map((g) => g.name)).toEqual(['平地']);
    expect(rejected).toEqual([{ index: 1, pointer: '/features/1/geometry/coordinates/0/0', message: expect.stringMatching(/^3D coordinates are not accepted/) }]);
    const dropped = await readGridFile(csv, 'csv', null, { dropZ: true });
    expect(dropped.grids.map((g) => [g.name, g.notes])).toEqual([['平地', []], ['带高程', ['Z (height) values dropped: grids are 2D']]]);
  });

  it('needs a geometry column', async () => {
    await expect(readGridFile(new TextEncoder().encode('code,name\n1,a\n'), 'csv', null)).rejects.toMatchObject({ type: 'not-csv' });
  });

  it('writes a BOM, a header and quoted WKT that read back exactly', async () => {
    const grids = await fixtureGrids();
    grids[1].name = '名称, "带引号"';
    const { body } = await writeGridFile(grids, 'csv', 'x');
    expect(String(body).startsWith('\uFEFFcode,name,kind,subkind,division_code,parent_code,households,population,wkt\n')).toBe(true);
    const back = (await readGridFile(bytes(body), 'csv', null)).grids;
    expect(back.map((g) => [g.code, g.name, g.households, g.divisionCode])).toEqual(grids.map((g) => [g.code, g.name, g.households, g.divisionCode]));
    back.forEach((g, i) => expect(maxDeviation(g.geometry, grids[i].geometry)).toBe(0));
  });
});
