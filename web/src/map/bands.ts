// Household band of a grid (Zhoushan rule set: comprehensive 300–500, micro-grid 50–80), which the map colours by.
import type { Grid } from '../../../server/schemas/resources.ts';

export type HouseholdBand = 'under' | 'in' | 'over' | 'none';

export const HOUSEHOLD_BANDS = {
  grid: { min: 300, max: 500 },
  micro: { min: 50, max: 80 },
} as const;

/**
 * Only comprehensive grids and their micro-grids have a household band; special and sea grids have none.
 * @example householdBand({ kind: 'comprehensive', parentCode: null, households: 520 }) // 'over'
 */
export function householdBand(grid: Pick<Grid, 'kind' | 'parentCode' | 'households'>): HouseholdBand {
  if (grid.kind !== 'comprehensive') return 'none';
  const band = grid.parentCode === null ? HOUSEHOLD_BANDS.grid : HOUSEHOLD_BANDS.micro;
  if (grid.households < band.min) return 'under';
  if (grid.households > band.max) return 'over';
  return 'in';
}
