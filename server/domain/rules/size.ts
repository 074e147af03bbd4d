// Household bands. Outside the band is a warning: the regulations give targets, and a plan may justify exceptions.
import type { Finding } from '../../schemas/resources.ts';
import { featurePointer, gridLabel, type RuleContext } from './finding.ts';
import type { ProposedGrid } from './input.ts';

const isComprehensive = (g: ProposedGrid) => g.kind === 'comprehensive' && g.parentCode === null;

export function sizeFindings(ctx: RuleContext): Finding[] {
  const { comprehensive, microGrid } = ctx.ruleSet;
  const findings: Finding[] = [];
  const gridsPerVillage = new Map<string, number>();
  for (const g of ctx.grids) if (isComprehensive(g) && g.divisionCode) gridsPerVillage.set(g.divisionCode, (gridsPerVillage.get(g.divisionCode) ?? 0) + 1);

  for (const g of ctx.grids) {
    const micro = g.parentCode !== null;
    if (!micro && !isComprehensive(g)) continue;
    const band = micro ? microGrid.households : comprehensive.households;
    const ruleId = micro ? 'size.micro_households' : 'size.households';
    const pointer = featurePointer(g.index, 'properties', 'households');
    if (g.households === null) {
      findings.push(ctx.finding(ruleId, { zh: `网格 ${gridLabel(g)} 未填写户数`, en: `grid ${gridLabel(g)} has no household count` }, { codes: [g.ref], pointer }));
      continue;
    }
    if (g.households >= band.min && g.households <= band.max) continue;
    if (!micro && inBandOtherwise(g, ctx, gridsPerVillage)) continue;
    findings.push(
      ctx.finding(
        ruleId,
        {
          zh: `${micro ? '微网格' : '网格'} ${gridLabel(g)} 有 ${g.households} 户，不在 ${band.min}–${band.max} 户范围内`,
          en: `${micro ? 'micro-grid' : 'grid'} ${gridLabel(g)} has ${g.households} households, outside ${band.min}–${band.max}`,
        },
        { codes: [g.ref], pointer },
      ),
    );
  }
  return findings;
}

/**
 * Gansu's alternatives: about `target` people (± tolerance), or a rural village that is a single grid — the only
 * comprehensive grid of its administrative village in the submission, so by the tiling rule it covers the village.
 */
function inBandOtherwise(g: ProposedGrid, ctx: RuleContext, gridsPerVillage: ReadonlyMap<string, number>): boolean {
  const { population, ruralVillageSingleGrid } = ctx.ruleSet.comprehensive;
  if (population && g.population !== null && Math.abs(g.population - population.target) <= population.target * population.tolerance) return true;
  return ruralVillageSingleGrid && g.subkind === 'village' && g.divisionCode !== null && gridsPerVillage.get(g.divisionCode) === 1;
}
