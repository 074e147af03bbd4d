// Toolbar and status of the draft: tools, township of the draft, counts, hint line and the last error; the name and
// type of the one selected grid; the notice that unsaved work was brought back after a reload.
import type { Division, Grid } from '../api/client.ts';
import type { Tool } from '../edit/draw.ts';
import type { SaveOutcome, StoredDraft } from '../edit/persist.ts';
import { canRedo, canUndo, type DraftFeature, type DraftProperties, type EditError, type EditorState } from '../edit/state.ts';
import { language, t, type MessageKey } from '../i18n/index.ts';
import { button, localTime, paragraph } from './dom.ts';
import type { ShortcutAction } from './shortcuts.ts';

export interface EditPanelView {
  state: EditorState;
  tool: Tool;
  error?: EditError;
  townships: Division[];
  township: string | null;
  /** The draft brought back from the browser's storage at load, until dismissed or discarded. */
  restored: StoredDraft | null;
  /** How keeping the draft in the browser last went. */
  kept: SaveOutcome | null;
}

export interface EditPanelActions {
  run(action: ShortcutAction): void;
  chooseTownship(code: string): void;
  loadFiled(): void;
  describe(id: string, properties: Partial<Pick<DraftProperties, 'name' | 'kind' | 'subkind'>>): void;
  discardRestored(): void;
  keepRestored(): void;
}

/** What a grid can be, as the type list offers it: each kind alone, then with each of its subkinds. */
const GRID_TYPES: [Grid['kind'], Grid['subkind']][] = [
  ['comprehensive', null],
  ['comprehensive', 'community'],
  ['comprehensive', 'village'],
  ...(['admin_center', 'industrial_park', 'enterprise', 'office_building', 'market', 'school', 'hospital', 'transport_hub', 'other'] as const).map(
    (subkind): [Grid['kind'], Grid['subkind']] => ['special', subkind],
  ),
  ['maritime', 'aquaculture'],
  ['maritime', 'offshore_operation'],
  ['maritime', 'vessel_formation'],
];

const BUTTONS: [ShortcutAction, MessageKey, string][] = [
  ['draw', 'edit.draw', 'D'],
  ['select', 'edit.select', 'V'],
  ['split', 'edit.split', 'S'],
  ['merge', 'edit.merge', 'M'],
  ['delete', 'edit.delete', 'Del'],
  ['undo', 'edit.undo', 'Ctrl+Z'],
  ['redo', 'edit.redo', 'Ctrl+Y'],
];

export function renderEditPanel(el: HTMLElement, view: EditPanelView, actions: EditPanelActions): void {
  el.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = t('edit.title');
  if (view.restored) el.append(restoredNotice(view.restored, actions));
  const label = document.createElement('label');
  label.className = 'township';
  label.textContent = t('edit.division');
  const select = document.createElement('select');
  select.id = 'draft-township';
  select.append(new Option(t('edit.chooseDivision'), ''));
  for (const d of view.townships) select.append(new Option(`${d.name} ${d.code}`, d.code, false, d.code === view.township));
  select.addEventListener('change', () => actions.chooseTownship(select.value));
  label.append(select);
  const load = document.createElement('button');
  load.id = 'load-filed';
  load.textContent = t('edit.loadFiled');
  load.disabled = view.township === null;
  load.addEventListener('click', actions.loadFiled);
  const toolbar = document.createElement('div');
  toolbar.className = 'toolbar';
  const disabled: Partial<Record<ShortcutAction, boolean>> = {
    undo: !canUndo(view.state),
    redo: !canRedo(view.state),
    merge: view.state.selection.length < 2,
    split: view.state.selection.length !== 1,
    delete: view.state.selection.length === 0,
  };
  for (const [action, key, shortcut] of BUTTONS) {
    const button = document.createElement('button');
    button.textContent = t(key);
    button.title = shortcut;
    button.dataset.action = action;
    button.disabled = disabled[action] ?? false;
    if (action === view.tool) button.classList.add('active');
    button.addEventListener('click', () => actions.run(action));
    toolbar.append(button);
  }
  const count = document.createElement('p');
  count.id = 'draft-count';
  count.textContent = t('edit.count', { count: view.state.features.length, selected: view.state.selection.length });
  const hint = document.createElement('p');
  hint.className = 'hint';
  hint.textContent = t(`edit.hint.${view.tool}`);
  el.append(heading, label, load, toolbar, count, hint);
  const [only] = view.state.selection;
  const selected = view.state.selection.length === 1 ? view.state.features.find((f) => f.id === only) : undefined;
  if (selected) el.append(describeForm(selected, actions));
  if (view.kept === 'too-large' || view.kept === 'saved-without-history') {
    el.append(paragraph('hint kept', t(view.kept === 'too-large' ? 'draft.tooLarge' : 'draft.noHistory')));
  }
  if (view.error) {
    const error = document.createElement('p');
    error.className = 'error';
    error.textContent = t(`edit.error.${view.error}`);
    el.append(error);
  }
}

function restoredNotice(restored: StoredDraft, actions: EditPanelActions): HTMLElement {
  const box = document.createElement('div');
  box.id = 'draft-restored';
  box.className = 'restored';
  box.append(
    paragraph('', t('draft.restored', { count: restored.state.features.length, at: localTime(restored.savedAt, language()) })),
    button('draft-discard', t('draft.discard'), actions.discardRestored),
    button('draft-keep', t('draft.keep'), actions.keepRestored),
  );
  return box;
}

const typeLabel = ([kind, subkind]: [Grid['kind'], Grid['subkind']]) => (subkind ? `${t(`kind.${kind}`)} · ${t(`subkind.${subkind}` as MessageKey)}` : t(`kind.${kind}`));

/** Name and type of the one selected draft grid; a change is an edit (undoable). */
function describeForm(grid: DraftFeature, actions: EditPanelActions): HTMLElement {
  const box = document.createElement('div');
  box.className = 'describe';
  const nameLabel = document.createElement('label');
  nameLabel.textContent = t('edit.selected.name');
  const name = document.createElement('input');
  name.id = 'draft-name';
  name.value = grid.properties.name;
  name.addEventListener('change', () => actions.describe(grid.id, { name: name.value }));
  nameLabel.append(name);
  const typeField = document.createElement('label');
  typeField.textContent = t('edit.selected.type');
  const type = document.createElement('select');
  type.id = 'draft-type';
  for (const [i, entry] of GRID_TYPES.entries()) {
    const current = entry[0] === grid.properties.kind && entry[1] === grid.properties.subkind;
    type.append(new Option(typeLabel(entry), String(i), false, current));
  }
  type.addEventListener('change', () => {
    const [kind, subkind] = GRID_TYPES[Number(type.value)];
    actions.describe(grid.id, { kind, subkind });
  });
  typeField.append(type);
  box.append(nameLabel, typeField);
  return box;
}
