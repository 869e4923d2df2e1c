import { defineConfig } from 'vitest/config'

// Three projects: `unit` is pure and fast; `integration` starts real processes
// on 127.0.0.1 and runs one file at a time so measurements do not share the two
// cores; `e2e` drives Debian's Chromium. The last two compile lab/ first (their
// servers run from dist/), and e2e builds the pages, so nothing is tested stale.
export default defineConfig({
  test: {
    projects: [
      // a unit test that runs a whole scenario on fakes takes ~1 s alone, several on a loaded 2-core machine
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 20_000 } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/build.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/build.ts', 'test/support/build-pages.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
})
