/**
 * The quick lane, `npm run test:unit`: every test file except the slow ones
 * that launch a browser, run a TeX engine, build every problem, or run a
 * whole command end to end against an outside oracle. `npm test` (no config:
 * vitest's defaults) runs everything, these included. Durations are measured
 * in BENCHMARKS.md, "Test suite: slowest files"; a new test file that takes
 * more than a few seconds for one of these reasons belongs in this list.
 */
import { configDefaults, defineConfig } from 'vitest/config';

export const SLOW_TEST_FILES = [
  'test/sheets/fit.test.ts', // Chromium (playwright-core) and pdflatex on every sheet
  'test/site/browser.test.ts', // Chromium on the built site
  'test/hardening/output-safety.test.ts', // builds every problem in problems/, four times, and kills builds
  'test/exam/cli.test.ts', // `gradsheet exam` end to end, with PDFs (pdflatex)
  'test/variants/cli.test.ts', // `gradsheet variants` end to end, with PDFs (pdflatex)
  'test/hardening/tex-injection.test.ts', // a real pdflatex run on hostile text
  'test/variants/tensor.test.ts', // 250 variants through the CLI, twice, recomputed by NumPy
  'test/variants/tensor-oracle.test.ts', // 250 variants through the CLI, recomputed by the NumPy oracle
] as const;

export default defineConfig({
  test: {
    exclude: [...configDefaults.exclude, ...SLOW_TEST_FILES],
    maxWorkers: 2, // as vitest.config.ts: both cores
    testTimeout: 120_000,
  },
});
