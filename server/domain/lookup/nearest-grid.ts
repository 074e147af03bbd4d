import { firstCovering, singlePoint, type GridLayer } from './grid-layer.ts';
import type { LookupIndex, LookupLayerName } from './lookup-index.ts';

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

// Squared distance in degrees from the point to polygon p's bbox, as flatbush measures it.
function bboxDistance2(layer: GridLayer, p: number, lon: number, lat: number): number {
  const box = layer.polyBox;
  const dx = Math.max(Math.max(box[p * 4] - lon, lon - box[p * 4 + 2]), 0);
  const dy = Math.max(Math.max(box[p * 4 + 1] - lat, lat - box[p * 4 + 3]), 0);
  return dx * dx + dy * dy;
}

/**
 * The grid of a layer nearest to a point and the distance in metres to its boundary (0 when a grid covers the
 * point, by the same boundary rule as lookupPoint); null for an empty layer. Distances are haversine on a sphere
 * to the closest point picked in a local equirectangular frame: within 0.5 % of the WGS84 geodesic below 100 km.
 * @example nearestGrid(index, 122.5, 29.5) // { code: '330903…', distanceM: 1834.2 }
 */
export function nearestGrid(index: LookupIndex, lon: number, lat: number, layerName: LookupLayerName = 'land'): NearestGrid | null {
  const { grids, packed } = index[layerName];
  const tree = packed.tree;
  if (!tree || !Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  const covering = firstCovering(packed, singlePoint(lon, lat), 0);
  if (covering >= 0) return { code: grids[covering].code, distanceM: 0 };

  let bestP = -1;
  let bestM = Infinity;
  const consider = (p: number) => {
    const d = distanceToPolygonM(packed, p, lon, lat);
    if (d < bestM || (d === bestM && p < bestP)) {
      bestM = d;
      bestP = p;
    }
  };
  // Candidates come in order of bbox distance: once a bbox lies beyond the search radius of the best distance so
  // far, so do all after it, and none of them can be nearer.
  const measure = (candidates: number[], measured: number[] = []) => {
    for (const p of candidates) {
      if (measured.includes(p)) continue;
      const radius = searchRadiusDeg(lat, bestM);
      if (bboxDistance2(packed, p, lon, lat) > radius * radius) return;
      consider(p);
    }
  };
  // The nearest bboxes give a first distance, then every bbox within its radius is a candidate.
  const seeds = tree.neighbors(lon, lat, SEED_CANDIDATES);
  measure(seeds);
  measure(tree.neighbors(lon, lat, Infinity, searchRadiusDeg(lat, bestM)), seeds);
  return { code: grids[bestP].code, distanceM: bestM };
}
