import { describe, expect, it } from 'vitest';
import type { Division, Grid } from '../../../server/schemas/resources.ts';
import { assembleGridNotice } from '../../../server/domain/notice/content.ts';
import { renderDivisionNoticeDocument, renderGridNoticePage } from '../../../server/domain/notice/html.ts';

const chain: Division[] = [
  { code: '330903001015', name: '西大社区居委会', level: 'village', parentCode: '330903001000', households: 0, population: 0, synthetic: true },
  { code: '330903001000', name: '沈家门街道', level: 'township', parentCode: '330903000000', households: 0, population: 0, synthetic: true },
];

const properties: Grid = {
  code: '330903001015003',
  name: '西大<社区>第2网格',
  kind: 'comprehensive',
  subkind: 'community',
  divisionCode: '330903001015',
  parentCode: null,
  households: 324,
  population: 854,
  managingUnits: [{ name: '沈家门街道办事处', role: 'territorial' }],
  staff: [
    { role: 'instructor', name: '周静' },
    { role: 'part_time', name: '罗伟', phone: '17000000196' },
    { role: 'leader', name: '杨海波', phone: '17000000195' },
    { role: 'full_time', name: '陈敏', phone: '17000000197' },
  ],
  version: 1,
  validFrom: '2024-01-15',
  validTo: null,
  status: 'filed',
};
// About 1 km × 1 km at 30° N.
const geometry = { type: 'Polygon' as const, coordinates: [[[122, 30], [122.0103861, 30], [122.0103861, 30.0089932], [122, 30.0089932], [122, 30]]] };

const chainHead = { number: 'BA2026-00004', chainSeq: 5, sha256: 'e7ee33d56ca0dded98f96fbf6ffa5bb98522ee0b0ba59e0c9f1be6f5a2f9ec3a', filedAt: '2026-03-02T05:00:00.000Z' };

describe('assembleGridNotice', () => {
  const notice = assembleGridNotice({ properties, geometry }, chain, '12345', chainHead);

  it('lists the leader first, then full-time and part-time workers and instructors, keeping phones and marking missing ones', () => {
    expect(notice.staff).toEqual([
      { role: 'leader', name: '杨海波', phone: '17000000195' },
      { role: 'full_time', name: '陈敏', phone: '17000000197' },
      { role: 'part_time', name: '罗伟', phone: '17000000196' },
      { role: 'instructor', name: '周静', phone: null },
    ]);
  });

  it('computes the area in km² and carries the division chain and hotline', () => {
    expect(notice.areaKm2).toBeCloseTo(1, 1);
    expect(notice.division).toEqual({
      code: '330903001015',
      name: '西大社区居委会',
      chain: [
        { code: '330903001015', name: '西大社区居委会', level: 'village' },
        { code: '330903001000', name: '沈家门街道', level: 'township' },
      ],
    });
    expect(notice.hotline).toBe('12345');
  });

  it('refuses a grid without a code (not filed)', () => {
    expect(() => assembleGridNotice({ properties: { ...properties, code: null }, geometry }, chain, '12345', chainHead)).toThrow(/code/);
  });

  it('prints an A4 page with escaped text, the map, the place from the top down and the hotline', () => {
    const html = renderGridNoticePage(notice, '<svg viewBox="0 0 1 1"></svg>');
    expect(html).toContain('@page { size: A4; margin: 15mm }');
    expect(html).toContain('西大&lt;社区&gt;第2网格');
    expect(html).not.toContain('西大<社区>');
    expect(html).toContain('<svg viewBox="0 0 1 1"></svg>');
    expect(html).toContain('沈家门街道 西大社区居委会');
    expect(html).toMatch(/监督举报电话.*12345/s);
    expect(html.match(/<section class="notice-page/g)).toHaveLength(1);
  });

  it('prints the filing chain head in full in the footer, and nothing while nothing is filed', () => {
    expect(notice.chainHead).toEqual(chainHead);
    const html = renderGridNoticePage(notice, '<svg></svg>');
    expect(html).toMatch(/<footer>.*备案链头.*BA2026-00004.*sequence 5.*2026-03-02T05:00:00\.000Z.*e7ee33d56ca0dded98f96fbf6ffa5bb98522ee0b0ba59e0c9f1be6f5a2f9ec3a.*<\/footer>/s);
    const unfiled = renderGridNoticePage({ ...notice, chainHead: null }, '<svg></svg>');
    expect(unfiled).not.toContain('备案链头');
    const division = renderDivisionNoticeDocument({ division: notice.division, at: null, hotline: '12345', chainHead, notices: [notice] }, '<svg></svg>', new Map());
    expect(division.match(/备案链头/g)).toHaveLength(2);
  });

  it('says so when a division has no filed grids', () => {
    const html = renderDivisionNoticeDocument({ division: notice.division, at: '2020-01-01', hotline: '12345', chainHead, notices: [] }, '<svg></svg>', new Map());
    expect(html).toContain('尚无已备案网格');
    expect(html).toContain('No filed grids in this division on 2020-01-01');
    expect(html.match(/<section class="notice-page/g)).toHaveLength(1);
  });
});
