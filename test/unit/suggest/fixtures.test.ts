// The GeoJSON fixtures a planner can open in QGIS: a synthetic township (division, inhabited island,
// household points) and a suggestion for it (seed 1). Both are checked independently of suggestPartition.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FeatureCollection, Geometry, Point } from 'geojson';
import { findTilingDefects } from '../../../server/domain/rules/index.ts';
import { polygonsOf } from '../../../server/domain/suggest/geometry.ts';
import { suggestPartition } from '../../../server/domain/suggest/partition.ts';
import { pointInRings } from '../../../server/domain/suggest/units.ts';
import type { AreaGeometry, SuggestInput, SuggestedGridProperties } from '../../../server/domain/suggest/types.ts';

const fixture = <G extends Geometry, P>(name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/suggest/${name}`, import.meta.url)), 'utf8')) as FeatureCollection<G, P>;

function inputFixture(): SuggestInput {
  const fc = fixture<Geometry, { role: string; code?: string; id?: string; residents?: number; households?: number }>('synthetic-township-input.geojson');
  const division = fc.features.find((f) => f.properties.role === 'division')!;
  const island = fc.features.find((f) => f.properties.role === 'island')!;
  return {
    division: { code: division.properties.code!, geometry: division.geometry as AreaGeometry },
    islands: [{ id: island.properties.id!, residents: island.properties.residents!, geometry: island.geometry as AreaGeometry }],
    households: fc.features
      .filter((f) => f.properties.role === 'households')
      .map((f) => ({ lon: (f.geometry as Point).coordinates[0], lat: (f.geometry as Point).coordinates[1], households: f.properties.households! })),
    seed: 1,
  };
}

const TOLERANCE = { gapM2: 1, overlapM2: 1, outsideM2: 1 };

describe('suggest fixtures', () => {
  it('the committed suggestion tiles the division and its household counts match the points', () => {
    const input = inputFixture();
    const grids = fixture<AreaGeometry, SuggestedGridProperties>('synthetic-township-suggested.geojson').features;
    const defects = findTilingDefects(input.division.geometry, grids.map((g, id) => ({ id, geometry: g.geometry })), TOLERANCE);
    expect([...defects.gaps, ...defects.overlaps, ...defects.outside]).toEqual([]);
    const recount = grids.map(() => 0);
    for (const p of input.households) recount[grids.findIndex((g) => polygonsOf(g.geometry).some((rings) => pointInRings(p.lon, p.lat, rings)))] += p.households;
    expect(recount).toEqual(grids.map((g) => g.properties.households));
  });

  it('a fresh suggestion on the input fixture is contiguous, tiles the division and covers the island', () => {
    const input = inputFixture();
    const { features, report } = suggestPartition(input);
    expect(report.contiguity).toBe(1);
    expect(report.inhabitedIslandsCovered).toBe(1);
    expect(report.coverageErrorM2).toBeLessThan(1);
    const defects = findTilingDefects(input.division.geometry, features.features.map((f, id) => ({ id, geometry: f.geometry })), TOLERANCE);
    expect([...defects.gaps, ...defects.overlaps, ...defects.outside]).toEqual([]);
    expect(report.households.total).toBe(input.households.reduce((s, p) => s + p.households, 0));
  });
});
