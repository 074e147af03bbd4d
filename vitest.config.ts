import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'server/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // API suites start their own database; running files in parallel would start several PGlite instances at once.
    fileParallelism: false,
  },
});
