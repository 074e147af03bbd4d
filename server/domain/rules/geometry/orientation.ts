import type { Finding } from '../../../schemas/resources.ts';
import { featurePointer, type RuleContext } from '../finding.ts';
import type { Area } from '../input.ts';
import { polygonsOf, ringSignedArea } from '../topology/overlay.ts';
import { mapRings } from './structure.ts';

const wrong = (r: number, signed: number) => (r === 0 ? signed < 0 : signed > 0);

/** RFC 7946 right-hand rule: outer rings counter-clockwise, holes clockwise. Readers accept either, so a warning. */
export function orientationFindings(area: Area, index: number, ctx: Pick<RuleContext, 'finding'>): Finding[] {
  const offending: string[] = [];
  polygonsOf(area).forEach((polygon, p) =>
    polygon.forEach((ring, r) => {
      if (wrong(r, ringSignedArea(ring))) offending.push(featurePointer(index, 'geometry', 'coordinates', ...(area.type === 'Polygon' ? [r] : [p, r])));
    }),
  );
  if (offending.length === 0) return [];
  const repair = mapRings(area, (ring, r) => (wrong(r, ringSignedArea(ring)) ? [...ring].reverse() : ring));
  return [
    ctx.finding(
      'geometry.orientation',
      { zh: `${offending.length} 个环方向不符合 RFC 7946（外环逆时针、内环顺时针）`, en: `${offending.length} ring(s) wound against RFC 7946 (outer counter-clockwise, holes clockwise)` },
      { codes: [index], pointer: offending[0], repair },
    ),
  ];
}
