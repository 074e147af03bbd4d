// The production image, checked without Docker. The Dockerfile is multi-stage: its build stage runs `npm run build`,
// a deps stage `npm ci --omit=dev`, and the final stage takes only those two outputs and runs as an unprivileged user
// with a HEALTHCHECK. Here: the build (`npm run build:server`, the editor left out) yields compiled JavaScript without
// tests or TypeScript; the production dependency set of package-lock.json holds no build or test tool; the compiled
// server imports nothing else, and it starts and answers /health on both backends with only those packages present;
// the compiled command-line tools load.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS, createScratchDatabase } from '../support/service.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

// ---- package-lock.json: what `npm ci --omit=dev` installs ----

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };

/** Where Node finds `name` from the package installed at `from` ('' is the project): the nearest node_modules up. */
function resolveInLock(from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!base) return undefined;
    base = base.slice(0, Math.max(0, base.lastIndexOf('node_modules/') - 1));
  }
}

/** Lockfile locations reachable from the project's `dependencies` (with their optional and required peer dependencies). */
function productionClosure(): Set<string> {
  const reached = new Set<string>();
  const visit = (location: string, entry: LockEntry) => {
    const required = { ...entry.dependencies, ...entry.peerDependencies };
    for (const optional of Object.keys(entry.peerDependenciesMeta ?? {})) if (entry.peerDependenciesMeta![optional].optional) delete required[optional];
    for (const [names, mustExist] of [[Object.keys(required), true], [Object.keys(entry.optionalDependencies ?? {}), false]] as const) {
      for (const name of names) {
        const found = resolveInLock(location, name);
        if (!found) {
          if (mustExist) throw new Error(`package-lock.json: ${location || 'the project'} needs ${name}, which the lockfile does not hold`);
          continue;
        }
        if (reached.has(found)) continue;
        reached.add(found);
        visit(found, lock.packages[found]);
      }
    }
  };
  visit('', { dependencies: lock.packages[''].dependencies, optionalDependencies: lock.packages[''].optionalDependencies });
  return reached;
}

const packageName = (location: string) => location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);

// ---- the Dockerfile ----

interface Instruction {
  keyword: string;
  args: string;
}
interface Stage {
  image: string;
  name: string | null;
  instructions: Instruction[];
}

function dockerfileStages(text: string): Stage[] {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (keyword.toUpperCase() === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ image, name: name ?? null, instructions: [] });
    } else stages.at(-1)!.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

const stageArgs = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);

// ---- the compiled server ----

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

/** Runs `node server/main.js` in the build output, as the image does, and waits for "Server listening at <url>" in its log. */
async function startCompiledServer(app: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess; log: string[] }> {
  const child = spawn(process.execPath, ['server/main.js'], {
    cwd: app,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? tmpdir(), NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stderr!.on('data', (chunk) => log.push(String(chunk)));
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`the compiled server exited with code ${code} before listening:\n${log.join('')}`);
  });
  const listening = (async () => {
    for await (const line of createInterface({ input: child.stdout! })) {
      log.push(line);
      const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
      if (url) return url;
    }
    throw new Error(`the compiled server closed its output before listening:\n${log.join('\n')}`);
  })();
  const url = await Promise.race([listening, exited]);
  child.stdout!.resume();
  return { url, child, log };
}

describe('production image', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'wangge-image-'));
  const app = path.join(work, 'app');
  let files: string[];

  beforeAll(async () => {
    await run('npm', ['run', '--silent', 'build:server', '--', '--out', app, '--without-web'], { cwd: root });
    files = filesUnder(app);
    // The deps stage's node_modules: the production packages only (linked from the project's full install).
    for (const location of productionClosure()) {
      if (location.split('node_modules/').length !== 2 || !existsSync(path.join(root, location))) continue;
      mkdirSync(path.dirname(path.join(app, location)), { recursive: true });
      symlinkSync(path.join(root, location), path.join(app, location));
    }
  }, 240_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('builds in stages and runs only the build output and production node_modules, unprivileged, with a HEALTHCHECK; compose runs it on PostGIS', () => {
    const stages = dockerfileStages(readFileSync(path.join(root, 'Dockerfile'), 'utf8'));
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(new Set(stages.map((s) => s.image)).size, 'node_modules move between stages, so all use one base image').toBe(1);
    const named = (name: string) => stages.find((s) => s.name === name)!;
    expect(stageArgs(named('build'), 'RUN')).toEqual(expect.arrayContaining([expect.stringMatching(/^npm ci\b/), 'npm run build']));
    expect(packageJson.scripts.build).toContain('npm run build:server');
    const deps = named('deps');
    expect(stageArgs(deps, 'COPY')).toEqual(['package.json package-lock.json ./']);
    expect(stageArgs(deps, 'RUN')).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);

    const final = stages.at(-1)!;
    expect(final.name).toBeNull();
    expect(stageArgs(final, 'WORKDIR')).toEqual(['/app']);
    expect(stageArgs(final, 'COPY').sort()).toEqual(['--from=build /app/dist ./', '--from=deps /app/node_modules ./node_modules']);
    expect(stageArgs(final, 'ADD')).toEqual([]);
    const user = stageArgs(final, 'USER').at(-1);
    expect(user, 'the final stage names its user').toBeDefined();
    expect(['root', '0']).not.toContain(user!.split(':')[0]);
    expect(final.instructions.findIndex((i) => i.keyword === 'USER')).toBeLessThan(final.instructions.findIndex((i) => i.keyword === 'CMD'));
    const [healthcheck] = stageArgs(final, 'HEALTHCHECK');
    expect(healthcheck).toMatch(/\bCMD\b.*\/health\b/);
    const [cmd] = stageArgs(final, 'CMD');
    expect(JSON.parse(cmd)).toEqual(['node', 'server/main.js']);
    expect(files).toContain('server/main.js');

    const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    expect(compose).toMatch(/^\s+image: postgis\/postgis:/m);
    expect(compose).toMatch(/^\s+build: \.$/m);
    expect(compose).toMatch(/^\s+DATABASE_URL: postgres:\/\/\S+@db:5432\/\S+$/m);
    expect(compose).toMatch(/^\s+WANGGE_MODE: \$\{WANGGE_MODE:-production\}$/m);

    const ignored = readFileSync(path.join(root, '.dockerignore'), 'utf8').split(/\r?\n/).map((l) => l.trim());
    expect(ignored, 'a host install or build never enters the build context').toEqual(expect.arrayContaining(['node_modules', 'dist', 'web/dist', 'data', '.git']));
  });

  it('builds compiled JavaScript of the server and its tools, the files they read, and no tests or TypeScript', () => {
    for (const file of ['server/main.js', 'server/jobs/suggestWorker.js', 'server/jobs/rulesWorker.js', 'db/migrations/index.js', 'scripts/seed.js', 'scripts/import.js', 'scripts/import-divisions.js', 'scripts/suggest.js', 'server/rulesets/zhoushan.json', 'server/rulesets/gansu.json', 'geodata/zhoushan-divisions.csv', 'geodata/SOURCES.md', 'package.json']) {
      expect(files).toContain(file);
    }
    expect(files.filter((f) => /\.tsx?$|\.test\.|\.bench\.|\.map$|^test\/|^web\/src\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.startsWith('scripts/')).sort()).toEqual(['scripts/import-divisions.js', 'scripts/import.js', 'scripts/seed.js', 'scripts/suggest.js']);

    const runtime = JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8'));
    expect(runtime.type).toBe('module');
    expect(runtime.dependencies).toEqual(packageJson.dependencies);
    expect(runtime.scripts).toEqual({ start: 'node server/main.js', seed: 'node scripts/seed.js', import: 'node scripts/import.js', 'import:divisions': 'node scripts/import-divisions.js', suggest: 'node scripts/suggest.js' });
  });

  it('installs no build or test tool in production, as package-lock.json resolves it', () => {
    const project = lock.packages[''];
    expect(project.dependencies, 'package-lock.json is regenerated after package.json changes').toEqual(packageJson.dependencies);
    expect(project.devDependencies).toEqual(packageJson.devDependencies);
    const production = productionClosure();
    const names = new Set([...production].map(packageName));
    // Type declarations may come along (wkx depends on @types/node); build and test tools may not.
    const tools = Object.keys(packageJson.devDependencies).filter((name) => !name.startsWith('@types/'));
    expect(tools).toEqual(expect.arrayContaining(['vitest', 'playwright-core', 'typescript', 'vite', 'tsx']));
    for (const tool of [...tools, 'esbuild']) {
      expect(names.has(tool), `${tool} is installed in production`).toBe(false);
    }
    // npm ci --omit=dev leaves out exactly the entries the lockfile flags dev: they must agree with the closure.
    const flaggedProduction = Object.keys(lock.packages).filter((location) => location !== '' && !lock.packages[location].dev);
    expect(flaggedProduction.sort()).toEqual([...production].sort());
  });

  it('imports only production dependencies and files of the build from compiled code', () => {
    const production = new Set(Object.keys(packageJson.dependencies));
    const builtins = new Set(builtinModules);
    const faults: string[] = [];
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const { importedFiles } = ts.preProcessFile(readFileSync(path.join(app, file), 'utf8'), true, true);
      for (const { fileName: specifier } of importedFiles) {
        if (specifier.startsWith('.')) {
          if (!files.includes(path.posix.join(path.posix.dirname(file), specifier))) faults.push(`${file}: ${specifier} is not in the build`);
        } else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
          const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
          if (!production.has(name)) faults.push(`${file}: ${specifier} is not a production dependency`);
        }
      }
    }
    expect(faults).toEqual([]);
  });

  // A first start on an empty embedded database creates it (initdb, PostGIS): about 10 s, a minute on a busy 2-core machine.
  it.each(BACKENDS)('starts the compiled server in production mode on %s and answers /health', { timeout: 180_000 }, async (backend) => {
    const scratch = backend === 'postgresql' ? await createScratchDatabase() : null;
    const env = { WANGGE_MODE: 'production', DATA_DIR: path.join(work, `data-${backend}`), ...(scratch ? { DATABASE_URL: scratch.url } : {}) };
    const server = await startCompiledServer(app, env);
    try {
      const health = await fetch(`${server.url}/health`);
      expect(health.status, server.log.join('\n')).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', backend, mode: 'production' });
      expect((await fetch(`${server.url}/v1/grids`)).status).toBe(401);
    } finally {
      const exited = once(server.child, 'exit');
      server.child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      await scratch?.drop();
    }
  });

  it('loads the compiled command-line tools and runs a suggestion on a worker thread without tsx', { timeout: 60_000 }, async () => {
    for (const tool of ['scripts/import.js', 'scripts/import-divisions.js', 'scripts/suggest.js']) {
      const failure = await run(process.execPath, [tool], { cwd: app }).then(() => null, (error: { code: number; stderr: string }) => error);
      expect(failure?.code, `${tool}: ${failure?.stderr}`).toBe(2);
      expect(failure?.stderr).toMatch(/usage: npm run/);
    }
    // A 2 km square village with 900 households on a 30 × 30 lattice, partitioned on the suggestion thread.
    const suggestion = `
      import { SuggestWorker } from './server/jobs/thread.js';
      const [w, s, size] = [122.2, 29.95, 0.02];
      const geometry = { type: 'Polygon', coordinates: [[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]] };
      const households = Array.from({ length: 900 }, (_, i) => ({ lon: w + ((i % 30) + 0.5) * (size / 30), lat: s + (Math.floor(i / 30) + 0.5) * (size / 30), households: 1 }));
      const worker = new SuggestWorker();
      const village = { code: '330903100001', name: 'lattice', input: { division: { code: '330903100001', geometry }, households, seed: 1 } };
      const outcome = await worker.run({ villages: [village], skipped: [], sharedPoints: false }, () => undefined);
      const onThread = worker.threadId !== null;
      await worker.close();
      const grids = outcome.features.features;
      console.log(JSON.stringify({ onThread, grids: grids.length, households: grids.reduce((n, f) => n + f.properties.households, 0) }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', suggestion], { cwd: app });
    const outcome = JSON.parse(stdout);
    expect(outcome).toMatchObject({ onThread: true, households: 900 });
    expect(outcome.grids).toBeGreaterThanOrEqual(2);
  });
});
