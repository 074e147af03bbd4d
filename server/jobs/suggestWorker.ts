// Worker-thread entry: suggestions off the main event loop, one per message, progress and the outcome posted
// back under the task's number. The thread stays for the next suggestion.
import { parentPort } from 'node:worker_threads';
import { SuggestError } from '../domain/suggest/types.ts';
import { computeSuggestion } from './suggest.ts';
import type { WorkerMessage, WorkerTask } from './thread.ts';

const port = parentPort!;
const post = (message: WorkerMessage) => port.postMessage(message);
port.on('message', ({ task, plan }: WorkerTask) => {
  try {
    const outcome = computeSuggestion(plan, (p) => post({ task, kind: 'progress', ...p }));
    post({ task, kind: 'done', outcome });
  } catch (error) {
    post({
      task,
      kind: 'failed',
      suggestType: error instanceof SuggestError ? error.type : null,
      message: error instanceof SuggestError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
});
