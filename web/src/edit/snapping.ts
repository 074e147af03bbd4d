// Vertex snapping while drawing and reshaping: the nearest existing vertex (draft or filed grid) within a few pixels.
import Flatbush from 'flatbush';
import type { Geometry, Position } from 'geojson';

export type Project = (lng: number, lat: number) => { x: number; y: number };

function verticesOf(geometry: Geometry): Position[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'LineString':
    case 'MultiPoint':
      return geometry.coordinates;
    case 'Polygon':
    case 'MultiLineString':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
    case 'GeometryCollection':
      return geometry.geometries.flatMap(verticesOf);
  }
}

export class VertexIndex {
  private readonly index: Flatbush | null;
  private readonly vertices: Position[];

  constructor(geometries: Geometry[]) {
    this.vertices = geometries.flatMap(verticesOf);
    if (this.vertices.length === 0) {
      this.index = null;
      return;
    }
    this.index = new Flatbush(this.vertices.length);
    for (const [x, y] of this.vertices) this.index.add(x, y, x, y);
    this.index.finish();
  }

  /**
   * The vertex nearest to the pointer on screen, if one lies within `tolerancePx`; candidates come from the index
   * by a lon/lat box that surely holds the tolerance circle, then are measured in pixels.
   * @example index.snap([122.1, 30.0], 10, (lng, lat) => map.project([lng, lat]))
   */
  snap(pointer: Position, tolerancePx: number, project: Project): Position | undefined {
    if (!this.index) return undefined;
    const p = project(pointer[0], pointer[1]);
    // Degrees per pixel from a nearby point, in both axes, with a margin for the map's skew.
    const east = project(pointer[0] + 1e-3, pointer[1]);
    const north = project(pointer[0], pointer[1] + 1e-3);
    const pxPerDegX = Math.hypot(east.x - p.x, east.y - p.y) / 1e-3;
    const pxPerDegY = Math.hypot(north.x - p.x, north.y - p.y) / 1e-3;
    const dx = (tolerancePx / pxPerDegX) * 1.5;
    const dy = (tolerancePx / pxPerDegY) * 1.5;
    let best: Position | undefined;
    let bestDistance = tolerancePx;
    for (const i of this.index.search(pointer[0] - dx, pointer[1] - dy, pointer[0] + dx, pointer[1] + dy)) {
      const v = this.vertices[i];
      const q = project(v[0], v[1]);
      const distance = Math.hypot(q.x - p.x, q.y - p.y);
      if (distance <= bestDistance) {
        best = v;
        bestDistance = distance;
      }
    }
    return best;
  }
}
