// Fixed sea grids (aquaculture and offshore operation zones) stay off land (up to the shoreline tolerance) and do not
// overlap sea grids of their own subkind. A vessel formation's footprint is not drawn but derived from where its
// vessels are (position ingest rewrites it), so these rules do not hold it to a shape it cannot keep.
import * as turf from '@turf/turf';
import type { Polygon } from 'geojson';
import type { Finding } from '../../../schemas/resources.ts';
import { gridLabel, m2, type RuleContext } from '../finding.ts';
import type { Area, ProposedGrid } from '../input.ts';
import { areaM2, bboxIndex, bboxOf, intersection, splitParts } from './overlay.ts';

type SeaGrid = ProposedGrid & { geometry: Area };
const seaGrids = (ctx: RuleContext) =>
  ctx.grids.filter((g): g is SeaGrid => g.kind === 'maritime' && g.subkind !== 'vessel_formation' && g.geometry !== null);

/**
 * A piece of land inside a sea grid counts when it is wider than the tolerance, i.e. it survives an inward buffer
 * of `shorelineToleranceM`: a grid edge drawn a few metres onto the beach passes, a grid over a headland does not.
 */
export function shorelineFindings(ctx: RuleContext, land: readonly Area[]): Finding[] {
  const sea = seaGrids(ctx);
  if (sea.length === 0 || land.length === 0) return [];
  const tolerance = ctx.ruleSet.topology.shorelineToleranceM;
  const index = bboxIndex(land.map(bboxOf));
  const findings: Finding[] = [];
  for (const g of sea) {
    const onLand: Polygon[] = [];
    for (const l of index.search(bboxOf(g.geometry))) {
      for (const piece of splitParts(intersection(g.geometry, land[l]))) {
        if (tolerance === 0 ? areaM2(piece) > 0 : turf.buffer(piece, -tolerance, { units: 'meters' })) onLand.push(piece);
      }
    }
    if (onLand.length === 0) continue;
    const area = onLand.reduce((sum, p) => sum + areaM2(p), 0);
    findings.push(
      ctx.finding(
        'topology.shoreline',
        { zh: `海上网格 ${gridLabel(g)} 覆盖陆地 ${m2(area)} 平方米（超出岸线容差 ${tolerance} 米）`, en: `sea grid ${gridLabel(g)} covers ${m2(area)} m² of land beyond the ${tolerance} m shoreline tolerance` },
        {
          codes: [g.ref],
          geometry: onLand.length === 1 ? onLand[0] : { type: 'MultiPolygon', coordinates: onLand.map((p) => p.coordinates) },
          pointer: `/features/${g.index}/geometry`,
        },
      ),
    );
  }
  return findings;
}

export function maritimeOverlapFindings(ctx: RuleContext): Finding[] {
  const sea = seaGrids(ctx);
  const boxes = sea.map((g) => bboxOf(g.geometry));
  const index = bboxIndex(boxes);
  const findings: Finding[] = [];
  sea.forEach((a, i) => {
    for (const j of index.search(boxes[i])) {
      const b = sea[j];
      if (j <= i || a.subkind !== b.subkind) continue;
      const overlap = intersection(a.geometry, b.geometry);
      const area = overlap ? areaM2(overlap) : 0;
      if (!overlap || area <= ctx.ruleSet.topology.overlapToleranceM2) continue;
      findings.push(
        ctx.finding(
          'topology.maritime_overlap',
          { zh: `同类海上网格 ${gridLabel(a)} 与 ${gridLabel(b)} 重叠 ${m2(area)} 平方米`, en: `${a.subkind} sea grids ${gridLabel(a)} and ${gridLabel(b)} overlap by ${m2(area)} m²` },
          { codes: [a.ref, b.ref], geometry: overlap, pointer: `/features/${b.index}/geometry` },
        ),
      );
    }
  });
  return findings;
}
