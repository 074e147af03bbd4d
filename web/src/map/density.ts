// The household-density heatmap's input: one weighted point per density cell of the OGC collection.
import { featureCollection } from '@turf/turf';
import type { Feature, FeatureCollection, Point } from 'geojson';
import type { DensityCellCollection } from '../api/client.ts';

export type DensityPoint = { households: number; weight: number };

/** Cells at or above this share of the cells are drawn at full weight, so a few dense town centres do not wash out the rest. */
const FULL_WEIGHT_QUANTILE = 0.95;

/**
 * The centre of each cell, weighted 0–1 by its households against the 95th percentile of all cells.
 * @example densityPoints(cells).features[0].properties // { households: 127, weight: 0.1 }
 */
export function densityPoints(cells: DensityCellCollection): FeatureCollection<Point, DensityPoint> {
  const counts = cells.features.map((c) => c.properties.households).sort((a, b) => a - b);
  const full = counts.length ? Math.max(1, counts[Math.min(counts.length - 1, Math.floor(counts.length * FULL_WEIGHT_QUANTILE))]) : 1;
  return featureCollection(
    cells.features.map((cell): Feature<Point, DensityPoint> => {
      const ring = cell.geometry.coordinates[0];
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      const households = cell.properties.households;
      return {
        type: 'Feature',
        geometry: { type: 'Point', coordinates: [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2] },
        properties: { households, weight: Math.min(1, households / full) },
      };
    }),
  );
}
