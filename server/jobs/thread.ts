// Runs computeSuggestion in a worker thread, so a half-minute suggestion leaves the server answering requests.
// The thread is started on the first suggestion and kept for the next ones: starting it (the TypeScript loader under tsx,
// turf, h3) costs seconds, a suggestion of one village a fraction of that.
import { Worker } from 'node:worker_threads';
import { SuggestError, type SuggestPhase } from '../domain/suggest/types.ts';
import type { SuggestionPlan, SuggestOutcome, SuggestProgress } from './suggest.ts';
import { workerBootstrap } from './workerBootstrap.ts';

export type SuggestionTask = Pick<SuggestionPlan, 'villages' | 'skipped' | 'sharedPoints'>;

/** What the parent posts: one suggestion to compute, numbered so that replies name the task they belong to. */
export interface WorkerTask {
  task: number;
  plan: SuggestionTask;
}

export type WorkerMessage = { task: number } & (
  | { kind: 'progress'; phase: SuggestPhase; percent: number }
  | { kind: 'done'; outcome: SuggestOutcome }
  | { kind: 'failed'; suggestType: SuggestError['type'] | null; message: string }
);

const BOOTSTRAP = workerBootstrap(new URL('./suggestWorker.ts', import.meta.url));

export class WorkerStopped extends Error {}

interface Running {
  task: number;
  worker: Worker;
  onProgress: SuggestProgress;
  settle: (outcome: { ok: true; value: SuggestOutcome } | { ok: false; error: Error }) => void;
}

/**
 * One long-lived suggestion thread, one suggestion at a time (later calls wait their turn). A suggestion
 * is synchronous work, so cancelling one (the signal aborts, or `close`) ends the thread; the next
 * suggestion starts a new one. So does a thread that died. While idle the thread does not keep the
 * process alive.
 *
 * @example
 * const worker = new SuggestWorker();
 * const outcome = await worker.run(plan, ({ phase, percent }) => log(phase, percent), signal);
 * await worker.close();
 */
export class SuggestWorker {
  private worker: Worker | null = null;
  private running: Running | null = null;
  private turn: Promise<unknown> = Promise.resolve();
  private tasks = 0;
  private closed = false;

  /** The thread id of the live thread, null before the first suggestion or after one was cancelled. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  run(plan: SuggestionTask, onProgress: SuggestProgress, signal?: AbortSignal): Promise<SuggestOutcome> {
    const result = this.turn.then(() => this.start(plan, onProgress, signal));
    this.turn = result.catch(() => undefined);
    return result;
  }

  /** Cancels the running suggestion (it fails with WorkerStopped) and ends the thread. */
  async close(): Promise<void> {
    this.closed = true;
    this.running?.settle({ ok: false, error: new WorkerStopped('the service stopped while the suggestion ran') });
    await this.stopThread();
  }

  private start(plan: SuggestionTask, onProgress: SuggestProgress, signal?: AbortSignal): Promise<SuggestOutcome> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new WorkerStopped('the suggestion worker is closed'));
      if (signal?.aborted) return reject(new WorkerStopped('the service stopped before the suggestion ran'));
      const stop = () => {
        running.settle({ ok: false, error: new WorkerStopped('the service stopped while the suggestion ran') });
        void this.stopThread();
      };
      const worker = this.thread();
      const running: Running = {
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
      worker.postMessage({ task: running.task, plan } satisfies WorkerTask);
    });
  }

  private thread(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(BOOTSTRAP, { eval: true });
    worker.unref();
    const died = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      if (this.running?.worker === worker) this.running.settle({ ok: false, error });
    };
    worker.on('message', (message: WorkerMessage) => {
      const running = this.running;
      if (!running || running.worker !== worker || running.task !== message.task) return;
      if (message.kind === 'progress') running.onProgress(message);
      else if (message.kind === 'done') running.settle({ ok: true, value: message.outcome });
      else running.settle({ ok: false, error: message.suggestType ? new SuggestError(message.suggestType, message.message) : new Error(message.message) });
    });
    worker.on('error', died);
    worker.on('exit', (code) => died(new Error(`suggestion worker exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }

  private async stopThread(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}
