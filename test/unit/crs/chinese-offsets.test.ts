import { describe, expect, it } from 'vitest';
import { distance } from '@turf/turf';
import {
  bd09ToGcj02,
  bd09ToWgs84,
  gcj02ToBd09,
  gcj02ToWgs84,
  isInputCrs,
  toWgs84,
  toWgs84InPlace,
  wgs84ToBd09,
  wgs84ToGcj02,
} from '../../../server/domain/crs/index.ts';

const metres = (a: [number, number], b: [number, number]) => distance(a, b, { units: 'meters' });

// Reference pairs published with eviltransform (googollee/eviltransform, test cases) and coordtransform (wandergis).
const GCJ_REFERENCE: Array<{ place: string; wgs: [number, number]; gcj: [number, number] }> = [
  { place: 'Shanghai', wgs: [121.5272106, 31.1774276], gcj: [121.531541859215, 31.17530398364597] },
  { place: 'Shenzhen', wgs: [113.912316, 22.543847], gcj: [113.9171764808363, 22.540796131694766] },
  { place: 'Beijing', wgs: [116.377817, 39.911954], gcj: [116.38404722455657, 39.91334545536069] },
  { place: 'Beijing (coordtransform)', wgs: [116.404, 39.915], gcj: [116.41024449916938, 39.91640428150164] },
];

describe('GCJ-02', () => {
  it.each(GCJ_REFERENCE)('matches the published forward value for $place', ({ wgs, gcj }) => {
    const [lon, lat] = wgs84ToGcj02(wgs[0], wgs[1]);
    expect(lon).toBeCloseTo(gcj[0], 9);
    expect(lat).toBeCloseTo(gcj[1], 9);
  });

  it.each(GCJ_REFERENCE)('inverts the published value for $place to within 1 cm', ({ wgs, gcj }) => {
    expect(metres(gcj02ToWgs84(gcj[0], gcj[1]), wgs)).toBeLessThan(0.01);
  });

  it('round-trips over a lattice covering Zhoushan to within 1 cm', () => {
    let worst = 0;
    for (let lon = 121.5; lon <= 123.2; lon += 0.07) {
      for (let lat = 29.4; lat <= 31.0; lat += 0.07) {
        const back = gcj02ToWgs84(...wgs84ToGcj02(lon, lat));
        worst = Math.max(worst, metres(back, [lon, lat]));
      }
    }
    expect(worst).toBeLessThan(0.01);
  });

  it('shifts Zhoushan by several hundred metres', () => {
    const dinghai: [number, number] = [122.106, 30.02];
    const offset = metres(wgs84ToGcj02(...dinghai), dinghai);
    expect(offset).toBeGreaterThan(300);
    expect(offset).toBeLessThan(800);
  });

  it('leaves points outside China unchanged', () => {
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84(139.7, 35.7)).toEqual([139.7, 35.7]);
  });
});

describe('BD-09', () => {
  it('matches the published forward value (coordtransform README)', () => {
    const [lon, lat] = gcj02ToBd09(116.404, 39.915);
    expect(lon).toBeCloseTo(116.41036949371029, 9);
    expect(lat).toBeCloseTo(39.92133699351021, 9);
  });

  it('inverts more exactly than the published closed-form approximation', () => {
    // coordtransform's closed-form bd09togcj02(116.404, 39.915) = [116.39762729119315, 39.90865673957631], a few cm off.
    const gcj = bd09ToGcj02(116.404, 39.915);
    expect(metres(gcj, [116.39762729119315, 39.90865673957631])).toBeLessThan(0.1);
    expect(metres(gcj02ToBd09(...gcj), [116.404, 39.915])).toBeLessThan(0.001);
  });

  it('round-trips WGS84 → BD-09 → WGS84 to within 1 cm in Zhoushan', () => {
    for (const p of [[122.106, 30.02], [122.45, 30.72], [121.9, 29.7]] as Array<[number, number]>) {
      expect(metres(bd09ToWgs84(...wgs84ToBd09(...p)), p)).toBeLessThan(0.01);
    }
  });
});

describe('toWgs84', () => {
  it('treats CGCS2000 and WGS84 as the same and undoes GCJ-02 and BD-09', () => {
    const p: [number, number] = [122.3, 30.1];
    expect(toWgs84(...p, 'wgs84')).toEqual(p);
    expect(toWgs84(...p, 'cgcs2000')).toEqual(p);
    expect(metres(toWgs84(...wgs84ToGcj02(...p), 'gcj02'), p)).toBeLessThan(0.01);
    expect(metres(toWgs84(...wgs84ToBd09(...p), 'bd09'), p)).toBeLessThan(0.01);
  });

  it('converts a batch in place with the same result as one by one', () => {
    const coords = Float64Array.of(...wgs84ToBd09(122.3, 30.1), ...wgs84ToBd09(122.0, 29.9));
    toWgs84InPlace(coords, 'bd09');
    expect(metres([coords[0], coords[1]], [122.3, 30.1])).toBeLessThan(0.01);
    expect(metres([coords[2], coords[3]], [122.0, 29.9])).toBeLessThan(0.01);
  });

  it('recognises only the four supported names', () => {
    expect(['wgs84', 'cgcs2000', 'gcj02', 'bd09'].every(isInputCrs)).toBe(true);
    expect(isInputCrs('epsg:3857')).toBe(false);
  });
});
