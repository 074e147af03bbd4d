// Filing (备案): in one transaction an approved partition becomes the filed one. Previous versions are closed,
// codes are kept (continuity), retired or allocated, lineage is recorded, and a hash-chained filing record is written.
import type { Knex } from 'knex';
import type { MultiPolygon, Polygon } from 'geojson';
import { allocateGridCodes, type CodeProfile } from '../../domain/codes/index.ts';
import { matchPredecessors, type PredecessorMatch } from '../../domain/codes/continuity.ts';
import { snapshotHash } from '../../domain/filings/chain.ts';
import { chinaDate, filingSnapshot, type FilingSnapshot, type SnapshotGrid } from '../../domain/filings/snapshot.ts';
import { brokenLink, chainVerdict, servedDivergence, unrecordedVersion, type ChainFiling, type FiledGridVersion, type Located } from '../../domain/filings/evidence.ts';
import { significantDigits } from '../../domain/codes/division.ts';
import type { GridKind, StaffMember } from '../../schemas/resources.ts';
import type { ChainHead, ChainVerdict, PublishedHead } from '../../schemas/plans.ts';
import type { GridAttributes } from '../../domain/grids/attributes.ts';
import * as turf from '@turf/turf';
import { sameRoster } from '../../domain/staff/roster.ts';
import { replaceRoster, rostersOn, type CodedAssignment } from './staff.ts';

/** A grid as a filing records it: its attributes plus who manages and staffs it. */
export interface FilingGrid extends GridAttributes {
  managingUnits: Array<{ name: string; role: 'territorial' | 'business' }>;
  /** The roster from the filing date on (see keepRoster); staff are versioned apart from the grid's geometry. */
  staff: StaffMember[];
  /** True when the grid keeps its code and its registered roster stands (a plan that did not edit the staff). */
  keepRoster?: boolean;
  synthetic?: boolean;
}

/** Matches the new grids against the old ones (matchPredecessors, in-process or on another thread). */
export type ContinuityMatcher = (...args: Parameters<typeof matchPredecessors>) => PredecessorMatch | Promise<PredecessorMatch>;

export interface FilingRequest {
  townshipCode: string;
  /** A land filing replaces the township's land grids; a maritime one its sea grids. */
  scope: 'land' | 'maritime';
  grids: FilingGrid[];
  /** Defaults to the moment the filing lock is held, so filing times follow the chain's order. */
  filedAt?: Date;
  approvedBy: string | null;
  filedBy: string;
  trigger: string;
  planId: string | null;
  profile: CodeProfile;
  continuityThreshold: number;
  /** How codes are carried over; matchPredecessors in this thread when not given. */
  continuity?: ContinuityMatcher;
  /** When set, the filing is refused unless this is still the township's latest filing of the scope. */
  basedOn?: string | null;
}

export interface FilingRecord {
  number: string;
  planId: string | null;
  townshipCode: string;
  filedAt: string;
  approvedBy: string | null;
  filedBy: string;
  trigger: string;
  snapshotSha256: string;
  previousSha256: string | null;
  codes: { kept: string[]; allocated: string[]; retired: string[] };
  /** The chain head this filing made. */
  head: ChainHead;
  /** Grids whose staff roster the filing replaced (the plan's staff differ from the registered ones). */
  rosters: Array<{ code: string; closed: CodedAssignment[]; opened: CodedAssignment[] }>;
}

// One lock for the whole chain: filings are rare, and the chain needs a total order.
const FILING_LOCK = 7_345_001;

/** Someone filed the township (scope) after the plan was drafted: filing it would silently undo that filing. */
export class PartitionChanged extends Error {
  readonly type = 'partition-changed';
  readonly status = 409;
  constructor(townshipCode: string, basedOn: string | null, latest: string | null) {
    super(
      `${townshipCode} was filed as ${latest} after this plan was drafted against ${basedOn ?? 'no filing'}; ` +
        'start a new plan from the filed partition (its edits would otherwise undo that filing)',
    );
  }
}

export async function latestFilingNumber(knex: Knex, townshipCode: string, scope: FilingRequest['scope']): Promise<string | null> {
  const row = await knex('filings').select('number').where({ township_code: townshipCode, scope }).orderBy('chain_seq', 'desc').first();
  return row?.number ?? null;
}

function scopeFilter(scope: FilingRequest['scope']) {
  return (q: Knex.QueryBuilder) => (scope === 'maritime' ? q.where('kind', 'maritime') : q.whereNot('kind', 'maritime'));
}

type DatedRequest = FilingRequest & { filedAt: Date };

export async function filePartition(trx: Knex.Transaction, input: FilingRequest): Promise<FilingRecord> {
  await trx.raw('SELECT pg_advisory_xact_lock(?)', [FILING_LOCK]);
  const request: DatedRequest = { ...input, filedAt: input.filedAt ?? new Date() };
  if (request.basedOn !== undefined) {
    const latest = await latestFilingNumber(trx, request.townshipCode, request.scope);
    if (latest !== request.basedOn) throw new PartitionChanged(request.townshipCode, request.basedOn, latest);
  }
  const validFrom = chinaDate(request.filedAt);
  const prefix = request.townshipCode.slice(0, significantDigits(request.townshipCode));

  const old: Array<{ id: string; code: string; version: number; geometry: Polygon | MultiPolygon }> = await trx('grids')
    .select('id', 'code', 'version', trx.raw('ST_AsGeoJSON(geom)::json as geometry'))
    .whereNull('valid_to')
    .where('division_code', 'like', `${prefix}%`)
    .where(scopeFilter(request.scope));
  const match = await (request.continuity ?? matchPredecessors)(old, request.grids, request.continuityThreshold);
  const keptCode = new Map(match.kept.map((k) => [k.index, k.code]));

  const codes = await allocateMissingCodes(trx, request, keptCode);
  const keptOld = new Set(keptCode.values());
  const retired = old.filter((g) => !keptOld.has(g.code)).map((g) => g.code);

  const number = await nextFilingNumber(trx, request.filedAt);
  // Each closed version names the filing that closed it: verify rebuilds from it what was in force after each filing.
  const closing = { valid_to: validFrom, closed_by: number };
  for (const [index, grid] of request.grids.entries()) {
    const code = codes[index];
    const predecessor = old.find((g) => g.code === code);
    if (predecessor && (await unchanged(trx, predecessor.id, grid))) continue;
    if (predecessor) await trx('grids').where({ id: predecessor.id }).update(closing);
    await insertGridVersion(trx, grid, code, (predecessor?.version ?? 0) + 1, validFrom);
  }
  if (retired.length) {
    await trx('grids').whereIn('code', retired).whereNull('valid_to').update(closing);
    await trx('grid_codes').whereIn('code', retired).update({ status: 'retired', retired_at: request.filedAt });
  }
  const rosters = await fileRosters(trx, request, codes, keptCode, retired, validFrom);

  for (const l of match.lineage) {
    if (l.kind === 'new' || l.kind === 'retired') continue;
    for (const from of l.from) {
      for (const to of l.to) {
        await trx('grid_lineage').insert({ from_code: from, to_code: codes[to], relation: l.kind, filing_number: number, on_date: validFrom });
      }
    }
  }
  await trx('grids').whereNull('filing_number').where('valid_from', validFrom).where('division_code', 'like', `${prefix}%`).update({ filing_number: number });

  const snapshot = await partitionSnapshot(trx, prefix, number, request);
  const previous = await trx('filings').select('snapshot_sha256', 'chain_seq').orderBy('chain_seq', 'desc').first();
  const previousSha256: string | null = previous?.snapshot_sha256 ?? null;
  const snapshotSha256 = snapshotHash(snapshot, previousSha256);
  const chainSeq = Number(previous?.chain_seq ?? 0) + 1;
  await trx('filings').insert({
    number,
    chain_seq: chainSeq,
    plan_id: request.planId,
    township_code: request.townshipCode,
    scope: request.scope,
    filed_at: request.filedAt,
    approved_by: request.approvedBy,
    filed_by: request.filedBy,
    trigger: request.trigger,
    snapshot: JSON.stringify(snapshot),
    snapshot_sha256: snapshotSha256,
    previous_sha256: previousSha256,
  });
  await trx.raw(`SELECT pg_notify('wangge_filing', ?)`, [JSON.stringify({ number, townshipCode: request.townshipCode })]);

  const allocated = codes.filter((_, i) => !keptCode.has(i));
  return {
    number,
    planId: request.planId,
    townshipCode: request.townshipCode,
    filedAt: request.filedAt.toISOString(),
    approvedBy: request.approvedBy,
    filedBy: request.filedBy,
    trigger: request.trigger,
    snapshotSha256,
    previousSha256,
    codes: { kept: [...keptCode.values()], allocated, retired },
    head: { number, chainSeq, sha256: snapshotSha256, filedAt: request.filedAt.toISOString() },
    rosters,
  };
}

/**
 * Staff are not part of a grid version: a filed grid's roster is replaced from the filing date when the plan's staff
 * differ from the registered ones (unless the grid keeps its code and its roster, see keepRoster); retired grids'
 * rosters end on that date.
 */
async function fileRosters(trx: Knex.Transaction, request: DatedRequest, codes: string[], kept: Map<number, string>, retired: string[], validFrom: string) {
  const current = await rostersOn(trx, [...codes, ...retired], validFrom);
  const changes: FilingRecord['rosters'] = [];
  const replace = async (code: string, staff: StaffMember[]) => {
    if (sameRoster(current.get(code) ?? [], staff)) return;
    const members = staff.map((s) => ({ role: s.role, name: s.name, phone: s.phone ?? null, validFrom, validTo: null }));
    changes.push({ code, ...(await replaceRoster(trx, code, validFrom, members)) });
  };
  for (const [index, grid] of request.grids.entries()) {
    if (!(kept.has(index) && grid.keepRoster)) await replace(codes[index], grid.staff);
  }
  for (const code of retired) await replace(code, []);
  return changes;
}

async function allocateMissingCodes(trx: Knex.Transaction, request: DatedRequest, kept: Map<number, string>): Promise<string[]> {
  const codes: string[] = request.grids.map((_, i) => kept.get(i) ?? '');
  const groups = new Map<string, number[]>();
  request.grids.forEach((g, i) => {
    if (kept.has(i)) return;
    const key = `${g.divisionCode}|${g.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  });
  for (const [key, indexes] of groups) {
    const [divisionCode, kind] = key.split('|') as [string, GridKind];
    const taken = new Set<string>((await trx('grid_codes').select('code').where('code', 'like', `${divisionCode}%`)).map((r: { code: string }) => r.code));
    const fresh = allocateGridCodes({
      profile: request.profile,
      divisionCode,
      kind,
      grids: indexes.map((i) => ({ centroid: turf.centroid(request.grids[i].geometry).geometry.coordinates })),
      taken,
    });
    indexes.forEach((gridIndex, k) => (codes[gridIndex] = fresh[k]));
    await trx('grid_codes').insert(fresh.map((code) => ({ code, division_code: divisionCode, kind, allocated_at: request.filedAt })));
  }
  return codes;
}

/** Whether the grid version in force already says what the plan files: then it stays, with no new version. Every
 * attribute a version holds counts (managing units too); staff do not, they are filed by fileRosters. */
async function unchanged(trx: Knex.Transaction, id: string, grid: FilingGrid): Promise<boolean> {
  const row = await trx('grids')
    .select(
      'name', 'subkind', 'households', 'population', 'parent_code',
      trx.raw('ST_Equals(geom, ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))) as same', [JSON.stringify(grid.geometry)]),
      trx.raw('managing_units = ?::jsonb as same_units', [JSON.stringify(grid.managingUnits)]),
    )
    .where({ id })
    .first();
  return (
    row.same &&
    row.same_units &&
    row.name === grid.name &&
    row.subkind === grid.subkind &&
    row.parent_code === grid.parentCode &&
    (grid.households === null || row.households === grid.households)
  );
}

async function insertGridVersion(trx: Knex.Transaction, grid: FilingGrid, code: string, version: number, validFrom: string): Promise<void> {
  const geometry = JSON.stringify(grid.geometry);
  await trx('grids')
    .insert({
      code,
      version,
      name: grid.name,
      kind: grid.kind,
      subkind: grid.subkind,
      division_code: grid.divisionCode,
      parent_code: grid.parentCode,
      households: grid.households ?? trx.raw(`(SELECT coalesce(sum(households), 0) FROM household_counts WHERE ST_Covers(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326), geom))`, [geometry]),
      population: grid.population ?? 0,
      managing_units: JSON.stringify(grid.managingUnits),
      status: 'filed',
      valid_from: validFrom,
      synthetic: grid.synthetic ?? false,
      geom: trx.raw('ST_Multi(ST_SetSRID(ST_GeomFromGeoJSON(?), 4326))', [geometry]),
    });
}

async function nextFilingNumber(trx: Knex.Transaction, filedAt: Date): Promise<string> {
  const year = chinaDate(filedAt).slice(0, 4);
  const [{ count }] = await trx('filings').where('number', 'like', `BA${year}-%`).count<{ count: string }[]>({ count: '*' });
  return `BA${year}-${String(Number(count) + 1).padStart(5, '0')}`;
}

/** The content a filing's hash covers: the record's facts and the partition in force after it. */
async function partitionSnapshot(trx: Knex.Transaction, prefix: string, number: string, request: DatedRequest): Promise<FilingSnapshot> {
  const grids: SnapshotGrid[] = await trx('grids')
    .select(SNAPSHOT_COLUMNS(trx))
    .whereNull('valid_to')
    .where('division_code', 'like', `${prefix}%`)
    .where(scopeFilter(request.scope));
  const { townshipCode, scope, approvedBy, filedBy, trigger } = request;
  return filingSnapshot({ number, townshipCode, scope, filedAt: request.filedAt.toISOString(), approvedBy, filedBy, trigger }, grids);
}

/** A grid version's columns as a snapshot records them, geometry at 7 decimals (about 1 cm). */
const SNAPSHOT_COLUMNS = (knex: Knex) => [
  'code', 'version', 'name', 'kind', 'subkind', 'division_code as divisionCode', 'parent_code as parentCode', 'households', 'population',
  knex.raw('ST_AsGeoJSON(geom, 7)::json as geometry'),
];

export async function listFilings(knex: Knex, filter: { townshipPrefix?: string; limit: number; offset: number }) {
  const query = knex('filings')
    .select('number', 'plan_id', 'township_code', 'filed_at', 'approved_by', 'filed_by', 'trigger', 'snapshot_sha256', 'previous_sha256')
    .orderBy('chain_seq');
  if (filter.townshipPrefix) query.where('township_code', 'like', `${filter.townshipPrefix}%`);
  const rows = await query.limit(filter.limit).offset(filter.offset);
  return rows.map((r) => ({
    number: r.number,
    planId: r.plan_id === null ? null : String(r.plan_id),
    townshipCode: r.township_code,
    filedAt: new Date(r.filed_at).toISOString(),
    approvedBy: r.approved_by,
    filedBy: r.filed_by,
    trigger: r.trigger,
    snapshotSha256: r.snapshot_sha256,
    previousSha256: r.previous_sha256,
  }));
}

/** Every filing in chain order, as stored. */
async function chainFilings(knex: Knex): Promise<ChainFiling[]> {
  const rows = await knex('filings')
    .select('number', 'chain_seq', 'township_code', 'scope', 'filed_at', 'approved_by', 'filed_by', 'trigger', 'snapshot', 'snapshot_sha256', 'previous_sha256')
    .orderBy('chain_seq');
  return rows.map((r) => ({
    number: r.number,
    chainSeq: Number(r.chain_seq),
    townshipCode: r.township_code,
    scope: r.scope,
    filedAt: new Date(r.filed_at).toISOString(),
    approvedBy: r.approved_by,
    filedBy: r.filed_by,
    trigger: r.trigger,
    snapshot: r.snapshot,
    snapshotSha256: r.snapshot_sha256,
    previousSha256: r.previous_sha256,
  }));
}

export async function filingChainHead(knex: Knex): Promise<ChainHead | null> {
  const row = await knex('filings').select('number', 'chain_seq', 'snapshot_sha256', 'filed_at').orderBy('chain_seq', 'desc').first();
  return row ? { number: row.number, chainSeq: Number(row.chain_seq), sha256: row.snapshot_sha256, filedAt: new Date(row.filed_at).toISOString() } : null;
}

/**
 * Verifies the chain against what the registry serves: the stored links, then per township and scope (one read of
 * the grid versions its filings created) each filing's hash recomputed from the rows, then versions no filing
 * accounts for, then the published head if one is given.
 */
export async function verifyFilingChain(knex: Knex, published?: PublishedHead): Promise<ChainVerdict> {
  // One snapshot of the database for all reads: a filing landing in between would show as grid rows of an unknown filing.
  return knex.transaction((trx) => verifyWithin(trx, published), { isolationLevel: 'repeatable read' });
}

async function verifyWithin(knex: Knex.Transaction, published?: PublishedHead): Promise<ChainVerdict> {
  const filings = await chainFilings(knex);
  const chainNumbers = new Set(filings.map((f) => f.number));
  const groups = new Map<string, ChainFiling[]>();
  for (const f of filings) {
    const key = `${f.townshipCode}|${f.scope}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const located: Array<Located | null> = [brokenLink(filings)];
  for (const group of groups.values()) {
    const rows = await knex('grids')
      .select(SNAPSHOT_COLUMNS(knex))
      .select('filing_number', 'closed_by', 'valid_from', 'valid_to', 'footprint_at')
      .whereIn('filing_number', group.map((f) => f.number));
    const versions: FiledGridVersion[] = rows.map((r) => ({
      ...r,
      filingNumber: r.filing_number,
      closedBy: r.closed_by,
      validFrom: r.valid_from,
      validTo: r.valid_to,
      footprintAt: r.footprint_at === null ? null : new Date(r.footprint_at).toISOString(),
    }));
    located.push(servedDivergence(group, versions, chainNumbers));
  }
  const unrecorded = await knex('grids')
    .select('code', 'version', 'filing_number as filingNumber', 'closed_by as closedBy')
    .whereNull('filing_number')
    .orWhereNotIn('filing_number', knex('filings').select('number'))
    .orWhere((q) => q.whereNotNull('closed_by').whereNotIn('closed_by', knex('filings').select('number')));
  return chainVerdict(filings, located, unrecordedVersion(unrecorded, chainNumbers), published);
}
