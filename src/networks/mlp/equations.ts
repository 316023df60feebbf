/**
 * The `mlp` kind (contract 2.3) as the tensor equations it is shorthand for
 * (contract 2.7), with sizes [n0, n1, ..., nL]:
 *   z1 = W1 @ x + b1,  h = act(z1),  z2 = W2 @ h + b2,  o = out(z2)
 * (deeper networks number their hidden layers h1, h2, ...; without biases the
 * `+ b` terms are left out), and E = loss(o, t) when the spec has a loss.
 * The generic engine derives them; this module only writes them.
 */
import { parseTensorFormula } from '../../expr/tensor-parse.js';
import { activateFormula } from '../core/activation.js';
import { lossFormula } from '../core/loss.js';
import type { TensorEquation, TensorEquationsPart } from '../core/tensor-equations.js';
import type { MlpSpec } from './mlp.js';

/** Layer l's output: o for the last, h for the one hidden layer of a 2-layer network, else h_l. */
const outputOf = (spec: MlpSpec, l: number): string => {
  const L = spec.sizes.length - 1;
  return l === L ? 'o' : L === 2 ? 'h' : `h${l}`;
};

/** The parameters in the order the sheets list them: W1, b1, W2, b2, ... */
export function mlpParameters(spec: MlpSpec): string[] {
  return Array.from({ length: spec.sizes.length - 1 }, (_, i) => (spec.bias ? [`W${i + 1}`, `b${i + 1}`] : [`W${i + 1}`])).flat();
}

/** The equations of an MLP, each as text (name -> formula), in order; the loss last. */
export function mlpFormulas(spec: MlpSpec): Array<[string, string]> {
  const L = spec.sizes.length - 1;
  const out: Array<[string, string]> = [];
  let prev = 'x';
  for (let l = 1; l <= L; l++) {
    out.push([`z${l}`, `W${l} @ ${prev}${spec.bias ? ` + b${l}` : ''}`]);
    const name = outputOf(spec, l);
    out.push([name, activateFormula(l === L ? spec.output : spec.activation, `z${l}`)]);
    prev = name;
  }
  if (spec.loss) out.push([spec.loss.name, lossFormula(spec.loss, 'o', spec.sizes[L]!)]);
  return out;
}

/** The MLP as a tensor-equations network; every leaf's shape from the sizes, listed x, W1, b1, ... as the sheets list them. */
export function mlpEquations(spec: MlpSpec): TensorEquationsPart {
  const field = spec.field;
  const L = spec.sizes.length - 1;
  const equations: TensorEquation[] = mlpFormulas(spec).map(([name, text]) => ({ name, seq: false, ast: parseTensorFormula(text), text, field }));
  const shapes = new Map<string, { shape: number[]; field: typeof field }>([['x', { shape: [spec.sizes[0]!], field }]]);
  for (let l = 1; l <= L; l++) {
    shapes.set(`W${l}`, { shape: [spec.sizes[l]!, spec.sizes[l - 1]!], field });
    if (spec.bias) shapes.set(`b${l}`, { shape: [spec.sizes[l]!], field });
  }
  if (spec.loss) shapes.set(spec.loss.target, { shape: [spec.sizes[L]!], field });
  return {
    steps: null,
    equations,
    targets: new Map(spec.loss ? [[spec.loss.target, null]] : []),
    shapes,
    initial: new Map(),
    field,
    leafOrder: [...shapes.keys()],
  };
}
