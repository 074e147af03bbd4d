// The plan workflow: the township drafts and edits, the county approves or returns, the city files (备案).
// Every step checks role and scope, the plan's version (If-Match) and its status, revalidates, and is audited.
import type { Knex } from 'knex';
import type { LineString } from 'geojson';
import type { Principal } from '../domain/access/roles.ts';
import { may } from '../domain/access/roles.ts';
import { allowedTransitions, isEditable, nextStatus, type PlanTransition, type PlanTrigger } from '../domain/plans/status.ts';
import { codeProfile } from '../domain/codes/index.ts';
import { divisionPrefix } from '../domain/divisions/codes.ts';
import { audit } from '../db/repositories/audit.ts';
import { findDivision } from '../db/repositories/divisions.ts';
import { filePartition, type FilingRecord } from '../db/repositories/filings.ts';
import {
  claimVersion,
  createPlan as insertPlan,
  deletePlanGrids,
  findPlan,
  insertPlanGrids,
  mergedGeometry,
  planGrids,
  planGridsWithEditedStaff,
  planHasGridCode,
  splitGeometry,
  StalePlan,
  updatePlanFields,
  type PlanComment,
  type PlanGridInput,
  type PlanRecord,
} from '../db/repositories/plans.ts';
import type { PlanScope } from '../schemas/plans.ts';
import { announceFilingLanded } from '../events/filings.ts';
import { unreadableArea } from '../domain/rules/index.ts';
import { loadRuleSet } from '../rulesets/index.ts';
import { ProblemError, notFound, invalidParameter } from '../http/problem.ts';
import type { Config } from '../config/env.ts';
import type { RuleReport } from '../schemas/resources.ts';
import { validateAgainstStore } from './validation.ts';
import { matchPredecessorsOffThread } from '../jobs/rules.ts';

export const planEtag = (plan: Pick<PlanRecord, 'id' | 'version'>) => `"plan-${plan.id}-v${plan.version}"`;

const forbidden = (principal: Principal, what: string) =>
  new ProblemError(403, 'forbidden', 'Forbidden', `${principal.role} (${principal.scopePrefix || 'all'}) may not ${what}`);

/** Loads a plan the principal may see; others' plans are reported as absent, not forbidden, to avoid leaking them. */
export async function visiblePlan(knex: Knex, principal: Principal, id: string): Promise<PlanRecord> {
  const plan = await findPlan(knex, id);
  if (!plan) throw notFound('plan', id);
  if (!may(principal, 'plan:read', { divisionCode: plan.townshipCode })) {
    if (principal.role === 'public') throw new ProblemError(401, 'unauthorized', 'Unauthorized', 'plans need an API key');
    throw forbidden(principal, `read plans of ${plan.townshipCode}`);
  }
  return plan;
}

/** Plan versions are PostgreSQL integers; an ETag claiming a larger one was never sent by this service. */
const MAX_VERSION = 2 ** 31 - 1;

const stale = (plan: Pick<PlanRecord, 'id'>, currentVersion: number) =>
  new ProblemError(412, 'stale-version', 'Precondition failed', `plan ${plan.id} changed since you read it (now version ${currentVersion}); reload and retry`, [
    { pointer: 'If-Match', message: 'stale' },
  ]);

/**
 * The version If-Match names, checked against the plan as just read: a stale ETag is refused here, before any
 * costly step (a submission's revalidation); `claimOrStale` repeats the check inside the write for a racing edit.
 */
function checkIfMatch(ifMatch: string | undefined, plan: PlanRecord): number {
  if (!ifMatch) {
    throw new ProblemError(428, 'precondition-required', 'If-Match required', `send If-Match: ${planEtag(plan)} (from the last read)`, [
      { pointer: 'If-Match', message: 'missing' },
    ]);
  }
  const match = /^"plan-(\d+)-v(\d+)"$/.exec(ifMatch.trim());
  if (!match || match[1] !== plan.id) throw invalidParameter('If-Match', `"${ifMatch}" is not an ETag of plan ${plan.id}`);
  const version = Number(match[2]);
  if (version > MAX_VERSION) throw invalidParameter('If-Match', `version ${match[2]} is beyond any plan version (at most ${MAX_VERSION})`);
  if (version !== plan.version) throw stale(plan, plan.version);
  return version;
}

/** Takes the plan's next version inside `trx`, or answers 412 when someone else took it first. */
async function claimOrStale(trx: Knex.Transaction, plan: PlanRecord, expected: number): Promise<void> {
  try {
    await claimVersion(trx, plan.id, expected);
  } catch (error) {
    if (!(error instanceof StalePlan)) throw error;
    throw stale(plan, error.currentVersion);
  }
}

export async function createPlan(
  knex: Knex,
  principal: Principal,
  body: { townshipCode: string; scope?: PlanScope; trigger: PlanTrigger; triggerNote?: string; description?: string; start?: 'empty' | 'filed' },
): Promise<PlanRecord> {
  const scope = body.scope ?? 'land';
  const township = await findDivision(knex, body.townshipCode);
  if (!township || township.level !== 'township') throw invalidParameter('townshipCode', `${body.townshipCode} is not a township`);
  if (!may(principal, 'plan:edit', { divisionCode: township.code, maritime: scope === 'maritime' })) throw forbidden(principal, `create ${scope} plans for ${township.code}`);
  if (body.trigger === 'other' && !body.triggerNote?.trim()) throw invalidParameter('triggerNote', 'trigger "other" needs a note saying why');
  const id = await knex.transaction(async (trx) => {
    const planId = await insertPlan(
      trx,
      { townshipCode: township.code, scope, trigger: body.trigger, triggerNote: body.triggerNote ?? null, description: body.description ?? '', createdBy: principal.id },
      body.start === 'filed' ? divisionPrefix(township.code, 'township') : null,
    );
    await audit(trx, { actor: principal.name, action: 'plan.create', entity: 'plan', entityId: planId, after: body });
    return planId;
  });
  return refreshReport(knex, id, 'draft');
}

/** Recomputes and stores the plan's rule report. */
async function refreshReport(knex: Knex, id: string, stage: 'draft' | 'filing', config?: Config): Promise<PlanRecord> {
  const plan = (await findPlan(knex, id))!;
  const report = await planReport(knex, plan, stage, config);
  await knex('plans').where({ id }).update({ report: JSON.stringify({ ...report, justifications: plan.report?.justifications ?? {} }) });
  return (await findPlan(knex, id))!;
}

export async function planReport(knex: Knex, plan: PlanRecord, stage: 'draft' | 'filing', config?: Config): Promise<RuleReport> {
  const grids = await planGrids(knex, plan.id);
  return validateAgainstStore(knex, {
    divisionCode: plan.townshipCode,
    ruleSet: config?.ruleSet ?? 'zhoushan',
    features: grids.map((g) => ({ type: 'Feature', properties: g.properties, geometry: g.geometry })),
    stage,
    scope: plan.scope,
  });
}

/**
 * The plan as the principal may edit it now, before any work on the edit is done: 401/403/404 for who may not,
 * 428 without If-Match, 409 unless it is a draft or returned, 412 when If-Match names an older version. The edit
 * itself claims the version again, in its transaction.
 */
export async function editablePlan(knex: Knex, principal: Principal, id: string, ifMatch: string | undefined): Promise<{ plan: PlanRecord; expected: number }> {
  const plan = await visiblePlan(knex, principal, id);
  if (!may(principal, 'plan:edit', { divisionCode: plan.townshipCode, maritime: plan.scope === 'maritime' })) throw forbidden(principal, `edit plans of ${plan.townshipCode}`);
  const expected = checkIfMatch(ifMatch, plan);
  if (!isEditable(plan.status)) {
    throw new ProblemError(409, 'plan-not-editable', 'Plan is not editable', `plan ${id} is ${plan.status}; only draft and returned plans can be edited`, [
      { pointer: 'status', message: `allowed transitions: ${allowedTransitions(plan.status).join(', ') || 'none'}` },
    ]);
  }
  return { plan, expected };
}

/** Runs an edit of a draft: scope, If-Match and status checks, the change, a new version, a new report, an audit entry. */
export async function editPlan(
  knex: Knex,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
  action: string,
  change: (trx: Knex.Transaction, plan: PlanRecord) => Promise<unknown>,
  config?: Config,
): Promise<PlanRecord> {
  const { plan, expected } = await editablePlan(knex, principal, id, ifMatch);
  await knex.transaction(async (trx) => {
    await claimOrStale(trx, plan, expected);
    const after = await change(trx, plan);
    await audit(trx, { actor: principal.name, action: `plan.${action}`, entity: 'plan', entityId: id, after });
  });
  return refreshReport(knex, id, 'draft', config);
}

export interface TransitionBody {
  justifications?: Record<string, string>;
  comment?: string;
  comments?: Array<{ grid?: string; text: string }>;
}

export async function transitionPlan(
  knex: Knex,
  principal: Principal,
  id: string,
  ifMatch: string | undefined,
  transition: PlanTransition,
  body: TransitionBody,
  config: Config,
): Promise<{ plan: PlanRecord; filing?: FilingRecord }> {
  const plan = await visiblePlan(knex, principal, id);
  const expected = checkIfMatch(ifMatch, plan);
  const target = { divisionCode: plan.townshipCode, maritime: plan.scope === 'maritime', createdBy: plan.createdBy };
  const allowed = transition === 'submit' ? may(principal, 'plan:edit', target) : transition === 'file' ? may(principal, 'plan:file', target) : may(principal, 'plan:review', target);
  if (!allowed) {
    const why = transition === 'approve' || transition === 'return' ? (plan.createdBy === principal.id ? ' (nobody reviews their own plan)' : '') : '';
    throw forbidden(principal, `${transition} plans of ${plan.townshipCode}${why}`);
  }
  const status = nextStatus(plan.status, transition);
  if (!status) {
    throw new ProblemError(409, 'illegal-transition', 'Illegal transition', `cannot ${transition} a ${plan.status} plan; allowed: ${allowedTransitions(plan.status).join(', ') || 'none'}`, [
      { pointer: 'status', message: `allowed transitions: ${allowedTransitions(plan.status).join(', ') || 'none'}` },
    ]);
  }

  const fields: Parameters<typeof updatePlanFields>[2] = { status };
  if (transition === 'submit') fields.report = await submissionReport(knex, plan, body.justifications ?? {}, config);
  if (transition === 'return') {
    const comments = [...(body.comment ? [{ text: body.comment }] : []), ...(body.comments ?? [])].filter((c) => c.text.trim());
    if (!comments.length) throw invalidParameter('comments', 'returning a plan needs at least one comment for the planner');
    const at = new Date().toISOString();
    fields.comments = [...plan.comments, ...comments.map((c): PlanComment => ({ at, by: principal.name, text: c.text, ...(c.grid ? { grid: c.grid } : {}) }))];
  }
  if (transition === 'approve' && body.comment?.trim()) {
    fields.comments = [...plan.comments, { at: new Date().toISOString(), by: principal.name, text: body.comment }];
  }

  let filing: FilingRecord | undefined;
  await knex.transaction(async (trx) => {
    await claimOrStale(trx, plan, expected);
    await updatePlanFields(trx, id, fields);
    if (transition === 'file') filing = await fileApprovedPlan(trx, plan, principal, config);
    await audit(trx, { actor: principal.name, action: `plan.${transition}`, entity: 'plan', entityId: id, before: { status: plan.status }, after: { status, filing: filing?.number } });
  });
  if (filing) announceFilingLanded({ number: filing.number, townshipCode: plan.townshipCode });
  return { plan: (await findPlan(knex, id))!, filing };
}

/**
 * A grid added or reshaped through the API is checked as it is written, not only by the later report: its geometry
 * must be one the rules can read (422 naming the grid and the coordinate) and a micro-grid's parentCode must be the
 * code of a grid of the plan.
 */
export async function checkProposedGrid(trx: Knex.Transaction, plan: PlanRecord, grid: PlanGridInput, config?: Config): Promise<void> {
  const unreadable = unreadableArea(grid.geometry, loadRuleSet(config?.ruleSet));
  if (unreadable.length) {
    throw new ProblemError(
      422,
      'invalid-geometry',
      'Invalid geometry',
      `grid "${grid.name}": ${unreadable.map((f) => `${f.pointer}: ${f.message.en}`).join('; ')}`,
      unreadable.map((f) => ({ pointer: f.pointer ?? '/geometry', message: f.message.en })),
    );
  }
  if (grid.parentCode && !(await planHasGridCode(trx, plan.id, grid.parentCode))) {
    throw new ProblemError(422, 'unknown-parent', 'Unknown parent grid', `grid "${grid.name}": parentCode ${grid.parentCode} is the code of no grid of plan ${plan.id}`, [
      { pointer: '/properties/parentCode', message: 'no grid of the plan has this code' },
    ]);
  }
}

/** Cuts a grid of the plan by a line: the first piece keeps the code, the others get new ones when filed. */
export async function splitPlanGrid(trx: Knex.Transaction, plan: PlanRecord, gridId: string, line: LineString, names?: string[]) {
  const source = (await planGrids(trx, plan.id)).find((g) => g.id === gridId);
  if (!source) throw notFound('plan grid', gridId);
  const pieces = await splitGeometry(trx, plan.id, gridId, line);
  if (!pieces || pieces.length < 2) throw invalidParameter('line', 'the line does not cut the grid into pieces; draw it across the grid from edge to edge');
  await deletePlanGrids(trx, plan.id, [gridId]);
  const { code, planGridId: _id, status: _status, ...rest } = source.properties;
  // Households are recounted from the stored points inside each piece.
  const added = await insertPlanGrids(
    trx,
    plan.id,
    pieces.map((geometry, i) => ({ ...rest, code: i === 0 ? code : null, name: names?.[i] ?? `${rest.name}-${i + 1}`, households: null, geometry })),
  );
  return { split: gridId, into: added };
}

/** Dissolves grids of the plan into one that takes the first grid's attributes and gets a new code when filed. */
export async function mergePlanGrids(trx: Knex.Transaction, plan: PlanRecord, gridIds: string[], name?: string) {
  const grids = (await planGrids(trx, plan.id)).filter((g) => gridIds.includes(g.id));
  const geometry = await mergedGeometry(trx, plan.id, gridIds);
  if (!geometry || grids.length !== gridIds.length) throw invalidParameter('gridIds', 'every grid id must belong to this plan');
  const first = grids[0].properties;
  await deletePlanGrids(trx, plan.id, gridIds);
  const [merged] = await insertPlanGrids(trx, plan.id, [
    {
      code: null,
      name: name ?? first.name,
      kind: first.kind,
      subkind: first.subkind,
      divisionCode: first.divisionCode,
      parentCode: first.parentCode,
      households: null,
      population: grids.reduce((sum, g) => sum + g.properties.population, 0),
      managingUnits: first.managingUnits,
      staff: first.staff,
      geometry,
    },
  ]);
  return { merged: gridIds, into: merged };
}

/** Submission is refused while errors remain; every kind of warning needs a written justification. */
async function submissionReport(knex: Knex, plan: PlanRecord, justifications: Record<string, string>, config: Config): Promise<PlanRecord['report']> {
  // Filing an empty plan would retire the township's whole partition.
  if ((await planGrids(knex, plan.id)).length === 0) {
    throw new ProblemError(422, 'empty-plan', 'Plan has no grids', `plan ${plan.id} proposes no grids; add or import grids first`);
  }
  const report = await planReport(knex, plan, 'filing', config);
  const errors = report.findings.filter((f) => f.severity === 'error');
  if (errors.length) {
    throw new ProblemError(
      422,
      'plan-has-errors',
      'Plan has errors',
      `${errors.length} error(s) block submission; fix them first`,
      errors.slice(0, 50).map((f) => ({ pointer: f.ruleId, message: `${f.message.en} (${f.codes.join(', ')})` })),
    );
  }
  const warned = [...new Set(report.findings.filter((f) => f.severity === 'warning').map((f) => f.ruleId))];
  const missing = warned.filter((ruleId) => !justifications[ruleId]?.trim());
  if (missing.length) {
    throw new ProblemError(
      422,
      'justification-required',
      'Warnings need a justification',
      `write a justification for: ${missing.join(', ')}`,
      missing.map((ruleId) => ({ pointer: `/justifications/${ruleId}`, message: 'justification required' })),
    );
  }
  const kept = Object.fromEntries(warned.map((ruleId) => [ruleId, justifications[ruleId]]));
  return {
    ...report,
    findings: report.findings.map((f) => (f.severity === 'warning' ? { ...f, justification: kept[f.ruleId] } : f)),
    justifications: kept,
  };
}

async function fileApprovedPlan(trx: Knex.Transaction, plan: PlanRecord, registrar: Principal, config: Config): Promise<FilingRecord> {
  const grids = await planGrids(trx, plan.id);
  const staffEdited = await planGridsWithEditedStaff(trx, plan.id);
  const ruleSet = loadRuleSet(config.ruleSet);
  const approval = await trx('audit_log').select('actor').where({ entity: 'plan', entity_id: plan.id, action: 'plan.approve' }).orderBy('id', 'desc').first();
  const filing = await filePartition(trx, {
    townshipCode: plan.townshipCode,
    scope: plan.scope,
    grids: grids.map((g) => ({
      name: g.properties.name,
      kind: g.properties.kind,
      subkind: g.properties.subkind,
      divisionCode: g.properties.divisionCode,
      parentCode: g.properties.parentCode,
      households: g.properties.households,
      population: g.properties.population,
      managingUnits: g.properties.managingUnits,
      staff: g.properties.staff,
      keepRoster: !staffEdited.has(g.id),
      geometry: g.geometry,
    })),
    approvedBy: approval?.actor ?? null,
    filedBy: registrar.name,
    trigger: plan.trigger,
    planId: plan.id,
    profile: codeProfile(ruleSet.codeProfile),
    continuityThreshold: 0.8,
    // On the rules thread: overlaying the township's old and new grids would stall the lookups meanwhile.
    continuity: matchPredecessorsOffThread,
    basedOn: plan.baseFiling,
  });
  for (const roster of filing.rosters) {
    await audit(trx, { actor: registrar.name, action: 'staff.file', entity: 'grid_staff', entityId: roster.code, before: roster.closed, after: { filing: filing.number, opened: roster.opened } });
  }
  // The plan that was filed before for this township is now history.
  await trx('plans').where({ township_code: plan.townshipCode, status: 'filed' }).whereNot({ id: plan.id }).update({ status: 'superseded' });
  return filing;
}
