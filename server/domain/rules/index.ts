export { validatePartition, type ValidateOptions } from './engine.ts';
export { islandCoverage, type IslandCoverage } from './islands.ts';
export { RULES, type RuleId } from './catalog.ts';
export { parseRuleSet, RuleSetSchema, UnknownRuleSet, InvalidRuleSet, type RuleSet } from './ruleSet.ts';
export type { PartitionInput, ProposedFeature, IslandInput, GeometryRepair, Stage, Area } from './input.ts';
export { unreadableArea } from './geometry/structure.ts';
export { findTilingDefects, type TilingDefects } from './topology/tiling.ts';
