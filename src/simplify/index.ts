/**
 * simplify/: textbook closed forms by rule, not by a generic simplifier.
 *
 * One pass visits the expression bottom-up; at each node it rebuilds the node
 * through the smart constructors (numbers fold, quotients collect), applies
 * the local rule table (rules.ts), then tries the node as a rational function
 * of its atoms (ratfun.ts), which cancels -(t/p - (1 - t)/(1 - p)) p (1 - p)
 * to p - t. Passes repeat to a fixed point, at most MAX_PASSES times.
 *
 * A rewrite is accepted only if it adds no DAG node and is strictly smaller
 * by cost.ts (fewer meaningful nodes as printed, then fewer minus signs, then
 * fewer DAG nodes), and a rational rewrite only if it also agrees numerically
 * at a few points (verify.ts). The result as a whole is checked the same way,
 * so simplify never returns a larger or a different expression. Expressions
 * over MAX_SIMPLIFY_NODES DAG nodes come back unchanged: the cost stays
 * bounded, and such forms are sums of products of named factors already.
 *
 * Softmax with cross-entropy is not collapsed to y_k - t_k here. That form
 * needs the definition y_k = exp(u_k)/sum_j exp(u_j), which a closed form
 * holds only as the name y_k, and sum_k t_k = 1, a fact about the given
 * target values, not an identity a rewrite of one expression can verify. The
 * RNN's layer-level form (networks/rnn/sections.ts) prints y - t, after
 * networks/rnn/given-check.ts has checked that the targets sum to 1; here the
 * scalar form only gets its fractions combined over one denominator.
 */
import { rebuildApply, topoOrder, type Expr } from '../expr/expr.js';
import { better, costOf, type Cost } from './cost.js';
import { Atoms, RationalView, toExpr } from './convert.js';
import { RULES } from './rules.js';
import { sameValues } from './verify.js';

export const MAX_SIMPLIFY_NODES = 200;
export const MAX_PASSES = 4;
/** Rule applications tried at one node before moving on. */
const MAX_LOCAL_STEPS = 8;

/** Results by input node: simplify is a pure function of an immutable node, and closed forms repeat. */
const done = new WeakMap<Expr, Expr>();

export function simplify(e: Expr): Expr {
  if (e.kind !== 'apply' || !sizeAtMost(e, MAX_SIMPLIFY_NODES)) return e;
  let out = done.get(e);
  if (!out) {
    out = run(e);
    done.set(e, out);
  }
  return out;
}

function run(e: Expr): Expr {
  const ctx = new Context();
  let cur: Expr = e;
  for (let i = 0; i < MAX_PASSES; i++) {
    const next = ctx.pass(cur);
    if (next === cur) break;
    cur = next;
  }
  return cur !== e && better(ctx.cost(cur), ctx.cost(e)) && sameValues(e, cur) ? cur : e;
}

/** State of one simplify call: rational functions, costs and results by node. */
class Context {
  private readonly view = new RationalView(new Atoms());
  private readonly costs = new Map<number, Cost>();
  /** node -> its rewrite in an earlier pass (a node met again is not worked again) */
  private readonly rewritten = new Map<number, Expr>();

  cost(e: Expr): Cost {
    let c = this.costs.get(e.id);
    if (!c) this.costs.set(e.id, (c = costOf(e)));
    return c;
  }

  pass(e: Expr): Expr {
    const memo = new Map<number, Expr>();
    for (const n of topoOrder([e])) {
      if (n.kind !== 'apply') { memo.set(n.id, n); continue; }
      const m = rebuildApply(n.op, n.args.map((a) => memo.get(a.id)!));
      let r = this.rewritten.get(m.id);
      if (!r) {
        r = this.rational(this.local(m));
        this.rewritten.set(m.id, r);
      }
      memo.set(n.id, r);
    }
    return memo.get(e.id)!;
  }

  private local(e: Expr): Expr {
    let cur = e;
    for (let step = 0; step < MAX_LOCAL_STEPS && cur.kind === 'apply'; step++) {
      const cost = this.cost(cur);
      let next: Expr | null = null;
      for (const rule of RULES) {
        const r = rule.rewrite(cur);
        if (r && better(this.cost(r), cost)) { next = r; break; }
      }
      if (!next) break;
      cur = next;
    }
    return cur;
  }

  private rational(e: Expr): Expr {
    if (e.kind !== 'apply') return e;
    switch (e.op) {
      case 'add': case 'mul': case 'neg': case 'div': case 'pow': break;
      default: return e; // a function application is an atom of its parent's rational function
    }
    if (!this.view.worthTrying(e)) return e;
    const r = this.view.of(e);
    if (!r.reduced) return e;
    const cand = toExpr(r, this.view);
    return cand !== e && better(this.cost(cand), this.cost(e)) && sameValues(e, cand) ? cand : e;
  }
}

/** Is the DAG at most `cap` nodes? Stops counting past the cap, so a huge expression costs little. */
function sizeAtMost(e: Expr, cap: number): boolean {
  const seen = new Set<number>([e.id]);
  const stack: Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    if (x.kind !== 'apply') continue;
    for (const a of x.args) {
      if (seen.has(a.id)) continue;
      seen.add(a.id);
      if (seen.size > cap) return false;
      stack.push(a);
    }
  }
  return true;
}
