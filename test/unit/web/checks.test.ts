import { describe, expect, it } from 'vitest';
import type { MultiPoint, Polygon } from 'geojson';
import { localFindings } from '../../../web/src/edit/checks.ts';
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

describe('localFindings', () => {
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
});
