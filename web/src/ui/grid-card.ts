// The card of one filed grid: code, kind, division, households, staff, version history and lineage, and its printable notice.
import { gridNoticeUrl, type GridFeature, type GridHistory } from '../api/client.ts';
import { t, type MessageKey } from '../i18n/index.ts';

export function renderGridCard(
  el: HTMLElement,
  grid: GridFeature,
  divisionName: string,
  history: GridHistory | null,
  actions: { close(): void; copyToDraft(): void },
): void {
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
  const notice = document.createElement('a');
  notice.className = 'notice-link';
  notice.href = gridNoticeUrl(p.code ?? '');
  notice.target = '_blank';
  notice.textContent = t('card.notice');
  el.append(heading, list, copy, ' ', notice);
  if (history) el.append(historyList(history));
}

function historyList(history: GridHistory): HTMLElement {
  const box = document.createElement('div');
  box.className = 'history';
  const versions = document.createElement('ul');
  versions.className = 'versions';
  for (const v of history.versions) {
    const li = document.createElement('li');
    li.textContent = t('card.version', { version: v.version, name: v.name, households: v.households, from: v.validFrom.slice(0, 10), to: v.validTo?.slice(0, 10) ?? '…' });
    versions.append(li);
  }
  const lineage = document.createElement('ul');
  lineage.className = 'lineage';
  for (const l of history.lineage) {
    const li = document.createElement('li');
    li.dataset.relation = l.relation;
    li.dataset.from = l.from;
    li.textContent = t('card.lineage', { from: l.from, to: l.to, relation: l.relation, date: l.onDate.slice(0, 10) });
    lineage.append(li);
  }
  box.append(versions, lineage);
  return box;
}
