// Existing plans the role may open: township, status, version and last change; those awaiting the role are marked.
import { language, t, type MessageKey } from '../i18n/index.ts';
import type { PlanRow } from '../plan/listing.ts';
import { button, localTime, paragraph } from './dom.ts';

export function renderPlanList(rows: PlanRow[] | null, townshipName: (code: string) => string, actions: { open(id: string): void; refresh(): void }): HTMLElement {
  const box = document.createElement('div');
  box.className = 'plan-list';
  const title = document.createElement('h3');
  title.textContent = t('plan.list.title');
  title.append(' ', button('plan-list-refresh', '↻', actions.refresh));
  box.append(title);
  if (rows === null) {
    box.append(paragraph('hint', t('plan.list.loading')));
    return box;
  }
  if (rows.length === 0) {
    box.append(paragraph('hint', t('plan.list.none')));
    return box;
  }
  const list = document.createElement('ul');
  for (const row of rows) {
    const li = document.createElement('li');
    li.dataset.planId = row.id;
    li.dataset.status = row.status;
    if (row.awaitsRole) li.classList.add('awaits');
    const text = document.createElement('span');
    text.textContent = t('plan.list.row', {
      id: row.id,
      township: townshipName(row.townshipCode) || row.townshipCode,
      status: t(`plan.status.${row.status}` as MessageKey),
      version: row.version,
      at: localTime(row.updatedAt, language()),
    });
    li.append(text, button('', t('plan.list.open'), () => actions.open(row.id)));
    list.append(li);
  }
  box.append(list);
  return box;
}
