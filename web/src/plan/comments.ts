// Review comments (审核意见) as the plan panel and the map show them: the newest review first, each comment on its grid
// when it names one. A comment names a plan grid by its id; that grid may since have been split, merged or deleted.
import { pointOnFeature } from '@turf/turf';
import type { FeatureCollection, Point } from 'geojson';
import type { PlanGrid, PlanView } from '../api/client.ts';

export type PlanComment = PlanView['comments'][number];

export interface CommentRow {
  /** 1-based, the number of its marker on the map. */
  number: number;
  at: string;
  by: string;
  text: string;
  /** The plan grid it is about; null for a comment on the whole plan. */
  gridId: string | null;
  /** That grid's name while it is in the plan; null when it is gone (or the comment names none). */
  gridName: string | null;
  /** Made in the latest review, the one the planner is answering; only these are marked on the map. */
  latest: boolean;
}

/**
 * @example commentRows([{ at: '2026-11-23T08:00:00Z', by: '审核员', text: '户数偏少', grid: '7' }], grids)[0].gridName // '东港社区第1网格'
 */
export function commentRows(comments: PlanComment[], grids: PlanGrid[]): CommentRow[] {
  const names = new Map(grids.map((g) => [g.id, g.properties.name]));
  const latestAt = comments.reduce<string | null>((latest, c) => (latest === null || Date.parse(c.at) > Date.parse(latest) ? c.at : latest), null);
  return comments
    .map((c, i) => ({ c, i }))
    .sort((a, b) => Date.parse(b.c.at) - Date.parse(a.c.at) || a.i - b.i)
    .map(({ c }, i) => ({
      number: i + 1,
      at: c.at,
      by: c.by,
      text: c.text,
      gridId: c.grid ?? null,
      gridName: c.grid ? (names.get(c.grid) ?? null) : null,
      latest: c.at === latestAt,
    }));
}

/** The ids of the grids the latest review commented on and that are still in the plan. */
export function commentedGridIds(rows: CommentRow[]): Set<string> {
  return new Set(rows.flatMap((r) => (r.latest && r.gridId && r.gridName !== null ? [r.gridId] : [])));
}

/** One numbered marker inside each commented grid of the latest review; several comments on a grid share one. */
export function commentMarkers(rows: CommentRow[], grids: PlanGrid[]): FeatureCollection<Point, { number: string; gridId: string }> {
  const byGrid = new Map<string, number[]>();
  for (const r of rows) if (r.latest && r.gridId && r.gridName !== null) byGrid.set(r.gridId, [...(byGrid.get(r.gridId) ?? []), r.number]);
  return {
    type: 'FeatureCollection',
    features: [...byGrid].map(([gridId, numbers]) => {
      const grid = grids.find((g) => g.id === gridId)!;
      return { type: 'Feature', geometry: pointOnFeature(grid).geometry, properties: { number: numbers.join(','), gridId } };
    }),
  };
}

/** What a return sends: the comment on the whole plan, if any, then one per grid with text; blank ones are left out. */
export function returnComments(general: string, byGrid: Map<string, string>): { grid?: string; text: string }[] {
  return [
    ...(general.trim() ? [{ text: general.trim() }] : []),
    ...[...byGrid].flatMap(([grid, text]) => (text.trim() ? [{ grid, text: text.trim() }] : [])),
  ];
}
