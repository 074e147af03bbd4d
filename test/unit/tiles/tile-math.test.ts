import { describe, expect, it } from 'vitest';
import {
  MERCATOR_HALF_WIDTH,
  bufferedBounds3857,
  mercatorToLonLat,
  simplifyTolerance,
  tileAddressError,
  tileBounds3857,
  tileBoundsLonLat,
  tileOf,
  tilesCovering,
} from '../../../server/domain/tiles/tile-math.ts';

describe('tile math', () => {
  it('gives z0 the whole Mercator square', () => {
    expect(tileBounds3857({ z: 0, x: 0, y: 0 })).toEqual([-MERCATOR_HALF_WIDTH, -MERCATOR_HALF_WIDTH, MERCATOR_HALF_WIDTH, MERCATOR_HALF_WIDTH]);
    const [w, s, e, n] = tileBoundsLonLat({ z: 0, x: 0, y: 0 });
    expect(w).toBeCloseTo(-180, 9);
    expect(e).toBeCloseTo(180, 9);
    expect(n).toBeCloseTo(85.0511287798, 9);
    expect(s).toBeCloseTo(-85.0511287798, 9);
  });

  it('finds the tile of a point and the point lies inside that tile', () => {
    const lon = 122.3;
    const lat = 29.95;
    for (const z of [0, 8, 12, 16, 22]) {
      const tile = tileOf(lon, lat, z);
      const [w, s, e, n] = tileBoundsLonLat(tile);
      expect(lon).toBeGreaterThanOrEqual(w);
      expect(lon).toBeLessThan(e);
      expect(lat).toBeGreaterThanOrEqual(s);
      expect(lat).toBeLessThan(n);
    }
    // PostGIS agrees: ST_Contains(ST_Transform(ST_TileEnvelope(12, 3439, 1690), 4326), POINT(122.3 29.95)).
    expect(tileOf(lon, lat, 12)).toEqual({ z: 12, x: 3439, y: 1690 });
  });

  it('splits a tile into four children that share its bounds', () => {
    const parent = tileBounds3857({ z: 10, x: 859, y: 428 });
    const nw = tileBounds3857({ z: 11, x: 1718, y: 856 });
    const se = tileBounds3857({ z: 11, x: 1719, y: 857 });
    expect(nw[0]).toBeCloseTo(parent[0], 6);
    expect(nw[3]).toBeCloseTo(parent[3], 6);
    expect(se[2]).toBeCloseTo(parent[2], 6);
    expect(se[1]).toBeCloseTo(parent[1], 6);
  });

  it('inverts Mercator', () => {
    const [lon, lat] = mercatorToLonLat(13_614_000, 3_495_000);
    const x = (lon * Math.PI * 6378137) / 180;
    const y = 6378137 * Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
    expect(x).toBeCloseTo(13_614_000, 4);
    expect(y).toBeCloseTo(3_495_000, 4);
  });

  it('names the part of a tile address that is out of range', () => {
    expect(tileAddressError({ z: 2, x: 3, y: 3 })).toBeNull();
    expect(tileAddressError({ z: 2, x: 4, y: 0 })).toBe('x');
    expect(tileAddressError({ z: 2, x: 0, y: -1 })).toBe('y');
    expect(tileAddressError({ z: 23, x: 0, y: 0 })).toBe('z');
    expect(tileAddressError({ z: 1.5, x: 0, y: 0 })).toBe('z');
  });

  it('covers a rectangle with every tile it touches', () => {
    const tiles = tilesCovering([122.0, 29.8, 122.5, 30.1], 10);
    const xs = new Set(tiles.map((t) => t.x));
    const ys = new Set(tiles.map((t) => t.y));
    expect(tiles).toHaveLength(xs.size * ys.size);
    expect(tiles).toContainEqual(tileOf(122.0, 30.1, 10));
    expect(tiles).toContainEqual(tileOf(122.5, 29.8, 10));
  });

  it('buffers by tile units and halves the tolerance with each zoom', () => {
    const [minX] = tileBounds3857({ z: 12, x: 3439, y: 1712 });
    const [bMinX] = bufferedBounds3857({ z: 12, x: 3439, y: 1712 }, 64, 4096);
    expect(minX - bMinX).toBeCloseTo(64 * simplifyTolerance(12), 6);
    expect(simplifyTolerance(13)).toBeCloseTo(simplifyTolerance(12) / 2, 9);
  });
});
