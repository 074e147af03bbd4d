// `npm run suggest -- --division 330903001000 [--seed 1] [--band 300,500,400] [--level grid|micro] [--mode fresh|adjust] [--out file.geojson]`
// Same path as the API job (prepareSuggestion → worker → merged report), progress on stderr, the report on stdout.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config/env.ts';
import { migrateToLatest, openDatabase } from '../server/db/database.ts';
import { ProblemError } from '../server/http/problem.ts';
import { SuggestError } from '../server/domain/suggest/types.ts';
import { prepareSuggestion, suggestProblem, type SuggestRequest } from '../server/jobs/suggest.ts';
import { SuggestWorker } from '../server/jobs/thread.ts';

const USAGE = 'usage: npm run suggest -- --division <12-digit code> [--seed 1] [--band min,max,ideal] [--level grid|micro] [--mode fresh|adjust] [--out file.geojson]';

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

function parseRequest(): { suggestion: SuggestRequest; out: string | undefined } {
  const { values } = parseArgs({
    options: {
      division: { type: 'string' },
      seed: { type: 'string', default: '1' },
      band: { type: 'string' },
      level: { type: 'string', default: 'grid' },
      mode: { type: 'string', default: 'fresh' },
      out: { type: 'string' },
    },
  });
  if (!values.division || !/^\d{12}$/.test(values.division)) fail(`--division: a 12-digit village or township code\n${USAGE}`);
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) fail(`--seed: an integer, got ${values.seed}`);
  let band: SuggestRequest['band'];
  if (values.band) {
    const [min, max, ideal = (min + max) / 2] = values.band.split(',').map(Number);
    if (![min, max, ideal].every(Number.isFinite) || !(min > 0 && min <= ideal && ideal <= max)) fail(`--band: min,max[,ideal] with 0 < min ≤ ideal ≤ max, got ${values.band}`);
    band = { min, max, ideal };
  }
  if (values.level !== 'grid' && values.level !== 'micro') fail(`--level: grid or micro, got ${values.level}`);
  if (values.mode !== 'fresh' && values.mode !== 'adjust') fail(`--mode: fresh or adjust, got ${values.mode}`);
  return {
    suggestion: { divisionCode: values.division, band, level: values.level, mode: values.mode, seed, households: 'stored', barriers: [], output: 'features' },
    out: values.out,
  };
}

function progressBar(phase: string, percent: number): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((percent / 100) * width);
  process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(percent).padStart(3)}% ${phase.padEnd(10)}`);
}

const { suggestion, out } = parseRequest();
const config = loadConfig();
const db = await openDatabase({ databaseUrl: config.databaseUrl, embeddedDir: path.join(config.dataDir, 'pglite') });
const worker = new SuggestWorker();
try {
  await migrateToLatest(db.knex);
  const plan = await prepareSuggestion(db.knex, suggestion);
  process.stderr.write(`${plan.division.name} ${plan.division.code}: ${plan.villages.length} village(s)\n`);
  const outcome = await worker.run(plan, ({ phase, percent }) => progressBar(phase, percent));
  progressBar('done', 100);
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (out) {
    writeFileSync(out, JSON.stringify(outcome.features));
    process.stderr.write(`${outcome.features.features.length} grids written to ${out}\n`);
  }
  const { villages, ...report } = outcome.report;
  process.stdout.write(JSON.stringify({ ...report, villages: villages.length }, null, 2) + '\n');
} catch (error) {
  const problem = error instanceof SuggestError ? suggestProblem(error) : error;
  if (!(problem instanceof ProblemError)) throw error;
  process.stderr.write(`\n${problem.title}: ${problem.detail ?? ''}${problem.status === 404 ? ' (is the demo loaded? npm run seed)' : ''}\n`);
  process.exitCode = 1;
} finally {
  await worker.close();
  await db.close();
}
