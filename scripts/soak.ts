// `npm run soak [-- --duration 60] [--backend postgresql] [--connections 50] [--get-only] [--get-rate 1000] [--no-gc]` (or
// SOAK_SECONDS): the service as other systems use it for a while, to show it stays healthy. In process on the embedded store (or a scratch database on the
// PostgreSQL of WANGGE_TEST_PG_URL, default the local one), on 127.0.0.1 only, logging at info as in production (into a sink
// that counts), with three kinds of traffic at once, each from its own process (scripts/soak/traffic.ts):
// single GET lookups from autocannon, a loop of 10,000-point POST batches and a few parallel loops of tiles z10–z14
// over the demo, each at a steady rate; and every 15 s a filing through the plan workflow (a grid of 沈家门街道 renamed), so the lookup
// index is rebuilt under load, after which a GET must answer with the new name. GET latency is also reported apart for
// the time filings run (from the workflow's first request until a lookup names the grid anew), and so is the delay of
// the server's event loop (how long a timer waited for its thread), which shows a stall however the GETs fall. Every 5 s a progress line (stderr);
// at the end one JSON summary (stdout), and exit 1 if any request failed, a filing was not seen, the server logged
// an error or the heap grew faster than HEAP_SLOPE_LIMIT_MB_PER_MIN. Needs --expose-gc (the npm script sets it) so every
// heap sample is taken after a full collection. That collection stops the server's thread (40–130 ms every 5 s, the
// soak's own stall, longer than the lookups' p99): --no-gc samples the heap as it is and does not judge its growth,
// for runs that measure lookup latency.
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { pointOnFeature } from '@turf/turf';
import type { MultiPolygon } from 'geojson';
import { POINTS_TOWNSHIP, realisticPoints, startLoopbackService } from './bench/loopback.ts';
import { createScratchDatabase } from '../test/support/service.ts';
import { Latencies, type TrafficCommand, type TrafficKind, type TrafficStart, type TrafficWindow } from './soak/window.ts';
import { TILE_LAYERS } from '../server/domain/tiles/layers.ts';
import { tileOf } from '../server/domain/tiles/tile-math.ts';
import { mulberry32 } from '../server/domain/random.ts';

const SAMPLE_S = 5;
// JIT, the tile cache filling from the pool and the first filing's code paths settle in this time; the heap
// baseline and the percentiles are taken after it.
const WARMUP_S = 15;
const FILING_EVERY_S = 15;
const FIRST_FILING_S = 10;
// Bounded caches (tiles ≤ 64 MB, filled from a fixed pool during warm-up; 8 past-date indexes; 256 event ids) stop
// growing in warm-up, and the filings' new rows live in PGlite's WebAssembly memory (external, not V8 heap), so the
// service's heap after a full collection should be flat. 5 MB/min is ten times the noise (the post-GC heap moves by
// under 0.5 MB from sample to sample; 60-s runs fit slopes of about 0.5 MB/min) and below a per-request leak: 20 bytes
// kept per GET at 5,000 GETs/s is 6 MB/min (a string of ~100 bytes kept per request, tried once, showed 32 MB/min).
const HEAP_SLOPE_LIMIT_MB_PER_MIN = 5;
// A filing's rename must show in a GET lookup within this time (the rebuild takes well under a second).
const FRESH_WITHIN_MS = 10_000;
// The offered load, steady and below what the service can serve on two cores (docs/benchmarks.md: ~20,000 GETs/s,
// ~500,000 batch points/s), so latency shows how the service holds up over time rather than queueing; a service
// that falls behind shows as fewer requests than offered and a rising p99.
const GET_PER_S = 5_000;
const BATCHES_PER_S = 4;
const BATCH_POINTS = 10_000;
const TILES_PER_S = 100;
const TILE_CONCURRENCY = 4;
const TILE_POOL = 1_000;
const PLANNER = 'demo-planner';
const REVIEWER = 'demo-reviewer';
const REGISTRAR = 'demo-registrar';

const { values } = parseArgs({
  options: {
    duration: { type: 'string' },
    backend: { type: 'string', default: 'embedded' },
    connections: { type: 'string', default: '10' },
    // GETs and filings only, no batches or tiles: writes against lookups alone, when the machine has little to spare.
    'get-only': { type: 'boolean', default: false },
    'get-rate': { type: 'string', default: String(GET_PER_S) },
    'no-gc': { type: 'boolean', default: false },
  },
});
const durationS = Number(values.duration ?? process.env.SOAK_SECONDS ?? 60);
if (!Number.isFinite(durationS) || durationS < WARMUP_S + 3 * SAMPLE_S) {
  console.error(`soak: --duration ${values.duration ?? process.env.SOAK_SECONDS} is not a number of seconds ≥ ${WARMUP_S + 3 * SAMPLE_S}`);
  process.exit(2);
}
const backend = values.backend;
if (backend !== 'embedded' && backend !== 'postgresql') {
  console.error(`soak: --backend ${backend} is neither embedded nor postgresql`);
  process.exit(2);
}
// Single GETs come over this many keep-alive connections (autocannon), together offering getPerS.
const getConnections = Number(values.connections);
const getPerS = Number(values['get-rate']);
if (![getConnections, getPerS].every((n) => Number.isInteger(n) && n >= 1)) {
  console.error(`soak: --connections ${values.connections} and --get-rate ${values['get-rate']} must be positive whole numbers`);
  process.exit(2);
}
const kinds: TrafficKind[] = values['get-only'] ? ['get'] : ['get', 'batch', 'tiles'];
const fullGc = !values['no-gc'];
const collectGarbage = fullGc ? globalThis.gc : () => undefined;
if (!collectGarbage) {
  console.error('soak: run with node --expose-gc (npm run soak does), so heap samples follow a full collection');
  process.exit(2);
}
// Bound on the whole run, whatever hangs: the traffic processes stop by themselves too.
setTimeout(() => {
  console.error('soak: did not finish in time');
  process.exit(3);
}, (durationS + 180) * 1000).unref();

// The server's log at info, as in production; the sink counts index rebuilds and keeps the first error lines.
const serverLog = { rebuilds: 0, rebuildMs: [] as number[], warnings: 0, errors: 0, firstErrors: [] as string[] };
const sink = {
  write(line: string) {
    const level = Number(/^\{"level":(\d+)/.exec(line)?.[1] ?? 0);
    if (level >= 50) {
      serverLog.errors++;
      if (serverLog.firstErrors.length < 5) serverLog.firstErrors.push(line.slice(0, 1000));
    } else if (level >= 40) serverLog.warnings++;
    if (/"msg":"lookup index (built|updated)"/.test(line)) {
      serverLog.rebuilds++;
      serverLog.rebuildMs.push((JSON.parse(line) as { ms: number }).ms);
    }
  },
};

const usToMs = (us: number) => Math.round(us / 100) / 10;
const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** A traffic process: started with its job, asked for a window at each sample, stopped at the end. */
class Traffic {
  private readonly child: ChildProcess;
  private readonly waiting: Array<{ resolve(w: TrafficWindow): void; reject(e: Error): void }> = [];
  readonly exited: Promise<void>;

  constructor(start: TrafficStart) {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts/soak/traffic.ts')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (window: TrafficWindow) => this.waiting.shift()?.resolve(window));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code) => {
        for (const w of this.waiting.splice(0)) w.reject(new Error(`${start.kind} traffic process exited with ${code}`));
        resolve();
      }),
    );
    this.child.send(start);
  }

  private stopped: Promise<TrafficWindow> | null = null;

  private ask(command: TrafficCommand): Promise<TrafficWindow> {
    return new Promise((resolve, reject) => {
      if (!this.child.connected) return reject(new Error('traffic process already gone'));
      this.waiting.push({ resolve, reject });
      this.child.send(command);
    });
  }

  window = () => this.ask({ type: 'sample' });

  /** The last window; stops the process once, however often called. */
  stop(): Promise<TrafficWindow> {
    this.stopped ??= this.ask({ type: 'stop' }).then(async (last) => {
      await this.exited;
      return last;
    });
    return this.stopped;
  }
}

const scratch = backend === 'postgresql' ? await createScratchDatabase() : null;
const { service, port, base } = await startLoopbackService({ LOG_LEVEL: 'info', ...(scratch ? { DATABASE_URL: scratch.url } : {}) }, pino({ level: 'info' }, sink));
const loadAtStart = os.loadavg()[0];

/** One API call as the holder of `key`; anything but a 2xx throws with the answer. */
async function call(method: 'GET' | 'POST' | 'PUT', url: string, key: string | null, body?: unknown, etag?: string | null) {
  const res = await fetch(base + url, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(etag ? { 'if-match': etag } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return { json: JSON.parse(text), etag: res.headers.get('etag') };
}

// The points callers send, the tiles a map asks for, and the grid the filings rename with a point inside it.
const points = await realisticPoints(base, BATCH_POINTS);
const getPaths = points.map(([lon, lat]) => `/v1/lookup?lon=${lon}&lat=${lat}`);
const households: Array<{ lon: number; lat: number }> = (await service.db.knex.raw('SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM household_counts')).rows;
const random = mulberry32(11);
const tilePaths = Array.from({ length: TILE_POOL }, () => {
  const { lon, lat } = households[Math.floor(random() * households.length)];
  const { z, x, y } = tileOf(lon, lat, 10 + Math.floor(random() * 5));
  return `/tiles/${TILE_LAYERS[Math.floor(random() * TILE_LAYERS.length)].name}/${z}/${x}/${y}.mvt`;
});
// Every tile of the pool once, so the tile cache is as full as it gets before the heap baseline.
for (const tile of kinds.includes('tiles') ? tilePaths : []) {
  const res = await fetch(base + tile, { headers: { 'accept-encoding': 'gzip' } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`GET ${tile}: HTTP ${res.status}`);
}
const grids = (await call('GET', `/v1/grids?division=${POINTS_TOWNSHIP}&micro=false&limit=10000`, null)).json as {
  features: Array<{ properties: { code: string; name: string }; geometry: MultiPolygon }>;
};
const lookupAt = async ([lon, lat]: number[]) => ((await call('GET', `/v1/lookup?lon=${lon}&lat=${lat}`, null)).json as { grid: { code: string; name: string } | null }).grid;
// The first grid that a point inside it looks up to (an exclusive grid over a comprehensive one answers as that one).
let target: (typeof grids.features)[number] | undefined;
let checkPoint: number[] = [];
for (const grid of grids.features) {
  checkPoint = pointOnFeature(grid.geometry).geometry.coordinates;
  if ((await lookupAt(checkPoint))?.code === grid.properties.code) {
    target = grid;
    break;
  }
}
if (!target) throw new Error(`no grid of ${POINTS_TOWNSHIP} looks up to itself at a point inside it`);
const renamed = target;
serverLog.rebuilds = 0;
serverLog.rebuildMs = [];

const maxSeconds = durationS + 60;
const offered: Record<TrafficKind, number> = { get: getPerS, batch: BATCHES_PER_S, tiles: TILES_PER_S };
const startedAt = Date.now();
const starts: Record<TrafficKind, () => Traffic> = {
  get: () => new Traffic({ kind: 'get', port, perSecond: getPerS, maxSeconds, paths: getPaths, connections: getConnections }),
  batch: () => new Traffic({ kind: 'batch', port, perSecond: BATCHES_PER_S, maxSeconds, points }),
  tiles: () => new Traffic({ kind: 'tiles', port, perSecond: TILES_PER_S, maxSeconds, paths: tilePaths, concurrency: TILE_CONCURRENCY }),
};
const traffic: Partial<Record<TrafficKind, Traffic>> = Object.fromEntries(kinds.map((k) => [k, starts[k]()]));
const elapsedS = () => (Date.now() - startedAt) / 1000;

interface Sample {
  atS: number;
  heapUsedMB: number;
  rssMB: number;
  externalMB: number;
  load: number;
}
const samples: Sample[] = [];
const totals = Object.fromEntries(kinds.map((k) => [k, { requests: 0, errors: 0, non2xx: 0, firstFailure: undefined as string | undefined, latencies: new Latencies() }]));
const failures: string[] = [];

// GET latency apart for the time filings run (a filing's workflow until a lookup names the grid anew) and the rest:
// the get traffic is asked for a window when a filing starts and when it is seen, so each window lies in one phase.
let filingRuns = false;
let trafficRuns = true;
const getByPhase = { filing: new Latencies(), quiet: new Latencies() };
// The event loop's delay in each phase after warm-up (the server runs in this process, on this thread): the intervals
// of a 5-ms timer (5 ms when nothing held the thread up), so a synchronous stretch of a filing's work shows in them.
// Each interval counts for the phase it ends in (in µs).
const loopDelay = { filing: createHistogram(), quiet: createHistogram() };
let loopWatched = false;
let lastTick = performance.now();
const loopTimer = setInterval(() => {
  const now = performance.now();
  if (loopWatched) loopDelay[filingRuns ? 'filing' : 'quiet'].record(Math.max(1, Math.round((now - lastTick) * 1000)));
  lastTick = now;
}, 5);
// Each kind's latencies since the last progress line.
const sinceSample = Object.fromEntries(kinds.map((k) => [k, new Latencies()]));

// When each kind's current window began (seconds since the start): windows end at samples and at filing phases.
const windowStartS = Object.fromEntries(kinds.map((k) => [k, 0]));

/** Adds windows just taken to the totals; the latencies count only for windows that began after warm-up. */
function account(windows: TrafficWindow[]): void {
  for (const w of windows) {
    // Samples are due on whole multiples of SAMPLE_S and come a few ms late.
    const afterWarmup = windowStartS[w.kind] > WARMUP_S - 1;
    windowStartS[w.kind] = elapsedS();
    const total = totals[w.kind];
    total.requests += w.requests;
    total.errors += w.errors;
    total.non2xx += w.non2xx;
    total.firstFailure ??= w.firstFailure;
    sinceSample[w.kind].add(w.latencies);
    if (!afterWarmup) continue;
    total.latencies.add(w.latencies);
    if (w.kind === 'get') getByPhase[filingRuns ? 'filing' : 'quiet'].add(w.latencies);
  }
}

/** Each kind's p99 since the last progress line, and a fresh start for the next. */
function sampleP99(): string {
  return kinds
    .map((k) => {
      const p99 = sinceSample[k].percentile(0.99);
      sinceSample[k] = new Latencies();
      return `${k} ${p99 ?? '-'}`;
    })
    .join(' / ');
}

/** Marks the start or end of a filing's time, after accounting the GETs answered before it. */
async function filingPhase(running: boolean): Promise<void> {
  // The last sample stops the traffic and takes its last window itself.
  if (!trafficRuns) return;
  account([await traffic.get!.window()]);
  filingRuns = running;
}

const filings: Array<{ number: string; atS: number; workflowMs: number; freshAfterMs: number | null; firstLookupFresh: boolean }> = [];
const notes: string[] = [];

/** Renames the target grid through the plan workflow (draft from the filed partition → submit → approve → file). */
async function fileRename(n: number): Promise<void> {
  await filingPhase(true);
  const started = performance.now();
  const name = `${renamed.properties.name}（第${n}次更名）`;
  const created = await call('POST', '/v1/plans', PLANNER, { townshipCode: POINTS_TOWNSHIP, trigger: 'other', triggerNote: '浸泡测试：网格更名', start: 'filed' });
  const plan = created.json as { id: string };
  const planGrids = (await call('GET', `/v1/plans/${plan.id}/grids`, PLANNER)).json as { features: Array<{ id: string; properties: { code: string | null }; geometry: unknown }> };
  const grid = planGrids.features.find((f) => f.properties.code === renamed.properties.code);
  if (!grid) throw new Error(`plan ${plan.id} has no grid ${renamed.properties.code}`);
  let { json, etag } = await call('PUT', `/v1/plans/${plan.id}/grids/${grid.id}`, PLANNER, { type: 'Feature', properties: { ...grid.properties, name }, geometry: grid.geometry }, created.etag);
  const warnings = (json as { report: { findings: Array<{ ruleId: string; severity: string }> } }).report.findings.filter((f) => f.severity === 'warning');
  const justifications = Object.fromEntries(warnings.map((f) => [f.ruleId, '已备案划分，仅更名']));
  ({ etag } = await call('POST', `/v1/plans/${plan.id}/submit`, PLANNER, { justifications }, etag));
  ({ etag } = await call('POST', `/v1/plans/${plan.id}/approve`, REVIEWER, {}, etag));
  const filed = (await call('POST', `/v1/plans/${plan.id}/file`, REGISTRAR, {}, etag)).json as { filing: { number: string } };
  const workflowMs = Math.round(performance.now() - started);
  // From the filing's answer on: the first GET that names the grid anew.
  const filedAt = performance.now();
  let firstLookupFresh: boolean | null = null;
  let freshAfterMs: number | null = null;
  while (performance.now() - filedAt < FRESH_WITHIN_MS) {
    const fresh = (await lookupAt(checkPoint))?.name === name;
    firstLookupFresh ??= fresh;
    if (fresh) {
      freshAfterMs = Math.round(performance.now() - filedAt);
      break;
    }
    await sleep(10);
  }
  await filingPhase(false);
  filings.push({ number: filed.filing.number, atS: Math.round(elapsedS()), workflowMs, freshAfterMs, firstLookupFresh: firstLookupFresh === true });
  notes.push(`filed ${filed.filing.number} in ${workflowMs} ms, ${freshAfterMs === null ? `NOT seen by lookups within ${FRESH_WITHIN_MS} ms` : `seen by lookups after ${freshAfterMs} ms`}`);
  if (freshAfterMs === null) failures.push(`filing ${filed.filing.number}: the rename was not seen by a lookup within ${FRESH_WITHIN_MS} ms`);
}

let sampling = true;

async function fileEvery(): Promise<void> {
  // The last filing starts a sample before the end, so it and the lookups after it run under the full load.
  for (let n = 1; FIRST_FILING_S + (n - 1) * FILING_EVERY_S < durationS - SAMPLE_S; n++) {
    await sleep((FIRST_FILING_S + (n - 1) * FILING_EVERY_S - elapsedS()) * 1000);
    if (!sampling) return;
    try {
      await fileRename(n);
    } catch (error) {
      filingRuns = false;
      failures.push(`filing ${n}: ${error instanceof Error ? error.message : String(error)}`);
      notes.push(`filing ${n} FAILED`);
    }
  }
}

async function sampleEvery(): Promise<void> {
  for (let n = 1; n * SAMPLE_S <= durationS; n++) {
    await sleep((n * SAMPLE_S - elapsedS()) * 1000);
    const last = n * SAMPLE_S + SAMPLE_S > durationS;
    // At the end one kind stops after the other, so none finishes its last requests on a server the others left idle.
    const windows: TrafficWindow[] = [];
    if (last) trafficRuns = false;
    if (last) for (const k of kinds) windows.push(await traffic[k]!.stop());
    else windows.push(...(await Promise.all(kinds.map((k) => traffic[k]!.window()))));
    account(windows);
    const p99 = sampleP99();
    collectGarbage!();
    const memory = process.memoryUsage();
    const sample = { atS: Math.round(elapsedS() * 10) / 10, heapUsedMB: mb(memory.heapUsed), rssMB: mb(memory.rss), externalMB: mb(memory.external), load: os.loadavg()[0] };
    if (n * SAMPLE_S >= WARMUP_S) samples.push(sample);
    if (n * SAMPLE_S >= WARMUP_S) loopWatched = true;
    const requests = kinds.reduce((sum, k) => sum + totals[k].requests, 0);
    const errors = kinds.reduce((sum, k) => sum + totals[k].errors + totals[k].non2xx, 0);
    console.error(
      `[${String(Math.round(sample.atS)).padStart(4)} s] requests ${requests.toLocaleString('en')}, errors ${errors}, p99 ms ${p99}, ` +
        `rss ${sample.rssMB} MB, heap ${sample.heapUsedMB} MB${fullGc ? ' after gc' : ''}, external ${sample.externalMB} MB, load ${sample.load.toFixed(2)}` +
        (n * SAMPLE_S < WARMUP_S ? ' (warm-up)' : '') +
        notes.splice(0).map((note) => `; ${note}`).join(''),
    );
  }
}

const sampled = sampleEvery().finally(() => {
  sampling = false;
  clearInterval(loopTimer);
});
for (const outcome of await Promise.allSettled([sampled, fileEvery()])) {
  if (outcome.status === 'rejected') failures.push(`soak stopped early: ${outcome.reason instanceof Error ? outcome.reason.message : String(outcome.reason)}`);
}
// Any traffic process still running (after a failure above) is stopped before the service closes.
for (const kind of kinds) await traffic[kind]!.stop().catch(() => undefined);
await service.close();
await scratch?.drop();

/** Least-squares slope of heap over time, MB per minute (0 from fewer than two samples). */
function slopePerMinute(points: Sample[]): number {
  if (points.length < 2) return 0;
  const xs = points.map((s) => s.atS / 60);
  const ys = points.map((s) => s.heapUsedMB);
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  const sxy = xs.reduce((sum, x, i) => sum + (x - mx) * (ys[i] - my), 0);
  const sxx = xs.reduce((sum, x) => sum + (x - mx) ** 2, 0);
  return Math.round((sxy / sxx) * 100) / 100;
}

const loopSummary = (h: RecordableHistogram) => ({ p50: usToMs(h.percentile(50)), p99: usToMs(h.percentile(99)), max: usToMs(h.max) });
const summary = (l: Latencies) => ({ requests: l.count, p50: l.percentile(0.5), p99: l.percentile(0.99), max: l.percentile(1) });
const heapSlope = slopePerMinute(samples);
for (const kind of kinds) {
  const t = totals[kind];
  if (t.errors + t.non2xx > 0) failures.push(`${kind}: ${t.errors} errors, ${t.non2xx} non-2xx (first: ${t.firstFailure})`);
}
if (fullGc && heapSlope > HEAP_SLOPE_LIMIT_MB_PER_MIN) failures.push(`heap grew ${heapSlope} MB/min after warm-up (limit ${HEAP_SLOPE_LIMIT_MB_PER_MIN})`);
if (serverLog.errors > 0) failures.push(`the server logged ${serverLog.errors} errors`);
if (serverLog.rebuilds < filings.length) failures.push(`${filings.length} filings but ${serverLog.rebuilds} index rebuilds`);

console.log(
  JSON.stringify(
    {
      soak: 'service',
      backend,
      durationS,
      sampleS: SAMPLE_S,
      warmupS: WARMUP_S,
      machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, loadAverage: { start: loadAtStart, max: Math.max(0, ...samples.map((s) => s.load)), end: os.loadavg()[0] } },
      traffic: { getConnections, batchPoints: BATCH_POINTS, tileConcurrency: TILE_CONCURRENCY, tilePool: TILE_POOL, filingEveryS: FILING_EVERY_S },
      offeredPerS: Object.fromEntries(kinds.map((k) => [k, offered[k]])),
      requests: Object.fromEntries(kinds.map((k) => [k, totals[k].requests])),
      requestsPerS: Object.fromEntries(kinds.map((k) => [k, Math.round((totals[k].requests / durationS) * 10) / 10])),
      errors: Object.fromEntries(kinds.map((k) => [k, totals[k].errors])),
      non2xx: Object.fromEntries(kinds.map((k) => [k, totals[k].non2xx])),
      latencyMsAfterWarmup: Object.fromEntries(kinds.map((k) => [k, summary(totals[k].latencies)])),
      getLatencyMsAfterWarmup: { duringFilings: summary(getByPhase.filing), betweenFilings: summary(getByPhase.quiet) },
      eventLoopDelayMsAfterWarmup: { duringFilings: loopSummary(loopDelay.filing), betweenFilings: loopSummary(loopDelay.quiet) },
      heap: {
        afterFullGc: fullGc,
        startMB: samples.at(0)?.heapUsedMB,
        endMB: samples.at(-1)?.heapUsedMB,
        slopeMBPerMin: heapSlope,
        limitMBPerMin: HEAP_SLOPE_LIMIT_MB_PER_MIN,
        samplesMB: samples.map((s) => s.heapUsedMB),
      },
      rssMaxMB: Math.max(0, ...samples.map((s) => s.rssMB)),
      externalMB: { start: samples.at(0)?.externalMB, end: samples.at(-1)?.externalMB },
      filings,
      indexRebuilds: serverLog.rebuilds,
      // Wall time of each rebuild or update, reading the store included.
      indexRebuildMs: serverLog.rebuildMs,
      serverLog: { warnings: serverLog.warnings, errors: serverLog.errors, firstErrors: serverLog.firstErrors },
      failures,
      ok: failures.length === 0,
    },
    null,
    2,
  ),
);
process.exitCode = failures.length === 0 ? 0 : 1;
