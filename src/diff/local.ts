/**
 * Local partial derivative of one node's definition with respect to one of the
 * refs it uses: d(def)/d(ref), by the chain rule over the (small) definition.
 * The definition's root op gets the node's own name as its output, so
 * h3 = sigma(w3 h2 + b3) gives dh3/dh2 = w3 h3 (1 - h3), the textbook form.
 */
import { add, mul, one, ref, refsOf, zero, type ApplyExpr, type Expr, type OpName } from '../expr/expr.js';
import { opSpec } from '../ops/registry.js';

export interface LocalPartial {
  readonly expr: Expr;
  /** ops whose derivative rule was used, outermost first */
  readonly rules: readonly OpName[];
}

/** Per application: ref key -> positions of the arguments that mention it (nodes are immutable, so built once). */
const argsByRef = new WeakMap<ApplyExpr, ReadonlyMap<string, readonly number[]>>();

/** Applications with more arguments than this are searched through an index instead of visited in full. */
const WIDE = 8;
const allPositions: number[][] = [];
const positions = (n: number): readonly number[] => (allPositions[n] ??= Array.from({ length: n }, (_, i) => i));

/**
 * Positions of the arguments of `e` whose subtrees may mention `key`. For a
 * wide node only those that do: the others have derivative zero, and a loss
 * E = sum_t e_t or a conv output o = sigma(sum_ij w_ij y_ij) has one edge per
 * term, so walking every term for every edge made the reverse pass quadratic
 * in the number of terms (bench/engine-micro.ts, CPU: reverse pass of the
 * 16x16 convolution 23 -> 10 ms, of the T = 200 RNN 31 -> 13 ms). A narrow
 * node is cheaper to visit in full than to index.
 */
function argsMentioning(e: ApplyExpr, key: string): readonly number[] {
  if (e.args.length <= WIDE) return positions(e.args.length);
  let index = argsByRef.get(e);
  if (!index) {
    const m = new Map<string, number[]>();
    e.args.forEach((a, i) => {
      for (const r of refsOf(a)) {
        const at = m.get(r);
        if (at) at.push(i); else m.set(r, [i]);
      }
    });
    argsByRef.set(e, (index = m));
  }
  return index.get(key) ?? [];
}

/** The partials of an op applied to `args` with output `out` (an op's own rule, or a replacement for it). */
export type RootPartials = (args: readonly Expr[], out: Expr) => Expr[];

/**
 * `rootPartials` replaces the rule of the definition's root op only: the
 * answer checker uses it to derive what a student gets with one local rule
 * written wrong (sigma' as sigma), with the same chain rule as the engine.
 */
export function localPartial(nodeKey: string, def: Expr, wrtKey: string, rootPartials?: RootPartials): LocalPartial {
  const rules: OpName[] = [];
  const memo = new Map<number, Expr>();
  const d = (e: Expr): Expr => {
    const hit = memo.get(e.id);
    if (hit) return hit;
    let r: Expr = zero;
    if (e.kind === 'ref') r = e.key === wrtKey ? one : zero;
    else if (e.kind === 'apply') {
      // d/dx f(u_1..u_n) = sum_i (du_i/dx) * df/du_i, over the u_i that mention x (the rest have du_i/dx = 0)
      const at = argsMentioning(e, wrtKey);
      const argD = at.map((i) => d(e.args[i]!));
      if (argD.some((x) => x !== zero)) {
        const spec = opSpec(e.op);
        const out = e === def ? ref(nodeKey) : e;
        const partials = e === def && rootPartials ? rootPartials(e.args, out) : spec.partials(e.args, out);
        const terms = argD.map((da, j) => (da === zero ? zero : mul(da, partials[at[j]!]!)));
        if (e.op !== 'add' && e.op !== 'neg' && !rules.includes(e.op)) rules.push(e.op);
        r = add(...terms);
      }
    }
    memo.set(e.id, r);
    return r;
  };
  return { expr: d(def), rules };
}
