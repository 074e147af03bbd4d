// The grid staff roster (网格力量): roles of the regulations, what a valid assignment is, and the roster in force.
// Pure: the schemas, the repository and the CSV import all take their vocabulary and checks from here.

/** 网格长, 专职网格员, 兼职网格员, 网格指导员, 微网格联络员 — in the order a notice lists them. */
export const STAFF_ROLES = ['leader', 'full_time', 'part_time', 'instructor', 'micro_liaison'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const ROLE_NAMES: Record<StaffRole, { zh: string; en: string }> = {
  leader: { zh: '网格长', en: 'Grid leader' },
  full_time: { zh: '专职网格员', en: 'Full-time grid worker' },
  part_time: { zh: '兼职网格员', en: 'Part-time grid worker' },
  instructor: { zh: '网格指导员', en: 'Grid instructor' },
  micro_liaison: { zh: '微网格联络员', en: 'Micro-grid liaison' },
};

/** Roles that count as grid workers (网格员) for the staffing rules. */
export const WORKER_ROLES: readonly StaffRole[] = ['full_time', 'part_time'];

// Accepted spellings of each role in imported files: the API name, the Chinese name, the English label, in any case
// and with spaces, hyphens or underscores alike ("Full-time grid worker", "full time", "FULL_TIME").
const normalise = (text: string) => text.trim().toLowerCase().replace(/[\s_-]+/g, '_');
const ROLE_ALIASES = new Map<string, StaffRole>(
  STAFF_ROLES.flatMap((role) => [role, ROLE_NAMES[role].zh, ROLE_NAMES[role].en].map((alias): [string, StaffRole] => [normalise(alias), role])),
);

/** The role a file names, in Chinese or English. @example parseRole('专职网格员') // 'full_time' */
export function parseRole(text: string): StaffRole | null {
  return ROLE_ALIASES.get(normalise(text)) ?? null;
}

/** A person's name: 1–64 characters, no control characters (NUL included), not blank. */
export const STAFF_NAME_PATTERN = '^(?=.*\\S)[^\\u0000-\\u001F\\u007F]{1,64}$';
/**
 * A contact number as notices print it: a mainland mobile (1 + 10 digits) or a landline with its area code
 * (0580-2000002, extension allowed), optionally with +86.
 */
export const PHONE_PATTERN = '^(\\+86[ -]?)?(1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-?[0-9]{7,8}(-[0-9]{1,6})?)$';

const NAME = new RegExp(STAFF_NAME_PATTERN, 'u');
const PHONE = new RegExp(PHONE_PATTERN, 'u');
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export const isStaffName = (name: string) => NAME.test(name);
export const isPhone = (phone: string) => PHONE.test(phone);
export function isDate(text: string): boolean {
  const m = DATE.exec(text);
  return m !== null && new Date(Date.UTC(+m[1], +m[2] - 1, +m[3])).toISOString().slice(0, 10) === text;
}

/** One person's term on a grid: [validFrom, validTo), validTo exclusive as for grid versions, null while open. */
export interface Assignment {
  role: StaffRole;
  name: string;
  phone: string | null;
  validFrom: string;
  validTo: string | null;
}

export interface FieldFault {
  field: 'role' | 'name' | 'phone' | 'validFrom' | 'validTo';
  message: string;
}

/** What is wrong with one assignment, field by field (empty when it is valid). */
export function assignmentFaults(a: { role: string; name: string; phone: string | null; validFrom: string; validTo: string | null }): FieldFault[] {
  const faults: FieldFault[] = [];
  if (!(STAFF_ROLES as readonly string[]).includes(a.role)) faults.push({ field: 'role', message: `unknown role "${a.role}"; one of ${STAFF_ROLES.join(', ')} or ${STAFF_ROLES.map((r) => ROLE_NAMES[r].zh).join('、')}` });
  if (!isStaffName(a.name)) faults.push({ field: 'name', message: 'a name of 1–64 characters without control characters' });
  if (a.phone !== null && !isPhone(a.phone)) faults.push({ field: 'phone', message: `"${a.phone}" is not a mobile (1xxxxxxxxxx) or landline (0xxx-xxxxxxx) number` });
  if (!isDate(a.validFrom)) faults.push({ field: 'validFrom', message: `"${a.validFrom}" is not a date YYYY-MM-DD` });
  if (a.validTo !== null) {
    if (!isDate(a.validTo)) faults.push({ field: 'validTo', message: `"${a.validTo}" is not a date YYYY-MM-DD` });
    else if (isDate(a.validFrom) && a.validTo <= a.validFrom) faults.push({ field: 'validTo', message: `${a.validTo} is not after ${a.validFrom} (validTo is the first day no longer served)` });
  }
  return faults;
}

/** Whether an assignment is in force on `date`. */
export const inForceOn = (a: Pick<Assignment, 'validFrom' | 'validTo'>, date: string) => a.validFrom <= date && (a.validTo === null || a.validTo > date);

/** The same people in the same roles with the same phones, in any order. */
export function sameRoster(a: ReadonlyArray<{ role: string; name: string; phone?: string | null }>, b: ReadonlyArray<{ role: string; name: string; phone?: string | null }>): boolean {
  const key = (s: { role: string; name: string; phone?: string | null }) => JSON.stringify([s.role, s.name, s.phone ?? null]);
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.length === right.length && left.every((k, i) => k === right[i]);
}

/** Leader first, then full-time, part-time, instructors and liaisons, as a notice lists them. */
export const byRole = (a: { role: StaffRole }, b: { role: StaffRole }) => STAFF_ROLES.indexOf(a.role) - STAFF_ROLES.indexOf(b.role);
