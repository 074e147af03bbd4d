// Segments of one polygon that cross or touch where they must not. A flatbush index over the segments keeps
// this near O(n log n), so large rings stay cheap (turf.kinks compares every pair).
import type { Position } from 'geojson';
import type { Finding } from '../../../schemas/resources.ts';
import { featurePointer, type RuleContext } from '../finding.ts';
import type { Area } from '../input.ts';
import { bboxIndex, polygonsOf, type Bbox } from '../topology/overlay.ts';
import { withoutRepeats } from './vertices.ts';

interface Segment {
  ring: number;
  /** index of the segment in its ring (after repeats are removed) */
  i: number;
  a: Position;
  b: Position;
}

/**
 * Within a ring any contact between non-adjacent segments is an error (a bow-tie, or a ring touching itself);
 * between rings of one polygon only a proper crossing is (a hole may touch its outer ring at a point).
 * One finding per polygon part, with every intersection point as geometry.
 */
export function selfIntersectionFindings(area: Area, index: number, ctx: Pick<RuleContext, 'finding'>): Finding[] {
  const findings: Finding[] = [];
  polygonsOf(area).forEach((polygon, p) => {
    const rings = polygon.map(withoutRepeats);
    const segments: Segment[] = rings.flatMap((ring, r) => ring.slice(0, -1).map((a, i) => ({ ring: r, i, a, b: ring[i + 1] })));
    const boxes: Bbox[] = segments.map(({ a, b }) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1])]);
    const tree = bboxIndex(boxes);
    const points: Position[] = [];
    let firstRing = -1;
    segments.forEach((s, k) => {
      for (const m of tree.search(boxes[k])) {
        if (m <= k) continue;
        const t = segments[m];
        const ringLength = rings[s.ring].length - 1;
        const adjacent = s.ring === t.ring && (Math.abs(s.i - t.i) === 1 || Math.abs(s.i - t.i) === ringLength - 1);
        if (adjacent) continue;
        const hit = contact(s.a, s.b, t.a, t.b, s.ring === t.ring);
        if (hit) {
          points.push(hit);
          if (firstRing < 0) firstRing = s.ring;
        }
      }
    });
    if (points.length === 0) return;
    findings.push(
      ctx.finding(
        'geometry.self_intersection',
        { zh: `边界自相交 ${points.length} 处`, en: `boundary intersects itself at ${points.length} point(s)` },
        {
          codes: [index],
          geometry: points.length === 1 ? { type: 'Point', coordinates: points[0] } : { type: 'MultiPoint', coordinates: points },
          pointer: featurePointer(index, 'geometry', 'coordinates', ...(area.type === 'Polygon' ? [firstRing] : [p, firstRing])),
        },
      ),
    );
  });
  return findings;
}

const orient = (a: Position, b: Position, c: Position) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
const onSegment = (a: Position, b: Position, c: Position) =>
  Math.min(a[0], b[0]) <= c[0] && c[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= c[1] && c[1] <= Math.max(a[1], b[1]);

/** Where segments ab and cd meet: a proper crossing always counts, touching only when `touchCounts`. */
function contact(a: Position, b: Position, c: Position, d: Position, touchCounts: boolean): Position | null {
  const d1 = orient(c, d, a), d2 = orient(c, d, b), d3 = orient(a, b, c), d4 = orient(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) {
    const t = d1 / (d1 - d2);
    return [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  }
  if (!touchCounts) return null;
  if (d1 === 0 && onSegment(c, d, a)) return a;
  if (d2 === 0 && onSegment(c, d, b)) return b;
  if (d3 === 0 && onSegment(a, b, c)) return c;
  if (d4 === 0 && onSegment(a, b, d)) return d;
  return null;
}
