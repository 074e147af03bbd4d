import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../server/domain/random.ts';
import { bbox as turfBbox, booleanPointInPolygon } from '@turf/turf';
import { buildLookupIndex, lookupBatch, type LookupGridInput } from '../../../server/domain/lookup/index.ts';
import { syntheticPartition, type BBox } from './synthetic-partition.ts';

const ZHOUSHAN: BBox = [121.8, 29.6, 122.8, 30.9];

describe('rectilinear partition: points exactly on edges and vertices', () => {
  // 24 × 24 cells of 1/64°, codes shuffled; every lattice coordinate is exactly representable.
  const step = 1 / 64;
  const n = 24;
  const rand = mulberry32(5);
  const codes = Array.from({ length: n * n }, (_, i) => String(330902001001000 + i * 3));
  for (let i = codes.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [codes[i], codes[j]] = [codes[j], codes[i]];
  }
  const x0 = 122;
  const y0 = 30;
  const cells: LookupGridInput[] = codes.map((code, k) => {
    const cx = x0 + (k % n) * step;
    const cy = y0 + Math.floor(k / n) * step;
    return {
      code,
      name: `cell ${k}`,
      kind: 'comprehensive',
      subkind: 'community',
      divisionCode: '330902001001',
      geometry: { type: 'Polygon', coordinates: [[[cx, cy], [cx + step, cy], [cx + step, cy + step], [cx, cy + step], [cx, cy]]] },
    };
  });
  const index = buildLookupIndex(cells);

  // Reference: the smallest code among cells whose closed square holds the point.
  const expected = (x: number, y: number): string | null => {
    let best: string | null = null;
    cells.forEach((cell, k) => {
      const cx = x0 + (k % n) * step;
      const cy = y0 + Math.floor(k / n) * step;
      if (x >= cx && x <= cx + step && y >= cy && y <= cy + step && (best === null || cell.code < best)) best = cell.code;
    });
    return best;
  };

  it('gives every vertex and edge point the smallest code of the cells touching it', () => {
    const m = 4000;
    const coords = new Float64Array(m * 2);
    for (let i = 0; i < m; i++) {
      const onVertex = i % 2 === 0;
      const gx = Math.floor(rand() * (n + 3)) - 1;
      const gy = Math.floor(rand() * (n + 3)) - 1;
      // Edge points: one coordinate on a lattice line, the other at a multiple of step/8 (still exact).
      const fx = onVertex || i % 4 === 1 ? 0 : Math.floor(rand() * 8) / 8;
      const fy = onVertex || i % 4 === 3 ? 0 : Math.floor(rand() * 8) / 8;
      coords[i * 2] = x0 + (gx + fx) * step;
      coords[i * 2 + 1] = y0 + (gy + fy) * step;
    }
    const out = lookupBatch(index, coords);
    let onBoundary = 0;
    for (let i = 0; i < m; i++) {
      const want = expected(coords[i * 2], coords[i * 2 + 1]);
      expect(out.land[i] < 0 ? null : index.land.grids[out.land[i]].code).toBe(want);
      if (want !== null) onBoundary++;
    }
    expect(onBoundary).toBeGreaterThan(m * 0.7);
  });
});

describe('agreement with turf.booleanPointInPolygon on a Voronoi partition', () => {
  const grids = syntheticPartition({ cells: 500, bbox: ZHOUSHAN, seed: 42, verticesPerEdge: [2, 12] });
  const index = buildLookupIndex(grids);
  const boxes = grids.map((g) => turfBbox(g.geometry));

  it('finds the same grid for 100,000 random points away from edges', () => {
    expect(grids.length).toBe(500);
    const rand = mulberry32(99);
    const m = 100_000;
    const coords = new Float64Array(m * 2);
    for (let i = 0; i < m; i++) {
      // A margin outside the partition so some points have no grid.
      coords[i * 2] = ZHOUSHAN[0] - 0.05 + rand() * 1.1;
      coords[i * 2 + 1] = ZHOUSHAN[1] - 0.05 + rand() * 1.4;
    }
    const out = lookupBatch(index, coords);
    let compared = 0;
    let outside = 0;
    for (let i = 0; i < m; i++) {
      const pt = [coords[i * 2], coords[i * 2 + 1]];
      const covering = grids.filter((g, k) => {
        const b = boxes[k];
        return pt[0] >= b[0] && pt[0] <= b[2] && pt[1] >= b[1] && pt[1] <= b[3] && booleanPointInPolygon(pt, g.geometry);
      });
      if (covering.length > 1) continue; // on an edge by turf's reckoning: not "away from edges"
      compared++;
      const ours = out.land[i] < 0 ? null : index.land.grids[out.land[i]].code;
      if (covering.length === 0) outside++;
      expect(ours).toBe(covering[0]?.code ?? null);
    }
    expect(compared).toBeGreaterThan(m - 10);
    expect(outside).toBeGreaterThan(1000);
  });
});
