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
