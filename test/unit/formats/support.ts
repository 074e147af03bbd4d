// Reads the format fixtures (files a planner can open in QGIS) and compares geometries position by position.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/formats');
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(FIXTURES, name)));

/** Every ring of a geometry as positions, polygons in order. */
export const ringsOf = (g: Polygon | MultiPolygon): Position[][] => (g.type === 'Polygon' ? g.coordinates : g.coordinates.flat());

/** The largest coordinate difference between two geometries with the same ring structure (Infinity if it differs). */
export function maxDeviation(a: Polygon | MultiPolygon, b: Polygon | MultiPolygon): number {
  const [ra, rb] = [ringsOf(a), ringsOf(b)];
  if (ra.length !== rb.length || ra.some((ring, i) => ring.length !== rb[i].length)) return Infinity;
  return Math.max(...ra.flatMap((ring, i) => ring.flatMap((p, j) => [Math.abs(p[0] - rb[i][j][0]), Math.abs(p[1] - rb[i][j][1])])));
}
