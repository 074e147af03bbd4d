// Suggest a partition for one village from its household counts: band inputs, the job's progress, the result's
// quality figures, and a button that takes the suggested grids into the draft.
import type { Division, HouseholdBandInput, SuggestJob } from '../api/client.ts';
import { t } from '../i18n/index.ts';

export interface SuggestPanelView {
  villages: Division[];
  village: string | null;
  band: HouseholdBandInput;
  job: SuggestJob | null;
  error: string | null;
}

export interface SuggestPanelActions {
  chooseVillage(code: string): void;
  run(): void;
  accept(): void;
}

function numberInput(id: string, value: number, set: (value: number) => void): HTMLInputElement {
  const input = document.createElement('input');
  input.type = 'number';
  input.id = id;
  input.min = '1';
  input.value = String(value);
  input.addEventListener('change', () => set(Number(input.value)));
  return input;
}

export function renderSuggestPanel(el: HTMLElement, view: SuggestPanelView, actions: SuggestPanelActions): void {
  el.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = t('suggest.title');
  const select = document.createElement('select');
  select.id = 'suggest-village';
  select.append(new Option(t('suggest.chooseVillage'), ''));
  for (const d of view.villages) select.append(new Option(`${d.name} ${d.code}`, d.code, false, d.code === view.village));
  select.addEventListener('change', () => actions.chooseVillage(select.value));
  const band = document.createElement('div');
  band.className = 'band';
  band.append(
    t('suggest.band'),
    numberInput('suggest-min', view.band.min, (v) => (view.band.min = v)),
    '–',
    numberInput('suggest-max', view.band.max, (v) => (view.band.max = v)),
    t('suggest.ideal'),
    numberInput('suggest-ideal', view.band.ideal, (v) => (view.band.ideal = v)),
  );
  const running = view.job !== null && (view.job.status === 'queued' || view.job.status === 'running');
  const run = document.createElement('button');
  run.id = 'suggest-run';
  run.textContent = t('suggest.run');
  run.disabled = !view.village || running;
  run.addEventListener('click', actions.run);
  el.append(heading, select, band, run);
  if (view.job) {
    const progress = document.createElement('progress');
    progress.id = 'suggest-progress';
    progress.max = 100;
    progress.value = view.job.percent;
    const phase = document.createElement('p');
    phase.id = 'suggest-phase';
    phase.dataset.status = view.job.status;
    phase.textContent = t('suggest.progress', { status: t(`suggest.status.${view.job.status}`), phase: view.job.phase ?? '', percent: Math.round(view.job.percent) });
    el.append(progress, phase);
    const result = view.job.result;
    if (result) {
      const summary = document.createElement('p');
      summary.id = 'suggest-summary';
      summary.textContent = t('suggest.summary', { grids: result.features.features.length, share: Math.round(result.report.shareInBand * 100) });
      const accept = document.createElement('button');
      accept.id = 'suggest-accept';
      accept.textContent = t('suggest.accept');
      accept.addEventListener('click', actions.accept);
      el.append(summary, accept);
    }
  }
  if (view.error) {
    const error = document.createElement('p');
    error.className = 'error';
    error.textContent = view.error;
    el.append(error);
  }
}
