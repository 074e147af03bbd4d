// From regions of H3 cells to grid polygons that tile the division exactly: dissolve each region's
// cells (cellsToMultiPolygon), then clip to the division part only where a boundary cell is involved.
import { featureCollection, intersect, multiPolygon, polygon } from '@turf/turf';
import { cellsToMultiPolygon } from 'h3-js';
import type { Position } from 'geojson';
import type { AreaGeometry } from './types.ts';
import type { Assignment } from './regions.ts';
import type { UnitGraph } from './units.ts';

export function asAreaGeometry(polygons: Position[][][]): AreaGeometry {
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

export function polygonsOf(geometry: AreaGeometry | null | undefined): Position[][][] {
  if (!geometry) return [];
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Units of each region, in unit order. */
export function regionMembers(owner: Assignment, regions: number): number[][] {
  const members: number[][] = Array.from({ length: regions }, () => []);
  for (let u = 0; u < owner.length; u++) if (owner[u] >= 0) members[owner[u]].push(u);
  return members;
}

export function regionGeometry(graph: UnitGraph, units: number[]): AreaGeometry | null {
  const byPart = new Map<number, number[]>();
  for (const u of units) {
    const list = byPart.get(graph.part[u]);
    if (list) list.push(u);
    else byPart.set(graph.part[u], [u]);
  }
  const polygons: Position[][][] = [];
  for (const [p, list] of [...byPart].sort((a, b) => a[0] - b[0])) {
    const hexagons = cellsToMultiPolygon(list.map((u) => graph.cell[u]), true) as Position[][][];
    if (list.every((u) => graph.interior[u] === 1)) {
      polygons.push(...hexagons);
      continue;
    }
    const clipped = intersect(featureCollection([multiPolygon(hexagons), polygon(graph.parts[p].rings)]));
    polygons.push(...polygonsOf(clipped?.geometry));
  }
  return polygons.length > 0 ? asAreaGeometry(polygons) : null;
}
