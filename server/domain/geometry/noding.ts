// Makes derived areas share their boundaries vertex for vertex, as the rules engine's tiling check expects.
import Flatbush from 'flatbush';
import type { MultiPolygon, Position } from 'geojson';

/**
 * Rounding a clipped child to 6 decimals moves a new corner on its parent's edge (where a Voronoi edge meets the
 * coast, say) off that edge by up to ~1.4e-6°. The parent keeps the straight edge while the children bend by a few
 * centimetres: slivers of a few m² per long edge, which the rules engine reports as gaps.
 * This inserts into every edge each vertex of any area that lies within `toleranceDeg` of it. An edge's result
 * depends only on its two ends and the shared vertex set, so every area holding that edge (neighbour, parent,
 * grandparent) gets the same vertices, and collinear pieces of one boundary split into identical segments.
 * Inserted points are at most `toleranceDeg` off the edge, so areas change by less than that times the edge length.
 * @example const [township, ...villages] = nodeBoundaries([townshipArea, ...villageAreas], 2e-6);
 */
export function nodeBoundaries(areas: readonly MultiPolygon[], toleranceDeg: number): MultiPolygon[] {
  const vertices = distinctVertices(areas);
  if (vertices.length === 0) return [...areas];
  const index = new Flatbush(vertices.length);
  for (const [x, y] of vertices) index.add(x, y, x, y);
  index.finish();

  const onEdge = (a: Position, b: Position): Position[] => {
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const length2 = dx * dx + dy * dy;
    if (length2 === 0) return [];
    const found: Array<{ t: number; p: Position }> = [];
    const hits = index.search(
      Math.min(a[0], b[0]) - toleranceDeg,
      Math.min(a[1], b[1]) - toleranceDeg,
      Math.max(a[0], b[0]) + toleranceDeg,
      Math.max(a[1], b[1]) + toleranceDeg,
    );
    for (const i of hits) {
      const p = vertices[i];
      if ((p[0] === a[0] && p[1] === a[1]) || (p[0] === b[0] && p[1] === b[1])) continue;
      const t = ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2;
      if (t <= 0 || t >= 1) continue;
      const offLine = Math.abs((p[0] - a[0]) * dy - (p[1] - a[1]) * dx) / Math.sqrt(length2);
      if (offLine <= toleranceDeg) found.push({ t, p });
    }
    // ties in t are ordered by coordinates so both directions of an edge give the same sequence
    return found.sort((u, v) => u.t - v.t || u.p[0] - v.p[0] || u.p[1] - v.p[1]).map((f) => f.p);
  };

  // An edge is split the same way whichever way a ring runs along it: computed from its canonical direction.
  const split = (a: Position, b: Position): Position[] => {
    const forward = a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
    return forward ? onEdge(a, b) : onEdge(b, a).reverse();
  };

  const ring = (coordinates: Position[]): Position[] => {
    let current = coordinates;
    // inserted vertices make shorter edges, which may have further vertices within the tolerance
    for (let pass = 0; pass < 8; pass++) {
      const out: Position[] = [current[0]];
      for (let i = 1; i < current.length; i++) {
        out.push(...split(current[i - 1], current[i]), current[i]);
      }
      if (out.length === current.length) return out;
      current = out;
    }
    return current;
  };
  return areas.map((area) => ({ type: 'MultiPolygon', coordinates: area.coordinates.map((polygon) => polygon.map(ring)) }));
}

function distinctVertices(areas: readonly MultiPolygon[]): Position[] {
  const seen = new Map<string, Position>();
  for (const area of areas) {
    for (const polygon of area.coordinates) {
      for (const r of polygon) for (const p of r) seen.set(`${p[0]},${p[1]}`, [p[0], p[1]]);
    }
  }
  // sorted so the result does not depend on the order of the areas
  return [...seen.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}
