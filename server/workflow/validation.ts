// Validates a proposed partition against the store: the division's boundary, its islands and the codes already used.
// A sea partition (scope maritime) is judged without the island rule: which islands have grids is the land partition's.
import type { Knex } from 'knex';
import { loadValidationContext, makeValid } from '../db/repositories/validationContext.ts';
import type { ProposedFeature, Stage } from '../domain/rules/input.ts';
import { validateOffThread } from '../jobs/rules.ts';
import { loadRuleSet } from '../rulesets/index.ts';
import type { RuleReport } from '../schemas/resources.ts';
import type { PlanScope } from '../schemas/plans.ts';
import { notFound } from '../http/problem.ts';

export async function validateAgainstStore(
  knex: Knex,
  request: { divisionCode: string; ruleSet: string; features: ReadonlyArray<ProposedFeature>; stage: Stage; scope?: PlanScope },
): Promise<RuleReport> {
  // An unknown rule set is named before anything is read.
  loadRuleSet(request.ruleSet);
  const proposedCodes = request.features.flatMap((f) => {
    const code = f.properties?.code;
    return typeof code === 'string' ? [code] : [];
  });
  const context = await loadValidationContext(knex, request.divisionCode, proposedCodes);
  if (!context) throw notFound('division (with a boundary)', request.divisionCode);
  // On the rules thread: a township's report takes long enough to stall the lookups the server answers meanwhile.
  return validateOffThread(
    {
      ruleSet: request.ruleSet,
      division: { code: context.division.code, geometry: context.division.geometry },
      features: request.features,
      islands: request.scope === 'maritime' ? [] : context.islands,
      land: context.land,
      takenCodes: context.takenCodes,
      stage: request.stage,
    },
    { repair: (geometry) => makeValid(knex, geometry) },
  );
}
