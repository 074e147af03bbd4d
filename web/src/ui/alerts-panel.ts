// Alerts at sea for the maritime authority: members that left their formation, stale members, vessels inside an
// aquaculture zone not theirs — as of now, or as of the newest position report (the demo's tracks end at a fixed time).
import type { AlertList, VesselAlert } from '../api/client.ts';
import { language, t, type MessageKey } from '../i18n/index.ts';
import { button, heading, localTime, paragraph } from './dom.ts';

export type AlertTime = 'now' | 'latest';

export interface AlertsPanelView {
  at: AlertTime;
  latestReport: string | null;
  list: AlertList | null;
  loading: boolean;
  error: string | null;
}

export interface AlertsPanelActions {
  choose(at: AlertTime): void;
  focus(alert: VesselAlert): void;
}

export function renderAlertsPanel(el: HTMLElement, view: AlertsPanelView, actions: AlertsPanelActions): void {
  el.replaceChildren(heading(t('alerts.title')));
  const times = document.createElement('div');
  times.className = 'toolbar';
  const now = button('alerts-now', t('alerts.now'), () => actions.choose('now'), view.loading);
  const latest = button('alerts-latest', view.latestReport ? t('alerts.latest', { time: localTime(view.latestReport, language()) }) : t('alerts.noReports'), () => actions.choose('latest'), view.loading || !view.latestReport);
  (view.at === 'now' ? now : latest).classList.add('active');
  times.append(now, latest);
  el.append(times);
  if (view.error) el.append(paragraph('error', t('alerts.failed', { detail: view.error })));
  if (!view.list) {
    if (view.loading) el.append(paragraph('summary', t('alerts.loading')));
    return;
  }
  const summary = paragraph('summary', t('alerts.summary', { time: localTime(view.list.at, language()), count: view.list.alerts.length }));
  summary.id = 'alerts-summary';
  summary.dataset.count = String(view.list.alerts.length);
  el.append(summary);
  const list = document.createElement('ul');
  list.className = 'alerts';
  for (const alert of view.list.alerts) {
    const li = document.createElement('li');
    li.className = alert.kind;
    li.dataset.kind = alert.kind;
    li.dataset.mmsi = alert.vessel.mmsi ?? '';
    const kind = document.createElement('strong');
    kind.textContent = t(`alerts.kind.${alert.kind}` as MessageKey);
    li.append(kind, ' ', alert.message[language()]);
    if (alert.position) li.addEventListener('click', () => actions.focus(alert));
    else li.classList.add('no-position');
    list.append(li);
  }
  el.append(list);
}
