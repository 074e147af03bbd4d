// What the soak's traffic processes and the soak itself say to each other over the IPC channel, and the latency
// record both sides keep: the traffic process counts each sample window, the soak merges the windows.

export type TrafficKind = 'get' | 'batch' | 'tiles';

/**
 * The first message to a traffic process: what to send, at what rate (requests per second offered, all loops or
 * connections together), and for how long at most (it stops by itself after that).
 */
export type TrafficStart = { port: number; perSecond: number; maxSeconds: number } & (
  | { kind: 'get'; paths: string[]; connections: number }
  | { kind: 'batch'; points: number[][] }
  | { kind: 'tiles'; paths: string[]; concurrency: number }
);

/** After the start: `sample` asks for the window since the last one; `stop` ends the traffic and asks for the last window. */
export type TrafficCommand = { type: 'sample' } | { type: 'stop' };

export interface TrafficWindow {
  kind: TrafficKind;
  requests: number;
  /** no answer (connection error, timeout) or a 2xx whose body was wrong */
  errors: number;
  non2xx: number;
  latencies: Array<[number, number]>;
  /** the first failure of the window, as evidence */
  firstFailure?: string;
}

/**
 * Latencies in ms, kept as counts per value rounded to two significant digits: percentiles within 5 %, a fixed
 * small size however long the run, and windows merge by adding counts.
 * @example const l = new Latencies(); l.record(12.34); l.percentile(0.99); // 12
 */
export class Latencies {
  private readonly counts = new Map<number, number>();
  count = 0;

  record(ms: number, times = 1): void {
    const key = ms > 0 ? Number(ms.toPrecision(2)) : 0;
    this.counts.set(key, (this.counts.get(key) ?? 0) + times);
    this.count += times;
  }

  add(entries: Array<[number, number]>): void {
    for (const [ms, times] of entries) this.record(ms, times);
  }

  entries(): Array<[number, number]> {
    return [...this.counts];
  }

  /** The smallest recorded value with at least `q` of the records at or below it; null when nothing was recorded. */
  percentile(q: number): number | null {
    if (this.count === 0) return null;
    const keys = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const key of keys) {
      seen += this.counts.get(key)!;
      if (seen >= q * this.count) return key;
    }
    return keys[keys.length - 1];
  }
}

/** Counts one traffic process's requests, a window at a time. */
export class WindowRecorder {
  private window: TrafficWindow;
  private latencies = new Latencies();

  constructor(private readonly kind: TrafficKind) {
    this.window = this.empty();
  }

  private empty(): TrafficWindow {
    return { kind: this.kind, requests: 0, errors: 0, non2xx: 0, latencies: [] };
  }

  answered(ms: number, status: number, wrong?: string): void {
    this.window.requests++;
    this.latencies.record(ms);
    if (status < 200 || status > 299) this.fail('non2xx', `HTTP ${status}${wrong ? `: ${wrong}` : ''}`);
    else if (wrong) this.fail('errors', wrong);
  }

  failed(error: unknown): void {
    this.window.requests++;
    this.fail('errors', error instanceof Error ? error.message : String(error));
  }

  private fail(counter: 'errors' | 'non2xx', message: string): void {
    this.window[counter]++;
    this.window.firstFailure ??= message.slice(0, 300);
  }

  /** The window so far; the next one starts empty. */
  take(): TrafficWindow {
    const done = { ...this.window, latencies: this.latencies.entries() };
    this.window = this.empty();
    this.latencies = new Latencies();
    return done;
  }
}
