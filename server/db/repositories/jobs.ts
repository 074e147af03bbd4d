// Background jobs: long computations (grid suggestions) run off the request path; callers poll their progress.
import type { Knex } from 'knex';
import type { Problem } from '../../schemas/resources.ts';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface JobRecord {
  id: string;
  kind: string;
  status: JobStatus;
  phase: string | null;
  percent: number;
  input: unknown;
  result: unknown;
  error: Problem | null;
  createdAt: string;
  updatedAt: string;
}

const toJob = (r: Record<string, any>): JobRecord => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  phase: r.phase,
  percent: Number(r.percent),
  input: r.input,
  result: r.result,
  error: r.error,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

export async function insertJob(knex: Knex, job: { id: string; kind: string; input: unknown }): Promise<JobRecord> {
  const [row] = await knex('jobs').insert({ id: job.id, kind: job.kind, input: JSON.stringify(job.input) }).returning('*');
  return toJob(row);
}

export async function findJob(knex: Knex, id: string): Promise<JobRecord | null> {
  const row = await knex('jobs').where({ id }).first();
  return row ? toJob(row) : null;
}

export async function updateJob(
  knex: Knex,
  id: string,
  change: { status?: JobStatus; phase?: string | null; percent?: number; result?: unknown; error?: Problem },
): Promise<void> {
  const row: Record<string, unknown> = { updated_at: knex.fn.now() };
  if (change.status !== undefined) row.status = change.status;
  if (change.phase !== undefined) row.phase = change.phase;
  if (change.percent !== undefined) row.percent = change.percent;
  if (change.result !== undefined) row.result = JSON.stringify(change.result);
  if (change.error !== undefined) row.error = JSON.stringify(change.error);
  await knex('jobs').where({ id }).update(row);
}

/**
 * Jobs left queued or running by a process that stopped: nobody will finish them. A running job writes progress
 * several times a second, so one silent for `silentMinutes` is abandoned, not slow (and may belong to another replica).
 */
export async function failAbandonedJobs(knex: Knex, error: Problem, silentMinutes: number): Promise<number> {
  return knex('jobs')
    .whereIn('status', ['queued', 'running'])
    .where('updated_at', '<', knex.raw(`now() - make_interval(mins => ?)`, [silentMinutes]))
    .update({ status: 'failed', error: JSON.stringify(error), updated_at: knex.fn.now() });
}
