import { defineConfig } from 'vitest/config';

/**
 * Real-time browser files: they play audio on a live AudioContext in real Chromium and
 * measure what happens in wall-clock time (first sound, follow-mode drift, chunk refills
 * while playing, meter readings after a seek). Run beside other heavy files on two cores
 * they were starved (a 30 s song ended before its 40 stems had loaded), so they run one at
 * a time, after everything else.
 */
const REALTIME_E2E = ['test/e2e/**/*.test.ts', 'test/live*.test.ts'];
/** Cluster files start Redis and several server processes each: one at a time, after the rest. */
const CLUSTER = ['test/cluster/**/*.test.ts'];

// One runner for the whole workspace: unit tests sit beside their files, cross-package
// integration/e2e tests live in test/. Benchmarks are not tests (test/bench, `pnpm bench`).
export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/reporters/SummaryLineReporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['{shared,server,client}/src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'test/bench/**', ...REALTIME_E2E, ...CLUSTER],
          // Two cores: integration tests start servers and browsers; keep parallelism modest.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'cluster',
          include: CLUSTER,
          exclude: ['**/node_modules/**'],
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        extends: true,
        test: {
          name: 'realtime-e2e',
          include: REALTIME_E2E,
          exclude: ['**/node_modules/**'],
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
