// Grid staff rosters: assignments per grid code over [valid_from, valid_to), kept apart from geometry versions so a
// staff change needs no refiling. Replacing a roster closes what is open and opens the new one; nothing is deleted.
import type { Knex } from 'knex';
import { byRole, type Assignment } from '../../domain/staff/roster.ts';

interface AssignmentRow {
  grid_code: string;
  role: Assignment['role'];
  name: string;
  phone: string | null;
  valid_from: string;
  valid_to: string | null;
}

export type CodedAssignment = Assignment & { gridCode: string };

const COLUMNS = ['grid_code', 'role', 'name', 'phone', 'valid_from', 'valid_to'];

const toAssignment = (r: AssignmentRow): CodedAssignment => ({
  gridCode: r.grid_code,
  role: r.role,
  name: r.name,
  phone: r.phone,
  validFrom: r.valid_from,
  validTo: r.valid_to,
});

/** The rosters of `codes` in force on `date`, leader first, by grid code. */
export async function rostersOn(knex: Knex, codes: string[], date: string): Promise<Map<string, CodedAssignment[]>> {
  const byCode = new Map<string, CodedAssignment[]>();
  if (!codes.length) return byCode;
  const rows: AssignmentRow[] = await knex('grid_staff')
    .select(COLUMNS)
    .whereIn('grid_code', codes)
    .where('valid_from', '<=', date)
    .andWhere((q) => q.whereNull('valid_to').orWhere('valid_to', '>', date))
    .orderBy('id');
  for (const row of rows) {
    const list = byCode.get(row.grid_code) ?? [];
    list.push(toAssignment(row));
    byCode.set(row.grid_code, list);
  }
  for (const list of byCode.values()) list.sort(byRole);
  return byCode;
}

/** Every assignment of a grid ever recorded, oldest first. */
export async function rosterHistory(knex: Knex, code: string): Promise<CodedAssignment[]> {
  const rows: AssignmentRow[] = await knex('grid_staff').select(COLUMNS).where('grid_code', code).orderBy([{ column: 'valid_from' }, { column: 'id' }]);
  return rows.map(toAssignment);
}

const lockRoster = (trx: Knex.Transaction, code: string) => trx('grid_codes').select('code').where({ code }).forUpdate();

/**
 * A token that changes with every write to the grid's roster (for ETags). Taken under a row lock on the grid's code,
 * so two writers of the same roster queue instead of both passing the If-Match check.
 */
export async function lockRosterVersion(trx: Knex.Transaction, code: string): Promise<string> {
  await lockRoster(trx, code);
  return rosterVersion(trx, code);
}

export async function rosterVersion(knex: Knex, code: string): Promise<string> {
  const result = await knex.raw(
    `SELECT md5(coalesce(string_agg(id::text || ':' || coalesce(valid_to::text, '-'), ',' ORDER BY id), '')) AS version FROM grid_staff WHERE grid_code = ?`,
    [code],
  );
  return result.rows[0].version.slice(0, 16);
}

/** The latest first day of an assignment of the grid that has begun by `today`: a change may not start before it. */
export async function latestRosterStart(knex: Knex, code: string, today: string): Promise<string | null> {
  const row = await knex('grid_staff').max({ start: 'valid_from' }).where('grid_code', code).where('valid_from', '<=', today).first();
  return row?.start ?? null;
}

/**
 * The grid's roster from `from` on becomes `members`: assignments open on or after `from` end there (one that had
 * not begun yet ends on its first day, so it never takes effect but stays on record), and `members` are opened.
 */
export async function replaceRoster(trx: Knex.Transaction, code: string, from: string, members: Assignment[]): Promise<{ closed: CodedAssignment[]; opened: CodedAssignment[] }> {
  // Every writer of a roster holds its lock (filings too), so an If-Match check cannot miss a concurrent change.
  await lockRoster(trx, code);
  const open = (q: Knex.QueryBuilder) => q.where('grid_code', code).andWhere((w) => w.whereNull('valid_to').orWhere('valid_to', '>', from));
  const closed: AssignmentRow[] = await open(trx('grid_staff')).select(COLUMNS).orderBy('id');
  await open(trx('grid_staff')).update({ valid_to: trx.raw('greatest(valid_from, ?::date)', [from]) });
  if (members.length) {
    await trx('grid_staff').insert(
      members.map((m) => ({ grid_code: code, role: m.role, name: m.name, phone: m.phone, valid_from: m.validFrom, valid_to: m.validTo })),
    );
  }
  return { closed: closed.map(toAssignment), opened: members.map((m) => ({ ...m, gridCode: code })) };
}

/** The division and kind of the grids among `codes` that are in force now (a roster belongs to a grid in force). */
export async function gridsInForce(knex: Knex, codes: string[]): Promise<Map<string, { divisionCode: string; kind: string }>> {
  const rows: Array<{ code: string; division_code: string; kind: string }> = codes.length
    ? await knex('grids').select('code', 'division_code', 'kind').whereIn('code', codes).whereNull('valid_to')
    : [];
  return new Map(rows.map((r) => [r.code, { divisionCode: r.division_code, kind: r.kind }]));
}
