// The committed synthetic files (geodata/) tile exactly in the sense of our own rules engine.
import { readFileSync } from 'node:fs';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { findTilingDefects, validatePartition } from '../../../server/domain/rules/index.ts';
import { areaM2, difference, union } from '../../../server/domain/rules/topology/overlay.ts';
import { loadRuleSet } from '../../../server/rulesets/index.ts';

const read = <P>(name: string) => JSON.parse(readFileSync(new URL(`../../../geodata/${name}`, import.meta.url), 'utf8')) as FeatureCollection<MultiPolygon, P>;
const divisions = read<{ code: string; name: string; level: string; parentCode: string; households: number }>('zhoushan-divisions-synthetic.geojson').features;
const grids = read<{ divisionCode: string; households: number }>('zhoushan-grids-filed.geojson').features;
const SHENJIAMEN = '330903001000';

const childrenOf = (code: string) => divisions.filter((d) => d.properties.parentCode === code).map((d) => d.geometry);
const parents = (level: string) => divisions.filter((d) => d.properties.level === level);

/** Area in m² of the symmetric difference between a parent and the union of its children (polyclip). */
function mismatchM2(parent: MultiPolygon, children: MultiPolygon[]): number {
  const covered = union(children);
  if (!covered) return areaM2(parent);
  const gap = difference(parent, [covered]);
  const spill = difference(covered, [parent]);
  return (gap ? areaM2(gap) : 0) + (spill ? areaM2(spill) : 0);
}

describe('committed synthetic Zhoushan geodata under the rules engine', () => {
  it('has 沈家门街道 grids with no topology finding at draft stage (gap/overlap tolerance 1 m²)', async () => {
    const township = divisions.find((d) => d.properties.code === SHENJIAMEN)!;
    const features = grids.filter((g) => g.properties.divisionCode.startsWith(SHENJIAMEN.slice(0, 9)));
    expect(features.length).toBe(grids.length);
    expect(features.length).toBeGreaterThan(50);
    const report = await validatePartition({
      ruleSet: loadRuleSet('zhoushan'),
      division: { code: SHENJIAMEN, geometry: township.geometry },
      features,
      stage: 'draft',
    });
    expect(report.findings.filter((f) => f.ruleId.startsWith('topology.') || f.ruleId.startsWith('geometry.'))).toEqual([]);
  });

  it('has grids that tile each of their villages vertex for vertex, holding all its households', () => {
    for (const code of new Set(grids.map((g) => g.properties.divisionCode))) {
      const village = divisions.find((d) => d.properties.code === code)!;
      const own = grids.filter((g) => g.properties.divisionCode === code);
      const defects = findTilingDefects(village.geometry, own.map((g, id) => ({ id, geometry: g.geometry })), { gapM2: 1, overlapM2: 1, outsideM2: 1 });
      expect(defects.suspectBoxes, code).toEqual([]);
      expect(own.reduce((a, g) => a + g.properties.households, 0), code).toBe(village.properties.households);
    }
  });

  it.each([
    ['village', 'township'],
    ['township', 'county'],
  ])('has %ss that share every boundary with their %s exactly (no leftover edge, union differs by < 1 m²)', (_, level) => {
    for (const parent of parents(level)) {
      const kids = childrenOf(parent.properties.code);
      const defects = findTilingDefects(parent.geometry, kids.map((geometry, id) => ({ id, geometry })), { gapM2: 1, overlapM2: 1, outsideM2: 1 });
      expect(defects.suspectBoxes, parent.properties.name).toEqual([]);
      expect(mismatchM2(parent.geometry, kids), parent.properties.name).toBeLessThan(1);
    }
  });
});
