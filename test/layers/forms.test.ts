/**
 * Convolution, pooling and dense layers against the mpmath oracle
 * (test/layers/oracle.py -> expected.json: an independent forward pass at 50
 * digits, gradients by central differences at h = 1e-15), and the two levels
 * against each other: the tensor level the layers are written in (the deltas,
 * the compact cross-correlation form of the kernel gradients) must agree with
 * the scalar graph entry by entry to 1e-12 relative.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { expectNestedRel } from '../helpers/numbers.js';
import { outSize, samePadding } from '../../src/networks/layers/geometry.js';
import { FIXTURES, oracle, problem, solveFile, solveText } from './helpers.js';
import { parseProblem } from '../../src/problem/load.js';
import { solve } from '../../src/derive/solve.js';
import { Rational } from '../../src/expr/rational.js';

const ORACLE = 1e-10;
const LAYER_LEVEL = 1e-12;

describe('fixtures against the mpmath oracle', () => {
  for (const id of Object.keys(oracle)) {
    test(id, () => {
      const { sol, json } = solveFile(join(FIXTURES, `${id}.yaml`));
      const want = oracle[id]!;
      for (const [name, v] of Object.entries(want.values)) expectNestedRel(json.values[name], v, ORACLE, name);
      for (const [of, byWrt] of Object.entries(want.gradients)) {
        for (const [wrt, g] of Object.entries(byWrt)) expectNestedRel(json.gradients[of]![wrt], g, ORACLE, `d${of}/d${wrt}`);
      }
      expect(sol.check.passed).toBe(true);
      expect(sol.report.layerCheck!.maxRelError).toBeLessThanOrEqual(LAYER_LEVEL);
    });
  }
});

describe('the tensor level (the layer-level forms) agrees with the scalar graph', () => {
  const files = [
    ...readdirSync(FIXTURES).map((f) => join(FIXTURES, f)),
    problem('seed000-q3-conv1d.yaml'), problem('seed000-q4-conv2d.yaml'), problem('seed001-cnn-5-conv-maxpool.yaml'),
  ];
  for (const file of files) {
    test(file.split('/').pop()!, () => {
      const { sol, json } = solveFile(file);
      const lc = json.layerCheck as { maxRelError: number; compared: number; worst: string | null };
      // every layer output value is compared, and every gradient entry
      const outputs = sol.forward.length;
      const entries = sol.gradients.reduce((s, g) => s + g.entries.length, 0);
      expect(lc.compared).toBeGreaterThanOrEqual(outputs + entries);
      expect(lc.maxRelError, String(lc.worst)).toBeLessThanOrEqual(LAYER_LEVEL);
    });
  }

  test('the compact form is compared entry by entry with the scalar graph for every kernel', () => {
    const { sol } = solveFile(join(FIXTURES, 'layers-stride2-compact.yaml'));
    // K has 9 entries: the tensor level's dK is the compact form X (star) dilate(delta) (stride 2), each entry against the scalar graph
    const kEntries = sol.gradients.find((g) => g.wrt === 'K')!.entries.length;
    expect(kEntries).toBe(9);
    expect(sol.report.layerCheck!.compared).toBeGreaterThanOrEqual(kEntries);
    expect(sol.tensor!.passes[0]!.forms.forms.get('K')!.kind === 'apply' && (sol.tensor!.passes[0]!.forms.forms.get('K') as { op: string }).op).toBe('convBackKernel');
  });
});

const HEAD = 'id: inline\ntitle: inline\n';

describe('max pooling: routing and ties', () => {
  // X has its maximum 1 at [1,1] and [2,2]: a tie; the first in row order, X[1,1], gets the gradient
  const tie = `${HEAD}network:
  kind: layers
  input: {name: X, shape: [2, 2]}
  layers:
    - {kind: pool, name: P, op: max, window: [2, 2]}
    - {kind: dense, name: o, weights: {name: W}, activation: sigmoid}
  loss: {kind: half-squared-error, target: z, name: E}
given: {X: [[1, 0], [0, 1]], W: [[2]], z: 0}
ask:
  - gradient: {of: E, wrt: [X, W]}
`;
  test('a tie routes to the first maximum and is listed as not differentiable', () => {
    const { sol, json } = solveText(tie);
    const dX = json.gradients.E!.X as number[][];
    const o = 1 / (1 + Math.exp(-2)); // sigmoid(2 * max) with max = 1
    expect(dX[0]![0]).toBeCloseTo((o - 0) * o * (1 - o) * 2, 14);
    expect(dX[1]![1]).toBe(0);
    expect(dX[0]![1]).toBe(0);
    expect(sol.check.nondifferentiable).toEqual(expect.arrayContaining(['E/X[1,1]', 'E/X[2,2]']));
    expect(sol.check.nondifferentiable).not.toContain('E/W[1,1]');
    expect(sol.check.passed).toBe(true);
    expect((json.routing as Record<string, unknown[]>).P).toEqual([
      { output: 'P[1,1]', to: 'X[1,1]', value: 1, window: ['X[1,1]', 'X[1,2]', 'X[2,1]', 'X[2,2]'], ties: ['X[2,2]'] },
    ]);
    expect(sol.report.layerCheck!.maxRelError).toBeLessThanOrEqual(LAYER_LEVEL);
  });

  test('without a tie the max-pool node is the selected element itself', () => {
    const { sol } = solveText(tie.replace('[[1, 0], [0, 1]]', '[[1, 0], [0, 3]]'));
    expect(sol.graph.nodes.get('P[1,1]')!.def).toMatchObject({ kind: 'ref', key: 'X[2,2]' });
    expect(sol.check.nondifferentiable).toEqual([]);
  });

  test('zero padding takes part in the max and the average (padding cells count as zeros)', () => {
    const text = (op: string) => `${HEAD}network:
  kind: layers
  input: {name: X, shape: [2, 2]}
  layers:
    - {kind: pool, name: P, op: ${op}, window: [2, 2], stride: [2, 2], padding: 1}
given: {X: [[-1, 2], [3, -4]]}
ask:
  - forward: [P]
`;
    // each 2x2 window holds one input element and three padding zeros
    expect(solveText(text('avg')).json.values.P).toEqual([[-0.25, 0.5], [0.75, -1]]);
    const max = solveText(text('max')).json;
    expect(max.values.P).toEqual([[0, 2], [3, 0]]);
    const routes = (max.routing as Record<string, Array<{ to: string | null }>>).P!;
    expect(routes.map((r) => r.to)).toEqual([null, 'X[1,2]', 'X[2,1]', null]); // a padding maximum routes nowhere
  });
});

describe('sizes and padding', () => {
  test('floor((H - k + 2p)/s) + 1', () => {
    expect(outSize(28, 4, 2, 0, 0)).toBe(13);  // seed 001 ex. 2
    expect(outSize(6, 3, 1, 1, 1)).toBe(6);    // seed 001 ex. 5
    expect(outSize(5, 3, 2, 1, 1)).toBe(3);
    expect(outSize(3, 4, 1, 0, 0)).toBeNull(); // the kernel does not fit
  });
  test('same padding: (k - 1)/2 on each side; an even kernel puts the extra row and column after', () => {
    expect(samePadding(6, 5, 1)).toEqual({ before: 2, after: 2 });
    expect(samePadding(5, 3, 1)).toEqual({ before: 1, after: 1 });
    expect(samePadding(4, 2, 1)).toEqual({ before: 0, after: 1 });
    expect(samePadding(10, 4, 1)).toEqual({ before: 1, after: 2 });
    // stride 2 keeps ceil(7/2) = 4 positions: total max(3*2 + 3 - 7, 0) = 2
    expect(samePadding(7, 3, 2)).toEqual({ before: 1, after: 1 });
  });
  test('an even kernel with same padding keeps the size and reports where the padding goes', () => {
    const { json } = solveText(`${HEAD}network:
  kind: layers
  input: {name: X, shape: [4, 6]}
  layers:
    - {kind: conv2d, name: Y, kernel: {name: K, shape: [2, 4]}, padding: same}
given: {}
ask:
  - padding: same
  - shape: [Y]
`);
    expect(json.padding).toEqual({ Y: { before: [0, 1], after: [1, 2] } });
    expect((json.shapes as Record<string, number[]>).Y).toEqual([4, 6]);
  });
  test('the compact form dE/dK = X (star) delta of seed 000 Q4, by hand from the printed deltas', () => {
    const { json } = solveFile(problem('seed000-q4-conv2d.yaml'));
    const X = [[1, 2, 0], [0, 1, 3], [2, 1, 1]];
    const d = (json.deltas as Record<string, Record<string, number[][]>>).E!.Y!;
    // (X star d)_ab = sum_ij d_ij X_(i+a-1)(j+b-1), valid: a, b in 1..2
    const dK = [0, 1].map((a) => [0, 1].map((b) => d.reduce((s, row, i) => s + row.reduce((t, v, j) => t + v * X[i + a]![j + b]!, 0), 0)));
    expectNestedRel(json.gradients.E!.K, dK, 1e-15, 'dE/dK');
  });
});

describe('shape-only and count-only problems are not expanded', () => {
  test('a 224x224x3 network answers its shapes and counts without a single node', () => {
    const t0 = performance.now();
    const { sol, json } = solveText(`${HEAD}network:
  kind: layers
  input: {name: X, shape: [224, 224, 3]}
  layers:
    - {kind: conv2d, name: A, kernels: 64, kernel: {name: K1, shape: [3, 3, 3]}, padding: same, bias: true, activation: relu}
    - {kind: pool, name: B, window: [2, 2]}
    - {kind: conv2d, name: C, kernels: 128, kernel: {name: K2, shape: [3, 3, 64]}, padding: same, bias: true}
    - {kind: dense, name: o, weights: {name: W}, units: 10}
given: {}
ask:
  - shape: [o]
  - parameters: {compare: dense}
`);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(sol.graph.nodes.size).toBe(0);
    expect((json.shapes as Record<string, number[]>).C).toEqual([112, 112, 128]);
    expect(json.parameterCount).toBe(64 * 27 + 64 + 128 * 9 * 64 + 128 + 10 * 112 * 112 * 128);
  });
  test('given values of a shape-only problem are still checked against the declared shape', () => {
    expect(() => solveText(`${HEAD}network:
  kind: layers
  input: {name: X, shape: [3, 3]}
  layers:
    - {kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}}
given: {X: [[1, 2], [3, 4]]}
ask:
  - shape: [Y]
`)).toThrow(/'X' has shape \[3, 3\], but the given value has shape \[2, 2\]/);
  });
});

describe('kernel layouts', () => {
  const ex5 = readFileSync(problem('seed001-cnn-5-conv-maxpool.yaml'), 'utf8');
  test('two kernels on a one-channel input may be written [2, 3, 3] or, as the contract spells it, [2, 3, 3, 1]', () => {
    const short = solveText(ex5).json;
    const long = solveText(ex5
      .replace('kernel: {name: K, shape: [3, 3]}', 'kernel: {name: K, shape: [2, 3, 3, 1]}')
      .replace('    - [[1, 1, 1], [1, 0, 1], [1, 1, 1]]\n    - [[0, 0, 0], [0, 1, 0], [0, 0, 0]]',
        '    - [[[1], [1], [1]], [[1], [0], [1]], [[1], [1], [1]]]\n    - [[[0], [0], [0]], [[0], [1], [0]], [[0], [0], [0]]]')).json;
    expect((long.shapes as Record<string, number[]>).K).toEqual([2, 3, 3, 1]);
    expect((short.shapes as Record<string, number[]>).K).toEqual([2, 3, 3]);
    expect(long.values.O).toEqual(short.values.O);
    expect(long.values.P).toEqual(short.values.P);
  });
});

describe('max pooling and values the builder did not see', () => {
  test('a variant that moves a maximum is routed at its own drawn values', () => {
    const p = parseProblem(`${HEAD}network:
  kind: layers
  input: {name: X, shape: [2, 2]}
  layers:
    - {kind: pool, name: P, op: max, window: [2, 2]}
    - {kind: dense, name: o, weights: {name: W}, activation: sigmoid}
  loss: {kind: half-squared-error, target: z, name: E}
given: {X: [[3, 0], [0, 1]], W: [[2]], z: 0}
ask:
  - gradient: {of: E, wrt: [X]}
`, 'variant.yaml');
    const moved = new Map([['X', { kind: 'array' as const, shape: [2, 2], values: [0, 0, 0, 5].map((v) => Rational.int(v)) }]]);
    const sol = solve(p, { given: moved });
    expect(sol.check.passed).toBe(true);
    // By hand: P = max(0, 0, 0, 5) = 5 at X[2,2], o = sigmoid(2*5), dE/dX[2,2] = (o - 0) o (1 - o) * 2, zero elsewhere.
    const o = 1 / (1 + Math.exp(-10));
    const g = sol.gradients.find((x) => x.wrt === 'X')!.entries.map((e) => e.value);
    expect(g.slice(0, 3)).toEqual([0, 0, 0]);
    expect(g[3]).toBeCloseTo(o * o * (1 - o) * 2, 15);
    // the file's own values route to X[1,1]
    expect(solve(p).gradients.find((x) => x.wrt === 'X')!.entries[0]!.value).not.toBe(0);
  });
});
