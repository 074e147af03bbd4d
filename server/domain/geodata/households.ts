// Synthetic household counts at building-cluster points: counts only, never personal records.
import type { Position } from 'geojson';
import { containsPoint, offsetKm, randomPointIn, type Area } from './land.ts';
import { gaussian, type Random } from '../random.ts';
import { allocateIntegers } from './allocate.ts';

export interface HouseholdPoint {
  point: Position;
  households: number;
}

export interface SettlementPattern {
  /** mean households per point: apartment blocks in towns, a few houses in hamlets */
  householdsPerPoint: number;
  /** points per settlement cluster */
  pointsPerCluster: number;
  /** spread of a cluster, km */
  clusterSigmaKm: number;
}

export const URBAN_PATTERN: SettlementPattern = { householdsPerPoint: 24, pointsPerCluster: 14, clusterSigmaKm: 0.12 };
export const RURAL_PATTERN: SettlementPattern = { householdsPerPoint: 8, pointsPerCluster: 7, clusterSigmaKm: 0.18 };

/**
 * Places `households` households on points inside `land`, grouped in settlement clusters; the counts sum to
 * `households` exactly, every point has ≥ 1 household and lies inside `land` after rounding to `decimals`.
 * @example householdPoints(villageArea, 1200, URBAN_PATTERN, mulberry32(1))
 */
export function householdPoints(land: Area, households: number, pattern: SettlementPattern, random: Random, decimals = 6): HouseholdPoint[] {
  if (households <= 0) return [];
  const count = Math.max(1, Math.min(households, Math.round(households / pattern.householdsPerPoint)));
  const clusters = Array.from({ length: Math.ceil(count / pattern.pointsPerCluster) }, () => randomPointIn(land, random));
  const factor = 10 ** decimals;
  const round = (p: Position) => [Math.round(p[0] * factor) / factor, Math.round(p[1] * factor) / factor];
  const points: Position[] = [];
  for (let i = 0; i < count; i++) {
    const centre = clusters[i % clusters.length];
    let point: Position | null = null;
    for (let attempt = 0; attempt < 30 && !point; attempt++) {
      const candidate = round(offsetKm(centre, gaussian(random) * pattern.clusterSigmaKm, gaussian(random) * pattern.clusterSigmaKm));
      if (containsPoint(land, candidate)) point = candidate;
    }
    for (let attempt = 0; attempt < 30 && !point; attempt++) {
      const candidate = round(randomPointIn(land, random));
      if (containsPoint(land, candidate)) point = candidate;
    }
    if (point) points.push(point);
  }
  if (points.length === 0) throw new Error('householdPoints: land too small to hold a rounded point');
  // 1 household each, the rest spread with skewed weights: some blocks are much bigger than others
  const extra = allocateIntegers(households - points.length, points.map(() => 0.2 + random() ** 2));
  return points.map((point, i) => ({ point, households: 1 + extra[i] }));
}

/**
 * Weighted k-means (k-means++ start, Lloyd iterations) over household points; returns k centres.
 * @example kMeans(points, 3, mulberry32(7)).length // 3
 */
export function kMeans(points: readonly HouseholdPoint[], k: number, random: Random, iterations = 30): Position[] {
  if (k < 1 || points.length < k) throw new Error(`kMeans: need 1 <= k <= ${points.length}, got ${k}`);
  const d2 = (a: Position, b: Position) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2;
  const centres: Position[] = [points[Math.floor(random() * points.length)].point];
  while (centres.length < k) {
    const weights = points.map((p) => p.households * Math.min(...centres.map((c) => d2(p.point, c))));
    const total = weights.reduce((a, b) => a + b, 0);
    let pick = random() * total;
    let chosen = points.findIndex((_, i) => (pick -= weights[i]) < 0);
    if (chosen < 0 || total === 0) chosen = points.findIndex((p) => !centres.some((c) => d2(p.point, c) === 0));
    centres.push(points[chosen].point);
  }
  for (let iteration = 0; iteration < iterations; iteration++) {
    const sums = centres.map(() => ({ x: 0, y: 0, w: 0 }));
    for (const p of points) {
      let best = 0;
      for (let j = 1; j < k; j++) if (d2(p.point, centres[j]) < d2(p.point, centres[best])) best = j;
      sums[best].x += p.point[0] * p.households;
      sums[best].y += p.point[1] * p.households;
      sums[best].w += p.households;
    }
    let moved = false;
    for (const [j, s] of sums.entries()) {
      if (s.w === 0) continue;
      const next = [s.x / s.w, s.y / s.w];
      if (d2(next, centres[j]) > 1e-18) moved = true;
      centres[j] = next;
    }
    if (!moved) break;
  }
  return centres;
}
