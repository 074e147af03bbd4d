import * as turf from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { containsPoint, placeOnLand, roundArea, splitAlongLine } from '../../../server/domain/geodata/land.ts';
import { island } from './fixture.ts';

describe('splitAlongLine', () => {
  const big = island(1);
  const line = [[122.11, 30.2], [122.1, 30.05], [122.12, 29.9]];

  it('cuts an island into a west and an east part that add up to it', () => {
    const { west, east } = splitAlongLine(big, line);
    expect(west && east).toBeTruthy();
    expect(Math.abs(turf.area(west!) + turf.area(east!) - turf.area(big)) / turf.area(big)).toBeLessThan(1e-5);
    expect(turf.centroid(west!).geometry.coordinates[0]).toBeLessThan(122.1);
    expect(turf.centroid(east!).geometry.coordinates[0]).toBeGreaterThan(122.1);
  });

  it('returns no east part when the line passes east of the island', () => {
    const { west, east } = splitAlongLine(big, [[122.5, 30.2], [122.5, 29.9]]);
    expect(east).toBeNull();
    expect(Math.abs(turf.area(west!) - turf.area(big)) / turf.area(big)).toBeLessThan(1e-9);
  });
});

describe('roundArea', () => {
  it('rounds to 6 decimals and drops rings that rounding collapses', () => {
    const sliver: Polygon = { type: 'Polygon', coordinates: [[[122, 30], [122.0000001, 30], [122.0000001, 30.0000001], [122, 30]]] };
    const square: Polygon = { type: 'Polygon', coordinates: [[[122.1234564, 30], [122.2, 30], [122.2, 30.1], [122.1234564, 30]]] };
    const rounded = roundArea({ type: 'MultiPolygon', coordinates: [sliver.coordinates, square.coordinates] });
    expect(rounded.coordinates).toHaveLength(1);
    expect(rounded.coordinates[0][0][0]).toEqual([122.123456, 30]);
  });
});

describe('placeOnLand', () => {
  it('keeps a point on land and pulls an offshore point just inside the nearest coast', () => {
    const big = island(1);
    expect(placeOnLand([122.1, 30.03], big)).toEqual([122.1, 30.03]);
    const moved = placeOnLand([122.1, 29.95], big);
    expect(containsPoint(big, moved)).toBe(true);
    expect(turf.distance([122.1, 29.95], moved)).toBeLessThan(5);
  });
});
