/**
 * A float64 evaluator written here, independent of src/numeric and the op
 * registry, so the simplify tests compare an expression and its
 * simplification by arithmetic the code under test does not share.
 */
import type { Expr } from '../../src/expr/expr.js';

export function referenceEval(e: Expr, env: (key: string) => number): number {
  const memo = new Map<number, number>();
  const go = (x: Expr): number => {
    const hit = memo.get(x.id);
    if (hit !== undefined) return hit;
    let v: number;
    if (x.kind === 'num') v = Number(x.value.num) / Number(x.value.den);
    else if (x.kind === 'ref') v = env(x.key);
    else {
      const a = x.args.map(go);
      switch (x.op) {
        case 'add': v = a.reduce((s, t) => s + t, 0); break;
        case 'mul': v = a.reduce((s, t) => s * t, 1); break;
        case 'neg': v = -a[0]!; break;
        case 'div': v = a[0]! / a[1]!; break;
        case 'pow': v = a[0]! ** a[1]!; break;
        case 'exp': v = Math.E ** a[0]!; break;
        case 'log': v = Math.log(a[0]!); break;
        case 'sqrt': v = a[0]! ** 0.5; break;
        case 'abs': v = a[0]! < 0 ? -a[0]! : a[0]!; break;
        case 'sigmoid': v = 1 / (1 + Math.E ** -a[0]!); break;
        case 'tanh': v = 1 - 2 / (Math.E ** (2 * a[0]!) + 1); break;
        case 'relu': v = a[0]! > 0 ? a[0]! : 0; break;
        case 'step': v = a[0]! > 0 ? 1 : 0; break;
        // softplus(u) = log(1 + e^u), written as u + log(1 + e^-u) for u > 0 so that it stays finite
        case 'softplus': v = a[0]! > 0 ? a[0]! + Math.log(1 + Math.E ** -a[0]!) : Math.log(1 + Math.E ** a[0]!); break;
        default: { const op: never = x.op; throw new Error(`referenceEval: no rule for ${String(op)}`); }
      }
    }
    memo.set(x.id, v);
    return v;
  };
  return go(e);
}
