// Position reports in: JSON objects, CSV rows (mmsi,time,lon,lat,sog,cog) or decoded AIS sentences, checked row by
// row. A faulty row is rejected with where and why; the rest of the batch goes on.
import { decodeNmeaLines } from './nmea.ts';

export interface PositionReport {
  mmsi: string;
  time: Date;
  lon: number;
  lat: number;
  sog: number | null;
  cog: number | null;
}

/** A rejected report: `index` (JSON array position) or `row` (CSV/NMEA line number), and the field at fault. */
export interface RejectedReport {
  index?: number;
  row?: number;
  pointer: string;
  message: string;
}

export interface ParsedBatch {
  received: number;
  reports: PositionReport[];
  rejected: RejectedReport[];
  checksumErrors: number;
}

/** Reports further in the future than this are clock faults, not positions. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

type Where = { index: number } | { row: number };

function field(where: Where, name: string, message: string, json: boolean): RejectedReport {
  return { ...where, pointer: json ? `/${(where as { index: number }).index}/${name}` : name, message };
}

function optionalNumber(value: unknown): number | null | undefined {
  if (value === undefined || value === null || value === '') return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

const TIME_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Checks one report's fields: 9-digit MMSI, an ISO time with offset not after `now` + 5 min, lon/lat in range,
 * SOG 0–102.2 kn and COG 0–360° when given. Takes the fields one by one so that CSV rows need no object per row.
 */
export function checkPositionFields(
  mmsiValue: unknown,
  timeText: unknown,
  lonValue: unknown,
  latValue: unknown,
  sogValue: unknown,
  cogValue: unknown,
  where: Where,
  now: Date,
  json: boolean,
): PositionReport | RejectedReport {
  const mmsi = typeof mmsiValue === 'number' ? String(mmsiValue) : mmsiValue;
  if (typeof mmsi !== 'string' || mmsi.length !== 9 || !/^[0-9]{9}$/.test(mmsi)) return field(where, 'mmsi', 'MMSI must be 9 digits', json);
  const time = typeof timeText === 'string' && TIME_FORM.test(timeText) ? new Date(timeText) : null;
  if (!time || Number.isNaN(time.getTime())) return field(where, 'time', 'time must be ISO 8601 with an offset, e.g. 2024-05-01T08:00:00+08:00', json);
  if (time.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) return field(where, 'time', `time ${timeText} is in the future`, json);
  const lon = optionalNumber(lonValue);
  if (lon === null || lon === undefined || lon < -180 || lon > 180) return field(where, 'lon', 'lon must be a number in [-180, 180]', json);
  const lat = optionalNumber(latValue);
  if (lat === null || lat === undefined || lat < -90 || lat > 90) return field(where, 'lat', 'lat must be a number in [-90, 90]', json);
  const sog = optionalNumber(sogValue);
  if (sog === undefined || (sog !== null && (sog < 0 || sog > 102.2))) return field(where, 'sog', 'sog must be knots in [0, 102.2]', json);
  const cog = optionalNumber(cogValue);
  if (cog === undefined || (cog !== null && (cog < 0 || cog > 360))) return field(where, 'cog', 'cog must be degrees in [0, 360]', json);
  return { mmsi, time, lon, lat, sog, cog };
}

/** {@link checkPositionFields} for a report given as an object (JSON, decoded AIS). */
export function checkPositionReport(raw: Record<string, unknown>, where: Where, now: Date, json: boolean): PositionReport | RejectedReport {
  return checkPositionFields(raw.mmsi, raw.time, raw.lon, raw.lat, raw.sog, raw.cog, where, now, json);
}

const isRejected = (r: PositionReport | RejectedReport): r is RejectedReport => 'pointer' in r;

function collect(checked: Iterable<PositionReport | RejectedReport>, received: number, checksumErrors = 0, rejected: RejectedReport[] = []): ParsedBatch {
  const reports: PositionReport[] = [];
  for (const r of checked) {
    if (isRejected(r)) rejected.push(r);
    else reports.push(r);
  }
  return { received, reports, rejected, checksumErrors };
}

/** A JSON array of `{ mmsi, time, lon, lat, sog?, cog? }`. */
export function parsePositionJson(items: readonly unknown[], now: Date): ParsedBatch {
  return collect(
    items.map((item, index) =>
      item !== null && typeof item === 'object' && !Array.isArray(item)
        ? checkPositionReport(item as Record<string, unknown>, { index }, now, true)
        : { index, pointer: `/${index}`, message: 'each report must be an object' },
    ),
    items.length,
  );
}

export const CSV_COLUMNS = ['mmsi', 'time', 'lon', 'lat', 'sog', 'cog'] as const;

/** CSV with a header naming at least mmsi,time,lon,lat (sog, cog optional; any order). Rows are numbered from the header (row 1). */
export function parsePositionCsv(text: string, now: Date): ParsedBatch {
  const lines = text.split(/\r?\n/);
  const header = (lines[0] ?? '').replace(/^\uFEFF/, '').split(',').map((c) => c.trim().toLowerCase());
  const missing = CSV_COLUMNS.slice(0, 4).filter((c) => !header.includes(c));
  if (missing.length) {
    return { received: 0, reports: [], rejected: [{ row: 1, pointer: missing.join(','), message: `header must name ${CSV_COLUMNS.join(',')}; missing ${missing.join(', ')}` }], checksumErrors: 0 };
  }
  // Column positions once per batch; -1 for an optional column the header leaves out.
  const [mmsiAt, timeAt, lonAt, latAt, sogAt, cogAt] = CSV_COLUMNS.map((c) => header.indexOf(c));
  const value = (values: string[], at: number) => (at < 0 ? '' : values[at].trim());
  let received = 0;
  const reports: PositionReport[] = [];
  const rejected: RejectedReport[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.length === 0 || line.trim() === '') continue;
    received++;
    const values = line.split(',');
    if (values.length !== header.length) {
      rejected.push({ row: i + 1, pointer: 'row', message: `${values.length} values for ${header.length} columns` });
      continue;
    }
    const checked = checkPositionFields(
      value(values, mmsiAt), value(values, timeAt), value(values, lonAt), value(values, latAt), value(values, sogAt), value(values, cogAt),
      { row: i + 1 }, now, false,
    );
    if (isRejected(checked)) rejected.push(checked);
    else reports.push(checked);
  }
  return { received, reports, rejected, checksumErrors: 0 };
}

/** Raw AIS lines; a sentence without a tag-block time is taken as received `now`. */
export function parsePositionNmea(text: string, now: Date): ParsedBatch {
  const lines = text.split(/\r?\n/);
  const { positions, faults } = decodeNmeaLines(lines);
  const rejected: RejectedReport[] = faults.map((f) => ({ row: f.line, pointer: f.fault === 'checksum' ? 'checksum' : 'sentence', message: f.message }));
  const checked = positions.map((p) =>
    checkPositionReport({ mmsi: p.mmsi, time: (p.receivedAt ?? now).toISOString(), lon: p.lon, lat: p.lat, sog: p.sog, cog: p.cog }, { row: p.line }, now, false),
  );
  const received = lines.filter((l) => l.trim() !== '').length;
  return collect(checked, received, faults.filter((f) => f.fault === 'checksum').length, rejected);
}

export interface BatchOrder {
  /** Reports older than the vessel's latest known one: accepted and stored, counted. */
  outOfOrder: number;
  /** Latest time per MMSI after the batch. */
  latest: Map<string, number>;
}

/** Counts out-of-order reports against the latest already stored per MMSI (and earlier reports of the batch). */
export function orderBatch(reports: readonly PositionReport[], latestStored: ReadonlyMap<string, number>): BatchOrder {
  const latest = new Map(latestStored);
  let outOfOrder = 0;
  for (const r of reports) {
    const t = r.time.getTime();
    const known = latest.get(r.mmsi);
    if (known !== undefined && t < known) outOfOrder++;
    else latest.set(r.mmsi, t);
  }
  return { outOfOrder, latest };
}
