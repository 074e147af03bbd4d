// From file features to grids: attribute aliases, polygons only, heights refused (or dropped with a note when asked),
// CRS conversion, winding.
import { describe, expect, it } from 'vitest';
import { booleanClockwise } from '@turf/turf';
import type { Polygon } from 'geojson';
import { readGridFile } from '../../../server/domain/formats/index.ts';
import { readGeoJson } from '../../../server/domain/formats/geojson.ts';
import { wgs84ToGcj02 } from '../../../server/domain/crs/index.ts';
import { fixture, maxDeviation } from './support.ts';

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('readGridFile (GeoJSON)', () => {
  it('maps code, 名称 / name, 户数 / households and keeps holes and parts', async () => {
    const { grids, rejected } = await readGridFile(fixture('two-grids.geojson'), 'geojson', null);
    expect(rejected).toEqual([]);
    expect(grids.map((g) => [g.code, g.name, g.households, g.kind, g.divisionCode])).toEqual([
      ['330903001001001', '测试网格一', 420, 'comprehensive', '330903001001'],
      ['330903001001002', '测试网格二', 380, null, null],
    ]);
    const source = readGeoJson(fixture('two-grids.geojson')).collection.features;
    expect(maxDeviation(grids[0].geometry, source[0].geometry as Polygon)).toBe(0);
    expect(grids[1].geometry.type).toBe('MultiPolygon');
  });

  it('rejects points and lines among polygons, naming each feature', async () => {
    const { grids, rejected } = await readGridFile(fixture('mixed-geometry.geojson'), 'geojson', null);
    expect(grids.map((g) => g.index)).toEqual([0]);
    expect(rejected.map((r) => r.pointer)).toEqual(['/features/1/geometry/type', '/features/2/geometry/type']);
    expect(rejected[0].message).toContain('Point');
  });

  it('refuses 3D coordinates, naming the feature and the first position with a height', async () => {
    const { grids, rejected } = await readGridFile(fixture('three-d.geojson'), 'geojson', null);
    expect(grids).toEqual([]);
    expect(rejected).toEqual([{ index: 0, pointer: '/features/0/geometry/coordinates/0/0', message: expect.stringMatching(/^3D coordinates are not accepted: .* Z \(height\) of 5\.5; .*dropZ=true/) }]);
  });

  it('drops Z with a note on the feature when asked (dropZ), and a Z of 0 anyway', async () => {
    const { grids, rejected } = await readGridFile(fixture('three-d.geojson'), 'geojson', null, { dropZ: true });
    expect(rejected).toEqual([]);
    expect(grids[0].notes.join(' ')).toMatch(/Z .*dropped/);
    expect((grids[0].geometry as Polygon).coordinates[0].every((p) => p.length === 2)).toBe(true);
    const flat = await readGridFile(fixture('three-d-mixed.geojson'), 'geojson', null);
    expect(flat.grids.map((g) => [g.index, g.notes])).toEqual([[0, ['Z (height) values dropped: grids are 2D']]]);
    expect(flat.rejected.map((r) => r.pointer)).toEqual(['/features/1/geometry/coordinates/0/0']);
  });

  it('converts GCJ-02 input back to WGS84 and winds exteriors counter-clockwise', async () => {
    const ring = [[122.29, 29.94], [122.29, 29.95], [122.3, 29.95], [122.29, 29.94]]; // clockwise on purpose
    const gcj = ring.map(([lon, lat]) => wgs84ToGcj02(lon, lat));
    const body = encode({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { name: 'a' }, geometry: { type: 'Polygon', coordinates: [gcj] } }] });
    const { grids } = await readGridFile(body, 'geojson', 'gcj02');
    const exterior = (grids[0].geometry as Polygon).coordinates[0];
    expect(booleanClockwise(exterior)).toBe(false);
    const back = [...exterior].reverse();
    expect(maxDeviation({ type: 'Polygon', coordinates: [back] }, { type: 'Polygon', coordinates: [ring] })).toBeLessThan(1e-6);
    expect(grids[0].notes).toContain('converted from GCJ-02 to WGS84');
  });

  it('rejects unclosed rings, projected coordinates, bad households and unknown kinds per feature', async () => {
    const square = (ring: number[][]) => ({ type: 'Polygon', coordinates: [ring] });
    const body = encode({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: {}, geometry: square([[122.29, 29.94], [122.3, 29.94], [122.3, 29.95], [122.29, 29.95]]) },
        { type: 'Feature', properties: {}, geometry: square([[40500000, 3300000], [40501000, 3300000], [40501000, 3301000], [40500000, 3300000]]) },
        { type: 'Feature', properties: { 户数: '三百' }, geometry: square([[122.29, 29.94], [122.3, 29.94], [122.3, 29.95], [122.29, 29.94]]) },
        { type: 'Feature', properties: { kind: 'village' }, geometry: square([[122.29, 29.94], [122.3, 29.94], [122.3, 29.95], [122.29, 29.94]]) },
        { type: 'Feature', properties: {}, geometry: null },
      ],
    });
    const { grids, rejected } = await readGridFile(body, 'geojson', null);
    expect(grids).toEqual([]);
    expect(rejected.map((r) => r.pointer)).toEqual([
      '/features/0/geometry/coordinates/0',
      '/features/1/geometry/coordinates/0/0',
      '/features/2/properties/households',
      '/features/3/properties/kind',
      '/features/4/geometry',
    ]);
  });

  it('refuses a collection that names a CRS it cannot place, and anything that is not GeoJSON', async () => {
    const named = encode({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4214' } }, features: [] });
    await expect(readGridFile(named, 'geojson', null)).rejects.toMatchObject({ type: 'unknown-crs', status: 400 });
    await expect(readGridFile(new TextEncoder().encode('{"type":"Point"'), 'geojson', null)).rejects.toMatchObject({ type: 'not-geojson' });
  });
});
