// Toolbar and status of the draft: tools, township of the draft, counts, hint line and the last error.
import type { Division } from '../api/client.ts';
import type { Tool } from '../edit/draw.ts';
import { canRedo, canUndo, type EditError, type EditorState } from '../edit/state.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { ShortcutAction } from './shortcuts.ts';

export interface EditPanelView {
  state: EditorState;
  tool: Tool;
  error?: EditError;
  townships: Division[];
  township: string | null;
}

const BUTTONS: [ShortcutAction, MessageKey, string][] = [
  ['draw', 'edit.draw', 'D'],
  ['select', 'edit.select', 'V'],
  ['split', 'edit.split', 'S'],
  ['merge', 'edit.merge', 'M'],
  ['delete', 'edit.delete', 'Del'],
  ['undo', 'edit.undo', 'Ctrl+Z'],
  ['redo', 'edit.redo', 'Ctrl+Y'],
];

export function renderEditPanel(
  el: HTMLElement,
  view: EditPanelView,
  actions: { run(action: ShortcutAction): void; chooseTownship(code: string): void; loadFiled(): void },
): void {
  el.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = t('edit.title');
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
  if (view.error) {
    const error = document.createElement('p');
    error.className = 'error';
    error.textContent = t(`edit.error.${view.error}`);
    el.append(error);
  }
}
