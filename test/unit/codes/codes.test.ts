import * as turf from '@turf/turf';
import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { matchPredecessors } from '../../../server/domain/codes/continuity.ts';
import { allocateGridCodes, codeProfile, CodeRangeExhausted, isWithinDivision, KindWithoutCodes, UnknownCodeProfile } from '../../../server/domain/codes/index.ts';

const profile = codeProfile('default');
const village = '330902001001';

describe('allocateGridCodes (default profile)', () => {
  it('numbers comprehensive grids west→east, ties north→south', () => {
    const grids = [{ centroid: [122.12, 30.0] }, { centroid: [122.1, 30.0] }, { centroid: [122.11, 30.0] }, { centroid: [122.1, 30.01] }];
    expect(allocateGridCodes({ profile, divisionCode: village, kind: 'comprehensive', grids, taken: new Set() })).toEqual([
      '330902001001004',
      '330902001001002',
      '330902001001003',
      '330902001001001',
    ]);
  });

  it('never hands out a taken or retired code, and uses the kind ranges', () => {
    const taken = new Set(['330902001001500', '330902001001502']);
    const grids = [{ centroid: [122.1, 30] }, { centroid: [122.2, 30] }];
    expect(allocateGridCodes({ profile, divisionCode: village, kind: 'special', grids, taken })).toEqual(['330902001001501', '330902001001503']);
    expect(allocateGridCodes({ profile, divisionCode: '330902001000', kind: 'maritime', grids, taken })).toEqual(['330902001000800', '330902001000801']);
  });

  it('allocates micro-grid codes under the parent grid', () => {
    const codes = allocateGridCodes({ profile, divisionCode: village, kind: 'comprehensive', parentCode: '330902001001003', grids: [{ centroid: [122.1, 30] }], taken: new Set(['33090200100100301']) });
    expect(codes).toEqual(['33090200100100302']);
  });

  it('throws a typed error when the range is exhausted', () => {
    const taken = new Set(Array.from({ length: 199 }, (_, i) => `${village}${800 + i}`));
    expect(allocateGridCodes({ profile, divisionCode: village, kind: 'maritime', grids: [{ centroid: [0, 0] }], taken })).toEqual([`${village}999`]);
    expect(() => allocateGridCodes({ profile, divisionCode: village, kind: 'maritime', grids: [{ centroid: [0, 0] }, { centroid: [1, 0] }], taken })).toThrow(CodeRangeExhausted);
  });

  it('gansu placeholder issues no sea grid codes; unknown profiles are typed errors', () => {
    expect(() => allocateGridCodes({ profile: codeProfile('gansu'), divisionCode: village, kind: 'maritime', grids: [{ centroid: [0, 0] }], taken: new Set() })).toThrow(KindWithoutCodes);
    expect(() => codeProfile('hubei')).toThrow(UnknownCodeProfile);
  });

  it('checks format and prefix', () => {
    expect(profile.checkFormat('330902001001001', false)).toBeNull();
    expect(profile.checkFormat('33090200100100', false)).not.toBeNull();
    expect(profile.checkFormat('33090200100100100', true)).not.toBeNull();
    expect(profile.expectedPrefix({ kind: 'comprehensive', divisionCode: village, parentCode: null })).toBe(village);
    expect(isWithinDivision(village, '330902001000')).toBe(true);
    expect(isWithinDivision('330902002001', '330902001000')).toBe(false);
    expect(isWithinDivision('330902002001', '330902000000')).toBe(true);
  });
});

describe('matchPredecessors', () => {
  const box = (w: number, s: number, e: number, n: number) => turf.bboxPolygon([122.1 + w / 1000, 30 + s / 1000, 122.1 + e / 1000, 30 + n / 1000]).geometry as Polygon;
  const old = [
    { code: 'A', geometry: box(0, 0, 10, 10) },
    { code: 'B', geometry: box(10, 0, 20, 10) },
    { code: 'C', geometry: box(20, 0, 30, 10) },
    { code: 'D', geometry: box(30, 0, 40, 10) },
    { code: 'E', geometry: box(40, 0, 50, 10) },
  ];

  it('keeps codes of near-identical grids and records splits, merges, new and retired', () => {
    const next = [
      box(0, 0, 10.5, 10), // A, slightly reshaped: keeps its code
      box(10.5, 0, 15, 10), // B split in two
      box(15, 0, 20, 10),
      box(20, 0, 40, 10), // C + D merged
      box(60, 0, 70, 10), // new
      // E retired
    ];
    const { kept, lineage } = matchPredecessors(old, next.map((geometry) => ({ geometry })));
    expect(kept.map((k) => [k.index, k.code])).toEqual([[0, 'A']]);
    expect(lineage).toEqual(
      expect.arrayContaining([
        { from: ['B'], to: [1, 2], kind: 'split' },
        { from: ['C', 'D'], to: [3], kind: 'merge' },
        { from: [], to: [4], kind: 'new' },
        { from: ['E'], to: [], kind: 'retired' },
      ]),
    );
    expect(lineage).toHaveLength(4);
  });

  it('treats a large reshape as retire + allocate, with a configurable threshold', () => {
    const next = [{ geometry: box(0, 0, 13, 10) }];
    expect(matchPredecessors(old.slice(0, 1), next).lineage).toEqual([{ from: ['A'], to: [0], kind: 'reshape' }]);
    expect(matchPredecessors(old.slice(0, 1), next, 0.7).kept.map((k) => k.code)).toEqual(['A']);
  });
});
