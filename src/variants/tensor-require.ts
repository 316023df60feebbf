/**
 * `require` sides over a network written as tensor equations (contract 5 with
 * 2.7): `max(abs(z1))`, `min(p)`, `sum(step(z1))`, `max(abs(c[3]))`,
 * `W[1,1]*Y[1,1]`. Each side is read by the bounded tensor parser
 * (expr/tensor-parse.ts) and built with the op registry's constructors into
 * a tensor expression over the graph's nodes, so every function of 2.7 means
 * here what it means in an equation; a side must come out as one number.
 *
 * Names: a node outside time is its value; a sequence read at a step
 * (`c[3]`, `c[T]`, `h[2,1]`) is that step (and entry); a sequence's bare name
 * is all its steps, steps x size, as in the JSON (`max(abs(c))`); inside
 * `sum_t(...)`, `c[t]` and `h[t-1]` are the step being summed.
 * Nothing here evaluates user text: evaluation is the tensor evaluator's, on
 * an expression built from the parse tree.
 */
import { ProblemError } from '../errors.js';
import { FN_NAMES, type FnName } from '../expr/expr.js';
import { sizeOf, tnum, tref, type Shape, type StepRef, type TExpr } from '../expr/tensor.js';
import type { TGraph } from '../expr/tensor-graph.js';
import { parseTensorFormula, type SelAst, type TAst } from '../expr/tensor-parse.js';
import { stack, type Tensor } from '../expr/tensor-value.js';
import { evalT, withSteps, type ForwardValues, type TEnv } from '../numeric/tensor-eval.js';
import * as T from '../ops/tensor-build.js';
import { fmtShape } from '../ops/tensor-shapes.js';
import { floatCmp, MAX_REQUIRE_LENGTH, rethrowAt, type SideParser } from './condition.js';

/** Functions a side may call: the elementwise ones and those of 2.7 that make sense on values. */
const CALLS = [...FN_NAMES, 'sum', 'mean', 'max', 'min', 'softmax', 'logsumexp', 'dot', 'outer', 'diag', 'norm', 'flatten', 'concat', 'sum_t'] as const;
const MAX_NESTING = 50;

/** Sides within this relative distance are equal: float64 rounding never decides a boundary (`max(abs(z1)) < 2.5` at 2.5). */
export const EQUAL_RELATIVE = 1e-12;

/** The side parser of `parseConditionWith` for a tensor graph. */
export function tensorSideParser(g: TGraph): SideParser<TExpr> {
  return (piece, start, fail) => {
    let ast: TAst;
    try {
      ast = parseTensorFormula(piece, MAX_REQUIRE_LENGTH, MAX_NESTING);
    } catch (e) {
      return rethrowAt(e, start, fail);
    }
    const at = (a: TAst) => start + a.col - 1;
    const e = build(ast, { g, inSumT: false, fail: (msg, a) => fail(msg, a ? at(a) : undefined) });
    if (sizeOf(e.shape) !== 1) {
      fail(`'${piece.trim()}' has shape ${fmtShape(e.shape)}; a requirement compares numbers (reduce it with max(...), min(...), sum(...) or name one entry)`, start);
    }
    return e;
  };
}

interface Scope {
  readonly g: TGraph;
  inSumT: boolean;
  readonly fail: (msg: string, at?: TAst) => never;
}

function build(a: TAst, s: Scope): TExpr {
  switch (a.t) {
    case 'num': return tnum(a.value);
    case 'name': return whole(a.name, a, s);
    case 'select': return selection(a, s);
    case 'neg': return T.neg(build(a.x, s));
    case 'transpose': { const x = build(a.x, s); return op(s, a, () => T.transpose(x)); }
    case 'tuple': return s.fail('a tuple is not a value', a);
    case 'bin': {
      const l = build(a.l, s), r = build(a.r, s);
      return op(s, a, () => T.binary(a.op, l, r));
    }
    case 'call': return call(a, s);
  }
}

/** A construction error of the ops (a shape mismatch), placed at the subformula. */
function op(s: Scope, a: TAst, make: () => TExpr): TExpr {
  try {
    return make();
  } catch (e) {
    if (e instanceof ProblemError && !e.file) return s.fail(e.message, a);
    throw e;
  }
}

/** A name standing alone: a node's value; a sequence's bare name is all its steps (steps x size). */
function whole(name: string, a: TAst, s: Scope): TExpr {
  const n = s.g.nodes.get(name);
  if (!n) {
    if (name === 't' || name === 'T') return s.fail(`'${name}' is a step only inside brackets, as in c[${name}]`, a);
    const names = [...s.g.nodes.keys()];
    return s.fail(`'${name}' is not a name of this network (its names: ${names.slice(0, 30).join(', ')}${names.length > 30 ? ', ...' : ''})`, a);
  }
  if (!n.seq) return tref(name, n.shape);
  // every step at once: a reference outside time whose shape has the steps first (the environment stacks them)
  return tref(name, [s.g.steps!, ...n.shape]);
}

function selection(a: Extract<TAst, { t: 'select' }>, s: Scope): TExpr {
  let parts: readonly SelAst[] = a.parts;
  let base: TExpr;
  const n = a.x.t === 'name' ? s.g.nodes.get(a.x.name) : undefined;
  if (n?.seq && parts[0]?.kind === 'at') {
    base = tref(n.name, n.shape, stepOf(parts[0].e, s, n.name));
    parts = parts.slice(1);
  } else base = build(a.x, s);
  if (parts.length === 0) return base;
  return op(s, a, () => T.select(base, parts.map((p): T.SelectPart => {
    if (p.kind === 'all') return { kind: 'all' };
    if (p.kind === 'at') return { kind: 'index', i: whole1(p.e, s) };
    return { kind: 'range', from: whole1(p.from, s), to: whole1(p.to, s) };
  })));
}

/** The step a sequence is read at: a step number, T, or (inside sum_t) t and t-1. */
function stepOf(e: TAst, s: Scope, name: string): StepRef {
  const steps = s.g.steps!;
  if (e.t === 'num') {
    const k = whole1(e, s);
    if (k > steps) s.fail(`${name}[${k}] is step ${k}, outside the steps 1..${steps}`, e);
    return { kind: 'abs', step: k };
  }
  if (e.t === 'name' && e.name === 'T') return { kind: 'abs', step: steps };
  const rel = e.t === 'name' && e.name === 't' ? 0 : e.t === 'bin' && e.op === '-' && e.l.t === 'name' && e.l.name === 't' && e.r.t === 'num' && e.r.value.den === 1n && e.r.value.num === 1n ? -1 : null;
  if (rel === null) return s.fail(`a step is a number 1..${steps}, T, or inside sum_t(...) t or t-1`, e);
  if (!s.inSumT) return s.fail(`'t' is the step only inside sum_t(...); name a step such as ${name}[1] or ${name}[T], or all of them: ${name}`, e);
  return { kind: 'rel', offset: rel };
}

function whole1(e: TAst, s: Scope): number {
  if (e.t === 'num' && e.value.den === 1n && e.value.num >= 1n && e.value.num <= 1_000_000n) return Number(e.value.num);
  return s.fail('an index is a whole number of at least 1', e);
}

/** A literal axis, 1 or 2, as the second argument of a reduction. */
function axisOf(a: Extract<TAst, { t: 'call' }>, s: Scope): number | null {
  const x = a.args[1];
  if (x === undefined) return null;
  if (x.t === 'num' && x.value.den === 1n && (x.value.num === 1n || x.value.num === 2n)) return Number(x.value.num);
  if (a.fn === 'max' || a.fn === 'min') return s.fail(`${a.fn}(a, k) takes an axis (1 or 2) as k; compare two values with a second comparison instead`, x);
  return s.fail(`the axis of ${a.fn} is 1 (down the rows) or 2 (across each row)`, x);
}

function call(a: Extract<TAst, { t: 'call' }>, s: Scope): TExpr {
  const f = a.fn;
  if (!(CALLS as readonly string[]).includes(f)) return s.fail(`unknown function '${f}' in a requirement (known: ${CALLS.join(', ')})`, a);
  if (a.kwargs.size) s.fail(`${f} takes no keyword arguments here`, a);
  const arity = (min: number, max: number) => {
    if (a.args.length < min || a.args.length > max) s.fail(`${f} takes ${min === max ? min : `${min} or ${max}`} argument${max === 1 ? '' : 's'}, not ${a.args.length}`, a);
  };
  if ((FN_NAMES as readonly string[]).includes(f)) {
    arity(1, 1);
    const x = build(a.args[0]!, s);
    return op(s, a, () => T.fn(f as FnName, x));
  }
  switch (f) {
    case 'sum': case 'mean': case 'max': case 'min': {
      arity(1, 2);
      const axis = axisOf(a, s);
      const x = build(a.args[0]!, s);
      const axes = axis === null ? null : [axis];
      return op(s, a, () => (f === 'sum' ? T.sum(x, axes) : f === 'mean' ? T.mean(x, axes) : f === 'max' ? T.max(x, axes) : T.make('min', [x], { axes })));
    }
    case 'softmax': case 'logsumexp': {
      arity(1, 2);
      const axis = axisOf(a, s);
      const x = build(a.args[0]!, s);
      return op(s, a, () => (f === 'softmax' ? T.softmax(x, axis) : T.logsumexp(x, axis)));
    }
    case 'dot': case 'outer': {
      arity(2, 2);
      const x = build(a.args[0]!, s), y = build(a.args[1]!, s);
      return op(s, a, () => (f === 'dot' ? T.dot(x, y) : T.outer(x, y)));
    }
    case 'diag': case 'norm': case 'flatten': {
      arity(1, 1);
      const x = build(a.args[0]!, s);
      return op(s, a, () => (f === 'diag' ? T.diag(x) : f === 'norm' ? T.norm(x) : T.flatten(x)));
    }
    case 'concat': {
      arity(2, 64);
      const xs = a.args.map((x) => build(x, s));
      return op(s, a, () => T.concat(...xs));
    }
    case 'sum_t': {
      arity(1, 1);
      if (s.g.steps === null) s.fail("sum_t sums over the steps, but the network has no 'steps'", a);
      if (s.inSumT) s.fail('sum_t inside sum_t', a);
      s.inSumT = true;
      try {
        const body = build(a.args[0]!, s);
        return op(s, a, () => T.sumT(body));
      } finally {
        s.inSumT = false;
      }
    }
    default: return s.fail(`unknown function '${f}'`, a);
  }
}

/** Names of the nodes a side reads. */
export function sideNames(e: TExpr, out = new Set<string>()): Set<string> {
  const seen = new Set<number>();
  const visit = (x: TExpr): void => {
    if (seen.has(x.id)) return;
    seen.add(x.id);
    if (x.kind === 'ref') out.add(x.name);
    else if (x.kind === 'apply') x.args.forEach(visit);
  };
  visit(e);
  return out;
}

/**
 * Compares two sides at a draw's forward values: sides within EQUAL_RELATIVE
 * of each other are equal, so `<` at the boundary fails and `<=` holds, as
 * they would in exact arithmetic on the grid's values.
 */
export function tensorComparator(g: TGraph, fwd: ForwardValues): (l: TExpr, r: TExpr) => number | null {
  const env = sideEnv(g, fwd);
  const memo = new Map<number, Tensor>();
  return (l, r) => {
    const a = evalT(l, env, null, memo).data[0]!, b = evalT(r, env, null, memo).data[0]!;
    const d = floatCmp(a, b);
    if (d === null || d === 0) return d;
    return Math.abs(a - b) <= EQUAL_RELATIVE * Math.max(1, Math.abs(a), Math.abs(b)) ? 0 : d;
  };
}

/** Values of nodes as sides read them (forward values, leaves, steps, whole sequences stacked). */
export function sideEnv(g: TGraph, fwd: ForwardValues): TEnv {
  const stacked = new Map<string, Tensor>();
  return withSteps((r, t) => {
    const n = g.nodes.get(r.name)!;
    if (!n.seq) return fwd.values.get(r.name)!;
    const steps = fwd.seq.get(r.name)!;
    if (r.step === null) {
      let v = stacked.get(r.name);
      if (!v) stacked.set(r.name, (v = stack(steps, n.shape as Shape)));
      return v;
    }
    const k = r.step.kind === 'abs' ? r.step.step : t! + r.step.offset;
    return k === 0 ? fwd.values.get(n.initial!)! : steps[k - 1]!;
  }, g.steps);
}
