// `npm run bench [-- name…]`: runs every scripts/bench/*.bench.ts one after another (so they do not compete for the
// two cores), collects the JSON line each prints, and writes them with a description of the machine to
// docs/benchmarks-latest.json (merged with the entries of earlier partial runs). docs/benchmarks.md explains the figures and targets.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();

const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.type()} ${os.release()}`,
  at: new Date().toISOString(),
};
console.error(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}`);

const results: Record<string, unknown> = {};
for (const [i, file] of benches.entries()) {
  console.error(`[${i + 1}/${benches.length}] ${file}`);
  const started = Date.now();
  const output = execFileSync(path.resolve('node_modules/.bin/tsx'), [path.join(here, file)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const lastJson = output
    .trim()
    .split('\n')
    .reverse()
    .find((line) => line.trim().startsWith('{'));
  results[file.replace('.bench.ts', '')] = lastJson ? JSON.parse(lastJson) : { output: output.trim() };
  console.error(`    done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// A partial run (`npm run bench -- lookup`) replaces only its own entries; each entry keeps the machine it ran on.
const latestPath = path.resolve('docs/benchmarks-latest.json');
const previous = existsSync(latestPath) ? (JSON.parse(readFileSync(latestPath, 'utf8')) as { results?: Record<string, unknown> }).results ?? {} : {};
const stamped = Object.fromEntries(Object.entries(results).map(([name, result]) => [name, { ...(result as object), machine }]));
writeFileSync(latestPath, JSON.stringify({ machine, results: { ...previous, ...stamped } }, null, 2) + '\n');
console.log(JSON.stringify({ machine, results }, null, 2));
