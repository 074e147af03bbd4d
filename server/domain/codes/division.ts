// 12-digit statistical division codes: 2 province + 2 city + 2 county + 3 township + 3 village.
import type { DivisionLevel } from '../../schemas/resources.ts';

export const DIVISION_CODE = /^[0-9]{12}$/;

/** How many leading digits identify the division: village 12, township 9, county 6, city 4, province 2. */
export function significantDigits(code: string): number {
  if (code.slice(9) !== '000') return 12;
  if (code.slice(6, 9) !== '000') return 9;
  if (code.slice(4, 6) !== '00') return 6;
  if (code.slice(2, 4) !== '00') return 4;
  return 2;
}

export function divisionLevel(code: string): DivisionLevel | 'province' {
  return ({ 12: 'village', 9: 'township', 6: 'county', 4: 'city', 2: 'province' } as const)[significantDigits(code) as 12 | 9 | 6 | 4 | 2];
}

/**
 * True when `code` is `ancestor` or lies inside it.
 * @example isWithinDivision('330902001001', '330902001000') // true: a village of the township
 */
export function isWithinDivision(code: string, ancestor: string): boolean {
  return code.startsWith(ancestor.slice(0, significantDigits(ancestor)));
}
