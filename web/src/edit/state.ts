// The draft being edited: its grids, the selection and the undo/redo history. A pure reducer, so every edit
// the map tools make can be replayed and tested without a browser.
import type { Feature, LineString } from 'geojson';
import type { Grid, GridKind } from '../../../server/schemas/resources.ts';
import { mergeAreas, singlePartAsPolygon, splitByLine, type Areal, type GeometryError } from './geometry.ts';

export interface DraftProperties {
  /** Code of the filed grid this one was copied from; null for a new grid and after a split or merge (codes are reallocated). */
  code: string | null;
  name: string;
  kind: GridKind;
  subkind: Grid['subkind'];
  /** Village or community of the grid when known (copied from the registry); the server checks the code prefix against it. */
  divisionCode: string | null;
  households: number;
  staff: Grid['staff'];
  managingUnits: Grid['managingUnits'];
  /** The plan grid this draft grid reshapes: saving the draft writes its new outline back to that grid. Null for new grids and after a split or merge. */
  planGridId: string | null;
}

export type DraftFeature = Feature<Areal, DraftProperties> & { id: string };

interface Snapshot {
  features: DraftFeature[];
  selection: string[];
}

export interface EditorState extends Snapshot {
  past: Snapshot[];
  future: Snapshot[];
  /** Next number for ids and default names; never reused, so an undone id is not handed out again. */
  serial: number;
}

export type Edit =
  | { type: 'add'; geometry: Areal; properties?: Partial<DraftProperties> }
  /** Brings several grids in as one step, e.g. a township's filed partition to start a plan from. */
  | { type: 'load'; grids: { geometry: Areal; properties: Partial<DraftProperties> }[] }
  | { type: 'reshape'; id: string; geometry: Areal }
  | { type: 'remove'; ids: string[] }
  | { type: 'split'; id: string; line: LineString }
  | { type: 'merge'; ids: string[] }
  /** Renames a grid or says what it is (kind and subkind, e.g. a sea grid's aquaculture zone); undone like any edit. */
  | { type: 'describe'; id: string; properties: Partial<Pick<DraftProperties, 'name' | 'kind' | 'subkind'>> }
  | { type: 'select'; ids: string[] }
  | { type: 'undo' }
  | { type: 'redo' };

export type EditError = GeometryError | 'unknown-feature' | 'select-one' | 'select-two' | 'empty-name';
export type EditResult = { state: EditorState; error?: EditError };

const HISTORY_LIMIT = 200;

export function emptyDraft(): EditorState {
  return { features: [], selection: [], past: [], future: [], serial: 1 };
}

/** Draft name shown for new grids; the planner renames them before filing. */
export type NameDraft = (n: number) => string;
const defaultName: NameDraft = (n) => `草案 ${n}`;

function newFeature(state: EditorState, geometry: Areal, properties: Partial<DraftProperties>, nameDraft: NameDraft): DraftFeature {
  return {
    type: 'Feature',
    id: `d${state.serial}`,
    geometry: singlePartAsPolygon(geometry),
    properties: { code: null, name: nameDraft(state.serial), kind: 'comprehensive', subkind: null, divisionCode: null, households: 0, staff: [], managingUnits: [], planGridId: null, ...properties },
  };
}

/** Records the current snapshot, then applies `change`; a new edit drops whatever could have been redone. */
function commit(state: EditorState, change: Partial<Snapshot> & { serial?: number }): EditorState {
  const past = [...state.past, { features: state.features, selection: state.selection }].slice(-HISTORY_LIMIT);
  return { ...state, ...change, past, future: [] };
}

/**
 * Applies one edit. Errors come back as values with the state unchanged, so the panel can say why nothing happened.
 * @example applyEdit(emptyDraft(), { type: 'add', geometry: square }).state.features.length // 1
 */
export function applyEdit(state: EditorState, edit: Edit, nameDraft: NameDraft = defaultName): EditResult {
  const byId = (id: string) => state.features.find((f) => f.id === id);
  switch (edit.type) {
    case 'add': {
      const feature = newFeature(state, edit.geometry, edit.properties ?? {}, nameDraft);
      return { state: commit(state, { features: [...state.features, feature], selection: [feature.id], serial: state.serial + 1 }) };
    }
    case 'load': {
      if (edit.grids.length === 0) return { state, error: 'empty-geometry' };
      const added = edit.grids.map((g, i) => newFeature({ ...state, serial: state.serial + i }, g.geometry, g.properties, nameDraft));
      return { state: commit(state, { features: [...state.features, ...added], selection: [], serial: state.serial + added.length }) };
    }
    case 'reshape': {
      const target = byId(edit.id);
      if (!target) return { state, error: 'unknown-feature' };
      const features = state.features.map((f) => (f.id === edit.id ? { ...f, geometry: singlePartAsPolygon(edit.geometry) } : f));
      return { state: commit(state, { features }) };
    }
    case 'remove': {
      const ids = new Set(edit.ids.filter((id) => byId(id)));
      if (ids.size === 0) return { state, error: 'select-one' };
      return {
        state: commit(state, { features: state.features.filter((f) => !ids.has(f.id)), selection: state.selection.filter((id) => !ids.has(id)) }),
      };
    }
    case 'split': {
      const target = byId(edit.id);
      if (!target) return { state, error: 'unknown-feature' };
      const cut = splitByLine(target.geometry, edit.line);
      if (!cut.ok) return { state, error: cut.error };
      const base = { ...target.properties, code: null, households: 0, planGridId: null };
      const left = newFeature(state, cut.value[0], base, nameDraft);
      const right = newFeature({ ...state, serial: state.serial + 1 }, cut.value[1], base, nameDraft);
      left.properties.name = `${target.properties.name}-1`;
      right.properties.name = `${target.properties.name}-2`;
      const features = state.features.flatMap((f) => (f.id === edit.id ? [left, right] : [f]));
      return { state: commit(state, { features, selection: [left.id, right.id], serial: state.serial + 2 }) };
    }
    case 'merge': {
      const parts = edit.ids.map(byId).filter((f): f is DraftFeature => f !== undefined);
      if (parts.length < 2) return { state, error: 'select-two' };
      const merged = mergeAreas(parts.map((f) => f.geometry));
      if (!merged.ok) return { state, error: merged.error };
      const households = parts.reduce((sum, f) => sum + f.properties.households, 0);
      const feature = newFeature(state, merged.value, { ...parts[0].properties, code: null, households, planGridId: null }, nameDraft);
      const gone = new Set(parts.map((f) => f.id));
      const at = state.features.findIndex((f) => gone.has(f.id));
      const kept = state.features.filter((f) => !gone.has(f.id));
      const features = [...kept.slice(0, at), feature, ...kept.slice(at)];
      return { state: commit(state, { features, selection: [feature.id], serial: state.serial + 1 }) };
    }
    case 'describe': {
      const target = byId(edit.id);
      if (!target) return { state, error: 'unknown-feature' };
      const name = edit.properties.name?.trim();
      if (name === '') return { state, error: 'empty-name' };
      const properties = { ...target.properties, ...edit.properties, ...(name ? { name } : {}) };
      if (Object.entries(properties).every(([key, value]) => target.properties[key as keyof DraftProperties] === value)) return { state };
      const features = state.features.map((f) => (f.id === edit.id ? { ...f, properties } : f));
      return { state: commit(state, { features }) };
    }
    case 'select': {
      const known = edit.ids.filter((id) => byId(id));
      return { state: { ...state, selection: [...new Set(known)] } };
    }
    case 'undo': {
      const previous = state.past.at(-1);
      if (!previous) return { state };
      const future = [{ features: state.features, selection: state.selection }, ...state.future];
      return { state: { ...state, ...previous, past: state.past.slice(0, -1), future } };
    }
    case 'redo': {
      const next = state.future[0];
      if (!next) return { state };
      const past = [...state.past, { features: state.features, selection: state.selection }];
      return { state: { ...state, ...next, past, future: state.future.slice(1) } };
    }
  }
}

export const canUndo = (state: EditorState): boolean => state.past.length > 0;
export const canRedo = (state: EditorState): boolean => state.future.length > 0;
