// GCJ-02 ("Mars coordinates", 国测局) and BD-09 (Baidu) obfuscations from the widely published formulas
// (eviltransform, coordtransform). Forward directions are closed-form; inverses are solved by fixed-point
// iteration on the forward transform, which converges because its Jacobian is the identity plus ~1e-5.

const KRASOVSKY_A = 6378245.0;
const KRASOVSKY_EE = 0.00669342162296594323;
const BD_X_PI = (Math.PI * 3000.0) / 180.0;
const INVERSE_TOLERANCE_DEG = 1e-12; // ~0.1 µm, far below the 0.01 m round-trip target
const INVERSE_MAX_ITERATIONS = 30;

export type LonLat = [lon: number, lat: number];

/**
 * The rough national rectangle every published GCJ-02 implementation uses: outside it GCJ-02 = WGS84.
 * @example isOutsideChina(2.35, 48.85) // true (Paris)
 */
export function isOutsideChina(lon: number, lat: number): boolean {
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function offsetLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function offsetLon(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/**
 * WGS84 → GCJ-02.
 * @example wgs84ToGcj02(121.5272106, 31.1774276) // ≈ [121.531541859215, 31.17530398364597]
 */
export function wgs84ToGcj02(lon: number, lat: number): LonLat {
  if (isOutsideChina(lon, lat)) return [lon, lat];
  let dLat = offsetLat(lon - 105.0, lat - 35.0);
  let dLon = offsetLon(lon - 105.0, lat - 35.0);
  const radLat = (lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - KRASOVSKY_EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((KRASOVSKY_A * (1 - KRASOVSKY_EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((KRASOVSKY_A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lon + dLon, lat + dLat];
}

/**
 * GCJ-02 → BD-09.
 * @example gcj02ToBd09(116.404, 39.915) // ≈ [116.41036949371029, 39.92133699351021]
 */
export function gcj02ToBd09(lon: number, lat: number): LonLat {
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * BD_X_PI);
  const theta = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * BD_X_PI);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** WGS84 → BD-09 (via GCJ-02). */
export function wgs84ToBd09(lon: number, lat: number): LonLat {
  const [gLon, gLat] = wgs84ToGcj02(lon, lat);
  return gcj02ToBd09(gLon, gLat);
}

// Solves forward(x) = target for x, starting from the target itself.
function invert(forward: (lon: number, lat: number) => LonLat, lon: number, lat: number): LonLat {
  let x = lon;
  let y = lat;
  for (let i = 0; i < INVERSE_MAX_ITERATIONS; i++) {
    const [fx, fy] = forward(x, y);
    const dx = fx - lon;
    const dy = fy - lat;
    x -= dx;
    y -= dy;
    if (Math.abs(dx) < INVERSE_TOLERANCE_DEG && Math.abs(dy) < INVERSE_TOLERANCE_DEG) break;
  }
  return [x, y];
}

/**
 * GCJ-02 → WGS84, exact inverse of {@link wgs84ToGcj02} to well under a millimetre.
 * @example gcj02ToWgs84(121.531541859215, 31.17530398364597) // ≈ [121.5272106, 31.1774276]
 */
export function gcj02ToWgs84(lon: number, lat: number): LonLat {
  if (isOutsideChina(lon, lat)) return [lon, lat];
  return invert(wgs84ToGcj02, lon, lat);
}

/** BD-09 → GCJ-02, exact inverse of {@link gcj02ToBd09}. */
export function bd09ToGcj02(lon: number, lat: number): LonLat {
  return invert(gcj02ToBd09, lon, lat);
}

/** BD-09 → WGS84. */
export function bd09ToWgs84(lon: number, lat: number): LonLat {
  const [gLon, gLat] = bd09ToGcj02(lon, lat);
  return gcj02ToWgs84(gLon, gLat);
}
