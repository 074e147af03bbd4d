import { area } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import { applyEdit, canRedo, canUndo, emptyDraft, type Edit, type EditorState } from '../../../web/src/edit/state.ts';
import { lineOf, polygonOf } from './draft-fixture.ts';

function run(edits: Edit[], start: EditorState = emptyDraft()): EditorState {
  return edits.reduce((state, edit) => {
    const result = applyEdit(state, edit);
    if (result.error) throw new Error(`${edit.type}: ${result.error}`);
    return result.state;
  }, start);
}

const west = polygonOf('west');
const east = polygonOf('east');

describe('editor state', () => {
  it('adds a drawn grid, selects it, and undo/redo remove and restore it', () => {
    const drawn = run([{ type: 'add', geometry: west }]);
    expect(drawn.features.map((f) => f.id)).toEqual(['d1']);
    expect(drawn.selection).toEqual(['d1']);
    expect(drawn.features[0].properties.code).toBeNull();

    const undone = run([{ type: 'undo' }], drawn);
    expect(undone.features).toEqual([]);
    expect(canUndo(undone)).toBe(false);
    expect(canRedo(undone)).toBe(true);

    const redone = run([{ type: 'redo' }], undone);
    expect(redone.features).toEqual(drawn.features);
    expect(canRedo(redone)).toBe(false);
  });

  it('never hands out an undone id again, and a new edit drops the redo branch', () => {
    const state = run([{ type: 'add', geometry: west }, { type: 'undo' }, { type: 'add', geometry: east }]);
    expect(state.features.map((f) => f.id)).toEqual(['d2']);
    expect(canRedo(state)).toBe(false);
  });

  it('selection is not an edit: it does not enter the history and ignores unknown ids', () => {
    const state = run([{ type: 'add', geometry: west }, { type: 'add', geometry: east }]);
    const selected = run([{ type: 'select', ids: ['d1', 'd2', 'nope'] }], state);
    expect(selected.selection).toEqual(['d1', 'd2']);
    expect(selected.past.length).toBe(state.past.length);
  });

  it('merges two selected grids into one, summing households and dropping codes', () => {
    const state = run([
      { type: 'add', geometry: west, properties: { code: '330902001001001', households: 200 } },
      { type: 'add', geometry: east, properties: { code: '330902001001002', households: 150 } },
      { type: 'merge', ids: ['d1', 'd2'] },
    ]);
    expect(state.features).toHaveLength(1);
    const [merged] = state.features;
    expect(merged.properties).toMatchObject({ code: null, households: 350 });
    expect(area(merged.geometry)).toBeCloseTo(area(west) + area(east), 0);
    expect(state.selection).toEqual([merged.id]);
    expect(run([{ type: 'undo' }], state).features.map((f) => f.properties.code)).toEqual(['330902001001001', '330902001001002']);
  });

  it('splits a grid in place into two new grids named after it', () => {
    const state = run([
      { type: 'add', geometry: west, properties: { name: '东港一网格' } },
      { type: 'add', geometry: east },
      { type: 'split', id: 'd1', line: lineOf('cut-north-south') },
    ]);
    expect(state.features.map((f) => f.properties.name)).toEqual(['东港一网格-1', '东港一网格-2', '草案 2']);
    expect(state.selection).toEqual(['d3', 'd4']);
  });

  it('returns errors as values and leaves the state untouched', () => {
    const state = run([{ type: 'add', geometry: west }, { type: 'add', geometry: polygonOf('apart') }]);
    for (const [edit, error] of [
      [{ type: 'merge', ids: ['d1'] }, 'select-two'],
      [{ type: 'merge', ids: ['d1', 'd2'] }, 'not-adjacent'],
      [{ type: 'split', id: 'd1', line: lineOf('miss') }, 'line-does-not-split'],
      [{ type: 'split', id: 'zz', line: lineOf('cut-north-south') }, 'unknown-feature'],
      [{ type: 'remove', ids: [] }, 'select-one'],
    ] as [Edit, string][]) {
      const result = applyEdit(state, edit);
      expect(result.error).toBe(error);
      expect(result.state).toBe(state);
    }
  });

  it('keeps a grid copied from the registry as a one-part MultiPolygon as a Polygon, so its vertices can be edited', () => {
    const state = run([{ type: 'add', geometry: { type: 'MultiPolygon', coordinates: [west.coordinates] } }]);
    expect(state.features[0].geometry).toEqual(west);
    const twoParts = run([{ type: 'add', geometry: { type: 'MultiPolygon', coordinates: [west.coordinates, east.coordinates] } }]);
    expect(twoParts.features[0].geometry.type).toBe('MultiPolygon');
  });

  it('loads several grids as one undoable step, keeping their codes', () => {
    const state = run([
      { type: 'add', geometry: polygonOf('apart') },
      {
        type: 'load',
        grids: [
          { geometry: west, properties: { code: '330903001001001', divisionCode: '330903001001' } },
          { geometry: east, properties: { code: '330903001001002', divisionCode: '330903001001' } },
        ],
      },
    ]);
    expect(state.features.map((f) => [f.id, f.properties.code])).toEqual([
      ['d1', null],
      ['d2', '330903001001001'],
      ['d3', '330903001001002'],
    ]);
    expect(run([{ type: 'undo' }], state).features.map((f) => f.id)).toEqual(['d1']);
    expect(applyEdit(state, { type: 'load', grids: [] }).error).toBe('empty-geometry');
  });

  it('reshape and remove are undoable one step at a time', () => {
    const moved = { ...east };
    const state = run([
      { type: 'add', geometry: west },
      { type: 'reshape', id: 'd1', geometry: moved },
      { type: 'remove', ids: ['d1'] },
    ]);
    expect(state.features).toEqual([]);
    const back = run([{ type: 'undo' }], state);
    expect(back.features[0].geometry).toBe(moved);
    expect(run([{ type: 'undo' }], back).features[0].geometry).toBe(west);
  });

  it('keeps the link to a plan grid through a reshape, and drops it when a split or merge makes new grids', () => {
    const taken = run([{ type: 'add', geometry: west, properties: { planGridId: '17' } }, { type: 'reshape', id: 'd1', geometry: east }]);
    expect(taken.features[0].properties.planGridId).toBe('17');
    expect(run([{ type: 'add', geometry: east }], taken).features[1].properties.planGridId).toBeNull();
    const split = run([{ type: 'split', id: 'd1', line: lineOf('cut-north-south') }], run([{ type: 'add', geometry: west, properties: { planGridId: '17' } }]));
    expect(split.features.map((f) => f.properties.planGridId)).toEqual([null, null]);
    const merged = run([
      { type: 'add', geometry: west, properties: { planGridId: '17' } },
      { type: 'add', geometry: east, properties: { planGridId: '18' } },
      { type: 'merge', ids: ['d1', 'd2'] },
    ]);
    expect(merged.features[0].properties.planGridId).toBeNull();
  });
  it('describes a grid (name, kind and subkind) as an undoable edit, refusing an empty name and skipping a change to nothing', () => {
    const drawn = run([{ type: 'add', geometry: west }]);
    const zone = run([{ type: 'describe', id: 'd1', properties: { name: ' 东极贻贝养殖区 ', kind: 'maritime', subkind: 'aquaculture' } }], drawn);
    expect(zone.features[0].properties).toMatchObject({ name: '东极贻贝养殖区', kind: 'maritime', subkind: 'aquaculture' });
    expect(zone.features[0].geometry).toBe(west);
    expect(zone.past.length).toBe(drawn.past.length + 1);
    expect(run([{ type: 'undo' }], zone).features[0].properties).toMatchObject({ name: '草案 1', kind: 'comprehensive', subkind: null });
    expect(applyEdit(zone, { type: 'describe', id: 'd1', properties: { name: '  ' } })).toEqual({ state: zone, error: 'empty-name' });
    expect(applyEdit(zone, { type: 'describe', id: 'zz', properties: { name: 'x' } }).error).toBe('unknown-feature');
    expect(applyEdit(zone, { type: 'describe', id: 'd1', properties: { kind: 'maritime', subkind: 'aquaculture' } }).state).toBe(zone);
  });
});
