// Worker threads run a module of this source tree. Under tsx (`npm start`, the tests) that module is TypeScript and the
// worker, which does not inherit the parent's loader, registers tsx before importing it. The production image runs
// the compiled JavaScript (`npm run build:server`) with production dependencies only, where tsx is absent: there the
// worker imports the compiled sibling (.js) directly.
const COMPILED = import.meta.url.endsWith('.js');

/**
 * Code for `new Worker(code, { eval: true })` that runs the module at `entry`, named by its TypeScript source.
 * @example new Worker(workerBootstrap(new URL('./suggestWorker.ts', import.meta.url)), { eval: true })
 */
export function workerBootstrap(entry: URL): string {
  if (COMPILED) return `import(${JSON.stringify(entry.href.replace(/\.ts$/, '.js'))})`;
  return `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); })`;
}
