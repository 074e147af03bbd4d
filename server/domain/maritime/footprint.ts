// A vessel formation's footprint (船只编组网格): not drawn, derived. The convex hull of the members' latest fresh
// positions, buffered by a distance; members whose latest report is older than the freshness window are stale.
// Buffering a convex hull equals the hull of circles around its points, so the work stays in one local
// equirectangular frame (metres, accurate to well under 1 % over a fishing ground) with no polygon clipping.
import type { Polygon } from 'geojson';

export interface MemberPosition {
  mmsi: string;
  lon: number;
  lat: number;
  /** epoch milliseconds */
  time: number;
}

export interface FootprintOptions {
  /** epoch milliseconds the freshness window ends at */
  now: number;
  freshnessMs: number;
  bufferM: number;
}

export interface Footprint {
  /** null when no member is fresh */
  geometry: Polygon | null;
  fresh: string[];
  stale: string[];
}

export const DEFAULT_FOOTPRINT = { freshnessMs: 30 * 60_000, bufferM: 1852 };

const EARTH_RADIUS_M = 6_371_008.8;
const CIRCLE_STEPS = 32;

interface Frame {
  toLocal(lon: number, lat: number): [number, number];
  toLonLat(x: number, y: number): [number, number];
}

function localFrame(lon0: number, lat0: number): Frame {
  const k = (Math.PI / 180) * EARTH_RADIUS_M;
  const kx = k * Math.cos((lat0 * Math.PI) / 180);
  return {
    toLocal: (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * k],
    toLonLat: (x, y) => [lon0 + x / kx, lat0 + y / k],
  };
}

/** Andrew's monotone chain; counter-clockwise, without the closing point. */
function convexHull(points: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Array<[number, number]> = [];
  for (const p of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Array<[number, number]> = [];
  for (let i = sorted.length - 1; i >= 0; i--) {
    const p = sorted[i];
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
}

/** The buffered convex hull of points as a GeoJSON polygon (RFC 7946: counter-clockwise, closed). */
export function bufferedHull(points: ReadonlyArray<readonly [number, number]>, bufferM: number): Polygon | null {
  if (points.length === 0) return null;
  const lon0 = points.reduce((s, p) => s + p[0], 0) / points.length;
  const lat0 = points.reduce((s, p) => s + p[1], 0) / points.length;
  const frame = localFrame(lon0, lat0);
  const hull = convexHull(points.map(([lon, lat]) => frame.toLocal(lon, lat)));
  // Circumscribed polygons: the footprint never falls short of the buffer distance.
  const radius = bufferM / Math.cos(Math.PI / CIRCLE_STEPS);
  const circled: Array<[number, number]> = [];
  for (const [x, y] of hull) {
    for (let i = 0; i < CIRCLE_STEPS; i++) {
      const a = (2 * Math.PI * i) / CIRCLE_STEPS;
      circled.push([x + radius * Math.cos(a), y + radius * Math.sin(a)]);
    }
  }
  const ring = convexHull(circled).map(([x, y]) => frame.toLonLat(x, y));
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * The footprint of a formation from its members' latest positions.
 *
 * @example formationFootprint([{ mmsi: '412000001', lon: 122.4, lat: 29.9, time: now }], { now, ...DEFAULT_FOOTPRINT })
 *   // { geometry: a 1852 m disc around the vessel, fresh: ['412000001'], stale: [] }
 */
export function formationFootprint(members: readonly MemberPosition[], options: FootprintOptions): Footprint {
  const fresh = members.filter((m) => options.now - m.time <= options.freshnessMs);
  const freshSet = new Set(fresh.map((m) => m.mmsi));
  return {
    geometry: bufferedHull(fresh.map((m) => [m.lon, m.lat] as const), options.bufferM),
    fresh: fresh.map((m) => m.mmsi),
    stale: members.filter((m) => !freshSet.has(m.mmsi)).map((m) => m.mmsi),
  };
}

/** Metres from a point to a polygon (0 inside), in the polygon's local frame. */
export function distanceToPolygonM(lon: number, lat: number, polygon: Polygon): number {
  const ring = polygon.coordinates[0];
  const frame = localFrame(lon, lat);
  const local = ring.map(([x, y]) => frame.toLocal(x, y));
  let inside = false;
  let best = Infinity;
  for (let i = 0, j = local.length - 1; i < local.length; j = i++) {
    const [xi, yi] = local[i], [xj, yj] = local[j];
    if (yi > 0 !== yj > 0 && 0 < ((xj - xi) * (0 - yi)) / (yj - yi) + xi) inside = !inside;
    const dx = xj - xi, dy = yj - yi;
    const t = dx === 0 && dy === 0 ? 0 : Math.max(0, Math.min(1, -(xi * dx + yi * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(xi + t * dx, yi + t * dy));
  }
  return inside ? 0 : best;
}
