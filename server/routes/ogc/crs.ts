// OGC API – Features Part 2: the coordinate reference systems we serve. CGCS2000 (EPSG:4490) and WGS84 agree
// to well under a metre here, so serving 4490 changes no number — only the axis order, which EPSG defines as lat, lon.
import type { Geometry, Position } from 'geojson';
import { parseBBox, type BBox } from '../../http/params.ts';
import { invalidParameter } from '../../http/problem.ts';

export const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';
export const CGCS2000 = 'http://www.opengis.net/def/crs/EPSG/0/4490';
export const SUPPORTED_CRS = [CRS84, CGCS2000] as const;
export type Crs = (typeof SUPPORTED_CRS)[number];

/** The CRS a `crs` or `bbox-crs` value names; CRS84 when absent. */
export function parseCrs(raw: string | undefined, parameter: string): Crs {
  if (raw === undefined) return CRS84;
  const crs = SUPPORTED_CRS.find((c) => c === raw.trim());
  if (!crs) throw invalidParameter(parameter, `unsupported CRS "${raw}"; supported: ${SUPPORTED_CRS.join(', ')}`);
  return crs;
}

const latLonOrder = (crs: Crs) => crs === CGCS2000;

/** A `bbox` given in `crs` as a lon/lat rectangle: EPSG:4490 lists minLat,minLon,maxLat,maxLon. */
export function parseBBoxIn(raw: string, crs: Crs, parameter = 'bbox'): BBox {
  if (!latLonOrder(crs)) return parseBBox(raw, parameter);
  const parts = raw.split(',');
  if (parts.length !== 4) throw invalidParameter(parameter, 'expected four numbers minLat,minLon,maxLat,maxLon (EPSG:4490 axis order)');
  return parseBBox([parts[1], parts[0], parts[3], parts[2]].join(','), parameter);
}

const swap = (p: Position): Position => [p[1], p[0], ...p.slice(2)];

function swapGeometry(geometry: Geometry): Geometry {
  switch (geometry.type) {
    case 'Point':
      return { ...geometry, coordinates: swap(geometry.coordinates) };
    case 'MultiPoint':
    case 'LineString':
      return { ...geometry, coordinates: geometry.coordinates.map(swap) };
    case 'MultiLineString':
    case 'Polygon':
      return { ...geometry, coordinates: geometry.coordinates.map((ring) => ring.map(swap)) };
    case 'MultiPolygon':
      return { ...geometry, coordinates: geometry.coordinates.map((polygon) => polygon.map((ring) => ring.map(swap))) };
    case 'GeometryCollection':
      return { ...geometry, geometries: geometry.geometries.map(swapGeometry) };
  }
}

/** A stored (lon/lat) geometry in the axis order of `crs`. */
export function inCrs(geometry: Geometry | null, crs: Crs): Geometry | null {
  return geometry && latLonOrder(crs) ? swapGeometry(geometry) : geometry;
}
