import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { boxOf, expandBox, fitFrame, pathData } from '../../../server/domain/notice/frame.ts';
import { renderNoticeMap, scaleBarMetres, shortGridLabel } from '../../../server/domain/notice/map.ts';

const square = (lon: number, lat: number, size: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]],
});

describe('fitFrame (local equirectangular frame)', () => {
  it('maps a square at the equator onto the whole viewport, north up', () => {
    const frame = fitFrame([0, 0, 0.01, 0.01], 200, 200, 0);
    const close = (p: [number, number], q: [number, number]) => {
      expect(p[0]).toBeCloseTo(q[0], 6);
      expect(p[1]).toBeCloseTo(q[1], 6);
    };
    close(frame.project(0, 0), [0, 200]);
    close(frame.project(0.01, 0.01), [200, 0]);
    close(frame.project(0.005, 0.005), [100, 100]);
    // 0.01° of latitude is about 1,112 m on a sphere of radius 6,371 km.
    expect(200 / frame.scale).toBeCloseTo(1111.95, 1);
  });

  it('shrinks longitude by cos(latitude): a 1°-square at 60° N is half as wide as tall', () => {
    const frame = fitFrame([10, 59.5, 11, 60.5], 200, 200, 0);
    const [x0] = frame.project(10, 60);
    const [x1] = frame.project(11, 60);
    expect(x1 - x0).toBeCloseTo(100 * 2 * Math.cos((60 * Math.PI) / 180), 6);
    const [, yTop] = frame.project(10.5, 60.5);
    expect(yTop).toBeCloseTo(0, 6);
  });

  it('keeps padding on the constraining axis and widens the extent on the other', () => {
    const frame = fitFrame([0, 0, 0.02, 0.01], 300, 300, 20);
    expect(frame.project(0, 0.005)[0]).toBeCloseTo(20, 6);
    expect(frame.project(0.02, 0.005)[0]).toBeCloseTo(280, 6);
    const [minLon, minLat, maxLon, maxLat] = frame.extent;
    expect(maxLon - minLon).toBeGreaterThan(0.02);
    expect(maxLat - minLat).toBeCloseTo((maxLon - minLon) * Math.cos(0.005 * (Math.PI / 180)), 6);
  });

  it('writes one closed subpath per ring', () => {
    const frame = fitFrame([0, 0, 0.01, 0.01], 100, 100, 0);
    expect(pathData(square(0, 0, 0.01), frame)).toBe('M0.0 100.0L100.0 100.0L100.0 0.0L0.0 0.0L0.0 100.0Z');
    const multi = { type: 'MultiPolygon' as const, coordinates: [square(0, 0, 0.004).coordinates, square(0.006, 0.006, 0.004).coordinates] };
    expect(pathData(multi, frame).match(/Z/g)).toHaveLength(2);
  });

  it('boxes and expands geometries', () => {
    const box = boxOf([square(1, 2, 0.5), null, square(2, 1, 0.1)]);
    expect(box).toEqual([1, 1, 2.1, 2.5]);
    expect(expandBox([0, 0, 2, 1], 0.5)).toEqual([-1, -0.5, 3, 1.5]);
    expect(boxOf([null])).toBeNull();
  });
});

describe('renderNoticeMap', () => {
  it('picks a 1-2-5 scale bar no longer than the room given', () => {
    expect(scaleBarMetres(180)).toBe(100);
    expect(scaleBarMetres(260)).toBe(200);
    expect(scaleBarMetres(5000)).toBe(5000);
    expect(scaleBarMetres(9999)).toBe(5000);
  });

  it('draws the focus grid, only the neighbours inside the frame, a scale bar and a north arrow', () => {
    const svg = renderNoticeMap({
      focus: [{ geometry: square(122.3, 29.95, 0.01), label: '西大社区第2网格' }],
      context: [{ geometry: square(122.31, 29.95, 0.01) }, { geometry: square(123, 31, 0.01) }],
      outline: square(122.29, 29.94, 0.03),
      width: 400,
      height: 400,
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<g class="context"[^>]*>(.*?)<\/g>/s)?.[1].match(/<path/g)).toHaveLength(1);
    expect(svg).toContain('class="outline"');
    expect(svg).toContain('西大社区第2网格');
    expect(svg).toContain('class="scale-bar"');
    expect(svg).toContain('N 北');
  });

  it('leaves out labels of grids drawn too small to hold them', () => {
    const svg = renderNoticeMap({
      focus: [{ geometry: square(122.3, 29.95, 0.1), label: 'big' }, { geometry: square(122.3, 29.95, 0.0001), label: 'tiny' }],
      context: [],
      outline: null,
      width: 400,
      height: 400,
    });
    expect(svg).toContain('>big</text>');
    expect(svg).not.toContain('tiny');
  });

  it('labels overview grids by village and grid sequence', () => {
    expect(shortGridLabel('330903001015003')).toBe('15-3');
  });
});
