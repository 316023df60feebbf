/**
 * The shipped convolution problems against the seed answers (SymPy, checked by
 * central differences on a separate numpy forward pass: the S000-Q3*, S000-Q4*
 * and S001-C* entries of /work/shared/seed-answers.json, vendored unchanged in
 * test/oracles/seed-answers.json).
 */
import { describe, expect, test } from 'vitest';
import { expectNestedRel, expectRel } from '../helpers/numbers.js';
import { channelsFirst, problem, seed, solveFile, vendoredIds } from './helpers.js';

const TEN_DIGITS = 1e-10;
/** The layer-level forms against the scalar graph (issue 3). */
const LAYER_LEVEL = 1e-12;

describe('seed 000 Q3: 1-D convolution, shared filter', () => {
  const { sol, json } = solveFile(problem('seed000-q3-conv1d.yaml'));
  test('7 parameters (S000-Q3-a)', () => {
    expect(json.parameterCount).toBe(seed('S000-Q3-a').answer_numeric);
    expect(json.parametersPerLayer).toEqual([
      { layer: 'h', kind: 'conv1d', weights: 3, biases: 0, total: 3 },
      { layer: 'z', kind: 'dense', weights: 4, biases: 0, total: 4 },
    ]);
  });
  test('dL/dw and dL/dv (S000-Q3-b, S000-Q3-c) and the forward values', () => {
    expectNestedRel(json.gradients.L!.w, seed('S000-Q3-b').answer_numeric, TEN_DIGITS, 'dL/dw');
    expectNestedRel(json.gradients.L!.v, seed('S000-Q3-c').answer_numeric, TEN_DIGITS, 'dL/dv');
    const im = seed('S000-Q3-b').intermediates!;
    expectNestedRel(json.values.h, [im.h1, im.h2, im.h3, im.h4], TEN_DIGITS, 'h');
    expectRel(json.values.z as number, im.z!, TEN_DIGITS, 'z');
    expectRel(json.values.L as number, im.L!, TEN_DIGITS, 'L');
  });
  test('finite differences and the layer-level forms agree', () => {
    expect(sol.check.passed).toBe(true);
    expect(sol.report.layerCheck!.maxRelError).toBeLessThanOrEqual(LAYER_LEVEL);
    // the tensor level against the scalar graph: the values of h (4), z and L, and the 7 parameter entries (w: 4, v: 3 by the compact form)
    expect(sol.report.layerCheck!.compared).toBe(4 + 1 + 1 + 7);
  });
  test('the closed form of dL/dv_1 is the seed\'s sum over the four hidden units', () => {
    const form = (json.closedForms.L!.v as string[])[0]!;
    for (const j of [1, 2, 3, 4]) expect(form).toContain(`x[${j}]*h[${j}]*(1 - h[${j}])`);
  });
});

describe('seed 000 Q4: 2-D kernel gradient (the seed prints the wrong sign)', () => {
  const { sol, json } = solveFile(problem('seed000-q4-conv2d.yaml'));
  test('dE/dK (S000-Q4) and dE/dW (S000-Q4-dW)', () => {
    expectNestedRel(json.gradients.E!.K, seed('S000-Q4').answer_numeric, TEN_DIGITS, 'dE/dK');
    expectNestedRel(json.gradients.E!.W, seed('S000-Q4-dW').answer_numeric, TEN_DIGITS, 'dE/dW');
  });
  test('forward values (S000-Q4 intermediates)', () => {
    const im = seed('S000-Q4').intermediates!;
    expectNestedRel(json.values.Y, [[im.y11, im.y12], [im.y21, im.y22]], TEN_DIGITS, 'Y');
    expectRel(json.values.o as number, im.o!, TEN_DIGITS, 'o');
    expectRel(json.values.E as number, im.E!, TEN_DIGITS, 'E');
  });
  test('dE/dK differs from both readings of the printed seed formula (its sign and its sum are wrong)', () => {
    const readings = seed('S000-Q4').seed_formula_value as Record<string, number[][]>;
    const K = json.gradients.E!.K as number[][];
    for (const r of Object.values(readings)) expect(K.flat().every((v, i) => Math.abs(v - r.flat()[i]!) < 1e-6)).toBe(false);
    expect(K.flat().every((v) => v < 0)).toBe(true); // o < z: increasing any k with a positive sum lowers E
  });
  test('checks and the layer-level forms', () => {
    expect(sol.check.passed).toBe(true);
    expect(sol.check.nondifferentiable).toEqual([]);
    expect(sol.report.layerCheck!.maxRelError).toBeLessThanOrEqual(LAYER_LEVEL);
    expect(json.deltas).toBeDefined();
  });
});

describe('seed 001, convolution exercises 1 to 5', () => {
  test('1: same padding for a 5x3 kernel is (2, 1), and keeps 6x5 (S001-C1a)', () => {
    const { sol, json } = solveFile(problem('seed001-cnn-1-same-padding.yaml'));
    expect(json.padding).toEqual({ Y: { before: [2, 1], after: [2, 1] } });
    expect((json.padding as Record<string, { before: number[] }>).Y!.before).toEqual(seed('S001-C1a').answer_numeric);
    expect((json.shapes as Record<string, number[]>).Y).toEqual([6, 5]);
    expect(sol.graph.nodes.size).toBe(0); // not expanded element by element
  });
  test('2: 608 parameters, output 13x13x8 (S001-C2a, S001-C2b)', () => {
    const { sol, json } = solveFile(problem('seed001-cnn-2-conv-pool-count.yaml'));
    expect(json.parameterCount).toBe(seed('S001-C2a').answer_numeric);
    expect((json.shapes as Record<string, number[]>).P).toEqual(seed('S001-C2b').answer_numeric);
    expect((json.shapes as Record<string, number[]>).C).toEqual([28, 28, 8]);
    expect(sol.graph.nodes.size).toBe(0);
  });
  test('3: 1084 parameters, output 10x10x12 (S001-C3a, S001-C3b)', () => {
    const { json } = solveFile(problem('seed001-cnn-3-two-conv.yaml'));
    expect(json.parameterCount).toBe(seed('S001-C3a').answer_numeric);
    expect((json.parametersPerLayer as Array<{ total: number }>).map((c) => c.total)).toEqual([208, 876]);
    expect((json.shapes as Record<string, number[]>).B).toEqual(seed('S001-C3b').answer_numeric);
  });
  test('4: fully connected 50500 against 50 for the convolution (S001-C4a, S001-C4b)', () => {
    const { json } = solveFile(problem('seed001-cnn-4-dense-vs-conv.yaml'));
    expect(json.parameterCount).toBe(seed('S001-C4b').answer_numeric);
    expect(json.denseComparison).toEqual([{ layer: 'Y', inputSize: 100, outputSize: 500, weights: 50000, biases: 500, total: seed('S001-C4a').answer_numeric, layerTotal: 50 }]);
  });
  test('5: both 6x6 output channels and the 3x3 max pooling (S001-C5a, S001-C5b)', () => {
    const { sol, json } = solveFile(problem('seed001-cnn-5-conv-maxpool.yaml'));
    expect(channelsFirst(json.values.O as number[][][])).toEqual(seed('S001-C5a').answer_numeric);
    expect(channelsFirst(json.values.P as number[][][])).toEqual(seed('S001-C5b').answer_numeric);
    expect((json.published as Array<{ agrees: boolean }>).every((p) => p.agrees)).toBe(true);
    expect((json.published as unknown[]).length).toBe(36 + 18);
    expect(sol.report.layerCheck!.maxRelError).toBe(0); // integers: exact in float64
  });
  test('5: max pooling routes to the first maximum in row order, and says where', () => {
    const { json } = solveFile(problem('seed001-cnn-5-conv-maxpool.yaml'));
    const routes = (json.routing as Record<string, Array<{ output: string; to: string; ties: string[] }>>).P!;
    expect(routes.find((r) => r.output === 'P[1,1,1]')).toMatchObject({ to: 'O[2,2,1]', ties: [] }); // 46
    // channel 2's first window is [[10, 10], [5, 5]]: a tie, the first 10 wins
    expect(routes.find((r) => r.output === 'P[1,1,2]')).toMatchObject({ to: 'O[1,1,2]', ties: ['O[1,2,2]'] });
  });
});

describe('the oracle entries the layers tests use', () => {
  test('cover every conv exercise of seeds 000 and 001', () => {
    expect(vendoredIds().filter((id) => id.startsWith('S001-C')).length).toBeGreaterThan(4);
    expect(vendoredIds().some((id) => id.startsWith('S000-Q3'))).toBe(true);
    expect(vendoredIds().some((id) => id.startsWith('S000-Q4'))).toBe(true);
  });
});
