// Pinched rings split into simple loops: area kept, every ring simple, valid input unchanged.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { area, booleanClockwise, kinks, polygon } from '@turf/turf';
import type { MultiPolygon, Position } from 'geojson';
import { simpleLoops, splitPinchedRings } from '../../../server/domain/geometry/pinched-rings.ts';

const square = (x: number, y: number, size: number): Position[] => [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]];
const areaOf = (m: MultiPolygon) => m.coordinates.reduce((sum, rings) => sum + area(polygon(rings)), 0);
const hasRepeatedVertex = (ring: Position[]) => new Set(ring.slice(0, -1).map((p) => `${p[0]},${p[1]}`)).size !== ring.length - 1;

/** Squares chained corner to corner (each one's top-right corner is the next one's bottom-left), walked as one ring. */
function chainRing(sizes: number[]): Position[] {
  const corners: Position[] = [[0, 0]];
  for (const size of sizes) corners.push([corners.at(-1)![0] + size, corners.at(-1)![1] + size]);
  // Out along the bottom-right sides, back along the top-left sides: the ring passes each shared corner twice.
  const out = sizes.flatMap((size, i) => [corners[i], [corners[i][0] + size, corners[i][1]]]);
  const back = sizes.map((size, i) => [corners[i][0], corners[i][1] + size] as Position).reverse();
  const ring: Position[] = [...out, corners.at(-1)!];
  for (let i = sizes.length - 1; i >= 0; i--) ring.push(back[sizes.length - 1 - i], corners[i]);
  return ring;
}

describe('splitPinchedRings', () => {
  it('leaves a valid polygon with a hole as it is', () => {
    const valid: MultiPolygon = { type: 'MultiPolygon', coordinates: [[square(0, 0, 10), square(2, 2, 2).reverse()]] };
    expect(splitPinchedRings(valid)).toEqual(valid);
  });

  it('splits two lobes meeting at a point into two polygons', () => {
    const ring: Position[] = [[0, 0], [1, 0], [1, 1], [2, 1], [2, 2], [1, 2], [1, 1], [0, 1], [0, 0]];
    const repaired = splitPinchedRings({ type: 'MultiPolygon', coordinates: [[ring]] });
    expect(repaired.coordinates).toHaveLength(2);
    expect(areaOf(repaired)).toBeCloseTo(areaOf({ type: 'MultiPolygon', coordinates: [[ring]] }), 0);
  });

  it('makes an inward loop a hole of the shell around it', () => {
    // A square whose ring turns into a clockwise loop at the midpoint of its bottom edge, touching it at (2, 0).
    const ring: Position[] = [[0, 0], [2, 0], [1, 1], [3, 1], [2, 0], [4, 0], [4, 4], [0, 4], [0, 0]];
    const [piece, ...others] = splitPinchedRings({ type: 'MultiPolygon', coordinates: [[ring]] }).coordinates;
    expect(others).toHaveLength(0);
    expect(piece).toHaveLength(2);
    expect(booleanClockwise(piece[1])).toBe(!booleanClockwise(piece[0]));
  });

  it('keeps the area, leaves no ring that passes a vertex twice and no self-crossing, for any chain of lobes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 8 }), (sizes) => {
        const ring = chainRing(sizes);
        const pinched: MultiPolygon = { type: 'MultiPolygon', coordinates: [[ring]] };
        const repaired = splitPinchedRings(pinched);
        expect(repaired.coordinates).toHaveLength(sizes.length);
        const corners = sizes.map((_, i) => sizes.slice(0, i).reduce((sum, s) => sum + s, 0));
        const lobes = sizes.reduce((sum, size, i) => sum + area(polygon([square(corners[i], corners[i], size)])), 0);
        expect(areaOf(repaired) / lobes).toBeCloseTo(1, 9);
        for (const rings of repaired.coordinates) {
          for (const r of rings) expect(hasRepeatedVertex(r)).toBe(false);
          expect(kinks(polygon(rings)).features).toHaveLength(0);
        }
      }),
      { seed: 20261207, numRuns: 200 },
    );
  });

  it('drops a zero-area spike', () => {
    expect(simpleLoops([[0, 0], [1, 0], [2, 0], [1, 0], [1, 1], [0, 0]])).toEqual([[[0, 0], [1, 0], [1, 1], [0, 0]]]);
  });
});
