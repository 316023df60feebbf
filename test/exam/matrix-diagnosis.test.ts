// The whole-matrix diagnosis of grading, on small matrices whose mistakes are
// built here by hand: each pattern is found when every given entry fits it, and
// nothing is claimed from one wrong entry or from one answered entry.
import { describe, expect, it } from 'vitest';
import { diagnoseMatrix } from '../../src/exam/matrix-diagnosis.js';

const REL = 1e-3;
const K = [1, 2, 3, 4, 5, 6]; // [[1, 2, 3], [4, 5, 6]]

describe('diagnoseMatrix', () => {
  it('transposed: a square matrix by index', () => {
    expect(diagnoseMatrix([2, 2], [1, 3, 2, 4], [1, 2, 3, 4], REL)?.verdict).toBe('transposed');
  });

  it('transposed: a 2x3 matrix, its 3x2 transpose written by index (the boxes that exist both ways) or read row by row into the boxes', () => {
    // the student's transpose is [[1, 4], [2, 5], [3, 6]]
    expect(diagnoseMatrix([2, 3], [1, 4, null, 2, 5, null], K, REL)).toEqual({ verdict: 'transposed', detail: 'entry [i,j] holds the right [j,i]: the answer is the transpose of the 2x3 matrix' });
    expect(diagnoseMatrix([2, 3], [1, 4, 2, 5, 3, 6], K, REL)).toEqual({ verdict: 'transposed', detail: 'the entries, read row by row, are those of the transpose (3x2) of the 2x3 matrix' });
    // rounded to 4 figures as students write
    expect(diagnoseMatrix([2, 2], [0.1235, 0.4568, 0.2346, 0.5679], [0.123456, 0.234567, 0.456789, 0.567891], REL)?.verdict).toBe('transposed');
  });

  it('sign and a common factor (a simple ratio when there is one)', () => {
    expect(diagnoseMatrix([2, 3], K.map((x) => -x), K, REL)?.verdict).toBe('sign');
    expect(diagnoseMatrix([2, 3], K.map((x) => x / 2), K, REL)).toEqual({ verdict: 'factor', detail: 'every entry is 1/2 times the right one' });
    expect(diagnoseMatrix([3], [0.2, 0.4, 0.6], [0.1, 0.2, 0.3], REL)).toEqual({ verdict: 'factor', detail: 'every entry is 2 times the right one' });
    expect(diagnoseMatrix([2, 3], K.map((x) => 1.7 * x), K, REL)?.detail).toBe('every entry is 1.7 times the right one');
  });

  it('missing-factor: a named activation derivative along the rows (zero rows included), else a factor of its own per row', () => {
    const step = { label: "relu'(z1) = step(z1)", values: [1, 0] };
    const M = [0.5, -1, 2, 3, 1, -4];
    const key = M.map((x, i) => x * step.values[Math.floor(i / 3)]!);
    expect(diagnoseMatrix([2, 3], M, key, REL, [step])).toEqual({ verdict: 'missing-factor', detail: "each row lacks its factor relu'(z1) = step(z1): the answer times it gives the right entries" });
    const sig = { label: "sigmoid'(z1)", values: [0.25, 0.1966, 0.105] };
    expect(diagnoseMatrix([3], [2, -1, 4], [0.5, -0.1966, 0.42], REL, [sig])?.detail).toBe("each entry lacks its factor sigmoid'(z1): the answer times it gives the right entries");
    // columns: a 2x3 gradient with the factor on its 3 columns
    expect(diagnoseMatrix([2, 3], [1, 1, 1, 2, 2, 2], [0.25, 0.1966, 0.105, 0.5, 0.3932, 0.21], REL, [sig])?.detail).toMatch(/^each column lacks its factor/);
    // no candidate: rows off by 2 and 3
    expect(diagnoseMatrix([2, 3], K, [2, 4, 6, 12, 15, 18], REL)).toEqual({ verdict: 'missing-factor', detail: "each row is off by a factor of its own (2, 3), as when a factor of the adjoint, such as an activation's derivative, is left out" });
  });

  it('nothing from one wrong entry, one given entry, or an all-right answer', () => {
    expect(diagnoseMatrix([2, 3], [1, 2, 3, 4, 5, 12], K, REL)).toBeNull();
    expect(diagnoseMatrix([2, 3], [-1, null, null, null, null, null], K, REL)).toBeNull();
    expect(diagnoseMatrix([2, 3], K, K, REL)).toBeNull();
    expect(diagnoseMatrix([2, 3], [1.0004, 2, 3, 4, 5, 6], K, REL)).toBeNull();
    // random junk fits no pattern
    expect(diagnoseMatrix([2, 3], [0.3, -2, 7, 1, 0, 2], K, REL)).toBeNull();
  });
});
