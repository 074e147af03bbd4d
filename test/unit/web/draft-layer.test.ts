import type { Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { DraftLayer } from '../../../web/src/edit/draft-layer.ts';
import { applyEdit, emptyDraft, type Edit, type EditorState } from '../../../web/src/edit/state.ts';
import { polygonOf } from './draft-fixture.ts';

const apply = (state: EditorState, ...edits: Edit[]) => edits.reduce((s, edit) => applyEdit(s, edit).state, state);
const nudged = (polygon: Polygon): Polygon => ({ type: 'Polygon', coordinates: [polygon.coordinates[0].map(([x, y], i, ring) => (i === 0 || i === ring.length - 1 ? [x + 0.0001, y] : [x, y]))] });
const ids = (features: { properties: unknown }[] | undefined) => (features ?? []).map((f) => (f.properties as { id: string }).id);

describe('draft layer updates', () => {
  const roles = ['west', 'east', 'apart'] as const;
  const three = apply(emptyDraft(), ...roles.map((role): Edit => ({ type: 'add', geometry: polygonOf(role) })));
  // Enough grids that a change of two is a small part of the draft.
  const six = apply(three, ...roles.map((role): Edit => ({ type: 'add', geometry: polygonOf(role) })));

  it('sends the whole draft the first time, with each grid\'s id and selection among its properties', () => {
    const state = apply(three, { type: 'select', ids: ['d2'] });
    const update = new DraftLayer().update(state);
    expect(update && 'data' in update).toBe(true);
    const features = update && 'data' in update ? update.data.features : [];
    expect(features.map((f) => [f.id, f.properties?.id, f.properties?.selected])).toEqual([
      ['d1', 'd1', false],
      ['d2', 'd2', true],
      ['d3', 'd3', false],
    ]);
    expect(features[1].geometry).toBe(polygonOf('east'));
  });

  it('after a reshape, a selection or a removal sends only the grids that changed, and nothing when none did', () => {
    const layer = new DraftLayer();
    let state = apply(six, { type: 'select', ids: ['d2'] });
    layer.update(state);
    expect(layer.update(state)).toBeNull();

    state = apply(state, { type: 'reshape', id: 'd2', geometry: nudged(polygonOf('east')) });
    const reshaped = layer.update(state);
    expect(reshaped && 'diff' in reshaped ? reshaped.diff : null).toMatchObject({ remove: [] });
    const added = reshaped && 'diff' in reshaped ? reshaped.diff.add : [];
    expect(ids(added)).toEqual(['d2']);
    expect(added?.[0].geometry).toEqual(nudged(polygonOf('east')));

    state = apply(state, { type: 'select', ids: ['d3'] });
    const selected = layer.update(state);
    expect(ids(selected && 'diff' in selected ? selected.diff.add : [])).toEqual(['d2', 'd3']);

    state = apply(state, { type: 'remove', ids: ['d3'] });
    expect(layer.update(state)).toEqual({ diff: { remove: ['d3'], add: [] } });
  });

  it('undo after a reshape sends the grid back as it was', () => {
    const layer = new DraftLayer();
    const before = apply(six, { type: 'select', ids: ['d1'] });
    layer.update(before);
    layer.update(apply(before, { type: 'reshape', id: 'd1', geometry: nudged(polygonOf('west')) }));
    const undone = layer.update(apply(before, { type: 'reshape', id: 'd1', geometry: nudged(polygonOf('west')) }, { type: 'undo' }));
    const added = undone && 'diff' in undone ? undone.diff.add : [];
    expect(ids(added)).toEqual(['d1']);
    expect(added?.[0].geometry).toBe(polygonOf('west'));
  });

  it('sends the whole draft again when most grids changed, e.g. a draft restored or discarded', () => {
    const layer = new DraftLayer();
    layer.update(three);
    const restored = layer.update(structuredClone(three));
    expect(restored && 'data' in restored ? restored.data.features.length : null).toBe(3);
    expect(layer.update(emptyDraft())).toEqual({ data: { type: 'FeatureCollection', features: [] } });
  });
});
