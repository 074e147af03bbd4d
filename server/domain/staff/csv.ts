// Staff rosters from CSV: columns code, role, name, phone, from, to (any order; Chinese headers too), one person's
// assignment per row. Every fault names its row (line of the file, the header being line 1) and its column.
import { parse } from 'csv-parse/sync';
import { assignmentFaults, parseRole, type Assignment } from './roster.ts';

export const ROSTER_COLUMNS = ['code', 'role', 'name', 'phone', 'from', 'to'] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

const HEADER_ALIASES: Record<string, RosterColumn> = {
  code: 'code', grid_code: 'code', 网格编码: 'code', 编码: 'code',
  role: 'role', 职务: 'role', 角色: 'role',
  name: 'name', 姓名: 'name',
  phone: 'phone', 电话: 'phone', 联系电话: 'phone',
  from: 'from', valid_from: 'from', 起始日期: 'from', 开始日期: 'from',
  to: 'to', valid_to: 'to', 截止日期: 'to', 结束日期: 'to',
};

const GRID_CODE = /^[0-9]{15}([0-9]{2})?$/;

/** Rows past this are refused: a city's roster is a few thousand people. */
export const MAX_ROSTER_ROWS = 50_000;

export interface RosterRow extends Assignment {
  row: number;
  gridCode: string;
}

export interface RowFault {
  row: number;
  column: RosterColumn | null;
  message: string;
}

const FIELD_COLUMN = { role: 'role', name: 'name', phone: 'phone', validFrom: 'from', validTo: 'to' } as const;

/**
 * The assignments a roster CSV lists, or the faults of its rows. A blank `from` means `today`, a blank `to` an
 * open assignment, a blank phone none.
 * @example readRosterCsv('code,role,name,phone,from,to\n330903001001002,网格长,王芳,13800000000,2024-06-01,', '2024-07-01').rows[0].role // 'leader'
 */
export function readRosterCsv(text: string, today: string): { rows: RosterRow[]; faults: RowFault[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With info: true each record comes with its line numbers (csv-parse's types do not follow that option).
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true, trim: true, info: true }) as unknown as typeof records;
  } catch (error) {
    return { rows: [], faults: [{ row: 1, column: null, message: `the CSV cannot be read: ${(error as Error).message}` }] };
  }
  if (!records.length) return { rows: [], faults: [{ row: 1, column: null, message: `empty file: a header naming ${ROSTER_COLUMNS.join(', ')} and a row per person` }] };
  const [header, ...body] = records;
  const index = new Map<RosterColumn, number>();
  header.record.forEach((name, i) => {
    const column = HEADER_ALIASES[name.toLowerCase()];
    if (column && !index.has(column)) index.set(column, i);
  });
  const missing = ROSTER_COLUMNS.filter((c) => c !== 'phone' && c !== 'to' && !index.has(c));
  if (missing.length) return { rows: [], faults: missing.map((column) => ({ row: header.info.lines, column, message: `no "${column}" column in the header` })) };
  if (body.length > MAX_ROSTER_ROWS) return { rows: [], faults: [{ row: 1, column: null, message: `${body.length} rows; at most ${MAX_ROSTER_ROWS} per file` }] };

  const rows: RosterRow[] = [];
  const faults: RowFault[] = [];
  const seen = new Map<string, number>();
  for (const { record, info } of body) {
    const row = info.lines;
    const cell = (column: RosterColumn) => {
      const i = index.get(column);
      return i === undefined ? '' : (record[i] ?? '');
    };
    const fault = (column: RosterColumn, message: string) => faults.push({ row, column, message });
    const gridCode = cell('code');
    if (!GRID_CODE.test(gridCode)) fault('code', `"${gridCode}" is not a grid code (15 digits; micro-grid 17)`);
    const role = parseRole(cell('role'));
    const assignment = {
      role: role ?? cell('role'),
      name: cell('name'),
      phone: cell('phone') || null,
      validFrom: cell('from') || today,
      validTo: cell('to') || null,
    };
    const before = faults.length;
    for (const f of assignmentFaults(assignment)) fault(FIELD_COLUMN[f.field], f.message);
    const key = JSON.stringify([gridCode, assignment.role, assignment.name, assignment.validFrom]);
    if (seen.has(key)) fault('name', `${assignment.name} is listed for this grid, role and date already on row ${seen.get(key)}`);
    seen.set(key, row);
    if (faults.length === before && role) rows.push({ ...assignment, role, row, gridCode });
  }
  return { rows, faults };
}
