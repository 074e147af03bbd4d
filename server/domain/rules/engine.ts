// validatePartition: the one entry point that plans, the editor, auto-suggest, imports and POST /v1/validate call.
import type { Finding, RuleReport } from '../../schemas/resources.ts';
import { codeProfile } from '../codes/index.ts';
import { codeFindings } from './codes.ts';
import { findingFactory, type RuleContext } from './finding.ts';
import { checkGeometry } from './geometry/index.ts';
import type { GeometryRepair, PartitionInput, ProposedGrid } from './input.ts';
import { islandFindings } from './islands.ts';
import { readGrid } from './properties.ts';
import { sizeFindings } from './size.ts';
import { staffingFindings } from './staffing.ts';
import { maritimeOverlapFindings, shorelineFindings } from './topology/maritime.ts';
import { landTilingFindings, microGridFindings } from './topology/partition.ts';

export interface ValidateOptions {
  /** offers repaired geometries (ST_MakeValid) for invalid grids; they are attached to findings, never applied */
  repair?: GeometryRepair;
}

/**
 * Judges a proposed partition of one division under a rule set. Grids with geometry errors are left out of the
 * topology, island and shoreline rules (their area may then show up as a gap). Errors come before warnings.
 * Throws UnknownCodeProfile when the rule set names a profile that does not exist.
 * @example const report = await validatePartition({ ruleSet: loadRuleSet('zhoushan'), division, features, stage: 'draft' });
 */
export async function validatePartition(input: PartitionInput, options: ValidateOptions = {}): Promise<RuleReport> {
  const finding = findingFactory(input.ruleSet, input.stage);
  const profile = codeProfile(input.ruleSet.codeProfile);
  const findings: Finding[] = [];
  const grids: ProposedGrid[] = [];
  for (const [index, feature] of input.features.entries()) {
    const read = readGrid(feature, index, finding);
    const geometry = await checkGeometry(feature.geometry, index, { finding, ruleSet: input.ruleSet }, options.repair);
    read.grid.geometry = geometry.area;
    grids.push(read.grid);
    findings.push(...read.findings, ...geometry.findings);
  }

  const ctx: RuleContext = { ruleSet: input.ruleSet, stage: input.stage, division: input.division, grids, finding };
  findings.push(
    ...landTilingFindings(ctx),
    ...microGridFindings(ctx),
    ...shorelineFindings(ctx, input.land ?? []),
    ...maritimeOverlapFindings(ctx),
    ...islandFindings(ctx, input.islands ?? []),
    ...sizeFindings(ctx),
    ...codeFindings(ctx, profile, new Set(input.takenCodes ?? [])),
    ...staffingFindings(ctx),
  );

  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  return {
    ruleSet: input.ruleSet.name,
    divisionCode: input.division.code,
    counts: { error: errors.length, warning: warnings.length },
    findings: [...errors, ...warnings],
  };
}
