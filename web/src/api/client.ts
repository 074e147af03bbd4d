// Typed client for the Wangge API. Shapes come from the server's TypeBox schemas (type-only imports), never restated here.
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import type { Static } from 'typebox';
import type { FilingOutcome, Plan, PlanGridFeature, PlanGridInput } from '../../../server/schemas/plans.ts';
import type { Division, DivisionLevel, Grid, GridKind, Island, Problem, RuleReport } from '../../../server/schemas/resources.ts';
import type { Alert, Vessel } from '../../../server/schemas/maritime.ts';
import type { PlanTransition, PlanTrigger } from '../../../server/domain/plans/status.ts';
import type { SuggestOutcome } from '../../../server/jobs/suggest.ts';
import { apiKey } from './auth.ts';

export type { PlanTransition };
export type { Division, Finding, Grid, Island, RuleReport, Severity } from '../../../server/schemas/resources.ts';
export type { Vessel };
export type VesselAlert = Static<typeof Alert>;
export interface AlertList {
  at: string;
  alerts: VesselAlert[];
}

export type GridFeature = Feature<Polygon | MultiPolygon, Grid> & { id: string };
export type GridCollection = FeatureCollection<Polygon | MultiPolygon, Grid> & { features: GridFeature[]; numberMatched: number };
export type DivisionFeature = Feature<Polygon | MultiPolygon | null, Division> & { id: string };
/** OGC items of one division level: every division of that level with its boundary, in one request. */
export type DivisionCollection = FeatureCollection<Polygon | MultiPolygon, Division>;
/** OGC household-density items: households summed over square cells, never single records. */
export type DensityCellCollection = FeatureCollection<Polygon, { households: number; cellSizeDegrees: number }>;
export type IslandCollection = FeatureCollection<Polygon | MultiPolygon, Island>;
export type PlanView = Static<typeof Plan>;
/** The receipt of a filing: its number, hashes, code outcome and the chain head it made. */
export type FilingReceipt = Static<typeof FilingOutcome>;
export type PlanGrid = Omit<Static<typeof PlanGridFeature>, 'geometry'> & { geometry: Polygon | MultiPolygon };
export type PlanGridBody = Static<typeof PlanGridInput>;
/** A plan as last read, with the ETag every write must send back as If-Match. */
export type Versioned<T> = { value: T; etag: string };
export type DiffChange = 'added' | 'retired' | 'reshaped' | 'unchanged';
/** GET /v1/grids/{code}/history; the route declares this shape inline (server/routes/filings.ts), so it is restated here. */
export interface GridHistory {
  code: string;
  status: string;
  versions: { version: number; name: string; households: number; validFrom: string; validTo: string | null; filingNumber: string | null; areaM2: number }[];
  lineage: { from: string; to: string; relation: string; filingNumber: string | null; onDate: string }[];
}
export type { SuggestOutcome };
export type HouseholdBandInput = { min: number; max: number; ideal: number };
export interface SuggestJob {
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  phase: string | null;
  percent: number;
  result?: SuggestOutcome;
  error?: Partial<Problem>;
}
export type DiffCollection = FeatureCollection<Polygon | MultiPolygon, { code: string | null; name: string; change: DiffChange }>;

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

async function send<T>(path: string, init?: RequestInit & { ifMatch?: string }): Promise<Versioned<T>> {
  const key = apiKey();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init?.body) headers['content-type'] = 'application/json';
  if (key) headers.authorization = `Bearer ${key}`;
  if (init?.ifMatch) headers['if-match'] = init.ifMatch;
  // Plans change under the reader; a cached copy would carry a stale ETag.
  const response = await fetch(path, { cache: 'no-store', ...init, headers });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Partial<Problem>;
    throw new ApiError(response.status, problem);
  }
  return { value: (await response.json()) as T, etag: response.headers.get('etag') ?? '' };
}

const request = <T>(path: string, init?: RequestInit) => send<T>(path, init).then((r) => r.value);
const write = (path: string, etag: string, body: unknown) => send<PlanView>(path, { method: 'POST', body: JSON.stringify(body), ifMatch: etag });

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

/** The printable public notice (公示) of a grid, for a link the browser opens itself. */
export const gridNoticeUrl = (code: string): string => `/v1/grids/${code}/notice?f=html`;

export const api = {
  divisions: (filter: { level?: DivisionLevel; parent?: string } = {}) =>
    request<{ divisions: Division[] }>(`/v1/divisions${query(filter)}`).then((r) => r.divisions),
  division: (code: string) => request<DivisionFeature>(`/v1/divisions/${code}`),
  divisionsWithBoundaries: (level: Exclude<DivisionLevel, 'city'>) => request<DivisionCollection>(`/ogc/collections/divisions-${level}/items?limit=10000`),
  householdDensity: () => request<DensityCellCollection>('/ogc/collections/household-density/items?limit=10000'),
  vessels: () => request<{ vessels: Vessel[] }>('/v1/vessels?limit=10000').then((r) => r.vessels),
  /** Joins a vessel to a formation from today (Zhoushan's day); its membership of another formation ends. */
  joinFormation: (vesselId: string, formationCode: string) =>
    request<Vessel>(`/v1/vessels/${vesselId}/formation`, { method: 'POST', body: JSON.stringify({ formationCode }) }),
  alerts: (at?: string) => request<AlertList>(`/v1/alerts${query({ at })}`),
  islands: () => request<IslandCollection>('/v1/islands'),
  grids: (filter: { division?: string; kind?: GridKind; bbox?: string; at?: string; limit?: number } = {}) =>
    request<GridCollection>(`/v1/grids${query({ limit: 10_000, ...filter })}`),
  grid: (code: string) => request<GridFeature>(`/v1/grids/${code}`),
  gridHistory: (code: string) => request<GridHistory>(`/v1/grids/${code}/history`),
  validate: (body: { divisionCode: string; ruleSet?: string; scope?: 'land' | 'maritime'; features: FeatureCollection }) =>
    optional<RuleReport>('/v1/validate', { method: 'POST', body: JSON.stringify(body) }),
  createPlan: (body: { townshipCode: string; scope?: PlanView['scope']; trigger: PlanTrigger; triggerNote?: string; description?: string; start: 'empty' | 'filed' }) =>
    send<PlanView>('/v1/plans', { method: 'POST', body: JSON.stringify(body) }),
  plans: (township?: string) => request<{ plans: PlanView[] }>(`/v1/plans${query({ township })}`).then((r) => r.plans),
  plan: (id: string) => send<PlanView>(`/v1/plans/${id}`),
  planGrids: (id: string) => request<{ features: PlanGrid[] }>(`/v1/plans/${id}/grids`).then((r) => r.features),
  addPlanGrid: (id: string, etag: string, grid: PlanGridBody) => write(`/v1/plans/${id}/grids`, etag, grid),
  replacePlanGrid: (id: string, etag: string, gridId: string, grid: PlanGridBody) => send<PlanView>(`/v1/plans/${id}/grids/${gridId}`, { method: 'PUT', body: JSON.stringify(grid), ifMatch: etag }),
  splitPlanGrid: (id: string, etag: string, gridId: string, line: LineString) => write(`/v1/plans/${id}/split`, etag, { gridId, line }),
  deletePlanGrid: (id: string, etag: string, gridId: string) => send<PlanView>(`/v1/plans/${id}/grids/${gridId}`, { method: 'DELETE', ifMatch: etag }),
  mergePlanGrids: (id: string, etag: string, gridIds: string[]) => write(`/v1/plans/${id}/merge`, etag, { gridIds }),
  transition: (id: string, etag: string, transition: PlanTransition, body: { justifications?: Record<string, string>; comments?: { grid?: string; text: string }[] }) =>
    write(`/v1/plans/${id}/${transition}`, etag, body).then((r) => {
      const { plan, filing } = r.value as unknown as { plan: PlanView; filing?: FilingReceipt };
      return { value: plan, etag: r.etag, filing };
    }),
  suggest: (body: { divisionCode: string; band: HouseholdBandInput }) =>
    request<{ jobId: string }>('/v1/suggest', { method: 'POST', body: JSON.stringify(body) }).then((r) => r.jobId),
  job: (id: string) => request<SuggestJob>(`/v1/jobs/${id}`),
  planDiff: (id: string) => request<DiffCollection>(`/v1/plans/${id}/diff?f=geojson`),
};
