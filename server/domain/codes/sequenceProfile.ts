// Profiles of the form <12-digit division code><sequence>[<micro-grid sequence>], which covers the default
// scheme; a province with such a scheme only sets its digits and ranges.
import type { GridKind } from '../../schemas/resources.ts';
import { CodeRangeExhausted, KindWithoutCodes, type AllocationRequest, type CodeProfile, type Message, type SequenceRange } from './profile.ts';

export interface SequenceScheme {
  name: string;
  title: Message;
  sequenceDigits: number;
  microDigits: number;
  ranges: Record<GridKind, SequenceRange | null>;
  microRange: SequenceRange;
}

/**
 * Spatial order of allocation: west→east by centroid longitude; equal longitudes north→south (latitude descending).
 * Returns indexes into `centroids`.
 */
export function westToEastOrder(centroids: ReadonlyArray<readonly number[]>): number[] {
  return centroids.map((_, i) => i).sort((a, b) => centroids[a][0] - centroids[b][0] || centroids[b][1] - centroids[a][1] || a - b);
}

export function sequenceProfile(scheme: SequenceScheme): CodeProfile {
  const gridDigits = 12 + scheme.sequenceDigits;
  const microDigitsTotal = gridDigits + scheme.microDigits;
  const pad = (n: number, width: number) => String(n).padStart(width, '0');

  function take(prefix: string, range: SequenceRange, width: number, request: AllocationRequest): string[] {
    const free: string[] = [];
    for (let n = range.first; n <= range.last && free.length < request.grids.length; n++) {
      const code = prefix + pad(n, width);
      if (!request.taken.has(code)) free.push(code);
    }
    if (free.length < request.grids.length) throw new CodeRangeExhausted(prefix, range, request.grids.length, free.length);
    const codes = new Array<string>(request.grids.length);
    westToEastOrder(request.grids.map((g) => g.centroid)).forEach((gridIndex, rank) => (codes[gridIndex] = free[rank]));
    return codes;
  }

  return {
    name: scheme.name,
    title: scheme.title,
    checkFormat(code, micro) {
      const digits = micro ? microDigitsTotal : gridDigits;
      if (!new RegExp(`^[0-9]{${digits}}$`).test(code)) {
        return { zh: `编码应为${digits}位数字`, en: `a ${micro ? 'micro-grid' : 'grid'} code has ${digits} digits` };
      }
      if (micro) {
        const n = Number(code.slice(gridDigits));
        if (n < scheme.microRange.first || n > scheme.microRange.last) {
          return { zh: `微网格序号应在${scheme.microRange.first}–${scheme.microRange.last}之间`, en: `micro-grid sequence must be ${scheme.microRange.first}–${scheme.microRange.last}` };
        }
      }
      return null;
    },
    kindRange: (kind) => scheme.ranges[kind],
    sequenceOf: (code) => Number(code.slice(12, gridDigits)),
    expectedPrefix: (grid) => grid.parentCode ?? grid.divisionCode,
    allocate(request) {
      if (request.parentCode !== undefined) return take(request.parentCode, scheme.microRange, scheme.microDigits, request);
      const range = scheme.ranges[request.kind];
      if (!range) throw new KindWithoutCodes(scheme.name, request.kind);
      return take(request.divisionCode, range, scheme.sequenceDigits, request);
    },
  };
}
