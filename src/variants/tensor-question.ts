/**
 * A quiz question about a network written as tensor equations, in the
 * notation of its solution sheet: the equations in matrix form
 * (`\mathbf{z}_1 = \mathbf{W}^{[1]}\mathbf{x} + \mathbf{b}_1`), the given
 * values as vectors and matrices (a sequence step by step), and each asked
 * number as an entry of a named matrix (`(\partial E/\partial
 * \mathbf{W}^{[1]})_{2,3}`, written `\partial E / \partial W^{[1]}_{2,3}`).
 * A tensor too large to print in a question is named with its shape; its
 * values are on the variant's problem sheet and in answers.json.
 */
import type { Solution } from '../derive/solve.js';
import { sizeOf } from '../expr/tensor.js';
import { stepOf, type Tensor } from '../expr/tensor-value.js';
import { printT } from '../ops/tensor-print.js';
import { latexNumber } from '../tex/format.js';
import { TensorNamer } from '../tex/tensor-names.js';
import { inlineValue } from '../tex/tensor-values.js';
import { tensorGiven } from './tensor-answers.js';

/** Equations listed in a question; longer networks are left to the statement. */
const MAX_EQUATIONS = 12;
/** Entries of all given values printed in a question; past this a tensor is named by its shape. */
const MAX_GIVEN_ENTRIES = 200;

export type TensorInline = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'math'; readonly tex: string };

export const tensorNamer = (sol: Solution): TensorNamer => new TensorNamer(sol.tensor!.network.graph, sol.problem.symbols);

/** A given number as a student reads it: its shortest decimal (0.3, -1.25) when short, else 6 figures. */
const fmt = (x: number): string => (String(x).length <= 10 ? String(x) : latexNumber(x, 6));

/** `\mathbf{z}_1 = \mathbf{W}^{[1]} \mathbf{x} + \mathbf{b}_1`, one per equation; null when there are too many. */
export function tensorEquations(sol: Solution, namer = tensorNamer(sol)): string[] | null {
  const g = sol.tensor!.network.graph;
  const out: string[] = [];
  for (const name of g.order) {
    const n = g.nodes.get(name)!;
    if (!n.def) continue;
    out.push(`${namer.node(name, n.seq ? { kind: 'rel', offset: 0 } : null)} = ${printT(n.def, namer.style())}`);
  }
  return out.length <= MAX_EQUATIONS ? out : null;
}

/** The given values: math for each printable tensor (a sequence per step), text for one too large to print. */
export function tensorGivenInlines(sol: Solution, namer = tensorNamer(sol)): TensorInline[][] {
  const g = sol.tensor!.network.graph;
  let budget = MAX_GIVEN_ENTRIES;
  return tensorGiven(sol).map(([name, t]): TensorInline[] => {
    const n = g.nodes.get(name)!;
    const fits = sizeOf(t.shape) <= budget;
    if (fits) budget -= sizeOf(t.shape);
    if (n.seq) {
      const steps = Array.from({ length: g.steps! }, (_, i) => stepOf(t, i + 1));
      const each = steps.map((v, i) => (fits ? inline(v) : null) && `${namer.node(name, { kind: 'abs', step: i + 1 })} = ${inline(v)}`);
      if (each.every((x) => x)) return each.flatMap((tex, i): TensorInline[] => [...(i ? [{ kind: 'text' as const, text: ', ' }] : []), { kind: 'math', tex: tex! }]);
      return tooLarge(namer.node(name, { kind: 'rel', offset: 0 }), [g.steps!, ...n.shape], 'for t = 1, ..., ' + g.steps);
    }
    const v = fits ? inline(t) : null;
    return v ? [{ kind: 'math', tex: `${namer.node(name)} = ${v}` }] : tooLarge(namer.node(name), t.shape, '');
  });
}

const inline = (t: Tensor): string | null => inlineValue(t, fmt);

function tooLarge(tex: string, shape: readonly number[], steps: string): TensorInline[] {
  return [{ kind: 'math', tex }, { kind: 'text', text: ` (${shape.join(' × ')}${steps ? `, ${steps}` : ''}: its values are on your problem sheet)` }];
}

/** An entry as asked, typeset: `W1[2,3]` -> `W^{[1]}_{2,3}`, `c[2,1]` (step 2, unit 1) -> `c_{2,1}`, `E` -> `E`. */
export function tensorEntryTex(sol: Solution, key: string, namer = tensorNamer(sol)): string {
  const g = sol.tensor!.network.graph;
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[([\d,]+)\])?$/.exec(key);
  const n = m ? g.nodes.get(m[1]!) : undefined;
  if (!m || !n) return key;
  const idx = m[2] ? m[2].split(',').map(Number) : [];
  const step = n.seq ? idx.shift()! : null;
  const base = namer.node(n.name, step === null ? null : { kind: 'abs', step });
  if (idx.length === 0 || sizeOf(n.shape) === 1) return base;
  return `\\left(${base}\\right)_{${idx.join(',')}}`;
}
