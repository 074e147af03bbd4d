import { readFileSync } from 'node:fs';
import * as turf from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { multiPolygonOf } from '../../../server/domain/geodata/land.ts';
import { nodeBoundaries } from '../../../server/domain/geometry/noding.ts';
import { findTilingDefects } from '../../../server/domain/rules/index.ts';

// test/fixtures/geodata/rounded-split.geojson: a parent cut in two, with the cut's corner rounded off the parent's edge.
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/geodata/rounded-split.geojson', import.meta.url), 'utf8')) as FeatureCollection<
  Polygon,
  { role: string }
>;
const byRole = (role: string) => fixture.features.filter((f) => f.properties.role === role).map((f) => multiPolygonOf([f.geometry]));
const [parent] = byRole('parent');
const children = byRole('child');
const [islet] = byRole('neighbour');
const TOLERANCE = { gapM2: 1, overlapM2: 1, outsideM2: 1 };
const tiling = (container: MultiPolygon, pieces: MultiPolygon[]) => findTilingDefects(container, pieces.map((geometry, id) => ({ id, geometry })), TOLERANCE);

describe('nodeBoundaries', () => {
  it('turns a rounded corner off the parent edge, which the rules engine sees, into an exact tiling', () => {
    const before = tiling(parent, children);
    expect(before.outside.reduce((a, o) => a + o.areaM2, 0)).toBeGreaterThan(10);

    const [nodedParent, ...nodedChildren] = nodeBoundaries([parent, ...children], 2e-6);
    const after = tiling(nodedParent, nodedChildren);
    expect(after.suspectBoxes).toEqual([]);
    expect(Math.abs(turf.area(nodedParent) - turf.area(parent))).toBeLessThan(30);
  });

  it('leaves areas alone whose boundaries already match, and vertices farther than the tolerance', () => {
    const [nodedIslet, nodedParent] = nodeBoundaries([islet, parent], 2e-6);
    expect(nodedIslet).toEqual(islet);
    expect(nodedParent).toEqual(parent);
    const again = nodeBoundaries([parent, ...children], 2e-6);
    expect(nodeBoundaries(again, 2e-6)).toEqual(again);
  });

  it('splits an edge the same way whichever way the ring runs and whatever the order of the areas', () => {
    const reversed: MultiPolygon = { type: 'MultiPolygon', coordinates: [[[...parent.coordinates[0][0]].reverse()]] };
    const [forward] = nodeBoundaries([parent, ...children], 2e-6);
    const [backward] = nodeBoundaries([reversed, ...[...children].reverse()], 2e-6);
    expect(backward.coordinates[0][0]).toEqual([...forward.coordinates[0][0]].reverse());
  });
});
