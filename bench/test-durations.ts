/**
 * A vitest reporter for BENCHMARKS.md's "Test suite: slowest files": each test
 * file's wall time in its worker (import and collection of the file, which
 * is where a module-level build or a beforeAll-free setup runs, plus its
 * tests and hooks), written as JSON to $GRADSHEET_TEST_DURATIONS (default
 * out/test-durations.json), slowest first. Use it beside the default reporter:
 *   npx vitest run --reporter=default --reporter=./bench/test-durations.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

export interface FileDuration {
  readonly file: string;
  /** seconds: import + collect + setup + tests (what the file costs its worker) */
  readonly total: number;
  readonly collect: number;
  readonly tests: number;
  readonly state: string;
}

export default class TestDurations implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const rows: FileDuration[] = modules.map((m) => {
      const d = m.diagnostic();
      const s = (ms: number) => Math.round(ms) / 1000;
      return {
        file: relative(process.cwd(), m.moduleId),
        total: s(d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration),
        collect: s(d.collectDuration),
        tests: s(d.duration),
        state: m.state(),
      };
    }).sort((a, b) => b.total - a.total);
    const out = process.env.GRADSHEET_TEST_DURATIONS ?? 'out/test-durations.json';
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(rows, null, 2) + '\n');
  }
}
