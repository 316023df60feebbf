/**
 * `npm test`: every test file. Two workers: on the 2-core machines this project runs on,
 * vitest's default (cores - 1) is one worker, which leaves a core idle while a test file
 * waits on its child processes (pdflatex, Chromium, the CLI). BENCHMARKS.md, "Test suite:
 * slowest files", has the measured times.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    maxWorkers: 2,
    testTimeout: 120_000,
  },
});
