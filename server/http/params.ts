// Parsers for query parameters whose shape a JSON Schema cannot fully express; each names the parameter it rejects.
import { invalidParameter } from './problem.ts';

/** The largest row id PostgreSQL's bigint holds; ids are sent as decimal strings so JavaScript numbers never round them. */
const MAX_ID = 9223372036854775807n;

/**
 * JSON Schema format of an id (`Id` in schemas/common.ts): decimal digits naming a bigint row. Larger numbers
 * name no row and would make the database raise an error instead of answering "not found".
 */
export const ID_FORMAT = {
  name: 'id',
  definition: { type: 'string' as const, validate: (raw: string) => /^[0-9]{1,19}$/.test(raw) && BigInt(raw) <= MAX_ID },
  message: `must be a decimal id from 0 to ${MAX_ID}`,
};

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export function parseBBox(raw: string, parameter = 'bbox'): BBox {
  const parts = raw.split(',');
  if (parts.length !== 4) throw invalidParameter(parameter, 'expected four numbers minLon,minLat,maxLon,maxLat');
  const values = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw invalidParameter(parameter, `value ${bad + 1} ("${parts[bad]}") is not a number`);
  const [minLon, minLat, maxLon, maxLat] = values;
  if (minLon < -180 || maxLon > 180) throw invalidParameter(parameter, 'longitudes must lie within −180…180');
  if (minLat < -90 || maxLat > 90) throw invalidParameter(parameter, 'latitudes must lie within −90…90');
  if (minLon > maxLon) throw invalidParameter(parameter, `minLon ${minLon} is greater than maxLon ${maxLon}`);
  if (minLat > maxLat) throw invalidParameter(parameter, `minLat ${minLat} is greater than maxLat ${maxLat}`);
  return [minLon, minLat, maxLon, maxLat];
}

/** A calendar date `YYYY-MM-DD` that exists (rejects 2024-02-30). */
export function parseDate(raw: string, parameter = 'at'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(raw);
  const date = match ? new Date(Date.UTC(+match[1], +match[2] - 1, +match[3])) : null;
  if (!date || date.toISOString().slice(0, 10) !== raw) throw invalidParameter(parameter, `"${raw}" is not a date YYYY-MM-DD`);
  return raw;
}
