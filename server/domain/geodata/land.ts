// Geometry primitives for deriving synthetic divisions over real land polygons (EPSG:4326, lon/lat).
import * as turf from '@turf/turf';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { gaussian, type Random } from '../random.ts';

export type Area = Polygon | MultiPolygon;

const KM_PER_DEGREE = 111.32;

/** The polygons of an area as separate Polygon geometries. */
export function polygonsOf(area: Area): Polygon[] {
  return area.type === 'Polygon' ? [area] : area.coordinates.map((coordinates) => ({ type: 'Polygon', coordinates }));
}

/** Joins disjoint polygons into one MultiPolygon (no union: callers guarantee they do not overlap). */
export function multiPolygonOf(parts: readonly Area[]): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: parts.flatMap((part) => polygonsOf(part).map((p) => p.coordinates)) };
}

export function areaKm2(area: Area): number {
  return turf.area(area) / 1e6;
}

/**
 * Rounds coordinates to `decimals` and drops what rounding collapses (repeated vertices, rings of < 3 distinct vertices).
 * Shared boundaries computed from the same Voronoi edge round to the same vertices, so tiling survives.
 */
export function roundArea(area: Area, decimals = 6): MultiPolygon {
  const factor = 10 ** decimals;
  const round = (x: number) => Math.round(x * factor) / factor;
  const polygons: Position[][][] = [];
  for (const polygon of polygonsOf(area)) {
    const rings: Position[][] = [];
    for (const [index, ring] of polygon.coordinates.entries()) {
      const out: Position[] = [];
      for (const [x, y] of ring) {
        const p = [round(x), round(y)];
        const last = out[out.length - 1];
        if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
      }
      const first = out[0];
      const end = out[out.length - 1];
      if (first[0] !== end[0] || first[1] !== end[1]) out.push([first[0], first[1]]);
      const valid = out.length >= 4 && turf.area({ type: 'Polygon', coordinates: [out] }) > 0;
      if (!valid && index === 0) break;
      if (valid) rings.push(out);
    }
    if (rings.length > 0) polygons.push(rings);
  }
  return { type: 'MultiPolygon', coordinates: polygons };
}

export function containsPoint(area: Area, point: Position): boolean {
  return turf.booleanPointInPolygon(point, area);
}

/**
 * Adds vertices so no edge is longer than `maxKm`, without moving the outline. turf.area is geodesic: without this,
 * a long straight boundary and the same boundary split by child cells differ in area by ~1e-4.
 * Points are interpolated from the lexicographically smaller end so neighbours sharing an edge get identical vertices.
 */
export function densify(area: Area, maxKm: number): MultiPolygon {
  const ring = (coordinates: Position[]) => {
    const out: Position[] = [coordinates[0]];
    for (let i = 1; i < coordinates.length; i++) {
      const a = coordinates[i - 1];
      const b = coordinates[i];
      const steps = Math.ceil(distanceKm(a, b) / maxKm);
      const forward = a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
      const [from, to] = forward ? [a, b] : [b, a];
      for (let j = 1; j < steps; j++) {
        const t = forward ? j / steps : (steps - j) / steps;
        out.push([from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t]);
      }
      out.push(b);
    }
    return out;
  };
  return { type: 'MultiPolygon', coordinates: polygonsOf(area).map((p) => p.coordinates.map(ring)) };
}

/** Moves a point by a distance in km (local equirectangular approximation, fine at island scale). */
export function offsetKm(point: Position, eastKm: number, northKm: number): Position {
  const [lon, lat] = point;
  return [lon + eastKm / (KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180)), lat + northKm / KM_PER_DEGREE];
}

/** Approximate planar distance in km between two lon/lat positions. */
export function distanceKm(a: Position, b: Position): number {
  const cos = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180);
  return KM_PER_DEGREE * Math.hypot((a[0] - b[0]) * cos, a[1] - b[1]);
}

/** Distance in km from a point to an area (0 inside). */
export function pointToAreaKm(point: Position, area: Area): number {
  if (containsPoint(area, point)) return 0;
  return Math.min(...polygonsOf(area).map((p) => turf.pointToPolygonDistance(point, p, { units: 'kilometers' })));
}

/** Smallest distance between the vertices of `a` and the area `b`: enough to pick the nearest of well separated islands. */
export function areaToAreaKm(a: Area, b: Area): number {
  let best = Infinity;
  for (const polygon of polygonsOf(a)) {
    for (const vertex of polygon.coordinates[0]) {
      best = Math.min(best, pointToAreaKm(vertex, b));
      if (best === 0) return 0;
    }
  }
  return best;
}

/**
 * A point inside `land`: `point` itself when it is on land, else a point just inside the nearest coast.
 * Lets hand-set seed tables stay approximate.
 */
export function placeOnLand(point: Position, land: Area): Position {
  if (containsPoint(land, point)) return point;
  const polygons = polygonsOf(land);
  const nearest = polygons.reduce((best, p) =>
    turf.pointToPolygonDistance(point, p) < turf.pointToPolygonDistance(point, best) ? p : best,
  );
  const onCoast = turf.nearestPointOnLine(turf.lineString(nearest.coordinates[0]), point).geometry.coordinates;
  const inside = turf.pointOnFeature(nearest).geometry.coordinates;
  for (let t = 0.01; t <= 1; t += 0.01) {
    const candidate = [onCoast[0] + (inside[0] - onCoast[0]) * t, onCoast[1] + (inside[1] - onCoast[1]) * t];
    if (containsPoint(nearest, candidate)) return candidate;
  }
  return inside;
}

/** A uniformly random point inside `land` (polygon picked by area, then rejection in its bbox). */
export function randomPointIn(land: Area, random: Random): Position {
  const polygons = polygonsOf(land);
  const areas = polygons.map((p) => turf.area(p));
  let pick = random() * areas.reduce((a, b) => a + b, 0);
  let polygon = polygons[polygons.length - 1];
  for (const [i, a] of areas.entries()) {
    if (pick < a) {
      polygon = polygons[i];
      break;
    }
    pick -= a;
  }
  const [minX, minY, maxX, maxY] = turf.bbox(polygon);
  for (let attempt = 0; attempt < 1000; attempt++) {
    const candidate = [minX + random() * (maxX - minX), minY + random() * (maxY - minY)];
    if (containsPoint(polygon, candidate)) return candidate;
  }
  return turf.pointOnFeature(polygon).geometry.coordinates;
}

/** A random point near `centre` (normal spread of `sigmaKm`) that lies inside `land`; falls back to a uniform point. */
export function randomPointNear(centre: Position, sigmaKm: number, land: Area, random: Random): Position {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = offsetKm(centre, gaussian(random) * sigmaKm, gaussian(random) * sigmaKm);
    if (containsPoint(land, candidate)) return candidate;
  }
  return randomPointIn(land, random);
}

/**
 * Cuts an area along a north–south polyline into its west and east parts (exact polygon clipping).
 * The line must run from north to south and span the area's latitudes.
 * @example splitAlongLine(zhoushanIsland, [[122.21, 30.3], [122.21, 29.8]]) // { west: 定海 part, east: 普陀 part }
 */
export function splitAlongLine(area: Area, line: readonly Position[]): { west: MultiPolygon | null; east: MultiPolygon | null } {
  const [minX, , maxX] = turf.bbox(area);
  const north = line[0];
  const south = line[line.length - 1];
  const far = Math.max(maxX - minX, 1);
  const westSide: Feature<Polygon> = turf.polygon([[...line, [minX - far, south[1]], [minX - far, north[1]], north]]);
  const eastSide: Feature<Polygon> = turf.polygon([[...line, [maxX + far, south[1]], [maxX + far, north[1]], north].reverse()]);
  const clip = (side: Feature<Polygon>) => {
    const result = turf.intersect(turf.featureCollection([turf.feature(area), side]));
    return result ? multiPolygonOf([result.geometry]) : null;
  };
  return { west: clip(westSide), east: clip(eastSide) };
}
