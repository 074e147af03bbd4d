// A local equirectangular frame: lon/lat → SVG pixels for one printed map. Over a few kilometres the error against a
// conformal projection is far below what a printed A4 map can show, and it needs no projection library.
import type { AreaGeometry } from '../../schemas/geojson.ts';

export type LonLatBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

const EARTH_RADIUS_M = 6_371_008.8;
const RAD = Math.PI / 180;

export interface MapFrame {
  width: number;
  height: number;
  /** Pixels per metre on the ground (same on both axes). */
  scale: number;
  project(lon: number, lat: number): [x: number, y: number];
  /** The lon/lat box the frame shows (wider than the fitted box on one axis). */
  extent: LonLatBox;
}

/**
 * Fits `box` into a `width` × `height` viewport with `padding` pixels on every side, north up, centred.
 * @example fitFrame([0, 0, 0.01, 0.01], 200, 200, 0).project(0, 0) // → [0, 200]
 */
export function fitFrame(box: LonLatBox, width: number, height: number, padding = 0): MapFrame {
  const [minLon, minLat, maxLon, maxLat] = box;
  const lon0 = (minLon + maxLon) / 2;
  const lat0 = (minLat + maxLat) / 2;
  const cosLat = Math.cos(lat0 * RAD);
  const metresX = (lon: number) => (lon - lon0) * RAD * EARTH_RADIUS_M * cosLat;
  const metresY = (lat: number) => (lat - lat0) * RAD * EARTH_RADIUS_M;
  const spanX = Math.max(metresX(maxLon) - metresX(minLon), 1e-9);
  const spanY = Math.max(metresY(maxLat) - metresY(minLat), 1e-9);
  const scale = Math.min((width - 2 * padding) / spanX, (height - 2 * padding) / spanY);
  const halfLon = width / 2 / scale / (RAD * EARTH_RADIUS_M * cosLat);
  const halfLat = height / 2 / scale / (RAD * EARTH_RADIUS_M);
  return {
    width,
    height,
    scale,
    project: (lon, lat) => [width / 2 + metresX(lon) * scale, height / 2 - metresY(lat) * scale],
    extent: [lon0 - halfLon, lat0 - halfLat, lon0 + halfLon, lat0 + halfLat],
  };
}

export function boxOf(geometries: Array<AreaGeometry | null>): LonLatBox | null {
  let box: LonLatBox | null = null;
  for (const g of geometries) {
    if (!g) continue;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    for (const ring of polygons.flat()) {
      for (const [lon, lat] of ring) {
        box = box
          ? [Math.min(box[0], lon), Math.min(box[1], lat), Math.max(box[2], lon), Math.max(box[3], lat)]
          : [lon, lat, lon, lat];
      }
    }
  }
  return box;
}

/** `box` grown by `share` of its size on every side, so the focus grid sits among its neighbours. */
export function expandBox([minLon, minLat, maxLon, maxLat]: LonLatBox, share: number): LonLatBox {
  const dx = (maxLon - minLon) * share;
  const dy = (maxLat - minLat) * share;
  return [minLon - dx, minLat - dy, maxLon + dx, maxLat + dy];
}

export const boxesIntersect = (a: LonLatBox, b: LonLatBox) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

/** SVG path data of a polygon or multipolygon in the frame (one subpath per ring; fill-rule evenodd keeps holes). */
export function pathData(geometry: AreaGeometry, frame: MapFrame): string {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons
    .flat()
    .map((ring) => 'M' + ring.map(([lon, lat]) => frame.project(lon, lat).map((v) => v.toFixed(1)).join(' ')).join('L') + 'Z')
    .join('');
}
