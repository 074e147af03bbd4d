// Vessels (船舶), their positions and their membership of sea grids (formations, aquaculture zones).
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Backend } from '../database.ts';
import type { MemberPosition } from '../../domain/maritime/footprint.ts';
import { FOOTPRINT_CHANNEL } from '../../events/footprints.ts';
import { chinaDate } from '../../domain/filings/snapshot.ts';
import type { MultiPolygon, Polygon } from 'geojson';
import type { PositionReport } from '../../domain/maritime/positions.ts';
import type { FormationState, LatestPosition, VesselRef, ZoneState } from '../../domain/maritime/alerts.ts';

export interface VesselRecord {
  id: string;
  mmsi: string | null;
  registeredName: string;
  type: string | null;
  lengthM: number | null;
  homePort: string | null;
  owner?: { name: string | null; phone: string | null };
  formationCode: string | null;
  lastPosition: { time: string; lon: number; lat: number; sog: number | null; cog: number | null; onLand: boolean } | null;
  synthetic: boolean;
}

export interface NewVessel {
  mmsi: string | null;
  registeredName: string;
  type: string | null;
  lengthM: number | null;
  homePort: string | null;
  ownerName: string | null;
  ownerPhone: string | null;
  synthetic?: boolean;
}

interface VesselRow {
  id: string | number;
  mmsi: string | null;
  registered_name: string;
  type: string | null;
  length_m: number | null;
  home_port: string | null;
  owner_name: string | null;
  owner_phone: string | null;
  synthetic: boolean;
  formation_code: string | null;
  p_time: Date | string | null;
  p_lon: number | null;
  p_lat: number | null;
  p_sog: number | null;
  p_cog: number | null;
  p_on_land: boolean | null;
}

// Memberships are kept by day in China Standard Time, as the route dates a new one; the latest made wins a day's tie.
function vesselQuery(knex: Knex) {
  const today = chinaDate(new Date());
  return knex('vessels as v')
    .select('v.*')
    .select(
      knex.raw(
        `(SELECT m.formation_code FROM formation_members m JOIN grids g ON g.code = m.formation_code AND g.valid_to IS NULL
          WHERE m.vessel_id = v.id AND g.subkind = 'vessel_formation' AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)
          ORDER BY m.valid_from DESC, m.id DESC LIMIT 1) as formation_code`,
        [today, today],
      ),
    )
    .select('p.time as p_time', 'p.lon as p_lon', 'p.lat as p_lat', 'p.sog as p_sog', 'p.cog as p_cog', 'p.on_land as p_on_land')
    .joinRaw(
      `LEFT JOIN LATERAL (SELECT time, lon, lat, sog, cog, on_land FROM vessel_positions WHERE mmsi = v.mmsi ORDER BY time DESC LIMIT 1) p ON true`,
    );
}

function toRecord(row: VesselRow, includePersonal: boolean): VesselRecord {
  return {
    id: String(row.id),
    mmsi: row.mmsi,
    registeredName: row.registered_name,
    type: row.type,
    lengthM: row.length_m,
    homePort: row.home_port,
    ...(includePersonal ? { owner: { name: row.owner_name, phone: row.owner_phone } } : {}),
    formationCode: row.formation_code,
    lastPosition:
      row.p_time === null
        ? null
        : { time: new Date(row.p_time).toISOString(), lon: row.p_lon!, lat: row.p_lat!, sog: row.p_sog, cog: row.p_cog, onLand: row.p_on_land === true },
    synthetic: row.synthetic,
  };
}

export async function listVessels(knex: Knex, options: { includePersonal: boolean; limit: number; offset: number }): Promise<{ vessels: VesselRecord[]; total: number }> {
  const rows: VesselRow[] = await vesselQuery(knex).orderBy('v.id').limit(options.limit).offset(options.offset);
  const [{ count }] = await knex('vessels').count<{ count: string }[]>({ count: '*' });
  return { vessels: rows.map((r) => toRecord(r, options.includePersonal)), total: Number(count) };
}

/** A vessel by internal id, MMSI or registered name. */
export async function findVessel(knex: Knex, key: string, options: { includePersonal: boolean }): Promise<VesselRecord | null> {
  const query = vesselQuery(knex).where((q) => {
    q.where('v.mmsi', key).orWhere('v.registered_name', key);
    if (/^[0-9]{1,15}$/.test(key) && key.length !== 9) q.orWhere('v.id', key);
  });
  const row: VesselRow | undefined = await query.first();
  return row ? toRecord(row, options.includePersonal) : null;
}

export class VesselConflict extends Error {
  readonly type = 'conflict';
  readonly status = 409;
  constructor(readonly parameter: string, message: string) {
    super(message);
  }
}

export async function insertVessel(knex: Knex, vessel: NewVessel): Promise<string> {
  const clash = await knex('vessels')
    .select('mmsi', 'registered_name')
    .where('registered_name', vessel.registeredName)
    .modify((q) => (vessel.mmsi ? q.orWhere('mmsi', vessel.mmsi) : q))
    .first();
  if (clash) {
    const field = clash.registered_name === vessel.registeredName ? 'registeredName' : 'mmsi';
    throw new VesselConflict(`/${field}`, `a vessel with this ${field} is already registered`);
  }
  const [{ id }] = await knex('vessels')
    .insert({
      mmsi: vessel.mmsi,
      registered_name: vessel.registeredName,
      type: vessel.type,
      length_m: vessel.lengthM,
      home_port: vessel.homePort,
      owner_name: vessel.ownerName,
      owner_phone: vessel.ownerPhone,
      synthetic: vessel.synthetic ?? false,
    })
    .returning('id');
  return String(id);
}

/** The sea grid a vessel may join: a formation or aquaculture zone in force. */
export async function findMembershipGrid(knex: Knex, code: string): Promise<{ code: string; subkind: string; divisionCode: string } | null> {
  const row = await knex('grids')
    .select('code', 'subkind', 'division_code')
    .where({ code, kind: 'maritime' })
    .whereIn('subkind', ['vessel_formation', 'aquaculture'])
    .whereNull('valid_to')
    .first();
  return row ? { code: row.code, subkind: row.subkind, divisionCode: row.division_code } : null;
}

/**
 * Joins a vessel to a sea grid from `validFrom`; an open membership of the same kind ends the day before. One that
 * would only have started on or after `validFrom` (a second move the same day) is kept for the record but ends the
 * day before it starts, so it is in force on no day and the vessel counts in one formation only.
 */
export async function addMembership(knex: Knex, vesselId: string, gridCode: string, subkind: string, validFrom: string, validTo: string | null): Promise<void> {
  await knex.transaction(async (trx) => {
    const dayBefore = new Date(Date.parse(validFrom) - 86_400_000).toISOString().slice(0, 10);
    const open = trx('formation_members as m')
      .select('m.id')
      .join('grids as g', 'g.code', 'm.formation_code')
      .where('m.vessel_id', vesselId)
      .where('g.subkind', subkind)
      .whereNull('m.valid_to');
    await trx('formation_members')
      .whereIn('id', open)
      .update({ valid_to: trx.raw('CASE WHEN valid_from >= ?::date THEN valid_from - 1 ELSE ?::date END', [validFrom, dayBefore]) });
    await trx('formation_members').insert({ formation_code: gridCode, vessel_id: vesselId, valid_from: validFrom, valid_to: validTo });
  });
}

/** The latest stored report of a vessel (for the vessel → grid lookup). */
export async function latestPosition(knex: Knex, mmsi: string): Promise<(PositionReport & { onLand: boolean }) | null> {
  const row = await knex('vessel_positions').select('mmsi', 'time', 'lon', 'lat', 'sog', 'cog', 'on_land').where({ mmsi }).orderBy('time', 'desc').first();
  return row ? { mmsi: row.mmsi, time: new Date(row.time), lon: row.lon, lat: row.lat, sog: row.sog, cog: row.cog, onLand: row.on_land } : null;
}

/** Latest stored report time per MMSI (epoch ms), for out-of-order counting: one primary-key probe per MMSI. */
export async function latestTimes(knex: Knex, mmsis: readonly string[]): Promise<Map<string, number>> {
  if (mmsis.length === 0) return new Map();
  const { rows } = await knex.raw(
    `SELECT m.mmsi, (SELECT max(p.time) FROM vessel_positions p WHERE p.mmsi = m.mmsi) AS time FROM unnest(?::text[]) AS m(mmsi)`,
    [[...mmsis]],
  );
  const latest = new Map<string, number>();
  for (const r of rows as Array<{ mmsi: string; time: Date | string | null }>) if (r.time !== null) latest.set(r.mmsi, new Date(r.time).getTime());
  return latest;
}

export type StoredReport = PositionReport & { onLand: boolean };

/**
 * How reports reach the table. `copy` streams them with COPY FROM STDIN into a temporary staging table and moves
 * them over in one INSERT … SELECT; PGlite's socket server does not speak the COPY sub-protocol (the connection
 * loses protocol sync), so the embedded store uses `insert`: unnest over parameter arrays, 20,000 rows a statement.
 */
export type PositionWriter = 'copy' | 'insert';

export const positionWriterFor = (backend: Backend): PositionWriter => (backend === 'postgresql' ? 'copy' : 'insert');

const INSERT_CHUNK = 20_000;
const COPY_ROWS_PER_WRITE = 5_000;

// knex's binding types leave out arrays with null elements; pg sends them as SQL NULLs.
const nullable = (values: Array<number | null>) => values as number[];

// Rows sorted by key land next to each other in the primary-key index, and two batches holding the same reports take
// their key locks in the same order (one waits, neither deadlocks); the conflict clause makes repeats no-ops.
const MOVE_STAGED = `WITH ins AS (
    INSERT INTO vessel_positions (mmsi, time, lon, lat, sog, cog, on_land)
    SELECT mmsi, time, lon, lat, sog, cog, on_land FROM position_staging ORDER BY mmsi, time
    ON CONFLICT (mmsi, time) DO NOTHING RETURNING 1)
  SELECT count(*)::int AS stored FROM ins`;

/** Stores reports; the (mmsi, time) key makes a repeated report a no-op. Returns how many were new. */
export async function storePositions(knex: Knex, reports: readonly StoredReport[], writer: PositionWriter = 'insert'): Promise<number> {
  if (reports.length === 0) return 0;
  if (writer === 'copy') return knex.isTransaction ? copyPositions(knex as Knex.Transaction, reports) : knex.transaction((trx) => copyPositions(trx, reports));
  let stored = 0;
  for (let start = 0; start < reports.length; start += INSERT_CHUNK) {
    const chunk = reports.slice(start, start + INSERT_CHUNK);
    const { rows } = await knex.raw(
      `WITH ins AS (
         INSERT INTO vessel_positions (mmsi, time, lon, lat, sog, cog, on_land)
         SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::float8[], ?::float8[], ?::float8[], ?::float8[], ?::boolean[])
         ON CONFLICT (mmsi, time) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS stored FROM ins`,
      [
        chunk.map((r) => r.mmsi),
        chunk.map((r) => r.time.toISOString()),
        chunk.map((r) => r.lon),
        chunk.map((r) => r.lat),
        nullable(chunk.map((r) => r.sog)),
        nullable(chunk.map((r) => r.cog)),
        chunk.map((r) => r.onLand),
      ],
    );
    stored += Number(rows[0].stored);
  }
  return stored;
}

// PostgreSQL's binary COPY format: signature, flags, header extension length; then per row the field count and each
// field as length + bytes (-1 for null); a field count of -1 ends the stream.
const COPY_SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const COPY_FIELDS = 7;
const COPY_ROW_BYTES = 2 + (4 + 9) + (4 + 8) + 4 * (4 + 8) + (4 + 1);
const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const TWO_32 = 2 ** 32;

/**
 * Reports as binary COPY rows, a buffer per few thousand: no number or date is formatted as text on this side or
 * parsed on the server's. A timestamptz is int64 microseconds since 2000-01-01 UTC, written as two 32-bit halves.
 */
function* copyRows(reports: readonly StoredReport[]): Generator<Buffer> {
  const header = Buffer.alloc(COPY_SIGNATURE.length + 8);
  COPY_SIGNATURE.copy(header);
  yield header;
  for (let start = 0; start < reports.length; start += COPY_ROWS_PER_WRITE) {
    const end = Math.min(reports.length, start + COPY_ROWS_PER_WRITE);
    const buffer = Buffer.allocUnsafe((end - start) * COPY_ROW_BYTES);
    let at = 0;
    const float = (value: number | null) => {
      if (value === null) {
        at = buffer.writeInt32BE(-1, at);
        return;
      }
      at = buffer.writeInt32BE(8, at);
      at = buffer.writeDoubleBE(value, at);
    };
    for (let i = start; i < end; i++) {
      const r = reports[i];
      at = buffer.writeInt16BE(COPY_FIELDS, at);
      // The validators let only 9-digit MMSIs through; the row size counts on it.
      if (r.mmsi.length !== 9) throw new RangeError(`MMSI ${r.mmsi} is not 9 digits`);
      at = buffer.writeInt32BE(9, at);
      at += buffer.write(r.mmsi, at, 9, 'latin1');
      const micros = (r.time.getTime() - PG_EPOCH_MS) * 1000;
      const high = Math.floor(micros / TWO_32);
      at = buffer.writeInt32BE(8, at);
      at = buffer.writeInt32BE(high, at);
      at = buffer.writeUInt32BE(micros - high * TWO_32, at);
      float(r.lon);
      float(r.lat);
      float(r.sog);
      float(r.cog);
      at = buffer.writeInt32BE(1, at);
      at = buffer.writeUInt8(r.onLand ? 1 : 0, at);
    }
    yield at === buffer.length ? buffer : buffer.subarray(0, at);
  }
  const trailer = Buffer.alloc(2);
  trailer.writeInt16BE(-1);
  yield trailer;
}

async function copyPositions(trx: Knex.Transaction, reports: readonly StoredReport[]): Promise<number> {
  // Temporary, so unlogged and private to the connection; kept for the connection's next batch, emptied after each.
  await trx.raw(
    `CREATE TEMP TABLE IF NOT EXISTS position_staging (mmsi text, time timestamptz, lon float8, lat float8, sog float8, cog float8, on_land boolean)`,
  );
  // A transaction runs on one connection; knex hands it out to every query of the transaction.
  const client = (await trx.client.acquireConnection()) as pg.Client;
  await pipeline(Readable.from(copyRows(reports)), client.query(copyFrom('COPY position_staging FROM STDIN (FORMAT binary)')));
  const { rows } = await trx.raw(MOVE_STAGED);
  await trx.raw('TRUNCATE position_staging');
  return Number(rows[0].stored);
}

const MEMBERS_ON_DAY = `m.valid_from <= ?::date AND (m.valid_to IS NULL OR m.valid_to >= ?::date)`;

/**
 * The vessel formations in force with a member among `mmsis` on `at`'s day (memberships run over calendar days in
 * China), locked for this transaction in code order so that concurrent batches queue instead of deadlocking, each
 * with every current member's latest report.
 */
export async function lockFormationsOfVessels(trx: Knex.Transaction, mmsis: readonly string[], at: Date): Promise<Map<string, MemberPosition[]>> {
  if (mmsis.length === 0) return new Map();
  const day = chinaDate(at);
  const { rows: locked } = await trx.raw(
    `SELECT g.code FROM grids g
     WHERE g.valid_to IS NULL AND g.kind = 'maritime' AND g.subkind = 'vessel_formation'
       AND EXISTS (SELECT 1 FROM formation_members m JOIN vessels v ON v.id = m.vessel_id
                   WHERE m.formation_code = g.code AND ${MEMBERS_ON_DAY} AND v.mmsi = ANY(?::text[]))
     ORDER BY g.code COLLATE "C" FOR UPDATE OF g`,
    [day, day, [...mmsis]],
  );
  const codes = (locked as Array<{ code: string }>).map((r) => r.code);
  const formations = new Map<string, MemberPosition[]>(codes.map((code) => [code, []]));
  if (codes.length === 0) return formations;
  const { rows } = await trx.raw(
    `SELECT m.formation_code AS code, v.mmsi, p.time, p.lon, p.lat
     FROM formation_members m JOIN vessels v ON v.id = m.vessel_id
     JOIN LATERAL (SELECT time, lon, lat FROM vessel_positions WHERE mmsi = v.mmsi ORDER BY time DESC LIMIT 1) p ON true
     WHERE m.formation_code = ANY(?::text[]) AND ${MEMBERS_ON_DAY}`,
    [codes, day, day],
  );
  for (const r of rows as Array<{ code: string; mmsi: string; time: Date | string; lon: number; lat: number }>) {
    formations.get(r.code)!.push({ mmsi: r.mmsi, lon: r.lon, lat: r.lat, time: new Date(r.time).getTime() });
  }
  return formations;
}

/**
 * Writes derived footprints onto the formations' versions in force (a derived footprint is not a filing: version,
 * validity and filing snapshot stay) with the time they were derived, and tells replicas through NOTIFY.
 */
export async function saveFormationFootprints(
  trx: Knex.Transaction,
  footprints: ReadonlyArray<{ code: string; geometry: Polygon }>,
  derivedAt: Date,
  batch: string,
): Promise<void> {
  if (footprints.length === 0) return;
  const codes = footprints.map((f) => f.code);
  await trx.raw(
    `UPDATE grids g SET geom = ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(f.geometry), 4326)), footprint_at = ?
     FROM unnest(?::text[], ?::text[]) AS f(code, geometry)
     WHERE g.code = f.code AND g.valid_to IS NULL`,
    [derivedAt.toISOString(), codes, footprints.map((f) => JSON.stringify(f.geometry))],
  );
  // The batch id only: NOTIFY payloads stop at 8000 bytes, and a replica refreshes its whole sea layer anyway.
  await trx.raw(`SELECT pg_notify('${FOOTPRINT_CHANNEL}', ?)`, [JSON.stringify({ batch })]);
}

/** Retention: deletes reports older than `olderThanDays`; returns how many. The synthetic demo tracks stay: they
 * are set at a fixed reference time so that the demo's alerts can be replayed with `?at=`. */
export async function pruneVesselPositions(knex: Knex, olderThanDays: number): Promise<number> {
  return knex('vessel_positions as p')
    .where('p.time', '<', new Date(Date.now() - olderThanDays * 86_400_000))
    .whereNotExists((q) => q.select(knex.raw('1')).from('vessels as v').whereRaw('v.mmsi = p.mmsi').where('v.synthetic', true))
    .delete();
}

/** Land polygons (islands) for the on-land flag. */
export async function landGeometries(knex: Knex): Promise<Array<Polygon | MultiPolygon>> {
  const rows = await knex('islands').select(knex.raw('ST_AsGeoJSON(geom)::json as geometry'));
  return rows.map((r: { geometry: Polygon | MultiPolygon }) => r.geometry);
}

/** Everything the alert rules look at, as it stood at `at`: formations, aquaculture zones, vessels with latest positions. */
export async function alertState(knex: Knex, at: Date): Promise<{ formations: FormationState[]; zones: ZoneState[]; vessels: Array<{ vessel: VesselRef; position: LatestPosition | null }> }> {
  const day = chinaDate(at);
  const { rows: latest } = await knex.raw(
    `SELECT v.id, v.mmsi, v.registered_name, p.time, p.lon, p.lat
     FROM vessels v LEFT JOIN LATERAL (
       SELECT time, lon, lat FROM vessel_positions WHERE mmsi = v.mmsi AND time <= ? ORDER BY time DESC LIMIT 1) p ON true
     ORDER BY v.id`,
    [at.toISOString()],
  );
  const vessels = (latest as Array<{ id: string | number; mmsi: string | null; registered_name: string; time: Date | null; lon: number | null; lat: number | null }>).map((r) => ({
    vessel: { id: String(r.id), mmsi: r.mmsi, registeredName: r.registered_name },
    position: r.time === null ? null : { lon: r.lon!, lat: r.lat!, time: new Date(r.time).getTime() },
  }));
  const byId = new Map(vessels.map((v) => [v.vessel.id, v]));
  const grids: Array<{ code: string; name: string; subkind: string; geometry: Polygon | MultiPolygon }> = await knex('grids')
    .select('code', 'name', 'subkind', knex.raw('ST_AsGeoJSON(geom)::json as geometry'))
    .where('kind', 'maritime')
    .whereIn('subkind', ['vessel_formation', 'aquaculture'])
    .where('valid_from', '<=', day)
    .where((q) => q.whereNull('valid_to').orWhere('valid_to', '>', day))
    .orderBy('code');
  const members: Array<{ formation_code: string; vessel_id: string | number }> = await knex('formation_members')
    .select('formation_code', 'vessel_id')
    .where('valid_from', '<=', day)
    .where((q) => q.whereNull('valid_to').orWhere('valid_to', '>=', day));
  const membersOf = (code: string) => members.filter((m) => m.formation_code === code).map((m) => String(m.vessel_id));
  return {
    formations: grids
      .filter((g) => g.subkind === 'vessel_formation')
      .map((g) => ({ code: g.code, name: g.name, members: membersOf(g.code).flatMap((id) => byId.get(id) ?? []) })),
    zones: grids.filter((g) => g.subkind === 'aquaculture').map((g) => ({ code: g.code, name: g.name, geometry: g.geometry, memberIds: new Set(membersOf(g.code)) })),
    vessels,
  };
}
