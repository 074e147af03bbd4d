// POST /v1/suggest: a grid suggestion as a background job. Cheap checks (division, band, upload, stored
// households, permission) answer at once; the suggestion itself runs in a worker and is polled at /v1/jobs/{id}.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { DivisionCode, Problem } from '../schemas/resources.ts';
import { authorize } from '../http/auth.ts';
import { ProblemError, badRequest, invalidParameter, type ProblemLocation } from '../http/problem.ts';
import type { HouseholdPoint } from '../domain/suggest/types.ts';
import { JobRunner } from '../jobs/runner.ts';
import { prepareSuggestion, suggestionToPlan, type Barrier, type SuggestRequest } from '../jobs/suggest.ts';
import { SuggestWorker } from '../jobs/thread.ts';
import { JobAccepted } from './jobs.ts';
import type { RouteContext } from './context.ts';
import { JSON_OR_GEOJSON, acceptGeoJsonBodies } from '../http/geojson-media.ts';

export const MAX_UPLOAD_POINTS = 500_000;
const MAX_REPORTED_ERRORS = 20;

const LooseFeature = Type.Object(
  { type: Type.Literal('Feature'), properties: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()]), geometry: Type.Unknown() },
  { additionalProperties: true },
);
const LooseCollection = Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(LooseFeature) }, { additionalProperties: true });

export const SuggestBody = Type.Object({
  divisionCode: DivisionCode,
  band: Type.Optional(Type.Object({ min: Type.Number(), max: Type.Number(), ideal: Type.Number() }, { description: 'households per grid (default 300–500, ideal 400; micro 50–80)' })),
  level: Type.Optional(Type.Union([Type.Literal('grid'), Type.Literal('micro')], { default: 'grid' })),
  mode: Type.Optional(Type.Union([Type.Literal('fresh'), Type.Literal('adjust')], { default: 'fresh' })),
  seed: Type.Optional(Type.Integer({ default: 1 })),
  households: Type.Optional(
    Type.Union([Type.String({ description: "'stored' or CSV text lon,lat,households" }), LooseCollection], {
      description: "'stored' (default), a FeatureCollection of Points with a households property, or CSV text",
    }),
  ),
  barriers: Type.Optional(LooseCollection),
  output: Type.Optional(Type.Union([Type.Literal('features'), Type.Literal('plan')], { default: 'features' })),
});
type SuggestBody = Static<typeof SuggestBody>;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const inRange = (lon: number, lat: number) => lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90;

function uploadFailed(errors: ProblemLocation[], total: number): ProblemError {
  const more = total > errors.length ? ` (first ${errors.length} of ${total} shown)` : '';
  return badRequest(`the household upload is malformed${more}`, errors);
}

function householdsFromCollection(collection: Static<typeof LooseCollection>): HouseholdPoint[] {
  if (collection.features.length === 0) throw badRequest('the household upload holds no points', [{ pointer: '/households/features', message: 'empty' }]);
  const points: HouseholdPoint[] = [];
  const errors: ProblemLocation[] = [];
  let faults = 0;
  collection.features.forEach((feature, i) => {
    const geometry = feature.geometry as { type?: unknown; coordinates?: unknown } | null;
    const [lon, lat] = Array.isArray(geometry?.coordinates) ? (geometry.coordinates as unknown[]) : [];
    const households = feature.properties?.households;
    let fault: ProblemLocation | null = null;
    if (geometry?.type !== 'Point' || !finite(lon) || !finite(lat) || !inRange(lon, lat)) fault = { pointer: `/households/features/${i}/geometry`, message: 'must be a Point with [lon, lat] in range' };
    else if (!finite(households) || households < 0) fault = { pointer: `/households/features/${i}/properties/households`, message: 'must be a number ≥ 0' };
    if (fault) {
      faults++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(fault);
    } else points.push({ lon: lon as number, lat: lat as number, households: households as number });
  });
  if (faults > 0) throw uploadFailed(errors, faults);
  return points;
}

function householdsFromCsv(text: string): HouseholdPoint[] {
  const lines = text.split(/\r?\n/);
  const points: HouseholdPoint[] = [];
  const errors: ProblemLocation[] = [];
  let faults = 0;
  lines.forEach((line, i) => {
    if (line.trim() === '' || (i === 0 && /[a-z]/i.test(line))) return; // blank lines and a header row
    const fields = line.split(',').map((f) => Number(f.trim()));
    const [lon, lat, households] = fields;
    if (fields.length < 3 || !fields.slice(0, 3).every(Number.isFinite) || !inRange(lon, lat) || households < 0) {
      faults++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push({ pointer: '/households', message: `line ${i + 1}: expected lon,lat,households with households ≥ 0, got "${line.slice(0, 80)}"` });
    } else points.push({ lon, lat, households });
  });
  if (faults > 0) throw uploadFailed(errors, faults);
  if (points.length === 0) throw badRequest('the household upload holds no points', [{ pointer: '/households', message: 'empty' }]);
  return points;
}

function barriersFrom(collection: Static<typeof LooseCollection> | undefined): Barrier[] {
  if (!collection) return [];
  collection.features.forEach((feature, i) => {
    const type = (feature.geometry as { type?: unknown } | null)?.type;
    if (type !== 'LineString' && type !== 'MultiLineString') throw invalidParameter(`/barriers/features/${i}/geometry`, 'must be a LineString or MultiLineString');
  });
  return collection.features as unknown as Barrier[];
}

/** The body, checked and with the upload parsed: everything that can be refused without the store. */
export function suggestRequest(body: SuggestBody): SuggestRequest {
  const band = body.band;
  if (band && !(band.min > 0 && band.min <= band.ideal && band.ideal <= band.max)) {
    throw invalidParameter('/band', `must satisfy 0 < min ≤ ideal ≤ max, got min ${band.min}, ideal ${band.ideal}, max ${band.max}`);
  }
  const level = body.level ?? 'grid';
  const output = body.output ?? 'features';
  if (output === 'plan' && level !== 'grid') throw invalidParameter('/output', "a plan can be made from a grid suggestion only (level 'grid')");
  let households: SuggestRequest['households'] = 'stored';
  if (typeof body.households === 'string' && body.households !== 'stored') households = householdsFromCsv(body.households);
  else if (typeof body.households === 'object') households = householdsFromCollection(body.households);
  if (households !== 'stored' && households.length > MAX_UPLOAD_POINTS) throw invalidParameter('/households', `at most ${MAX_UPLOAD_POINTS} points`);
  return { divisionCode: body.divisionCode, band, level, mode: body.mode ?? 'fresh', seed: body.seed ?? 1, households, barriers: barriersFrom(body.barriers), output };
}

export const suggestRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  acceptGeoJsonBodies(app);
  const runner = new JobRunner(knex, app.log);
  await runner.recover();
  // One thread for all suggestions of this service, started by the first: later jobs skip its start-up.
  const worker = new SuggestWorker();
  app.addHook('onClose', async () => {
    await runner.close();
    await worker.close();
  });

  app.post(
    '/v1/suggest',
    {
      // Suggesting features stores nothing (demo mode answers the public); output "plan" is authorized in the handler.
      config: { readOnly: true },
      schema: {
        tags: ['suggest'],
        summary: 'Suggest grids for a village or township from household counts (a job; poll /v1/jobs/{id})',
        description:
          'A township is suggested village by village, so every grid lies in one village. output "plan" creates a draft plan for the township ' +
          '(the filed partition with the suggested villages replaced) and needs a planner key in scope.',
        consumes: JSON_OR_GEOJSON,
        body: SuggestBody,
        response: { 202: JobAccepted, 400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem },
      },
    },
    async (request, reply) => {
      const suggestion = suggestRequest(request.body);
      if (suggestion.output === 'plan') authorize(request, 'plan:edit', { divisionCode: suggestion.divisionCode });
      else authorize(request, 'registry:read', { divisionCode: suggestion.divisionCode }, config.mode === 'demo');
      const plan = await prepareSuggestion(knex, suggestion);
      const principal = request.principal;
      const recorded = {
        ...suggestion,
        households: suggestion.households === 'stored' ? 'stored' : { uploadedPoints: suggestion.households.length },
        barriers: suggestion.barriers.length,
        requestedBy: principal.id,
      };
      const job = await runner.submit('suggest', recorded, async (progress, signal) => {
        const outcome = await worker.run(plan, ({ phase, percent }) => progress(phase, percent), signal);
        if (suggestion.output === 'features') return outcome;
        progress('plan', 99);
        const note = `auto-suggested from household counts for ${plan.division.code} (seed ${suggestion.seed})`;
        return { report: outcome.report, planId: await suggestionToPlan(knex, principal, plan, outcome, note, config) };
      });
      const self = `/v1/jobs/${job.id}`;
      reply.code(202).header('location', self);
      return { jobId: job.id, status: job.status, links: { self } };
    },
  );
};
