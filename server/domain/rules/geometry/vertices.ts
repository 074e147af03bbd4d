// Repeated positions and zero-width spikes, vertex by vertex.
import type { Position } from 'geojson';
import type { Finding } from '../../../schemas/resources.ts';
import { featurePointer, type RuleContext } from '../finding.ts';
import type { Area } from '../input.ts';
import { polygonsOf } from '../topology/overlay.ts';
import { mapRings } from './structure.ts';

const same = (a: Position, b: Position) => a[0] === b[0] && a[1] === b[1];

/** A ring without consecutive repeats (still closed). */
export function withoutRepeats(ring: Position[]): Position[] {
  return ring.filter((p, i) => i === 0 || !same(p, ring[i - 1]));
}

export function duplicatePointFindings(area: Area, index: number, ctx: Pick<RuleContext, 'finding'>): Finding[] {
  const pointers: string[] = [];
  polygonsOf(area).forEach((polygon, p) =>
    polygon.forEach((ring, r) => {
      for (let i = 1; i < ring.length; i++) {
        if (same(ring[i], ring[i - 1])) pointers.push(featurePointer(index, 'geometry', 'coordinates', ...(area.type === 'Polygon' ? [r] : [p, r]), i));
      }
    }),
  );
  if (pointers.length === 0) return [];
  return [
    ctx.finding('geometry.duplicate_point', { zh: `${pointers.length} 处连续重复点`, en: `${pointers.length} repeated consecutive position(s)` }, {
      codes: [index],
      pointer: pointers[0],
      repair: mapRings(area, withoutRepeats),
    }),
  ];
}

/**
 * A spike is a vertex where the boundary turns back on itself: the segments before and after it are collinear and
 * point in opposite directions. One finding per spike, located at the vertex.
 */
export function spikeFindings(area: Area, index: number, ctx: Pick<RuleContext, 'finding'>): Finding[] {
  const findings: Finding[] = [];
  polygonsOf(area).forEach((polygon, p) =>
    polygon.forEach((ring, r) => {
      // Work on distinct vertices but point at the original position index.
      const kept: number[] = [];
      for (let i = 0; i < ring.length - 1; i++) if (kept.length === 0 || !same(ring[i], ring[kept[kept.length - 1]])) kept.push(i);
      if (kept.length > 1 && same(ring[kept[kept.length - 1]], ring[kept[0]])) kept.pop();
      const n = kept.length;
      if (n < 3) return;
      for (let k = 0; k < n; k++) {
        const a = ring[kept[(k + n - 1) % n]];
        const b = ring[kept[k]];
        const c = ring[kept[(k + 1) % n]];
        const ux = b[0] - a[0], uy = b[1] - a[1], vx = c[0] - b[0], vy = c[1] - b[1];
        const cross = ux * vy - uy * vx;
        const dot = ux * vx + uy * vy;
        if (dot < 0 && Math.abs(cross) <= 1e-9 * Math.hypot(ux, uy) * Math.hypot(vx, vy)) {
          findings.push(
            ctx.finding('geometry.spike', { zh: '边界在此顶点折返（零宽度尖刺）', en: 'the boundary turns straight back at this vertex (zero-width spike)' }, {
              codes: [index],
              geometry: { type: 'Point', coordinates: [b[0], b[1]] },
              pointer: featurePointer(index, 'geometry', 'coordinates', ...(area.type === 'Polygon' ? [r] : [p, r]), kept[k]),
            }),
          );
        }
      }
    }),
  );
  return findings;
}
