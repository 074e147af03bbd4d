// Grid suggestion as a job: load what suggestPartition needs from the store, run it per village (in a worker),
// merge the villages into one result, and optionally turn it into a draft plan. The API and the CLI share this.
import type { Knex } from 'knex';
import type { Feature, FeatureCollection, LineString, MultiLineString } from 'geojson';
import { suggestPartition } from '../domain/suggest/partition.ts';
import {
  SuggestError,
  type AreaGeometry,
  type HouseholdBand,
  type HouseholdPoint,
  type QualityReport,
  type SuggestedGridProperties,
  type SuggestInput,
  type SuggestLevel,
  type SuggestMode,
  type SuggestPhase,
  type Unsatisfied,
} from '../domain/suggest/types.ts';
import { divisionPrefix } from '../domain/divisions/codes.ts';
import type { Principal } from '../domain/access/roles.ts';
import type { Division } from '../schemas/resources.ts';
import { findDivisionWithGeometry, listDivisions } from '../db/repositories/divisions.ts';
import { filedGridsOf, householdPointsUnder, householdTotalsUnder, islandsWithin } from '../db/repositories/households.ts';
import { deletePlanGrids, planGrids, insertPlanGrids, type PlanGridInput } from '../db/repositories/plans.ts';
import { createPlan, editPlan, planEtag } from '../workflow/plans.ts';
import { ProblemError, invalidParameter, notFound } from '../http/problem.ts';
import type { Config } from '../config/env.ts';

export type Barrier = Feature<LineString | MultiLineString>;

export interface SuggestRequest {
  divisionCode: string;
  band?: HouseholdBand;
  level: SuggestLevel;
  mode: SuggestMode;
  seed: number;
  /** 'stored' reads household_counts; otherwise the uploaded points. */
  households: 'stored' | HouseholdPoint[];
  barriers: Barrier[];
  output: 'features' | 'plan';
}

/** One village's suggestion input, named so the merged report can say which village a finding is about. */
export interface VillageInput {
  code: string;
  name: string;
  input: SuggestInput;
}

export interface SuggestionPlan {
  division: Division;
  villages: VillageInput[];
  /** Villages left out, with the reason (township runs only: a village without households). */
  skipped: Unsatisfied[];
  /** Every village got the same uploaded points (each counts those inside it), rather than its own stored ones. */
  sharedPoints: boolean;
}

export type SuggestReport = QualityReport & { villages: Array<{ code: string; name: string; report: QualityReport }> };

export interface SuggestOutcome {
  report: SuggestReport;
  features: FeatureCollection<AreaGeometry, SuggestedGridProperties & { divisionCode: string }>;
}

export type SuggestProgress = (progress: { phase: SuggestPhase; percent: number }) => void;

const STATUS: Record<SuggestError['type'], number> = {
  'no-household-data': 422,
  'invalid-band': 400,
  'invalid-division': 422,
  'invalid-filed-partition': 422,
};

/** The problem a SuggestError is reported as, on a 4xx answer or in a failed job's `error`. */
export function suggestProblem(error: SuggestError): ProblemError {
  const title = error.type.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
  const errors = error.type === 'invalid-band' ? [{ pointer: '/band', message: error.message }] : [];
  return new ProblemError(STATUS[error.type], error.type, title, error.message, errors);
}

/**
 * Checks the request against the store (cheap queries only) and loads every village's input.
 * A township runs village by village: grids never cross a village boundary, and each grid gets its village code.
 */
export async function prepareSuggestion(knex: Knex, request: SuggestRequest): Promise<SuggestionPlan> {
  const found = await findDivisionWithGeometry(knex, request.divisionCode);
  if (!found) throw notFound('division', request.divisionCode);
  const { division } = found;
  if (division.level !== 'village' && division.level !== 'township') {
    throw invalidParameter('/divisionCode', `${division.code} is a ${division.level}; suggestions are made for a village or a township`);
  }
  const villages = division.level === 'village' ? [division] : await listDivisions(knex, { parent: division.code });
  const stored = request.households === 'stored' ? await householdTotalsUnder(knex, divisionPrefix(division.code, division.level)) : null;
  if (stored && [...stored.values()].every((n) => n <= 0)) {
    throw suggestProblem(new SuggestError('no-household-data', `division ${division.code} (${division.name}) has no stored household counts`));
  }
  const skipped: Unsatisfied[] = [];
  const inputs: VillageInput[] = [];
  for (const village of villages) {
    if (stored && !(stored.get(village.code)! > 0)) {
      skipped.push({ unit: village.code, households: 0, reason: `village ${village.name} has no stored household counts; no grids suggested for it` });
      continue;
    }
    const geometry = village.code === division.code ? found.geometry : (await findDivisionWithGeometry(knex, village.code))?.geometry;
    if (!geometry) {
      skipped.push({ unit: village.code, households: stored?.get(village.code) ?? 0, reason: `village ${village.name} has no boundary` });
      continue;
    }
    inputs.push({
      code: village.code,
      name: village.name,
      input: {
        division: { code: village.code, geometry },
        households: request.households === 'stored' ? await householdPointsUnder(knex, village.code) : request.households,
        band: request.band,
        level: request.level,
        mode: request.mode,
        seed: request.seed,
        barriers: request.barriers,
        islands: await islandsWithin(knex, village.code),
        filed: request.mode === 'adjust' ? await filedGridsOf(knex, village.code, request.level) : undefined,
      },
    });
  }
  if (inputs.length === 0) {
    throw suggestProblem(new SuggestError('no-household-data', `no village of ${division.code} (${division.name}) has a boundary and household counts`));
  }
  return { division, villages: inputs, skipped, sharedPoints: request.households !== 'stored' };
}

/** Runs the suggestion village by village and merges the results. Pure apart from the clock; runs in the job worker. */
export function computeSuggestion(
  { villages, skipped, sharedPoints }: Pick<SuggestionPlan, 'villages' | 'skipped' | 'sharedPoints'>,
  onProgress?: SuggestProgress,
): SuggestOutcome {
  const startedAt = performance.now();
  const reports: SuggestReport['villages'] = [];
  const features: SuggestOutcome['features']['features'] = [];
  villages.forEach((village, i) => {
    const result = suggestPartition(village.input, ({ phase, percent }) => onProgress?.({ phase, percent: Math.floor(((i + percent / 100) / villages.length) * 100) }));
    reports.push({ code: village.code, name: village.name, report: result.report });
    for (const f of result.features.features) {
      // Grid ids are unique per village only; prefix them when several villages are merged.
      const id = villages.length > 1 ? `${village.code}/${f.properties.id}` : f.properties.id;
      features.push({ ...f, properties: { ...f.properties, id, divisionCode: village.code } });
    }
  });
  const counts = features.map((f) => f.properties.households);
  const report = mergeReports(reports, skipped, { sharedPoints, counts, runtimeMs: Math.round(performance.now() - startedAt) });
  onProgress?.({ phase: 'report', percent: 100 });
  return { report, features: { type: 'FeatureCollection', features } };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return 0;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function mergeReports(
  villages: SuggestReport['villages'],
  skipped: Unsatisfied[],
  { sharedPoints, counts, runtimeMs }: { sharedPoints: boolean; counts: number[]; runtimeMs: number },
): SuggestReport {
  const reports = villages.map((v) => v.report);
  if (reports.length === 1) return { ...reports[0], unsatisfied: [...reports[0].unsatisfied, ...skipped], runtimeMs, villages };
  const grids = reports.reduce((s, r) => s + r.grids, 0);
  const weighted = (value: (r: QualityReport) => number) => (grids === 0 ? 0 : reports.reduce((s, r) => s + value(r) * r.grids, 0) / grids);
  const sum = (value: (r: QualityReport) => number) => reports.reduce((s, r) => s + value(r), 0);
  const medians = reports.filter((r) => r.grids > 0);
  const changed = reports.filter((r) => r.changedAreaShare !== null);
  return {
    method: reports[0].method,
    h3Resolution: reports.every((r) => r.h3Resolution === reports[0].h3Resolution) ? reports[0].h3Resolution : null,
    grids,
    shareInBand: weighted((r) => r.shareInBand),
    households: {
      min: Math.min(...medians.map((r) => r.households.min)),
      median: median(counts),
      max: Math.max(...medians.map((r) => r.households.max)),
      total: sum((r) => r.households.total),
    },
    contiguity: weighted((r) => r.contiguity),
    compactness: {
      polsbyPopperMean: weighted((r) => r.compactness.polsbyPopperMean),
      polsbyPopperMin: Math.min(...medians.map((r) => r.compactness.polsbyPopperMin)),
    },
    coverageErrorM2: sum((r) => r.coverageErrorM2),
    inhabitedIslands: sum((r) => r.inhabitedIslands),
    inhabitedIslandsCovered: sum((r) => r.inhabitedIslandsCovered),
    changedAreaShare: changed.length === 0 ? null : changed.reduce((s, r) => s + r.changedAreaShare!, 0) / changed.length,
    input: mergedInput(reports, sharedPoints),
    runtimeMs,
    unsatisfied: [...villages.flatMap((v) => v.report.unsatisfied.map((u) => ({ ...u, unit: `${v.code}/${u.unit}` }))), ...skipped],
    villages,
  };
}

function mergedInput(reports: QualityReport[], sharedPoints: boolean): QualityReport['input'] {
  const sum = (key: keyof QualityReport['input']) => reports.reduce((s, r) => s + r.input[key], 0);
  if (!sharedPoints) return { points: sum('points'), households: sum('households'), malformed: sum('malformed'), outsideDivision: sum('outsideDivision') };
  const { points, malformed } = reports[0].input;
  const inside = reports.reduce((s, r) => s + r.input.points - r.input.malformed - r.input.outsideDivision, 0);
  return { points, households: sum('households'), malformed, outsideDivision: points - malformed - inside };
}

/**
 * A draft plan for the township holding the filed partition with the division's grids replaced by the suggestion.
 * Returns the plan id.
 */
export async function suggestionToPlan(
  knex: Knex,
  principal: Principal,
  plan: SuggestionPlan,
  outcome: SuggestOutcome,
  note: string,
  config: Config,
): Promise<string> {
  const townshipCode = plan.division.level === 'township' ? plan.division.code : plan.division.parentCode!;
  const draft = await createPlan(knex, principal, { townshipCode, trigger: 'other', triggerNote: note, description: note, start: 'filed' });
  const names = new Map(plan.villages.map((v) => [v.code, v.name]));
  const ordinal = new Map<string, number>();
  const grids: PlanGridInput[] = outcome.features.features.map((f) => {
    const village = f.properties.divisionCode;
    const n = (ordinal.get(village) ?? 0) + 1;
    ordinal.set(village, n);
    const villageName = names.get(village) ?? village;
    return {
      code: f.properties.code,
      name: `${villageName}第${n}网格`,
      kind: 'comprehensive',
      subkind: villageName.includes('社区') ? 'community' : 'village',
      divisionCode: village,
      parentCode: null,
      households: f.properties.households,
      population: null,
      managingUnits: [],
      staff: [],
      geometry: f.geometry,
    };
  });
  const replaced = new Set(plan.villages.map((v) => v.code));
  const edited = await editPlan(knex, principal, draft.id, planEtag(draft), 'grid.suggest', async (trx) => {
    const current = await planGrids(trx, draft.id);
    const removed = current.filter((g) => replaced.has(g.properties.divisionCode)).map((g) => g.properties.planGridId);
    if (removed.length > 0) await deletePlanGrids(trx, draft.id, removed);
    return { removed: removed.length, added: await insertPlanGrids(trx, draft.id, grids) };
  }, config);
  return edited.id;
}
