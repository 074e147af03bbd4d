// Batch lookup input in three shapes (JSON array, GeoJSON FeatureCollection, CSV) read into one flat form:
// interleaved lon,lat in a Float64Array plus the per-point faults, so the engine never sees per-point objects.
// CSV is read line by line from the request stream; its lines are kept only to echo them in the answer.
import type { Readable } from 'node:stream';
import type { Feature, FeatureCollection } from 'geojson';

export const BATCH_LIMIT = 100_000;

export interface PointBatch {
  /** lon,lat pairs; NaN for points that could not be read. */
  coords: Float64Array;
  /** Fault per point index. Faulted points keep whatever numbers were read (for the swap check), else NaN. */
  faults: Map<number, string>;
  size: number;
}

export class BatchTooLarge extends Error {
  constructor(readonly size: number) {
    super(`a batch holds at most ${BATCH_LIMIT.toLocaleString('en')} points; this one has ${size > BATCH_LIMIT ? 'more' : size}`);
  }
}

/** Points of a JSON batch: `[lon, lat]` pairs or `{ id?, lon, lat }` objects. */
export type JsonPoint = [number, number] | { id?: string | number; lon: number; lat: number };

function newBatch(size: number): PointBatch {
  if (size > BATCH_LIMIT) throw new BatchTooLarge(size);
  return { coords: new Float64Array(size * 2).fill(Number.NaN), faults: new Map(), size };
}

/** Range check shared by every format; the swap check needs the service area and comes later. */
export function coordinateFault(lon: unknown, lat: unknown): string | null {
  if (typeof lon !== 'number' || !Number.isFinite(lon)) return 'lon is not a number';
  if (typeof lat !== 'number' || !Number.isFinite(lat)) return 'lat is not a number';
  if (lon < -180 || lon > 180) return `lon ${lon} is outside −180…180`;
  if (lat < -90 || lat > 90) return `lat ${lat} is outside −90…90`;
  return null;
}

function place(batch: PointBatch, i: number, lon: unknown, lat: unknown): void {
  const fault = coordinateFault(lon, lat);
  if (fault) batch.faults.set(i, fault);
  if (typeof lon === 'number') batch.coords[i * 2] = lon;
  if (typeof lat === 'number') batch.coords[i * 2 + 1] = lat;
}

export function readJsonPoints(points: readonly unknown[]): PointBatch {
  const batch = newBatch(points.length);
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (Array.isArray(p)) {
      if (p.length < 2) batch.faults.set(i, 'expected [lon, lat]');
      else place(batch, i, p[0], p[1]);
    } else if (p !== null && typeof p === 'object') {
      const o = p as Record<string, unknown>;
      place(batch, i, o.lon, o.lat);
    } else {
      batch.faults.set(i, 'expected [lon, lat] or { id, lon, lat }');
    }
  }
  return batch;
}

/** A JSON body of plain `[lon, lat]` pairs read by readJsonPairs (a class, so no parsed JSON value passes for one). */
export class JsonPairs implements PointBatch {
  constructor(
    readonly coords: Float64Array,
    readonly faults: Map<number, string>,
    readonly size: number,
  ) {}
}

const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_1 = 0x31;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
// A significand at most this large takes one more digit and stays at most 2^53, so it is still exact in a double.
const SIGNIFICAND_ROOM = Math.floor((2 ** 53 - 9) / 10);
// Digits after those, kept apart: below 10^15, so exact too.
const MAX_TAIL_DIGITS = 15;
// 10^0 … 10^22, every one exact in a double (written out: Math.pow need not round these exactly).
const EXACT_POWERS_OF_TEN = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
// 2^-54: a double y lies at least y·2^-54 from the midpoints to its neighbours. 2^-100 bounds the error of the
// double-double quotient below (products of powers of two are exact).
const HALF_GAP = Number.EPSILON / 4;
const QUOTIENT_ERROR = Number.EPSILON * Number.EPSILON * 16;
// 2^27 + 1: splits a double into two halves whose products are exact (Dekker).
const SPLITTER = 134_217_729;

/** a·b − p exactly, for p = a·b rounded (Dekker's product, no fused multiply-add needed). */
function productError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLITTER * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  return aHigh * bHigh - p + aHigh * bLow + aLow * bHigh + aLow * bLow;
}

/** a + b − s exactly, for s = a + b rounded (Knuth's sum). */
function sumError(a: number, b: number, s: number): number {
  const b2 = s - a;
  return a - (s - b2) + (b - b2);
}

/**
 * The double nearest to (significand·10^tailDigits + tail)·10^exponent, as JSON.parse rounds it, for a significand
 * of at most 2^53 and a tail below 10^tailDigits; NaN where this cannot be sure, for the caller to ask Number().
 * With no tail and a power of ten up to 22 it is one exact operation, rounded once (Clinger's fast path). With a
 * tail (16 or more digits, as most printed coordinates have) the division by 10^-exponent is carried out in
 * double-double arithmetic, within 2^-100 of the exact quotient, and its rounding is kept when the quotient is
 * farther than that from a midpoint between doubles: all but a few per cent of coordinates.
 */
export function decimalToDouble(significand: number, tail: number, tailDigits: number, exponent: number): number {
  if (tailDigits === 0) {
    if (exponent < -22 || exponent > 22) return Number.NaN;
    return exponent < 0 ? significand / EXACT_POWERS_OF_TEN[-exponent] : significand * EXACT_POWERS_OF_TEN[exponent];
  }
  if (tailDigits > MAX_TAIL_DIGITS || exponent < -22 || exponent > 0) return Number.NaN;
  // The decimal as an unevaluated sum high + low, exact but for the rounding of low (relative error < 2^-104).
  const scale = EXACT_POWERS_OF_TEN[tailDigits];
  const product = significand * scale;
  const high = product + tail;
  const low = sumError(product, tail, high) + productError(significand, scale, product);
  // Divided by 10^k: q1 + q2 is within 2^-102 of the exact quotient (high − q1·10^k is exact, Sterbenz).
  const divisor = EXACT_POWERS_OF_TEN[-exponent];
  const q1 = high / divisor;
  const back = q1 * divisor;
  const q2 = (high - back - productError(q1, divisor, back) + low) / divisor;
  const nearest = q1 + q2;
  const rest = sumError(q1, q2, nearest);
  return Math.abs(rest) + nearest * QUOTIENT_ERROR < nearest * HALF_GAP ? nearest : Number.NaN;
}

/** Reads JSON numbers and structure bytes from a body; `at` is the position of the next unread byte. */
class JsonBytes {
  at = 0;
  constructor(private readonly bytes: Buffer) {}

  /** The next byte after whitespace (-1 at the end), not consumed. */
  peek(): number {
    const bytes = this.bytes;
    while (this.at < bytes.length) {
      const c = bytes[this.at];
      if (c !== SPACE && c !== LINE_FEED && c !== CARRIAGE_RETURN && c !== TAB) return c;
      this.at++;
    }
    return -1;
  }

  /** Consumes `byte` after whitespace; false (nothing consumed) when another byte comes. */
  take(byte: number): boolean {
    if (this.peek() !== byte) return false;
    this.at++;
    return true;
  }

  /**
   * Reads a number in JSON's grammar into out[index], as the double JSON.parse gives (decimalToDouble, else
   * Number() of its text); false when the next token is not one. Writing into the array keeps the double unboxed.
   */
  number(out: Float64Array, index: number): boolean {
    const bytes = this.bytes;
    this.peek();
    const start = this.at;
    let at = start;
    const negative = bytes[at] === MINUS;
    if (negative) at++;
    const integer = at;
    if (bytes[at] === DIGIT_0) at++;
    else if (bytes[at] >= DIGIT_1 && bytes[at] <= DIGIT_9) while (bytes[at] >= DIGIT_0 && bytes[at] <= DIGIT_9) at++;
    if (at === integer) return false;
    const point = at;
    let fraction = at;
    if (bytes[at] === DOT) {
      fraction = ++at;
      while (bytes[at] >= DIGIT_0 && bytes[at] <= DIGIT_9) at++;
      if (at === fraction) return false;
    }
    const digitsEnd = at;
    let power = 0;
    if (bytes[at] === LOWER_E || bytes[at] === UPPER_E) {
      at++;
      const sign = bytes[at] === MINUS ? -1 : 1;
      if (bytes[at] === MINUS || bytes[at] === PLUS) at++;
      const powerStart = at;
      while (bytes[at] >= DIGIT_0 && bytes[at] <= DIGIT_9) power = Math.min(power * 10 + bytes[at++] - DIGIT_0, 1e6);
      if (at === powerStart) return false;
      power *= sign;
    }
    this.at = at;
    // The digits, the decimal point skipped: as many as fit into the exact significand, the rest into the tail.
    let significand = 0;
    let tail = 0;
    let tailDigits = 0;
    for (let k = integer; k < digitsEnd; k++) {
      if (k === point && point < fraction) continue;
      const digit = bytes[k] - DIGIT_0;
      if (tailDigits === 0 && significand <= SIGNIFICAND_ROOM) significand = significand * 10 + digit;
      else if (++tailDigits <= MAX_TAIL_DIGITS) tail = tail * 10 + digit;
    }
    const magnitude = decimalToDouble(significand, tail, tailDigits, power - (digitsEnd - fraction));
    out[index] = Number.isNaN(magnitude) ? Number(bytes.toString('latin1', start, at)) : negative ? -magnitude : magnitude;
    return true;
  }
}

/**
 * Reads a JSON body that is an array of `[lon, lat]` number pairs straight from its bytes, without a JS array per
 * point; null when the body is anything else (points with ids, GeoJSON, malformed JSON), for the general JSON
 * parser to read. The numbers are the doubles JSON.parse gives. Throws BatchTooLarge past the limit.
 */
export function readJsonPairs(body: Buffer): JsonPairs | null {
  const json = new JsonBytes(body);
  if (!json.take(OPEN_BRACKET)) return null;
  // The shortest pair, `[0,0],`, takes six bytes: room for every pair of this body (up to the limit).
  const coords = new Float64Array(2 * Math.min(BATCH_LIMIT, Math.floor((body.length + 1) / 6)));
  const faults = new Map<number, string>();
  let size = 0;
  if (!json.take(CLOSE_BRACKET)) {
    do {
      if (!json.take(OPEN_BRACKET)) return null;
      if (size === BATCH_LIMIT) throw new BatchTooLarge(size + 1);
      if (!json.number(coords, size * 2) || !json.take(COMMA)) return null;
      if (!json.number(coords, size * 2 + 1) || !json.take(CLOSE_BRACKET)) return null;
      const fault = coordinateFault(coords[size * 2], coords[size * 2 + 1]);
      if (fault) faults.set(size, fault);
      size++;
    } while (json.take(COMMA));
    if (!json.take(CLOSE_BRACKET)) return null;
  }
  return json.peek() === -1 ? new JsonPairs(coords.subarray(0, size * 2), faults, size) : null;
}

export function readFeaturePoints(collection: FeatureCollection): PointBatch {
  const features = collection.features;
  const batch = newBatch(features.length);
  features.forEach((feature: Feature, i) => {
    const geometry = feature?.geometry;
    if (!geometry || geometry.type !== 'Point' || !Array.isArray(geometry.coordinates)) {
      batch.faults.set(i, 'geometry is not a Point');
      return;
    }
    place(batch, i, geometry.coordinates[0], geometry.coordinates[1]);
  });
  return batch;
}

/** A CSV batch: the header, each data line as sent (to append answer columns to) and the points. */
export interface CsvBatch extends PointBatch {
  header: string;
  lines: string[];
}

// Splits one CSV line; quoted fields may hold commas and doubled quotes, not line breaks.
function splitCsvLine(line: string): string[] | null {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  fields.push(field);
  return fields;
}

const csvNumber = (raw: string | undefined): number => (raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw));

/**
 * Reads `id,lon,lat` CSV (columns found by header name; others kept) from a stream, line by line. Data rows are
 * numbered from 1 after the header (`row 4` is the fourth line after it). Throws BatchTooLarge past the limit.
 */
export async function readCsvPoints(stream: Readable): Promise<CsvBatch> {
  let coords = new Float64Array(2 * 1024).fill(Number.NaN);
  const faults = new Map<number, string>();
  const lines: string[] = [];
  let header: string | null = null;
  let lonColumn = -1;
  let latColumn = -1;
  let rest = '';

  const takeLine = (raw: string) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (header === null) {
      header = line.replace(/^\uFEFF/, '');
      const names = (splitCsvLine(header) ?? []).map((n) => n.trim().toLowerCase());
      lonColumn = names.indexOf('lon');
      latColumn = names.indexOf('lat');
      return;
    }
    if (line.trim() === '') return;
    const i = lines.length;
    if (i >= BATCH_LIMIT) throw new BatchTooLarge(i + 1);
    lines.push(line);
    if (coords.length < (i + 1) * 2) {
      const grown = new Float64Array(coords.length * 2).fill(Number.NaN);
      grown.set(coords);
      coords = grown;
    }
    const fields = splitCsvLine(line);
    if (!fields) {
      faults.set(i, 'unterminated quote');
      return;
    }
    const lon = csvNumber(fields[lonColumn]);
    const lat = csvNumber(fields[latColumn]);
    const fault = coordinateFault(lon, lat);
    if (fault) faults.set(i, fault);
    coords[i * 2] = lon;
    coords[i * 2 + 1] = lat;
  };

  stream.setEncoding('utf8');
  for await (const chunk of stream) {
    const text = rest + (chunk as string);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      takeLine(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest !== '') takeLine(rest);
  if (header === null || lonColumn < 0 || latColumn < 0) throw new CsvHeaderMissing();
  return { coords: coords.subarray(0, lines.length * 2), faults, size: lines.length, header, lines };
}

export class CsvHeaderMissing extends Error {
  constructor() {
    super('the first line must be a header naming the columns lon and lat (id,lon,lat)');
  }
}
