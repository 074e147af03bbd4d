import { defineConfig } from 'vitest/config';

const timeouts = { testTimeout: 60_000, hookTimeout: 180_000 };

export default defineConfig({
  test: {
    projects: [
      {
        // Pure domain and editor-state tests share nothing, so their files run in parallel.
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], ...timeouts, sequence: { groupOrder: 0 } },
      },
      {
        // API and browser suites start their own database (and browser); several PGlite instances at once would
        // compete for the machine's memory and cores, so these files run one at a time, after the unit files.
        test: {
          name: 'service',
          include: ['test/api/**/*.test.ts', 'test/fuzz/**/*.test.ts', 'test/browser/**/*.test.ts'],
          ...timeouts,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
