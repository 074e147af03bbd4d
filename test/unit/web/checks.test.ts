import { describe, expect, it } from 'vitest';
import type { MultiPoint, Polygon } from 'geojson';
import { LocalChecks } from '../../../web/src/edit/checks.ts';
import { applyEdit, emptyDraft } from '../../../web/src/edit/state.ts';
import { polygonOf } from './draft-fixture.ts';

const bowTie: Polygon = {
  type: 'Polygon',
  coordinates: [[[122.100, 30.000], [122.102, 30.002], [122.102, 30.000], [122.100, 30.002], [122.100, 30.000]]],
};
const township: Polygon = {
  type: 'Polygon',
  coordinates: [[[122.099, 29.999], [122.105, 29.999], [122.105, 30.003], [122.099, 30.003], [122.099, 29.999]]],
};

function draftOf(...geometries: Polygon[]) {
  return geometries.reduce((state, geometry) => applyEdit(state, { type: 'add', geometry }).state, emptyDraft()).features;
}

const localFindings: LocalChecks['findings'] = (features, area) => new LocalChecks().findings(features, area);

describe('local checks', () => {
  it('reports a bow-tie as a self-intersection at its crossing, in both languages, and keeps the geometry as drawn', () => {
    const draft = draftOf(bowTie);
    const [finding] = localFindings(draft, township);
    expect(finding).toMatchObject({ ruleId: 'geometry.self-intersection', severity: 'error', codes: ['d1'] });
    expect(finding.message.zh).toContain('自相交');
    expect(finding.message.en).toContain('intersects itself');
    const [crossing] = (finding.geometry as MultiPoint).coordinates;
    expect(crossing[0]).toBeCloseTo(122.101, 9);
    expect(crossing[1]).toBeCloseTo(30.001, 9);
    expect(draft[0].geometry).toBe(bowTie);
  });

  it('reports the part of a grid outside its township, and nothing for a grid inside', () => {
    const findings = localFindings(draftOf(polygonOf('west'), polygonOf('east')), township);
    expect(findings).toEqual([]);
    const sticking = localFindings(draftOf(polygonOf('apart')), township);
    expect(sticking.map((f) => f.ruleId)).toEqual(['topology.within-division']);
    expect((sticking[0].geometry as Polygon).type).toBe('Polygon');
  });

  it('skips the township test when the township is not known yet', () => {
    expect(localFindings(draftOf(polygonOf('apart')), null)).toEqual([]);
  });

  it('checks again only the grids an edit changed, and everything when the township changes', () => {
    const checks = new LocalChecks();
    const start = applyEdit(applyEdit(emptyDraft(), { type: 'add', geometry: polygonOf('apart') }).state, { type: 'add', geometry: polygonOf('west') }).state;
    const first = checks.findings(start.features, township);
    expect(first.map((f) => f.codes)).toEqual([['d1']]);
    // Reshape the inside grid into a bow-tie: the outside grid's finding is the very same object, the bow-tie is new.
    const reshaped = applyEdit(start, { type: 'reshape', id: 'd2', geometry: bowTie }).state;
    const second = checks.findings(reshaped.features, township);
    expect(second.map((f) => f.ruleId)).toEqual(['topology.within-division', 'geometry.self-intersection']);
    expect(second[0]).toBe(first[0]);
    expect(checks.findings(reshaped.features, null).map((f) => f.ruleId)).toEqual(['geometry.self-intersection']);
  });
});
