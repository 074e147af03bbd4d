import * as turf from '@turf/turf';
import type { Finding } from '../../../schemas/resources.ts';
import { featurePointer, type RuleContext } from '../finding.ts';
import type { Area } from '../input.ts';
import { polygonsOf } from '../topology/overlay.ts';

// Below this a ring is a line or a point, not land anyone manages.
const ZERO_AREA_M2 = 0.01;

/** Polygon parts and holes without area (all points on a line, or collapsed). */
export function zeroAreaFindings(area: Area, index: number, ctx: Pick<RuleContext, 'finding'>): Finding[] {
  const findings: Finding[] = [];
  polygonsOf(area).forEach((polygon, p) =>
    polygon.forEach((ring, r) => {
      if (turf.area({ type: 'Polygon', coordinates: [ring] }) >= ZERO_AREA_M2) return;
      findings.push(
        ctx.finding('geometry.zero_area', { zh: r === 0 ? '多边形面积为零' : '内环（洞）面积为零', en: r === 0 ? 'polygon part without area' : 'hole without area' }, {
          codes: [index],
          pointer: featurePointer(index, 'geometry', 'coordinates', ...(area.type === 'Polygon' ? [r] : [p, r])),
        }),
      );
    }),
  );
  return findings;
}
