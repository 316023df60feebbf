/**
 * Golden answers (issue 13, item 0): every number that `derive --json` printed
 * for a shipped problem or a test fixture before the tensor engine must come
 * out the same, to 1e-12 relative. Formulas (closedForms, definitions,
 * matrixForms) and the check's own figures may change and are not compared;
 * keys the engine adds are allowed, keys it drops are not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { solve } from '../../src/derive/solve.js';
import { deriveJson } from '../../src/derive/json.js';
import { loadProblem } from '../../src/problem/read.js';
import { ROOT, goldenCases } from './files.js';

/** Keys whose contents are formulas or diagnostics, not answers. */
// layerCheck holds the two levels' disagreement (rounding noise), a check's own figure like check
const NOT_COMPARED = new Set(['closedForms', 'definitions', 'matrixForms', 'check', 'notes', 'layerCheck']);

/** Every difference between the golden value and the new one, as `path: what`. */
export function numericDiffs(golden: unknown, got: unknown, path = '', out: string[] = []): string[] {
  if (typeof golden === 'number') {
    if (typeof got !== 'number') out.push(`${path}: expected ${golden}, got ${JSON.stringify(got)}`);
    else if (!(Math.abs(got - golden) <= 1e-12 * Math.max(Math.abs(golden), 1e-300) || got === golden)) out.push(`${path}: expected ${golden}, got ${got}`);
  } else if (Array.isArray(golden)) {
    if (!Array.isArray(got) || got.length !== golden.length) out.push(`${path}: expected an array of ${golden.length}, got ${JSON.stringify(got)?.slice(0, 80)}`);
    else golden.forEach((g, i) => numericDiffs(g, got[i], `${path}[${i}]`, out));
  } else if (golden !== null && typeof golden === 'object') {
    if (got === null || typeof got !== 'object') { out.push(`${path}: expected an object`); return out; }
    for (const [k, v] of Object.entries(golden)) {
      if (path === '' && NOT_COMPARED.has(k)) continue;
      if (!(k in got)) { out.push(`${path}.${k}: missing`); continue; }
      numericDiffs(v, (got as Record<string, unknown>)[k], `${path}.${k}`, out);
    }
  } else if (typeof golden === 'boolean' && got !== golden) {
    out.push(`${path}: expected ${golden}, got ${JSON.stringify(got)}`);
  }
  return out;
}

describe('golden derive --json answers', () => {
  for (const { problem, golden } of goldenCases()) {
    it(problem, () => {
      expect(existsSync(golden), `no golden file for ${problem}: run npx tsx test/golden/update.ts and review the new file`).toBe(true);
      const want = JSON.parse(readFileSync(golden, 'utf8')) as { derive: unknown };
      const got = deriveJson(solve(loadProblem(join(ROOT, problem))));
      expect(numericDiffs(want.derive, got)).toEqual([]);
    });
  }
});

describe('the golden comparison itself', () => {
  it('finds a changed number, a missing key and a shape change, and allows new keys', () => {
    const golden = { values: { h: [0.5, 0.25] }, gradients: { E: { w: 1 } }, closedForms: { E: { w: 'a' } } };
    expect(numericDiffs(golden, { values: { h: [0.5, 0.25] }, gradients: { E: { w: 1 } }, extra: 3 })).toEqual([]);
    expect(numericDiffs(golden, { values: { h: [0.5, 0.25 + 1e-9] }, gradients: { E: { w: 1 } } })).toHaveLength(1);
    expect(numericDiffs(golden, { values: { h: [0.5] }, gradients: { E: {} } })).toHaveLength(2);
  });
});
