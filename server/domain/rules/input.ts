// What the rules engine is asked to judge.
import type { ManagingUnit, StaffMember } from '../../schemas/resources.ts';
import type { Static } from 'typebox';
import type { RuleSet } from './ruleSet.ts';
import type { Area } from './topology/overlay.ts';

export type { Area };
export type Stage = 'draft' | 'filing';

/** A proposed grid as it arrives: nothing about it is trusted yet. */
export interface ProposedFeature {
  type?: unknown;
  properties?: Readonly<Record<string, unknown>> | null;
  geometry?: unknown;
}

export interface IslandInput {
  id: number;
  name: string | null;
  residents: number;
  geometry: Area;
}

/** Supplies a repaired geometry (PostGIS ST_MakeValid on the server); the engine only attaches it to findings. */
export type GeometryRepair = (geometry: Area) => Promise<Area | null>;

export interface PartitionInput {
  ruleSet: RuleSet;
  /** the division the grids partition (a township, usually) */
  division: { code: string; geometry: Area };
  features: ReadonlyArray<ProposedFeature>;
  islands?: ReadonlyArray<IslandInput>;
  /** land polygons for the shoreline rule of sea grids */
  land?: ReadonlyArray<Area>;
  /** codes this submission must not use: retired ones and ones in use outside this partition */
  takenCodes?: Iterable<string>;
  stage: Stage;
}

/** A proposed grid after its properties are read; geometry is null when it has geometry errors. */
export interface ProposedGrid {
  index: number;
  /** how findings name the grid: its code, or its feature index while it has none */
  ref: string | number;
  code: string | null;
  name: string | null;
  kind: 'comprehensive' | 'special' | 'maritime' | null;
  subkind: string | null;
  divisionCode: string | null;
  parentCode: string | null;
  households: number | null;
  population: number | null;
  staff: ReadonlyArray<Static<typeof StaffMember>>;
  managingUnits: ReadonlyArray<Static<typeof ManagingUnit>>;
  geometry: Area | null;
}
