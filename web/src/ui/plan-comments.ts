// Review comments in the plan panel: what reviewers wrote (newest review first, each grid's comment zooms to it), and
// for a reviewer about to return the plan, one comment box per grid they picked.
import type { PlanGrid } from '../api/client.ts';
import { language, t } from '../i18n/index.ts';
import type { CommentRow } from '../plan/comments.ts';
import { button, localTime, paragraph } from './dom.ts';

export function renderCommentList(rows: CommentRow[], focus: (gridId: string) => void): HTMLElement {
  const box = document.createElement('div');
  box.className = 'plan-comments';
  const title = document.createElement('h3');
  title.textContent = t('plan.comments.title');
  const list = document.createElement('ol');
  for (const row of rows) {
    const li = document.createElement('li');
    li.value = row.number;
    li.dataset.number = String(row.number);
    if (row.gridId) li.dataset.grid = row.gridId;
    if (row.latest) li.classList.add('latest');
    const about = document.createElement('strong');
    about.textContent = row.gridId ? (row.gridName ?? t('plan.comments.gridGone')) : t('plan.comments.plan');
    const meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = t('plan.comments.meta', { by: row.by, at: localTime(row.at, language()) });
    li.append(about, ' ', row.text, ' ', meta);
    if (row.gridId && row.gridName !== null) {
      li.classList.add('on-grid');
      li.addEventListener('click', () => focus(row.gridId!));
    }
    list.append(li);
  }
  box.append(title, list);
  return box;
}

/** One text box per grid the reviewer picked (on the map or in the grid list), kept across re-renders in `byGrid`. */
export function renderGridCommentEditor(byGrid: Map<string, string>, grids: PlanGrid[], remove: (gridId: string) => void): HTMLElement {
  const box = document.createElement('div');
  box.className = 'grid-comments';
  const title = document.createElement('h3');
  title.textContent = t('plan.gridComments.title');
  box.append(title, paragraph('hint', t('plan.gridComments.hint')));
  for (const [gridId, text] of byGrid) {
    const grid = grids.find((g) => g.id === gridId);
    if (!grid) continue;
    const label = document.createElement('label');
    label.className = 'grid-comment';
    label.textContent = grid.properties.name;
    const input = document.createElement('textarea');
    input.dataset.commentGrid = gridId;
    input.placeholder = t('plan.gridComments.placeholder', { name: grid.properties.name });
    input.value = text;
    input.addEventListener('input', () => byGrid.set(gridId, input.value));
    const drop = button('', '×', () => remove(gridId));
    drop.className = 'close';
    drop.title = t('plan.gridComments.remove');
    label.append(drop, input);
    box.append(label);
  }
  return box;
}
