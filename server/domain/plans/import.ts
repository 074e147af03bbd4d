// An imported file placed in a plan: each read grid checked against the plan's township and completed (a division,
// a name, a kind) with a note saying what was assumed. Pure, so it runs in the import worker with the reading.
import type { PlanScope } from '../../schemas/plans.ts';
import { divisionPrefix } from '../divisions/codes.ts';
import type { FeatureFault, ImportOutcome, TransferGrid } from '../formats/types.ts';

/** The plan a file is imported into. */
export interface ImportTarget {
  townshipCode: string;
  scope: PlanScope;
}

export interface PlacedGrid {
  /** position of the feature in the file */
  index: number;
  notes: string[];
  grid: TransferGrid;
}

export interface PlacedImport {
  /** the grids to add; empty when any feature was rejected (nothing is imported then) */
  grids: PlacedGrid[];
  rejected: FeatureFault[];
  ignored: FeatureFault[];
  /** features the file held, rejected ones included */
  features: number;
}

/**
 * Places the grids of a read file in a plan of `target`'s township: a division code outside it rejects its feature.
 * @example placeInPlan(await readGridFile(bytes, 'geojson', null), { townshipCode: '330903001000', scope: 'land' })
 */
export function placeInPlan(outcome: ImportOutcome, target: ImportTarget): PlacedImport {
  const township = divisionPrefix(target.townshipCode, 'township');
  const rejected = [...outcome.rejected];
  const grids: PlacedGrid[] = [];
  for (const g of outcome.grids) {
    const notes = [...g.notes];
    const divisionCode = g.divisionCode ?? target.townshipCode;
    if (!divisionCode.startsWith(township)) {
      rejected.push({ index: g.index, pointer: `/features/${g.index}/properties/divisionCode`, message: `${divisionCode} is not in township ${target.townshipCode}` });
      continue;
    }
    if (!g.divisionCode) notes.push(`no division code: placed under the township ${target.townshipCode}`);
    const name = g.name ?? g.code ?? `导入网格 ${g.index + 1}`;
    if (!g.name) notes.push(`no name: named "${name}"`);
    if (g.households === null) notes.push('no households: counted from the stored household points inside the grid');
    const kind = g.kind ?? (target.scope === 'maritime' ? 'maritime' : 'comprehensive');
    grids.push({
      index: g.index,
      notes,
      grid: { code: g.code, name, kind, subkind: g.subkind, divisionCode, parentCode: g.parentCode, households: g.households, population: g.population, geometry: g.geometry },
    });
  }
  rejected.sort((a, b) => a.index - b.index);
  // A rejected feature stops the import: the grids would only be carried back from the worker to be dropped.
  return { grids: rejected.length ? [] : grids, rejected, ignored: outcome.ignored, features: outcome.grids.length + outcome.rejected.length };
}
