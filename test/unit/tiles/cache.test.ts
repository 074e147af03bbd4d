import { afterEach, describe, expect, it } from 'vitest';
import { TileCache, invalidateTiles, registerTileCache, type CachedTile } from '../../../server/domain/tiles/cache.ts';
import { tileOf } from '../../../server/domain/tiles/tile-math.ts';

const tile = (bytes: number, etag = 'e'): CachedTile => ({ body: new Uint8Array(bytes), etag });
const key = (layer: string, z: number, x: number, y: number) => ({ layer, z, x, y });

describe('TileCache', () => {
  const unregister: (() => void)[] = [];
  afterEach(() => unregister.splice(0).forEach((u) => u()));

  it('evicts the least recently used tile when over its byte budget', () => {
    const cache = new TileCache({ maxBytes: 3 * (100 + 64) });
    cache.set(key('grids', 1, 0, 0), tile(100, 'a'));
    cache.set(key('grids', 1, 1, 0), tile(100, 'b'));
    cache.set(key('grids', 1, 0, 1), tile(100, 'c'));
    expect(cache.get(key('grids', 1, 0, 0))?.etag).toBe('a');
    cache.set(key('grids', 1, 1, 1), tile(100, 'd'));
    expect(cache.get(key('grids', 1, 1, 0))).toBeUndefined();
    expect(cache.get(key('grids', 1, 0, 0))?.etag).toBe('a');
    expect(cache.stats().entries).toBe(3);
    expect(cache.stats().bytes).toBeLessThanOrEqual(3 * 164);
  });

  it('keeps its byte count right when a gzip form is added later', () => {
    const cache = new TileCache({ maxBytes: 10_000 });
    const k = key('grids', 3, 1, 1);
    const t = tile(500);
    cache.set(k, t);
    t.gzip = new Uint8Array(200);
    cache.update(k, t);
    expect(cache.stats().bytes).toBe(500 + 200 + 64);
    cache.invalidate();
    expect(cache.stats()).toMatchObject({ entries: 0, bytes: 0 });
  });

  it('does not keep a tile larger than the whole budget', () => {
    const cache = new TileCache({ maxBytes: 100 });
    cache.set(key('grids', 0, 0, 0), tile(1000));
    expect(cache.get(key('grids', 0, 0, 0))).toBeUndefined();
  });

  it('invalidates by layer and by area, in every registered cache', () => {
    const a = new TileCache({ maxBytes: 1e6 });
    const b = new TileCache({ maxBytes: 1e6 });
    unregister.push(registerTileCache(a), registerTileCache(b));
    const shenjiamen = tileOf(122.3, 29.95, 12);
    const shengsi = tileOf(122.45, 30.72, 12);
    for (const cache of [a, b]) {
      cache.set({ layer: 'grids', ...shenjiamen }, tile(10));
      cache.set({ layer: 'grids', ...shengsi }, tile(10));
      cache.set({ layer: 'islands', ...shenjiamen }, tile(10));
    }
    expect(invalidateTiles({ layers: ['grids'], bbox: [122.25, 29.9, 122.35, 30.0] })).toBe(2);
    for (const cache of [a, b]) {
      expect(cache.get({ layer: 'grids', ...shenjiamen })).toBeUndefined();
      expect(cache.get({ layer: 'grids', ...shengsi })).toBeDefined();
      expect(cache.get({ layer: 'islands', ...shenjiamen })).toBeDefined();
    }
    expect(invalidateTiles()).toBe(4);
  });

  it('stops reaching a cache once it is unregistered', () => {
    const cache = new TileCache({ maxBytes: 1e6 });
    const off = registerTileCache(cache);
    cache.set(key('grids', 0, 0, 0), tile(1));
    off();
    expect(invalidateTiles()).toBe(0);
    expect(cache.get(key('grids', 0, 0, 0))).toBeDefined();
  });

  it('moves the generation of the layers an invalidation names, and of every layer when it names none', () => {
    const cache = new TileCache({ maxBytes: 1e6 });
    const [grids, islands] = [cache.generation('grids'), cache.generation('islands')];
    cache.invalidate({ layers: ['grids', 'sea-grids'], bbox: [0, 0, 1, 1] });
    expect(cache.generation('grids')).not.toBe(grids);
    expect(cache.generation('islands')).toBe(islands);
    const sea = cache.generation('sea-grids');
    cache.invalidate();
    expect(cache.generation('islands')).not.toBe(islands);
    expect(cache.generation('sea-grids')).not.toBe(sea);
  });

  it('does not let a stale tile overwrite the one held when its gzip form is added', () => {
    const cache = new TileCache({ maxBytes: 1e6 });
    const address = key('grids', 12, 3430, 1687);
    const stale = tile(100);
    const fresh = tile(120);
    cache.set(address, fresh);
    stale.gzip = new Uint8Array(10);
    cache.update(address, stale);
    expect(cache.get(address)).toBe(fresh);
  });
});
