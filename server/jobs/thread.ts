// Runs computeSuggestion in a worker thread, so a half-minute suggestion leaves the server answering requests.
import { Worker } from 'node:worker_threads';
import { SuggestError, type SuggestPhase } from '../domain/suggest/types.ts';
import type { SuggestionPlan, SuggestOutcome, SuggestProgress } from './suggest.ts';

export type WorkerMessage =
  | { kind: 'progress'; phase: SuggestPhase; percent: number }
  | { kind: 'done'; outcome: SuggestOutcome }
  | { kind: 'failed'; suggestType: SuggestError['type'] | null; message: string };

const ENTRY = new URL('./suggestWorker.ts', import.meta.url).href;
// The service runs under tsx; a worker does not inherit its loader, so it registers tsx before importing the entry.
const BOOTSTRAP = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY)}); })`;

export class WorkerStopped extends Error {}

export function suggestInWorker(
  plan: Pick<SuggestionPlan, 'villages' | 'skipped' | 'sharedPoints'>,
  onProgress: SuggestProgress,
  signal?: AbortSignal,
): Promise<SuggestOutcome> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: plan });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', stop);
      fn();
      void worker.terminate();
    };
    const stop = () => settle(() => reject(new WorkerStopped('the service stopped while the suggestion ran')));
    if (signal?.aborted) return stop();
    signal?.addEventListener('abort', stop);
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'progress') onProgress(message);
      else if (message.kind === 'done') settle(() => resolve(message.outcome));
      else settle(() => reject(message.suggestType ? new SuggestError(message.suggestType, message.message) : new Error(message.message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new Error(`suggestion worker exited with code ${code}`))));
  });
}
