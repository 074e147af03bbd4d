import { describe, expect, it } from 'vitest';
import { VertexIndex, type Project } from '../../../web/src/edit/snapping.ts';
import { polygonOf } from './draft-fixture.ts';

// Plain equirectangular projection at 1e5 px per degree (≈ 1 px per metre), y down like the screen.
const project: Project = (lng, lat) => ({ x: lng * 1e5, y: -lat * 1e5 });

describe('VertexIndex.snap', () => {
  const index = new VertexIndex([polygonOf('west'), polygonOf('east')]);

  it('snaps to the nearest vertex within the pixel tolerance', () => {
    // 3 px east and 2 px north of the shared corner 122.102, 30.002.
    expect(index.snap([122.10203, 30.00202], 10, project)).toEqual([122.102, 30.002]);
  });

  it('leaves the pointer alone when no vertex is close enough', () => {
    expect(index.snap([122.1010, 30.0010], 10, project)).toBeUndefined();
    expect(index.snap([122.10203, 30.00202], 2, project)).toBeUndefined();
  });

  it('has nothing to snap to when empty', () => {
    expect(new VertexIndex([]).snap([122.1, 30], 10, project)).toBeUndefined();
  });
});
