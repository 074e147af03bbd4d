// The plan (划分方案) on the server: create one for the draft's township or open an existing one, edit its grids
// (reshape, split by a line, merge, delete, add the draft), read its rule report, and take the workflow steps the
// plan's status and the chosen role allow.
import type { PlanGrid, PlanTransition, PlanView, Versioned } from '../api/client.ts';
import { draftingScope, mayEditPlan, mayTake } from '../api/auth.ts';
import { language, t, type MessageKey } from '../i18n/index.ts';
import { commentRows } from '../plan/comments.ts';
import type { PlanRow } from '../plan/listing.ts';
import { button as labelled } from './dom.ts';
import { renderCommentList, renderGridCommentEditor } from './plan-comments.ts';
import { renderPlanList } from './plan-list.ts';

export interface PlanPanelView {
  key: string | null;
  township: string | null;
  plan: Versioned<PlanView> | null;
  grids: PlanGrid[];
  checked: Set<string>;
  draftCount: number;
  diffShown: boolean;
  /** Texts typed so far, kept across re-renders: justifications per warning rule id, and the return comment. */
  justifications: Map<string, string>;
  comment: { text: string };
  /** The reviewer's comments on single grids, by plan grid id, in the order the grids were picked. */
  gridComments: Map<string, string>;
  message: { kind: 'error' | 'info'; text: string } | null;
  busy: boolean;
  /** Plans the role may open; null until loaded. */
  list: PlanRow[] | null;
  /** An edit refused as stale (412) that can be sent again against the reloaded plan. */
  reapplicable: boolean;
  /** A split line is being drawn on the map. */
  drawingSplit: boolean;
}

export interface PlanPanelActions {
  create(): void;
  open(id: string): void;
  refreshList(): void;
  toggle(gridId: string): void;
  reshape(): void;
  split(): void;
  reapply(): void;
  merge(): void;
  remove(): void;
  addDraft(): void;
  toggleDiff(): void;
  transition(step: PlanTransition): void;
  close(): void;
  /** The reviewer picks a grid to comment on. */
  commentOn(gridId: string): void;
  uncomment(gridId: string): void;
  /** Zooms to a commented grid and checks it. */
  focusGrid(gridId: string): void;
}

const button = (id: string, key: MessageKey, onClick: () => void, disabled = false) => labelled(id, t(key), onClick, disabled);

export function renderPlanPanel(el: HTMLElement, view: PlanPanelView, actions: PlanPanelActions, townshipName: (code: string) => string): void {
  el.replaceChildren();
  const heading = document.createElement('h2');
  heading.textContent = t('plan.title');
  el.append(heading);
  const plan = view.plan?.value;
  if (!plan) {
    const hint = document.createElement('p');
    hint.className = 'hint';
    const maritime = draftingScope(view.key) === 'maritime';
    hint.textContent = view.key ? t(maritime ? 'plan.createHint.maritime' : 'plan.createHint') : t('plan.needKey');
    el.append(hint, button('plan-create', maritime ? 'plan.create.maritime' : 'plan.create', actions.create, view.busy || !view.township || !draftingScope(view.key)));
    if (view.key) el.append(renderPlanList(view.list, townshipName, { open: actions.open, refresh: actions.refreshList }));
  } else {
    const reviewing = plan.allowedTransitions.includes('return') && mayTake(view.key, 'return');
    el.append(planSummary(plan, actions), gridList(view, actions, reviewing));
    if (plan.comments.length) el.append(renderCommentList(commentRows(plan.comments, view.grids), actions.focusGrid));
    const editable = (plan.status === 'draft' || plan.status === 'returned') && mayEditPlan(view.key, plan.scope);
    const tools = document.createElement('div');
    tools.className = 'toolbar';
    const one = view.checked.size === 1;
    tools.append(
      button('plan-reshape', 'plan.reshape', actions.reshape, view.busy || !editable || !one),
      button('plan-split', view.drawingSplit ? 'plan.splitDrawing' : 'plan.split', actions.split, view.busy || !editable || !one || view.drawingSplit),
      button('plan-merge', 'plan.merge', actions.merge, view.busy || !editable || view.checked.size < 2),
      button('plan-delete', 'plan.delete', actions.remove, view.busy || !editable || view.checked.size === 0),
      button('plan-add-draft', 'plan.addDraft', actions.addDraft, view.busy || !editable || view.draftCount === 0),
      button('plan-diff', view.diffShown ? 'plan.hideDiff' : 'plan.showDiff', actions.toggleDiff),
    );
    el.append(tools, report(plan, view));
    el.append(transitions(plan, view, actions));
  }
  if (view.message) {
    const message = document.createElement('p');
    message.className = `message ${view.message.kind}`;
    message.textContent = view.message.text;
    el.append(message);
  }
  if (view.reapplicable && view.plan) el.append(button('plan-reapply', 'plan.reapply', actions.reapply, view.busy));
}

function planSummary(plan: PlanView, actions: PlanPanelActions): HTMLElement {
  const line = document.createElement('p');
  line.id = 'plan-status';
  line.dataset.status = plan.status;
  line.dataset.scope = plan.scope;
  line.textContent = t('plan.summary', { id: plan.id, township: plan.townshipCode, status: t(`plan.status.${plan.status}` as MessageKey), version: plan.version });
  if (plan.scope === 'maritime') line.append(` · ${t('plan.scope.maritime')}`);
  const close = document.createElement('button');
  close.className = 'close';
  close.textContent = '×';
  close.title = t('card.close');
  close.addEventListener('click', actions.close);
  line.append(' ', close);
  return line;
}

function gridList(view: PlanPanelView, actions: PlanPanelActions, reviewing: boolean): HTMLElement {
  const list = document.createElement('ul');
  list.className = 'plan-grids';
  for (const grid of view.grids) {
    const li = document.createElement('li');
    const label = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.dataset.gridId = grid.id;
    box.checked = view.checked.has(grid.id);
    box.addEventListener('change', () => actions.toggle(grid.id));
    const p = grid.properties;
    label.append(box, ` ${p.name} `);
    const code = document.createElement('span');
    code.className = 'code';
    code.textContent = p.code ?? t('plan.newCode');
    label.append(code);
    li.append(label);
    if (reviewing) {
      const comment = labelled('', t('plan.gridComments.add'), () => actions.commentOn(grid.id), view.gridComments.has(grid.id));
      comment.className = 'comment-grid';
      comment.dataset.gridId = grid.id;
      li.prepend(comment); // floated right, so it goes first
    }
    list.append(li);
  }
  return list;
}

function report(plan: PlanView, view: PlanPanelView): HTMLElement {
  const box = document.createElement('div');
  box.className = 'plan-report';
  const findings = plan.report?.findings ?? [];
  const summary = document.createElement('p');
  summary.className = 'summary';
  const counts = { error: findings.filter((f) => f.severity === 'error').length, warning: findings.filter((f) => f.severity === 'warning').length };
  summary.textContent = plan.report ? (findings.length ? t('validation.counts', counts) : t('validation.ok')) : t('plan.noReport');
  box.append(summary);
  const list = document.createElement('ul');
  list.className = 'findings';
  for (const finding of findings) {
    const li = document.createElement('li');
    li.className = `${finding.severity} no-geometry`;
    li.dataset.rule = finding.ruleId;
    li.textContent = `${t(`severity.${finding.severity}`)} ${finding.message[language()]}`;
    list.append(li);
  }
  box.append(list);
  const canSubmit = plan.allowedTransitions.includes('submit') && mayTake(view.key, 'submit');
  if (canSubmit) {
    for (const ruleId of [...new Set(findings.filter((f) => f.severity === 'warning').map((f) => f.ruleId))]) {
      const label = document.createElement('label');
      label.className = 'justification';
      label.textContent = t('plan.justify', { rule: ruleId });
      const input = document.createElement('textarea');
      input.dataset.justify = ruleId;
      input.value = view.justifications.get(ruleId) ?? '';
      input.addEventListener('input', () => view.justifications.set(ruleId, input.value));
      label.append(input);
      box.append(label);
    }
  }
  return box;
}

function transitions(plan: PlanView, view: PlanPanelView, actions: PlanPanelActions): HTMLElement {
  const box = document.createElement('div');
  box.className = 'transitions';
  const steps = (plan.allowedTransitions as PlanTransition[]).filter((step) => mayTake(view.key, step));
  if (steps.includes('return')) {
    const comment = document.createElement('textarea');
    comment.id = 'plan-comment';
    comment.placeholder = t('plan.commentPlaceholder');
    comment.value = view.comment.text;
    comment.addEventListener('input', () => (view.comment.text = comment.value));
    box.append(comment, renderGridCommentEditor(view.gridComments, view.grids, actions.uncomment));
  }
  const row = document.createElement('div');
  row.className = 'toolbar';
  for (const step of steps) {
    const b = button(`plan-${step}`, `plan.step.${step}`, () => actions.transition(step), view.busy);
    b.dataset.transition = step;
    row.append(b);
  }
  box.append(row);
  return box;
}
