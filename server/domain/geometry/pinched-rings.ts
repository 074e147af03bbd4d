// A ring that passes through one of its own vertices twice (a pinch: two lobes of an island meeting at a point) is
// invalid in OGC Simple Features, and PostGIS, GDAL and the rules engine treat it so. Such a ring is the union of
// simple loops; each loop is made a ring of its own, with no area gained or lost.
import { booleanClockwise, booleanPointInPolygon, pointOnFeature, polygon as turfPolygon } from '@turf/turf';
import type { MultiPolygon, Position } from 'geojson';

const keyOf = (p: Position) => `${p[0]},${p[1]}`;

/** The simple closed loops a closed ring is made of, split wherever the ring comes back to a vertex it has passed. */
export function simpleLoops(ring: readonly Position[]): Position[][] {
  const loops: Position[][] = [];
  const path: Position[] = [];
  const indexOf = new Map<string, number>();
  for (const point of ring.slice(0, -1)) {
    const at = indexOf.get(keyOf(point));
    if (at !== undefined) {
      const loop = path.splice(at);
      for (const q of loop) indexOf.delete(keyOf(q));
      loops.push([...loop, loop[0]]);
    }
    indexOf.set(keyOf(point), path.length);
    path.push(point);
  }
  loops.push([...path, path[0]]);
  // A loop of fewer than three distinct points is a spike with no area.
  return loops.filter((loop) => loop.length >= 4);
}

/**
 * Splits pinched rings: a loop turning the way its shell turns becomes a polygon of its own; a loop turning the other
 * way, and every loop of a hole, becomes a hole of the piece that contains it. Valid input comes back unchanged.
 */
export function splitPinchedRings(area: MultiPolygon): MultiPolygon {
  const coordinates: Position[][][] = [];
  for (const [shell, ...holes] of area.coordinates) {
    const shellClockwise = booleanClockwise(shell as Position[]);
    const shells: Position[][] = [];
    const holeLoops: Position[][] = [];
    for (const loop of simpleLoops(shell)) (booleanClockwise(loop) === shellClockwise ? shells : holeLoops).push(loop);
    for (const hole of holes) holeLoops.push(...simpleLoops(hole));
    const pieces: Position[][][] = shells.map((ring) => [ring]);
    for (const hole of holeLoops) {
      const inside = pointOnFeature(turfPolygon([hole]));
      const owner = pieces.find(([ring]) => booleanPointInPolygon(inside, turfPolygon([ring]))) ?? pieces[0];
      owner?.push(hole);
    }
    coordinates.push(...pieces);
  }
  return { type: 'MultiPolygon', coordinates };
}
