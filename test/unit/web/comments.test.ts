import { describe, expect, it } from 'vitest';
import type { PlanGrid } from '../../../web/src/api/client.ts';
import { commentMarkers, commentRows, commentedGridIds, returnComments, type PlanComment } from '../../../web/src/plan/comments.ts';

function grid(id: string, name: string, x: number): PlanGrid {
  return {
    type: 'Feature',
    id,
    geometry: { type: 'Polygon', coordinates: [[[x, 0], [x + 1, 0], [x + 1, 1], [x, 1], [x, 0]]] },
    properties: { name } as PlanGrid['properties'],
  } as PlanGrid;
}

const grids = [grid('7', '新街社区第1网格', 0), grid('8', '新街社区第2网格', 2)];
const first: PlanComment[] = [
  { at: '2026-11-20T08:00:00.000Z', by: '审核员', text: '户数偏少', grid: '7' },
  { at: '2026-11-20T08:00:00.000Z', by: '审核员', text: '请调整' },
];
const second: PlanComment[] = [
  { at: '2026-11-22T08:00:00.000Z', by: '审核员', text: '沿道路划界', grid: '8' },
  { at: '2026-11-22T08:00:00.000Z', by: '审核员', text: '已合并的网格', grid: '5' },
  { at: '2026-11-22T08:00:00.000Z', by: '审核员', text: '名称有误', grid: '8' },
];

describe('review comments', () => {
  it('lists the newest review first, in the order written within one, numbered, each with its grid or none', () => {
    const rows = commentRows([...first, ...second], grids);
    expect(rows.map((r) => [r.number, r.text, r.gridName, r.latest])).toEqual([
      [1, '沿道路划界', '新街社区第2网格', true],
      [2, '已合并的网格', null, true],
      [3, '名称有误', '新街社区第2网格', true],
      [4, '户数偏少', '新街社区第1网格', false],
      [5, '请调整', null, false],
    ]);
    expect(rows[1].gridId).toBe('5');
    expect(rows[4].gridId).toBeNull();
  });

  it('marks only the grids of the latest review that are still in the plan, one marker per grid with all its numbers', () => {
    const rows = commentRows([...first, ...second], grids);
    expect([...commentedGridIds(rows)]).toEqual(['8']);
    const markers = commentMarkers(rows, grids).features;
    expect(markers.map((m) => m.properties)).toEqual([{ number: '1,3', gridId: '8' }]);
    const [x, y] = markers[0].geometry.coordinates;
    expect(x).toBeGreaterThan(2);
    expect(x).toBeLessThan(3);
    expect(y).toBeGreaterThan(0);
    expect(y).toBeLessThan(1);
  });

  it('sends the general comment and each grid comment with text, trimmed, blanks left out', () => {
    expect(returnComments('  请调整 ', new Map([['7', ' 户数偏少 '], ['8', '  ']]))).toEqual([{ text: '请调整' }, { grid: '7', text: '户数偏少' }]);
    expect(returnComments('', new Map([['8', ' ']]))).toEqual([]);
  });
});
