// Findings of the last validation: local checks first, then the server's rule report; a click zooms to the finding.
import type { Finding, RuleReport } from '../api/client.ts';
import { language, t, type MessageKey } from '../i18n/index.ts';

export type ValidationView =
  | { status: 'idle' }
  | { status: 'running'; local: Finding[] }
  | { status: 'done'; local: Finding[]; report: RuleReport | null; notice: MessageKey | null; detail?: string };

export function renderValidation(el: HTMLElement, view: ValidationView, zoomTo: (finding: Finding) => void): void {
  el.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = t('validation.title');
  el.append(heading);
  if (view.status === 'idle') return;
  const findings = [...view.local, ...(view.status === 'done' ? (view.report?.findings ?? []) : [])];
  const counts = { error: findings.filter((f) => f.severity === 'error').length, warning: findings.filter((f) => f.severity === 'warning').length };
  const summary = document.createElement('p');
  summary.className = 'summary';
  summary.textContent = view.status === 'running' ? t('validation.running') : findings.length ? t('validation.counts', counts) : t('validation.ok');
  el.append(summary);
  if (view.status === 'done' && view.notice) {
    const notice = document.createElement('p');
    notice.className = 'notice';
    notice.textContent = t(view.notice, { detail: view.detail ?? '' });
    el.append(notice);
  }
  const list = document.createElement('ul');
  list.className = 'findings';
  for (const finding of findings) {
    const li = document.createElement('li');
    li.className = finding.severity;
    li.dataset.rule = finding.ruleId;
    li.innerHTML = '<span class="severity"></span> <span class="message"></span>';
    li.querySelector('.severity')!.textContent = t(`severity.${finding.severity}`);
    li.querySelector('.message')!.textContent = finding.message[language()];
    if (finding.geometry) li.addEventListener('click', () => zoomTo(finding));
    else li.classList.add('no-geometry');
    list.append(li);
  }
  el.append(list);
}
