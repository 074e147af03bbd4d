// The long-lived suggestion thread: reused across suggestions, the same outcome as computing in-process,
// progress in order, failures that keep the thread, cancellation that ends it, and close.
import { afterAll, describe, expect, it } from 'vitest';
import { computeSuggestion } from '../../../server/jobs/suggest.ts';
import { SuggestWorker, WorkerStopped, type SuggestionTask } from '../../../server/jobs/thread.ts';
import { SuggestError } from '../../../server/domain/suggest/types.ts';
import { clusteredHouseholds, syntheticDivision } from '../suggest/synthetic.ts';

function task(seed: number, households = 2000): SuggestionTask {
  const geometry = syntheticDivision('hole', seed, 0.01);
  const points = clusteredHouseholds(geometry, households, seed);
  return {
    villages: [{ code: '330903100001', name: 'test village', input: { division: { code: '330903100001', geometry }, households: points, seed } }],
    skipped: [],
    sharedPoints: false,
  };
}

// The first suggestion starts the thread and its TypeScript loader: seconds on a busy 2-core machine.
const THREAD_TEST_MS = 120_000;

describe('SuggestWorker', () => {
  const worker = new SuggestWorker();
  afterAll(() => worker.close());

  it('runs suggestions one after another on the same thread, as computed in-process, with progress in order', async () => {
    const progress: number[] = [];
    const first = await worker.run(task(1), ({ percent }) => progress.push(percent));
    const thread = worker.threadId;
    expect(thread).not.toBeNull();
    expect(progress.at(-1)).toBe(100);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const second = await worker.run(task(2), () => undefined);
    expect(worker.threadId).toBe(thread);
    for (const [outcome, seed] of [[first, 1], [second, 2]] as const) {
      const local = computeSuggestion(task(seed));
      expect(JSON.stringify(outcome.features)).toBe(JSON.stringify(local.features));
      expect({ ...outcome.report, runtimeMs: 0, villages: [] }).toEqual({ ...local.report, runtimeMs: 0, villages: [] });
    }
  }, THREAD_TEST_MS);

  it('queues a suggestion asked for while another runs', async () => {
    const [a, b] = await Promise.all([worker.run(task(3), () => undefined), worker.run(task(4), () => undefined)]);
    expect(a.features).toEqual(computeSuggestion(task(3)).features);
    expect(b.features).toEqual(computeSuggestion(task(4)).features);
  }, THREAD_TEST_MS);

  it('passes a SuggestError on with its type and keeps the thread', async () => {
    await worker.run(task(1), () => undefined);
    const thread = worker.threadId;
    const empty = task(5);
    empty.villages[0].input.households = empty.villages[0].input.households.map((p) => ({ ...p, households: 0 }));
    const failure = await worker.run(empty, () => undefined).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(SuggestError);
    expect((failure as SuggestError).type).toBe('no-household-data');
    expect(worker.threadId).toBe(thread);
    await expect(worker.run(task(1), () => undefined)).resolves.toBeDefined();
    expect(worker.threadId).toBe(thread);
  }, THREAD_TEST_MS);

  it('cancels a running suggestion by ending the thread; the next suggestion gets a new one', async () => {
    await worker.run(task(1), () => undefined);
    const thread = worker.threadId;
    const abort = new AbortController();
    const cancelled = worker.run(task(6, 20_000), () => abort.abort(), abort.signal);
    await expect(cancelled).rejects.toBeInstanceOf(WorkerStopped);
    expect(worker.threadId).toBeNull();
    await expect(worker.run(task(1), () => undefined)).resolves.toBeDefined();
    expect(worker.threadId).not.toBeNull();
    expect(worker.threadId).not.toBe(thread);
  }, THREAD_TEST_MS);

  it('fails the running suggestion and every later one once closed', async () => {
    const closing = new SuggestWorker();
    let closed: Promise<void> | null = null;
    const running = closing.run(task(6, 20_000), () => (closed ??= closing.close()));
    await expect(running).rejects.toBeInstanceOf(WorkerStopped);
    await closed;
    expect(closing.threadId).toBeNull();
    await expect(closing.run(task(1), () => undefined)).rejects.toBeInstanceOf(WorkerStopped);
  }, THREAD_TEST_MS);
});
