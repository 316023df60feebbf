/**
 * `kind: equations` with tensors and time (contract 2.7): the network's
 * textbook equations become a tensor graph. Shapes come from `given` and
 * `shapes:`, every node's shape is inferred, and every mistake is an input
 * error naming the equation: a shape mismatch with both shapes, an unknown
 * function with the known ones, a future step, a sequence without its
 * initial value, a cycle among equations.
 */
import { orderEquations } from '../../input/order-equations.js';
import { ProblemError } from '../../errors.js';
import { FN_NAMES, type FnName } from '../../expr/expr.js';
import { sameShape, sizeOf, tnum, tref, type Shape, type StepRef, type TExpr } from '../../expr/tensor.js';
import type { TGraph, TNode, TRole, TargetKind } from '../../expr/tensor-graph.js';
import { tensorNamesIn, type SelAst, type TAst } from '../../expr/tensor-parse.js';
import * as T from '../../ops/tensor-build.js';
import { fmtShape } from '../../ops/tensor-shapes.js';
import { convCall, CONV_FUNCTIONS } from './tensor-conv-calls.js';
import type { Field } from '../../input/field.js';

export interface TensorEquation {
  readonly name: string;
  /** defined per step: `h[t]: ...` */
  readonly seq: boolean;
  readonly ast: TAst;
  readonly text: string;
  readonly field: Field;
}

export interface TensorEquationsPart {
  readonly steps: number | null;
  readonly equations: readonly TensorEquation[];
  /** targets, with their kind when the file states it */
  readonly targets: ReadonlyMap<string, TargetKind | null>;
  readonly shapes: ReadonlyMap<string, { shape: number[]; field: Field }>;
  readonly initial: ReadonlyMap<string, { name: string; field: Field }>;
  readonly field: Field;
  /** leaves listed here come first, in this order (a shorthand's x, W1, b1, ... as its sheets list them); the others follow in order of first use */
  readonly leafOrder?: readonly string[];
}

export interface TensorBuildContext {
  /** the shape of a given value, as written (a sequence: steps x size) */
  givenShape(name: string): Shape | undefined;
  /** the given values of a target, row-major, to read its kind */
  givenValues(name: string): readonly number[] | undefined;
  /** upstream gradients an ask names (contract 4), each with the node it belongs to: leaves of that node's shape */
  readonly upstream: ReadonlyMap<string, string>;
  /** where a missing value is reported */
  readonly givenField: Field;
  /** the `given` entry of a name, where a value of the wrong shape is reported (a kind's shapes come from its sizes) */
  givenEntryField?(name: string): Field | undefined;
  /** the name is given as {fill: v}, a value without a shape */
  isFill(name: string): boolean;
}

/** Functions of tensor equations besides the elementwise ones. */
const REDUCTIONS = ['sum', 'mean', 'max', 'min'] as const;
const OTHER_FUNCTIONS = ['softmax', 'logsumexp', 'dot', 'outer', 'diag', 'norm', 'flatten', 'reshape', 'concat', 'sum_t'] as const;
export const TENSOR_FUNCTIONS: readonly string[] = [...FN_NAMES, ...REDUCTIONS, ...OTHER_FUNCTIONS, ...CONV_FUNCTIONS];

/** Is this name used as the step (t, T) inside a bracket? */
const isStepWord = (n: string): boolean => n === 't' || n === 'T';

/** Does an index expression mention the step? */
function mentionsStep(a: TAst): boolean {
  return tensorNamesIn(a).some((n) => isStepWord(n.name));
}

/** Text of a subformula, for messages. */
export function astText(a: TAst): string {
  switch (a.t) {
    case 'num': return a.value.den === 1n ? a.value.num.toString() : String(a.value.toNumber());
    case 'name': return a.name;
    case 'select': return `${astText(a.x)}[${a.parts.map((p) => (p.kind === 'all' ? ':' : p.kind === 'at' ? astText(p.e) : `${astText(p.from)}:${astText(p.to)}`)).join(', ')}]`;
    case 'call': return `${a.fn}(${[...a.args.map(astText), ...[...a.kwargs].map(([k, v]) => `${k}=${astText(v)}`)].join(', ')})`;
    case 'bin': return `${astText(a.l)} ${a.op} ${astText(a.r)}`;
    case 'neg': return `-${astText(a.x)}`;
    case 'transpose': return `${astText(a.x)}^T`;
    case 'tuple': return `(${a.items.map(astText).join(', ')})`;
  }
}

export function buildTensorGraph(part: TensorEquationsPart, ctx: TensorBuildContext): TGraph {
  const steps = part.steps;
  const defined = new Map(part.equations.map((e) => [e.name, e]));

  // 1. Which names are sequences: defined per step, or read at a step somewhere.
  const seqNames = new Set(part.equations.filter((e) => e.seq).map((e) => e.name));
  const bareUse = new Map<string, TensorEquation>();
  for (const eq of part.equations) {
    walkNames(eq.ast, (name, sel) => {
      if (sel && sel[0]?.kind === 'at' && mentionsStep(sel[0].e)) {
        if (steps === null) eq.field.fail(`'${name}[${astText(sel[0].e)}]' reads a step, but the network has no 'steps'`);
        seqNames.add(name);
      } else if (!sel) bareUse.set(name, eq);
    });
  }

  // 2. Leaves and their shapes.
  const nodes = new Map<string, TNode>();
  const leafNames: string[] = [];
  for (const eq of part.equations) {
    for (const { name } of namesOutsideSteps(eq.ast)) {
      if (defined.has(name) || nodes.has(name)) continue;
      if ((FN_NAMES as readonly string[]).includes(name) || TENSOR_FUNCTIONS.includes(name)) eq.field.fail(`'${name}' is a function; write ${name}(...)`);
      nodes.set(name, leafNode(name, seqNames.has(name), part, ctx, eq));
      leafNames.push(name);
    }
  }
  // 3. Initial values of sequences read at [t-1].
  const initialOf = new Map<string, string>();
  for (const eq of part.equations) {
    walkNames(eq.ast, (name, sel) => {
      if (!sel || sel[0]?.kind !== 'at') return;
      const step = stepOf(sel[0].e, steps, eq, name);
      if (step?.kind !== 'rel' || step.offset !== -1 || initialOf.has(name)) return;
      const init = part.initial.get(name)?.name ?? (/\d$/.test(name) ? `${name}_0` : `${name}0`);
      initialOf.set(name, init);
      if (!nodes.has(init)) {
        const shape = part.shapes.get(init)?.shape ?? ctx.givenShape(init);
        if (!shape) eq.field.fail(`${name}[t-1] at t = 1 reads the initial value '${init}', which is not given (add '${init}' under given${part.initial.has(name) ? '' : `, or name it with initial: {${name}: ...}`})`);
        nodes.set(init, { name: init, shape: vectorShape(shape), seq: false, role: 'input' });
        leafNames.push(init);
      }
    });
  }
  for (const [name, { field }] of part.initial) if (!initialOf.has(name)) field.fail(`'${name}' is never read at [t-1], so it needs no initial value`);
  for (const [name, { field }] of part.shapes) {
    if (!nodes.has(name)) field.fail(defined.has(name) ? `'${name}' is computed by an equation; its shape is inferred` : `'${name}' is not used by any equation`);
  }
  for (const [name] of part.targets) {
    if (!nodes.has(name)) (part.field.get('targets')).fail(defined.has(name) ? `'${name}' is computed by an equation; a target is given` : `'${name}' is not used by any equation`);
  }


  // 4. Equations in dependency order (a read at [t-1] is the previous step: no edge).
  const order = topoOrder(part, defined, seqNames, steps);

  // 5. Definitions, with shapes inferred in order.
  for (const eq of order) {
    if (eq.seq && steps === null) eq.field.fail(`'${eq.name}[t]' is defined per step, but the network has no 'steps'`);
    const def = located(eq, eq.ast, () => toTExpr(eq.ast, new Scope(eq, nodes, seqNames, steps, eq.seq, (n) => {
      // a sequence read at [t-1] before its own equation: its shape is its initial value's
      const init = initialOf.get(n);
      return init ? nodes.get(init)?.shape : undefined;
    })));
    const initial = initialOf.get(eq.name);
    if (initial) {
      const init = nodes.get(initial)!;
      if (!sameShape(init.shape, def.shape)) eq.field.fail(`the initial value '${initial}' has shape ${fmtShape(init.shape)}, but ${eq.name}[t] has shape ${fmtShape(def.shape)}`);
    }
    nodes.set(eq.name, { name: eq.name, shape: def.shape, seq: eq.seq, role: 'intermediate', def, initial });
  }
  for (const [G, of] of ctx.upstream) {
    const n = nodes.get(of);
    if (!n || nodes.has(G)) continue; // an unknown node is reported where the ask is resolved
    if (n.seq) part.field.fail(`'${of}' is a sequence; an upstream gradient belongs to a node outside time`);
    nodes.set(G, { name: G, shape: n.shape, seq: false, role: 'constant' });
    leafNames.push(G);
  }
  for (const [name, init] of initialOf) {
    if (!defined.has(name)) {
      const n = nodes.get(name)!;
      nodes.set(name, { ...n, initial: init });
    }
  }
  return { nodes, order: [...orderLeaves(leafNames, part.leafOrder), ...order.map((e) => e.name)], steps };
}

/** Leaves in the order a shorthand states, then the rest in order of first use (a stable sort). */
function orderLeaves(names: readonly string[], first: readonly string[] | undefined): string[] {
  if (!first) return [...names];
  const rank = (n: string): number => { const i = first.indexOf(n); return i < 0 ? first.length : i; };
  return [...names].sort((a, b) => rank(a) - rank(b));
}

/** A leaf's node: its shape from `given` or `shapes:`, its role, its target kind. */
function leafNode(name: string, seq: boolean, part: TensorEquationsPart, ctx: TensorBuildContext, eq: TensorEquation): TNode {
  const declared = part.shapes.get(name)?.shape;
  const given = ctx.givenShape(name);
  let shape: Shape;
  if (declared) {
    // a declared shape wins over the given value's nesting ([2] for [2, 1], a number for [1]) when the sizes agree
    shape = seq ? declared.slice(1) : declared;
    if (given && sizeOf(given) !== sizeOf(declared)) {
      // a shape the file declares under `shapes:` is reported there; one a kind derives from its sizes, at the given value
      const at = part.shapes.get(name)!.field === part.field ? ctx.givenEntryField?.(name) ?? part.field : part.shapes.get(name)!.field;
      at.fail(`'${name}' has shape ${fmtShape(declared)}, but the given value has shape ${fmtShape(given)}`);
    }
  } else if (given) {
    if (seq) {
      if (given.length === 0 || given[0] !== part.steps) {
        ctx.givenField.get(name).fail(`'${name}' is read at a step, so its value has one row per step (${part.steps} rows), but it has shape ${fmtShape(given)}`);
      }
      shape = vectorShape(given.slice(1));
    } else shape = vectorShape(given);
  } else if (ctx.isFill(name)) {
    // a fill has no shape of its own: a bias read as a scalar by mistake would still solve
    return ctx.givenField.get(name).fail(`'${name}' is given as {fill: ...}, which has no shape; declare it under network.shapes (e.g. shapes: {${name}: [4]}) or write its values`);
  } else {
    // a leaf without value or shape: a scalar (the `symbolic` asks and the checker accept such names)
    shape = [];
  }
  const isTarget = part.targets.has(name);
  const role: TRole = isTarget ? 'target' : seq ? 'input' : 'parameter';
  const node: TNode = { name, shape, seq, role };
  if (!isTarget) return node;
  const values = ctx.givenValues(name);
  const stated = part.targets.get(name) ?? null;
  const kind = values ? targetKind(values, shape, stated, part, name) : stated ?? 'real';
  void eq;
  return { ...node, targetKind: kind };
}

/** A given [n, 1] value is the vector [n] (contract 2.7). */
const vectorShape = (s: Shape): Shape => (s.length === 2 && s[1] === 1 && s[0] !== 1 ? [s[0]!] : s);

/** The kind of a target, read from its values (each row of the last axis). */
function targetKind(values: readonly number[], shape: Shape, stated: TargetKind | null, part: TensorEquationsPart, name: string): TargetKind {
  const n = shape.length ? shape[shape.length - 1]! : 1;
  const rows: number[][] = [];
  for (let i = 0; i < values.length; i += n) rows.push(values.slice(i, i + n) as number[]);
  const oneHot = n > 1 && rows.every((r) => r.every((v) => v === 0 || v === 1) && r.filter((v) => v === 1).length === 1);
  const distribution = n > 1 && rows.every((r) => r.every((v) => v >= 0) && Math.abs(r.reduce((a, b) => a + b, 0) - 1) <= 1e-12);
  const binary = values.every((v) => v === 0 || v === 1);
  const inferred: TargetKind = oneHot ? 'one-hot' : distribution ? 'distribution' : binary ? 'binary' : 'real';
  if (stated) {
    const ok = stated === 'real' || (stated === 'one-hot' && oneHot) || (stated === 'distribution' && (distribution || oneHot)) || (stated === 'binary' && binary);
    if (!ok) part.field.get('targets').fail(`'${name}' is declared ${stated}, but its given values are not (they read as ${inferred})`);
    return stated;
  }
  return inferred;
}

/** Calls `visit(name, selection)` for every name, with the selection that directly follows it. */
function walkNames(a: TAst, visit: (name: string, sel: readonly SelAst[] | null) => void): void {
  switch (a.t) {
    case 'num': return;
    case 'name': visit(a.name, null); return;
    case 'select':
      if (a.x.t === 'name') visit(a.x.name, a.parts); else walkNames(a.x, visit);
      for (const s of a.parts) {
        if (s.kind === 'at') walkNames(s.e, visitIndex(visit));
        else if (s.kind === 'range') { walkNames(s.from, visitIndex(visit)); walkNames(s.to, visitIndex(visit)); }
      }
      return;
    case 'call': a.args.forEach((x) => walkNames(x, visit)); a.kwargs.forEach((x) => walkNames(x, visit)); return;
    case 'bin': walkNames(a.l, visit); walkNames(a.r, visit); return;
    case 'neg': case 'transpose': walkNames(a.x, visit); return;
    case 'tuple': a.items.forEach((x) => walkNames(x, visit)); return;
  }
}

/** Inside an index, `t` and `T` are the step, not names. */
const visitIndex = (visit: (name: string, sel: readonly SelAst[] | null) => void) =>
  (name: string, sel: readonly SelAst[] | null): void => { if (!isStepWord(name)) visit(name, sel); };

/** Names read by a formula (t and T inside brackets excluded; keyword values such as `same` excluded). */
function namesOutsideSteps(a: TAst): Array<{ name: string }> {
  const out: Array<{ name: string }> = [];
  const skipKw = (x: TAst): TAst => x;
  void skipKw;
  const visit = (x: TAst): void => {
    if (x.t === 'call') {
      x.args.forEach(visit);
      x.kwargs.forEach((v) => { if (v.t !== 'name') visit(v); });
      return;
    }
    walkShallow(x, visit, (name) => out.push({ name }));
  };
  visit(a);
  return out;
}

function walkShallow(a: TAst, recurse: (x: TAst) => void, name: (n: string) => void): void {
  switch (a.t) {
    case 'num': return;
    case 'name': name(a.name); return;
    case 'select':
      recurse(a.x);
      for (const s of a.parts) {
        const idx = (x: TAst) => tensorNamesIn(x).filter((n) => !isStepWord(n.name)).forEach((n) => name(n.name));
        if (s.kind === 'at') idx(s.e); else if (s.kind === 'range') { idx(s.from); idx(s.to); }
      }
      return;
    case 'call': recurse(a); return;
    case 'bin': recurse(a.l); recurse(a.r); return;
    case 'neg': case 'transpose': recurse(a.x); return;
    case 'tuple': a.items.forEach(recurse); return;
  }
}

/** The step an index expression names: t+k (relative) or a fixed step; null when it does not mention t or T. */
function stepOf(e: TAst, steps: number | null, eq: TensorEquation, name: string): StepRef | null {
  if (!mentionsStep(e)) return null;
  const affine = (x: TAst): { t: number; c: number } => {
    switch (x.t) {
      case 'num':
        if (x.value.den !== 1n) eq.field.fail(`a step is a whole number: ${name}[${astText(e)}]`);
        return { t: 0, c: Number(x.value.num) };
      case 'name':
        if (x.name === 't') return { t: 1, c: 0 };
        if (x.name === 'T') return { t: 0, c: steps ?? 0 };
        return eq.field.fail(`a step index uses t, T and whole numbers: ${name}[${astText(e)}]`);
      case 'bin':
        if (x.op === '+' || x.op === '-') {
          const l = affine(x.l), r = affine(x.r), s = x.op === '+' ? 1 : -1;
          return { t: l.t + s * r.t, c: l.c + s * r.c };
        }
        return eq.field.fail(`a step index is t, t-1, T or a step number: ${name}[${astText(e)}]`);
      default:
        return eq.field.fail(`a step index is t, t-1, T or a step number: ${name}[${astText(e)}]`);
    }
  };
  const { t, c } = affine(e);
  if (t === 0) {
    if (steps !== null && (c < 1 || c > steps)) eq.field.fail(`${name}[${astText(e)}] is step ${c}, outside the steps 1..${steps}`);
    return { kind: 'abs', step: c };
  }
  if (t !== 1) eq.field.fail(`a step index is t, t-1, T or a step number: ${name}[${astText(e)}]`);
  if (c > 0) eq.field.fail(`${name}[${astText(e)}] reads a future step; a step reads only the current and earlier steps`);
  if (c < -1) eq.field.fail(`${name}[${astText(e)}] reads ${-c} steps back; only [t-1] (with its initial value) reaches back`);
  return { kind: 'rel', offset: c };
}

/** Equations in dependency order; a cycle is an input error naming its members. */
function topoOrder(part: TensorEquationsPart, defined: ReadonlyMap<string, TensorEquation>, seqNames: ReadonlySet<string>, steps: number | null): TensorEquation[] {
  const deps = new Map<string, string[]>();
  for (const eq of part.equations) {
    const d: string[] = [];
    walkNames(eq.ast, (name, sel) => {
      if (!defined.has(name)) return;
      const step = sel && sel[0]?.kind === 'at' ? stepOf(sel[0].e, steps, eq, name) : null;
      if (step?.kind === 'rel' && step.offset < 0 && seqNames.has(name)) return; // the previous step
      d.push(name);
    });
    deps.set(eq.name, d);
  }
  return orderEquations(part.equations, (eq) => deps.get(eq.name)!);
}

/** Shape and other construction errors from the ops, placed at the equation with the failing subformula. */
function located<R>(eq: TensorEquation, a: TAst, run: () => R): R {
  try {
    return run();
  } catch (e) {
    if (e instanceof ProblemError && !e.file) eq.field.fail(e.message);
    throw e;
  }
}

class Scope {
  /** inside sum_t(...): t is the step */
  inSumT = false;
  constructor(
    readonly eq: TensorEquation,
    readonly nodes: ReadonlyMap<string, TNode>,
    readonly seqNames: ReadonlySet<string>,
    readonly steps: number | null,
    readonly perStep: boolean,
    /** the shape of a sequence not yet defined, read at an earlier step */
    readonly earlierShape: (name: string) => Shape | undefined,
  ) {}
}

function fail(scope: Scope, a: TAst, message: string): never {
  return scope.eq.field.fail(`${astText(a)}: ${message}`);
}

/** A subformula's construction, with its text in front of any error from the ops. */
function at<R>(scope: Scope, a: TAst, run: () => R): R {
  try {
    return run();
  } catch (e) {
    if (e instanceof ProblemError && !e.file && !e.message.startsWith('\u0001')) {
      throw new ProblemError(`\u0001${astText(a)}: ${e.message}`);
    }
    throw e;
  }
}

/** The syntax tree as a tensor expression; names resolve to the graph's nodes. */
function toTExpr(a: TAst, scope: Scope): TExpr {
  try {
    return build(a, scope);
  } catch (e) {
    if (e instanceof ProblemError && e.message.startsWith('\u0001')) scope.eq.field.fail(e.message.slice(1));
    throw e;
  }
}

function build(a: TAst, scope: Scope): TExpr {
  switch (a.t) {
    case 'num': return tnum(a.value);
    case 'name': return refTo(scope, a, a.name, null);
    case 'select': return at(scope, a, () => selection(scope, a));
    case 'neg': return T.neg(build(a.x, scope));
    case 'transpose': { const x = build(a.x, scope); return at(scope, a, () => T.transpose(x)); }
    case 'tuple': return fail(scope, a, 'a tuple is a keyword argument such as stride=(2, 1)');
    case 'bin': {
      const l = build(a.l, scope), r = build(a.r, scope);
      return at(scope, a, () => T.binary(a.op, l, r));
    }
    case 'call': return at(scope, a, () => call(scope, a));
  }
}

function refTo(scope: Scope, a: TAst, name: string, step: StepRef | null): TExpr {
  const node = scope.nodes.get(name);
  if (!node && step?.kind === 'rel' && step.offset < 0 && scope.seqNames.has(name) && scope.perStep) {
    const shape = scope.earlierShape(name);
    if (shape) return tref(name, shape, step);
  }
  if (!node) {
    if (scope.eq.name === name) fail(scope, a, `'${name}' is defined by this equation and cannot read itself${scope.seqNames.has(name) ? ` at the same step (write ${name}[t-1])` : ''}`);
    return fail(scope, a, `'${name}' is used before it is defined (or its equation reads it at the same step)`);
  }
  if (node.seq && step === null) fail(scope, a, `'${name}' is a sequence: write ${name}[t], ${name}[t-1] or a step such as ${name}[1]`);
  if (!node.seq && step !== null) fail(scope, a, `'${name}' is not a sequence`);
  if (step?.kind === 'rel' && !scope.perStep && !scope.inSumT) fail(scope, a, `'t' is the step only in an equation defined per step or inside sum_t(...)`);
  return tref(name, node.shape, step);
}

function selection(scope: Scope, a: Extract<TAst, { t: 'select' }>): TExpr {
  let parts = a.parts;
  let base: TExpr;
  if (a.x.t === 'name' && scope.seqNames.has(a.x.name) && parts[0]?.kind === 'at' && mentionsStep(parts[0].e)) {
    base = refTo(scope, a, a.x.name, stepOf(parts[0].e, scope.steps, scope.eq, a.x.name));
    parts = parts.slice(1);
  } else if (a.x.t === 'name' && scope.seqNames.has(a.x.name) && parts[0]?.kind === 'at') {
    // a sequence read at a fixed step: h[2]
    const n = wholeNumber(scope, parts[0].e);
    if (scope.steps !== null && (n < 1 || n > scope.steps)) fail(scope, a, `step ${n} is outside the steps 1..${scope.steps}`);
    base = refTo(scope, a, a.x.name, { kind: 'abs', step: n });
    parts = parts.slice(1);
  } else base = build(a.x, scope);
  if (parts.length === 0) return base;
  return T.select(base, parts.map((p) => {
    if (p.kind === 'all') return { kind: 'all' };
    if (p.kind === 'at') return { kind: 'index', i: wholeNumber(scope, p.e) };
    return { kind: 'range', from: wholeNumber(scope, p.from), to: wholeNumber(scope, p.to) };
  }));
}

function wholeNumber(scope: Scope, e: TAst): number {
  if (e.t === 'num' && e.value.den === 1n && e.value.num >= 1n) return Number(e.value.num);
  return fail(scope, e, 'an index is a whole number of at least 1');
}

/** A literal axis 1 or 2. */
function axisArg(scope: Scope, a: Extract<TAst, { t: 'call' }>, i: number): number | null {
  const x = a.args[i];
  if (x === undefined) return null;
  if (x.t === 'num' && x.value.den === 1n && (x.value.num === 1n || x.value.num === 2n)) return Number(x.value.num);
  if (a.fn === 'max' && i === 1) fail(scope, a, `max(${astText(a.args[0]!)}, ...) takes an axis (1 or 2), not a second value; for max(z, 0) write relu(z)`);
  if (a.fn === 'min' && i === 1) fail(scope, a, `min(${astText(a.args[0]!)}, ...) takes an axis (1 or 2), not a second value; for min(z, 0) write -relu(-z)`);
  return fail(scope, a, `the axis of ${a.fn} is 1 (down the rows) or 2 (across each row), not ${astText(x)}`);
}

function arity(scope: Scope, a: Extract<TAst, { t: 'call' }>, min: number, max: number): void {
  if (a.kwargs.size && !CONV_FUNCTIONS.includes(a.fn)) fail(scope, a, `${a.fn} takes no keyword arguments`);
  const n = a.args.length;
  if (n < min || n > max) fail(scope, a, `${a.fn} takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, not ${n}`);
}

function call(scope: Scope, a: Extract<TAst, { t: 'call' }>): TExpr {
  const f = a.fn;
  if ((FN_NAMES as readonly string[]).includes(f)) {
    arity(scope, a, 1, 1);
    return T.fn(f as FnName, build(a.args[0]!, scope));
  }
  switch (f) {
    case 'sum': case 'mean': case 'max': case 'min': {
      arity(scope, a, 1, 2);
      const axis = axisArg(scope, a, 1);
      const x = build(a.args[0]!, scope);
      const axes = axis === null ? null : [axis];
      return f === 'sum' ? T.sum(x, axes) : f === 'mean' ? T.mean(x, axes) : f === 'max' ? T.max(x, axes) : T.make('min', [x], { axes });
    }
    case 'softmax': case 'logsumexp': {
      arity(scope, a, 1, 2);
      const axis = axisArg(scope, a, 1);
      const x = build(a.args[0]!, scope);
      return f === 'softmax' ? T.softmax(x, axis) : T.logsumexp(x, axis);
    }
    case 'dot': case 'outer': {
      arity(scope, a, 2, 2);
      const [x, y] = [build(a.args[0]!, scope), build(a.args[1]!, scope)];
      return f === 'dot' ? T.dot(x, y) : T.outer(x, y);
    }
    case 'diag': case 'norm': case 'flatten': {
      arity(scope, a, 1, 1);
      const x = build(a.args[0]!, scope);
      return f === 'diag' ? T.diag(x) : f === 'norm' ? T.norm(x) : T.flatten(x);
    }
    case 'reshape': {
      // reshape(A, (d1, ..., dk)): the same entries, row-major, in another shape
      arity(scope, a, 2, 2);
      const x = build(a.args[0]!, scope);
      const s = a.args[1]!;
      const items = s.t === 'tuple' ? s.items : [s];
      const shape = items.map((d) => (d.t === 'num' && d.value.den === 1n && d.value.num >= 1n ? Number(d.value.num) : fail(scope, a, 'reshape(A, (d1, ..., dk)) takes whole sizes of at least 1')));
      if (sizeOf(shape) !== sizeOf(x.shape)) fail(scope, a, `reshape of a tensor of shape ${fmtShape(x.shape)} into ${fmtShape(shape)}: the sizes differ`);
      return T.reshape(x, shape);
    }
    case 'concat':
      arity(scope, a, 2, 64);
      return T.concat(...a.args.map((x) => build(x, scope)));
    case 'sum_t': {
      arity(scope, a, 1, 1);
      if (scope.steps === null) fail(scope, a, "sum_t sums over the steps, but the network has no 'steps'");
      if (scope.perStep) fail(scope, a, 'sum_t inside an equation defined per step');
      if (scope.inSumT) fail(scope, a, 'sum_t inside sum_t');
      scope.inSumT = true;
      try {
        return T.sumT(build(a.args[0]!, scope));
      } finally {
        scope.inSumT = false;
      }
    }
    default:
      if (CONV_FUNCTIONS.includes(f)) return convCall(a, (x) => build(x, scope), (msg) => fail(scope, a, msg));
      return fail(scope, a, `unknown function '${f}' (known: ${TENSOR_FUNCTIONS.join(', ')})`);
  }
}
