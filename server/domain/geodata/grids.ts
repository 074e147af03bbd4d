// Initial comprehensive grids of a village: k-means of its household points, Voronoi of the centres clipped to the village.
import type { MultiPolygon, Position } from 'geojson';
import { kMeans, type HouseholdPoint } from './households.ts';
import { containsPoint, placeOnLand, polygonsOf, roundArea } from './land.ts';
import { partitionBySeeds } from './partition.ts';
import type { Random } from '../random.ts';

export interface DerivedGrid {
  geometry: MultiPolygon;
  households: number;
}

export const HOUSEHOLDS_PER_GRID = 400;
export const GRID_BAND = { min: 300, max: 500 } as const;
const RESTARTS = 24;

/**
 * k-means centres from several seeded restarts, keeping the run whose nearest-centre groups have the most
 * household counts inside the band (then the smallest spread): k-means alone balances area, not households.
 */
export function balancedCentres(points: readonly HouseholdPoint[], k: number, random: Random): Position[] {
  let best: { centres: Position[]; inBand: number; spread: number } | null = null;
  for (let run = 0; run < RESTARTS; run++) {
    const centres = kMeans(points, k, random);
    const loads = centres.map(() => 0);
    for (const p of points) {
      let nearest = 0;
      for (let j = 1; j < k; j++) if (squaredDistance(p.point, centres[j]) < squaredDistance(p.point, centres[nearest])) nearest = j;
      loads[nearest] += p.households;
    }
    const inBand = loads.filter((l) => l >= GRID_BAND.min && l <= GRID_BAND.max).length;
    const mean = loads.reduce((a, b) => a + b, 0) / k;
    const spread = loads.reduce((a, l) => a + (l - mean) ** 2, 0);
    if (!best || inBand > best.inBand || (inBand === best.inBand && spread < best.spread)) best = { centres, inBand, spread };
  }
  return best!.centres;
}

function squaredDistance(a: Position, b: Position): number {
  return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
}

/**
 * Splits a village into round(households / 400) grids (at least 1) that tile it exactly; grids are ordered
 * north→south then west→east by their centre so numbering is stable. Household points on a shared edge are
 * counted once, in the first grid that holds them.
 * @example gridsForVillage(village, points, mulberry32(3)).map((g) => g.households)
 */
export function gridsForVillage(village: MultiPolygon, points: readonly HouseholdPoint[], random: Random): DerivedGrid[] {
  const total = points.reduce((a, p) => a + p.households, 0);
  const k = Math.max(1, Math.min(points.length, Math.round(total / HOUSEHOLDS_PER_GRID)));
  if (k === 1) return [{ geometry: village, households: total }];
  const centres = balancedCentres(points, k, random)
    .map((c) => placeOnLand(c, village))
    .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const seeds = centres.map((point, i) => ({ key: String(i), point }));
  const cells = partitionBySeeds(polygonsOf(village).map((polygon) => ({ polygon })), seeds);
  const geometries = seeds
    .map((s) => cells.get(s.key))
    .filter((g): g is MultiPolygon => g !== undefined)
    .map((g) => roundArea(g))
    .filter((g) => g.coordinates.length > 0);
  const households = householdsPerGrid(geometries, points);
  return geometries.map((geometry, i) => ({ geometry, households: households[i] }));
}

/**
 * Households of the points inside each grid; a point on a shared edge counts once, in the first grid that holds it.
 * @example householdsPerGrid([west, east], points) // [412, 388]
 */
export function householdsPerGrid(grids: readonly MultiPolygon[], points: readonly HouseholdPoint[]): number[] {
  const counts = grids.map(() => 0);
  for (const p of points) {
    const i = grids.findIndex((g) => containsPoint(g, p.point));
    if (i >= 0) counts[i] += p.households;
  }
  return counts;
}
