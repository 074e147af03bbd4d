// Runs CPU-heavy work in a worker thread, so that a half-minute suggestion or the parsing of a large import leaves
// the server answering requests. A thread is started on its first task and kept for the next ones: starting it (its
// TypeScript loader under tsx, turf, h3) costs seconds, a task often a fraction of that.
import { Worker, parentPort } from 'node:worker_threads';
import { SuggestError } from '../domain/suggest/types.ts';
import type { SuggestionPlan, SuggestOutcome, SuggestProgress } from './suggest.ts';
import { workerBootstrap } from './workerBootstrap.ts';

/** What the parent posts: one task, numbered so that replies name the task they belong to. */
export interface ThreadTask<Task> {
  task: number;
  input: Task;
}

/** A failed task as it crosses the thread boundary: an error's name and message, and a domain error's type and status. */
export interface TaskFailure {
  message: string;
  type?: string;
  status?: number;
  parameter?: string;
}

export type ThreadMessage<Result, Progress> = { task: number } & (
  | { kind: 'progress'; progress: Progress }
  | { kind: 'done'; result: Result }
  | { kind: 'failed'; failure: TaskFailure }
);

export class WorkerStopped extends Error {}

interface Running<Result, Progress> {
  task: number;
  worker: Worker;
  onProgress: (progress: Progress) => void;
  settle: (outcome: { ok: true; value: Result } | { ok: false; error: Error }) => void;
}

/**
 * One long-lived thread running the module `entry` (which calls `serveTasks`), one task at a time (later calls wait
 * their turn). A task may be synchronous work, so cancelling one (the signal aborts, or `close`) ends the thread;
 * the next task starts a new one. So does a thread that died. While idle the thread does not keep the process
 * alive. `revive` turns a failure back into the error the caller expects (a domain error keeps its type).
 */
export class TaskThread<Task, Result, Progress = never> {
  private worker: Worker | null = null;
  private running: Running<Result, Progress> | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private tasks = 0;
  private closed = false;

  constructor(
    private readonly entry: URL,
    private readonly revive: (failure: TaskFailure) => Error,
    /** what the work is, for the messages of a cancelled task */
    private readonly what: string,
  ) {}

  /** The thread id of the live thread, null before the first task or after one was cancelled. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  run(input: Task, onProgress: (progress: Progress) => void = () => undefined, signal?: AbortSignal): Promise<Result> {
    const result = this.turn.then(() => this.start(input, onProgress, signal));
    this.turn = result.catch(() => undefined);
    return result;
  }

  /** Cancels the running task (it fails with WorkerStopped) and ends the thread. */
  async close(): Promise<void> {
    this.closed = true;
    this.running?.settle({ ok: false, error: new WorkerStopped(`the service stopped while the ${this.what} ran`) });
    await this.stopThread();
  }

  private start(input: Task, onProgress: (progress: Progress) => void, signal?: AbortSignal): Promise<Result> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new WorkerStopped(`the ${this.what} worker is closed`));
      if (signal?.aborted) return reject(new WorkerStopped(`the service stopped before the ${this.what} ran`));
      const stop = () => {
        running.settle({ ok: false, error: new WorkerStopped(`the service stopped while the ${this.what} ran`) });
        void this.stopThread();
      };
      const worker = this.thread();
      const running: Running<Result, Progress> = {
        task: ++this.tasks,
        worker,
        onProgress,
        settle: (outcome) => {
          if (this.running !== running) return;
          this.running = null;
          signal?.removeEventListener('abort', stop);
          worker.unref();
          if (outcome.ok) resolve(outcome.value);
          else reject(outcome.error);
        },
      };
      this.running = running;
      signal?.addEventListener('abort', stop);
      worker.ref();
      worker.postMessage({ task: running.task, input } satisfies ThreadTask<Task>);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(workerBootstrap(this.entry), { eval: true });
    worker.unref();
    const died = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      if (this.running?.worker === worker) this.running.settle({ ok: false, error });
    };
    worker.on('message', (message: ThreadMessage<Result, Progress>) => {
      const running = this.running;
      if (!running || running.worker !== worker || running.task !== message.task) return;
      if (message.kind === 'progress') running.onProgress(message.progress);
      else if (message.kind === 'done') running.settle({ ok: true, value: message.result });
      else running.settle({ ok: false, error: this.revive(message.failure) });
    });
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`${this.what} worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private async stopThread(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}

/**
 * The worker side: computes each task the parent posts, posting progress and the result (or the failure) back under
 * the task's number. An error with a string `type` keeps it, and its `status` and `parameter`; any other keeps its stack.
 */
export function serveTasks<Task, Result, Progress = never>(compute: (input: Task, progress: (progress: Progress) => void) => Result | Promise<Result>): void {
  const port = parentPort!;
  const post = (message: ThreadMessage<Result, Progress>) => port.postMessage(message);
  port.on('message', async ({ task, input }: ThreadTask<Task>) => {
    try {
      post({ task, kind: 'done', result: await compute(input, (progress) => post({ task, kind: 'progress', progress })) });
    } catch (error) {
      post({ task, kind: 'failed', failure: failureOf(error) });
    }
  });
}

function failureOf(error: unknown): TaskFailure {
  if (!(error instanceof Error)) return { message: String(error) };
  const { type, status, parameter } = error as Error & Partial<Record<'type' | 'parameter', unknown>> & { status?: unknown };
  if (typeof type !== 'string') return { message: error.stack ?? error.message };
  return { message: error.message, type, ...(typeof status === 'number' ? { status } : {}), ...(typeof parameter === 'string' ? { parameter } : {}) };
}

export type SuggestionTask = Pick<SuggestionPlan, 'villages' | 'skipped' | 'sharedPoints'>;

/**
 * The suggestion thread (suggestWorker.ts); a SuggestError keeps its type across the boundary.
 * @example
 * const worker = new SuggestWorker();
 * const outcome = await worker.run(plan, ({ phase, percent }) => log(phase, percent), signal);
 * await worker.close();
 */
export class SuggestWorker extends TaskThread<SuggestionTask, SuggestOutcome, Parameters<SuggestProgress>[0]> {
  constructor() {
    const revive = ({ type, message }: TaskFailure) => (type ? new SuggestError(type as SuggestError['type'], message) : new Error(message));
    super(new URL('./suggestWorker.ts', import.meta.url), revive, 'suggestion');
  }
}
