// The maritime authority's vessel list: each vessel with its formation's colour, ticked to be put into a formation.
import { t } from '../i18n/index.ts';
import type { FleetRow, FormationChoice } from '../sea/roster.ts';
import { button, heading, paragraph } from './dom.ts';

export interface FleetPanelView {
  rows: FleetRow[];
  choices: FormationChoice[];
  /** Vessel ids ticked. */
  selected: Set<string>;
  /** Formation code chosen to put them into; '' for none yet. */
  target: string;
  busy: boolean;
  message: { kind: 'error' | 'info'; text: string } | null;
}

export interface FleetPanelActions {
  toggle(vesselId: string): void;
  choose(formationCode: string): void;
  assign(): void;
}

export function renderFleetPanel(el: HTMLElement, view: FleetPanelView, actions: FleetPanelActions): void {
  el.replaceChildren(heading(t('fleet.title')));
  if (!view.rows.length) {
    el.append(paragraph('hint', t('fleet.empty')));
    return;
  }
  const list = document.createElement('ul');
  list.className = 'fleet';
  for (const row of view.rows) {
    const li = document.createElement('li');
    li.dataset.vesselId = row.id;
    li.dataset.formation = row.formationCode ?? '';
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = view.selected.has(row.id);
    box.disabled = view.busy;
    box.addEventListener('change', () => actions.toggle(row.id));
    const dot = document.createElement('span');
    dot.className = 'swatch dot';
    dot.style.setProperty('--colour', row.colour);
    const formation = document.createElement('span');
    formation.className = 'formation';
    formation.textContent = row.formationName ?? t('fleet.none');
    label.append(box, dot, `${row.name} `, formation);
    li.append(label);
    list.append(li);
  }
  const select = document.createElement('select');
  select.id = 'fleet-formation';
  select.append(new Option(t('fleet.choose'), ''));
  for (const choice of view.choices) select.append(new Option(`${choice.name} ${choice.code}`, choice.code, false, choice.code === view.target));
  select.addEventListener('change', () => actions.choose(select.value));
  const tools = document.createElement('div');
  tools.className = 'toolbar';
  tools.append(
    select,
    button('fleet-assign', t('fleet.assign'), actions.assign, view.busy || view.selected.size === 0 || !view.target),
    paragraph('hint', t('fleet.selected', { count: view.selected.size })),
  );
  el.append(list, tools);
  if (view.message) el.append(paragraph(`message ${view.message.kind}`, view.message.text));
}
