// The rules report and the code continuity of a filing, off the main event loop: both are polygon overlays
// (polyclip with exact arithmetic) that take 50–450 ms for a township of 137 grids, long enough to hold up every
// lookup the server answers meanwhile (docs/benchmarks.md, "Writes against lookups").
import { matchPredecessors, type PredecessorMatch } from '../domain/codes/continuity.ts';
import { codeProfile } from '../domain/codes/index.ts';
import { NEEDS_MAKE_VALID } from '../domain/rules/geometry/index.ts';
import { validatePartition, type ValidateOptions } from '../domain/rules/index.ts';
import type { Area, PartitionInput } from '../domain/rules/input.ts';
import { loadRuleSet } from '../rulesets/index.ts';
import type { RuleReport } from '../schemas/resources.ts';
import { TaskThread, type TaskFailure } from './thread.ts';

/** A partition to judge, as it crosses to the thread: the rule set by name (the thread loads it). */
export type PartitionTask = Omit<PartitionInput, 'ruleSet' | 'takenCodes'> & { ruleSet: string; takenCodes?: string[] };

export interface ContinuityTask {
  oldGrids: Array<{ code: string; geometry: Area }>;
  newGrids: Array<{ geometry: Area }>;
  threshold?: number;
}

export type RulesTask = { kind: 'validate'; partition: PartitionTask } | { kind: 'continuity'; continuity: ContinuityTask };

/** What the rules thread computes for a task (rulesWorker.ts serves it). */
export async function computeRulesTask(task: RulesTask): Promise<RuleReport | PredecessorMatch> {
  if (task.kind === 'continuity') return matchPredecessors(task.continuity.oldGrids, task.continuity.newGrids, task.continuity.threshold);
  return validatePartition({ ...task.partition, ruleSet: loadRuleSet(task.partition.ruleSet) });
}

class RulesThread extends TaskThread<RulesTask, RuleReport | PredecessorMatch> {
  constructor() {
    super(new URL('./rulesWorker.ts', import.meta.url), ({ message }: TaskFailure) => new Error(message), 'rules');
  }
}

// One thread for the process, started by the first task; idle, it does not keep the process alive.
let thread: RulesThread | null = null;
const rulesThread = () => (thread ??= new RulesThread());

/**
 * validatePartition on the rules thread; the same report. The rule set and its code profile are resolved here first,
 * so an unknown one throws as it does in-process. A report asking for ST_MakeValid repairs (a spiked, self-intersecting
 * or zero-area grid: bad input, rare) is made again in-process with `options.repair`, which needs the database.
 * @example const report = await validateOffThread({ ruleSet: 'zhoushan', division, features, stage: 'draft' }, { repair });
 */
export async function validateOffThread(task: PartitionTask, options: ValidateOptions = {}): Promise<RuleReport> {
  const ruleSet = loadRuleSet(task.ruleSet);
  codeProfile(ruleSet.codeProfile);
  const report = (await rulesThread().run({ kind: 'validate', partition: task })) as RuleReport;
  if (!options.repair || !report.findings.some((f) => NEEDS_MAKE_VALID.has(f.ruleId))) return report;
  return validatePartition({ ...task, ruleSet }, options);
}

/** matchPredecessors on the rules thread; the same match. Only the codes and geometries cross to the thread. */
export async function matchPredecessorsOffThread(
  oldGrids: ReadonlyArray<{ code: string; geometry: Area }>,
  newGrids: ReadonlyArray<{ geometry: Area }>,
  threshold?: number,
): Promise<PredecessorMatch> {
  const continuity: ContinuityTask = { oldGrids: oldGrids.map(({ code, geometry }) => ({ code, geometry })), newGrids: newGrids.map(({ geometry }) => ({ geometry })), threshold };
  return (await rulesThread().run({ kind: 'continuity', continuity })) as PredecessorMatch;
}
