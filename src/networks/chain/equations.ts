/**
 * The `chain` kind (contract 2.2) as the tensor equations it is shorthand for
 * (contract 2.7), every tensor of shape [] (one unit per layer):
 *   h1 = f(w1 * x + b1),  h_i = f(w_i * h_{i-1} + b_i),  o = out(w_{n+1} * h_n + b_{n+1})
 *   E = loss(o, t)                                     (when the spec has a loss)
 * The generic engine derives them; this module only writes them.
 */
import { parseTensorFormula } from '../../expr/tensor-parse.js';
import { activateFormula } from '../core/activation.js';
import { lossFormula } from '../core/loss.js';
import type { TensorEquation, TensorEquationsPart } from '../core/tensor-equations.js';
import type { ChainSpec } from './chain.js';

/** The parameters in the order the sheets list them: w1..w_{n+1}, then b1..b_{n+1}. */
export function chainParameters(spec: ChainSpec): string[] {
  const layers = Array.from({ length: spec.depth + 1 }, (_, i) => i + 1);
  return [...layers.map((i) => `w${i}`), ...layers.map((i) => `b${i}`)];
}

/** The equations of a chain, each as text (name -> formula), in order; the loss last. */
export function chainFormulas(spec: ChainSpec): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let prev = 'x';
  for (let i = 1; i <= spec.depth; i++) {
    out.push([`h${i}`, activateFormula(spec.activation, `w${i} * ${prev} + b${i}`)]);
    prev = `h${i}`;
  }
  const n = spec.depth + 1;
  out.push(['o', activateFormula(spec.output, `w${n} * ${prev} + b${n}`)]);
  if (spec.loss) out.push([spec.loss.name, lossFormula(spec.loss, 'o', 1)]);
  return out;
}

/** The chain as a tensor-equations network: every leaf a scalar, listed x, w1, b1, w2, b2, ... as the sheets list them. */
export function chainEquations(spec: ChainSpec): TensorEquationsPart {
  const field = spec.field;
  const equations: TensorEquation[] = chainFormulas(spec).map(([name, text]) => ({ name, seq: false, ast: parseTensorFormula(text), text, field }));
  const layers = Array.from({ length: spec.depth + 1 }, (_, i) => i + 1);
  const leaves = ['x', ...layers.flatMap((i) => [`w${i}`, `b${i}`]), ...(spec.loss ? [spec.loss.target] : [])];
  return {
    steps: null,
    equations,
    targets: new Map(spec.loss ? [[spec.loss.target, null]] : []),
    shapes: new Map(leaves.map((n) => [n, { shape: [], field }])),
    initial: new Map(),
    field,
    leafOrder: leaves,
  };
}
