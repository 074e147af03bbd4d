import * as turf from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { findTilingDefects, validatePartition, type Area } from '../../../server/domain/rules/index.ts';
import { partitionInput } from './load.ts';

const tol = { gapM2: 1, overlapM2: 1, outsideM2: 1 };

describe('land grids tile the division', () => {
  it('proves an exact tiling without overlay', () => {
    const input = partitionInput('valid.geojson');
    const defects = findTilingDefects(input.division.geometry, input.features.map((f, id) => ({ id, geometry: f.geometry as Area })), tol);
    expect(defects).toEqual({ gaps: [], overlaps: [], outside: [], suspectBoxes: [] });
  });

  it('finds a 2 m² gap at 1 m² tolerance, as a polygon of that area', async () => {
    const report = await validatePartition(partitionInput('gap-2m2.geojson'));
    expect(report.findings.map((f) => f.ruleId)).toEqual(['topology.gap']);
    const gap = report.findings[0];
    expect(turf.area(gap.geometry as Polygon)).toBeGreaterThan(1.9);
    expect(turf.area(gap.geometry as Polygon)).toBeLessThan(2.1);
    expect(gap.codes).toEqual(expect.arrayContaining(['330902001001001', '330902001001002']));
  });

  it('lets a 0.5 m² gap pass at 1 m² tolerance, and not at 0.1 m²', async () => {
    const input = partitionInput('gap-half-m2.geojson');
    expect((await validatePartition(input)).findings).toEqual([]);
    const strict = { ...input.ruleSet, topology: { ...input.ruleSet.topology, gapToleranceM2: 0.1 } };
    expect((await validatePartition({ ...input, ruleSet: strict })).findings.map((f) => f.ruleId)).toEqual(['topology.gap']);
  });

  it('returns a sliver overlap with its area', async () => {
    const report = await validatePartition(partitionInput('sliver-overlap.geojson'));
    expect(report.findings.map((f) => f.ruleId)).toEqual(['topology.overlap']);
    const overlap = report.findings[0];
    expect(overlap.codes).toEqual(['330902001001001', '330902001001002']);
    const expected = turf.area(turf.bboxPolygon([...turf.bbox(overlap.geometry as Polygon)] as [number, number, number, number]));
    expect(turf.area(overlap.geometry as Polygon)).toBeCloseTo(expected, 0);
    expect(turf.area(overlap.geometry as Polygon)).toBeGreaterThan(90);
  });

  it('reports the part of a grid outside the division', async () => {
    const input = partitionInput('valid.geojson');
    const g = input.features[1] as Feature<Polygon>;
    const moved = turf.transformTranslate(g, 20, 90, { units: 'meters' });
    const report = await validatePartition({ ...input, features: input.features.map((f, i) => (i === 1 ? moved : f)) });
    const outside = report.findings.find((f) => f.ruleId === 'topology.outside_division')!;
    expect(outside.codes).toEqual(['330902001001002']);
    expect(turf.area(outside.geometry as Polygon)).toBeGreaterThan(3000);
    expect(report.findings.map((f) => f.ruleId)).toContain('topology.gap');
  });
});

describe('micro-grids tile their grid', () => {
  it('finds the uncovered strip of the parent grid', async () => {
    const report = await validatePartition(partitionInput('micro-gap.geojson'));
    expect(report.findings.map((f) => f.ruleId)).toEqual(['topology.micro_grid_gap']);
    expect(turf.area(report.findings[0].geometry as Polygon)).toBeCloseTo(1500, -2);
  });

  it('needs the parent grid in the submission', async () => {
    const input = partitionInput('micro-gap.geojson');
    const orphan = input.features.map((f, i) => (i === 4 ? { ...f, properties: { ...f.properties, parentCode: '330902001001099' } } : f));
    expect((await validatePartition({ ...input, features: orphan })).findings.map((f) => f.ruleId)).toContain('topology.micro_grid_parent');
  });
});

describe('sea grids', () => {
  it('flag land beyond the shoreline tolerance and same-subkind overlaps only', async () => {
    const report = await validatePartition(partitionInput('sea.geojson'));
    const shoreline = report.findings.filter((f) => f.ruleId === 'topology.shoreline');
    expect(shoreline.map((f) => f.codes)).toEqual([[0]]);
    expect(turf.area(shoreline[0].geometry as Polygon)).toBeGreaterThan(3000);
    const overlaps = report.findings.filter((f) => f.ruleId === 'topology.maritime_overlap');
    expect(overlaps.map((f) => f.codes)).toEqual([[1, 2]]);
  });

  it('leave vessel formations alone: their footprint follows the vessels, over land or across each other', async () => {
    const input = partitionInput('sea.geojson');
    const asFormations = new Set(['海上网格A', '海上网格B', '海上网格C']);
    const features = input.features.map((f) => (asFormations.has(String(f.properties?.name)) ? { ...f, properties: { ...f.properties, subkind: 'vessel_formation' } } : f));
    const ruleIds = (await validatePartition({ ...input, features })).findings.map((f) => f.ruleId);
    expect(ruleIds).not.toContain('topology.shoreline');
    expect(ruleIds).not.toContain('topology.maritime_overlap');
  });

  it('flags grid B too when the shoreline tolerance is 1 m', async () => {
    const input = partitionInput('sea.geojson');
    const strict = { ...input.ruleSet, topology: { ...input.ruleSet.topology, shorelineToleranceM: 1 } };
    const report = await validatePartition({ ...input, ruleSet: strict });
    expect(report.findings.filter((f) => f.ruleId === 'topology.shoreline').map((f) => f.codes)).toEqual([[0], [1]]);
  });
});
