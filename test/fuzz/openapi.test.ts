// Property-based fuzzing of every operation in the service's own /openapi.json, on both backends (#17 item 6):
// malformed requests (test/fuzz/requests.ts), with every role's key and none, must never get a 5xx; every error is
// application/problem+json with its status and a title; and a refused write changes nothing stored.
//
// CI runs a fixed seed and a few cases per operation; `npm run fuzz` runs many more (FUZZ_RUNS, FUZZ_SEED).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, callAs, startTestService, type TestService } from '../support/service.ts';
import { operationsOf, requestFor, type Fixture, type FuzzRequest, type Operation } from './requests.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 50);
const SEED = Number(process.env.FUZZ_SEED ?? 17);
const TOWNSHIP = '330903001000';
/** FUZZ_REPORT=1 prints how each operation answered (status counts), to see how deep the requests reach. */
const REPORT = Boolean(process.env.FUZZ_REPORT);

/** What a refused write must leave as it was: plans and their grids, the registry, filings, vessels, jobs, the audit log. */
const DIGEST_SQL = `
  SELECT md5(concat_ws('|',
    (SELECT string_agg(id || ':' || version || ':' || status || ':' || md5(coalesce(report::text, '')) || ':' || md5(comments::text), ',' ORDER BY id) FROM plans),
    (SELECT string_agg(id || ':' || plan_id || ':' || coalesce(code, '') || ':' || md5(name) || ':' || households || ':' || population
                       || ':' || md5(staff::text) || ':' || md5(ST_AsBinary(geom)), ',' ORDER BY id) FROM plan_grids),
    (SELECT count(*) || ':' || coalesce(max(id), 0) || ':' || count(valid_to) FROM grids),
    (SELECT count(*) FROM filings),
    (SELECT count(*) || ':' || coalesce(max(id), 0) FROM vessels),
    (SELECT count(*) || ':' || count(valid_to) FROM formation_members),
    (SELECT count(*) FROM vessel_positions),
    (SELECT count(*) FROM jobs),
    (SELECT count(*) FROM audit_log)
  )) AS digest`;

describe.each(BACKENDS)('fuzzing every operation of /openapi.json on %s', (backend) => {
  let service: TestService;
  let fixture: Fixture;
  let operations: Operation[];
  let etag = '';
  const answers = new Map<string, Map<number, number>>();

  const digest = async () => ((await service.db.knex.raw(DIGEST_SQL)).rows[0] as { digest: string }).digest;
  /** Suggestion jobs write when they finish; a digest is only comparable while none is running. */
  async function jobsSettled() {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; ) {
      const [{ busy }] = (await service.db.knex.raw(`SELECT count(*)::int AS busy FROM jobs WHERE status IN ('queued', 'running')`)).rows;
      if (busy === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('suggestion jobs still running after 120 s');
  }

  beforeAll(async () => {
    service = await startTestService(backend);
    const get = (url: string, key = 'demo-registrar') => callAs(service, 'GET', url, key);
    operations = operationsOf((await get('/openapi.json')).json());
    const created = await callAs(service, 'POST', '/v1/plans', 'demo-planner', { townshipCode: TOWNSHIP, trigger: 'initial', start: 'filed' });
    expect(created.statusCode).toBe(201);
    const planId = created.json().id as string;
    etag = created.headers.etag as string;
    const grids = (await get(`/v1/plans/${planId}/grids`, 'demo-planner')).json().features as Array<{ id: string; properties: { code: string | null } }>;
    const vessel = (await get('/v1/vessels?limit=1', 'demo-maritime')).json().vessels[0];
    const formation = (await get('/v1/grids?kind=maritime&subkind=vessel_formation&limit=1')).json().features[0];
    fixture = {
      planId,
      gridIds: grids.map((g) => g.id),
      gridCode: grids.find((g) => g.properties.code)!.properties.code!,
      townshipCode: TOWNSHIP,
      villageCode: '330903001001',
      formationCode: formation.properties.code,
      vesselId: vessel.id,
      mmsi: vessel.mmsi,
      etag: () => etag,
      keys: ['demo-planner', 'demo-reviewer', 'demo-registrar', 'demo-maritime', 'demo-client', 'demo-ais'],
    };
  });
  afterAll(async () => {
    await service?.close();
  });

  /** Sends one request and says what is wrong with the answer, or null. */
  async function fault(request: FuzzRequest): Promise<string | null> {
    const write = request.method !== 'GET';
    if (write) await jobsSettled();
    const before = write ? await digest() : null;
    const { operation, ...sent } = request;
    const res = await service.app.inject(sent);
    const counts = answers.get(operation) ?? answers.set(operation, new Map()).get(operation)!;
    counts.set(res.statusCode, (counts.get(res.statusCode) ?? 0) + 1);
    if (REPORT && res.statusCode === 400 && counts.get(400)! <= 2) console.log(operation, request.url.slice(0, 120), res.body.slice(0, 300));
    if (res.statusCode < 300 && res.headers.etag?.toString().startsWith(`"plan-${fixture.planId}-`)) etag = res.headers.etag.toString();
    if (res.statusCode >= 500) return `answered ${res.statusCode}: ${res.body.slice(0, 300)}`;
    if (res.statusCode >= 400) {
      if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) return `${res.statusCode} as ${res.headers['content-type']}, not problem+json`;
      const problem = JSON.parse(res.body) as { status?: unknown; title?: unknown };
      if (problem.status !== res.statusCode || typeof problem.title !== 'string') return `${res.statusCode} problem without its status and a title: ${res.body.slice(0, 300)}`;
      if (write) {
        await jobsSettled();
        if ((await digest()) !== before) return `refused with ${res.statusCode} but changed stored data: ${res.body.slice(0, 300)}`;
      }
    }
    return null;
  }

  it(
    `answers ${RUNS} malformed requests per operation (seed ${SEED}) without a 5xx, as problem+json, changing nothing it refuses`,
    async () => {
      expect(operations.length).toBeGreaterThan(40);
      const failures: string[] = [];
      for (const operation of operations) {
        const result = await fc.check(
          fc.asyncProperty(requestFor(operation, fixture), async (request) => {
            const why = await fault(request);
            if (why) throw new Error(why);
          }),
          { seed: SEED, numRuns: RUNS, endOnFailure: true },
        );
        if (result.failed) {
          const request = result.counterexample?.[0];
          const shown = request ? `${request.method} ${request.url.slice(0, 200)} ${JSON.stringify(request.headers)} ${request.payload?.slice(0, 300) ?? ''}` : '';
          failures.push(`${operation.method} ${operation.path}: ${result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance)}\n    ${shown}`);
        }
      }
      if (REPORT) for (const [operation, counts] of answers) console.log(operation.padEnd(60), [...counts].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`).join(' '));
      expect(failures, failures.join('\n')).toEqual([]);
    },
    Math.max(600_000, RUNS * 60 * 2_000),
  );
});
