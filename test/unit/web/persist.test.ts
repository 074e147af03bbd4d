import { describe, expect, it } from 'vitest';
import { DraftKeeper } from '../../../web/src/edit/keeper.ts';
import { DraftStore, decodeDraft, draftStorageKey, encodeDraft, type DraftStorage, type StoredDraft } from '../../../web/src/edit/persist.ts';
import { applyEdit, emptyDraft, type Edit, type EditorState } from '../../../web/src/edit/state.ts';
import { lineOf, polygonOf } from './draft-fixture.ts';

function run(edits: Edit[], start: EditorState = emptyDraft()): EditorState {
  return edits.reduce((state, edit) => {
    const result = applyEdit(state, edit);
    if (result.error) throw new Error(`${edit.type}: ${result.error}`);
    return result.state;
  }, start);
}

/** localStorage as a Map, refusing values longer than `quota` characters as a full browser storage does. */
class MemoryStorage implements DraftStorage {
  readonly items = new Map<string, string>();
  constructor(private readonly quota = Infinity) {}
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (value.length > this.quota) throw new DOMException('quota', 'QuotaExceededError');
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const edited = run([
  { type: 'add', geometry: polygonOf('west'), properties: { planGridId: '17', name: '东港一网格' } },
  { type: 'add', geometry: polygonOf('east') },
  { type: 'split', id: 'd1', line: lineOf('cut-north-south') },
  { type: 'undo' },
]);
const draft: StoredDraft = { township: '330903001000', planId: '4', savedAt: '2026-11-23T08:00:00.000Z', state: edited };

describe('the draft kept in the browser', () => {
  it('comes back as it was: grids, selection, undo and redo, serial, township and plan', () => {
    const back = decodeDraft(encodeDraft(draft, { history: true }))!;
    expect(back).toEqual(draft);
    // Undo and redo still work on what came back, and a new grid gets an id never handed out before.
    expect(applyEdit(back.state, { type: 'redo' }).state.features.map((f) => f.id)).toEqual(['d3', 'd4', 'd2']);
    expect(applyEdit(back.state, { type: 'undo' }).state.features.map((f) => f.id)).toEqual(['d1']);
    expect(applyEdit(back.state, { type: 'add', geometry: polygonOf('apart') }).state.features.at(-1)!.id).toBe('d5');
  });

  it('writes each grid once however many snapshots share it, and keeps them shared when read back', () => {
    const text = encodeDraft(draft, { history: true });
    expect(JSON.parse(text).grids).toHaveLength(4); // d1, d2, and the two halves of d1 in the redo branch
    const back = decodeDraft(text)!;
    expect(back.state.past.at(-1)!.features[0]).toBe(back.state.features[0]);
  });

  it('leaves out undo and redo when asked', () => {
    const back = decodeDraft(encodeDraft(draft, { history: false }))!;
    expect(back.state.features).toEqual(edited.features);
    expect(back.state.past).toEqual([]);
    expect(back.state.future).toEqual([]);
  });

  it('reads nothing from text it does not recognise', () => {
    const valid = JSON.parse(encodeDraft(draft, { history: true }));
    for (const text of [null, '', '{', '[]', JSON.stringify({ ...valid, format: 2 }), JSON.stringify({ ...valid, current: { features: [9], selection: [] } }), JSON.stringify({ ...valid, grids: [{ id: 'd1', geometry: { type: 'Point', coordinates: [0, 0] }, properties: {} }] })]) {
      expect(decodeDraft(text)).toBeNull();
    }
  });

  it('keeps one draft per key, drops an empty one, and writes without history or not at all when the storage is full', () => {
    const storage = new MemoryStorage();
    const store = new DraftStore(storage);
    expect(store.save('demo-planner', draft)).toBe('saved');
    expect([...storage.items.keys()]).toEqual([draftStorageKey('demo-planner')]);
    expect(store.load('demo-planner')).toEqual(draft);
    expect(store.load('demo-reviewer')).toBeNull();
    expect(store.save('demo-planner', { ...draft, state: emptyDraft() })).toBe('cleared');
    expect(storage.items.size).toBe(0);

    const small = new MemoryStorage(encodeDraft(draft, { history: false }).length);
    expect(new DraftStore(small).save(null, draft)).toBe('saved-without-history');
    expect(new DraftStore(small).load(null)!.state.past).toEqual([]);
    const tiny = new MemoryStorage(10);
    expect(new DraftStore(tiny).save(null, draft)).toBe('too-large');
    expect(tiny.items.size).toBe(0);

    storage.setItem(draftStorageKey('demo-planner'), '{"format":1');
    expect(store.load('demo-planner')).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it('moves work in hand to a newly chosen key, and with none in hand gives back what that key kept', () => {
    const storage = new MemoryStorage();
    const context = () => ({ township: '330903001000', planId: null });
    const keeper = new DraftKeeper(new DraftStore(storage), null, { state: () => edited, context, written: () => undefined });
    keeper.flush();
    expect([...storage.items.keys()]).toEqual(['wangge.draft:public']);
    expect(keeper.setKey('demo-planner')).toBeNull();
    expect([...storage.items.keys()]).toEqual(['wangge.draft:demo-planner']);

    // Another page, opened with another key and nothing drawn: switching to the planner brings the planner's draft.
    let state = emptyDraft();
    const other = new DraftKeeper(new DraftStore(storage), 'demo-reviewer', { state: () => state, context, written: () => undefined });
    expect(other.take()).toBeNull();
    const kept = other.setKey('demo-planner')!;
    expect(kept.state.features).toEqual(edited.features);
    expect(other.restored).toBe(kept);
    state = kept.state;
    other.discard();
    expect(storage.items.size).toBe(0);
    expect(other.restored).toBeNull();
  });
});
