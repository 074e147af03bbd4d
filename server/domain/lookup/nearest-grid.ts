import { singlePoint, type GridLayer } from './grid-layer.ts';
import { firstCoveringGrid, type LookupIndex, type LookupLayer, type LookupLayerName } from './lookup-index.ts';

const EARTH_RADIUS_M = 6_371_008.8;
// Fewer metres than any degree of latitude (110,574 m) or of longitude at the equator: keeps the search radius safe.
const METRES_PER_DEGREE_FLOOR = 110_000;
const SEED_CANDIDATES = 8;

export interface NearestGrid {
  code: string;
  distanceM: number;
}

const toRad = (deg: number) => (deg * Math.PI) / 180;

function haversineM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = toRad(lat2 - lat1);
  const dLon = toRad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(lat1)) * Math.cos(toRad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(a)));
}

// Closest boundary point found in a local equirectangular frame around the query, then measured by haversine.
function distanceToPolygonM(layer: GridLayer, p: number, lon: number, lat: number): number {
  const kx = Math.cos(toRad(lat));
  const { xy, ringStart, polyRingStart } = layer;
  let best = Infinity;
  let bestLon = lon;
  let bestLat = lat;
  for (let r = polyRingStart[p]; r < polyRingStart[p + 1]; r++) {
    for (let e = ringStart[r], end = ringStart[r + 1] - 1; e < end; e++) {
      const ax = (xy[e * 2] - lon) * kx;
      const ay = xy[e * 2 + 1] - lat;
      const bx = (xy[e * 2 + 2] - lon) * kx;
      const by = xy[e * 2 + 3] - lat;
      const dx = bx - ax;
      const dy = by - ay;
      const len2 = dx * dx + dy * dy;
      const t = len2 > 0 ? Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2)) : 0;
      const cx = ax + t * dx;
      const cy = ay + t * dy;
      const d2 = cx * cx + cy * cy;
      if (d2 < best) {
        best = d2;
        bestLon = lon + cx / kx;
        bestLat = lat + cy;
      }
    }
  }
  return haversineM(lon, lat, bestLon, bestLat);
}

// Any grid within `metres` of the point has its bbox within this many degrees of it (bbox distance ≤ boundary
// distance, and a degree is never shorter than METRES_PER_DEGREE_FLOOR times the cosine of the highest latitude).
function searchRadiusDeg(lat: number, metres: number): number {
  const maxLat = Math.min(89.9, Math.abs(lat) + metres / METRES_PER_DEGREE_FLOOR);
  return metres / (METRES_PER_DEGREE_FLOOR * Math.cos(toRad(maxLat)));
}

// Squared distance in degrees from the point to the bbox at box[b .. b + 3], as flatbush measures it.
function boxDistance2(box: Float64Array, b: number, lon: number, lat: number): number {
  const dx = Math.max(Math.max(box[b] - lon, lon - box[b + 2]), 0);
  const dy = Math.max(Math.max(box[b + 1] - lat, lat - box[b + 3]), 0);
  return dx * dx + dy * dy;
}

/** The nearest grid so far: its position in the layer's grids and its distance. */
interface Best {
  g: number;
  m: number;
}

/** Improves `best` with the grids of one part nearer than it (on a tie, the smaller code). */
function nearestInPart(layer: LookupLayer, p: number, lon: number, lat: number, best: Best): void {
  const packed = layer.parts[p].packed;
  const tree = packed.tree;
  if (!tree) return;
  const consider = (local: number) => {
    const d = distanceToPolygonM(packed, local, lon, lat);
    const g = layer.partStart[p] + local;
    if (d < best.m || (d === best.m && layer.grids[g].code < layer.grids[best.g].code)) {
      best.m = d;
      best.g = g;
    }
  };
  // Candidates come in order of bbox distance: once a bbox lies beyond the search radius of the best distance so
  // far, so do all after it, and none of them can be nearer.
  const measure = (candidates: number[], measured: number[] = []) => {
    for (const local of candidates) {
      if (measured.includes(local)) continue;
      const radius = searchRadiusDeg(lat, best.m);
      if (boxDistance2(packed.polyBox, local * 4, lon, lat) > radius * radius) return;
      consider(local);
    }
  };
  // The nearest bboxes give a first distance, then every bbox within its radius is a candidate.
  const seeds = tree.neighbors(lon, lat, SEED_CANDIDATES);
  measure(seeds);
  measure(tree.neighbors(lon, lat, Infinity, searchRadiusDeg(lat, best.m)), seeds);
}

/**
 * The grid of a layer nearest to a point and the distance in metres to its boundary (0 when a grid covers the
 * point, by the same boundary rule as lookupPoint); null for an empty layer. Distances are haversine on a sphere
 * to the closest point picked in a local equirectangular frame: within 0.5 % of the WGS84 geodesic below 100 km.
 * @example nearestGrid(index, 122.5, 29.5) // { code: '330903…', distanceM: 1834.2 }
 */
export function nearestGrid(index: LookupIndex, lon: number, lat: number, layerName: LookupLayerName = 'land'): NearestGrid | null {
  const layer = index[layerName];
  if (layer.grids.length === 0 || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  const covering = firstCoveringGrid(layer, singlePoint(lon, lat), 0);
  if (covering >= 0) return { code: layer.grids[covering].code, distanceM: 0 };
  // Parts by the distance to their extent, searched nearest first until one lies beyond the best distance found.
  const parts = layer.parts.map((part, p) => ({ p, d2: boxDistance2(part.packed.dirBox, 0, lon, lat) })).sort((a, b) => a.d2 - b.d2);
  const best: Best = { g: -1, m: Infinity };
  for (const { p, d2 } of parts) {
    const radius = searchRadiusDeg(lat, best.m);
    if (d2 > radius * radius) break;
    nearestInPart(layer, p, lon, lat, best);
  }
  return { code: layer.grids[best.g].code, distanceM: best.m };
}
