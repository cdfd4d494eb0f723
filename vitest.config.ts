import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Statistical and end-to-end tests are CPU-heavy; two cores here.
    maxWorkers: 2,
    benchmark: { include: ['tests/bench/**/*.bench.ts'] },
  },
});
