import { describe, expect, it } from 'vitest';
import { islandCoverage, validatePartition, type Area } from '../../../server/domain/rules/index.ts';
import { partitionInput } from './load.ts';

describe('islands', () => {
  it('an inhabited island without a grid is an error with its outline', async () => {
    const input = partitionInput('island-uncovered.geojson');
    const report = await validatePartition(input);
    expect(report.findings.map((f) => f.ruleId)).toEqual(['islands.uncovered']);
    expect(report.findings[0].geometry).toEqual(input.islands![0].geometry);
    expect(report.findings[0].message.zh).toContain('小干山');
  });

  it('passes once a grid covers the island', async () => {
    const input = partitionInput('island-uncovered.geojson');
    const islandGrid = { type: 'Feature', properties: { ...input.features[0].properties, code: '330902001001500', kind: 'special', subkind: 'other' }, geometry: input.islands![0].geometry };
    const report = await validatePartition({ ...input, features: [...input.features, islandGrid] });
    expect(report.findings.map((f) => f.ruleId)).not.toContain('islands.uncovered');
  });

  it('coverage report: inhabited uncovered first, with covering grids and share', () => {
    const input = partitionInput('island-uncovered.geojson');
    const grids = input.features.map((f) => ({ code: f.properties!.code as string, geometry: f.geometry as Area }));
    const report = islandCoverage(input.islands!, grids, 50);
    expect(report.map((r) => [r.id, r.inhabited, r.covered])).toEqual([
      [1, true, false],
      [2, false, false],
      [3, true, true],
    ]);
    expect(report[2].coveringCodes).toEqual(['330902001001002']);
    expect(report[2].coveredShare).toBeCloseTo(1, 6);
  });
});
