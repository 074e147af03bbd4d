// Worker-thread entry: one suggestion off the main event loop, progress and the outcome posted back.
import { parentPort, workerData } from 'node:worker_threads';
import { SuggestError } from '../domain/suggest/types.ts';
import { computeSuggestion, type SuggestionPlan } from './suggest.ts';
import type { WorkerMessage } from './thread.ts';

const post = (message: WorkerMessage) => parentPort!.postMessage(message);
try {
  const outcome = computeSuggestion(workerData as Pick<SuggestionPlan, 'villages' | 'skipped' | 'sharedPoints'>, (p) => post({ kind: 'progress', ...p }));
  post({ kind: 'done', outcome });
} catch (error) {
  post({
    kind: 'failed',
    suggestType: error instanceof SuggestError ? error.type : null,
    message: error instanceof SuggestError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
}
