/**
 * Everything one `check` needs about the problem, prepared once and shared by
 * many answers (a derivation's lines, a class's submissions, the fuzz test):
 * the solved problem with the checked derivative, the name resolver, the
 * problem's own point and a seeded pool of random points. A point holds the
 * forward values of every node at some leaf values; refs to intermediates are
 * read from there, so answers are compared through the graph's own nodes.
 */
import { ProblemError } from '../errors.js';
import { topoOrder, type Expr } from '../expr/expr.js';
import { ancestors, type Graph } from '../expr/graph.js';
import { evalExpr, evaluateGraph } from '../numeric/evaluate.js';
import { buildNetwork } from '../networks/build.js';
import { locate, solve, type GradientResult, type Solution } from '../derive/solve.js';
import { givenShape } from '../derive/given.js';
import type { AskItem, GivenValue, ProblemSpec } from '../problem/spec.js';
import { drawVariants } from '../variants/generate.js';
import { parseVariants } from '../variants/spec.js';
import { Stream } from '../numeric/rng.js';
import { ReversePass } from './adjoint.js';
import { NameResolver, type Reading } from './names.js';

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

/** What is checked: d of / d wrt, wrt a leaf tensor (entries row-major) or one element. */
export interface Target {
  readonly of: string;
  readonly wrt: string;
  readonly keys: readonly string[];
  /** the tensor's shape; [] for a scalar or one element */
  readonly shape: readonly number[];
}

/** Random leaf values: |v| in [0.25, 1.5], random sign (away from 0, where relu and step have kinks). */
const LOW = 0.25, HIGH = 1.5;
/** Cached values per point. */
const MAX_MEMO = 50_000;
/** Draws before giving up on finding points where the derivative is defined. */
const MAX_DRAWS = 200;

export class CheckContext {
  readonly graph: Graph;
  readonly resolver: NameResolver;
  readonly pass: ReversePass;
  readonly given: Point;
  readonly truths: readonly Expr[];
  private readonly pool: Point[] = [];
  private draws = 0;
  private evaluating = 0;
  private readonly rng: () => number;
  private readonly sizes = new WeakMap<Expr, number>();

  constructor(
    readonly problem: ProblemSpec, readonly sol: Solution, readonly gradient: GradientResult, readonly target: Target,
    seed: number, readonly variant: CheckedVariant | null = null,
  ) {
    this.graph = sol.graph;
    this.resolver = new NameResolver(sol.graph);
    this.pass = new ReversePass(sol.graph);
    this.truths = gradient.entries.map((e) => e.closedForm);
    this.given = makePoint('given', new Map([...sol.leaves].map(([k, r]) => [k, r.toNumber()])), sol.values);
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
      for (const k of this.graph.order) {
        const n = this.graph.nodes.get(k)!;
        if (n.def) continue;
        const given = this.given.leaves.get(k);
        if (n.role === 'target' && given !== undefined) { leaves.set(k, given); continue; }
        const v = LOW + (HIGH - LOW) * this.rng();
        leaves.set(k, positive || this.rng() < 0.5 ? v : -v);
      }
      const p = makePoint('random', leaves, evaluateGraph(this.graph, leaves));
      if (this.truths.every((t) => Number.isFinite(this.valueAt(p, t)))) this.pool.push(p);
    }
    return this.pool[i] ?? null;
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

  /** The engine's own adjoint definitions (from solve) evaluated at the point: they define the truth. */
  private engineAdjoints(p: Point): ReadonlyMap<string, number> {
    if (!p.engine) {
      const bv = new Map<string, number>();
      const env = (k: string) => bv.get(k) ?? p.values.get(k);
      const memo = new Map<number, number>();
      for (const [k, d] of this.gradient.adjoints.defs) bv.set(k, evalExpr(d, env, memo));
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

/** Asks kept when solving for a check: cheap ones a network report may read; gradients are replaced. */
const KEPT_ASKS: ReadonlySet<AskItem['kind']> = new Set(['forward', 'shape', 'padding', 'parameters']);

/** One student's variant (contract 5): its number, the seed label `${seed}-${k}`, the problem's answer tolerance. */
export interface CheckedVariant { readonly number: number; readonly seed: string; readonly tolerance: number | null }

export interface PrepareOptions {
  /** seed of the random points (the same answer always gets the same points and report) */
  readonly pointSeed?: number;
  /** check against variant `number` drawn with `seed` (as `gradsheet variants --seed`) */
  readonly variant?: { readonly seed: string; readonly number: number };
}

/** Solve the problem for d of / d wrt. `of` and `wrt` are spelled as on the command line (E, K[1,1], k11). */
export function prepareCheck(problem: ProblemSpec, of: string, wrt: string, opts: PrepareOptions = {}): CheckContext {
  const network = locate(problem, () => buildNetwork(problem.network, {
    problem,
    givenShape: (n) => { const v = problem.given.get(n)?.value; return v ? givenShape(v) : undefined; },
  }));
  const resolver = new NameResolver(network.graph);
  const ofR = argReading(resolver, of, '--of');
  const ofKey = ofR.kind === 'element' ? ofR.key : ofR.kind === 'tensor' && ofR.tensor.keys.length === 1 ? ofR.tensor.keys[0]! : null;
  if (!ofKey) throw new ProblemError(`--of: '${of}' is not one scalar node (name one element, e.g. ${of}[1])`);
  const wrtR = argReading(resolver, wrt, '--wrt');
  if (wrtR.kind === 'adjoint') throw new ProblemError(`--wrt: '${wrt}' is not a leaf of the network`);
  const wrtName = wrtR.kind === 'element' ? wrtR.key : wrtR.tensor.name;
  const keys = wrtR.kind === 'element' ? [wrtR.key] : wrtR.tensor.keys;
  if (network.graph.nodes.get(keys[0]!)!.def) {
    throw new ProblemError(`--wrt: '${wrt}' is computed by the network; gradients are taken with respect to inputs and parameters`);
  }
  const ask: AskItem = { kind: 'gradient', of: ofKey, wrt: [wrtName], symbolic: [], field: problem.root };
  let variant: CheckedVariant | null = null;
  let given: ReadonlyMap<string, GivenValue> | undefined;
  if (opts.variant) {
    // the variants module's own draw, so variant k here is variant k of `gradsheet variants --seed`
    const spec = parseVariants(problem, network.graph);
    const drawn = drawVariants(problem, network.graph, spec, opts.variant.seed, opts.variant.number, opts.variant.number)[0]!;
    given = drawn.overrides;
    variant = { number: drawn.number, seed: drawn.seedLabel, tolerance: spec.tolerance.kind === 'relative' ? spec.tolerance.value : null };
  }
  const sol = solve({ ...problem, ask: [...problem.ask.filter((a) => KEPT_ASKS.has(a.kind)), ask], published: undefined }, { skipCheck: true, given });
  const gradient = sol.gradients.find((g) => g.asked && g.of === ofKey && g.wrt === wrtName)!;
  const shape = wrtR.kind === 'element' ? [] : wrtR.tensor.shape;
  return new CheckContext(problem, sol, gradient, { of: ofKey, wrt: wrtName, keys, shape }, opts.pointSeed ?? 1, variant);
}

function argReading(resolver: NameResolver, text: string, flag: string): Reading {
  const s = text.replace(/[\s{}]/g, '');
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[(\d+(?:,\d+)*)\])?$/.exec(s);
  if (!m) throw new ProblemError(`${flag}: '${text}' is not a name or an element such as K[1,1]`);
  const rs = resolver.readings(m[1]!, m[2]?.split(',').map(Number));
  if (rs.length === 0) throw new ProblemError(`${flag}: '${text}' is not a name of this problem (its names: ${resolver.knownNames()})`);
  if (rs.length > 1) throw new ProblemError(`${flag}: '${text}' is ambiguous: ${rs.map(NameResolver.describe).join(' or ')}`);
  return rs[0]!;
}
