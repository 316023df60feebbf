/**
 * nerdamer's cell: the equations inlined as text (nerdamer re-parses what it is
 * given), `diff` with respect to each asked leaf, evaluation at the values.
 * nerdamer keeps every expression in a global list and mutates a substitution
 * object it is given: a copy per call, and clear('all') between runs.
 */
import nerdamer from 'nerdamer';
import 'nerdamer/Calculus.js';
import { parse, type MathNode } from 'mathjs';
import { runWorker, treeSize } from './harness.js';

interface Result { input: string; grads: string[]; values: number[] }

const clearAll = (): void => { (nerdamer as unknown as { clear(what: 'all'): void }).clear('all'); };

/** Tree nodes of nerdamer's printed result, read back with mathjs's parser (outside the timed work). */
const nodes = (text: string): number => treeSize<MathNode>(parse(text), (n) => { const out: MathNode[] = []; n.forEach((c) => out.push(c)); return out; });

runWorker<Result>({
  run: (job) => {
    const p = job.peer!;
    const defs = new Map<string, string>();
    const names = /[A-Za-z][A-Za-z0-9]*/g;
    for (const [name, text] of p.equations) defs.set(name, `(${text.replace(names, (m) => defs.get(m) ?? m)})`);
    const input = defs.get(p.of)!;
    const expr = nerdamer(input);
    const grads = p.wrt.map((x) => nerdamer.diff(expr, x));
    const subs = Object.fromEntries(Object.entries(p.values).map(([k, v]) => [k, String(v)]));
    const values = grads.map((g) => Number(nerdamer(g.toString(), { ...subs }).evaluate().text('decimals')));
    return { input, grads: grads.map((g) => g.toString()), values };
  },
  reset: clearAll,
  sizes: (r) => ({ input: nodes(r.input), result: r.grads.reduce((s, g) => s + nodes(g), 0) }),
  values: (r) => r.values,
});
