// Shapes of the auto-suggest domain: what a planner gives, what comes back.
import type { Feature, FeatureCollection, LineString, MultiLineString, MultiPolygon, Polygon } from 'geojson';

export type AreaGeometry = Polygon | MultiPolygon;

export interface HouseholdPoint {
  lon: number;
  lat: number;
  households: number;
}

export interface HouseholdBand {
  min: number;
  max: number;
  ideal: number;
}

export interface IslandInput {
  id: number | string;
  residents: number;
  geometry: AreaGeometry;
}

export interface FiledGrid {
  code: string;
  geometry: AreaGeometry;
  households?: number;
}

export type SuggestLevel = 'grid' | 'micro';
export type SuggestMode = 'fresh' | 'adjust';

export interface SuggestInput {
  division: { code: string; geometry: AreaGeometry };
  households: HouseholdPoint[];
  band?: HouseholdBand;
  level?: SuggestLevel;
  /** Roads, rivers: the unit adjacency graph never crosses them. */
  barriers?: Array<Feature<LineString | MultiLineString> | LineString | MultiLineString>;
  islands?: IslandInput[];
  /** Permanent residents from which an island must be covered by its own grid (regulation: 50). */
  inhabitedThreshold?: number;
  mode?: SuggestMode;
  filed?: FiledGrid[];
  seed?: number;
  h3Resolution?: number;
}

export type SuggestPhase = 'units' | 'grow' | 'improve' | 'geometry' | 'report';
export type ProgressListener = (progress: { phase: SuggestPhase; percent: number }) => void;

export interface Unsatisfied {
  /** A component id (`c3`), a grid id (`g12`) or a grid code. */
  unit: string;
  households: number;
  reason: string;
}

export interface QualityReport {
  method: 'h3-power-diagram' | 'kmeans-voronoi';
  h3Resolution: number | null;
  grids: number;
  shareInBand: number;
  households: { min: number; median: number; max: number; total: number };
  /** Share of grids whose area is connected within each component they span. Must be 1. */
  contiguity: number;
  compactness: { polsbyPopperMean: number; polsbyPopperMin: number };
  /** |area(union of grids) − area(division)| + area of grids outside the division, m². */
  coverageErrorM2: number;
  inhabitedIslands: number;
  inhabitedIslandsCovered: number;
  /** Adjust mode: share of the division area now in a grid other than the filed one with the same code. */
  changedAreaShare: number | null;
  input: { points: number; households: number; malformed: number; outsideDivision: number };
  runtimeMs: number;
  unsatisfied: Unsatisfied[];
}

export interface SuggestedGridProperties {
  id: string;
  code: string | null;
  households: number;
  inBand: boolean;
  component: string;
  /** True for grids that also hold uninhabited parts joined to them. */
  joinedParts: number;
}

export interface SuggestResult {
  features: FeatureCollection<AreaGeometry, SuggestedGridProperties>;
  report: QualityReport;
}

export type SuggestErrorType = 'no-household-data' | 'invalid-division' | 'invalid-band' | 'invalid-filed-partition';

/** A typed failure the API renders once as problem+json. */
export class SuggestError extends Error {
  constructor(
    readonly type: SuggestErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'SuggestError';
  }
}

export const GRID_BAND: HouseholdBand = { min: 300, max: 500, ideal: 400 };
export const MICRO_GRID_BAND: HouseholdBand = { min: 50, max: 80, ideal: 65 };
export const INHABITED_ISLAND_RESIDENTS = 50;
