/**
 * Everything one `check` needs about the problem, prepared once and shared by
 * many answers (a derivation's lines, a class's submissions, the fuzz test):
 * the graph with the checked derivative's adjoints, the name resolver, the
 * problem's own point and a seeded pool of random points. A point holds the
 * forward values of every node at some leaf values; refs to intermediates are
 * read from there, so answers are compared through the graph's own nodes.
 *
 * The derivative is the engine's reverse accumulation (its adjoints, not the
 * sheet's simplified closed forms): a check builds the network, binds the
 * given values and runs one reverse pass, and loads nothing a sheet needs.
 */
import { ProblemError } from '../errors.js';
import { ref, topoOrder, zero, type Expr } from '../expr/expr.js';
import { ancestors, type Graph, type TensorInfo } from '../expr/graph.js';
import { barKey, reverseAccumulate, type Adjoints } from '../diff/reverse.js';
import { evalExpr, evaluateGraph } from '../numeric/evaluate.js';
import { buildNetwork } from '../networks/registry.js';
import { bindGiven, givenShape } from '../input/bind-given.js';
import type { GivenValue, ProblemSpec } from '../problem/spec.js';
import { Stream } from '../numeric/rng.js';
import { ReversePass } from './adjoint.js';
import { NameResolver, type Reading } from './names.js';
import { SheetNames } from './sheet-names.js';
import { timeInfo } from './time.js';
import type { TargetKind, TGraph } from '../expr/tensor-graph.js';

export interface Point {
  readonly label: 'given' | 'random';
  readonly leaves: ReadonlyMap<string, number>;
  readonly values: ReadonlyMap<string, number>;
  /** Expr id -> value here (Exprs are immutable and interned, so values can be shared by every answer) */
  readonly memo: Map<number, number>;
  /** of -> (key -> d of / d key), filled on demand */
  readonly adjoints: Map<string, ReadonlyMap<string, number>>;
  /** the engine's adjoint definitions (which define the truth) evaluated here, filled on demand */
  engine?: ReadonlyMap<string, number>;
}

/** What is checked: d of / d wrt, wrt a leaf, an intermediate node or a step (entries row-major), or one element. */
export interface Target {
  readonly of: string;
  readonly wrt: string;
  readonly keys: readonly string[];
  /** the tensor's shape; [] for a scalar or one element */
  readonly shape: readonly number[];
}

/** How a target (a label, never differentiated) varies at the random points (contract 2.7 "Targets", 6.3). */
export type { TargetKind };

/** Random leaf values: |v| in [0.25, 1.5], random sign (away from 0, where relu and step have kinks). */
const LOW = 0.25, HIGH = 1.5;
/** Cached values per point. */
const MAX_MEMO = 50_000;
/** Draws before giving up on finding points where the derivative is defined. */
const MAX_DRAWS = 200;

/** One student's variant (contract 5): its number, the seed label `${seed}-${k}`, the problem's answer tolerance. */
export interface CheckedVariant { readonly number: number; readonly seed: string; readonly tolerance: number | null }

/** Draws a variant's given values for a built graph (src/check/variant.ts, loaded only for --variant). */
export type VariantDraw = (problem: ProblemSpec, graph: Graph) => { readonly given: ReadonlyMap<string, GivenValue>; readonly variant: CheckedVariant };

export class CheckContext {
  readonly resolver: NameResolver;
  readonly sheet: SheetNames;
  readonly pass: ReversePass;
  readonly given: Point;
  readonly truths: readonly Expr[];
  /** kind of each target tensor's variation */
  readonly targetKinds: ReadonlyMap<string, TargetKind>;
  private readonly pool: Point[] = [];
  private draws = 0;
  private evaluating = 0;
  private readonly rng: () => number;
  private readonly sizes = new WeakMap<Expr, number>();

  constructor(
    readonly problem: ProblemSpec, readonly graph: Graph, readonly adjoints: Adjoints, readonly target: Target,
    leaves: ReadonlyMap<string, number>, seed: number, readonly variant: CheckedVariant | null = null, tensor?: TGraph,
  ) {
    this.resolver = new NameResolver(graph, timeInfo(graph, tensor));
    this.sheet = new SheetNames(graph, this.resolver, problem.symbols, problem.notation);
    this.pass = new ReversePass(graph);
    this.truths = target.keys.map((k) => (adjoints.defs.has(barKey(k)) ? ref(barKey(k)) : zero));
    this.given = makePoint('given', leaves, evaluateGraph(graph, leaves));
    this.targetKinds = targetKinds(graph, leaves, tensor);
    // the variants' generator (xoshiro128**): the same answer gets the same points and the same report
    const stream = new Stream([seed, 0x9e3779b9, 0x243f6a88, 0xb7e15162]);
    this.rng = () => stream.nextUint32() / 2 ** 32;
  }

  /** The i-th random point where every truth entry is defined, or null when none can be found. */
  point(i: number): Point | null {
    while (this.pool.length <= i && this.draws < MAX_DRAWS) {
      const positive = this.draws >= MAX_DRAWS / 4; // log and sqrt of leaves need positive values
      this.draws++;
      const leaves = new Map<string, number>();
      for (const t of this.graph.tensors.values()) {
        if (t.role === 'intermediate') continue;
        const kind = this.targetKinds.get(t.name);
        if (kind) this.drawTarget(t, kind, leaves);
        else for (const k of t.keys) {
          const v = LOW + (HIGH - LOW) * this.rng();
          leaves.set(k, positive || this.rng() < 0.5 ? v : -v);
        }
      }
      const p = makePoint('random', leaves, evaluateGraph(this.graph, leaves));
      if (this.truths.every((t) => Number.isFinite(this.valueAt(p, t)))) this.pool.push(p);
    }
    return this.pool[i] ?? null;
  }

  /** A target drawn within its kind: one-hot rows, distributions, {0, 1}, or like any input. */
  private drawTarget(t: TensorInfo, kind: TargetKind, out: Map<string, number>): void {
    const width = t.shape.length === 2 ? t.shape[1]! : t.keys.length;
    for (let r = 0; r * width < t.keys.length; r++) {
      const keys = t.keys.slice(r * width, (r + 1) * width);
      if (kind === 'one-hot') {
        const hot = Math.min(width - 1, Math.floor(this.rng() * width));
        keys.forEach((k, j) => out.set(k, j === hot ? 1 : 0));
      } else if (kind === 'distribution') {
        const w = keys.map(() => 0.05 + this.rng());
        const s = w.reduce((a, b) => a + b, 0);
        keys.forEach((k, j) => out.set(k, w[j]! / s));
      } else if (kind === 'binary') {
        keys.forEach((k) => out.set(k, this.rng() < 0.5 ? 0 : 1));
      } else {
        keys.forEach((k) => { const v = LOW + (HIGH - LOW) * this.rng(); out.set(k, this.rng() < 0.5 ? v : -v); });
      }
    }
  }

  /** Random point i with some leaves fixed (the diagnosis "right only where w takes its given value"). */
  pointWith(i: number, fixed: ReadonlyMap<string, number>): Point | null {
    const p = this.point(i);
    if (!p) return null;
    const leaves = new Map(p.leaves);
    for (const [k, v] of fixed) leaves.set(k, v);
    return makePoint('random', leaves, evaluateGraph(this.graph, leaves));
  }

  /** Nodes of `e`'s DAG (for charging evaluations to the budget). */
  sizeOf(e: Expr): number {
    let n = this.sizes.get(e);
    if (n === undefined) this.sizes.set(e, (n = topoOrder([e]).length));
    return n;
  }

  /** The value of an expression at a point; refs to adjoints and derivatives are computed there. */
  valueAt(p: Point, e: Expr): number {
    // The memo is only a cache: bounded, so that a long session (a class's answers, the fuzz test) stays
    // small. Cleared only outside an evaluation: refs to adjoints evaluate expressions re-entrantly.
    if (this.evaluating === 0 && p.memo.size > MAX_MEMO) p.memo.clear();
    this.evaluating++;
    try {
      return evalExpr(e, (k) => this.ref(p, k), p.memo);
    } finally {
      this.evaluating--;
    }
  }

  /** The truth's i-th entry at a point. */
  truthAt(p: Point, i: number): number {
    return this.valueAt(p, this.truths[i]!);
  }

  /** d of / d key at a point, by a numeric reverse pass (0 where of does not depend on key). */
  adjointAt(p: Point, of: string): ReadonlyMap<string, number> {
    let m = p.adjoints.get(of);
    if (!m) p.adjoints.set(of, (m = this.pass.run(of, (e) => this.valueAt(p, e))));
    return m;
  }

  private ref(p: Point, k: string): number {
    const v = p.values.get(k);
    if (v !== undefined) return v;
    if (k.startsWith('bar:')) return this.engineAdjoints(p).get(k) ?? this.adjointAt(p, this.target.of).get(k.slice(4)) ?? 0;
    if (k.startsWith('d:')) {
      const bar = k.indexOf('|');
      return this.adjointAt(p, k.slice(2, bar)).get(k.slice(bar + 1)) ?? 0;
    }
    return NaN;
  }

  /** The engine's own adjoint definitions evaluated at the point: they define the truth. */
  private engineAdjoints(p: Point): ReadonlyMap<string, number> {
    if (!p.engine) {
      const bv = new Map<string, number>();
      const env = (k: string) => bv.get(k) ?? p.values.get(k);
      const memo = new Map<number, number>();
      for (const [k, d] of this.adjoints.defs) bv.set(k, evalExpr(d, env, memo));
      p.engine = bv;
    }
    return p.engine;
  }

  /** Leaf values of a point that `exprs` (and the checked derivative) depend on, for a counterexample. */
  leafValues(p: Point, exprs: readonly Expr[], limit = 40): Record<string, number> {
    const roots = new Set<string>([this.target.of]);
    for (const e of exprs) for (const n of topoOrder([e])) if (n.kind === 'ref') roots.add(n.key.replace(/^bar:/, '').replace(/^d:([^|]*)\|.*$/, '$1'));
    const deps = ancestors(this.graph, [...roots].filter((k) => this.graph.nodes.has(k)));
    const out: Record<string, number> = {};
    let n = 0;
    for (const k of this.graph.order) {
      if (!deps.has(k) || this.graph.nodes.get(k)!.def) continue;
      if (n++ >= limit) break;
      out[k] = p.leaves.get(k) ?? NaN;
    }
    return out;
  }
}

function makePoint(label: Point['label'], leaves: ReadonlyMap<string, number>, values: ReadonlyMap<string, number>): Point {
  return { label, leaves, values, memo: new Map(), adjoints: new Map() };
}

/**
 * The kind of each target tensor from its given values (contract 2.7): every row one-hot -> one-hot; rows >= 0
 * summing to 1 -> distribution; all of 0 and 1 -> binary; else real. A row is the last axis (the whole of a vector).
 */
export function targetKinds(graph: Graph, leaves: ReadonlyMap<string, number>, tensor?: TGraph): Map<string, TargetKind> {
  const out = new Map<string, TargetKind>();
  for (const t of graph.tensors.values()) {
    // 2.7 equations state or infer each target's kind (`targets: {t: one-hot}`)
    const stated = tensor?.nodes.get(t.name)?.targetKind;
    if (stated) { out.set(t.name, stated); continue; }
    if (t.role !== 'target') continue;
    const vals = t.keys.map((k) => leaves.get(k));
    if (vals.some((v) => v === undefined)) continue;
    const vs = vals as number[];
    const width = t.shape.length === 2 ? t.shape[1]! : vs.length;
    const rows = Array.from({ length: vs.length / width }, (_, r) => vs.slice(r * width, (r + 1) * width));
    const sum = (r: number[]) => r.reduce((a, b) => a + b, 0);
    const bits = vs.every((v) => v === 0 || v === 1);
    if (width >= 2 && bits && rows.every((r) => sum(r) === 1)) out.set(t.name, 'one-hot');
    else if (width >= 2 && rows.every((r) => r.every((v) => v >= 0) && Math.abs(sum(r) - 1) < 1e-12)) out.set(t.name, 'distribution');
    else if (bits) out.set(t.name, 'binary');
    else out.set(t.name, 'real');
  }
  return out;
}

export interface PrepareOptions {
  /** seed of the random points (the same answer always gets the same points and report) */
  readonly pointSeed?: number;
  /** check against a variant's values (src/check/variant.ts: `variantDraw(seed, k)`, as `gradsheet variants --seed`) */
  readonly variant?: VariantDraw;
}

/**
 * Prepare d of / d wrt. `of` and `wrt` are spelled as on the command line (E, K[1,1], k11); `wrt` may be
 * a leaf, an intermediate node (its adjoint), a step of a sequence (`h[2]`) or one element.
 */
export function prepareCheck(problem: ProblemSpec, of: string, wrt: string, opts: PrepareOptions = {}): CheckContext {
  const build = (given?: ReadonlyMap<string, GivenValue>) => locate(problem, () => buildNetwork(problem.network, {
    problem,
    given,
    givenShape: (n) => { const v = given?.get(n) ?? problem.given.get(n)?.value; return v ? givenShape(v) : undefined; },
  }));
  let network = build();
  // the answer is compared over the scalar graph (the second level): a tensor network too large for it has
  // only its entries there, without definitions (contract 6.1)
  if (network.tensor && !network.tensor.scalarLevel) {
    throw new ProblemError(`check compares answers over the scalar graph, and this network's has ${network.tensor.scalarNodes} nodes, more than the second level runs by default (contract 6.1)`, problem.file);
  }
  let variant: CheckedVariant | null = null;
  if (opts.variant) {
    const drawn = opts.variant(problem, network.graph);
    variant = drawn.variant;
    // builders that read values (max-pool routing) see the variant's
    network = build(drawn.given);
    return finish(problem, network.graph, bindGiven(problem, network.graph, drawn.given), of, wrt, opts, variant, network.tensor?.graph);
  }
  return finish(problem, network.graph, bindGiven(problem, network.graph), of, wrt, opts, variant, network.tensor?.graph);
}

function finish(
  problem: ProblemSpec, graph: Graph, bound: ReadonlyMap<string, { toNumber(): number }>, of: string, wrt: string,
  opts: PrepareOptions, variant: CheckedVariant | null, tensor?: TGraph,
): CheckContext {
  const resolver = new NameResolver(graph, timeInfo(graph, tensor));
  const ofR = argReading(resolver, of, '--of');
  if (ofR.keys.length !== 1) throw new ProblemError(`--of: '${of}' is not one scalar node (name one element, e.g. ${of}[1])`);
  const ofKey = ofR.keys[0]!;
  const wrtR = argReading(resolver, wrt, '--wrt');
  if (wrtR.keys.includes(ofKey)) throw new ProblemError(`--wrt: '${wrt}' is the differentiated node itself`);
  const leaves = new Map([...bound].map(([k, r]) => [k, r.toNumber()]));
  for (const k of ancestors(graph, [ofKey])) {
    const n = graph.nodes.get(k)!;
    if (!n.def && !leaves.has(k)) problem.givenField.fail(`'${n.tensor}' has no value (add it under given)`);
  }
  const adjoints = reverseAccumulate(graph, ofKey, wrtR.keys);
  // the element's key (K[1,1] for k11), the tensor's name, or the step as written (h[2])
  const whole = [...graph.tensors.values()].find((t) => t.keys.length === wrtR.keys.length && t.keys[0] === wrtR.keys[0]);
  const wrtName = whole ? whole.name : wrtR.keys.length === 1 ? wrtR.keys[0]! : wrt.replace(/\s+/g, '');
  const shape = wrtR.keys.length === 1 ? [] : wrtR.shape;
  const ctx = new CheckContext(problem, graph, adjoints, { of: ofKey, wrt: wrtName, keys: wrtR.keys, shape }, leaves, opts.pointSeed ?? 1, variant, tensor);
  ctx.truths.forEach((_, i) => {
    const v = ctx.truthAt(ctx.given, i);
    if (!Number.isFinite(v)) throw new ProblemError(`d${ofKey}/d${wrtR.keys[i]} is not a finite number (${v}) at the given values`, problem.file);
  });
  return ctx;
}

/**
 * A ProblemError raised without a place (a budget, a graph limit) is placed at the problem's network section.
 * (derive/solve.ts has the same; importing it would load the sheet pipeline into every check.)
 */
function locate<T>(problem: ProblemSpec, run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof ProblemError && !e.file) {
      const f = problem.root.get('network');
      const placed = new ProblemError(e.message, problem.file, f.line, 'network');
      placed.name = e.name;
      throw placed;
    }
    throw e;
  }
}

function argReading(resolver: NameResolver, text: string, flag: string): Reading {
  // h[T] is the last step, as derive --json writes it
  const steps = resolver.time.steps;
  const s = text.replace(/[\s{}]/g, '').replace(/\[T\]/, (m) => (steps === null ? m : `[${steps}]`));
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[(\d+(?:,\d+)*)\])?$/.exec(s);
  if (!m) throw new ProblemError(`${flag}: '${text}' is not a name or an element such as K[1,1]`);
  const rs = resolver.readings(m[1]!, m[2]?.split(',').map(Number)).filter((r) => r.kind === 'value');
  if (rs.length === 0) throw new ProblemError(`${flag}: '${text}' is not a name of this problem (its names: ${resolver.knownNames()})`);
  if (rs.length > 1) throw new ProblemError(`${flag}: '${text}' is ambiguous: ${rs.map(NameResolver.describe).join(' or ')}`);
  return rs[0]!;
}
