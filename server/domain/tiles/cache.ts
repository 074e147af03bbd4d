// The rendered-tile cache: least recently used first out, bounded by bytes, and dropped (wholly or by layer and
// area) when the filed partition changes. Every live cache registers itself so one call reaches them all.
import { boundsIntersect, tileBoundsLonLat, type Bounds, type TileAddress } from './tile-math.ts';

export interface TileKey extends TileAddress {
  layer: string;
}

export interface CachedTile {
  /** The encoded tile; zero bytes for an empty tile. */
  body: Uint8Array;
  etag: string;
  /** The gzip form, filled in the first time a client accepts it. */
  gzip?: Uint8Array;
}

export interface TileCacheOptions {
  /** Upper bound on the bytes held (bodies and their gzip forms). */
  maxBytes: number;
}

/** What changed: tiles of these layers (all when omitted) that touch this lon/lat rectangle (anywhere when omitted). */
export interface TileInvalidation {
  layers?: string[];
  bbox?: Bounds;
}

const sizeOf = (tile: CachedTile) => tile.body.byteLength + (tile.gzip?.byteLength ?? 0) + 64;
const keyOf = ({ layer, z, x, y }: TileKey) => `${layer}/${z}/${x}/${y}`;

export class TileCache {
  private readonly entries = new Map<string, { key: TileKey; tile: CachedTile; size: number }>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  /** Invalidations of all layers, and of each layer by name: a render begun under an older count is stale. */
  private invalidatedAll = 0;
  private readonly invalidatedLayers = new Map<string, number>();

  constructor(private readonly options: TileCacheOptions) {}

  get(key: TileKey): CachedTile | undefined {
    const id = keyOf(key);
    const entry = this.entries.get(id);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.tile;
  }

  set(key: TileKey, tile: CachedTile): void {
    const id = keyOf(key);
    this.remove(id);
    const size = sizeOf(tile);
    if (size > this.options.maxBytes) return;
    this.entries.set(id, { key, tile, size });
    this.bytes += size;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.options.maxBytes) break;
      this.remove(oldest);
    }
  }

  /** Re-accounts an entry whose gzip form was added after it was stored (only if that tile is still the one held). */
  update(key: TileKey, tile: CachedTile): void {
    if (this.entries.get(keyOf(key))?.tile === tile) this.set(key, tile);
  }

  /**
   * Grows with every invalidation that may cover tiles of `layer`. Take it before rendering and store the tile only if
   * it has not moved: a render that read the partition before a filing must not be cached after the filing dropped it.
   * @example const before = cache.generation('grids'); const tile = await render(); if (cache.generation('grids') === before) cache.set(key, tile);
   */
  generation(layer: string): number {
    return this.invalidatedAll + (this.invalidatedLayers.get(layer) ?? 0);
  }

  /** Drops the tiles an invalidation covers; returns how many went. */
  invalidate({ layers, bbox }: TileInvalidation = {}): number {
    if (layers) for (const layer of layers) this.invalidatedLayers.set(layer, (this.invalidatedLayers.get(layer) ?? 0) + 1);
    else this.invalidatedAll++;
    let dropped = 0;
    for (const [id, { key }] of [...this.entries]) {
      if (layers && !layers.includes(key.layer)) continue;
      if (bbox && !boundsIntersect(tileBoundsLonLat(key), bbox)) continue;
      this.remove(id);
      dropped++;
    }
    return dropped;
  }

  stats() {
    return { entries: this.entries.size, bytes: this.bytes, hits: this.hits, misses: this.misses };
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.bytes -= entry.size;
    this.entries.delete(id);
  }
}

const liveCaches = new Set<TileCache>();

/** Makes `invalidateTiles` reach this cache; call the returned function when its server closes. */
export function registerTileCache(cache: TileCache): () => void {
  liveCaches.add(cache);
  return () => liveCaches.delete(cache);
}

/**
 * Drops cached tiles in every tile cache of this process. The filing code calls it when a partition is filed
 * (pass the township's bbox and the grid layers to keep the rest warm); with no argument everything goes.
 * Returns the number of tiles dropped.
 * @example invalidateTiles({ layers: ['grids', 'micro-grids'], bbox: [122.2, 29.9, 122.4, 30.0] })
 */
export function invalidateTiles(scope: TileInvalidation = {}): number {
  let dropped = 0;
  for (const cache of liveCaches) dropped += cache.invalidate(scope);
  return dropped;
}
