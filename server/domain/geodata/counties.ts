// Which county each island belongs to, decided by the nearest known island (synthetic, for demo data).
import type { Polygon } from 'geojson';
import { areaToAreaKm, type Area } from './land.ts';

export interface LandIsland {
  id: number;
  polygon: Polygon;
}

/** A known piece of land and its county; `countyCode: null` marks land of another city (e.g. Ningbo's 梅山岛, the mainland). */
export interface CountyAnchor {
  countyCode: string | null;
  area: Area;
}

/**
 * Assigns every island to the county of its nearest anchor; an island nearest to foreign land gets `null` (not in the city).
 * `overrides` (island id → county) win over distance, for islands known from other sources.
 * @example assignIslandsToCounties(islands, [{ countyCode: '330921', area: daishan }, { countyCode: null, area: mainland }])
 */
export function assignIslandsToCounties(
  islands: readonly LandIsland[],
  anchors: readonly CountyAnchor[],
  overrides: ReadonlyMap<number, string | null> = new Map(),
): Map<number, string | null> {
  if (anchors.length === 0) throw new Error('assignIslandsToCounties: no anchors');
  const result = new Map<number, string | null>();
  for (const island of islands) {
    const override = overrides.get(island.id);
    if (override !== undefined) {
      result.set(island.id, override);
      continue;
    }
    let best = anchors[0];
    let bestDistance = Infinity;
    for (const anchor of anchors) {
      const d = areaToAreaKm(island.polygon, anchor.area);
      if (d < bestDistance) {
        best = anchor;
        bestDistance = d;
      }
    }
    result.set(island.id, best.countyCode);
  }
  return result;
}
