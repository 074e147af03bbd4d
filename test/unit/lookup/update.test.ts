// updateLookupIndex (a filing repacks its township only) against buildLookupIndex over the whole new partition:
// the same answers for random points, points on grid vertices and on township borders, for random registries and
// random refilings (a township redrawn, emptied, or its micro- and sea grids changed).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Polygon } from 'geojson';
import {
  buildLookupIndex,
  lookupBatch,
  lookupPoint,
  nearestGrid,
  updateLookupIndex,
  type LookupGridInput,
  type LookupIndex,
} from '../../../server/domain/lookup/index.ts';
import { buildGridLayer, polygonCovers } from '../../../server/domain/lookup/grid-layer.ts';
import { mulberry32 } from '../../../server/domain/random.ts';
import { syntheticPartition, type BBox } from './synthetic-partition.ts';

// Townships side by side in a row of COLUMNS × ROWS boxes of SIZE degrees: neighbours share their straight border.
const COLUMNS = 3;
const ROWS = 2;
const SIZE = 0.05;
const X0 = 122;
const Y0 = 30;
const TOWNSHIPS = Array.from({ length: COLUMNS * ROWS }, (_, t) => `330903${String(t + 1).padStart(3, '0')}`);

const boxOf = (t: number): BBox => {
  const x = X0 + (t % COLUMNS) * SIZE;
  const y = Y0 + Math.floor(t / COLUMNS) * SIZE;
  return [x, y, x + SIZE, y + SIZE];
};

/** One township's grids as drawn by `seed`: land cells, a micro-grid inside one of them, sea grids reaching past its box. */
function townshipGrids(t: number, seed: number, cells: number): LookupGridInput[] {
  const prefix = TOWNSHIPS[t];
  const village = `${prefix}001`;
  // Codes drawn from the seed, so a refiling keeps some codes, drops others and brings new ones.
  const rand = mulberry32(seed);
  const land = syntheticPartition({ cells, bbox: boxOf(t), seed, verticesPerEdge: [0, 3] }).map(
    (grid, i): LookupGridInput => ({ ...grid, code: `${village}${String(100 + i * 3 + Math.floor(rand() * 3)).padStart(3, '0')}`, divisionCode: village }),
  );
  const [w, s, e, n] = boxOf(t);
  const square = (x0: number, y0: number, x1: number, y1: number): Polygon => ({ type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });
  const micro: LookupGridInput = { ...land[0], code: `${land[0].code}01`, name: 'micro', parentCode: land[0].code, geometry: land[0].geometry };
  // Sea grids overlap each other and the neighbouring townships' sea grids (the box grows by a third on each side).
  const grow = SIZE / 3;
  const sea = Array.from({ length: 1 + (seed % 3) }, (_, k): LookupGridInput => {
    const cut = w + ((k + 1) * (e - w)) / 4;
    return {
      code: `${prefix}9${String(k * 2 + (seed % 2)).padStart(5, '0')}`,
      name: `sea ${k}`,
      kind: 'maritime',
      subkind: null,
      divisionCode: `${prefix}000`,
      geometry: square(k % 2 ? cut : w - grow, s - grow, k % 2 ? e + grow : cut, n + grow),
    };
  });
  return [...land, micro, ...sea];
}

const registry = (drawn: Array<{ seed: number; cells: number } | null>) => drawn.flatMap((d, t) => (d ? townshipGrids(t, d.seed, d.cells) : []));

const draw = fc.record({ seed: fc.integer({ min: 1, max: 1_000_000 }), cells: fc.integer({ min: 3, max: 12 }) });

/** Random points over the whole row and around it, and every vertex of the grids (on edges, shared by neighbours). */
function probePoints(grids: LookupGridInput[], seed: number): Float64Array {
  const rand = mulberry32(seed);
  const coords: number[] = [];
  const margin = SIZE / 2;
  for (let i = 0; i < 400; i++) coords.push(X0 - margin + rand() * (COLUMNS * SIZE + 2 * margin), Y0 - margin + rand() * (ROWS * SIZE + 2 * margin));
  for (const grid of grids) for (const ring of (grid.geometry as Polygon).coordinates) for (const [x, y] of ring) coords.push(x, y);
  // Points on the straight township borders, where two parts' grids meet.
  for (let i = 0; i < 100; i++) coords.push(X0 + SIZE * (1 + Math.floor(rand() * (COLUMNS - 1))), Y0 + rand() * ROWS * SIZE);
  return Float64Array.from(coords);
}

/** The boundary rule by brute force: every grid's polygon tested, the smallest covering code per layer, all sea grids. */
function reference(grids: LookupGridInput[], coords: Float64Array) {
  const sorted = [...grids].sort((a, b) => (a.code < b.code ? -1 : 1));
  const packed = buildGridLayer(sorted, { firstOnly: false });
  return Array.from({ length: coords.length / 2 }, (_, i) => {
    const covering = sorted.filter((_, p) => polygonCovers(packed, p, coords, i));
    const first = (layer: 'land' | 'micro') => covering.find((g) => (layer === 'micro') === (g.parentCode != null) && g.kind !== 'maritime')?.code ?? null;
    return { land: first('land'), micro: first('micro'), sea: covering.filter((g) => g.kind === 'maritime').map((g) => g.code) };
  });
}

/** Every answer an index gives for the points, as codes. */
function answers(index: LookupIndex, coords: Float64Array) {
  const out = lookupBatch(index, coords);
  const code = (layer: 'land' | 'micro', p: number) => (p < 0 ? null : index[layer].grids[p].code);
  return Array.from({ length: coords.length / 2 }, (_, i) => {
    const single = lookupPoint(index, coords[i * 2], coords[i * 2 + 1]);
    return {
      land: code('land', out.land[i]),
      micro: code('micro', out.micro[i]),
      sea: Array.from(out.sea.subarray(out.seaStart[i], out.seaStart[i + 1]), (p) => index.sea.grids[p].code),
      single: [single.grid?.code ?? null, single.microGrid?.code ?? null, single.seaGrids.map((g) => g.code)],
      nearest: i % 10 === 0 ? nearestGrid(index, coords[i * 2], coords[i * 2 + 1]) : null,
    };
  });
}

describe('updateLookupIndex', () => {
  it('answers as a full rebuild after a township is refiled, emptied or first filed', () => {
    fc.assert(
      fc.property(
        fc.array(fc.option(draw, { nil: null, freq: 5 }), { minLength: TOWNSHIPS.length, maxLength: TOWNSHIPS.length }),
        fc.integer({ min: 0, max: TOWNSHIPS.length - 1 }),
        fc.option(draw, { nil: null, freq: 4 }),
        fc.integer(),
        (before, refiled, after, pointSeed) => {
          const old = buildLookupIndex(registry(before));
          const oldAnswers = answers(old, probePoints(registry(before), pointSeed));
          const now = before.map((d, t) => (t === refiled ? after : d));
          const updated = updateLookupIndex(old, TOWNSHIPS[refiled], after ? townshipGrids(refiled, after.seed, after.cells) : []);
          const coords = probePoints([...registry(before), ...registry(now)], pointSeed);
          const got = answers(updated, coords);
          expect(got).toEqual(answers(buildLookupIndex(registry(now)), coords));
          expect(got.map(({ land, micro, sea }) => ({ land, micro, sea }))).toEqual(reference(registry(now), coords));
          // The index lookups used until the swap still answers as before.
          expect(answers(old, probePoints(registry(before), pointSeed))).toEqual(oldAnswers);
        },
      ),
      { numRuns: 30, seed: 17 },
    );
  });

  it('gives a point on a township border the smaller code and lists sea grids of two townships in code order', () => {
    // Township 1's second sea grid reaches east over the border, township 2's first one west.
    const grids = registry([{ seed: 4, cells: 4 }, { seed: 8, cells: 5 }, null, null, null, null]);
    const index = updateLookupIndex(buildLookupIndex([]), TOWNSHIPS[0], grids.filter((g) => g.divisionCode.startsWith(TOWNSHIPS[0])));
    const full = updateLookupIndex(index, TOWNSHIPS[1], grids.filter((g) => g.divisionCode.startsWith(TOWNSHIPS[1])));
    expect(full.land.parts.map((p) => p.key)).toEqual([TOWNSHIPS[0], TOWNSHIPS[1]]);
    const border = X0 + SIZE;
    const y = Y0 + SIZE / 2;
    const { grid, seaGrids } = lookupPoint(full, border, y);
    expect(grid?.divisionCode.startsWith(TOWNSHIPS[0])).toBe(true);
    const codes = seaGrids.map((g) => g.code);
    expect(new Set(codes.map((c) => c.slice(0, 9)))).toEqual(new Set([TOWNSHIPS[0], TOWNSHIPS[1]]));
    expect(codes).toEqual([...codes].sort());
  });

  it('widens a village prefix to its township and refuses grids from outside it', () => {
    const index = buildLookupIndex(registry([{ seed: 3, cells: 4 }, { seed: 8, cells: 5 }, null, null, null, null]));
    const redrawn = townshipGrids(0, 21, 6);
    const byVillage = updateLookupIndex(index, `${TOWNSHIPS[0]}001`, redrawn);
    expect(byVillage.land.grids.filter((g) => g.divisionCode.startsWith(TOWNSHIPS[0])).map((g) => g.code)).toEqual(
      redrawn.filter((g) => g.kind !== 'maritime' && !g.parentCode).map((g) => g.code).sort(),
    );
    expect(() => updateLookupIndex(index, TOWNSHIPS[0], townshipGrids(1, 5, 3))).toThrow(/not under 330903001/);
  });
});
