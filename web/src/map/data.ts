// Turns API collections into what the map layers draw: band and label on grids, coverage on islands.
import { bbox, booleanIntersects, featureCollection } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { GridFeature, Island, IslandCollection } from '../api/client.ts';
import { householdBand, type HouseholdBand } from './bands.ts';

export type GridMapProperties = GridFeature['properties'] & { band: HouseholdBand; micro: boolean; label: string };
export type IslandMapProperties = Island & { covered: boolean };

export function gridMapData(grids: GridFeature[]): FeatureCollection<Polygon | MultiPolygon, GridMapProperties> {
  return featureCollection(
    grids.map((g) => ({
      ...g,
      properties: { ...g.properties, band: householdBand(g.properties), micro: g.properties.parentCode !== null, label: `${g.properties.name}\n${g.properties.code ?? ''}` },
    })),
  );
}

type Box = [number, number, number, number];
const overlaps = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/**
 * Marks each island covered when some grid touches it. Islands and grids are few (hundreds), so a bbox pre-filter suffices.
 * @example islandCoverage(islands, grids).features.filter((f) => f.properties.inhabited && !f.properties.covered)
 */
export function islandCoverage(islands: IslandCollection, grids: GridFeature[]): FeatureCollection<Polygon | MultiPolygon, IslandMapProperties> {
  const gridBoxes = grids.map((g) => ({ grid: g, box: bbox(g) as Box }));
  return featureCollection(
    islands.features.map((island) => {
      const box = bbox(island) as Box;
      const covered = gridBoxes.some(({ grid, box: gridBox }) => overlaps(box, gridBox) && booleanIntersects(island, grid));
      return { ...island, properties: { ...island.properties, covered } };
    }),
  );
}
