/** Tensor answers: entry-by-entry verdicts, the transposed diagnosis, shapes, and the JSON of contract 6.3. */
import { describe, expect, it } from 'vitest';
import { checkAnswer } from '../../src/check/check.js';
import { checkJson } from '../../src/check/report.js';
import { ctxFor, fixture } from './helpers.js';

const W1 = () => ctxFor(fixture('mlp-tanh.yaml'), 'E', 'W1');
const delta1 = '((W2^T (o - t) o (1 - o)) .* (1 - h^2))';

describe('matrix answers', () => {
  it('nests per-entry verdicts in the tensor\'s shape in the JSON', () => {
    const j = checkJson(checkAnswer(W1(), `${delta1} x^T`));
    expect(j.equivalent).toBe(true);
    const entries = j.entries as Array<Array<{ entry: string; equivalent: boolean }>>;
    expect(entries.length).toBe(3);
    expect(entries.map((r) => r.length)).toEqual([2, 2, 2]);
    expect(entries[2]![1]!.entry).toBe('W1[3,2]');
  });

  it('flags only the wrong entries', () => {
    // the (1,2) entry with the wrong sign, the rest right
    const rows = [1, 2, 3].map((i) => [1, 2].map((j) => `W2[1,${i}] (o - t) o (1 - o) (1 - h${i}^2) x${j}`));
    rows[0]![1] = `-${rows[0]![1]}`;
    const r = checkAnswer(W1(), `[${rows.map((r) => `[${r.join(', ')}]`).join(', ')}]`);
    expect(r.equivalent).toBe(false);
    expect(r.entries!.filter((e) => !e.equivalent).map((e) => e.key)).toEqual(['W1[1,2]']);
    expect(r.diagnosis).toBe('sign');
    expect(r.detail).toContain('W1[1,2]');
    expect(r.counterexample!.entry).toBe('W1[1,2]');
  });

  it('diagnoses a transposed answer of the swapped shape and of a square shape', () => {
    const swapped = checkAnswer(W1(), `x ${delta1}^T`);
    expect(swapped.diagnosis).toBe('transposed');
    expect(swapped.entries!.every((e) => e.diagnosis === 'transposed')).toBe(true);
    const square = checkAnswer(ctxFor(fixture('q4-conv.yaml'), 'E', 'K'),
      '(o - z) o (1 - o) [[w11*x11 + w12*x12 + w21*x21 + w22*x22, w11*x21 + w12*x22 + w21*x31 + w22*x32], [w11*x12 + w12*x13 + w21*x22 + w22*x23, w11*x22 + w12*x23 + w21*x32 + w22*x33]]');
    expect(square.diagnosis).toBe('transposed');
    // the diagonal is right either way
    expect(square.entries!.map((e) => e.equivalent)).toEqual([true, false, false, true]);
  });

  it('mixed mistakes are "other" with each entry\'s own diagnosis', () => {
    const rows = [1, 2, 3].map((i) => [1, 2].map((j) => `W2[1,${i}] (o - t) o (1 - o) (1 - h${i}^2) x${j}`));
    rows[0]![0] = `-${rows[0]![0]}`;
    rows[1]![1] = `2 ${rows[1]![1]}`;
    const r = checkAnswer(W1(), `[${rows.map((r) => `[${r.join(', ')}]`).join(', ')}]`);
    expect(r.diagnosis).toBe('other');
    expect(r.detail).toBe('W1[1,1]: sign; W1[2,2]: factor');
  });

  it('accepts a row or a column for a vector', () => {
    const b1 = ctxFor(fixture('mlp-tanh.yaml'), 'E', 'b1');
    expect(checkAnswer(b1, `${delta1}`).equivalent).toBe(true);
    expect(checkAnswer(b1, `${delta1}^T`).equivalent).toBe(true);
  });
});
