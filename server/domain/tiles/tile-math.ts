// Web Mercator (EPSG:3857) tile arithmetic for XYZ tiles: bounds, the tiles over an area, simplification per zoom.

/** A tile address in the XYZ scheme (y counted from the north). */
export interface TileAddress {
  z: number;
  x: number;
  y: number;
}

export type Bounds = [minX: number, minY: number, maxX: number, maxY: number];

/** Half the width of the Web Mercator square in metres. */
export const MERCATOR_HALF_WIDTH = 20037508.342789244;
/** Tile coordinate space of every layer we encode (the MVT default). */
export const TILE_EXTENT = 4096;
/** Tile-coordinate units kept around a tile so that strokes do not end at its edge. */
export const TILE_BUFFER = 64;
export const MAX_ZOOM = 22;

const EARTH_RADIUS = 6378137;

/**
 * Which part of a tile address is out of range, or null when it names a tile.
 * @example tileAddressError({ z: 2, x: 4, y: 0 }) // → 'x'
 */
export function tileAddressError({ z, x, y }: TileAddress): 'z' | 'x' | 'y' | null {
  if (!Number.isInteger(z) || z < 0 || z > MAX_ZOOM) return 'z';
  const n = 2 ** z;
  if (!Number.isInteger(x) || x < 0 || x >= n) return 'x';
  if (!Number.isInteger(y) || y < 0 || y >= n) return 'y';
  return null;
}

/** The tile's square in EPSG:3857 metres, as ST_TileEnvelope gives it. */
export function tileBounds3857({ z, x, y }: TileAddress): Bounds {
  const size = (2 * MERCATOR_HALF_WIDTH) / 2 ** z;
  const minX = -MERCATOR_HALF_WIDTH + x * size;
  const maxY = MERCATOR_HALF_WIDTH - y * size;
  return [minX, maxY - size, minX + size, maxY];
}

export function mercatorToLonLat(x: number, y: number): [number, number] {
  const lon = (x / EARTH_RADIUS) * (180 / Math.PI);
  const lat = (2 * Math.atan(Math.exp(y / EARTH_RADIUS)) - Math.PI / 2) * (180 / Math.PI);
  return [lon, lat];
}

/**
 * The lon/lat rectangle a 3857 rectangle covers; exact, because Mercator maps meridians and parallels to axis lines.
 * @example mercatorBoundsToLonLat(tileBounds3857({ z: 0, x: 0, y: 0 })) // → [-180, -85.05…, 180, 85.05…]
 */
export function mercatorBoundsToLonLat([minX, minY, maxX, maxY]: Bounds): Bounds {
  const [west, south] = mercatorToLonLat(minX, minY);
  const [east, north] = mercatorToLonLat(maxX, maxY);
  return [west, south, east, north];
}

export function tileBoundsLonLat(tile: TileAddress): Bounds {
  return mercatorBoundsToLonLat(tileBounds3857(tile));
}

/** The 3857 bounds grown by `units` of tile coordinate space on every side. */
export function bufferedBounds3857(tile: TileAddress, units = TILE_BUFFER, extent = TILE_EXTENT): Bounds {
  const [minX, minY, maxX, maxY] = tileBounds3857(tile);
  const pad = ((maxX - minX) * units) / extent;
  return [minX - pad, minY - pad, maxX + pad, maxY + pad];
}

/** The tile at zoom z that contains a lon/lat point. */
export function tileOf(lon: number, lat: number, z: number): TileAddress {
  const n = 2 ** z;
  const latRad = (Math.max(-85.0511287798, Math.min(85.0511287798, lat)) * Math.PI) / 180;
  const x = Math.floor(((lon + 180) / 360) * n);
  const y = Math.floor(((1 - Math.log(Math.tan(latRad) + 1 / Math.cos(latRad)) / Math.PI) / 2) * n);
  return { z, x: Math.min(n - 1, Math.max(0, x)), y: Math.min(n - 1, Math.max(0, y)) };
}

/** Every tile at zoom z that a lon/lat rectangle touches, row by row from the north-west. */
export function tilesCovering([west, south, east, north]: Bounds, z: number): TileAddress[] {
  const nw = tileOf(west, north, z);
  const se = tileOf(east, south, z);
  const tiles: TileAddress[] = [];
  for (let y = nw.y; y <= se.y; y++) for (let x = nw.x; x <= se.x; x++) tiles.push({ z, x, y });
  return tiles;
}

/**
 * Simplification tolerance in 3857 metres for a zoom: one unit of tile coordinate space, below which
 * detail disappears anyway when coordinates are snapped to the tile's integer grid. The shapes tiles draw are stored
 * simplified at simplifyTolerance(16), the layers' maxzoom (db/migrations/009_tile_shapes.ts).
 */
export function simplifyTolerance(z: number, extent = TILE_EXTENT): number {
  return (2 * MERCATOR_HALF_WIDTH) / 2 ** z / extent;
}

/** Whether two lon/lat (or any same-CRS) rectangles share at least a point. */
export function boundsIntersect(a: Bounds, b: Bounds): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
