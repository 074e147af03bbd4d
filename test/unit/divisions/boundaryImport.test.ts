import { describe, expect, it } from 'vitest';
import { readBoundaryFeatures } from '../../../server/domain/divisions/boundaryImport.ts';
import { gcj02ToWgs84 } from '../../../server/domain/crs/index.ts';

const square = { type: 'Polygon', coordinates: [[[122, 30], [122.1, 30], [122.1, 30.1], [122, 30.1], [122, 30]]] };
const known = new Set(['330902000000', '330902002000', '330902002001']);

describe('readBoundaryFeatures', () => {
  it('accepts known codes in 6, 9 or 12 digits under common property names', () => {
    const { accepted, rejected } = readBoundaryFeatures(
      [
        { properties: { adcode: 330902 }, geometry: square },
        { properties: { XZQDM: '330902002' }, geometry: square },
        { properties: { code: '330902002001' }, geometry: { type: 'MultiPolygon', coordinates: [square.coordinates] } },
      ],
      known,
    );
    expect(rejected).toEqual([]);
    expect(accepted.map((a) => a.code)).toEqual(['330902000000', '330902002000', '330902002001']);
  });

  it('names the feature and the fault for every rejection', () => {
    const { accepted, rejected } = readBoundaryFeatures(
      [
        { properties: { name: 'no code' }, geometry: square },
        { properties: { code: '110101000000' }, geometry: square },
        { properties: { code: '330902000000' }, geometry: { type: 'LineString', coordinates: [[122, 30], [122.1, 30]] } },
        { properties: { code: '330902002000' }, geometry: { type: 'Polygon', coordinates: [[[222, 30], [122.1, 30], [122, 30.1], [222, 30]]] } },
        { properties: { code: '330902002001' }, geometry: square },
        { properties: { code: '330902002001' }, geometry: square },
      ],
      known,
    );
    expect(accepted.map((a) => a.index)).toEqual([4]);
    expect(rejected.map((r) => r.pointer)).toEqual([
      '/features/0/properties/code',
      '/features/1/properties/code',
      '/features/2/geometry/type',
      '/features/3/geometry/coordinates',
      '/features/5/properties/code',
    ]);
    expect(rejected[1].message).toContain('110101000000 is not a known division');
    expect(rejected[4].message).toContain('more than once');
  });

  it('reprojects GCJ-02 input to WGS84', () => {
    const { accepted } = readBoundaryFeatures([{ properties: { code: '330902000000' }, geometry: square }], known, 'gcj02');
    const [lon, lat] = (accepted[0].geometry as typeof square).coordinates[0][0];
    const expected = gcj02ToWgs84(122, 30);
    expect(lon).toBeCloseTo(expected[0], 9);
    expect(lat).toBeCloseTo(expected[1], 9);
    expect(Math.abs(lon - 122) + Math.abs(lat - 30)).toBeGreaterThan(0.003);
  });
});
