/**
 * Every shipped recurrent seed problem against ../shared/seed-answers.json
 * (SymPy closed forms checked by finite differences on a separate numpy
 * forward pass; independent of gradsheet). Every expected number below is
 * read from that file; the only literals are the values the seeds print,
 * to show where a seed is right and where it is wrong.
 */
import { describe, expect, it } from 'vitest';
import { adjointValues } from '../../src/derive/scalar-gradients.js';
import { expectClose, flat, seedAnswer, solveFile } from './helpers.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function commonChecks(json: Json): void {
  expect(json.check.passed).toBe(true);
  expect(json.layerCheck.compared).toBeGreaterThan(0);
  expect(json.layerCheck.maxRelError).toBeLessThan(1e-12);
}

const seed001 = [
  { n: 1, file: 'seed001-rnn-1-softmax-many-to-many.yaml', m2m: true },
  { n: 2, file: 'seed001-rnn-2-identity-many-to-many.yaml', m2m: true },
  { n: 3, file: 'seed001-rnn-3-softmax-many-to-one.yaml', m2m: false },
  { n: 4, file: 'seed001-rnn-4-identity-many-to-one.yaml', m2m: false },
];

describe('seed 001, recurrent exercises 1-4', () => {
  for (const { n, file, m2m } of seed001) {
    describe(`exercise ${n}c`, () => {
      const { sol, json } = solveFile(file) as { sol: ReturnType<typeof solveFile>['sol']; json: Json };
      const id = `S001-R${n}c`;

      it('forward values per step and the error', () => {
        const v = json.values;
        const expected = seedAnswer(`${id}-forward`).answer_numeric as unknown[];
        // m2m labels: z1_(1), x1_(1), z2_(1), x2_(1), z1_(2), ...; m2o: z1_(1), x1_(1), z1_(2), x1_(2), z2_(2), x2_(2), E
        const ours = m2m ? [v.z[0], v.h[0], v.u[0], v.y[0], v.z[1], v.h[1], v.u[1], v.y[1], v.E] : [v.z[0], v.h[0], v.z[1], v.h[1], v.u, v.y, v.E];
        expectClose(ours, expected, 1e-12);
      });

      it('deltas: layer level and scalar-graph adjoints agree with the oracle', () => {
        const d = json.bptt.E.deltas;
        const expected = seedAnswer(`${id}-deltas`).answer_numeric as unknown[];
        const ours = m2m ? [d.u[0], d.u[1], d.z[0], d.z[1]] : [d.u, d.z[0], d.z[1]];
        expectClose(ours, expected, 1e-12);
        const adj = adjointValues(sol, 'E');
        const graphDelta = (key: string) => adj.get(`bar:${key}`) ?? 0;
        const graph = m2m
          ? [[graphDelta('u[1,1]'), graphDelta('u[1,2]')], [graphDelta('u[2,1]'), graphDelta('u[2,2]')]]
          : [[graphDelta('u[1]'), graphDelta('u[2]')]];
        expectClose(graph, expected.slice(0, m2m ? 2 : 1), 1e-12);
      });

      it('gradients of every parameter (BPTT sums over time)', () => {
        const g = json.gradients.E;
        for (const [name, key] of [['H1', 'dH'], ['W1', 'dW1'], ['b1', 'db1'], ['W2', 'dW2'], ['b2', 'db2']] as const) {
          expectClose(g[name], seedAnswer(`${id}-${key}`).answer_numeric, 1e-12);
          expectClose(json.bptt.E.gradients[name], seedAnswer(`${id}-${key}`).answer_numeric, 1e-12);
        }
      });

      it('one SGD step updates every weight and bias', () => {
        const expected = seedAnswer(`${id}-updated`).answer_numeric as unknown[];
        expect(Object.keys(json.updates)).toEqual(['W1', 'H1', 'b1', 'W2', 'b2']);
        expectClose([json.updates.H1, json.updates.W1, json.updates.b1, json.updates.W2, json.updates.b2], expected, 1e-12);
      });

      it('passes the finite-difference check and the layer-level check', () => commonChecks(json));
    });
  }

  it('exercise 4c: the updated matrices printed in the seed, right where they are right', () => {
    const { json } = solveFile('seed001-rnn-4-identity-many-to-one.yaml') as { json: Json };
    const u = json.updates;
    const r4 = (x: number) => Number(x.toFixed(4));
    // printed in the seed: H = 0.1039; W1 rows (0.1079, 0.1669, 0.1167, 0.1); b1 = 0.1104;
    // W2 rows (-0.1987 x3), (0.6463 x3); b2 = (-0.2535, 0.7465)
    expect(flat(u.H1).map(r4)).toEqual(new Array(9).fill(0.1039));
    expect(flat(u.b1).map(r4)).toEqual([0.1104, 0.1104, 0.1104]);
    expect(u.W2.map((row: number[]) => row.map(r4))).toEqual([[-0.1987, -0.1987, -0.1987], [0.6463, 0.6463, 0.6463]]);
    expect(flat(u.b2).map(r4)).toEqual([-0.2535, 0.7465]);
    for (const row of u.W1 as number[][]) {
      expect(r4(row[0]!)).toBe(0.1079);
      expect(r4(row[2]!)).toBe(0.1167);
      expect(row[3]).toBe(0.1);
      // The seed prints 0.1669 for W1[:,2] = 0.1 - 8 h2 = 0.166997...: truncated, not rounded. The right value:
      expect(r4(row[1]!)).toBe(0.1670);
      expect(r4(row[1]!)).not.toBe(0.1669);
      expectClose(row[1], (seedAnswer('S001-R4c-updated').answer_numeric as number[][][])[1]![0]![1], 1e-12);
    }
    // The published comparison on the sheet says so too.
    const pub = json.published as Array<{ what: string; agrees: boolean }>;
    expect(pub.filter((p) => !p.agrees).map((p) => p.what)).toEqual(['E/W1[1,2]']);
  });

  it('exercise 2c: the same truncation in the seed (0.1669), everything else agrees', () => {
    const { json } = solveFile('seed001-rnn-2-identity-many-to-many.yaml') as { json: Json };
    const pub = json.published as Array<{ what: string; agrees: boolean }>;
    expect(pub.length).toBe(8);
    expect(pub.filter((p) => !p.agrees).map((p) => p.what)).toEqual(['E/W1[1,2]']);
  });

  it('exercises 1c and 3c: the printed softmax outputs 0.5 and zero hidden gradients agree', () => {
    for (const file of ['seed001-rnn-1-softmax-many-to-many.yaml', 'seed001-rnn-3-softmax-many-to-one.yaml']) {
      const { json } = solveFile(file) as { json: Json };
      expect((json.published as Array<{ agrees: boolean }>).every((p) => p.agrees)).toBe(true);
    }
  });
});

describe('seed 000 Q5: BPTT with U, V, W', () => {
  const { json } = solveFile('seed000-q5-bptt.yaml') as { json: Json };

  it('dE/dV, dE/dU, dE/dW', () => {
    expectClose(json.gradients.E.V, seedAnswer('S000-Q5-dV').answer_numeric, 1e-12);
    expectClose(json.gradients.E.U, seedAnswer('S000-Q5-dU').answer_numeric, 1e-12);
    expectClose(json.gradients.E.W, seedAnswer('S000-Q5-dW').answer_numeric, 1e-12);
    commonChecks(json);
  });

  it('states, outputs and the deltas dE/ds_t', () => {
    const im = seedAnswer('S000-Q5-dU').intermediates!;
    expectClose(json.values.h, [im.h1, im.h2, im.h3], 1e-12);
    expectClose(json.values.ohat, [im.ohat1, im.ohat2, im.ohat3], 1e-12);
    expectClose(json.values.E, im.E, 1e-12);
    expectClose(json.bptt.E.deltas.s, [im['delta1 (dE/ds_1)'], im['delta2 (dE/ds_2)'], im['delta3 (dE/ds_3)']], 1e-12);
  });

  it("the seed's printed recurrence, read with column vectors, gives a different (wrong) dE/dU", () => {
    const literal = flat(seedAnswer('S000-Q5-dU').seed_formula_value_literal_column_reading);
    const ours = flat(json.gradients.E.U);
    const worst = Math.max(...ours.map((v, i) => Math.abs(v - literal[i]!)));
    expect(worst).toBeGreaterThan(0.1);
    // and the sheet names the right order: transposed weights, the derivative elementwise on the left
    const text = JSON.stringify(solveFile('seed000-q5-bptt.yaml').sol.report.sections);
    expect(text).toContain('transposed weights');
  });
});

describe('seed 003: the Elman RNN with b_x and b_h', () => {
  const { json } = solveFile('seed003-elman-rnn.yaml') as { json: Json };
  it('gradients of all six parameters', () => {
    for (const [name, id] of [['W_x', 'dWx'], ['b_x', 'dbx'], ['W_h', 'dWh'], ['b_h', 'dbh'], ['W_y', 'dWy'], ['b_y', 'dby']] as const) {
      expectClose(json.gradients.E[name], seedAnswer(`S003-${id}`).answer_numeric, 1e-12);
    }
    commonChecks(json);
  });
  it('b_h gets the same gradient as b_x (only b_x + b_h matters)', () => {
    expect(json.gradients.E.b_h).toEqual(json.gradients.E.b_x);
  });
  it('states, probabilities and E', () => {
    const im = seedAnswer('S003-dWx').intermediates!;
    expectClose(json.values.h, [im.h1, im.h2, im.h3], 1e-12);
    expectClose(json.values.p, [im.p1, im.p2, im.p3], 1e-12);
    expectClose(json.values.E, im.E, 1e-12);
  });
});

describe('seed 004: scalar BPTT', () => {
  it('dE3/dws as the sum of three paths (s0 = 0.3)', () => {
    const { json } = solveFile('seed004-bptt-scalar.yaml') as { json: Json };
    const a = seedAnswer('S004-1L-dE3dWs');
    expectClose(json.gradients.E3.w_s, [[a.answer_numeric]], 1e-12);
    const im = a.intermediates!;
    expectClose(json.values.s, [[im.s1], [im.s2], [im.s3]], 1e-12);
    expectClose([json.values.y, json.values.E3], [[im.y3], im.E3], 1e-12);
    const ps = (json.pathSums as Json[]).find((p) => p.wrt === 'w_s')!;
    expectClose(ps.terms.map((t: Json) => t.value), a.three_terms_numeric, 1e-12);
    expectClose(ps.total, a.answer_numeric, 1e-12);
    commonChecks(json);
  });

  it('with s0 = 0 the third path vanishes', () => {
    const { json } = solveFile('seed004-bptt-scalar-s0-zero.yaml') as { json: Json };
    const a = seedAnswer('S004-1L-dE3dWs-s0zero');
    expectClose(json.gradients.E3.w_s, [[a.answer_numeric]], 1e-12);
    const ps = (json.pathSums as Json[])[0]!;
    expectClose(ps.terms.map((t: Json) => t.value), a.three_terms_numeric, 1e-12);
    expect(Math.abs(ps.terms[2].value)).toBe(0); // the immediate partial multiplies s0 = 0
  });

  describe('two stacked layers', () => {
    const { json } = solveFile('seed004-bptt-two-layer.yaml') as { json: Json };
    const paths = (of: string, wrt: string) => (json.pathSums as Json[]).find((p) => p.of === of && p.wrt === wrt)!;

    it('Q2: dE2/dV1 in full; the seed\'s single-timestep expression is the first path only', () => {
      const a = seedAnswer('S004-2L-dE2dV1');
      expectClose(json.gradients['E[2]'].V1, [[a.answer_numeric]], 1e-12);
      expectClose(paths('E[2]', 'V1').terms[0].value, a.truncated_single_step_numeric, 1e-12);
      expectClose(json.updates.V1, [[1.2 + (a['delta_V1_full_alpha_0.1'] as number)]], 1e-12);
    });

    it('Q3: dE2/dU is exactly the seed\'s three terms', () => {
      const a = seedAnswer('S004-2L-dE2dU');
      expectClose(json.gradients['E[2]'].U, [[a.answer_numeric]], 1e-12);
      expectClose(paths('E[2]', 'U').terms.map((t: Json) => t.value), a.three_terms_numeric, 1e-12);
    });

    it('dE3/dU: the seed\'s three terms are a two-step truncation of six paths', () => {
      const a = seedAnswer('S004-2L-dE3dU');
      expectClose(json.gradients['E[3]'].U, [[a.answer_numeric]], 1e-12);
      const terms: number[] = paths('E[3]', 'U').terms.map((t: Json) => t.value as number);
      expect(terms.length).toBe(6);
      expectClose(terms.slice(0, 3), a.truncated_three_terms_numeric, 1e-12);
      expect(Math.abs(terms.slice(0, 3).reduce((s, v) => s + v, 0) - (a.answer_numeric as number))).toBeGreaterThan(0.05);
    });

    it('states of both layers and the checks', () => {
      const im = seedAnswer('S004-2L-dE2dU').intermediates!;
      expectClose(json.values.s, [[im.s1], [im.s2], [im.s3]], 1e-12);
      expectClose(json.values.z, [[im.z1], [im.z2], [im.z3]], 1e-12);
      expectClose(json.values.y, [[im.y1], [im.y2], [im.y3]], 1e-12);
      commonChecks(json);
    });
  });
});
