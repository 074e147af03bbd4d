// Findings are built in one place so that severity (built-in, per stage, per rule set) is decided once.
import type { Geometry } from 'geojson';
import type { Finding } from '../../schemas/resources.ts';
import { RULES, type RuleId } from './catalog.ts';
import type { RuleSet } from './ruleSet.ts';
import type { Area, ProposedGrid, Stage } from './input.ts';

export type Message = { zh: string; en: string };

export interface FindingDraft {
  codes?: Array<string | number>;
  geometry?: Geometry;
  pointer?: string;
  repair?: Area;
}

export interface RuleContext {
  ruleSet: RuleSet;
  stage: Stage;
  division: { code: string; geometry: Area };
  grids: readonly ProposedGrid[];
  finding(ruleId: RuleId, message: Message, draft?: FindingDraft): Finding;
}

export function findingFactory(ruleSet: RuleSet, stage: Stage): RuleContext['finding'] {
  return (ruleId, message, draft = {}) => {
    const builtIn = RULES[ruleId].severity;
    const severity = ruleSet.severity?.[ruleId] ?? (builtIn === 'stage' ? (stage === 'filing' ? 'error' : 'warning') : builtIn);
    return { ruleId, severity, message, codes: draft.codes ?? [], ...stripUndefined(draft) };
  };
}

function stripUndefined(draft: FindingDraft): Omit<FindingDraft, 'codes'> {
  const out: Omit<FindingDraft, 'codes'> = {};
  if (draft.geometry) out.geometry = draft.geometry;
  if (draft.pointer) out.pointer = draft.pointer;
  if (draft.repair) out.repair = draft.repair;
  return out;
}

export const featurePointer = (index: number, ...path: Array<string | number>) => ['', 'features', index, ...path].join('/');

/** m² with one decimal, for messages */
export const m2 = (area: number) => (Math.round(area * 10) / 10).toLocaleString('en-US');

export const gridLabel = (g: ProposedGrid) => (g.code ?? (g.name ? `#${g.index} ${g.name}` : `#${g.index}`));
