import { describe, expect, it } from 'vitest';
import { LatestOnly } from '../../../web/src/edit/latest-only.ts';

/** A task whose runs finish only when the test says so, recording what each run saw. */
function controlledTask() {
  const runs: { input: number; finish(): void; superseded: () => boolean }[] = [];
  let input = 0;
  const runner = new LatestOnly(
    (superseded) =>
      new Promise<void>((resolve) => {
        runs.push({ input, finish: resolve, superseded });
      }),
  );
  return { runs, runner, set: (value: number) => (input = value) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LatestOnly', () => {
  it('runs at once when idle, with no delay', () => {
    const { runs, runner } = controlledTask();
    runner.request();
    expect(runs).toHaveLength(1);
  });

  it('folds the requests made during a run into one more run with the latest input, and tells the first it is stale', async () => {
    const { runs, runner, set } = controlledTask();
    runner.request();
    for (const value of [1, 2, 3]) {
      set(value);
      runner.request();
    }
    expect(runs).toHaveLength(1);
    expect(runs[0].superseded()).toBe(true);
    runs[0].finish();
    await tick();
    expect(runs.map((r) => r.input)).toEqual([0, 3]);
    expect(runs[1].superseded()).toBe(false);
    runs[1].finish();
    await tick();
    expect(runs).toHaveLength(2);
    runner.request();
    expect(runs).toHaveLength(3);
  });
});
