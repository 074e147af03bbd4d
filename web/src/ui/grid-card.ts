// The card of one filed grid: code, kind, division, households, staff and version.
import type { GridFeature } from '../api/client.ts';
import { t, type MessageKey } from '../i18n/index.ts';

export function renderGridCard(el: HTMLElement, grid: GridFeature, divisionName: string, actions: { close(): void; copyToDraft(): void }): void {
  const p = grid.properties;
  el.hidden = false;
  el.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = p.name;
  const close = document.createElement('button');
  close.className = 'close';
  close.textContent = '×';
  close.title = t('card.close');
  close.addEventListener('click', actions.close);
  heading.append(close);
  const rows: [MessageKey, string][] = [
    ['card.code', p.code ?? '—'],
    ['card.kind', t(`kind.${p.kind}` as MessageKey)],
    ['card.division', `${divisionName} (${p.divisionCode})`],
    ['card.households', String(p.households)],
    ['card.population', String(p.population)],
    ['card.staff', p.staff.length ? p.staff.map((s) => `${t(`role.${s.role}` as MessageKey)} ${s.name}`).join('、') : t('card.noStaff')],
    ['card.history', `v${p.version}${p.validFrom ? ` · ${t('card.validFrom', { from: p.validFrom })}` : ''}`],
  ];
  const list = document.createElement('dl');
  for (const [key, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = t(key);
    const dd = document.createElement('dd');
    dd.textContent = value;
    dd.dataset.field = key;
    list.append(dt, dd);
  }
  const copy = document.createElement('button');
  copy.textContent = t('card.toDraft');
  copy.addEventListener('click', actions.copyToDraft);
  el.append(heading, list, copy);
}
