/**
 * The problems whose `derive --json` output is kept as a golden file: every
 * shipped problem and every test fixture. The golden files hold what shipped
 * before the tensor engine (issue 13, item 0), so a rewrite of the engine can
 * show that no value, gradient, update, shape or count changed.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const GOLDEN_DIR = join(ROOT, 'test', 'golden', 'derive');

const yamlIn = (dir: string): string[] =>
  readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.yaml')).sort().map((f) => join(dir, f));

/** Problem files (relative to the root) and the golden file each is compared with. */
export function goldenCases(): Array<{ problem: string; golden: string }> {
  const files = [
    ...yamlIn('problems'),
    ...yamlIn('test/check/fixtures'),
    ...yamlIn('test/layers/fixtures'),
  ];
  return files.map((problem) => ({
    problem,
    golden: join(GOLDEN_DIR, `${problem.startsWith('problems/') ? '' : basename(dirname(dirname(problem))) + '-'}${basename(problem, '.yaml')}.json`),
  }));
}
