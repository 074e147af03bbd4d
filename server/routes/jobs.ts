// GET /v1/jobs/{id}: progress and outcome of a background job (grid suggestions).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Problem } from '../schemas/resources.ts';
import { findJob } from '../db/repositories/jobs.ts';
import { notFound } from '../http/problem.ts';
import type { RouteContext } from './context.ts';

export const JobStatus = Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed')]);

export const JobAccepted = Type.Object({
  jobId: Type.String(),
  status: JobStatus,
  links: Type.Object({ self: Type.String() }),
});

export const Job = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: JobStatus,
  phase: Type.Union([Type.String(), Type.Null()]),
  percent: Type.Number({ minimum: 0, maximum: 100 }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  result: Type.Optional(Type.Unknown({ description: 'suggest: { report, features } or { report, planId }' })),
  error: Type.Optional(Problem),
});

const JOB_ID = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

export const jobRoutes: FastifyPluginAsyncTypebox<RouteContext> = async (app, { knex }) => {
  app.get(
    '/v1/jobs/:id',
    {
      schema: {
        tags: ['suggest'],
        summary: 'A background job: status, phase, percent, and its result or problem',
        params: Type.Object({ id: Type.String({ pattern: JOB_ID }) }),
        response: { 200: Job, 400: Problem, 404: Problem },
      },
    },
    async (request) => {
      // Job ids are random UUIDs handed only to the caller who started the job; knowing one is the permission to read it.
      const job = await findJob(knex, request.params.id);
      if (!job) throw notFound('job', request.params.id);
      return {
        id: job.id,
        kind: job.kind,
        status: job.status,
        phase: job.phase,
        percent: job.percent,
        createdAt: job.createdAt,
        updatedAt: job.updatedAt,
        ...(job.result !== null ? { result: job.result } : {}),
        ...(job.error !== null ? { error: job.error } : {}),
      };
    },
  );
};
