/**
 * mathjs's cell: parse each equation, inline the earlier ones (the expression
 * of `of` over the leaves), `derivative` with respect to each asked leaf, with
 * or without its simplification, and evaluate the derivatives at the values.
 */
import { derivative, parse, type MathNode, type SymbolNode } from 'mathjs';
import { runWorker, treeSize } from './harness.js';

interface Result { input: MathNode; grads: MathNode[]; values: number[] }

const children = (n: MathNode): MathNode[] => {
  const out: MathNode[] = [];
  n.forEach((c) => out.push(c));
  return out;
};

runWorker<Result>({
  run: (job) => {
    const p = job.peer!;
    const defs = new Map<string, MathNode>();
    for (const [name, text] of p.equations) {
      const e = parse(text).transform((n) => (n.type === 'SymbolNode' && defs.has((n as SymbolNode).name) ? defs.get((n as SymbolNode).name)! : n));
      defs.set(name, e);
    }
    const input = defs.get(p.of)!;
    const simplify = job.tool === 'mathjs+simplify';
    const grads = p.wrt.map((x) => derivative(input, x, { simplify }));
    const scope = { ...p.values };
    const values = grads.map((g) => Number(g.compile().evaluate({ ...scope })));
    return { input, grads, values };
  },
  reset: () => {},
  sizes: (r) => ({ input: treeSize(r.input, children), result: r.grads.reduce((s, g) => s + treeSize(g, children), 0) }),
  values: (r) => r.values,
});
