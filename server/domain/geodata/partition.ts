// Partition of land among seed points: the core of the synthetic county → township → village → grid hierarchy.
import * as turf from '@turf/turf';
import type { MultiPolygon, Point, Polygon, Position } from 'geojson';
import { containsPoint, multiPolygonOf, pointToAreaKm } from './land.ts';

export interface Seed {
  key: string;
  point: Position;
}

/** A land polygon to share out; `key` hands it whole to that seed (e.g. an island known to belong to a township). */
export interface LandPiece {
  polygon: Polygon;
  key?: string;
}

/**
 * Shares land pieces among seeds so that the result tiles the pieces exactly:
 * a piece with a preset key goes whole to that key; a piece holding seeds is cut by the Voronoi diagram of
 * the seeds inside it, each cell clipped exactly to the piece (turf.intersect); a piece without seeds goes
 * whole to the nearest seed. Every key present in the result has non-empty land; a seed off all pieces gets
 * land only through the nearest-seed rule.
 * @example partitionBySeeds([{ polygon: island }], [{ key: 'a', point: [122.1, 30] }, { key: 'b', point: [122.2, 30] }])
 */
export function partitionBySeeds(pieces: readonly LandPiece[], seeds: readonly Seed[]): Map<string, MultiPolygon> {
  const keys = new Set(seeds.map((s) => s.key));
  if (keys.size !== seeds.length) throw new Error('partitionBySeeds: seed keys must be unique');
  const parts = new Map<string, Polygon[]>();
  const give = (key: string, polygon: Polygon) => {
    const list = parts.get(key) ?? [];
    list.push(polygon);
    parts.set(key, list);
  };
  for (const piece of pieces) {
    if (piece.key !== undefined) {
      give(piece.key, piece.polygon);
      continue;
    }
    const inside = seeds.filter((s) => containsPoint(piece.polygon, s.point));
    if (inside.length === 0) {
      if (seeds.length === 0) throw new Error('partitionBySeeds: no seed for an unassigned piece');
      give(nearestSeed(piece.polygon, seeds).key, piece.polygon);
    } else if (inside.length === 1) {
      give(inside[0].key, piece.polygon);
    } else {
      for (const [index, cell] of voronoiCells(inside.map((s) => s.point), piece.polygon).entries()) {
        const clipped = turf.intersect(turf.featureCollection([turf.feature(piece.polygon), turf.feature(cell)]));
        if (!clipped) continue;
        for (const coordinates of clipped.geometry.type === 'Polygon' ? [clipped.geometry.coordinates] : clipped.geometry.coordinates) {
          give(inside[index].key, { type: 'Polygon', coordinates });
        }
      }
    }
  }
  return new Map([...parts].map(([key, polygons]) => [key, multiPolygonOf(polygons)]));
}

function nearestSeed(polygon: Polygon, seeds: readonly Seed[]): Seed {
  let best = seeds[0];
  let bestDistance = Infinity;
  for (const seed of seeds) {
    const d = pointToAreaKm(seed.point, polygon);
    if (d < bestDistance) {
      best = seed;
      bestDistance = d;
    }
  }
  return best;
}

/** Voronoi cells of distinct points over a box that covers the polygon and the points, in input order. */
function voronoiCells(points: readonly Position[], polygon: Polygon): Polygon[] {
  const [minX, minY, maxX, maxY] = turf.bbox(turf.featureCollection<Polygon | Point>([turf.feature(polygon), ...points.map((p) => turf.point(p))]));
  const margin = Math.max(maxX - minX, maxY - minY, 0.01);
  const diagram = turf.voronoi(turf.featureCollection(points.map((p) => turf.point(p))), {
    bbox: [minX - margin, minY - margin, maxX + margin, maxY + margin],
  });
  return diagram.features.map((cell, i) => {
    if (!cell) throw new Error(`partitionBySeeds: seed ${i} duplicates another seed's position`);
    return cell.geometry;
  });
}
