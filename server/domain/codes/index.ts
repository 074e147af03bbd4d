// Code profiles by name, and allocation through them. Pure: the data layer wraps allocateGridCodes in a
// transaction that locks the division's code rows and passes every code ever used as `taken`.
import type { Position } from 'geojson';
import type { GridKind } from '../../schemas/resources.ts';
import { defaultProfile } from './defaultProfile.ts';
import { gansuProfile } from './gansuProfile.ts';
import { UnknownCodeProfile, type CodeProfile } from './profile.ts';

export * from './profile.ts';
export { westToEastOrder } from './sequenceProfile.ts';
export { isWithinDivision, significantDigits, divisionLevel } from './division.ts';

export const codeProfiles: Readonly<Record<string, CodeProfile>> = { default: defaultProfile, gansu: gansuProfile };

export function codeProfile(name: string): CodeProfile {
  const profile = codeProfiles[name];
  if (!profile) throw new UnknownCodeProfile(name, Object.keys(codeProfiles));
  return profile;
}

/**
 * New codes for `grids` (in input order), numbered in the profile's spatial order, skipping every taken or retired code.
 * Throws CodeRangeExhausted when the kind's range has too few free codes.
 * @example allocateGridCodes({ profile: codeProfile('default'), divisionCode: '330902001001', kind: 'special', grids: [{ centroid: [122.1, 30] }], taken: new Set(['330902001001500']) }) // ['330902001001501']
 */
export function allocateGridCodes(request: {
  profile: CodeProfile;
  divisionCode: string;
  kind: GridKind;
  parentCode?: string;
  grids: ReadonlyArray<{ centroid: Position }>;
  taken: ReadonlySet<string>;
}): string[] {
  const { profile, ...rest } = request;
  return profile.allocate(rest);
}
