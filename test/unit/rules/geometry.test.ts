import * as turf from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { validatePartition, type Area, type PartitionInput } from '../../../server/domain/rules/index.ts';
import { partitionInput } from './load.ts';

const valid = () => partitionInput('valid.geojson');

/** The valid township with grid 0's geometry replaced. */
function withGeometry(geometry: unknown, overrides: Partial<PartitionInput> = {}): PartitionInput {
  const input = valid();
  const features = input.features.map((f, i) => (i === 0 ? { ...f, geometry } : f));
  return { ...input, features, ...overrides };
}
const grid0 = () => (valid().features[0] as Feature<Polygon>).geometry;
const ruleIds = async (input: PartitionInput) => (await validatePartition(input)).findings.map((f) => f.ruleId);

describe('geometry rules', () => {
  it('accepts the valid township', async () => {
    expect((await validatePartition(valid())).findings).toEqual([]);
  });

  it('flags swapped lon/lat and offers the flipped geometry', async () => {
    const report = await validatePartition(partitionInput('swapped.geojson'));
    const swapped = report.findings.find((f) => f.ruleId === 'geometry.swapped')!;
    expect(swapped.severity).toBe('error');
    expect(swapped.codes).toEqual([3]);
    expect(swapped.pointer).toBe('/features/3/geometry/coordinates');
    expect(swapped.repair).toEqual((valid().features[3] as Feature<Polygon>).geometry);
    expect(report.findings.map((f) => f.ruleId)).not.toContain('geometry.range');
  });

  it('reports the crossing point of a bow-tie', async () => {
    const report = await validatePartition(partitionInput('bowtie.geojson'));
    const kink = report.findings.find((f) => f.ruleId === 'geometry.self_intersection')!;
    expect(kink.codes).toEqual([3]);
    const centre = turf.centroid(valid().features[3] as Feature<Polygon>).geometry.coordinates;
    expect(kink.geometry).toMatchObject({ type: 'Point' });
    const [x, y] = (kink.geometry as { coordinates: number[] }).coordinates;
    expect(x).toBeCloseTo(centre[0], 7);
    expect(y).toBeCloseTo(centre[1], 7);
  });

  it('attaches the repair port result to invalid grids without applying it', async () => {
    const repaired: Area = grid0();
    const calls: Area[] = [];
    const bowtie = partitionInput('bowtie.geojson');
    const report = await validatePartition(bowtie, { repair: async (g) => (calls.push(g), repaired) });
    expect(calls).toHaveLength(1);
    expect(report.findings.find((f) => f.ruleId === 'geometry.self_intersection')!.repair).toEqual(repaired);
    expect(bowtie.features[3].geometry).not.toEqual(repaired);
  });

  it('rejects other geometry types and missing geometry', async () => {
    expect(await ruleIds(withGeometry({ type: 'LineString', coordinates: [[122.1, 30], [122.2, 30]] }))).toContain('geometry.type');
    expect(await ruleIds(withGeometry(null))).toContain('geometry.type');
  });

  it('points at the exact coordinate given as a string', async () => {
    const g = structuredClone(grid0()) as unknown as { coordinates: unknown[][][] };
    g.coordinates[0][2] = ['122.103', 30.001];
    const report = await validatePartition(withGeometry(g));
    const f = report.findings.find((x) => x.ruleId === 'geometry.coordinates')!;
    expect(f.pointer).toBe('/features/0/geometry/coordinates/0/2/0');
  });

  it('flags out-of-range coordinates that are not a swap', async () => {
    const g = structuredClone(grid0());
    g.coordinates[0][1] = [200, 30];
    expect(await ruleIds(withGeometry(g))).toContain('geometry.range');
  });

  it('flags geometry outside China, and outside the service area as a warning', async () => {
    expect(await ruleIds(withGeometry(turf.polygon([[[2, 48], [2.1, 48], [2.1, 48.1], [2, 48]]]).geometry))).toContain('geometry.bounds');
    const report = await validatePartition(withGeometry(turf.polygon([[[116.3, 39.9], [116.31, 39.9], [116.31, 39.91], [116.3, 39.9]]]).geometry));
    expect(report.findings.find((f) => f.ruleId === 'geometry.service_area')?.severity).toBe('warning');
  });

  it('flags unclosed and too-short rings', async () => {
    const open = structuredClone(grid0());
    open.coordinates[0].pop();
    const report = await validatePartition(withGeometry(open));
    const f = report.findings.find((x) => x.ruleId === 'geometry.ring_not_closed')!;
    expect(f.repair).toEqual(grid0());
    const short = { type: 'Polygon', coordinates: [grid0().coordinates[0].slice(0, 2).concat([grid0().coordinates[0][0]])] };
    expect(await ruleIds(withGeometry(short))).toContain('geometry.ring_size');
  });

  it('enforces the vertex limit of the rule set', async () => {
    const input = valid();
    const tight = { ...input.ruleSet, geometry: { ...input.ruleSet.geometry, maxVertices: 4 } };
    expect(await ruleIds({ ...input, ruleSet: tight })).toContain('geometry.vertex_limit');
    expect(await ruleIds(input)).not.toContain('geometry.vertex_limit');
  });

  it('warns about clockwise outer rings and offers the rewound ring', async () => {
    const cw = { type: 'Polygon', coordinates: [[...grid0().coordinates[0]].reverse()] };
    const report = await validatePartition(withGeometry(cw));
    expect(report.counts).toEqual({ error: 0, warning: 1 });
    expect(report.findings[0].ruleId).toBe('geometry.orientation');
    expect(turf.booleanClockwise((report.findings[0].repair as Polygon).coordinates[0])).toBe(false);
  });

  it('warns about repeated points and points at the repeat', async () => {
    const g = structuredClone(grid0());
    g.coordinates[0].splice(2, 0, g.coordinates[0][2]);
    const report = await validatePartition(withGeometry(g));
    expect(report.counts).toEqual({ error: 0, warning: 1 });
    expect(report.findings[0]).toMatchObject({ ruleId: 'geometry.duplicate_point', pointer: '/features/0/geometry/coordinates/0/3' });
    expect(report.findings[0].repair).toEqual(grid0());
  });

  it('finds a spike at its tip', async () => {
    const g = structuredClone(grid0());
    const [a, b] = [g.coordinates[0][1], g.coordinates[0][2]];
    const mid = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const tip = [mid[0] + 0.001, mid[1]];
    g.coordinates[0].splice(2, 0, mid, tip, mid);
    const report = await validatePartition(withGeometry(g));
    const spike = report.findings.find((f) => f.ruleId === 'geometry.spike')!;
    expect(spike.pointer).toBe('/features/0/geometry/coordinates/0/3');
    expect(spike.geometry).toEqual({ type: 'Point', coordinates: tip });
  });

  it('finds zero-area polygons', async () => {
    const [a, b] = [grid0().coordinates[0][0], grid0().coordinates[0][1]];
    const flat = { type: 'Polygon', coordinates: [[a, [(a[0] + b[0]) / 2, a[1]], b, a]] };
    expect(await ruleIds(withGeometry(flat))).toContain('geometry.zero_area');
  });
});
