// Checks the committed synthetic Zhoushan files (geodata/) against what the rest of the product relies on.
import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';

const read = <P>(name: string) => JSON.parse(readFileSync(new URL(`../../../geodata/${name}`, import.meta.url), 'utf8')) as FeatureCollection<MultiPolygon, P>;

interface DivisionProps {
  code: string;
  name: string;
  level: string;
  parentCode: string;
  households: number;
  population: number;
  synthetic: boolean;
}

const divisions = read<DivisionProps>('zhoushan-divisions-synthetic.geojson').features;
const islands = read<{ id: number; residents: number; areaKm2: number; countyCode: string }>('zhoushan-islands.geojson').features;
const grids = read<{ divisionCode: string; households: number; kind: string }>('zhoushan-grids-filed.geojson').features;
const householdRows = readFileSync(new URL('../../../geodata/zhoushan-households.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);

const byLevel = (level: string) => divisions.filter((d) => d.properties.level === level);
const area = (code: string) => turf.area(divisions.find((d) => d.properties.code === code)!.geometry);

/** Relative difference between a parent's area and the summed areas of its children. */
function tilingError(parentLevel: string): number {
  let worst = 0;
  for (const parent of byLevel(parentLevel)) {
    const children = divisions.filter((d) => d.properties.parentCode === parent.properties.code);
    const sum = children.reduce((a, c) => a + turf.area(c.geometry), 0);
    worst = Math.max(worst, Math.abs(sum - area(parent.properties.code)) / area(parent.properties.code));
  }
  return worst;
}

describe('committed synthetic Zhoushan geodata', () => {
  it('has every division of the NBS list, marked synthetic', () => {
    expect(byLevel('county')).toHaveLength(4);
    expect(byLevel('township')).toHaveLength(36);
    expect(byLevel('village')).toHaveLength(428);
    expect(divisions.every((d) => d.properties.synthetic === true)).toBe(true);
  });

  it('nests exactly: villages tile townships, townships counties, counties the islands, within 0.01 % of area', () => {
    expect(tilingError('township')).toBeLessThan(1e-4);
    expect(tilingError('county')).toBeLessThan(1e-4);
    const countyArea = byLevel('county').reduce((a, c) => a + turf.area(c.geometry), 0);
    const islandArea = islands.reduce((a, i) => a + turf.area(i.geometry), 0);
    expect(Math.abs(countyArea - islandArea) / islandArea).toBeLessThan(1e-4);
  });

  it('gives every village land, and no two villages of a township overlap', () => {
    for (const v of byLevel('village')) expect(turf.area(v.geometry)).toBeGreaterThan(0);
    const township = byLevel('township').find((t) => t.properties.name === '沈家门街道')!;
    const kids = byLevel('village').filter((v) => v.properties.parentCode === township.properties.code);
    const union = turf.union(turf.featureCollection(kids.map((k) => turf.feature(k.geometry))))!;
    expect(Math.abs(turf.area(union) - area(township.properties.code)) / area(township.properties.code)).toBeLessThan(1e-4);
  });

  it('has 400k–500k households whose points lie in their village, summed up the hierarchy', () => {
    const geometryOf = new Map(byLevel('village').map((v) => [v.properties.code, v.geometry]));
    const perVillage = new Map<string, number>();
    let outside = 0;
    for (const row of householdRows) {
      const [lon, lat, households, code] = row.split(',');
      perVillage.set(code, (perVillage.get(code) ?? 0) + Number(households));
      if (!turf.booleanPointInPolygon([Number(lon), Number(lat)], geometryOf.get(code)!)) outside++;
    }
    expect(outside).toBe(0);
    const total = [...perVillage.values()].reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(400_000);
    expect(total).toBeLessThan(500_000);
    for (const v of byLevel('village')) expect(v.properties.households).toBe(perVillage.get(v.properties.code));
    const countySum = byLevel('county').reduce((a, c) => a + c.properties.households, 0);
    expect(countySum).toBe(total);
  });

  it('has at least 8 small inhabited islands (< 2 km², 50–300 residents) and uninhabited islets', () => {
    const small = islands.filter((i) => i.properties.areaKm2 < 2);
    expect(small.filter((i) => i.properties.residents >= 50 && i.properties.residents <= 300).length).toBeGreaterThanOrEqual(8);
    expect(small.filter((i) => i.properties.residents < 50).length).toBeGreaterThanOrEqual(10);
    expect(islands.some((i) => [12, 14].includes(i.properties.id))).toBe(false);
  });

  it('has filed grids that tile their villages, mostly within 300–500 households', () => {
    const codes = new Set(grids.map((g) => g.properties.divisionCode));
    for (const code of codes) {
      const sum = grids.filter((g) => g.properties.divisionCode === code).reduce((a, g) => a + turf.area(g.geometry), 0);
      expect(Math.abs(sum - area(code)) / area(code)).toBeLessThan(1e-4);
    }
    const inBand = grids.filter((g) => g.properties.households >= 300 && g.properties.households <= 500).length;
    expect(inBand / grids.length).toBeGreaterThan(0.5);
  });
});
