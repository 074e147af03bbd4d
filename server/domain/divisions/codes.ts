// 12-digit statistical division codes (GB/T 2260 county prefix + 3 township + 3 village digits).
import type { DivisionLevel } from '../../schemas/resources.ts';

const SIGNIFICANT_DIGITS: Record<DivisionLevel, number> = { city: 4, county: 6, township: 9, village: 12 };

/** The digits every descendant of a division shares: `330903001000` (township) → `330903001`. */
export function divisionPrefix(code: string, level: DivisionLevel): string {
  return code.slice(0, SIGNIFICANT_DIGITS[level]);
}

/** The level a well-formed code denotes by its zero-padding, e.g. `330903000000` → county. */
export function levelOfCode(code: string): DivisionLevel {
  if (code.endsWith('00000000')) return 'city';
  if (code.endsWith('000000')) return 'county';
  if (code.endsWith('000')) return 'township';
  return 'village';
}
