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
 *       W2: {normal: [0, 0.1], step: 0.01}   # each element from a normal distribution, on a grid
 *       W3: {uniform: [-0.1, 0.1], shape: [64, 64], seed: 3, step: 0.001}
 *                                            # a seeded initializer (contract 3), redrawn from each variant's stream
 *       b2: 0.5                              # a fixed value
 *     require: ["abs(w1*x + b1) < 4", "o != 0"]   # tensor equations: "max(abs(z1)) < 2.5", "min(p) > 0.05"
 *     distinct: true
 *     tries: 1000                            # per variant
 *     tolerance: {relative: 1e-3}            # for quiz.xml; or {absolute: 0.01}
 */
import { Rational } from '../expr/rational.js';
import type { Expr } from '../expr/expr.js';
import { ancestors, type Graph } from '../expr/graph.js';
import type { TExpr } from '../expr/tensor.js';
import type { TGraph } from '../expr/tensor-graph.js';
import { scalarShape } from '../diff/scalar-level.js';
import { givenShape } from '../input/bind-given.js';
import { locate } from '../derive/solve.js';
import { buildNetwork } from '../networks/registry.js';
import type { TensorNetwork } from '../networks/core/built.js';
import type { Field } from '../input/field.js';
import { parseTolerance, type Tolerance } from '../input/tolerance.js';
import { parseGivenValue } from '../problem/load.js';
import type { GivenValue, ProblemSpec } from '../problem/spec.js';
import { condKeys, parseCondition, parseConditionWith, type CondOf } from './condition.js';
import { sideNames, tensorSideParser } from './tensor-require.js';

/**
 * One value of one element: a grid lo, lo + step, ... (uniform and integer), a
 * list, or a normal draw rounded to its grid (the initializers' algorithm,
 * problem/initializer.ts, on the variant's stream).
 */
export type ElementDraw =
  | { readonly kind: 'grid'; readonly lo: Rational; readonly step: Rational; readonly count: number }
  | { readonly kind: 'choice'; readonly options: readonly Rational[] }
  | { readonly kind: 'normal'; readonly mean: Rational; readonly sd: Rational; readonly step: Rational };

export type DrawSpec =
  | { readonly kind: 'each'; readonly draw: ElementDraw }          // every element on its own
  | { readonly kind: 'fill'; readonly draw: ElementDraw }          // one value for the whole tensor
  | { readonly kind: 'pick'; readonly options: readonly GivenValue[] } // one of several whole tensors
  | { readonly kind: 'fixed'; readonly value: GivenValue };

/** A leaf that can be drawn: its name, its shape as `given` writes it (a sequence: steps first) and its number of entries. */
export interface Leaf { readonly name: string; readonly shape: readonly number[]; readonly size: number }
export interface NameDraw { readonly leaf: Leaf; readonly spec: DrawSpec; readonly field: Field }
/** One `require` line: its text, its condition over sides of type S, its YAML item. */
export interface Requirement<S = Expr> { readonly text: string; readonly cond: CondOf<S>; readonly field: Field }

interface CommonSpec {
  readonly draws: readonly NameDraw[];
  readonly distinct: boolean;
  readonly tries: number;
  readonly tolerance: Tolerance;
  readonly field: Field;
}

/**
 * The validated section, for one of the two levels a network is evaluated
 * at: a scalar network (its requirements over scalar nodes, evaluated exactly
 * where they can be), or tensor equations (requirements over tensor nodes,
 * evaluated by one forward pass of the tensor graph per draw).
 */
export type VariantsSpec = CommonSpec & (
  | { readonly level: 'scalar'; readonly requires: readonly Requirement<Expr>[] }
  | { readonly level: 'tensor'; readonly network: TensorNetwork; readonly requires: readonly Requirement<TExpr>[] }
);

export const DEFAULT_TRIES = 1000;
export const MAX_TRIES = 1_000_000;
/** Largest grid or list an element is drawn from: one 32-bit output picks a point without bias. */
export const MAX_GRID_POINTS = 2 ** 32;
export type { Tolerance } from '../input/tolerance.js';
export const DEFAULT_TOLERANCE: Tolerance = { kind: 'relative', value: 1e-3 };

/**
 * The problem's `variants` section, checked against its network. `tensor` is
 * the network's tensor level when the caller built it (null: a scalar
 * network); left out, the network is built here to find out.
 */
export function parseVariants(problem: ProblemSpec, graph: Graph, tensor?: TensorNetwork | null): VariantsSpec {
  const f = problem.variants ?? problem.root.fail("the problem has no 'variants' section (contract 5)");
  f.only(['given', 'require', 'distinct', 'tries', 'tolerance']);
  const tn = tensor === undefined ? tensorLevelOf(problem) : tensor;
  const gf = f.required('given');
  const leaves = tn ? tensorLeaves(tn.graph) : scalarLeaves(graph);
  const draws = gf.keys().map((name) => parseDraw(name, gf.get(name), leaves));
  const hasValue = new Set([...problem.given.keys(), ...draws.map((d) => d.leaf.name)]);
  const rf = f.get('require');
  const reqFields = !rf.exists ? [] : rf.isList() ? rf.items() : [rf];
  const common: CommonSpec = {
    draws, field: f,
    distinct: f.get('distinct').exists ? f.get('distinct').bool() : false,
    tries: f.get('tries').exists ? f.get('tries').int(1, MAX_TRIES) : DEFAULT_TRIES,
    tolerance: f.get('tolerance').exists ? parseTolerance(f.get('tolerance')) : DEFAULT_TOLERANCE,
  };
  if (tn) {
    const side = tensorSideParser(tn.graph);
    const requires = reqFields.map((item) => {
      const text = item.text();
      const cond = parseConditionWith(text, item, side);
      // every leaf the requirement reads must have a value, drawn or given
      for (const name of tensorAncestors(tn.graph, condSides(cond).flatMap((e) => [...sideNames(e)]))) {
        const n = tn.graph.nodes.get(name)!;
        if (!n.def && !hasValue.has(name)) item.fail(`'${name}' has no value in "${text}" (give it under given or variants.given)`);
      }
      return { text, cond, field: item };
    });
    return { ...common, level: 'tensor', network: tn, requires };
  }
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
  return { ...common, level: 'scalar', requires };
}

/** The tensor level of the problem's network, or null for a scalar network. */
function tensorLevelOf(problem: ProblemSpec): TensorNetwork | null {
  const built = locate(problem, () => buildNetwork(problem.network, {
    problem,
    givenShape: (n) => { const v = problem.given.get(n)?.value; return v ? givenShape(v) : undefined; },
  }));
  return built.tensor ?? null;
}

interface LeafInfo extends Leaf { readonly intermediate: boolean }

function scalarLeaves(graph: Graph): Map<string, LeafInfo> {
  return new Map([...graph.tensors.values()].map((t) => [t.name, { name: t.name, shape: t.shape, size: t.keys.length, intermediate: t.role === 'intermediate' }]));
}

function tensorLeaves(g: TGraph): Map<string, LeafInfo> {
  return new Map([...g.nodes.values()].map((n) => {
    const shape = scalarShape(g, n);
    return [n.name, { name: n.name, shape, size: shape.reduce((a, b) => a * b, 1), intermediate: n.def !== undefined }];
  }));
}

/** Every compared side of a condition. */
function condSides<S>(c: CondOf<S>): S[] {
  switch (c.t) {
    case 'cmp': return [c.l, c.r];
    case 'and': case 'or': return c.parts.flatMap(condSides);
    case 'not': return condSides(c.x);
  }
}

/** The nodes `names` are computed from, themselves included (through definitions and initial values). */
function tensorAncestors(g: TGraph, names: readonly string[]): Set<string> {
  const out = new Set<string>();
  const stack = [...names];
  while (stack.length) {
    const name = stack.pop()!;
    if (out.has(name)) continue;
    out.add(name);
    const n = g.nodes.get(name);
    if (!n) continue;
    if (n.initial) stack.push(n.initial);
    if (n.def) stack.push(...sideNames(n.def));
  }
  return out;
}

function parseDraw(name: string, f: Field, leaves: ReadonlyMap<string, LeafInfo>): NameDraw {
  const leaf = leaves.get(name);
  const drawable = [...leaves.values()].filter((t) => !t.intermediate).map((t) => t.name);
  if (!leaf) f.fail(`'${name}' is not a name of this network (its inputs and parameters: ${drawable.join(', ')})`);
  if (leaf.intermediate) f.fail(`'${name}' is computed by the network; only ${drawable.join(', ')} can be drawn`);
  return { leaf: { name: leaf.name, shape: leaf.shape, size: leaf.size }, field: f, spec: parseDrawSpec(f, leaf) };
}

function parseDrawSpec(f: Field, t: Leaf): DrawSpec {
  if (!f.isMap()) return { kind: 'fixed', value: shaped(parseGivenValue(f), f, t) };
  if (f.get('shape').exists || f.get('seed').exists) return { kind: 'each', draw: parseInitializerDraw(f, t) };
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

/**
 * A seeded initializer written under variants.given (contract 3's
 * `{uniform: [lo, hi], shape, seed, step}` or `{normal: [mean, sd], ...}`):
 * the same draw for each element, but from the variant's own stream, so every
 * variant gets new values. Its `seed` names the problem's fixed draw in
 * `given`; here the variant's seed and number take its place.
 */
function parseInitializerDraw(f: Field, t: Leaf): ElementDraw {
  f.only(['uniform', 'normal', 'shape', 'seed', 'step']);
  if (f.get('uniform').exists === f.get('normal').exists) f.fail("an initializer has 'uniform: [lo, hi]' or 'normal: [mean, sd]'");
  const sf = f.required('shape');
  const shape = sf.isList() ? sf.items().map((d) => d.number()) : sf.fail('a shape is a list of sizes, such as [64, 64]');
  if (shape.join('x') !== t.shape.join('x')) sf.fail(`'${t.name}' has shape [${t.shape.join(', ')}], the initializer fills [${shape.join(', ')}]`);
  if (f.get('seed').exists && !/^[A-Za-z0-9_-]{1,64}$/.test(f.get('seed').text())) f.get('seed').fail('a seed is a number or a short word');
  f.required('step');
  return parseElementDraw(f, ['shape', 'seed']);
}

function parseElementDraw(f: Field, extra: readonly string[] = []): ElementDraw {
  const kinds = f.keys().filter((k) => k !== 'step' && !extra.includes(k));
  if (kinds.length !== 1) f.fail('a draw has one of uniform, normal, integer or choice');
  const kind = kinds[0]!;
  switch (kind) {
    case 'normal': {
      f.only(['normal', 'step', ...extra]);
      const pair = f.get('normal').items();
      if (pair.length !== 2) f.get('normal').fail('expected [mean, sd]');
      const [mean, sd] = [pair[0]!.rational(), pair[1]!.rational()];
      if (sd.sign() <= 0) f.get('normal').fail('the standard deviation must be positive');
      const stepField = f.required('step');
      const step = stepField.rational();
      if (step.sign() <= 0) stepField.fail('step must be positive');
      return { kind: 'normal', mean, sd, step };
    }
    case 'uniform': {
      f.only(['uniform', 'step', ...extra]);
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
      return f.get(kind).fail(`unknown draw '${kind}' (expected uniform, normal, integer, choice or fill)`);
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
function shaped(v: GivenValue, f: Field, t: Leaf): GivenValue {
  if (v.kind === 'fill') return v;
  if (v.kind === 'init') {
    if (v.shape.join('x') !== t.shape.join('x')) f.fail(`'${t.name}' has shape [${t.shape.join(', ')}], the initializer fills [${v.shape.join(', ')}]`);
    return v;
  }
  const n = t.size;
  if (v.values.length === 1 && n === 1) return { kind: 'array', shape: [...t.shape], values: v.values };
  if (v.shape.join('x') !== t.shape.join('x')) {
    f.fail(`'${t.name}' has shape ${t.shape.length ? `[${t.shape.join(', ')}]` : 'of a single number'}, this value has shape ${v.shape.length ? `[${v.shape.join(', ')}]` : 'of a single number'}`);
  }
  return v;
}
