// Regionalisation on the unit graph: a balanced centroidal power diagram per component (compact,
// convex-as-the-land-allows regions sized by households), then local search moving border units between
// neighbouring regions (as ReCom's moves do, but greedy and deterministic), always keeping each region
// connected.
import { seededRandom } from './seed.ts';
import { shuffled } from '../random.ts';
import { weightedKMeans } from './kmeans.ts';
import type { HouseholdBand } from './types.ts';
import type { UnitGraph } from './units.ts';

/** Unit → region assignment; -1 means unassigned. */
export type Assignment = Int32Array;

/**
 * How many grids a component should get: the count nearest the ideal size that puts the mean in the
 * band, or `feasible: false` when no whole number of grids can (say 50 households and a 300–310 band).
 */
export function regionCount(households: number, band: HouseholdBand): { count: number; feasible: boolean } {
  const low = Math.max(1, Math.ceil(households / band.max));
  const high = Math.floor(households / band.min);
  const ideal = Math.max(1, Math.round(households / band.ideal));
  if (low <= high) return { count: Math.min(high, Math.max(low, ideal)), feasible: true };
  return { count: ideal, feasible: false };
}

export interface PowerDiagramOptions {
  /** Planar area of one unit, in the same squared units as lon·cos(lat) and lat (degrees²). */
  unitArea: number;
  /** Lloyd steps (centres to area centroids); the weights are balanced before each and after the last. */
  rounds?: number;
}

/**
 * Weighted centres of a power diagram. `label` finds the centre nearest by power distance
 * |x − c|² − w(c), lowest index on a tie, scanning centres outwards in x order and stopping once no
 * centre further out in x can be nearer: the same answer as trying all of them, at a fraction of the cost.
 */
class PowerCentres {
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly weight: Float64Array;
  private readonly order: Int32Array;
  private readonly sortedX: Float64Array;
  private maxWeight = 0;

  constructor(centres: Array<[number, number]>) {
    this.x = Float64Array.from(centres, (c) => c[0]);
    this.y = Float64Array.from(centres, (c) => c[1]);
    this.weight = new Float64Array(centres.length);
    this.order = Int32Array.from(centres.keys());
    this.sortedX = new Float64Array(centres.length);
  }

  /** To be called after the centres or the weights change. */
  index(): void {
    const { x, order, sortedX } = this;
    order.sort((a, b) => x[a] - x[b] || a - b);
    order.forEach((c, i) => (sortedX[i] = x[c]));
    this.maxWeight = Math.max(...this.weight);
  }

  label(px: number, py: number): number {
    const { y, weight, order, sortedX, maxWeight } = this;
    const k = order.length;
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sortedX[mid] < px) lo = mid + 1;
      else hi = mid;
    }
    let left = lo - 1;
    let right = lo;
    let best = -1;
    let bestD = Infinity;
    while (left >= 0 || right < k) {
      const dl = left >= 0 ? px - sortedX[left] : Infinity;
      const dr = right < k ? sortedX[right] - px : Infinity;
      const dx = Math.min(dl, dr);
      if (dx * dx - maxWeight > bestD) break;
      const c = order[dl <= dr ? left-- : right++];
      const d = dx * dx + (py - y[c]) ** 2 - weight[c];
      if (d < bestD || (d === bestD && c < best)) {
        bestD = d;
        best = c;
      }
    }
    return best;
  }
}

const LLOYD_ROUNDS = 12;
const BALANCE_STEPS = 40;
/** Relative deviation from the target households at which every region counts as balanced. */
const BALANCED = 0.05;
/** First weight step, in squared radii of a mean region per unit of relative shortfall. */
const BALANCE_RATE = 0.2;

/**
 * Balanced centroidal power diagram on the units of one connected component (after Cohen-Addad, Klein
 * & Young 2018, "Balanced centroidal power diagrams for redistricting"): each unit goes to the centre c
 * minimising |x − c|² − w(c). Before each Lloyd step the weights are balanced (a region short of the
 * target households grows its weight, a full one shrinks it; only units with households take part, the
 * others cannot change a count), then every centre moves to the area centroid of its units. Power cells
 * are convex, so no region wraps around a dense neighbour, and their areas follow the households. Pieces
 * that a bay or a barrier cuts off from their region go to the neighbouring region they touch most.
 * Regions are numbered from `firstRegion`.
 */
export function powerDiagramRegions(
  graph: UnitGraph,
  members: number[],
  count: number,
  firstRegion: number,
  owner: Assignment,
  seed: number,
  options: PowerDiagramOptions,
): void {
  const random = seededRandom(seed);
  const n = members.length;
  const k = Math.min(count, n);
  const cosLat = Math.cos((graph.lat[members[0]] * Math.PI) / 180);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const hs = new Float64Array(n);
  members.forEach((u, i) => {
    xs[i] = graph.lon[u] * cosLat;
    ys[i] = graph.lat[u];
    hs[i] = graph.households[u];
  });
  const populated: number[] = [];
  for (let i = 0; i < n; i++) if (hs[i] > 0) populated.push(i);
  // Too few households to go round (a bare component): balance unit counts instead.
  const counted = populated.length >= k ? populated : Array.from({ length: n }, (_, i) => i);
  const amount = populated.length >= k ? hs : new Float64Array(n).fill(1);
  const centres = weightedKMeans(xs, ys, amount, k, random);
  const diagram = new PowerCentres(centres);
  const { x: cx, y: cy, weight } = diagram;
  const target = counted.reduce((s, i) => s + amount[i], 0) / k;
  // Squared radius of a round region of the mean size: the scale of the weights.
  const radius2 = (options.unitArea * n) / (k * Math.PI);
  const totals = new Float64Array(k);
  const bestWeight = new Float64Array(k);
  const rounds = options.rounds ?? LLOYD_ROUNDS;
  for (let round = 0; round <= rounds; round++) {
    let bestScore = Infinity;
    for (let step = 0; step < BALANCE_STEPS; step++) {
      totals.fill(0);
      diagram.index();
      for (const i of counted) totals[diagram.label(xs[i], ys[i])] += amount[i];
      let score = 0;
      let worst = 0;
      for (let c = 0; c < k; c++) {
        const deviation = Math.abs(totals[c] - target) / target;
        score += deviation * deviation;
        worst = Math.max(worst, deviation);
      }
      if (score < bestScore) {
        bestScore = score;
        bestWeight.set(weight);
      }
      if (worst <= BALANCED) break;
      // A subgradient step on the weights, shrinking so that they settle instead of swinging.
      const rate = (BALANCE_RATE * radius2) / (1 + step / 4);
      for (let c = 0; c < k; c++) weight[c] += (rate * (target - totals[c])) / target;
    }
    weight.set(bestWeight);
    diagram.index();
    if (round === rounds) break;
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const sw = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = diagram.label(xs[i], ys[i]);
      sx[c] += xs[i];
      sy[c] += ys[i];
      sw[c]++;
    }
    for (let c = 0; c < k; c++) {
      if (sw[c] === 0) continue;
      cx[c] = sx[c] / sw[c];
      cy[c] = sy[c] / sw[c];
    }
  }
  members.forEach((u, i) => (owner[u] = firstRegion + diagram.label(xs[i], ys[i])));
  keepLargestPieces(graph, members, owner);
}

/**
 * Each region keeps its connected piece with the most households (then units); the other pieces are
 * handed, unit by unit from their edges inwards, to the neighbouring region they touch most.
 */
function keepLargestPieces(graph: UnitGraph, members: number[], owner: Assignment): void {
  const seen = new Set<number>();
  const pieces = new Map<number, number[][]>();
  for (const s of members) {
    if (seen.has(s)) continue;
    const r = owner[s];
    const piece = [s];
    seen.add(s);
    for (let i = 0; i < piece.length; i++) {
      for (const v of graph.neighbours[piece[i]]) {
        if (owner[v] === r && !seen.has(v)) {
          seen.add(v);
          piece.push(v);
        }
      }
    }
    const list = pieces.get(r);
    if (list) list.push(piece);
    else pieces.set(r, [piece]);
  }
  const loose: number[] = [];
  for (const list of pieces.values()) {
    if (list.length < 2) continue;
    const weight = (p: number[]) => p.reduce((s, u) => s + graph.households[u], 0);
    let keep = 0;
    for (let i = 1; i < list.length; i++) {
      const better = weight(list[i]) - weight(list[keep]) || list[i].length - list[keep].length;
      if (better > 0) keep = i;
    }
    list.forEach((p, i) => {
      if (i !== keep) loose.push(...p);
    });
  }
  for (const u of loose) owner[u] = -1;
  let pending = loose.sort((a, b) => a - b);
  while (pending.length > 0) {
    const next: number[] = [];
    const claims: Array<[number, number]> = [];
    for (const u of pending) {
      const touching = new Map<number, number>();
      for (const v of graph.neighbours[u]) if (owner[v] >= 0) touching.set(owner[v], (touching.get(owner[v]) ?? 0) + 1);
      let region = -1;
      let most = 0;
      for (const [r, m] of touching) {
        if (m > most || (m === most && r < region)) {
          most = m;
          region = r;
        }
      }
      if (region < 0) next.push(u);
      else claims.push([u, region]);
    }
    if (claims.length === 0) break;
    for (const [u, r] of claims) owner[u] = r;
    pending = next;
  }
}

export interface ImproveOptions {
  band: HouseholdBand;
  regions: number;
  seed: number;
  /** Adjust mode: only move units out of or into regions outside the band. */
  repairOnly: boolean;
  /**
   * Adjust mode after the repair: only move a unit back to its owner here (its filed grid), and only when
   * neither grid ends up further outside the band narrowed by `GIVE_BACK_MARGIN` at each end.
   */
  home?: Assignment;
  maxPasses?: number;
  /** Weight of the shape term (normalised moment of inertia per region); 0 leaves shape to the cut edges. */
  compactness?: number;
  /** Planar area of one unit (degrees², x scaled by cos(lat)), the scale of the shape term. */
  unitArea?: number;
  onPass?: (pass: number, maxPasses: number) => void;
}

/** Households outside the band (0 inside it). */
function outside(h: number, band: HouseholdBand): number {
  return Math.max(0, band.min - h) + Math.max(0, h - band.max);
}

/** Band penalty in ideal-grid units: steep outside the band, gentle pull towards the ideal inside. */
function penalty(h: number, band: HouseholdBand): number {
  const dev = (h - band.ideal) / band.ideal;
  return (100 * outside(h, band)) / band.ideal + 10 * dev * dev;
}

const CUT_EDGE_WEIGHT = 0.3;

/**
 * Share of the band width that giving units back keeps clear at each end. Without it, on 5 townships ×
 * 3 seeds the give-back left 153 of 888 grids within 10 households of a band limit (88 before); with an
 * eighth, 90, and still most of the shape and changed-area gain (docs/suggest.md, adjust mode).
 */
const GIVE_BACK_MARGIN = 1 / 8;

function inBand(h: number, band: HouseholdBand): boolean {
  return h >= band.min && h <= band.max;
}

/** A test whether removing unit u keeps region r connected: all u's same-region neighbours still reach each other. */
function connectivityCheck(graph: UnitGraph, owner: Assignment): (u: number, r: number) => boolean {
  const stamp = new Int32Array(owner.length);
  let visit = 0;
  return (u, r) => {
    const targets = graph.neighbours[u].filter((v) => owner[v] === r);
    if (targets.length <= 1) return targets.length === 1;
    visit++;
    stamp[u] = visit;
    const queue = [targets[0]];
    stamp[targets[0]] = visit;
    let found = 1;
    for (let i = 0; i < queue.length && found < targets.length; i++) {
      for (const v of graph.neighbours[queue[i]]) {
        if (owner[v] !== r || stamp[v] === visit) continue;
        stamp[v] = visit;
        if (targets.includes(v)) found++;
        queue.push(v);
      }
    }
    return found === targets.length;
  };
}

/**
 * Over-full and under-full grids are rarely neighbours, and single moves cannot pass households
 * through a grid that is already in the band. Shift households along the shortest chain of
 * neighbouring regions from each region outside the band to one with room, a border unit at a time.
 */
export function rebalanceChains(graph: UnitGraph, owner: Assignment, band: HouseholdBand, regions: number, maxRounds = 4 * regions): void {
  const households = new Float64Array(regions);
  const size = new Int32Array(regions);
  for (let u = 0; u < owner.length; u++) {
    if (owner[u] < 0) continue;
    households[owner[u]] += graph.households[u];
    size[owner[u]]++;
  }
  const staysConnected = connectivityCheck(graph, owner);
  const failed = new Set<number>();
  // Which regions touch: rebuilt only after a round that moved units (a failed round changes nothing).
  let adjacency: Array<Set<number>> | null = null;
  for (let round = 0; round < maxRounds; round++) {
    let worst = -1;
    let worstGap = 0;
    for (let r = 0; r < regions; r++) {
      const gap = Math.max(households[r] - band.max, band.min - households[r]);
      if (gap > worstGap && !failed.has(r)) {
        worstGap = gap;
        worst = r;
      }
    }
    if (worst < 0) return;
    const over = households[worst] > band.max;
    if (!adjacency) {
      adjacency = Array.from({ length: regions }, () => new Set<number>());
      for (let u = 0; u < owner.length; u++) {
        for (const v of graph.neighbours[u]) if (owner[u] >= 0 && owner[v] >= 0 && owner[u] !== owner[v]) adjacency[owner[u]].add(owner[v]);
      }
    }
    const previous = new Int32Array(regions).fill(-2);
    previous[worst] = -1;
    const queue = [worst];
    let end = -1;
    for (let i = 0; i < queue.length && end < 0; i++) {
      for (const r of [...adjacency[queue[i]]].sort((a, b) => a - b)) {
        if (previous[r] !== -2) continue;
        previous[r] = queue[i];
        queue.push(r);
        const room = over ? band.ideal - households[r] : households[r] - band.ideal;
        if (room > 0) {
          end = r;
          break;
        }
      }
    }
    if (end < 0) {
      failed.add(worst);
      continue;
    }
    const room = over ? band.ideal - households[end] : households[end] - band.ideal;
    const amount = Math.min(worstGap + (band.max - band.min) / 4, room);
    const chain: number[] = [];
    for (let r = end; r !== -1; r = previous[r]) chain.push(r);
    chain.reverse();
    // Over-full: households flow worst → end; under-full: end → worst.
    const steps = over ? chain : chain.slice().reverse();
    let moved = 0;
    for (let i = 0; i + 1 < steps.length; i++) {
      const from = steps[i];
      const to = steps[i + 1];
      let shifted = 0;
      // Units of `from` touching `to`, found once per step and extended as the border moves: no full scan per move.
      const border = new Set<number>();
      for (let u = 0; u < owner.length; u++) {
        if (owner[u] === from && graph.neighbours[u].some((v) => owner[v] === to)) border.add(u);
      }
      for (let guard = 0; guard < 200 && shifted < amount; guard++) {
        let best = -1;
        let bestScore = -Infinity;
        for (const u of [...border].sort((x, y) => x - y)) {
          if (owner[u] !== from || graph.households[u] > amount - shifted + band.ideal * 0.05) continue;
          let inTo = 0;
          for (const v of graph.neighbours[u]) if (owner[v] === to) inTo++;
          if (inTo === 0) continue;
          const score = inTo * 10 + graph.households[u];
          if (score > bestScore && size[from] > 1 && staysConnected(u, from)) {
            bestScore = score;
            best = u;
          }
        }
        if (best < 0) break;
        border.delete(best);
        for (const v of graph.neighbours[best]) if (owner[v] === from) border.add(v);
        owner[best] = to;
        households[from] -= graph.households[best];
        households[to] += graph.households[best];
        size[from]--;
        size[to]++;
        shifted += graph.households[best];
      }
      moved += shifted;
    }
    if (moved === 0) failed.add(worst);
    else adjacency = null;
  }
}

/**
 * Greedy border-unit moves; returns the number of moves made. A move to a neighbouring region is made
 * when it lowers Σ band penalty + `CUT_EDGE_WEIGHT` · cut edges + `compactness` · Σ normalised moment
 * of inertia, and the region it leaves stays connected.
 */
export function improveRegions(graph: UnitGraph, owner: Assignment, options: ImproveOptions): number {
  const { band, repairOnly, regions, home } = options;
  const compactness = options.compactness ?? 0;
  const margin = (band.max - band.min) * GIVE_BACK_MARGIN;
  const inner = { ...band, min: band.min + margin, max: band.max - margin };
  const maxPasses = options.maxPasses ?? 40;
  const n = owner.length;
  const households = new Float64Array(regions);
  const size = new Int32Array(regions);
  // Planar unit positions relative to the first unit (small numbers keep the moment sums exact enough).
  const cosLat = Math.cos((graph.lat[0] * Math.PI) / 180);
  const px = Float64Array.from(graph.lon, (x) => (x - graph.lon[0]) * cosLat);
  const py = Float64Array.from(graph.lat, (y) => y - graph.lat[0]);
  const sx = new Float64Array(regions);
  const sy = new Float64Array(regions);
  const sq = new Float64Array(regions);
  for (let u = 0; u < n; u++) {
    const r = owner[u];
    if (r < 0) continue;
    households[r] += graph.households[u];
    size[r]++;
    sx[r] += px[u];
    sy[r] += py[u];
    sq[r] += px[u] * px[u] + py[u] * py[u];
  }
  // 2π · moment of inertia / area² of m units with these coordinate sums: 1 for a disc, more for
  // elongated or bent regions. Rotation-invariant, so unlike a count of hexagon sides it does not
  // favour boundaries along the hexagon axes, which smoothing straightens anyway.
  const unitArea = options.unitArea ?? 1;
  const inertia = (x: number, y: number, q: number, m: number) => (m > 0 ? (2 * Math.PI * (q - (x * x + y * y) / m)) / (m * m * unitArea) : 0);
  const order = shuffled(Array.from({ length: n }, (_, i) => i), seededRandom(options.seed ^ 0x5bd1e995));
  const staysConnected = connectivityCheck(graph, owner);
  const touched: number[] = [];
  const shared: number[] = [];

  let moves = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let movedThisPass = 0;
    for (const u of order) {
      const a = owner[u];
      if (a < 0 || size[a] <= 1 || home?.[u] === a) continue;
      let sameA = 0;
      touched.length = 0;
      shared.length = 0;
      for (const v of graph.neighbours[u]) {
        const r = owner[v];
        if (r === a) sameA++;
        else if (r >= 0) {
          const i = touched.indexOf(r);
          if (i < 0) {
            touched.push(r);
            shared.push(1);
          } else shared[i]++;
        }
      }
      if (touched.length === 0) continue;
      const w = graph.households[u];
      const q = px[u] * px[u] + py[u] * py[u];
      const baseA = penalty(households[a], band);
      const shapeA = compactness === 0 ? 0 : inertia(sx[a] - px[u], sy[a] - py[u], sq[a] - q, size[a] - 1) - inertia(sx[a], sy[a], sq[a], size[a]);
      let best = -1;
      let bestDelta = -1e-9;
      for (let i = 0; i < touched.length; i++) {
        const b = touched[i];
        if (home) {
          if (b !== home[u] || outside(households[a] - w, inner) > outside(households[a], inner) || outside(households[b] + w, inner) > outside(households[b], inner)) continue;
        } else if (repairOnly && inBand(households[a], band) && inBand(households[b], band)) continue;
        const bandDelta = penalty(households[a] - w, band) + penalty(households[b] + w, band) - baseA - penalty(households[b], band);
        if (repairOnly && bandDelta >= 0) continue;
        const shapeDelta = compactness === 0 ? 0 : shapeA + inertia(sx[b] + px[u], sy[b] + py[u], sq[b] + q, size[b] + 1) - inertia(sx[b], sy[b], sq[b], size[b]);
        const delta = bandDelta + CUT_EDGE_WEIGHT * (sameA - shared[i]) + compactness * shapeDelta;
        if (delta < bestDelta || (delta === bestDelta && b < best)) {
          bestDelta = delta;
          best = b;
        }
      }
      if (best < 0 || !staysConnected(u, a)) continue;
      owner[u] = best;
      households[a] -= w;
      households[best] += w;
      size[a]--;
      size[best]++;
      sx[a] -= px[u];
      sy[a] -= py[u];
      sq[a] -= q;
      sx[best] += px[u];
      sy[best] += py[u];
      sq[best] += q;
      movedThisPass++;
    }
    moves += movedThisPass;
    options.onPass?.(pass + 1, maxPasses);
    if (movedThisPass === 0) break;
  }
  return moves;
}
