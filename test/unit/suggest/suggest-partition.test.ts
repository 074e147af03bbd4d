import { describe, expect, it } from 'vitest';
import { area, featureCollection, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { suggestPartition } from '../../../server/domain/suggest/partition.ts';
import { kmeansVoronoiPartition } from '../../../server/domain/suggest/baseline.ts';
import { polygonsOf } from '../../../server/domain/suggest/geometry.ts';
import { pointInRings } from '../../../server/domain/suggest/units.ts';
import { SuggestError, type SuggestInput, type AreaGeometry } from '../../../server/domain/suggest/types.ts';
import { clusteredHouseholds, syntheticDivision, type Shape } from './synthetic.ts';

function unionArea(geometries: AreaGeometry[]): number {
  const merged = union(featureCollection(geometries.map((g): Feature<Polygon | MultiPolygon> => ({ type: 'Feature', properties: {}, geometry: g }))));
  return merged ? area(merged) : 0;
}

function input(shape: Shape, seed: number, total = 4000): SuggestInput {
  const geometry = syntheticDivision(shape, seed, 0.02);
  const households = clusteredHouseholds(geometry, total, seed, { skipParts: [2] });
  const islands = shape === 'two-parts' && geometry.type === 'MultiPolygon'
    ? [{ id: 'island', residents: 500, geometry: { type: 'Polygon' as const, coordinates: geometry.coordinates[1] } }]
    : [];
  return { division: { code: '330903100000', geometry }, households, islands, seed };
}

describe('suggestPartition properties', () => {
  for (const shape of ['hole', 'two-parts'] as const) {
    for (const seed of [1, 2, 3]) {
      it(`${shape}, seed ${seed}: contiguous, tiles the division, counts every household once`, () => {
        const data = input(shape, seed);
        const { features, report } = suggestPartition(data);
        expect(report.contiguity).toBe(1);
        for (const f of features.features) expect(polygonsOf(f.geometry).length).toBeLessThanOrEqual(1 + f.properties.joinedParts);
        const geometries = features.features.map((f) => f.geometry);
        expect(Math.abs(unionArea(geometries) - area(data.division.geometry))).toBeLessThan(1);
        const sumOfAreas = geometries.reduce((s, g) => s + area(g), 0);
        expect(Math.abs(sumOfAreas - area(data.division.geometry))).toBeLessThan(1);
        const total = data.households.reduce((s, p) => s + p.households, 0);
        expect(features.features.reduce((s, f) => s + f.properties.households, 0)).toBe(total);
        // Independent recount: each point is inside the grid that counts it.
        const recount = features.features.map(() => 0);
        for (const p of data.households) {
          const g = features.features.findIndex((f) => polygonsOf(f.geometry).some((rings) => pointInRings(p.lon, p.lat, rings)));
          expect(g).toBeGreaterThanOrEqual(0);
          recount[g] += p.households;
        }
        expect(recount).toEqual(features.features.map((f) => f.properties.households));
        if (shape === 'two-parts') {
          expect(report.inhabitedIslands).toBe(1);
          expect(report.inhabitedIslandsCovered).toBe(1);
        }
        expect(report.shareInBand).toBeGreaterThan(0.6);
      });
    }
  }

  it('is deterministic for a seed', () => {
    const a = suggestPartition(input('hole', 5));
    const b = suggestPartition(input('hole', 5));
    expect(JSON.stringify(a.features)).toBe(JSON.stringify(b.features));
    expect({ ...a.report, runtimeMs: 0 }).toEqual({ ...b.report, runtimeMs: 0 });
  });

  it('reports progress phases in order up to 100%', () => {
    const seen: number[] = [];
    suggestPartition(input('hole', 1, 2000), (p) => seen.push(p.percent));
    expect(seen.at(-1)).toBe(100);
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
  });

  it('beats the k-means + Voronoi baseline on share in band', () => {
    const data = input('hole', 2, 8000);
    expect(suggestPartition(data).report.shareInBand).toBeGreaterThan(kmeansVoronoiPartition(data).report.shareInBand);
  });
});

const square = (x0: number, y0: number, x1: number, y1: number): Polygon => ({
  type: 'Polygon',
  coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});

function uniform(geometry: Polygon, total: number, perPoint = 4): SuggestInput['households'] {
  const [[x0, y0], , [x1, y1]] = geometry.coordinates[0];
  const n = total / perPoint;
  const side = Math.ceil(Math.sqrt(n));
  const points: SuggestInput['households'] = [];
  for (let i = 0; i < n; i++) {
    points.push({ lon: x0 + ((i % side) + 0.5) * ((x1 - x0) / side), lat: y0 + (Math.floor(i / side) + 0.5) * ((y1 - y0) / side), households: perPoint });
  }
  return points;
}

describe('suggestPartition adjust mode', () => {
  it('changes nothing when the filed partition is already within the band', () => {
    const quads = [square(122, 30, 122.01, 30.01), square(122.01, 30, 122.02, 30.01), square(122, 30.01, 122.01, 30.02), square(122.01, 30.01, 122.02, 30.02)];
    const households = quads.flatMap((q) => uniform(q, 400));
    const filed = quads.map((geometry, i) => ({ code: `33090310000100${i + 1}`, geometry }));
    const { features, report } = suggestPartition({ division: { code: '330903100001', geometry: square(122, 30, 122.02, 30.02) }, households, mode: 'adjust', filed, seed: 1 });
    expect(report.changedAreaShare).toBe(0);
    expect(features.features.map((f) => f.properties.code)).toEqual(filed.map((g) => g.code));
    expect(features.features.map((f) => f.geometry)).toEqual(quads);
    expect(features.features.map((f) => f.properties.households)).toEqual([400, 400, 400, 400]);
  });

  it('repairs a grid outside the band and keeps the codes of grids that stay', () => {
    const quads = [square(122, 30, 122.01, 30.01), square(122.01, 30, 122.02, 30.01), square(122, 30.01, 122.01, 30.02), square(122.01, 30.01, 122.02, 30.02)];
    const households = [...uniform(quads[0], 640), ...uniform(quads[1], 200), ...uniform(quads[2], 400), ...uniform(quads[3], 400)];
    const filed = quads.map((geometry, i) => ({ code: `33090310000100${i + 1}`, geometry }));
    const { report, features } = suggestPartition({ division: { code: '330903100001', geometry: square(122, 30, 122.02, 30.02) }, households, mode: 'adjust', filed, seed: 1 });
    expect(report.shareInBand).toBeGreaterThan(0.5);
    expect(report.changedAreaShare).toBeGreaterThan(0);
    expect(report.changedAreaShare).toBeLessThan(0.5);
    expect(features.features.filter((f) => f.properties.code !== null).length).toBeGreaterThanOrEqual(3);
  });

  it('gives back to the filed grids what a chain repair through in-band grids did not need', () => {
    // 3 × 3 grids, 640 households in one corner and 200 in the opposite one: the repair passes households
    // through the in-band grids between them. Before units were given back: changed area 17.6 %, the most
    // ragged grid's Polsby–Popper 0.42 (seeds 1–3); after: 12.1–12.6 %, 0.55.
    const cells: Polygon[] = [];
    const households: SuggestInput['households'] = [];
    for (let j = 0; j < 3; j++) {
      for (let i = 0; i < 3; i++) {
        const cell = square(122 + i * 0.01, 30 + j * 0.01, 122.01 + i * 0.01, 30.01 + j * 0.01);
        cells.push(cell);
        households.push(...uniform(cell, i + j === 0 ? 640 : i + j === 4 ? 200 : 400));
      }
    }
    const filed = cells.map((geometry, i) => ({ code: `33090310000100${i + 1}`, geometry }));
    for (const seed of [1, 2, 3]) {
      const { report, features } = suggestPartition({ division: { code: '330903100001', geometry: square(122, 30, 122.03, 30.03) }, households, mode: 'adjust', filed, seed });
      expect(report.shareInBand).toBe(1);
      expect(features.features.map((f) => f.properties.code)).toEqual(filed.map((g) => g.code));
      expect(report.changedAreaShare).toBeLessThan(0.14);
      expect(report.compactness.polsbyPopperMin).toBeGreaterThan(0.5);
    }
  });
});

describe('suggestPartition barriers', () => {
  it('does not put households from both sides of a barrier in one grid', () => {
    const division = square(122, 30, 122.03, 30.02);
    const barrierX = 122.0137;
    const households = clusteredHouseholds(division, 6000, 4, { avoid: (x) => Math.abs(x - barrierX) < 0.0015 });
    const barrier = { type: 'LineString' as const, coordinates: [[barrierX, 29.99], [barrierX + 0.0004, 30.03]] };
    const { features } = suggestPartition({ division: { code: '330903100001', geometry: division }, households, barriers: [barrier], seed: 1 });
    for (const f of features.features) {
      const sides = new Set(
        households.filter((p) => polygonsOf(f.geometry).some((rings) => pointInRings(p.lon, p.lat, rings))).map((p) => p.lon < barrierX + 0.0002),
      );
      expect(sides.size).toBeLessThanOrEqual(1);
    }
  });
});

describe('suggestPartition bad input', () => {
  const division = square(122, 30, 122.02, 30.02);
  it('rejects a division without household data', () => {
    expect(() => suggestPartition({ division: { code: '330903100001', geometry: division }, households: [] })).toThrow(SuggestError);
    try {
      suggestPartition({ division: { code: '330903100001', geometry: division }, households: [{ lon: Number.NaN, lat: 30, households: 5 }] });
    } catch (e) {
      expect((e as SuggestError).type).toBe('no-household-data');
    }
  });

  it('rejects points that all lie outside the division', () => {
    expect(() => suggestPartition({ division: { code: '330903100001', geometry: division }, households: [{ lon: 121, lat: 29, households: 50 }] })).toThrow(/none of the 1 household points/);
  });

  it('counts malformed and outside points in the report', () => {
    const households = [...uniform(division, 800), { lon: Number.NaN, lat: 30, households: 3 }, { lon: 122.01, lat: 30.01, households: -1 }, { lon: 121, lat: 29, households: 7 }];
    const { report } = suggestPartition({ division: { code: '330903100001', geometry: division }, households, seed: 1 });
    expect(report.input.malformed).toBe(2);
    expect(report.input.outsideDivision).toBe(1);
    expect(report.households.total).toBe(800);
  });

  it('lists components a band cannot fit instead of hiding them', () => {
    const data = input('two-parts', 1, 3000);
    const island = data.division.geometry.type === 'MultiPolygon' ? data.division.geometry.coordinates[1] : [];
    const islandPoly: Polygon = { type: 'Polygon', coordinates: island };
    const households = [...data.households.filter((p) => !pointInRings(p.lon, p.lat, island)), { ...islandCentre(islandPoly), households: 50 }];
    const { report } = suggestPartition({ ...data, households, band: { min: 300, max: 310, ideal: 305 } });
    const entry = report.unsatisfied.find((u) => u.households === 50 && u.unit.startsWith('c'));
    expect(entry?.reason).toMatch(/no whole number of grids/);
    expect(report.shareInBand).toBeLessThan(1);
  });

  it('rejects an inverted band', () => {
    expect(() => suggestPartition({ division: { code: '330903100001', geometry: division }, households: uniform(division, 800), band: { min: 500, max: 300, ideal: 400 } })).toThrow(/band/);
  });
});

function islandCentre(p: Polygon): { lon: number; lat: number } {
  const ring = p.coordinates[0];
  return { lon: ring.reduce((s, c) => s + c[0], 0) / ring.length, lat: ring.reduce((s, c) => s + c[1], 0) / ring.length };
}
