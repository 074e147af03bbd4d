import { singlePoint } from './grid-layer.ts';
import { firstCoveringGrid, type LookupIndex } from './lookup-index.ts';

/** [minLon, minLat, maxLon, maxLat] */
export type ServiceBBox = readonly [number, number, number, number];

function inServiceArea(area: LookupIndex | ServiceBBox, lon: number, lat: number): boolean {
  if (Array.isArray(area)) {
    const [minLon, minLat, maxLon, maxLat] = area as ServiceBBox;
    return lon >= minLon && lon <= maxLon && lat >= minLat && lat <= maxLat;
  }
  const index = area as LookupIndex;
  const point = singlePoint(lon, lat);
  return firstCoveringGrid(index.land, point, 0) >= 0 || firstCoveringGrid(index.sea, point, 0) >= 0;
}

/**
 * True when the caller probably sent lat,lon: the swapped point falls in the service area (a land or sea grid,
 * or the given bbox) while the point as given does not.
 * @example detectSwappedPoint([121.8, 29.6, 122.8, 30.9], 30.0, 122.2) // true
 */
export function detectSwappedPoint(area: LookupIndex | ServiceBBox, lon: number, lat: number): boolean {
  return !inServiceArea(area, lon, lat) && inServiceArea(area, lat, lon);
}
