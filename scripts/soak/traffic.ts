// One kind of the soak's traffic, in its own process so that sending and decoding do not share the server's event
// loop or its heap: started and steered by scripts/soak.ts over the IPC channel (window.ts), always to 127.0.0.1.
// It stops when told, after `maxSeconds` at the latest, and at once if the soak goes away.
import { createRequire } from 'node:module';
import { mulberry32 } from '../../server/domain/random.ts';
import { WindowRecorder, type TrafficCommand, type TrafficStart } from './window.ts';

// autocannon ships no types; this is the part of its API used here.
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: 'reqError', listener: (error: Error) => void): void;
  stop(): void;
}
type Autocannon = (
  options: { url: string; connections: number; overallRate: number; duration: number; requests: Array<{ method: 'GET'; path: string }> },
  done: (error: Error | null) => void,
) => AutocannonInstance;

const REQUEST_TIMEOUT_MS = 10_000;

const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

/**
 * Runs `count` request loops that together start `perSecond` requests a second (a loop whose answer comes late
 * starts its next request at once, without catching up), until stopped or the deadline passes; resolves when every
 * request in flight is answered.
 */
async function loops(count: number, perSecond: number, deadline: number, stopped: () => boolean, request: () => Promise<void>): Promise<void> {
  const intervalMs = (1000 * count) / perSecond;
  const loop = async (i: number) => {
    let next = performance.now() + (intervalMs * i) / count;
    while (!stopped() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
      next = Math.max(next + intervalMs, performance.now());
      await request();
    }
  };
  await Promise.all(Array.from({ length: count }, (_, i) => loop(i)));
}

/** One timed request to the service; `check` names what is wrong with a 2xx body, if anything. */
async function timed(recorder: WindowRecorder, url: string, init: RequestInit, check: (res: Response) => Promise<string | undefined>): Promise<void> {
  const started = performance.now();
  try {
    const res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const wrong = res.ok ? await check(res) : (await res.text()).slice(0, 200);
    recorder.answered(performance.now() - started, res.status, wrong);
  } catch (error) {
    recorder.failed(error);
  }
}

function run(start: TrafficStart, recorder: WindowRecorder): { stop(): void; finished: Promise<void> } {
  const base = `http://127.0.0.1:${start.port}`;
  const deadline = Date.now() + start.maxSeconds * 1000;
  let stopping = false;
  const stopped = () => stopping;
  switch (start.kind) {
    case 'get': {
      const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
      let instance: AutocannonInstance | undefined;
      const finished = new Promise<void>((resolve, reject) => {
        instance = autocannon(
          { url: base, connections: start.connections, overallRate: start.perSecond, duration: start.maxSeconds, requests: start.paths.map((path) => ({ method: 'GET', path })) },
          (error) => (error ? reject(error) : resolve()),
        );
      });
      instance!.on('response', (_client, status, _bytes, ms) => recorder.answered(ms, status));
      instance!.on('reqError', (error) => recorder.failed(error));
      return { stop: () => instance!.stop(), finished };
    }
    case 'batch': {
      // Encoded once: the soak is about the service, not the client's JSON encoder.
      const body = JSON.stringify(start.points);
      const finished = loops(1, start.perSecond, deadline, stopped, () =>
        timed(recorder, `${base}/v1/lookup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, async (res) => {
          const answer = (await res.json()) as { results?: unknown[] };
          return answer.results?.length === start.points.length ? undefined : `${answer.results?.length} results for ${start.points.length} points`;
        }),
      );
      return { stop: () => (stopping = true), finished };
    }
    case 'tiles': {
      const random = mulberry32(7);
      // Map clients ask for the tiles of a view in parallel, gzip accepted.
      const finished = loops(start.concurrency, start.perSecond, deadline, stopped, () => {
        const path = start.paths[Math.floor(random() * start.paths.length)];
        return timed(recorder, base + path, { headers: { 'accept-encoding': 'gzip' } }, async (res) => {
          await res.arrayBuffer();
          return undefined;
        });
      });
      return { stop: () => (stopping = true), finished };
    }
  }
}

process.once('message', (start: TrafficStart) => {
  const recorder = new WindowRecorder(start.kind);
  const traffic = run(start, recorder);
  process.on('message', (command: TrafficCommand) => {
    if (command.type === 'sample') {
      void send(recorder.take());
      return;
    }
    traffic.stop();
    traffic.finished
      .catch((error: unknown) => recorder.failed(error))
      .then(() => send(recorder.take()))
      .then(() => process.exit(0));
  });
  // The soak went away without stopping us (killed, crashed): never outlive it.
  process.on('disconnect', () => process.exit(1));
});
