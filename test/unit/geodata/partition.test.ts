import * as turf from '@turf/turf';
import type { MultiPolygon, Position } from 'geojson';
import { describe, expect, it } from 'vitest';
import { multiPolygonOf, randomPointIn } from '../../../server/domain/geodata/land.ts';
import { partitionBySeeds, type Seed } from '../../../server/domain/geodata/partition.ts';
import { mulberry32 } from '../../../server/domain/random.ts';
import { island } from './fixture.ts';

const big = island(1);
const small = island(2);
const other = island(5);

function seedsOn(count: number, seed: number): Seed[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => ({ key: `v${i}`, point: randomPointIn(big, random) }));
}

function unionArea(parts: MultiPolygon[]): number {
  return turf.area(turf.union(turf.featureCollection(parts.map((p) => turf.feature(p))))!);
}

describe('partitionBySeeds', () => {
  it('tiles the land exactly: no gap (areas add up) and no overlap (union equals the sum)', () => {
    const result = partitionBySeeds([{ polygon: big }, { polygon: small }], seedsOn(7, 1));
    const parts = [...result.values()];
    const land = turf.area(big) + turf.area(small);
    const sum = parts.reduce((a, p) => a + turf.area(p), 0);
    // turf.area is geodesic: a planar edge split by a new vertex changes the area by ~1e-6, hence not 1e-9
    expect(Math.abs(sum - land) / land).toBeLessThan(1e-5);
    expect(Math.abs(unionArea(parts) - sum) / sum).toBeLessThan(1e-5);
  });

  it('gives every seed on land a non-empty cell that contains it', () => {
    const seeds = seedsOn(12, 2);
    const result = partitionBySeeds([{ polygon: big }], seeds);
    for (const s of seeds) {
      const cell = result.get(s.key)!;
      expect(turf.area(cell)).toBeGreaterThan(0);
      expect(turf.booleanPointInPolygon(s.point, cell)).toBe(true);
    }
  });

  it('hands a seedless island whole to the nearest seed and a keyed island to its key', () => {
    const seeds: Seed[] = [
      { key: 'west', point: [122.03, 30.05] },
      { key: 'east', point: [122.19, 30.03] },
    ];
    const result = partitionBySeeds([{ polygon: big }, { polygon: small }, { polygon: other, key: 'north' }], seeds);
    const east = result.get('east')!;
    expect(east.coordinates).toContainEqual(small.coordinates);
    expect(result.get('west')!.coordinates).not.toContainEqual(small.coordinates);
    expect(result.get('north')).toEqual(multiPolygonOf([other]));
  });

  it('is deterministic: the same seed gives the same partition, another seed a different one', () => {
    const run = (seed: number) => JSON.stringify([...partitionBySeeds([{ polygon: big }], seedsOn(6, seed))]);
    expect(run(42)).toBe(run(42));
    expect(run(42)).not.toBe(run(43));
  });

  it('rejects duplicate keys', () => {
    const p: Position = [122.1, 30.03];
    expect(() => partitionBySeeds([{ polygon: big }], [{ key: 'a', point: p }, { key: 'a', point: [122.12, 30.03] }])).toThrow(/unique/);
  });
});
