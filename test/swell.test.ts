/**
 * No expression swell: a sigmoid chain of depth 50 keeps its gradient graph
 * within 3x the forward graph, and the closed form of do/db1 stays the
 * textbook product over named nodes (one factor per layer), whose value agrees
 * with finite differences of a forward pass written here and with the 60-digit
 * mpmath oracle (test/oracles/own_problems.py, chain_db1).
 */
import { describe, expect, test } from 'vitest';
import { parseProblem } from '../src/problem/load.js';
import { solve } from '../src/derive/solve.js';
import { deriveJson } from '../src/derive/json.js';
import { evalExpr } from '../src/numeric/evaluate.js';
import { chainOracle } from './helpers/oracles.js';
import { chainParams, chainYaml } from './helpers/chain.js';
import { evalClosedFormText } from './helpers/closed-form.js';
import { expectRel, fivePoint } from './helpers/numbers.js';

const DEPTH = 50;

/** o as a function of b1, the chain written out here (no gradsheet code). */
function forwardOfB1(depth: number): (b1: number) => number {
  const p = chainParams(depth);
  return (b1) => {
    let h = p.x;
    for (let i = 1; i <= depth; i++) h = 1 / (1 + Math.exp(-(p.w[i]! * h + (i === 1 ? b1 : p.b[i]!))));
    return p.w[depth + 1]! * h + p.b[depth + 1]!;
  };
}

describe(`sigmoid chain of depth ${DEPTH}`, () => {
  const sol = solve(parseProblem(chainYaml(DEPTH, ['b1']), 'chain-50.yaml'));
  const json = deriveJson(sol);
  const entry = sol.gradients[0]!.entries[0]!;
  const oracle = chainOracle();

  test('gradient graph nodes <= 3x forward graph nodes', () => {
    expect(sol.sizes.forward).toBeGreaterThan(5 * DEPTH); // every layer is in the forward graph
    expect(sol.sizes.gradient).toBeGreaterThan(DEPTH); // and every layer has an adjoint
    expect(sol.sizes.gradient).toBeLessThanOrEqual(3 * sol.sizes.forward);
  });

  test('the closed form of do/db1 is the textbook product, one w_i h_i (1 - h_i) per layer', () => {
    const text = (json.closedForms.o as Record<string, string>).b1;
    expect(text.length).toBeLessThan(40 * DEPTH); // linear in depth, not an expanded nest of sigmoids
    expect(text).not.toContain('sigmoid');
    expect(text.match(/\(1 - h\d+\)/g)).toHaveLength(DEPTH);
    for (let i = 1; i <= DEPTH; i++) expect(text).toContain(`h${i}*(1 - h${i})`);
    expect(text.startsWith(`w${DEPTH + 1}*w${DEPTH}*h${DEPTH}*(1 - h${DEPTH})`)).toBe(true);
  });

  test('do/db1 agrees with the 60-digit oracle and with finite differences of an independent forward pass', () => {
    const fd = fivePoint(forwardOfB1(DEPTH), chainParams(DEPTH).b[1]!, 1e-4);
    expectRel(fd, oracle.do_db1, 1e-7, 'five-point difference vs oracle');
    expectRel(entry.value, oracle.do_db1, 1e-12, 'engine value');
    // the closed form itself, evaluated two ways: as an Expr and from its printed text
    expectRel(evalExpr(entry.closedForm, (k) => sol.values.get(k)), fd, 1e-7, 'closed form (Expr) vs FD');
    expectRel(evalClosedFormText((json.closedForms.o as Record<string, string>).b1, sol.values), oracle.do_db1, 1e-12, 'closed form (text)');
    expectRel(sol.values.get('o')!, oracle.o, 1e-9, 'o');
    expectRel(sol.values.get(`h${DEPTH}`)!, oracle.h50, 1e-12, `h${DEPTH}`);
    expect(sol.check.passed).toBe(true);
  });

  test('every parameter at once: still within 3x, and every entry checked', () => {
    const params = Array.from({ length: DEPTH + 1 }, (_, i) => [`w${i + 1}`, `b${i + 1}`]).flat();
    const all = solve(parseProblem(chainYaml(DEPTH, params), 'chain-50-all.yaml'));
    expect(all.sizes.gradient).toBeLessThanOrEqual(3 * all.sizes.forward);
    expect(all.check.entries).toBe(params.length);
    expect(all.check.passed).toBe(true);
    const b1 = all.gradients.find((g) => g.wrt === 'b1')!.entries[0]!;
    expectRel(b1.value, oracle.do_db1, 1e-12, 'do/db1 among all');
    // named adjoints keep every printed formula short (no formula grows with the depth)
    const j = deriveJson(all);
    const longest = Math.max(...Object.values(j.closedForms.o as Record<string, string>).map((s) => s.length), ...Object.values(j.definitions ?? {}).map((s) => s.length));
    expect(longest).toBeLessThan(40 * DEPTH);
  });
});
