// Regionalisation on the unit graph: seeded region growing to the band (as max-p grows regions
// to a floor), then local search moving border units between neighbouring regions (as ReCom's
// moves do, but greedy and deterministic), always keeping each region connected.
import { seededRandom } from './seed.ts';
import { shuffled } from '../random.ts';
import { weightedKMeans } from './kmeans.ts';
import type { HouseholdBand } from './types.ts';
import type { UnitGraph } from './units.ts';

/** Unit → region assignment; -1 means unassigned. */
export type Assignment = Int32Array;

class MinHeap {
  private keys: number[] = [];
  private values: number[] = [];
  get size(): number {
    return this.keys.length;
  }
  push(key: number, value: number): void {
    const { keys, values } = this;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (keys[p] < keys[i] || (keys[p] === keys[i] && values[p] <= values[i])) break;
      [keys[p], keys[i]] = [keys[i], keys[p]];
      [values[p], values[i]] = [values[i], values[p]];
      i = p;
    }
  }
  peek(): number {
    return this.values[0];
  }
  pop(): number {
    const { keys, values } = this;
    const top = values[0];
    const lastK = keys.pop()!;
    const lastV = values.pop()!;
    if (keys.length > 0) {
      keys[0] = lastK;
      values[0] = lastV;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < keys.length && (keys[l] < keys[m] || (keys[l] === keys[m] && values[l] < values[m]))) m = l;
        if (r < keys.length && (keys[r] < keys[m] || (keys[r] === keys[m] && values[r] < values[m]))) m = r;
        if (m === i) break;
        [keys[m], keys[i]] = [keys[i], keys[m]];
        [values[m], values[i]] = [values[i], values[m]];
        i = m;
      }
    }
    return top;
  }
}

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

/** Grow `count` regions over one connected component, numbering them from `firstRegion`. */
export function growRegions(graph: UnitGraph, members: number[], count: number, firstRegion: number, owner: Assignment, seed: number): void {
  const random = seededRandom(seed);
  const populated = members.filter((u) => graph.households[u] > 0);
  const basis = populated.length >= count ? populated : members;
  const k = Math.min(count, basis.length);
  const cosLat = Math.cos((graph.lat[members[0]] * Math.PI) / 180);
  const xs = basis.map((u) => graph.lon[u] * cosLat);
  const ys = basis.map((u) => graph.lat[u]);
  const ws = basis.map((u) => Math.max(graph.households[u], populated.length >= count ? 0 : 1));
  const centres = weightedKMeans(xs, ys, ws, k, random);

  const seeds: number[] = [];
  const taken = new Set<number>();
  for (const [cx, cy] of centres) {
    let best = -1;
    let bestD = Infinity;
    for (let i = 0; i < basis.length; i++) {
      const d = (xs[i] - cx) ** 2 + (ys[i] - cy) ** 2;
      if (d < bestD && !taken.has(basis[i])) {
        bestD = d;
        best = basis[i];
      }
    }
    taken.add(best);
    seeds.push(best);
  }

  const households = new Float64Array(k);
  const frontier = seeds.map(() => new MinHeap());
  const claim = (r: number, u: number): void => {
    owner[u] = firstRegion + r;
    households[r] += graph.households[u];
    const s = seeds[r];
    for (const v of graph.neighbours[u]) {
      if (owner[v] < 0) frontier[r].push((graph.lon[v] - graph.lon[s]) ** 2 * cosLat * cosLat + (graph.lat[v] - graph.lat[s]) ** 2, v);
    }
  };
  seeds.forEach((s, r) => claim(r, s));
  let remaining = members.length - k;
  while (remaining > 0) {
    let chosen = -1;
    for (let r = 0; r < k; r++) {
      const heap = frontier[r];
      while (heap.size > 0 && owner[heap.peek()] >= 0) heap.pop();
      if (heap.size > 0 && (chosen < 0 || households[r] < households[chosen])) chosen = r;
    }
    if (chosen < 0) break;
    claim(chosen, frontier[chosen].pop());
    remaining--;
  }
}

export interface ImproveOptions {
  band: HouseholdBand;
  regions: number;
  seed: number;
  /** Adjust mode: only move units out of or into regions outside the band. */
  repairOnly: boolean;
  maxPasses?: number;
  onPass?: (pass: number, maxPasses: number) => void;
}

/** Band penalty in ideal-grid units: steep outside the band, gentle pull towards the ideal inside. */
function penalty(h: number, band: HouseholdBand): number {
  const outside = Math.max(0, band.min - h) + Math.max(0, h - band.max);
  const dev = (h - band.ideal) / band.ideal;
  return (100 * outside) / band.ideal + 10 * dev * dev;
}

const CUT_EDGE_WEIGHT = 0.3;

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
    const adjacency: Array<Set<number>> = Array.from({ length: regions }, () => new Set<number>());
    for (let u = 0; u < owner.length; u++) {
      for (const v of graph.neighbours[u]) if (owner[u] >= 0 && owner[v] >= 0 && owner[u] !== owner[v]) adjacency[owner[u]].add(owner[v]);
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
  }
}

/** Greedy border-unit moves; returns the number of moves made. */
export function improveRegions(graph: UnitGraph, owner: Assignment, options: ImproveOptions): number {
  const { band, repairOnly } = options;
  const maxPasses = options.maxPasses ?? 40;
  const n = owner.length;
  const households = new Float64Array(options.regions);
  const size = new Int32Array(options.regions);
  for (let u = 0; u < n; u++) {
    if (owner[u] < 0) continue;
    households[owner[u]] += graph.households[u];
    size[owner[u]]++;
  }
  const order = shuffled(Array.from({ length: n }, (_, i) => i), seededRandom(options.seed ^ 0x5bd1e995));
  const staysConnected = connectivityCheck(graph, owner);

  let moves = 0;
  for (let pass = 0; pass < maxPasses; pass++) {
    let movedThisPass = 0;
    for (const u of order) {
      const a = owner[u];
      if (a < 0 || size[a] <= 1) continue;
      const w = graph.households[u];
      let sameA = 0;
      const counts = new Map<number, number>();
      for (const v of graph.neighbours[u]) {
        const r = owner[v];
        if (r === a) sameA++;
        else if (r >= 0) counts.set(r, (counts.get(r) ?? 0) + 1);
      }
      if (counts.size === 0) continue;
      let best = -1;
      let bestDelta = -1e-9;
      const baseA = penalty(households[a], band);
      for (const [b, sameB] of counts) {
        if (repairOnly && inBand(households[a], band) && inBand(households[b], band)) continue;
        const bandDelta = penalty(households[a] - w, band) + penalty(households[b] + w, band) - baseA - penalty(households[b], band);
        if (repairOnly && bandDelta >= 0) continue;
        const delta = bandDelta + CUT_EDGE_WEIGHT * (sameA - sameB);
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
      movedThisPass++;
    }
    moves += movedThisPass;
    options.onPass?.(pass + 1, maxPasses);
    if (movedThisPass === 0) break;
  }
  return moves;
}

export interface RecombineOptions {
  band: HouseholdBand;
  regions: number;
  passes?: number;
}

/** Straight cut directions tried when re-splitting a merged pair (every 22.5°). */
const CUT_DIRECTIONS = Array.from({ length: 8 }, (_, i) => [Math.cos((i * Math.PI) / 8), Math.sin((i * Math.PI) / 8)] as const);
/** Weight of the shape term against the band penalty: a compact blob costs 1, a two-to-one strip about 1.3. */
const SHAPE_WEIGHT = 2;

/**
 * ReCom-style recombination (GerryChain's merge-and-split, made greedy and deterministic): merge two
 * neighbouring regions and re-split the merged units along a straight line, trying eight directions
 * and, per direction, the cut position with the best band fit. The split is kept when both halves are
 * connected and the band penalty plus `SHAPE_WEIGHT ·` shape cost of the pair goes down. Shape cost is
 * boundary edges² / (48 · units): 1 for a hexagonal blob, growing with elongation and ragged edges.
 * Returns the number of pairs re-split.
 */
export function recombineRegions(graph: UnitGraph, owner: Assignment, options: RecombineOptions): number {
  const { band, regions } = options;
  const members: number[][] = Array.from({ length: regions }, () => []);
  for (let u = 0; u < owner.length; u++) if (owner[u] >= 0) members[owner[u]].push(u);
  const cosLat = Math.cos((graph.lat[0] * Math.PI) / 180);
  const households = (units: readonly number[]) => units.reduce((s, u) => s + graph.households[u], 0);
  const inSide = new Int32Array(owner.length).fill(-1);
  // Boundary edges of a unit set marked in inSide with `mark`: hexagon sides not shared with a unit of the same set.
  const shape = (units: readonly number[], mark: number): number => {
    let edges = 0;
    for (const u of units) {
      let same = 0;
      for (const v of graph.neighbours[u]) if (inSide[v] === mark) same++;
      edges += 6 - same;
    }
    return units.length > 0 ? (edges * edges) / (48 * units.length) : 0;
  };
  const connected = (units: readonly number[], mark: number): boolean => {
    if (units.length === 0) return false;
    const seen = new Set<number>([units[0]]);
    const queue = [units[0]];
    for (let i = 0; i < queue.length; i++) {
      for (const v of graph.neighbours[queue[i]]) {
        if (inSide[v] === mark && !seen.has(v)) {
          seen.add(v);
          queue.push(v);
        }
      }
    }
    return seen.size === units.length;
  };
  const cost = (a: readonly number[], b: readonly number[]): number => {
    for (const u of a) inSide[u] = 0;
    for (const u of b) inSide[u] = 1;
    const c = penalty(households(a), band) + penalty(households(b), band) + SHAPE_WEIGHT * (shape(a, 0) + shape(b, 1));
    for (const u of a) inSide[u] = -1;
    for (const u of b) inSide[u] = -1;
    return c;
  };

  let resplit = 0;
  for (let pass = 0; pass < (options.passes ?? 3); pass++) {
    let changed = 0;
    for (let r = 0; r < regions; r++) {
      const pairs = new Set<number>();
      for (const u of members[r]) for (const v of graph.neighbours[u]) if (owner[v] > r) pairs.add(owner[v]);
      for (const s of [...pairs].sort((a, b) => a - b)) {
        const a = members[r];
        const b = members[s];
        if (a.length === 0 || b.length === 0 || graph.component[a[0]] !== graph.component[b[0]]) continue;
        const merged = [...a, ...b];
        if (merged.some((u) => graph.component[u] !== graph.component[a[0]])) continue;
        const total = households(merged);
        let best = cost(a, b) - 1e-9;
        let bestSplit: [number[], number[]] | null = null;
        for (const [dx, dy] of CUT_DIRECTIONS) {
          const sorted = merged
            .map((u) => ({ u, t: graph.lon[u] * cosLat * dx + graph.lat[u] * dy }))
            .sort((p, q) => p.t - q.t || p.u - q.u);
          let running = 0;
          let cut = -1;
          let cutPenalty = Infinity;
          for (let i = 0; i + 1 < sorted.length; i++) {
            running += graph.households[sorted[i].u];
            const p = penalty(running, band) + penalty(total - running, band);
            if (p < cutPenalty) {
              cutPenalty = p;
              cut = i + 1;
            }
          }
          if (cut < 0 || cutPenalty >= best) continue;
          const first = sorted.slice(0, cut).map((p) => p.u);
          const second = sorted.slice(cut).map((p) => p.u);
          const c = cost(first, second);
          if (c >= best) continue;
          for (const u of first) inSide[u] = 0;
          for (const u of second) inSide[u] = 1;
          const ok = connected(first, 0) && connected(second, 1);
          for (const u of merged) inSide[u] = -1;
          if (!ok) continue;
          best = c;
          bestSplit = [first.sort((x, y) => x - y), second.sort((x, y) => x - y)];
        }
        if (!bestSplit) continue;
        [members[r], members[s]] = bestSplit;
        for (const u of members[r]) owner[u] = r;
        for (const u of members[s]) owner[u] = s;
        changed++;
      }
    }
    resplit += changed;
    if (changed === 0) break;
  }
  return resplit;
}
