// Staff rosters of filed grids, changed without refiling the partition: read (at a date, or the whole history),
// replaced under If-Match, or imported from CSV for many grids at once. Each write is one transaction and audited;
// the registry and the notices read the roster in force, so a change shows at once, with no new grid version.
import type { Knex } from 'knex';
import { may, type Principal } from '../domain/access/roles.ts';
import { assignmentFaults, isDate, type Assignment } from '../domain/staff/roster.ts';
import { readRosterCsv, type RosterColumn, type RowFault } from '../domain/staff/csv.ts';
import { audit } from '../db/repositories/audit.ts';
import { chinaDate } from '../domain/filings/snapshot.ts';
import {
  gridsInForce,
  latestRosterStart,
  lockRosterVersion,
  replaceRoster,
  rosterHistory,
  rostersOn,
  rosterVersion,
  type CodedAssignment,
} from '../db/repositories/staff.ts';
import type { ReplaceRoster, StaffAssignment, StaffImportReport } from '../schemas/staff.ts';
import { ProblemError, notFound } from '../http/problem.ts';

export const rosterEtag = (code: string, version: string) => `"staff-${code}-${version}"`;

const today = () => chinaDate(new Date());

/** Assignments as the caller may see them: phones only for roles entitled to personal data of the grid. */
function shown(principal: Principal, code: string, staff: CodedAssignment[]): StaffAssignment[] {
  const phones = may(principal, 'personal:read', { divisionCode: code.slice(0, 12) });
  return staff.map(({ phone, ...rest }) => ({ ...rest, ...(phones && phone ? { phone } : {}) }));
}

async function registered(knex: Knex, code: string) {
  const grid = (await gridsInForce(knex, [code])).get(code);
  if (!grid) throw notFound('grid in force', code);
  return grid;
}

export async function readRoster(knex: Knex, principal: Principal, code: string, at: string | undefined) {
  await registered(knex, code);
  const date = at ?? today();
  const staff = (await rostersOn(knex, [code], date)).get(code) ?? [];
  return { roster: { gridCode: code, at: date, staff: shown(principal, code, staff) }, etag: rosterEtag(code, await rosterVersion(knex, code)) };
}

export async function readRosterHistory(knex: Knex, principal: Principal, code: string) {
  await registered(knex, code);
  return { gridCode: code, assignments: shown(principal, code, await rosterHistory(knex, code)) };
}

const forbidden = (principal: Principal, code: string) =>
  new ProblemError(403, 'forbidden', 'Forbidden', `${principal.role} (${principal.scopePrefix || 'all'}) may not change the staff of ${code}`);

function checkIfMatch(ifMatch: string | undefined, code: string, version: string): void {
  const etag = rosterEtag(code, version);
  if (!ifMatch) {
    throw new ProblemError(428, 'precondition-required', 'If-Match required', `send If-Match: ${etag} (from GET /v1/grids/${code}/staff)`, [{ pointer: 'If-Match', message: 'missing' }]);
  }
  if (ifMatch.trim() !== etag) {
    throw new ProblemError(412, 'stale-version', 'Precondition failed', `the staff of ${code} changed since you read them; reload and retry`, [{ pointer: 'If-Match', message: 'stale' }]);
  }
}

/** Replaces a grid's roster from `body.validFrom` (default today) on. */
export async function replaceGridRoster(knex: Knex, principal: Principal, code: string, ifMatch: string | undefined, body: ReplaceRoster) {
  const grid = await registered(knex, code);
  if (!may(principal, 'staff:edit', { divisionCode: grid.divisionCode, maritime: grid.kind === 'maritime' })) throw forbidden(principal, code);
  const validFrom = body.validFrom ?? today();
  if (!isDate(validFrom)) throw new ProblemError(422, 'invalid-staff', 'Invalid staff', `validFrom: ${validFrom} is not a date`, [{ pointer: '/validFrom', message: 'no such date' }]);
  const members: Assignment[] = body.staff.map((s) => ({ role: s.role, name: s.name, phone: s.phone ?? null, validFrom, validTo: s.validTo ?? null }));
  const located = members.flatMap((m, i) => assignmentFaults(m).map((f) => ({ pointer: f.field === 'validFrom' ? '/validFrom' : `/staff/${i}/${f.field}`, message: f.message })));
  const faults = [...new Map(located.map((f) => [f.pointer, f])).values()];
  if (faults.length) throw new ProblemError(422, 'invalid-staff', 'Invalid staff', faults.map((f) => `${f.pointer}: ${f.message}`).join('; '), faults);

  await knex.transaction(async (trx) => {
    checkIfMatch(ifMatch, code, await lockRosterVersion(trx, code));
    // A change may not start before the roster's latest change that has begun: history before it stays as it was.
    const floor = await latestRosterStart(trx, code, today());
    if (floor !== null && validFrom < floor) {
      throw new ProblemError(422, 'invalid-staff', 'Invalid staff', `the roster of ${code} last changed on ${floor}; a change cannot take effect before that`, [
        { pointer: '/validFrom', message: `not before ${floor}` },
      ]);
    }
    const change = await replaceRoster(trx, code, validFrom, members);
    await audit(trx, { actor: principal.name, action: 'staff.replace', entity: 'grid_staff', entityId: code, before: change.closed, after: change.opened });
  });
  return readRoster(knex, principal, code, undefined);
}

/** A refusal naming each bad row and column of an import. */
function rowProblem(status: 403 | 422, faults: RowFault[]): ProblemError {
  const errors = faults
    .sort((a, b) => a.row - b.row)
    .map((f) => ({ pointer: f.column ? `/rows/${f.row}/${f.column}` : `/rows/${f.row}`, message: `row ${f.row}${f.column ? `, column ${f.column}` : ''}: ${f.message}` }));
  const detail = `${faults.length} fault(s), nothing imported: ${errors.slice(0, 5).map((e) => e.message).join('; ')}${errors.length > 5 ? '; …' : ''}`;
  return status === 403
    ? new ProblemError(403, 'forbidden', 'Forbidden', detail, errors)
    : new ProblemError(422, 'invalid-rows', 'Invalid rows', detail, errors);
}

/**
 * Imports rosters from CSV (code, role, name, phone, from, to): for every grid the file names, the roster from the
 * earliest `from` the file gives it is what the file lists. All or nothing: one bad row and nothing is written.
 */
export async function importRosters(knex: Knex, principal: Principal, csv: string): Promise<StaffImportReport> {
  const { rows, faults } = readRosterCsv(csv, today());
  const byGrid = new Map<string, typeof rows>();
  for (const row of rows) byGrid.set(row.gridCode, [...(byGrid.get(row.gridCode) ?? []), row]);
  const grids = await gridsInForce(knex, [...byGrid.keys()]);
  const refused: RowFault[] = [];
  const fault = (list: RowFault[], row: number, column: RosterColumn, message: string) => list.push({ row, column, message });
  for (const [code, list] of byGrid) {
    const grid = grids.get(code);
    if (!grid) for (const r of list) fault(faults, r.row, 'code', `no grid ${code} in force`);
    else if (!may(principal, 'staff:edit', { divisionCode: grid.divisionCode, maritime: grid.kind === 'maritime' })) {
      for (const r of list) fault(refused, r.row, 'code', `${principal.role} (${principal.scopePrefix || 'all'}) may not change the staff of ${code}`);
    }
  }
  if (faults.length) throw rowProblem(422, faults);
  if (refused.length) throw rowProblem(403, refused);

  await knex.transaction(async (trx) => {
    const late: RowFault[] = [];
    const changes: Array<{ code: string; from: string; list: typeof rows }> = [];
    for (const [code, list] of byGrid) {
      await lockRosterVersion(trx, code);
      const first = list.reduce((a, b) => (b.validFrom < a.validFrom ? b : a));
      const floor = await latestRosterStart(trx, code, today());
      if (floor !== null && first.validFrom < floor) fault(late, first.row, 'from', `the roster of ${code} last changed on ${floor}; a change cannot take effect before that`);
      changes.push({ code, from: first.validFrom, list });
    }
    if (late.length) throw rowProblem(422, late);
    for (const { code, from, list } of changes) {
      const change = await replaceRoster(trx, code, from, list.map(({ role, name, phone, validFrom, validTo }) => ({ role, name, phone, validFrom, validTo })));
      await audit(trx, { actor: principal.name, action: 'staff.import', entity: 'grid_staff', entityId: code, before: change.closed, after: change.opened });
    }
  });
  return {
    grids: byGrid.size,
    assignments: rows.length,
    rows: rows.map((r) => ({ row: r.row, gridCode: r.gridCode, role: r.role, name: r.name, validFrom: r.validFrom, status: 'imported' as const })),
  };
}
