// Regression on one real (synthetic-boundary) Zhoushan township: 六横镇 330903100000, ~25k households, five land parts.
import { describe, expect, it } from 'vitest';
import { area } from '@turf/turf';
import { suggestPartition } from '../../../server/domain/suggest/partition.ts';
import { householdsUnder, loadZhoushan, zhoushanAvailable } from './zhoushan-data.ts';

describe.skipIf(!zhoushanAvailable)('suggestPartition on 六横镇 (330903100000)', () => {
  it('meets the measured quality bounds', () => {
    const data = loadZhoushan();
    const code = '330903100000';
    const division = data.divisions.find((d) => d.code === code)!;
    const households = householdsUnder(data, code);
    const { features, report } = suggestPartition({ division: { code, geometry: division.geometry }, households, islands: data.islands, seed: 1 });
    const total = households.reduce((s, p) => s + p.households, 0);
    expect(report.households.total).toBe(total);
    expect(report.contiguity).toBe(1);
    // Measured 0.91 on this data set (k-means + Voronoi: 0.66).
    expect(report.shareInBand).toBeGreaterThanOrEqual(0.85);
    expect(report.inhabitedIslandsCovered).toBe(report.inhabitedIslands);
    // Grids do not overlap by construction, so the sum of their areas is the area they cover.
    // Target is 1 m²; measured 1.78 m² on 107 km² (polyclip on this coastline: the union of the
    // division's own parts already differs from its area by 16 m²). Known gap, see docs/suggest.md.
    const covered = features.features.reduce((s, f) => s + area(f.geometry), 0);
    expect(Math.abs(covered - area(division.geometry))).toBeLessThan(5);
  });
});
