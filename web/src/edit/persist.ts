// Unsaved work kept in the browser: the draft (grids, selection, undo/redo) with the township and plan it was made
// for, so a reload or a closed tab does not lose it. One draft per API key: another user of the same browser does not
// get it. The undo history's snapshots share every grid they did not change, so each grid is written once.
import type { Areal } from './geometry.ts';
import type { DraftFeature, EditorState } from './state.ts';

export interface DraftContext {
  township: string | null;
  planId: string | null;
}

export interface StoredDraft extends DraftContext {
  /** When it was written (ISO time); shown in the "restored" notice. */
  savedAt: string;
  state: EditorState;
}

/** Where a draft is written: what `localStorage` offers, so tests can pass a Map-backed stand-in. */
export type DraftStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export type SaveOutcome = 'saved' | 'saved-without-history' | 'cleared' | 'too-large';

const FORMAT = 1;

/** A snapshot as written: its grids as positions in the shared table. */
interface EncodedSnapshot {
  features: number[];
  selection: string[];
}

interface EncodedDraft extends DraftContext {
  format: typeof FORMAT;
  savedAt: string;
  serial: number;
  grids: DraftFeature[];
  current: EncodedSnapshot;
  past: EncodedSnapshot[];
  future: EncodedSnapshot[];
}

/** `wangge.draft:demo-planner`; the public (no key) has its own. */
export const draftStorageKey = (apiKey: string | null): string => `wangge.draft:${apiKey ?? 'public'}`;

/**
 * The draft as text; `history: false` leaves out undo and redo (when the whole would not fit).
 * @example decodeDraft(encodeDraft(draft, { history: true }))?.state.features.length === draft.state.features.length
 */
export function encodeDraft(draft: StoredDraft, options: { history: boolean }): string {
  const table = new Map<DraftFeature, number>();
  const grids: DraftFeature[] = [];
  const snapshot = (s: { features: DraftFeature[]; selection: string[] }): EncodedSnapshot => ({
    features: s.features.map((f) => {
      let at = table.get(f);
      if (at === undefined) {
        at = grids.push(f) - 1;
        table.set(f, at);
      }
      return at;
    }),
    selection: s.selection,
  });
  const { state } = draft;
  const encoded: EncodedDraft = {
    format: FORMAT,
    savedAt: draft.savedAt,
    township: draft.township,
    planId: draft.planId,
    serial: state.serial,
    grids,
    current: snapshot(state),
    past: options.history ? state.past.map(snapshot) : [],
    future: options.history ? state.future.map(snapshot) : [],
  };
  return JSON.stringify(encoded);
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isAreal = (g: unknown): g is Areal =>
  typeof g === 'object' && g !== null && ['Polygon', 'MultiPolygon'].includes((g as { type?: unknown }).type as string) && Array.isArray((g as { coordinates?: unknown }).coordinates);
const isGrid = (f: unknown): f is DraftFeature =>
  typeof f === 'object' && f !== null && isString((f as DraftFeature).id) && isAreal((f as DraftFeature).geometry) && typeof (f as DraftFeature).properties === 'object' && (f as DraftFeature).properties !== null;

/** The stored draft, or null when there is none or it cannot be read (another format, cut short, edited by hand). */
export function decodeDraft(text: string | null): StoredDraft | null {
  if (!text) return null;
  let data: EncodedDraft;
  try {
    data = JSON.parse(text) as EncodedDraft;
  } catch {
    return null;
  }
  if (data?.format !== FORMAT || !Array.isArray(data.grids) || !data.grids.every(isGrid) || !Number.isInteger(data.serial)) return null;
  const snapshot = (s: EncodedSnapshot | undefined) => {
    if (!s || !Array.isArray(s.features) || !Array.isArray(s.selection) || !s.selection.every(isString)) return null;
    const features = s.features.map((i) => data.grids[i]);
    return features.every((f) => f !== undefined) ? { features, selection: s.selection } : null;
  };
  const current = snapshot(data.current);
  const past = (Array.isArray(data.past) ? data.past : []).map(snapshot);
  const future = (Array.isArray(data.future) ? data.future : []).map(snapshot);
  if (!current || past.includes(null) || future.includes(null)) return null;
  return {
    savedAt: isString(data.savedAt) ? data.savedAt : new Date(0).toISOString(),
    township: isString(data.township) ? data.township : null,
    planId: isString(data.planId) ? data.planId : null,
    state: { ...current, past: past as EditorState['past'], future: future as EditorState['future'], serial: data.serial },
  };
}

/** Reads and writes one key's draft. An empty draft is not kept: there is nothing to come back to. */
export class DraftStore {
  constructor(private readonly storage: DraftStorage) {}

  load(apiKey: string | null): StoredDraft | null {
    const text = this.storage.getItem(draftStorageKey(apiKey));
    const draft = decodeDraft(text);
    if (text && !draft) this.clear(apiKey);
    return draft && draft.state.features.length ? draft : null;
  }

  /** Writes the draft with its history, without it when that does not fit, or not at all when even that does not. */
  save(apiKey: string | null, draft: StoredDraft): SaveOutcome {
    if (draft.state.features.length === 0) {
      this.clear(apiKey);
      return 'cleared';
    }
    for (const history of [true, false]) {
      try {
        this.storage.setItem(draftStorageKey(apiKey), encodeDraft(draft, { history }));
        return history ? 'saved' : 'saved-without-history';
      } catch {
        // Over the storage quota: try again smaller.
      }
    }
    this.clear(apiKey);
    return 'too-large';
  }

  clear(apiKey: string | null): void {
    this.storage.removeItem(draftStorageKey(apiKey));
  }
}
