// The `datetime` parameter of OGC API – Features: an RFC 3339 instant or an interval with open ends (`..` or empty).
// Validity in the registry is by calendar date, so only the date of a date-time counts (as written, in its own offset).
import type { TimeFilter } from '../../db/repositories/features.ts';
import { parseDate } from '../../http/params.ts';
import { invalidParameter } from '../../http/problem.ts';

const INSTANT = /^(\d{4}-\d{2}-\d{2})(?:[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2}))?$/;

function dateOf(raw: string, parameter: string): string {
  const match = INSTANT.exec(raw);
  if (!match) throw invalidParameter(parameter, `"${raw}" is not an RFC 3339 date or date-time`);
  return parseDate(match[1], parameter);
}

/**
 * @example parseDatetime('2024-01-01/..') // → { start: '2024-01-01', end: null }
 */
export function parseDatetime(raw: string, parameter = 'datetime'): TimeFilter {
  const parts = raw.split('/');
  if (parts.length === 1) return { instant: dateOf(raw, parameter) };
  if (parts.length !== 2) throw invalidParameter(parameter, 'expected an instant or an interval start/end');
  const [start, end] = parts.map((p) => (p === '' || p === '..' ? null : dateOf(p, parameter)));
  if (start === null && end === null) throw invalidParameter(parameter, 'an interval needs at least one end');
  if (start && end && start > end) throw invalidParameter(parameter, `interval starts (${start}) after it ends (${end})`);
  return { start, end };
}
