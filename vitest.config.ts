import { defineConfig } from 'vitest/config';

// One runner for the whole workspace: unit tests sit beside their files, cross-package
// integration/e2e tests live in test/. Benchmarks are not tests (test/bench, `pnpm bench`).
export default defineConfig({
  test: {
    include: ['{shared,server,client}/src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'test/bench/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores: integration tests start servers and browsers; keep parallelism modest.
    maxWorkers: 2,
    reporters: ['default', './test/reporters/SummaryLineReporter.ts'],
  },
});
