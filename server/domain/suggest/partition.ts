// suggestPartition: from a division and household points to proposed grids with a quality report.
// See docs/suggest.md for the method and why it was chosen.
import Flatbush from 'flatbush';
import { area, feature, featureCollection, intersect, pointOnFeature } from '@turf/turf';
import type { Feature } from 'geojson';
import { polygonsOf, regionGeometries, regionMembers } from './geometry.ts';
import { improveRegions, powerDiagramRegions, rebalanceChains, regionCount, type Assignment } from './regions.ts';
import { qualityReport, type ReportedGrid } from './report.ts';
import {
  GRID_BAND,
  INHABITED_ISLAND_RESIDENTS,
  MICRO_GRID_BAND,
  SuggestError,
  type AreaGeometry,
  type FiledGrid,
  type HouseholdBand,
  type HouseholdPoint,
  type ProgressListener,
  type SuggestInput,
  type SuggestResult,
  type SuggestedGridProperties,
  type Unsatisfied,
} from './types.ts';
import { getHexagonAreaAvg, getHexagonEdgeLengthAvg } from 'h3-js';
import { buildUnitGraph, chooseResolution, isValidPoint, pointInPart, pointInRings, type UnitGraph } from './units.ts';

const KM_PER_DEGREE = 111.32;
/**
 * Weight of the normalised moment of inertia in the local search against the band penalty (which is in
 * ideal-grid units). Chosen on 六横镇 (seeds 1–5) and a third of the demo villages: 2 to 10 all beat the
 * k-means baseline on Polsby–Popper; 4 kept share-in-band at its best.
 */
const COMPACTNESS_WEIGHT = 4;

export function resolveBand(input: Pick<SuggestInput, 'band' | 'level'>): HouseholdBand {
  const band = input.band ?? (input.level === 'micro' ? MICRO_GRID_BAND : GRID_BAND);
  if (!(band.min > 0 && band.min <= band.ideal && band.ideal <= band.max)) {
    throw new SuggestError('invalid-band', `band must satisfy 0 < min ≤ ideal ≤ max, got ${band.min}/${band.ideal}/${band.max}`);
  }
  return band;
}

/** Valid points and the count of malformed ones; throws when nothing usable is left. */
export function householdPoints(input: SuggestInput): { valid: HouseholdPoint[]; malformed: number } {
  const type = input.division?.geometry?.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') throw new SuggestError('invalid-division', `division geometry must be Polygon or MultiPolygon, got ${String(type)}`);
  const valid = (input.households ?? []).filter(isValidPoint);
  const malformed = (input.households ?? []).length - valid.length;
  if (valid.reduce((s, p) => s + p.households, 0) <= 0) {
    throw new SuggestError('no-household-data', `division ${input.division.code} has no usable household counts (${malformed} malformed points)`);
  }
  return { valid, malformed };
}

interface ComponentPlan {
  households: number;
  part: number;
  grow: boolean;
}

function inhabitedParts(graph: UnitGraph, input: SuggestInput): Map<number, string> {
  const threshold = input.inhabitedThreshold ?? INHABITED_ISLAND_RESIDENTS;
  const parts = new Map<number, string>();
  for (const island of input.islands ?? []) {
    if (island.residents < threshold) continue;
    const [x, y] = pointOnFeature(feature(island.geometry)).geometry.coordinates;
    const p = graph.parts.findIndex((part) => pointInPart(x, y, part));
    if (p >= 0) parts.set(p, String(island.id));
  }
  return parts;
}

/** A component gets grids of its own if it can fill one, or if it is the main land of an inhabited part. */
function planComponents(graph: UnitGraph, band: HouseholdBand, inhabited: Map<number, string>): ComponentPlan[] {
  const plans = graph.components.map((members) => ({
    households: members.reduce((s, u) => s + graph.households[u], 0),
    part: graph.part[members[0]],
    grow: false,
  }));
  const main = new Map<number, number>();
  plans.forEach((c, i) => {
    const m = main.get(c.part);
    const better = m === undefined || c.households > plans[m].households ||
      (c.households === plans[m].households && graph.components[i].length > graph.components[m].length);
    if (better) main.set(c.part, i);
  });
  plans.forEach((c, i) => {
    const isMain = main.get(c.part) === i;
    c.grow = c.households >= band.min || (isMain && (c.households > 0 || inhabited.has(c.part)));
  });
  return plans;
}

/** Hand each left-over component to the nearest grid, nearest first, so chains of islets follow each other. */
function joinToNearest(graph: UnitGraph, owner: Assignment, pending: number[]): void {
  if (pending.length === 0) return;
  const cosLat = Math.cos((graph.lat[0] * Math.PI) / 180);
  const assigned: number[] = [];
  for (let u = 0; u < owner.length; u++) if (owner[u] >= 0) assigned.push(u);
  if (assigned.length === 0) return;
  const index = new Flatbush(assigned.length);
  for (const u of assigned) index.add(graph.lon[u] * cosLat, graph.lat[u], graph.lon[u] * cosLat, graph.lat[u]);
  index.finish();
  const d2 = (u: number, v: number) => ((graph.lon[u] - graph.lon[v]) * cosLat) ** 2 + (graph.lat[u] - graph.lat[v]) ** 2;
  const best = pending.map((c) => {
    let dist = Infinity;
    let target = -1;
    for (const u of graph.components[c]) {
      const [i] = index.neighbors(graph.lon[u] * cosLat, graph.lat[u], 1);
      const d = d2(u, assigned[i]);
      if (d < dist) {
        dist = d;
        target = assigned[i];
      }
    }
    return { c, dist, target };
  });
  while (best.length > 0) {
    let k = 0;
    for (let i = 1; i < best.length; i++) if (best[i].dist < best[k].dist) k = i;
    const [{ c, target }] = best.splice(k, 1);
    for (const u of graph.components[c]) owner[u] = owner[target];
    for (const other of best) {
      for (const u of graph.components[other.c]) {
        for (const v of graph.components[c]) {
          const d = d2(u, v);
          if (d < other.dist) {
            other.dist = d;
            other.target = v;
          }
        }
      }
    }
  }
}

/** Adjust mode start: each unit goes to the filed grid containing its cell centre, gaps to a neighbour's grid. */
function filedAssignment(graph: UnitGraph, filed: FiledGrid[]): Assignment {
  const owner = new Int32Array(graph.cell.length).fill(-1);
  const shapes = filed.map((g) => polygonsOf(g.geometry));
  const index = new Flatbush(filed.length);
  for (const polys of shapes) {
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    for (const [x, y] of polys.flatMap((rings) => rings[0])) {
      minX = Math.min(minX, x);
      minY = Math.min(minY, y);
      maxX = Math.max(maxX, x);
      maxY = Math.max(maxY, y);
    }
    index.add(minX, minY, maxX, maxY);
  }
  index.finish();
  const queue: number[] = [];
  for (let u = 0; u < owner.length; u++) {
    const x = graph.lon[u];
    const y = graph.lat[u];
    const hit = index.search(x, y, x, y).sort((a, b) => a - b).find((g) => shapes[g].some((rings) => pointInRings(x, y, rings)));
    if (hit !== undefined) {
      owner[u] = hit;
      queue.push(u);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    for (const v of graph.neighbours[queue[i]]) {
      if (owner[v] < 0) {
        owner[v] = owner[queue[i]];
        queue.push(v);
      }
    }
  }
  return owner;
}

/** Households of each filed grid counted from the points themselves (first grid wins on a shared edge). */
function filedHouseholds(filed: FiledGrid[], points: HouseholdPoint[]): number[] {
  const counts = filed.map(() => 0);
  const shapes = filed.map((g) => polygonsOf(g.geometry));
  for (const p of points) {
    const g = shapes.findIndex((polys) => polys.some((rings) => pointInRings(p.lon, p.lat, rings)));
    if (g >= 0) counts[g] += p.households;
  }
  return counts;
}

/**
 * Households of each region counted from the points against the final (smoothed) polygons, so a
 * point always lies in the grid that counts it. Only points next to another region need a test.
 */
function regionHouseholds(graph: UnitGraph, owner: Assignment, geometries: Array<AreaGeometry | null>, points: HouseholdPoint[]): number[] {
  const counts = geometries.map(() => 0);
  const shapes = geometries.map((g) => polygonsOf(g));
  points.forEach((p, i) => {
    const u = graph.pointUnit[i];
    if (u < 0) return;
    const home = owner[u];
    let region = home;
    const others = [...new Set(graph.neighbours[u].map((v) => owner[v]).filter((r) => r !== home && r >= 0))].sort((a, b) => a - b);
    if (others.length > 0 && !shapes[home].some((rings) => pointInRings(p.lon, p.lat, rings))) {
      region = others.find((r) => shapes[r].some((rings) => pointInRings(p.lon, p.lat, rings))) ?? home;
    }
    counts[region] += p.households;
  });
  return counts;
}

function changedAreaShare(grids: Array<{ code: string | null; geometry: AreaGeometry }>, filed: FiledGrid[], division: AreaGeometry): number {
  const byCode = new Map(filed.map((g) => [g.code, g.geometry]));
  let kept = 0;
  for (const g of grids) {
    const before = g.code === null ? undefined : byCode.get(g.code);
    if (!before) continue;
    const overlap = intersect(featureCollection([feature(g.geometry), feature(before)]));
    if (overlap) kept += area(overlap);
  }
  return Math.max(0, 1 - kept / area(division));
}

/**
 * Propose grids for a division from household counts.
 *
 * @example
 * const { features, report } = suggestPartition({ division: { code: '330903001000', geometry }, households, seed: 1 });
 * report.shareInBand; // 0.9…
 */
export function suggestPartition(input: SuggestInput, onProgress?: ProgressListener): SuggestResult {
  const startedAt = performance.now();
  const band = resolveBand(input);
  const seed = input.seed ?? 1;
  const { valid, malformed } = householdPoints(input);
  const division = input.division.geometry;
  const filed = input.mode === 'adjust' ? (input.filed ?? []) : [];
  if (input.mode === 'adjust' && filed.length === 0) throw new SuggestError('invalid-filed-partition', 'adjust mode needs the filed grids');
  onProgress?.({ phase: 'units', percent: 0 });

  const resolution = input.h3Resolution ?? chooseResolution(area(division), valid, band.ideal);
  const graph = buildUnitGraph(input, resolution, valid, malformed);
  // One cell's planar area in degrees² (x scaled by cos(lat)), the scale of the region shape terms.
  const unitArea = getHexagonAreaAvg(resolution, 'km2') / KM_PER_DEGREE ** 2;
  if (graph.points.households <= 0) {
    throw new SuggestError('no-household-data', `none of the ${valid.length} household points lies inside division ${input.division.code}`);
  }
  const inhabited = inhabitedParts(graph, input);
  const plans = planComponents(graph, band, inhabited);
  const unsatisfied: Unsatisfied[] = [];
  onProgress?.({ phase: 'grow', percent: 10 });

  let owner: Assignment;
  let regions: number;
  if (filed.length > 0) {
    owner = filedAssignment(graph, filed);
    regions = filed.length;
  } else {
    owner = new Int32Array(graph.cell.length).fill(-1);
    regions = 0;
    plans.forEach((plan, c) => {
      if (!plan.grow) return;
      const { count, feasible } = regionCount(plan.households, band);
      if (!feasible) {
        unsatisfied.push({
          unit: `c${c}`,
          households: plan.households,
          reason: `no whole number of grids puts ${plan.households} households in the band ${band.min}–${band.max}` +
            (plan.households < band.min ? ' (component below the band minimum; it keeps a grid of its own)' : ''),
        });
      }
      powerDiagramRegions(graph, graph.components[c], count, regions, owner, seed + c, { unitArea });
      regions += Math.min(count, graph.components[c].length);
    });
  }
  joinToNearest(graph, owner, plans.map((_, c) => c).filter((c) => graph.components[c].some((u) => owner[u] < 0)));
  onProgress?.({ phase: 'improve', percent: 40 });

  const initial = Int32Array.from(owner);
  rebalanceChains(graph, owner, band, regions);
  const moves = improveRegions(graph, owner, {
    band,
    regions,
    seed,
    repairOnly: filed.length > 0,
    // Adjust mode moves units only to repair the band, not for shape (shape decides what is given back below).
    compactness: filed.length > 0 ? 0 : COMPACTNESS_WEIGHT,
    unitArea,
    onPass: (pass, max) => onProgress?.({ phase: 'improve', percent: 40 + Math.round((30 * pass) / max) }),
  });
  if (filed.length > 0) {
    // The chains pass whole border strips and aim a quarter band inside the limit: give back to the filed grids
    // the units the repair did not need, where both grids stay an eighth of the band clear of its limits (or
    // get no further past them) and band pull + cut edges + shape drop. See docs/suggest.md, adjust mode.
    improveRegions(graph, owner, { band, regions, seed, repairOnly: false, home: initial, compactness: COMPACTNESS_WEIGHT, unitArea });
  }
  onProgress?.({ phase: 'geometry', percent: 70 });

  const members = regionMembers(owner, regions);
  const reported: Array<ReportedGrid & { code: string | null; component: string; joinedParts: number }> = [];
  if (filed.length > 0 && owner.every((o, u) => o === initial[u])) {
    const counts = filedHouseholds(filed, valid);
    filed.forEach((g, i) => {
      const comps = new Set(members[i].map((u) => graph.component[u]));
      reported.push({ id: g.code, code: g.code, geometry: g.geometry, households: counts[i], allowedPieces: Math.max(1, polygonsOf(g.geometry).length), component: `c${graph.component[members[i][0]] ?? -1}`, joinedParts: Math.max(0, comps.size - 1) });
    });
  } else {
    const edgeDeg = getHexagonEdgeLengthAvg(resolution, 'km') / KM_PER_DEGREE;
    const geometries = regionGeometries(graph, members, edgeDeg, valid, band);
    const counts = regionHouseholds(graph, owner, geometries, valid);
    members.forEach((units, r) => {
      const geometry = geometries[r];
      if (units.length === 0 || !geometry) return;
      const comps = new Set(units.map((u) => graph.component[u]));
      let code: string | null = null;
      if (filed.length > 0) {
        const before = initial.reduce((n, o) => n + (o === r ? 1 : 0), 0);
        const kept = units.filter((u) => initial[u] === r).length;
        if (kept / Math.max(before, units.length) >= 0.5) code = filed[r].code;
      }
      reported.push({
        id: code ?? `g${r + 1}`,
        code,
        geometry,
        households: counts[r],
        allowedPieces: comps.size,
        component: `c${graph.component[units[0]]}`,
        joinedParts: comps.size - 1,
      });
    });
  }
  onProgress?.({ phase: 'report', percent: 95 });

  const homeParts = new Set(members.filter((u) => u.length > 0).map((u) => graph.part[u[0]]));
  const report = qualityReport(reported, {
    method: 'h3-power-diagram',
    h3Resolution: resolution,
    band,
    division,
    input: graph.points,
    inhabitedIslands: inhabited.size,
    inhabitedIslandsCovered: [...inhabited.keys()].filter((p) => homeParts.has(p)).length,
    changedAreaShare: filed.length > 0 ? (moves === 0 && owner.every((o, u) => o === initial[u]) ? 0 : changedAreaShare(reported, filed, division)) : null,
    unsatisfied,
    startedAt,
  });
  const features: Array<Feature<AreaGeometry, SuggestedGridProperties>> = reported.map((g) => ({
    type: 'Feature',
    properties: {
      id: g.id,
      code: g.code,
      households: g.households,
      inBand: g.households >= band.min && g.households <= band.max,
      component: g.component,
      joinedParts: g.joinedParts,
    },
    geometry: g.geometry,
  }));
  onProgress?.({ phase: 'report', percent: 100 });
  return { features: { type: 'FeatureCollection', features }, report };
}
