import { area, booleanPointInPolygon, point } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { mergeAreas, splitByLine } from '../../../web/src/edit/geometry.ts';
import { lineOf, polygonOf } from './draft-fixture.ts';

const west = polygonOf('west');
const east = polygonOf('east');

describe('splitByLine', () => {
  it('cuts a grid along a straight line into its west and east parts that add up to the whole', () => {
    const result = splitByLine(west, lineOf('cut-north-south'));
    if (!result.ok) throw new Error(result.error);
    const [left, right] = result.value;
    // The line runs south→north, so its left is the west part.
    expect(booleanPointInPolygon(point([122.1005, 30.001]), left)).toBe(true);
    expect(booleanPointInPolygon(point([122.1015, 30.001]), right)).toBe(true);
    expect(booleanPointInPolygon(point([122.1015, 30.001]), left)).toBe(false);
    expect(area(left) + area(right)).toBeCloseTo(area(west), 0);
    expect(area(left)).toBeCloseTo(area(west) / 2, -1);
  });

  it('follows a bent line and keeps the whole area', () => {
    const result = splitByLine(west, lineOf('cut-bent'));
    if (!result.ok) throw new Error(result.error);
    const [left, right] = result.value;
    // Left of a line heading east-north-east is north of it.
    expect(booleanPointInPolygon(point([122.1005, 30.0018]), left)).toBe(true);
    expect(booleanPointInPolygon(point([122.1018, 30.0002]), right)).toBe(true);
    expect(area(left) + area(right)).toBeCloseTo(area(west), 0);
  });

  it('refuses a line that misses the grid or stops inside it', () => {
    expect(splitByLine(west, lineOf('miss'))).toEqual({ ok: false, error: 'line-does-not-split' });
    expect(splitByLine(west, lineOf('stops-inside'))).toEqual({ ok: false, error: 'line-does-not-split' });
  });
});

describe('mergeAreas', () => {
  it('joins two grids sharing an edge into one polygon with their combined area', () => {
    const result = mergeAreas([west, east]);
    if (!result.ok) throw new Error(result.error);
    expect(result.value.type).toBe('Polygon');
    expect(area(result.value)).toBeCloseTo(area(west) + area(east), 0);
  });

  it('refuses grids that do not touch', () => {
    expect(mergeAreas([west, polygonOf('apart')])).toEqual({ ok: false, error: 'not-adjacent' });
  });
});
