// Quality report shared by the suggestion and its k-means baseline, so both are judged alike.
import { area, length, polygonToLine } from '@turf/turf';
import { findTilingDefects } from '../rules/index.ts';
import { polygonsOf } from './geometry.ts';
import type { AreaGeometry, HouseholdBand, QualityReport, Unsatisfied } from './types.ts';

export interface ReportedGrid {
  id: string;
  geometry: AreaGeometry;
  households: number;
  /** How many separate pieces the grid may have: one per component it spans (joined islets). */
  allowedPieces: number;
}

export interface ReportContext {
  method: QualityReport['method'];
  h3Resolution: number | null;
  band: HouseholdBand;
  division: AreaGeometry;
  input: QualityReport['input'];
  inhabitedIslands: number;
  inhabitedIslandsCovered: number;
  changedAreaShare: number | null;
  unsatisfied: Unsatisfied[];
  startedAt: number;
}

export function polsbyPopper(geometry: AreaGeometry): number {
  const a = area(geometry);
  const lines = polygonToLine(geometry);
  const perimeterM = length(lines, { units: 'kilometers' }) * 1000;
  return perimeterM > 0 ? (4 * Math.PI * a) / (perimeterM * perimeterM) : 0;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Gap, overlap and spill area found by the rules engine's tiling check (zero tolerance), or, when every
 * boundary cancels exactly, |Σ area(grid) − area(division)|: what is left is the geodesic area formula's
 * residue over T-junctions. Not a polyclip union: that alone is off by 13 m² on 六横镇's own parts.
 */
export function coverageErrorM2(grids: AreaGeometry[], division: AreaGeometry): number {
  const defects = findTilingDefects(division, grids.map((geometry, id) => ({ id, geometry })), { gapM2: 0, overlapM2: 0, outsideM2: 0 });
  const defectArea = [...defects.gaps, ...defects.overlaps, ...defects.outside].reduce((s, d) => s + d.areaM2, 0);
  const sumOfAreas = grids.reduce((s, g) => s + area(g), 0);
  return Math.max(defectArea, Math.abs(sumOfAreas - area(division)));
}

export function qualityReport(grids: ReportedGrid[], context: ReportContext): QualityReport {
  const { band } = context;
  const counts = grids.map((g) => g.households);
  const compactness = grids.map((g) => polsbyPopper(g.geometry));
  const contiguous = grids.filter((g) => polygonsOf(g.geometry).length <= g.allowedPieces).length;
  const unsatisfied = [...context.unsatisfied];
  for (const g of grids) {
    if (g.households < band.min) unsatisfied.push({ unit: g.id, households: g.households, reason: `below the band minimum ${band.min}` });
    else if (g.households > band.max) unsatisfied.push({ unit: g.id, households: g.households, reason: `above the band maximum ${band.max}` });
  }
  return {
    method: context.method,
    h3Resolution: context.h3Resolution,
    grids: grids.length,
    shareInBand: grids.length ? counts.filter((h) => h >= band.min && h <= band.max).length / grids.length : 0,
    households: {
      min: counts.length ? Math.min(...counts) : 0,
      median: median(counts),
      max: counts.length ? Math.max(...counts) : 0,
      total: counts.reduce((s, h) => s + h, 0),
    },
    contiguity: grids.length ? contiguous / grids.length : 1,
    compactness: {
      polsbyPopperMean: compactness.length ? compactness.reduce((s, c) => s + c, 0) / compactness.length : 0,
      polsbyPopperMin: compactness.length ? Math.min(...compactness) : 0,
    },
    coverageErrorM2: coverageErrorM2(
      grids.map((g) => g.geometry),
      context.division,
    ),
    inhabitedIslands: context.inhabitedIslands,
    inhabitedIslandsCovered: context.inhabitedIslandsCovered,
    changedAreaShare: context.changedAreaShare,
    input: context.input,
    runtimeMs: Math.round(performance.now() - context.startedAt),
    unsatisfied,
  };
}
