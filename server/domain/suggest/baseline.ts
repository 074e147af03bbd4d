// The simple baseline the suggestion must beat: k-means on household points, Voronoi of the
// centres clipped to the division. Judged by the same quality report.
import { bbox, feature, featureCollection, intersect, point, voronoi } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { householdPoints, resolveBand } from './partition.ts';
import { seededRandom } from './seed.ts';
import { weightedKMeans } from './kmeans.ts';
import { qualityReport, type ReportedGrid } from './report.ts';
import { divisionParts, pointInPart } from './units.ts';
import type { AreaGeometry, SuggestInput, SuggestResult } from './types.ts';

/**
 * @example
 * const { report } = kmeansVoronoiPartition({ division, households, seed: 1 });
 */
export function kmeansVoronoiPartition(input: SuggestInput): SuggestResult {
  const startedAt = performance.now();
  const band = resolveBand(input);
  const { valid, malformed } = householdPoints(input);
  const division = input.division.geometry;
  const parts = divisionParts(division);
  const inside = valid.filter((p) => parts.some((part) => pointInPart(p.lon, p.lat, part)));
  const total = inside.reduce((s, p) => s + p.households, 0);
  const k = Math.max(1, Math.min(inside.length, Math.round(total / band.ideal)));
  const cosLat = Math.cos((inside[0]?.lat ?? 0) * (Math.PI / 180));
  const centres = weightedKMeans(
    inside.map((p) => p.lon * cosLat),
    inside.map((p) => p.lat),
    inside.map((p) => p.households),
    k,
    seededRandom(input.seed ?? 1),
    20,
  ).map(([x, y]) => [x / cosLat, y] as [number, number]);

  const households = centres.map(() => 0);
  for (const p of inside) {
    let best = 0;
    let bestD = Infinity;
    centres.forEach(([x, y], c) => {
      const d = ((p.lon - x) * cosLat) ** 2 + (p.lat - y) ** 2;
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    });
    households[best] += p.households;
  }
  const [minX, minY, maxX, maxY] = bbox(division);
  const cells = voronoi(featureCollection(centres.map((c) => point(c))), { bbox: [minX - 0.01, minY - 0.01, maxX + 0.01, maxY + 0.01] });
  const grids: ReportedGrid[] = [];
  cells.features.forEach((cell, c) => {
    if (!cell) return;
    const clipped = intersect(featureCollection<Polygon | MultiPolygon>([cell, feature(division)]));
    if (clipped) grids.push({ id: `k${c + 1}`, geometry: clipped.geometry as AreaGeometry, households: households[c], allowedPieces: 1 });
  });
  const report = qualityReport(grids, {
    method: 'kmeans-voronoi',
    h3Resolution: null,
    band,
    division,
    input: { points: valid.length + malformed, households: total, malformed, outsideDivision: valid.length - inside.length },
    inhabitedIslands: 0,
    inhabitedIslandsCovered: 0,
    changedAreaShare: null,
    unsatisfied: [],
    startedAt,
  });
  return {
    features: featureCollection(
      grids.map((g) => feature(g.geometry, { id: g.id, code: null, households: g.households, inBand: g.households >= band.min && g.households <= band.max, component: 'c0', joinedParts: 0 })),
    ),
    report,
  };
}
