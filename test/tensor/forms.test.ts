/**
 * Textbook forms come from the derivation, not from templates (issue 13):
 * the MLP's delta_z2 = p - t after the fact that the targets sum to 1, the
 * same problem with its nodes renamed prints the renamed forms, softmax
 * regression prints (P - Y) with the weight-decay term, the tied autoencoder
 * both terms of W, the RNN of contract 2.7 its BPTT recurrence once; and the
 * numerics stay finite at inputs of size 1000.
 */
import { describe, expect, it } from 'vitest';
import { sheetModel } from '../../src/render/sheet.js';
import { solveTensorProblem, solveText } from './helpers.js';

const defs = (json: { definitions?: Record<string, string> }) => json.definitions ?? {};

describe('matrix forms', () => {
  it('the MLP: delta_z2 = p - t (the targets sum to 1), dE/dW2 = delta_z2 h^T, delta_z1 = (W2^T delta_z2) * step(z1)', () => {
    const { sol, json } = solveTensorProblem('tensor-mlp-softmax');
    expect(defs(json).delta_z2).toBe('p - t');
    expect(defs(json).delta_z1).toBe('(W2^T @ delta_z2) * step(z1)');
    const mf = json.matrixForms as Record<string, Record<string, string>>;
    expect(mf.E).toMatchObject({ W2: 'delta_z2 @ h^T', W1: 'delta_z1 @ x^T', b2: 'delta_z2', z2: 'delta_z2' });
    expect(json.notes).toContain('the rows of the target t sum to 1 (one-hot), which the delta of E uses');
    // the sheet states the fact before the delta that uses it
    const text = JSON.stringify(sheetModel(sol).solution);
    const fact = text.indexOf('each of its rows sums to 1');
    const delta = text.indexOf('\\\\boldsymbol{\\\\delta}_{z_{2}} = \\\\mathbf{p} - \\\\mathbf{t}');
    expect(fact).toBeGreaterThan(0);
    expect(delta).toBeGreaterThan(fact);
  });

  it('the same MLP with its nodes renamed u1, g, u2, q and the target y prints q - y and delta_u2 @ g^T', () => {
    const { json } = solveText(`id: renamed
title: Renamed
network:
  kind: equations
  equations:
    u1: A @ x + c1
    g: relu(u1)
    u2: B @ g + c2
    q: softmax(u2)
    L: -sum(y * log(q))
  targets: [y]
given:
  x: [1, -2, 0.5]
  A: [[0.2, -0.1, 0.4], [-0.3, 0.5, 0.1]]
  c1: [0.1, 0.2]
  B: [[0.3, -0.2], [-0.4, 0.6], [0.2, 0.1]]
  c2: [0.05, -0.05, 0.1]
  y: [0, 0, 1]
ask:
  - gradient: {of: L, wrt: [B, A]}
`);
    expect(defs(json).delta_u2).toBe('q - y');
    expect((json.matrixForms as Record<string, Record<string, string>>).L!.B).toBe('delta_u2 @ g^T');
    // delta_u1 is used once (by A alone), so it is written into A's gradient
    expect((json.matrixForms as Record<string, Record<string, string>>).L!.A).toBe('((B^T @ delta_u2) * step(u1)) @ x^T');
  });

  it('without the fact (a real-valued target) the delta keeps the sum it cannot drop', () => {
    const { json } = solveText(`id: real-target
title: Real target
network:
  kind: equations
  equations:
    z: W @ x
    p: softmax(z)
    E: -sum(t * log(p))
  targets: {t: real}
given:
  x: [1, 2]
  W: [[0.1, 0.2], [0.3, -0.1]]
  t: [0.3, 0.3]
ask:
  - gradient: {of: E, wrt: [W]}
`);
    expect(json.notes ?? []).not.toContain('the rows of the target t sum to 1 (one-hot), which the delta of E uses');
    expect(defs(json).delta_z ?? (json.matrixForms as Record<string, Record<string, string>>).E!.W).toMatch(/sum\(t\)/);
  });

  it('softmax regression prints (P - Y) and the weight-decay term lambda W', () => {
    const { json } = solveTensorProblem('tensor-softmax-regression');
    expect(defs(json).delta_Z).toBe('0.5 * (P - Y)');
    expect((json.matrixForms as Record<string, Record<string, string>>).E!.W).toBe('delta_Z^T @ X + lambda * W');
  });

  it('the tied autoencoder shows both terms of W', () => {
    const { json } = solveTensorProblem('tensor-tied-autoencoder');
    expect((json.matrixForms as Record<string, Record<string, string>>).E!.W).toBe('delta_z @ x^T + h @ delta_r^T');
  });

  it("contract 2.7's RNN: delta_z[T] first, then the recurrence for t < T, and dE/dWh = sum_t(delta_z[t] @ h[t-1]^T)", () => {
    const { json } = solveText(`id: rnn27
title: RNN of 2.7
network:
  kind: equations
  steps: 3
  equations:
    z[t]: Wh @ h[t-1] + Wx @ x[t] + b
    h[t]: tanh(z[t])
    y[t]: softmax(Wy @ h[t] + c)
    e[t]: -sum(l[t] * log(y[t]))
    E: sum_t(e[t])
  targets: [l]
given:
  x: [[1, 0], [0.5, -1], [-1, 2]]
  l: [[1, 0], [0, 1], [0, 1]]
  h0: [0, 0]
  Wh: [[0.5, -0.3], [0.2, 0.4]]
  Wx: [[0.4, -0.2], [0.1, 0.3]]
  b: [0.1, 0]
  Wy: [[0.3, -0.4], [-0.2, 0.5]]
  c: [0, 0.1]
ask:
  - gradient: {of: E, wrt: [Wh, Wx, Wy]}
`);
    const keys = Object.keys(defs(json));
    expect(keys.slice(0, 2)).toEqual(['delta_z[T]', 'delta_z[t]']);
    expect(defs(json)['delta_z[T]']).toBe('(Wy^T @ (y[T] - l[T])) * (1 - h[T]^2)');
    expect(defs(json)['delta_z[t]']).toBe('(Wh^T @ delta_z[t+1] + Wy^T @ (y[t] - l[t])) * (1 - h[t]^2)');
    const mf = (json.matrixForms as Record<string, Record<string, string>>).E!;
    expect(mf.Wh).toBe('sum_t(delta_z[t] @ h[t-1]^T)');
    expect(mf.Wy).toBe('sum_t((y[t] - l[t]) @ h[t]^T)');
    expect((json.check as { passed: boolean }).passed).toBe(true);
  });
});

describe('stable numerics at inputs of size 1000', () => {
  it('softmax with cross-entropy and a sigmoid with binary cross-entropy stay finite, and pass the check', () => {
    const { json } = solveText(`id: big
title: Big inputs
network:
  kind: equations
  equations:
    p: softmax(W @ x)
    s: sigmoid(v^T @ x)
    E: -sum(t * log(p)) - (d * log(s) + (1 - d) * log(1 - s))
  targets: [t, d]
given:
  x: [1000, -1000]
  W: [[1, 0], [0, 1], [0.5, 0.5]]
  v: [1, 0]
  t: [0, 1, 0]
  d: 0
ask:
  - forward: [p, s, E]
  - gradient: {of: E, wrt: [W, v]}
`);
    const nums = JSON.stringify([json.values, json.gradients]).match(/-?\d[\d.e+-]*|null|NaN|Infinity/g)!;
    expect(nums.every((n) => Number.isFinite(Number(n)))).toBe(true);
    expect((json.values as Record<string, number>).E).toBeCloseTo(3000, 6);
    expect((json.check as { passed: boolean }).passed).toBe(true);
  });
});
