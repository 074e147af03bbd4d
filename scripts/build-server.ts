// `npm run build:server [-- --out dist] [--without-web]`: the application tree of the production image (Dockerfile).
// The server and the command-line tools a city runs in production (tsconfig.build.json) compiled to JavaScript, the
// files they read at run time at the same relative places as in the source tree (rule sets, geodata/, the built editor
// web/dist), and a package.json whose scripts run the compiled tools (`npm run import -- …` works in the container).
// Production dependencies are not part of it: the image installs them with `npm ci --omit=dev`.
// --without-web leaves the editor out (the image check in test/api/production-image.test.ts runs before any web build).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' }, 'without-web': { type: 'boolean', default: false } } });
const out = path.resolve(root, values.out!);

function fail(message: string): never {
  process.stderr.write(`build:server: ${message}\n`);
  process.exit(1);
}

if (!path.relative(out, root).startsWith('..')) fail(`--out ${out} would hold the source tree; name a folder of its own`);
const webDist = path.join(root, 'web/dist');
if (!values['without-web'] && !existsSync(path.join(webDist, 'index.html'))) fail('web/dist/index.html is missing; run `npm run build:web` first');

rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) fail('tsc -p tsconfig.build.json failed');

const rulesets = path.join(root, 'server/rulesets');
for (const file of readdirSync(rulesets).filter((f) => f.endsWith('.json'))) cpSync(path.join(rulesets, file), path.join(out, 'server/rulesets', file));
cpSync(path.join(root, 'geodata'), path.join(out, 'geodata'), { recursive: true });
if (!values['without-web']) cpSync(webDist, path.join(out, 'web/dist'), { recursive: true });

// The source scripts that run a compiled tool under tsx (`tsx scripts/seed.ts`) run its JavaScript with node here.
const source = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const scripts: Record<string, string> = { start: 'node server/main.js' };
for (const [name, command] of Object.entries(source.scripts as Record<string, string>)) {
  const tool = /^tsx (\S+)\.ts$/.exec(command)?.[1];
  if (tool && existsSync(path.join(out, `${tool}.js`))) scripts[name] = `node ${tool}.js`;
}
const { name, version, description, type, private: isPrivate, license, engines, dependencies } = source;
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ name, version, description, type, private: isPrivate, license, engines, scripts, dependencies }, null, 2)}\n`);
process.stderr.write(`build:server: ${out} holds the production application (${Object.keys(scripts).join(', ')})\n`);
