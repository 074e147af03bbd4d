import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static } from 'typebox';
import { LineString } from '../schemas/geojson.ts';
import { CreatePlan, FilingOutcome, Plan, PlanGridFeature, PlanGridInput, PlanStatus } from '../schemas/plans.ts';
import { DivisionCode, Problem } from '../schemas/resources.ts';
import { Id } from '../schemas/common.ts';
import { allowedTransitions, PLAN_TRANSITIONS, type PlanStatus as Status } from '../domain/plans/status.ts';
import { may } from '../domain/access/roles.ts';
import { divisionPrefix } from '../domain/divisions/codes.ts';
import {
  deletePlanGrids,
  insertPlanGrids,
  listPlans,
  planDiff,
  planGrids,
  replacePlanGrid,
  type PlanGridInput as PlanGridRecord,
  type PlanRecord,
} from '../db/repositories/plans.ts';
import { checkProposedGrid, createPlan, editPlan, mergePlanGrids, planEtag, splitPlanGrid, transitionPlan, visiblePlan } from '../workflow/plans.ts';
import { ProblemError, notFound } from '../http/problem.ts';
import type { RouteContext } from './context.ts';

const PlanParams = Type.Object({ id: Id });
const GridParams = Type.Object({ id: Id, gridId: Id });
const IfMatch = Type.Object({ 'if-match': Type.Optional(Type.String({ description: 'ETag of the plan from the last read' })) });
const Errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem, 428: Problem };

const view = (plan: PlanRecord) => ({ ...plan, allowedTransitions: allowedTransitions(plan.status) });

/** Answers an edit with the plan as it is now and the ETag of its new version. */
function edited(reply: FastifyReply, plan: PlanRecord) {
  reply.header('etag', planEtag(plan));
  return view(plan);
}

// An empty code or parentCode means absent, as null does.
function toRecord(feature: Static<typeof PlanGridInput>): PlanGridRecord {
  const p = feature.properties;
  return {
    code: p.code || null,
    name: p.name,
    kind: p.kind,
    subkind: p.subkind ?? null,
    divisionCode: p.divisionCode,
    parentCode: p.parentCode || null,
    households: p.households ?? null,
    population: p.population ?? null,
    managingUnits: p.managingUnits ?? [],
    staff: p.staff ?? [],
    geometry: feature.geometry as PlanGridRecord['geometry'],
  };
}

export const planRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex, config }) => {
  const tags = ['plans'];

  app.post('/v1/plans', { schema: { tags, summary: 'Create a partition plan (划分方案) for a township', body: CreatePlan, response: { 201: Plan, ...Errors } } }, async (request, reply) => {
    const plan = await createPlan(knex, request.principal, request.body);
    reply.code(201).header('etag', planEtag(plan)).header('location', `/v1/plans/${plan.id}`);
    return view(plan);
  });

  app.get(
    '/v1/plans',
    {
      schema: {
        tags,
        summary: 'Plans visible to the caller',
        querystring: Type.Object({ township: Type.Optional(DivisionCode), status: Type.Optional(PlanStatus) }),
        response: { 200: Type.Object({ plans: Type.Array(Plan) }), ...Errors },
      },
    },
    async (request) => {
      const principal = request.principal;
      if (!may(principal, 'plan:read', {})) throw new ProblemError(principal.role === 'public' ? 401 : 403, 'forbidden', 'Forbidden', 'plans are visible to planners, reviewers, registrars and maritime authorities');
      const township = request.query.township;
      if (township && !township.startsWith(principal.scopePrefix) && !principal.scopePrefix.startsWith(township.slice(0, 9))) {
        throw new ProblemError(403, 'forbidden', 'Forbidden', `${township} is outside your scope ${principal.scopePrefix}`);
      }
      const prefix = township ? divisionPrefix(township, 'township') : principal.scopePrefix;
      const plans = await listPlans(knex, { prefix: prefix.length >= principal.scopePrefix.length ? prefix : principal.scopePrefix, status: request.query.status as Status | undefined });
      return { plans: plans.map(view) };
    },
  );

  app.get('/v1/plans/:id', { schema: { tags, summary: 'One plan with its current rule report', params: PlanParams, response: { 200: Plan, ...Errors } } }, async (request, reply) => {
    const plan = await visiblePlan(knex, request.principal, request.params.id);
    reply.header('etag', planEtag(plan));
    return view(plan);
  });

  app.get(
    '/v1/plans/:id/grids',
    {
      schema: {
        tags,
        summary: 'The proposed grids of a plan',
        params: PlanParams,
        response: { 200: Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(PlanGridFeature) }), ...Errors },
      },
    },
    async (request, reply) => {
      const plan = await visiblePlan(knex, request.principal, request.params.id);
      reply.header('etag', planEtag(plan));
      return { type: 'FeatureCollection' as const, features: await planGrids(knex, plan.id) };
    },
  );

  app.post(
    '/v1/plans/:id/grids',
    { schema: { tags, summary: 'Add a grid or micro-grid to a draft', params: PlanParams, headers: IfMatch, body: PlanGridInput, response: { 201: Plan, ...Errors } } },
    async (request, reply) => {
      const plan = await editPlan(knex, request.principal, request.params.id, request.headers['if-match'], 'grid.add', async (trx, current) => {
        checkDivision(current, request.body.properties.divisionCode, '/properties/divisionCode');
        checkKind(current, request.body.properties.kind);
        const grid = toRecord(request.body);
        await checkProposedGrid(trx, current, grid, config);
        return { added: await insertPlanGrids(trx, current.id, [grid]) };
      }, config);
      return edited(reply.code(201), plan);
    },
  );

  app.put(
    '/v1/plans/:id/grids/:gridId',
    { schema: { tags, summary: 'Reshape or edit a grid of a draft', params: GridParams, headers: IfMatch, body: PlanGridInput, response: { 200: Plan, ...Errors } } },
    async (request, reply) => {
      const plan = await editPlan(knex, request.principal, request.params.id, request.headers['if-match'], 'grid.update', async (trx, current) => {
        checkDivision(current, request.body.properties.divisionCode, '/properties/divisionCode');
        checkKind(current, request.body.properties.kind);
        const grid = toRecord(request.body);
        await checkProposedGrid(trx, current, grid, config);
        if (!(await replacePlanGrid(trx, current.id, request.params.gridId, grid))) throw notFound('plan grid', request.params.gridId);
        return { updated: request.params.gridId };
      }, config);
      return edited(reply, plan);
    },
  );

  app.delete(
    '/v1/plans/:id/grids/:gridId',
    { schema: { tags, summary: 'Delete a grid of a draft', params: GridParams, headers: IfMatch, response: { 200: Plan, ...Errors } } },
    async (request, reply) => {
      const plan = await editPlan(knex, request.principal, request.params.id, request.headers['if-match'], 'grid.delete', async (trx, current) => {
        if (!(await deletePlanGrids(trx, current.id, [request.params.gridId]))) throw notFound('plan grid', request.params.gridId);
        return { deleted: request.params.gridId };
      }, config);
      return edited(reply, plan);
    },
  );

  app.post(
    '/v1/plans/:id/split',
    {
      schema: {
        tags,
        summary: 'Split a grid of a draft by a line',
        params: PlanParams,
        headers: IfMatch,
        body: Type.Object({ gridId: Id, line: LineString, names: Type.Optional(Type.Array(Type.String())) }),
        response: { 200: Plan, ...Errors },
      },
    },
    async (request, reply) => {
      const { gridId, line, names } = request.body;
      return edited(reply, await editPlan(knex, request.principal, request.params.id, request.headers['if-match'], 'grid.split', (trx, current) => splitPlanGrid(trx, current, gridId, line, names), config));
    },
  );

  app.post(
    '/v1/plans/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge grids of a draft into one',
        params: PlanParams,
        headers: IfMatch,
        body: Type.Object({ gridIds: Type.Array(Id, { minItems: 2 }), name: Type.Optional(Type.String()) }),
        response: { 200: Plan, ...Errors },
      },
    },
    async (request, reply) => {
      const { gridIds, name } = request.body;
      return edited(reply, await editPlan(knex, request.principal, request.params.id, request.headers['if-match'], 'grid.merge', (trx, current) => mergePlanGrids(trx, current, gridIds, name), config));
    },
  );

  for (const transition of PLAN_TRANSITIONS) {
    app.post(
      `/v1/plans/:id/${transition}`,
      {
        schema: {
          tags,
          summary: `${transition} the plan`,
          params: PlanParams,
          headers: IfMatch,
          body: Type.Optional(
            Type.Object({
              justifications: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'per warning rule id: why it is acceptable' })),
              comment: Type.Optional(Type.String()),
              comments: Type.Optional(Type.Array(Type.Object({ grid: Type.Optional(Type.String()), text: Type.String() }))),
            }),
          ),
          response: { 200: Type.Object({ plan: Plan, filing: Type.Optional(FilingOutcome) }), ...Errors },
        },
      },
      async (request, reply) => {
        const { plan, filing } = await transitionPlan(knex, request.principal, request.params.id, request.headers['if-match'], transition, request.body ?? {}, config);
        reply.header('etag', planEtag(plan));
        return { plan: view(plan), ...(filing ? { filing } : {}) };
      },
    );
  }

  app.get(
    '/v1/plans/:id/diff',
    {
      schema: {
        tags,
        summary: 'The plan against the filed partition: added, retired, reshaped grids (JSON, or GeoJSON with f=geojson)',
        params: PlanParams,
        querystring: Type.Object({ f: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('geojson')])) }),
      },
    },
    async (request) => {
      const plan = await visiblePlan(knex, request.principal, request.params.id);
      const entries = await planDiff(knex, plan.id, divisionPrefix(plan.townshipCode, 'township'));
      if (request.query.f === 'geojson') {
        return {
          type: 'FeatureCollection',
          features: entries.map(({ geometry, ...properties }) => ({ type: 'Feature', properties, geometry })),
        };
      }
      const count = (change: string) => entries.filter((e) => e.change === change).length;
      return {
        planId: plan.id,
        townshipCode: plan.townshipCode,
        summary: { added: count('added'), retired: count('retired'), reshaped: count('reshaped'), unchanged: count('unchanged') },
        grids: entries.map(({ geometry: _g, ...rest }) => rest),
      };
    },
  );
};

/** A sea plan holds sea grids only, a land plan none: filing replaces exactly the grids of the plan's scope. */
function checkKind(plan: PlanRecord, kind: string): void {
  if ((kind === 'maritime') === (plan.scope === 'maritime')) return;
  const expected = plan.scope === 'maritime' ? 'maritime' : 'comprehensive or special';
  throw new ProblemError(400, 'wrong-scope', 'Grid kind does not fit the plan', `a ${plan.scope} plan holds ${expected} grids, not ${kind}`, [
    { pointer: '/properties/kind', message: `expected ${expected}` },
  ]);
}

function checkDivision(plan: PlanRecord, divisionCode: string, pointer: string): void {
  if (!divisionCode.startsWith(divisionPrefix(plan.townshipCode, 'township'))) {
    throw new ProblemError(400, 'outside-township', 'Grid outside the plan\'s township', `${divisionCode} is not in township ${plan.townshipCode}`, [{ pointer, message: 'not in the township' }]);
  }
}
