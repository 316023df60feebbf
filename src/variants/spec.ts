/**
 * The `variants` section of a problem (contract 5), validated against the
 * network's graph so that every mistake names the file, line and key:
 *
 *   variants:
 *     given:
 *       w1: {uniform: [-2, 2], step: 0.1}   # a grid of exact values; each tensor element on its own
 *       n:  {integer: [1, 5]}
 *       x:  {choice: [1, 2, "1/2"]}          # or a list of whole tensors: {choice: [[1, 0], [0, 1]]}
 *       W1: {fill: {uniform: [0, 1], step: 0.5}}   # one draw for the whole tensor
 *       b2: 0.5                              # a fixed value
 *     require: ["abs(w1*x + b1) < 4", "o != 0"]
 *     distinct: true
 *     tries: 1000                            # per variant
 *     tolerance: {relative: 1e-3}            # for quiz.xml; or {absolute: 0.01}
 */
import { Rational } from '../expr/rational.js';
import { ancestors, type Graph, type TensorInfo } from '../expr/graph.js';
import type { Field } from '../problem/field.js';
import { parseGivenValue } from '../problem/load.js';
import type { GivenValue, ProblemSpec } from '../problem/spec.js';
import { condKeys, parseCondition, type Cond } from './condition.js';

/** One value of one element: a grid lo, lo + step, ... (uniform and integer), or a list. */
export type ElementDraw =
  | { readonly kind: 'grid'; readonly lo: Rational; readonly step: Rational; readonly count: number }
  | { readonly kind: 'choice'; readonly options: readonly Rational[] };

export type DrawSpec =
  | { readonly kind: 'each'; readonly draw: ElementDraw }          // every element on its own
  | { readonly kind: 'fill'; readonly draw: ElementDraw }          // one value for the whole tensor
  | { readonly kind: 'pick'; readonly options: readonly GivenValue[] } // one of several whole tensors
  | { readonly kind: 'fixed'; readonly value: GivenValue };

export interface NameDraw { readonly tensor: TensorInfo; readonly spec: DrawSpec; readonly field: Field }
export interface Requirement { readonly text: string; readonly cond: Cond; readonly field: Field }
export type Tolerance = { readonly kind: 'relative' | 'absolute'; readonly value: number };

export interface VariantsSpec {
  readonly draws: readonly NameDraw[];
  readonly requires: readonly Requirement[];
  readonly distinct: boolean;
  readonly tries: number;
  readonly tolerance: Tolerance;
  readonly field: Field;
}

export const DEFAULT_TRIES = 1000;
export const MAX_TRIES = 1_000_000;
/** Largest grid or list an element is drawn from: one 32-bit output picks a point without bias. */
export const MAX_GRID_POINTS = 2 ** 32;
export const DEFAULT_TOLERANCE: Tolerance = { kind: 'relative', value: 1e-3 };

export function parseVariants(problem: ProblemSpec, graph: Graph): VariantsSpec {
  const f = problem.variants ?? problem.root.fail("the problem has no 'variants' section (contract 5)");
  f.only(['given', 'require', 'distinct', 'tries', 'tolerance']);
  const gf = f.required('given');
  const draws = gf.keys().map((name) => parseDraw(name, gf.get(name), graph));
  const hasValue = new Set([...problem.given.keys(), ...draws.map((d) => d.tensor.name)]);
  const rf = f.get('require');
  const reqFields = !rf.exists ? [] : rf.isList() ? rf.items() : [rf];
  const requires = reqFields.map((item) => {
    const text = item.text();
    const cond = parseCondition(text, item, graph);
    // every leaf the requirement reads must have a value, drawn or given
    for (const k of ancestors(graph, [...condKeys(cond)])) {
      const n = graph.nodes.get(k)!;
      if (!n.def && !hasValue.has(n.tensor)) item.fail(`'${n.tensor}' has no value in "${text}" (give it under given or variants.given)`);
    }
    return { text, cond, field: item };
  });
  return {
    draws, requires, field: f,
    distinct: f.get('distinct').exists ? f.get('distinct').bool() : false,
    tries: f.get('tries').exists ? f.get('tries').int(1, MAX_TRIES) : DEFAULT_TRIES,
    tolerance: f.get('tolerance').exists ? parseTolerance(f.get('tolerance')) : DEFAULT_TOLERANCE,
  };
}

function parseDraw(name: string, f: Field, graph: Graph): NameDraw {
  const tensor = graph.tensors.get(name);
  const leaves = [...graph.tensors.values()].filter((t) => t.role !== 'intermediate').map((t) => t.name);
  if (!tensor) f.fail(`'${name}' is not a name of this network (its inputs and parameters: ${leaves.join(', ')})`);
  if (tensor.role === 'intermediate') f.fail(`'${name}' is computed by the network; only ${leaves.join(', ')} can be drawn`);
  return { tensor, field: f, spec: parseDrawSpec(f, tensor) };
}

function parseDrawSpec(f: Field, t: TensorInfo): DrawSpec {
  if (!f.isMap()) return { kind: 'fixed', value: shaped(parseGivenValue(f), f, t) };
  const kinds = f.keys().filter((k) => k !== 'step');
  if (kinds.length !== 1) f.fail('a draw has one of uniform, integer, choice or fill');
  const kind = kinds[0]!;
  if (kind === 'fill') {
    f.only(['fill']);
    const inner = f.get('fill');
    if (!inner.isMap()) return { kind: 'fixed', value: { kind: 'fill', value: inner.rational() } };
    return { kind: 'fill', draw: parseElementDraw(inner) };
  }
  if (kind === 'choice') {
    f.only(['choice']);
    const items = f.required('choice').items();
    if (items.length === 0) f.get('choice').fail('choice lists no values');
    if (items.length > MAX_GRID_POINTS) f.get('choice').fail('choice lists too many values');
    // a list of lists picks whole tensors; a list of numbers draws each element
    if (items.some((it) => it.isList())) return { kind: 'pick', options: items.map((it) => shaped(parseGivenValue(it), it, t)) };
  }
  return { kind: 'each', draw: parseElementDraw(f) };
}

function parseElementDraw(f: Field): ElementDraw {
  const kinds = f.keys().filter((k) => k !== 'step');
  if (kinds.length !== 1) f.fail('a draw has one of uniform, integer or choice');
  const kind = kinds[0]!;
  switch (kind) {
    case 'uniform': {
      f.only(['uniform', 'step']);
      const [lo, hi] = range(f.get('uniform'));
      const stepField = f.get('step');
      const step = stepField.exists ? stepField.rational() : defaultStep(lo, hi);
      if (step.sign() <= 0) stepField.fail('step must be positive');
      return { kind: 'grid', lo, step, count: gridCount(lo, hi, step, f) };
    }
    case 'integer': {
      f.only(['integer']);
      const [lo, hi] = range(f.get('integer'));
      if (!lo.isInteger() || !hi.isInteger()) f.get('integer').fail('integer takes whole numbers [a, b]');
      return { kind: 'grid', lo, step: Rational.ONE, count: gridCount(lo, hi, Rational.ONE, f) };
    }
    case 'choice': {
      f.only(['choice']);
      const items = f.required('choice').items();
      if (items.length === 0) f.get('choice').fail('choice lists no values');
      return { kind: 'choice', options: items.map((it) => it.rational()) };
    }
    default:
      return f.get(kind).fail(`unknown draw '${kind}' (expected uniform, integer, choice or fill)`);
  }
}

function range(f: Field): [Rational, Rational] {
  const items = f.items();
  if (items.length !== 2) f.fail('expected a range [a, b]');
  const lo = items[0]!.rational(), hi = items[1]!.rational();
  if (lo.cmp(hi) > 0) f.fail(`the range [${lo}, ${hi}] is empty (a > b)`);
  return [lo, hi];
}

/** Without `step`: the power of ten near a hundredth of the width ([-2, 2] -> 0.01, [0, 100] -> 1), so values stay short decimals. */
function defaultStep(lo: Rational, hi: Rational): Rational {
  const width = hi.sub(lo).toNumber();
  if (width === 0) return Rational.ONE;
  const e = Math.floor(Math.log10(width)) - 2;
  return e >= 0 ? Rational.of(10n ** BigInt(e)) : Rational.of(1n, 10n ** BigInt(-e));
}

/** Points lo, lo + step, ... that do not pass hi. */
function gridCount(lo: Rational, hi: Rational, step: Rational, f: Field): number {
  const q = hi.sub(lo).div(step);
  const n = q.num / q.den + 1n; // q >= 0, so bigint division floors
  if (n > BigInt(MAX_GRID_POINTS)) f.fail(`the grid has ${n} points, more than ${MAX_GRID_POINTS}; use a larger step`);
  return Number(n);
}

/** A fixed or listed value must fit the tensor it replaces. */
function shaped(v: GivenValue, f: Field, t: TensorInfo): GivenValue {
  if (v.kind === 'fill') return v;
  if (v.kind === 'init') {
    if (v.shape.join('x') !== t.shape.join('x')) f.fail(`'${t.name}' has shape [${t.shape.join(', ')}], the initializer fills [${v.shape.join(', ')}]`);
    return v;
  }
  const n = t.keys.length;
  if (v.values.length === 1 && n === 1) return { kind: 'array', shape: [...t.shape], values: v.values };
  if (v.shape.join('x') !== t.shape.join('x')) {
    f.fail(`'${t.name}' has shape ${t.shape.length ? `[${t.shape.join(', ')}]` : 'of a single number'}, this value has shape ${v.shape.length ? `[${v.shape.join(', ')}]` : 'of a single number'}`);
  }
  return v;
}

function parseTolerance(f: Field): Tolerance {
  if (!f.isMap()) return positive({ kind: 'relative', value: f.number() }, f);
  f.only(['relative', 'absolute']);
  const keys = f.keys();
  if (keys.length !== 1) f.fail('tolerance is {relative: r} or {absolute: a}');
  const kind = keys[0] as 'relative' | 'absolute';
  return positive({ kind, value: f.get(kind).number() }, f.get(kind));
}

function positive(t: Tolerance, f: Field): Tolerance {
  if (!(t.value > 0)) f.fail('a tolerance must be positive');
  return t;
}
