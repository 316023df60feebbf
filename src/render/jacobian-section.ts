/**
 * The sheet's section for a `jacobian` ask: what the matrix is (a row per
 * entry of `of`, a column per entry of `wrt`), its formula as the chain rule
 * over the tensors between the two (seed 002: Delta = W diag(sigma'(a)) W ...),
 * each local factor recognised where it has a textbook form (a weight matrix,
 * a diagonal of activation slopes), the values, and the finite-difference check.
 */
import type { JacobianResult } from '../derive/jacobian.js';
import type { Solution } from '../derive/solve.js';
import { localPartial } from '../diff/local.js';
import { refsOf, type Expr } from '../expr/expr.js';
import type { SheetBlock, SheetSection } from '../tex/sheet-blocks.js';
import { latexOf, partial } from '../tex/latex.js';
import type { Namer } from '../tex/names.js';
import { pmatrix, tensorBlocks } from '../tex/tensor-view.js';

/** Largest local factor written out entry by entry. */
const MAX_SYMBOLIC_ENTRIES = 16;

const isZero = (e: Expr | null): boolean => e === null || (e.kind === 'num' && e.value.isZero());

/** d(consumer)/d(input) for two scalar nodes, or null when the consumer's definition does not use the input. */
function local(sol: Solution, consumer: string, input: string): Expr | null {
  const def = sol.graph.nodes.get(consumer)?.def;
  if (!def || !refsOf(def).has(input)) return null;
  return localPartial(consumer, def, input).expr;
}

/**
 * The local Jacobian d(B)/d(A) of two adjacent tensors in textbook form:
 * the weight matrix itself (z = W h + b), a diagonal of slopes (h = sigma(z)),
 * else its entries when small, else its shape in words.
 */
function factorLatex(sol: Solution, namer: Namer, B: string, A: string): string {
  const tb = sol.graph.tensors.get(B)!, ta = sol.graph.tensors.get(A)!;
  if (tb.keys.length * ta.keys.length > 4096) return `\\left(${partial(namer.key(tb.keys[0]!), namer.key(ta.keys[0]!))}, \\dots\\right)_{${tb.keys.length} \\times ${ta.keys.length}}`;
  const entries = tb.keys.map((b) => ta.keys.map((a) => local(sol, b, a)));
  const m = tb.keys.length, n = ta.keys.length;
  // a weight matrix: entry (i, j) is exactly the parameter element P[i, j]
  const refs = entries.flat().map((e) => (e && e.kind === 'ref' ? sol.graph.nodes.get(e.key)! : null));
  const P = refs[0]?.tensor;
  if (P && !sol.graph.nodes.get(refs[0]!.key)?.def && refs.every((r, k) => r && r.tensor === P && r.index.length === 2 && r.index[0] === Math.floor(k / n) + 1 && r.index[1] === (k % n) + 1)) {
    return namer.tensor(P);
  }
  const diagonal = m === n && entries.every((row, i) => row.every((e, j) => (i === j ? !isZero(e) : isZero(e))));
  if (diagonal) {
    const d = entries.map((row, i) => latexOf(row[i]!, namer));
    return `\\operatorname{diag}\\left(${m <= 3 ? d.join(',\\ ') : `${d[0]},\\ ${d[1]},\\ \\dots,\\ ${d[m - 1]}`}\\right)`;
  }
  if (m * n <= MAX_SYMBOLIC_ENTRIES) return pmatrix(entries.map((row) => row.map((e) => (e ? latexOf(e, namer) : '0'))));
  return `\\left(${partial(namer.key(tb.keys[0]!).replace(/_\{[^}]*\}$/, '_{i}'), namer.key(ta.keys[0]!).replace(/_\{[^}]*\}$/, '_{j}'))}\\right)_{${m} \\times ${n}}`;
}

const flattened = (shape: readonly number[]): boolean => shape.length > 1;

export function jacobianSection(sol: Solution, j: JacobianResult, namer: Namer, fmt: (x: number) => string): SheetSection {
  const of = namer.tensor(j.of), wrt = namer.tensor(j.wrt);
  const rows = j.ofKeys.length, cols = j.wrtKeys.length;
  const J = partial(of, wrt);
  const flat = [flattened(j.ofShape) ? `$${of}$` : '', flattened(j.wrtShape) ? `$${wrt}$` : ''].filter(Boolean);
  const blocks: SheetBlock[] = [{
    kind: 'text',
    text: `The Jacobian $${J}$ is the $${rows} \\times ${cols}$ matrix of the partial derivatives of each entry of $${of}$ (one row each) with respect to each entry of $${wrt}$ (one column each): its entry in row $u$, column $l$ is $\\partial ${namer.key(j.ofKeys[0]!).replace(/_\{[^}]*\}$/, '_{u}')} / \\partial ${namer.key(j.wrtKeys[0]!).replace(/_\{[^}]*\}$/, '_{l}')}$.${flat.length ? ` ${flat.join(' and ')} ${flat.length > 1 ? 'are' : 'is'} flattened row by row (channels last) to number the entries.` : ''}`,
  }];
  const paths = j.tensorPaths;
  if (paths && paths.length && paths.every((p) => p.length >= 2)) {
    const product = (p: readonly string[]): string => p.slice(1).map((_, k) => {
      const B = p[p.length - 1 - k]!, A = p[p.length - 2 - k]!;
      return partial(namer.tensor(B), namer.tensor(A));
    }).join('\\,');
    blocks.push({
      kind: 'text',
      text: paths.length === 1
        ? 'By the chain rule over the tensors between them, the Jacobian is the product of the local Jacobians, the last layer on the left:'
        : `By the chain rule, summed over the ${paths.length} ways from $${wrt}$ to $${of}$ (each a product of local Jacobians, the last layer on the left):`,
    });
    blocks.push({ kind: 'math', latex: `${J} = ${paths.map(product).join(' + ')}` });
    const factors = new Map<string, string>();
    for (const p of paths) {
      for (let k = p.length - 1; k > 0; k--) {
        const B = p[k]!, A = p[k - 1]!;
        const id = `${B}|${A}`;
        if (!factors.has(id)) factors.set(id, `${partial(namer.tensor(B), namer.tensor(A))} &= ${factorLatex(sol, namer, B, A)}`);
      }
    }
    blocks.push({ kind: 'text', text: 'The local Jacobians, read off the network\'s equations:' });
    blocks.push({ kind: 'math', latex: `\\begin{aligned}${[...factors.values()].join(' \\\\ ')}\\end{aligned}` });
  } else if (paths === null) {
    blocks.push({ kind: 'text', text: 'The tensors between the two are joined in too many ways (or through a recurrence over time) to write the chain rule as one product of local Jacobians per tensor; each entry is the chain rule on the scalar graph, summed over every path, as in the derivation above.' });
  } else if (j.of === j.wrt) {
    blocks.push({ kind: 'text', text: 'A node with respect to itself: the identity.' });
  }
  blocks.push({ kind: 'text', text: 'Its value:' });
  blocks.push(...tensorBlocks({ label: J, values: j.values.flat(), shape: [rows, cols], entry: (v) => fmt(v), number: fmt }));
  blocks.push({
    kind: 'text',
    text: j.check.passed
      ? `Central finite differences (moving one entry of $${wrt}$ by h = 1e-6 and recomputing $${of}$) agree with all ${j.check.entries} entries to a relative error of at most ${j.check.maxError.toExponential(1)}.`
      : `The check FAILED: central finite differences differ from an entry by ${j.check.maxError.toExponential(2)} relative.`,
  });
  return { title: `The Jacobian of ${j.of} with respect to ${j.wrt}`, blocks };
}

/** The question on the problem sheet. */
export function jacobianQuestion(j: JacobianResult, namer: Namer): SheetBlock {
  return { kind: 'text', text: `Compute the Jacobian $${partial(namer.tensor(j.of), namer.tensor(j.wrt))}$, the matrix of the partial derivatives of every entry of $${namer.tensor(j.of)}$ with respect to every entry of $${namer.tensor(j.wrt)}$.` };
}
