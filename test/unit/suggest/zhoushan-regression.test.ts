// Regression on one real (synthetic-boundary) Zhoushan township: 六横镇 330903100000, ~22k households, five land parts.
import { describe, expect, it } from 'vitest';
import { area } from '@turf/turf';
import { findTilingDefects } from '../../../server/domain/rules/index.ts';
import { kmeansVoronoiPartition } from '../../../server/domain/suggest/baseline.ts';
import { suggestPartition } from '../../../server/domain/suggest/partition.ts';
import type { SuggestInput } from '../../../server/domain/suggest/types.ts';
import { householdsUnder, loadZhoushan, zhoushanAvailable } from './zhoushan-data.ts';

describe.skipIf(!zhoushanAvailable)('suggestPartition on 六横镇 (330903100000)', () => {
  const code = '330903100000';
  const township = (): SuggestInput => {
    const data = loadZhoushan();
    const division = data.divisions.find((d) => d.code === code)!;
    return { division: { code, geometry: division.geometry }, households: householdsUnder(data, code), islands: data.islands, seed: 1 };
  };

  it('meets the measured quality bounds and tiles the township', () => {
    const input = township();
    const { features, report } = suggestPartition(input);
    const total = input.households.reduce((s, p) => s + p.households, 0);
    expect(report.households.total).toBe(total);
    expect(report.contiguity).toBe(1);
    expect(report.shareInBand).toBeGreaterThanOrEqual(0.85);
    expect(report.inhabitedIslandsCovered).toBe(report.inhabitedIslands);
    const defects = findTilingDefects(input.division.geometry, features.features.map((f, id) => ({ id, geometry: f.geometry })), { gapM2: 1, overlapM2: 1, outsideM2: 1 });
    expect(defects.gaps).toEqual([]);
    expect(defects.overlaps).toEqual([]);
    expect(defects.outside).toEqual([]);
    // The requirement: union vs division under 1 m². No overlaps (above), so the sum of areas is the union's.
    const covered = features.features.reduce((s, f) => s + area(f.geometry), 0);
    expect(Math.abs(covered - area(input.division.geometry))).toBeLessThan(1);
    expect(report.coverageErrorM2).toBeLessThan(1);
  });

  it('beats the k-means + Voronoi baseline on share in band', () => {
    const input = township();
    expect(suggestPartition(input).report.shareInBand).toBeGreaterThan(kmeansVoronoiPartition(input).report.shareInBand);
  });

  it('beats the k-means + Voronoi baseline on Polsby–Popper mean', () => {
    const input = township();
    expect(suggestPartition(input).report.compactness.polsbyPopperMean).toBeGreaterThan(kmeansVoronoiPartition(input).report.compactness.polsbyPopperMean);
  });
});
