/**
 * Every tensor problem against an independent implementation (issue 13, 14):
 * NumPy forward passes and hand-written backward passes (test/tensor/oracle/,
 * written by a helper that did not read the code), to |a - b| <= 1e-9 max(1, |b|);
 * the tensor level against the scalar level on every entry; both levels against
 * central differences.
 */
import { describe, expect, it } from 'vitest';
import { TENSOR_PROBLEMS, differences, oracle, solveTensorProblem } from './helpers.js';

describe('tensor problems against the NumPy oracle', () => {
  const expected = oracle();
  for (const id of TENSOR_PROBLEMS) {
    it(id, () => {
      const { json } = solveTensorProblem(id);
      const want = expected[id]!;
      const diffs: string[] = [];
      for (const [k, v] of Object.entries(want.values ?? {})) diffs.push(...differences(json.values[k], v, `values.${k}`));
      for (const [of, m] of Object.entries(want.gradients ?? {})) {
        for (const [w, v] of Object.entries(m)) diffs.push(...differences(json.gradients[of]?.[w], v, `gradients.${of}.${w}`));
      }
      for (const [k, v] of Object.entries(want.updates ?? {})) diffs.push(...differences((json.updates as Record<string, unknown>)[k], v, `updates.${k}`));
      expect(diffs).toEqual([]);
      // every asked gradient is in the oracle, so nothing the JSON prints went unchecked
      const asked = Object.entries(json.gradients).flatMap(([of, m]) => Object.keys(m).map((w) => `${of}/${w}`));
      const known = Object.entries(want.gradients ?? {}).flatMap(([of, m]) => Object.keys(m).map((w) => `${of}/${w}`));
      expect(asked.sort()).toEqual(known.sort());
    });
  }
});

describe('the two levels and the finite-difference checks', () => {
  for (const id of TENSOR_PROBLEMS) {
    it(`${id}: the scalar level ran, agrees entry by entry, and central differences pass`, () => {
      const { json } = solveTensorProblem(id);
      const check = json.check as { passed: boolean; method: string; maxRelError: number; directions: number; scalarLevel: { ran: boolean; maxAbsDiff: number } };
      expect(check.scalarLevel.ran).toBe(true);
      expect(check.scalarLevel.maxAbsDiff).toBeLessThan(1e-12);
      expect(check.method).toBe('central-difference');
      expect(check.directions).toBeGreaterThan(0);
      expect(check.maxRelError).toBeLessThan(1e-6);
      expect(check.passed).toBe(true);
    });
  }
});
