// Variants of a tensor problem (problems/variants-conv2d.yaml): each pixel drawn on
// its own, a kernel on a grid, a whole weight matrix picked from a list. Values and
// gradients are recomputed here with our own convolution and five-point differences.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { fivePoint } from '../helpers/numbers.js';

type M = number[][];
interface Answer {
  variant: number; seed: string;
  given: { X: M; K: M; W: M; z: number };
  values: { Y: M; o: number; E: number };
  gradients: { E: { K: M } };
}

const COUNT = 40;
let answers: Answer[];

beforeAll(() => {
  const r = runCli(['variants', 'problems/variants-conv2d.yaml', '--count', String(COUNT), '--seed', '5', '--json']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  answers = JSON.parse(r.stdout) as Answer[];
}, 120_000);

/** Y = X * K without flipping (the seeds' convolution), o = sigmoid(sum W o Y), E = (z - o)^2 / 2. */
function forward(X: M, K: M, W: M, z: number): { Y: M; o: number; E: number } {
  const Y = [0, 1].map((i) => [0, 1].map((j) => K[0]![0]! * X[i]![j]! + K[0]![1]! * X[i]![j + 1]! + K[1]![0]! * X[i + 1]![j]! + K[1]![1]! * X[i + 1]![j + 1]!));
  const s = Y.flat().reduce((acc, y, n) => acc + W.flat()[n]! * y, 0);
  const o = 1 / (1 + Math.exp(-s));
  return { Y, o, E: 0.5 * (z - o) ** 2 };
}

describe('variants of a convolution problem', () => {
  it('draws every pixel on its own, the kernel on its grid, and W whole from its list', () => {
    const Ws = [JSON.stringify([[1, -1], [0.5, 2]]), JSON.stringify([[2, 0.5], [-1, 1]])];
    let pixelsDiffer = 0;
    for (const { given: g } of answers) {
      expect(g.X.flat().every((x) => Number.isInteger(x) && x >= 0 && x <= 3)).toBe(true);
      if (new Set(g.X.flat()).size > 1) pixelsDiffer++;
      expect(g.K.flat().every((k) => Number.isInteger(k * 4) && Math.abs(k) <= 1)).toBe(true);
      expect(Ws).toContain(JSON.stringify(g.W));
      expect([0, 1]).toContain(g.z);
    }
    expect(pixelsDiffer).toBe(COUNT);
    expect(new Set(answers.map((a) => JSON.stringify(a.given.W))).size).toBe(2);
    expect(new Set(answers.map((a) => JSON.stringify(a.given))).size).toBe(COUNT);
  });

  it('every require holds and every value and gradient matches our own forward pass and finite differences', () => {
    for (const a of answers) {
      const { X, K, W, z } = a.given;
      const f = forward(X, K, W, z);
      const s = f.Y.flat().reduce((acc, y, n) => acc + W.flat()[n]! * y, 0);
      expect(Math.abs(s)).toBeLessThanOrEqual(4 + 1e-12);
      expect(Math.abs(z - f.o)).toBeGreaterThan(0.05);
      f.Y.flat().forEach((y, n) => expect(Math.abs(a.values.Y.flat()[n]! - y)).toBeLessThanOrEqual(1e-12));
      expect(Math.abs(a.values.o - f.o)).toBeLessThanOrEqual(1e-14);
      expect(Math.abs(a.values.E - f.E)).toBeLessThanOrEqual(1e-14);
      for (const [i, j] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
        const fd = fivePoint((t) => { const K2 = K.map((r) => [...r]); K2[i]![j] = t; return forward(X, K2, W, z).E; }, K[i]![j]!);
        expect(Math.abs(a.gradients.E.K[i]![j]! - fd), `variant ${a.variant} K[${i + 1},${j + 1}]`).toBeLessThanOrEqual(1e-9 + 1e-6 * Math.abs(fd));
      }
    }
  });
});
