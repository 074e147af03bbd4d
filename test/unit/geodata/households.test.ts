import * as turf from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { gridsForVillage } from '../../../server/domain/geodata/grids.ts';
import { householdPoints, kMeans, RURAL_PATTERN, URBAN_PATTERN } from '../../../server/domain/geodata/households.ts';
import { multiPolygonOf } from '../../../server/domain/geodata/land.ts';
import { mulberry32 } from '../../../server/domain/random.ts';
import { island } from './fixture.ts';

describe('householdPoints', () => {
  it('places exactly the given households on points inside the land, ≥ 1 each', () => {
    const land = island(1);
    const points = householdPoints(land, 2345, URBAN_PATTERN, mulberry32(5));
    expect(points.reduce((a, p) => a + p.households, 0)).toBe(2345);
    expect(points.every((p) => p.households >= 1 && turf.booleanPointInPolygon(p.point, land))).toBe(true);
    expect(points.every((p) => p.point.every((x) => Math.round(x * 1e6) / 1e6 === x))).toBe(true);
  });

  it('uses more, smaller points for rural settlement than for towns', () => {
    const urban = householdPoints(island(1), 800, URBAN_PATTERN, mulberry32(1));
    const rural = householdPoints(island(1), 800, RURAL_PATTERN, mulberry32(1));
    expect(rural.length).toBeGreaterThan(urban.length);
  });
});

describe('kMeans', () => {
  it('finds the centres of two separated clusters', () => {
    const west = Array.from({ length: 20 }, (_, i) => ({ point: [122 + (i % 5) * 0.001, 30 + i * 0.0005], households: 10 }));
    const east = west.map((p) => ({ point: [p.point[0] + 0.2, p.point[1]], households: 10 }));
    const centres = kMeans([...west, ...east], 2, mulberry32(3)).sort((a, b) => a[0] - b[0]);
    expect(centres[0][0]).toBeCloseTo(122.002, 3);
    expect(centres[1][0]).toBeCloseTo(122.202, 3);
  });
});

describe('gridsForVillage', () => {
  const village = multiPolygonOf([island(1)]);
  const points = householdPoints(village, 2000, URBAN_PATTERN, mulberry32(11));

  it('splits a village of 2,000 households into 5 grids that tile it and hold every household', () => {
    const grids = gridsForVillage(village, points, mulberry32(2));
    expect(grids).toHaveLength(5);
    const sum = grids.reduce((a, g) => a + turf.area(g.geometry), 0);
    expect(Math.abs(sum - turf.area(village)) / turf.area(village)).toBeLessThan(1e-5);
    expect(grids.reduce((a, g) => a + g.households, 0)).toBe(2000);
  });

  it('is deterministic for a seed', () => {
    expect(gridsForVillage(village, points, mulberry32(2))).toEqual(gridsForVillage(village, points, mulberry32(2)));
  });
});
