// Every inhabited island has at least one grid; the coverage report behind GET /v1/islands/coverage.
import type { Finding } from '../../schemas/resources.ts';
import type { RuleContext } from './finding.ts';
import type { Area, IslandInput } from './input.ts';
import { areaM2, bboxIndex, bboxOf, intersection, sharesArea } from './topology/overlay.ts';

export interface IslandCoverage {
  id: number;
  name: string | null;
  residents: number;
  inhabited: boolean;
  covered: boolean;
  coveringCodes: Array<string | number>;
  /** share of the island's area inside covering grids, 0–1 */
  coveredShare: number;
}

/**
 * Which grids cover each island (any shared area) and how much of it. Land grids are meant here: pass
 * comprehensive and special grids, not sea grids. Sorted with inhabited uncovered islands first, then by
 * covered share and residents.
 * @example islandCoverage(islands, grids.map((g) => ({ code: g.code, geometry: g.geometry })), 50)[0] // the worst-served inhabited island
 */
export function islandCoverage(
  islands: ReadonlyArray<IslandInput>,
  grids: ReadonlyArray<{ code: string | number; geometry: Area }>,
  inhabitedResidents: number,
): IslandCoverage[] {
  const index = bboxIndex(grids.map((g) => bboxOf(g.geometry)));
  const report = islands.map((island) => {
    const islandArea = areaM2(island.geometry);
    let coveredArea = 0;
    const coveringCodes: Array<string | number> = [];
    for (const i of index.search(bboxOf(island.geometry))) {
      const shared = intersection(island.geometry, grids[i].geometry);
      const area = shared ? areaM2(shared) : 0;
      if (area <= 0) continue;
      coveredArea += area;
      coveringCodes.push(grids[i].code);
    }
    const inhabited = island.residents >= inhabitedResidents;
    return {
      id: island.id,
      name: island.name,
      residents: island.residents,
      inhabited,
      covered: coveringCodes.length > 0,
      coveringCodes,
      coveredShare: islandArea > 0 ? Math.min(1, coveredArea / islandArea) : 0,
    };
  });
  const urgency = (c: IslandCoverage) => (c.inhabited && !c.covered ? 0 : 1);
  return report.sort((a, b) => urgency(a) - urgency(b) || a.coveredShare - b.coveredShare || b.residents - a.residents || a.id - b.id);
}

export function islandFindings(ctx: RuleContext, islands: ReadonlyArray<IslandInput>): Finding[] {
  const land = ctx.grids.flatMap((g) => ((g.kind === 'comprehensive' || g.kind === 'special') && g.parentCode === null && g.geometry ? [g.geometry] : []));
  const index = bboxIndex(land.map(bboxOf));
  // Only whether an inhabited island shares area with some grid matters here, not how much (that is the report's).
  const uncovered = islands
    .filter((island) => island.residents >= ctx.ruleSet.islands.inhabitedResidents)
    .filter((island) => !index.search(bboxOf(island.geometry)).some((i) => sharesArea(island.geometry, land[i])))
    .sort((a, b) => b.residents - a.residents || a.id - b.id);
  return uncovered.map((island) => {
    const name = island.name ?? `#${island.id}`;
    return ctx.finding(
      'islands.uncovered',
      { zh: `有人岛 ${name}（常住 ${island.residents} 人）未划入任何网格`, en: `inhabited island ${name} (${island.residents} residents) is in no grid` },
      { geometry: island.geometry },
    );
  });
}
