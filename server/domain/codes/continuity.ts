// Continuity of codes when a partition is replaced: which new grids keep an old code, and how the rest descend.
import { areaM2, bboxIndex, bboxOf, intersection, type Area } from '../rules/topology/overlay.ts';

export type LineageKind = 'split' | 'merge' | 'reshape' | 'new' | 'retired';

export interface Lineage {
  /** old codes */
  from: string[];
  /** indexes into the new grids */
  to: number[];
  kind: LineageKind;
}

export interface PredecessorMatch {
  /** new grids that keep an old code: overlap / max(old area, new area) ≥ threshold */
  kept: Array<{ index: number; code: string; share: number }>;
  /** everything else: retired old codes, new grids needing a code, and how they relate */
  lineage: Lineage[];
}

// An overlap links two grids in lineage when it is more than this share of the smaller one (digitising noise is less).
const LINK_SHARE = 0.01;

/**
 * Matches a new partition against the old one.
 * A new grid keeps an old code when they are one-to-one and overlap/max(area) ≥ threshold (greedy, best share first,
 * so a threshold below 0.5 stays one-to-one). The remaining grids are grouped by significant overlap (> 1% of the
 * smaller grid) into connected groups: 1 old → n new is a split, n old → 1 new a merge, anything else a reshape;
 * an old grid overlapping nothing unmatched is retired, a new one overlapping nothing unmatched is new.
 * @example matchPredecessors([{ code: '330902001001001', geometry: a }], [{ geometry: a }]).kept // [{ index: 0, code: '330902001001001', share: 1 }]
 */
export function matchPredecessors(
  oldGrids: ReadonlyArray<{ code: string; geometry: Area }>,
  newGrids: ReadonlyArray<{ geometry: Area }>,
  threshold = 0.8,
): PredecessorMatch {
  const oldAreas = oldGrids.map((g) => areaM2(g.geometry));
  const newAreas = newGrids.map((g) => areaM2(g.geometry));
  const index = bboxIndex(oldGrids.map((g) => bboxOf(g.geometry)));
  const links: Array<{ o: number; n: number; share: number; linked: boolean }> = [];
  newGrids.forEach((g, n) => {
    for (const o of index.search(bboxOf(g.geometry))) {
      const shared = intersection(oldGrids[o].geometry, g.geometry);
      const area = shared ? areaM2(shared) : 0;
      if (area <= 0) continue;
      links.push({ o, n, share: area / Math.max(oldAreas[o], newAreas[n]), linked: area > LINK_SHARE * Math.min(oldAreas[o], newAreas[n]) });
    }
  });

  const keptOld = new Set<number>();
  const keptNew = new Set<number>();
  const kept: PredecessorMatch['kept'] = [];
  for (const link of [...links].sort((a, b) => b.share - a.share)) {
    if (link.share < threshold || keptOld.has(link.o) || keptNew.has(link.n)) continue;
    keptOld.add(link.o);
    keptNew.add(link.n);
    kept.push({ index: link.n, code: oldGrids[link.o].code, share: link.share });
  }

  // Connected groups of unmatched grids; old grid o is node o, new grid n is node oldGrids.length + n.
  const parent = Array.from({ length: oldGrids.length + newGrids.length }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (const link of links) {
    if (link.linked && !keptOld.has(link.o) && !keptNew.has(link.n)) parent[find(link.o)] = find(oldGrids.length + link.n);
  }
  const groups = new Map<number, Lineage>();
  const group = (node: number) => {
    const root = find(node);
    const existing = groups.get(root);
    if (existing) return existing;
    const created: Lineage = { from: [], to: [], kind: 'reshape' };
    groups.set(root, created);
    return created;
  };
  oldGrids.forEach((g, o) => !keptOld.has(o) && group(o).from.push(g.code));
  newGrids.forEach((_, n) => !keptNew.has(n) && group(oldGrids.length + n).to.push(n));
  const lineage = [...groups.values()];
  for (const l of lineage) l.kind = lineageKind(l.from.length, l.to.length);
  return { kept: kept.sort((a, b) => a.index - b.index), lineage };
}

function lineageKind(from: number, to: number): LineageKind {
  if (to === 0) return 'retired';
  if (from === 0) return 'new';
  if (from === 1 && to > 1) return 'split';
  if (to === 1 && from > 1) return 'merge';
  return 'reshape';
}
