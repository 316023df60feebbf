/**
 * Local partial derivative of one node's definition with respect to one of the
 * refs it uses: d(def)/d(ref), by the chain rule over the (small) definition.
 * The definition's root op gets the node's own name as its output, so
 * h3 = sigma(w3 h2 + b3) gives dh3/dh2 = w3 h3 (1 - h3), the textbook form.
 */
import { add, mul, one, ref, zero, type Expr, type OpName } from '../expr/expr.js';
import { opSpec } from '../ops/registry.js';

export interface LocalPartial {
  readonly expr: Expr;
  /** ops whose derivative rule was used, outermost first */
  readonly rules: readonly OpName[];
}

export function localPartial(nodeKey: string, def: Expr, wrtKey: string): LocalPartial {
  const rules: OpName[] = [];
  const memo = new Map<number, Expr>();
  const d = (e: Expr): Expr => {
    const hit = memo.get(e.id);
    if (hit) return hit;
    let r: Expr;
    if (e.kind === 'num') r = zero;
    else if (e.kind === 'ref') r = e.key === wrtKey ? one : zero;
    else {
      const argD = e.args.map(d);
      if (argD.every((x) => x === zero)) r = zero;
      else {
        const spec = opSpec(e.op);
        const out = e === def ? ref(nodeKey) : e;
        const partials = spec.partials(e.args, out);
        const terms = argD.map((da, i) => (da === zero ? zero : mul(da, partials[i]!)));
        if (e.op !== 'add' && e.op !== 'neg' && !rules.includes(e.op)) rules.push(e.op);
        r = add(...terms);
      }
    }
    memo.set(e.id, r);
    return r;
  };
  return { expr: d(def), rules };
}
