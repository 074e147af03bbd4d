// A small in-process job runner: one job at a time, off the request path, progress written to the jobs table
// at most every PROGRESS_INTERVAL_MS so a chatty computation does not flood the database.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { FastifyBaseLogger } from 'fastify';
import { failAbandonedJobs, insertJob, updateJob, type JobRecord } from '../db/repositories/jobs.ts';
import { SuggestError } from '../domain/suggest/types.ts';
import { ProblemError } from '../http/problem.ts';
import type { Problem } from '../schemas/resources.ts';
import { suggestProblem } from './suggest.ts';

export const PROGRESS_INTERVAL_MS = 250;
const ABANDONED_AFTER_MINUTES = 15;

export type JobProgress = (phase: string, percent: number) => void;
export type JobWork = (progress: JobProgress, signal: AbortSignal) => Promise<unknown>;

interface QueuedJob {
  id: string;
  work: JobWork;
}

export class JobRunner {
  private readonly queue: QueuedJob[] = [];
  private readonly stopping = new AbortController();
  private draining: Promise<void> | null = null;

  constructor(
    private readonly knex: Knex,
    private readonly log?: FastifyBaseLogger,
  ) {}

  /** Marks jobs that a stopped process left behind as failed. */
  async recover(): Promise<void> {
    const n = await failAbandonedJobs(this.knex, internalProblem('the service stopped before the job finished'), ABANDONED_AFTER_MINUTES);
    if (n > 0) this.log?.warn({ jobs: n }, 'marked abandoned jobs as failed');
  }

  async submit(kind: string, input: unknown, work: JobWork): Promise<JobRecord> {
    if (this.stopping.signal.aborted) throw new ProblemError(503, 'unavailable', 'Service unavailable', 'the service is stopping');
    const job = await insertJob(this.knex, { id: randomUUID(), kind, input });
    this.queue.push({ id: job.id, work });
    this.draining ??= this.drain().finally(() => (this.draining = null));
    return job;
  }

  /** Stops the running job and fails the queued ones: nothing is left looking alive. */
  async close(): Promise<void> {
    this.stopping.abort();
    await this.draining;
    for (const job of this.queue.splice(0)) {
      await updateJob(this.knex, job.id, { status: 'failed', error: internalProblem('the service stopped before the job ran') });
    }
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job && !this.stopping.signal.aborted; job = this.queue.shift()) await this.run(job);
  }

  private async run({ id, work }: QueuedJob): Promise<void> {
    let written = 0;
    let writes = Promise.resolve();
    const enqueueWrite = (change: Parameters<typeof updateJob>[2]) => {
      writes = writes.then(() => updateJob(this.knex, id, change)).catch((err) => this.log?.warn({ err, job: id }, 'job progress write failed'));
    };
    enqueueWrite({ status: 'running', phase: 'started', percent: 0 });
    const progress: JobProgress = (phase, percent) => {
      const now = Date.now();
      if (now - written < PROGRESS_INTERVAL_MS) return;
      written = now;
      enqueueWrite({ phase, percent });
    };
    try {
      const result = await work(progress, this.stopping.signal);
      await writes;
      await updateJob(this.knex, id, { status: 'succeeded', phase: 'done', percent: 100, result });
    } catch (error) {
      await writes;
      if (!(error instanceof ProblemError || error instanceof SuggestError)) this.log?.error({ err: error, job: id }, 'job failed');
      const problem = this.stopping.signal.aborted ? internalProblem('the service stopped while the job ran') : jobProblem(error, id);
      await updateJob(this.knex, id, { status: 'failed', error: problem }).catch((err) => this.log?.error({ err, job: id }, 'job failure write failed'));
    }
  }
}

function internalProblem(detail: string): Problem {
  return new ProblemError(500, 'internal', 'Internal server error', detail).toProblem();
}

/** What a failed job reports: the same problem+json a synchronous request would have answered. */
function jobProblem(error: unknown, id: string): Problem {
  const instance = `/v1/jobs/${id}`;
  if (error instanceof ProblemError) return error.toProblem(instance);
  if (error instanceof SuggestError) return suggestProblem(error).toProblem(instance);
  return internalProblem('the job could not complete; it has been logged');
}
