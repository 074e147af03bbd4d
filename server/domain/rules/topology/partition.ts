// Land grids tile their division; micro-grids tile their grid.
import type { Finding } from '../../../schemas/resources.ts';
import { gridLabel, m2, type RuleContext } from '../finding.ts';
import type { Area, ProposedGrid } from '../input.ts';
import { findTilingDefects } from './tiling.ts';

const isLand = (g: ProposedGrid) => (g.kind === 'comprehensive' || g.kind === 'special') && g.parentCode === null;

/**
 * Gaps, overlaps and spills of the land grids (comprehensive + special, not micro-grids) over the division.
 * A submission without land grids (only sea grids, say) is not checked for gaps.
 */
export function landTilingFindings(ctx: RuleContext): Finding[] {
  const land = ctx.grids.filter((g): g is ProposedGrid & { geometry: Area } => isLand(g) && g.geometry !== null);
  if (land.length === 0) return [];
  const { gapToleranceM2, overlapToleranceM2, outsideToleranceM2 } = ctx.ruleSet.topology;
  const defects = findTilingDefects(
    ctx.division.geometry,
    land.map((g) => ({ id: g.index, geometry: g.geometry })),
    { gapM2: gapToleranceM2, overlapM2: overlapToleranceM2, outsideM2: outsideToleranceM2 },
  );
  const grid = (index: number) => ctx.grids[index];
  return [
    ...defects.gaps.map((gap) =>
      ctx.finding(
        'topology.gap',
        { zh: `区划内有 ${m2(gap.areaM2)} 平方米未被任何网格覆盖`, en: `${m2(gap.areaM2)} m² of the division covered by no grid` },
        { codes: gap.neighbours.map((i) => grid(i).ref), geometry: gap.geometry },
      ),
    ),
    ...defects.overlaps.map((o) =>
      ctx.finding(
        'topology.overlap',
        { zh: `网格 ${gridLabel(grid(o.a))} 与 ${gridLabel(grid(o.b))} 重叠 ${m2(o.areaM2)} 平方米`, en: `grids ${gridLabel(grid(o.a))} and ${gridLabel(grid(o.b))} overlap by ${m2(o.areaM2)} m²` },
        { codes: [grid(o.a).ref, grid(o.b).ref], geometry: o.geometry, pointer: `/features/${o.b}/geometry` },
      ),
    ),
    ...defects.outside.map((o) =>
      ctx.finding(
        'topology.outside_division',
        { zh: `网格 ${gridLabel(grid(o.id))} 有 ${m2(o.areaM2)} 平方米超出所属区划`, en: `grid ${gridLabel(grid(o.id))} reaches ${m2(o.areaM2)} m² outside the division` },
        { codes: [grid(o.id).ref], geometry: o.geometry, pointer: `/features/${o.id}/geometry` },
      ),
    ),
  ];
}

/** Micro-grids tile the grid named by their parentCode (grids without micro-grids are not checked). */
export function microGridFindings(ctx: RuleContext): Finding[] {
  const findings: Finding[] = [];
  const byParent = new Map<string, ProposedGrid[]>();
  for (const g of ctx.grids) if (g.parentCode !== null) byParent.set(g.parentCode, [...(byParent.get(g.parentCode) ?? []), g]);
  const { gapToleranceM2, overlapToleranceM2, outsideToleranceM2 } = ctx.ruleSet.topology;
  for (const [parentCode, micros] of byParent) {
    const parent = ctx.grids.find((g) => g.code === parentCode && g.parentCode === null);
    if (!parent) {
      for (const m of micros) {
        findings.push(
          ctx.finding('topology.micro_grid_parent', { zh: `微网格的上级网格 ${parentCode} 不在本次提交中`, en: `parent grid ${parentCode} is not in the submission` }, {
            codes: [m.ref],
            pointer: `/features/${m.index}/properties/parentCode`,
          }),
        );
      }
      continue;
    }
    if (!parent.geometry) continue;
    const usable = micros.filter((m): m is ProposedGrid & { geometry: Area } => m.geometry !== null);
    const defects = findTilingDefects(parent.geometry, usable.map((m) => ({ id: m.index, geometry: m.geometry })), {
      gapM2: gapToleranceM2,
      overlapM2: overlapToleranceM2,
      outsideM2: outsideToleranceM2,
    });
    const grid = (index: number) => ctx.grids[index];
    findings.push(
      ...defects.gaps.map((gap) =>
        ctx.finding(
          'topology.micro_grid_gap',
          { zh: `网格 ${parentCode} 内有 ${m2(gap.areaM2)} 平方米不属于任何微网格`, en: `${m2(gap.areaM2)} m² of grid ${parentCode} in no micro-grid` },
          { codes: [parent.ref, ...gap.neighbours.map((i) => grid(i).ref)], geometry: gap.geometry },
        ),
      ),
      ...defects.overlaps.map((o) =>
        ctx.finding(
          'topology.micro_grid_overlap',
          { zh: `微网格 ${gridLabel(grid(o.a))} 与 ${gridLabel(grid(o.b))} 重叠 ${m2(o.areaM2)} 平方米`, en: `micro-grids ${gridLabel(grid(o.a))} and ${gridLabel(grid(o.b))} overlap by ${m2(o.areaM2)} m²` },
          { codes: [grid(o.a).ref, grid(o.b).ref], geometry: o.geometry, pointer: `/features/${o.b}/geometry` },
        ),
      ),
      ...defects.outside.map((o) =>
        ctx.finding(
          'topology.micro_grid_outside',
          { zh: `微网格 ${gridLabel(grid(o.id))} 有 ${m2(o.areaM2)} 平方米超出上级网格`, en: `micro-grid ${gridLabel(grid(o.id))} reaches ${m2(o.areaM2)} m² outside its grid` },
          { codes: [grid(o.id).ref], geometry: o.geometry, pointer: `/features/${o.id}/geometry` },
        ),
      ),
    );
  }
  return findings;
}
