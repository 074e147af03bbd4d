// Split and merge of draft grids. Pure functions over GeoJSON; the clipping itself is turf's (polyclip), robust on shared edges.
import { area, booleanPointInPolygon, difference, featureCollection, intersect, polygon as turfPolygon, union, feature as turfFeature } from '@turf/turf';
import type { LineString, MultiPolygon, Polygon, Position } from 'geojson';

export type Areal = Polygon | MultiPolygon;

/** Pieces smaller than this are clipping noise, not a side of the cut. */
const MIN_PIECE_M2 = 0.01;

export type GeometryError = 'line-does-not-split' | 'not-adjacent' | 'empty-geometry';
export type GeometryResult<T> = { ok: true; value: T } | { ok: false; error: GeometryError };

function partCount(geometry: Areal): number {
  return geometry.type === 'Polygon' ? 1 : geometry.coordinates.length;
}

function bboxOf(points: Position[]): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/** Where the ray from `origin` along `direction` leaves the rectangle (origin inside it), and that point's position along the perimeter (0–4, counter-clockwise from the south-west corner). */
function exitOnFrame(origin: Position, direction: Position, frame: [number, number, number, number]): { point: Position; t: number } {
  const [minX, minY, maxX, maxY] = frame;
  const [ox, oy] = origin;
  const [dx, dy] = direction;
  const tx = dx > 0 ? (maxX - ox) / dx : dx < 0 ? (minX - ox) / dx : Infinity;
  const ty = dy > 0 ? (maxY - oy) / dy : dy < 0 ? (minY - oy) / dy : Infinity;
  const s = Math.min(tx, ty);
  const point: Position = [ox + dx * s, oy + dy * s];
  const [x, y] = point;
  const w = maxX - minX;
  const h = maxY - minY;
  let t: number;
  if (s === ty && dy < 0) t = (x - minX) / w; // south edge, west→east
  else if (s === tx && dx > 0) t = 1 + (y - minY) / h; // east edge, south→north
  else if (s === ty && dy > 0) t = 2 + (maxX - x) / w; // north edge, east→west
  else t = 3 + (maxY - y) / h; // west edge, north→south
  return { point, t };
}

const FRAME_CORNERS = (frame: [number, number, number, number]): Position[] => [
  [frame[2], frame[1]], // t = 1
  [frame[2], frame[3]], // t = 2
  [frame[0], frame[3]], // t = 3
  [frame[0], frame[1]], // t = 4 ≡ 0
];

/**
 * The region on the left of a polyline: the line extended at both ends to a frame around everything,
 * closed by walking the frame counter-clockwise from the end back to the start.
 */
function leftOfLine(line: Position[], frame: [number, number, number, number]): Polygon {
  const first = line[0];
  const second = line[1];
  const last = line[line.length - 1];
  const beforeLast = line[line.length - 2];
  const start = exitOnFrame(first, [first[0] - second[0], first[1] - second[1]], frame);
  const end = exitOnFrame(last, [last[0] - beforeLast[0], last[1] - beforeLast[1]], frame);
  const ring: Position[] = [start.point, ...line, end.point];
  const corners = FRAME_CORNERS(frame);
  const target = start.t > end.t ? start.t : start.t + 4;
  for (let k = Math.floor(end.t) + 1; k < target; k++) ring.push(corners[(k - 1) % 4]);
  ring.push(start.point);
  return { type: 'Polygon', coordinates: [ring] };
}

/**
 * A one-part multi-polygon as the polygon it is (the registry stores every grid as MultiPolygon; vertex editing needs Polygon).
 * @example singlePartAsPolygon({ type: 'MultiPolygon', coordinates: [ring] }).type // 'Polygon'
 */
export function singlePartAsPolygon(geometry: Areal): Areal {
  return geometry.type === 'MultiPolygon' && geometry.coordinates.length === 1 ? { type: 'Polygon', coordinates: geometry.coordinates[0] } : geometry;
}

/**
 * Cuts a grid along a drawn line into the part left of the line and the part right of it.
 * The line must cross the grid, both ends outside it; a line that ends inside or leaves one side empty is an error, never a silent no-op.
 * @example splitByLine(square, { type: 'LineString', coordinates: [[0.5, -1], [0.5, 2]] }) // two halves
 */
export function splitByLine(geometry: Areal, line: LineString): GeometryResult<[Areal, Areal]> {
  const coordinates = line.coordinates.filter((p, i, all) => i === 0 || p[0] !== all[i - 1][0] || p[1] !== all[i - 1][1]);
  if (coordinates.length < 2) return { ok: false, error: 'line-does-not-split' };
  // Extending a line that ends inside the grid would cut somewhere the planner did not draw.
  const endsInside = [coordinates[0], coordinates[coordinates.length - 1]].some((p) => booleanPointInPolygon(p, geometry));
  if (endsInside) return { ok: false, error: 'line-does-not-split' };
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  const [minX, minY, maxX, maxY] = bboxOf([...rings.flat(), ...coordinates]);
  const margin = Math.max(maxX - minX, maxY - minY, 1e-6);
  const frame: [number, number, number, number] = [minX - margin, minY - margin, maxX + margin, maxY + margin];
  const left = turfPolygon(leftOfLine(coordinates, frame).coordinates);
  const subject = turfFeature(geometry);
  const a = intersect(featureCollection([subject, left]));
  const b = difference(featureCollection([subject, left]));
  if (!a || !b || area(a) < MIN_PIECE_M2 || area(b) < MIN_PIECE_M2) return { ok: false, error: 'line-does-not-split' };
  return { ok: true, value: [a.geometry, b.geometry] };
}

/**
 * Joins grids into one. Grids that share no edge or area would only make a scattered multi-polygon, so that is an error.
 * @example mergeAreas([west, east]) // one polygon covering both
 */
export function mergeAreas(geometries: Areal[]): GeometryResult<Areal> {
  if (geometries.length === 0) return { ok: false, error: 'empty-geometry' };
  const merged = union(featureCollection(geometries.map((g) => turfFeature(g))));
  if (!merged) return { ok: false, error: 'empty-geometry' };
  const inputParts = geometries.reduce((sum, g) => sum + partCount(g), 0);
  if (geometries.length > 1 && partCount(merged.geometry) === inputParts) return { ok: false, error: 'not-adjacent' };
  return { ok: true, value: merged.geometry };
}
