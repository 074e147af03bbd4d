// Typed client for the Wangge API. Shapes come from the server's TypeBox schemas (type-only imports), never restated here.
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { Division, DivisionLevel, Grid, GridKind, Island, Problem, RuleReport } from '../../../server/schemas/resources.ts';

export type { Division, Finding, Grid, Island, RuleReport, Severity } from '../../../server/schemas/resources.ts';

export type GridFeature = Feature<Polygon | MultiPolygon, Grid> & { id: string };
export type GridCollection = FeatureCollection<Polygon | MultiPolygon, Grid> & { features: GridFeature[]; numberMatched: number };
export type DivisionFeature = Feature<Polygon | MultiPolygon | null, Division> & { id: string };
export type IslandCollection = FeatureCollection<Polygon | MultiPolygon, Island>;

/** A route another part of the product has not shipped yet answers 404; the editor says so instead of failing. */
export type Optional<T> = { available: true; value: T } | { available: false };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem>,
  ) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { accept: 'application/json', ...(init?.body ? { 'content-type': 'application/json' } : {}) } });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError(response.status, problem);
  }
  return (await response.json()) as T;
}

/** A 404 from the route itself (not from a missing resource named in the path) means the route is not there. */
async function optional<T>(path: string, init?: RequestInit): Promise<Optional<T>> {
  try {
    return { available: true, value: await request<T>(path, init) };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return { available: false };
    throw error;
  }
}

function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)]))}` : '';
}

export const api = {
  divisions: (filter: { level?: DivisionLevel; parent?: string } = {}) =>
    request<{ divisions: Division[] }>(`/v1/divisions${query(filter)}`).then((r) => r.divisions),
  division: (code: string) => request<DivisionFeature>(`/v1/divisions/${code}`),
  islands: () => request<IslandCollection>('/v1/islands'),
  grids: (filter: { division?: string; kind?: GridKind; bbox?: string; at?: string; limit?: number } = {}) =>
    request<GridCollection>(`/v1/grids${query({ limit: 10_000, ...filter })}`),
  grid: (code: string) => request<GridFeature>(`/v1/grids/${code}`),
  validate: (body: { divisionCode: string; ruleSet?: string; features: FeatureCollection }) =>
    optional<RuleReport>('/v1/validate', { method: 'POST', body: JSON.stringify(body) }),
};
