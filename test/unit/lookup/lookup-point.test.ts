import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../server/domain/random.ts';
import { pointToPolygonDistance } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import {
  buildLookupIndex,
  detectSwappedPoint,
  lookupBatch,
  lookupBatchSql,
  lookupLayerOf,
  lookupPoint,
  lookupPointSql,
  nearestGrid,
  type LookupGridInput,
} from '../../../server/domain/lookup/index.ts';


type GridProperties = Omit<LookupGridInput, 'geometry'>;
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/lookup/hand-built-partition.geojson', import.meta.url), 'utf8')) as FeatureCollection<
  Polygon | MultiPolygon,
  GridProperties
>;
const grids: LookupGridInput[] = fixture.features.map((f) => ({ ...f.properties, geometry: f.geometry }));
const index = buildLookupIndex(grids);
const P = '330902001001';
const code = (lon: number, lat: number) => lookupPoint(index, lon, lat).grid?.code ?? null;

describe('boundary rule on the hand-built partition (fixture hand-built-partition.geojson)', () => {
  it('answers the grid whose interior holds the point', () => {
    expect(code(122.1, 30.1)).toBe(`${P}003`);
    expect(code(122.4, 30.1)).toBe(`${P}001`);
    expect(code(122.2, 30.45)).toBe(`${P}004`);
  });

  it('gives a vertex shared by four grids to the smallest code', () => {
    expect(code(122.25, 30.25)).toBe(`${P}001`);
  });

  it('gives a shared edge to the smaller code of its two grids', () => {
    expect(code(122.25, 30.1)).toBe(`${P}001`); // A 003 | B 001
    expect(code(122.1, 30.25)).toBe(`${P}003`); // A 003 | C 004
    expect(code(122.3, 30.25)).toBe(`${P}001`); // B 001 | D 005
  });

  it('covers the outer boundary of the partition', () => {
    expect(code(122.0, 30.1)).toBe(`${P}003`);
    expect(code(122.5, 30.5)).toBe(`${P}005`);
  });

  it('leaves a point inside a hole to the grid filling it', () => {
    expect(code(122.09375, 30.34375)).toBe(`${P}502`);
  });

  it('counts the hole boundary as covered by the holed grid', () => {
    expect(code(122.0625, 30.34375)).toBe(`${P}004`); // C 004 and E 502 both cover it
    const holedOnly = buildLookupIndex(grids.filter((g) => g.code === `${P}004`));
    expect(lookupPoint(holedOnly, 122.0625, 30.34375).grid?.code).toBe(`${P}004`);
    expect(lookupPoint(holedOnly, 122.09375, 30.34375).grid).toBeNull();
  });

  it('finds a point in the second part of a MultiPolygon', () => {
    expect(code(122.8, 30.05)).toBe(`${P}005`);
  });

  it('answers none outside every grid and for non-finite input', () => {
    expect(code(122.6, 30.4)).toBeNull();
    expect(code(Number.NaN, 30.1)).toBeNull();
  });
});

describe('micro-grids and sea grids', () => {
  it('puts micro-grids in their own layer with the same rule', () => {
    expect(lookupLayerOf({ kind: 'comprehensive', parentCode: `${P}003` })).toBe('micro');
    expect(lookupPoint(index, 122.05, 30.1).microGrid?.code).toBe(`${P}00301`);
    expect(lookupPoint(index, 122.2, 30.1).microGrid?.code).toBe(`${P}00302`);
    expect(lookupPoint(index, 122.125, 30.1).microGrid?.code).toBe(`${P}00301`);
    expect(lookupPoint(index, 122.4, 30.1).microGrid).toBeNull();
  });

  it('lists every covering sea grid in code order, boundaries included', () => {
    const seaCodes = (lon: number, lat: number) => lookupPoint(index, lon, lat).seaGrids.map((g) => g.code);
    expect(seaCodes(122.55, 30.1)).toEqual([`${P}801`, `${P}802`]);
    expect(seaCodes(122.625, 30.1)).toEqual([`${P}801`, `${P}802`]);
    expect(seaCodes(122.7, 30.1)).toEqual([`${P}802`]);
    expect(seaCodes(122.45, 30.1)).toEqual([`${P}801`]);
    expect(seaCodes(122.1, 30.1)).toEqual([]);
    expect(lookupPoint(index, 122.55, 30.1).grid).toBeNull();
  });
});

describe('lookupBatch', () => {
  it('gives the same answers as lookupPoint, sea lists included', () => {
    const rand = mulberry32(11);
    const n = 5000;
    const coords = new Float64Array(n * 2);
    for (let i = 0; i < n; i++) {
      // A quarter of the points on the 1/16° lattice, where all the edges and vertices of the fixture lie.
      const snap = i % 4 === 0 ? (v: number) => Math.round(v * 16) / 16 : (v: number) => v;
      coords[i * 2] = snap(121.95 + rand() * 1.0);
      coords[i * 2 + 1] = snap(29.95 + rand() * 0.6);
    }
    const out = lookupBatch(index, coords);
    for (let i = 0; i < n; i++) {
      const one = lookupPoint(index, coords[i * 2], coords[i * 2 + 1]);
      expect(out.land[i] < 0 ? null : index.land.grids[out.land[i]].code).toBe(one.grid?.code ?? null);
      expect(out.micro[i] < 0 ? null : index.micro.grids[out.micro[i]].code).toBe(one.microGrid?.code ?? null);
      const sea = Array.from(out.sea.subarray(out.seaStart[i], out.seaStart[i + 1]), (p) => index.sea.grids[p].code);
      expect(sea).toEqual(one.seaGrids.map((g) => g.code));
    }
  });

  it('reuses the arrays it is given', () => {
    const first = lookupBatch(index, Float64Array.of(122.1, 30.1, 122.55, 30.1));
    const again = lookupBatch(index, Float64Array.of(122.4, 30.1), first);
    expect(again.land).toBe(first.land);
    expect(index.land.grids[again.land[0]].code).toBe(`${P}001`);
  });
});

describe('nearestGrid', () => {
  it('measures the distance to the nearest grid boundary in metres', () => {
    const near = nearestGrid(index, 122.6, 30.4);
    expect(near?.code).toBe(`${P}005`);
    const part = grids.find((g) => g.code === `${P}005`)!.geometry;
    const expected = pointToPolygonDistance([122.6, 30.4], part, { units: 'meters' });
    expect(near!.distanceM).toBeGreaterThan(9000);
    expect(Math.abs(near!.distanceM - expected) / expected).toBeLessThan(0.005);
  });

  it('returns distance 0 and the lookup answer for a covered point', () => {
    expect(nearestGrid(index, 122.25, 30.25)).toEqual({ code: `${P}001`, distanceM: 0 });
  });

  it('measures to the nearest part of a MultiPolygon', () => {
    const near = nearestGrid(index, 122.74, 30.06);
    expect(near?.code).toBe(`${P}005`);
    expect(near!.distanceM).toBeLessThan(1000);
  });
});

describe('detectSwappedPoint', () => {
  it('flags lat,lon sent as lon,lat when the swap lands in the service area', () => {
    expect(detectSwappedPoint(index, 30.1, 122.1)).toBe(true);
    expect(detectSwappedPoint([121.8, 29.6, 122.8, 30.9], 30.0, 122.2)).toBe(true);
  });

  it('does not flag points that are fine or outside either way', () => {
    expect(detectSwappedPoint(index, 122.1, 30.1)).toBe(false);
    expect(detectSwappedPoint(index, 10, 20)).toBe(false);
    expect(detectSwappedPoint([121.8, 29.6, 122.8, 30.9], 122.2, 30.0)).toBe(false);
  });
});

describe('SQL form of the rule', () => {
  it('orders by code in byte order and filters the layer', () => {
    const sql = lookupPointSql('land');
    expect(sql).toContain('ST_Covers(geom, ST_SetSRID(ST_MakePoint($1, $2), 4326))');
    expect(sql).toContain('ORDER BY code COLLATE "C" LIMIT 1');
    expect(sql).toContain("kind IN ('comprehensive', 'special') AND parent_code IS NULL");
    expect(lookupPointSql('sea')).not.toContain('LIMIT');
    expect(lookupBatchSql('micro', { versionFilter: 'valid_from <= $3' })).toContain('parent_code IS NOT NULL AND valid_from <= $3');
  });
});
