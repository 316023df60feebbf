/**
 * Why an answer differs from the derivative, from values at the compared
 * points. Cheap tests first: the negative (sign), a constant multiple
 * (factor). Then named mistakes, each the derivative a student gets by one
 * slip, computed with the engine's own chain rule (a reverse pass with some
 * local partials replaced) and compared with the answer at every point:
 *   missing-term / extra-term   a chain-rule term (path, or use of a shared weight) left out or counted twice;
 *   wrong-derivative            an op's common wrong rule (the registry's `wrongRules`: sigma' as sigma (1 + sigma),
 *                               tanh' as 1 - tanh) at one unit, at every unit of a layer, or at every unit;
 *   missing-factor              an activation's derivative left out (at one unit, a layer, everywhere), or one
 *                               factor of a local partial (the x of d(w x + b)/dw, the w of a path);
 *   time-shift                  h_t where the derivative has h_{t-1} (or h_{t-1} for h_t);
 *   substituted value           right only where a leaf (a label) takes its given value.
 * The first that fits is the diagnosis; if none fits the answer is "other", and the detail names the
 * nearest mistake tried and how far the answer is from it. Checks return findings; they never throw on a
 * wrong answer.
 */
import { mul, one, ref, substitute, type Expr, type FnName } from '../expr/expr.js';
import { toText } from '../ops/print.js';
import { FUNCTIONS, opSpec, type WrongRule } from '../ops/registry.js';
import { partialWithRoot, type PartialOverride } from './adjoint.js';
import { close, closeValue, MIN_POINTS, type Comparison, type Sample } from './compare.js';
import type { CheckContext, Point } from './context.js';
import { CheckBudgetError, type Budget } from './limits.js';
import { describeTerms, termValue } from './terms.js';

export type Diagnosis =
  | 'sign' | 'factor' | 'missing-term' | 'extra-term' | 'missing-factor' | 'transposed' | 'wrong-derivative' | 'time-shift' | 'other';
export interface Finding { readonly diagnosis: Diagnosis; readonly detail: string }

/** Tolerance for recognizing a mistake (looser than equality: the mistaken form is computed another way). */
const DIAG_TOL = 1e-7;
/** Operations one diagnosis may spend before it settles for what it has found. */
const DIAG_OPS = 3_000_000;
/** Most single-factor candidates (edges x factors) tried. */
const MAX_FACTOR_CANDIDATES = 200;
/** Random points at which a mistake that does not fit is evaluated, to rank the nearest one. */
const NEAREST_POINTS = 1;
/** Most leaves tried for "a value was substituted for this name". */
const MAX_SUBSTITUTED = 64;

/** A rational with a small denominator close to x ("2", "1/2", "-3/4"), else x to 6 digits. */
export function niceNumber(x: number, rel = 1e-9, maxDen = 1000): string {
  for (let q = 1; q <= maxDen; q++) {
    const p = Math.round(x * q);
    if (p !== 0 && Math.abs(p / q - x) <= rel * Math.abs(x)) return q === 1 ? `${p}` : `${p}/${q}`;
  }
  return Number(x.toPrecision(6)).toString();
}

/** A ratio worth calling a factor: p/q with |p|, q <= 100 (a forgotten 2, 1/2, -1/4, ...). */
const isNice = (x: number, rel: number): boolean => {
  const m = /^-?(\d+)(?:\/(\d+))?$/.exec(niceNumber(x, rel, 100));
  return m !== null && Number(m[1]) <= 100;
};

/** A number compared with the value at the problem's point. */
export function diagnoseValue(got: number, expected: number, tolerance: number): Finding {
  if (!Number.isFinite(got)) return { diagnosis: 'other', detail: 'the answer is not a finite number' };
  if (closeValue(got, -expected, tolerance) && expected !== 0) return { diagnosis: 'sign', detail: `the answer is the negative of the value ${fmt(expected)}` };
  const r = got / expected;
  if (expected !== 0 && got !== 0 && !closeValue(r, 1, tolerance) && isNice(r, tolerance)) {
    return { diagnosis: 'factor', detail: `the answer is ${niceNumber(r, tolerance, 100)} times the value ${fmt(expected)}` };
  }
  let digits = 0;
  for (let d = 1; d <= 15; d++) if (Number(got.toPrecision(d)) === Number(expected.toPrecision(d))) digits = d;
  const hint = digits >= 2 ? `; it agrees to ${digits} significant figures (a rounded value passes with --tolerance ${(5 * 10 ** -digits).toExponential(0)})` : '';
  return { diagnosis: 'other', detail: `the value is ${fmt(expected)}, the answer ${fmt(got)}${hint}` };
}

export const fmt = (x: number): string => (Number.isFinite(x) ? Number(x.toPrecision(6)).toString() : String(x));

/** A named mistake: the derivative with one slip, at a point (NaN where it cannot be computed). */
interface Candidate {
  readonly diagnosis: Diagnosis;
  /** the mistake in words (computed only for the one reported) */
  readonly detail: () => string;
  readonly at: (p: Point) => number;
  /** why a slip that changes the formula leaves the value at the problem's point alone ("that factor is 1 there") */
  readonly givenNote?: () => string;
}

/**
 * A formula that differs from the i-th entry of the checked derivative (entry null: from another
 * formula, as between the lines of a derivation, where only sign and factor are meaningful).
 * `answer` is the answer's expression (for the leaves it mentions).
 */
export function diagnoseFormula(ctx: CheckContext, entry: number | null, cmp: Comparison, budget: Budget, answer?: Expr): Finding {
  const s = cmp.samples;
  // between derivation steps the reference is the previous step
  const it = entry === null ? 'this step' : 'the answer';
  const truth = entry === null ? 'the previous step' : 'the derivative';
  if (s.length < MIN_POINTS) {
    return { diagnosis: 'other', detail: `${it} is undefined (not a finite number) at ${cmp.skipped} of ${cmp.skipped + s.length} points tried` };
  }
  if (s.every((x) => close(x.a, x.b, DIAG_TOL))) {
    return { diagnosis: 'other', detail: `${it} agrees with ${truth} at random points but not at the problem's values (${fmt(cmp.given.b)} expected, ${fmt(cmp.given.a)} found)` };
  }
  if (s.every((x) => Math.abs(x.b) <= 1e-300)) return { diagnosis: 'other', detail: `${truth} is 0` };
  if (s.every((x) => close(x.a, -x.b, DIAG_TOL))) return { diagnosis: 'sign', detail: `${it} is the negative of ${truth}` };
  const r0 = constantRatio(s);
  if (r0 !== null) {
    return { diagnosis: 'factor', detail: `${it} is ${niceNumber(r0)} times ${truth} (off by the constant factor ${niceNumber(r0)})` };
  }
  if (entry === null) return { diagnosis: 'other', detail: `${it} differs from ${truth}` };
  const givenEqual = Number.isFinite(cmp.given.a) && close(cmp.given.a, cmp.given.b, 1e-9);
  let spent = 0;
  const charge = (n: number): void => {
    spent += n;
    if (spent > DIAG_OPS) throw new Settle();
    budget.charge(n);
  };
  const tried: Array<{ c: Candidate; values: number[] }> = [];
  const fits = (c: Candidate): boolean => {
    const values: number[] = [];
    for (const x of s) {
      const v = c.at(x.point);
      values.push(v);
      if (!(Number.isFinite(v) && close(x.a, v, DIAG_TOL))) {
        // values for "the nearest mistake" (ranked at the first point where it misses; its distance is reported at the given values)
        for (const y of s.slice(values.length, NEAREST_POINTS)) values.push(c.at(y.point));
        tried.push({ c, values });
        return false;
      }
    }
    return true;
  };
  try {
    for (const c of candidates(ctx, entry, charge, answer)) {
      if (fits(c)) return { diagnosis: c.diagnosis, detail: withGiven(c, givenEqual) };
    }
    if (givenEqual) {
      const sub = substituted(ctx, entry, answer, charge);
      if (sub) return sub;
    }
    const node = factorOfNode(ctx, s);
    if (node) return node;
  } catch (e) {
    if (!(e instanceof Settle || e instanceof CheckBudgetError)) throw e;
  }
  return { diagnosis: 'other', detail: otherDetail(ctx, cmp, givenEqual, tried) };
}

class Settle extends Error {}

/** Reverse passes with a slip, per point: slip id -> (key -> d of / d key). */
const passCache = new WeakMap<Point, Map<string, ReadonlyMap<string, number>>>();

/** Local partials with a slip, per context: `slip|consumer|input` -> partial. */
const slipCache = new WeakMap<CheckContext, Map<string, Expr>>();

/** a = r b at every point, for one r that is not 1 (a dropped factor equal to 1 somewhere is no constant factor). */
function constantRatio(s: readonly Sample[]): number | null {
  if (s.some((x) => (x.b === 0) !== (Math.abs(x.a) <= 1e-300))) return null;
  const ratios = s.filter((x) => x.b !== 0).map((x) => x.a / x.b);
  const r0 = ratios[0];
  if (r0 === undefined || r0 === 0 || close(r0, 1, DIAG_TOL) || !ratios.every((r) => close(r, r0, DIAG_TOL))) return null;
  return r0;
}

/** "...; that factor is 1 at the problem's values, so the answer is right there but not as a formula" */
function withGiven(c: Candidate, givenEqual: boolean): string {
  if (!givenEqual) return c.detail();
  const why = c.givenNote?.() ?? 'the slip makes no difference there';
  return `${c.detail()}; ${why}, so the answer is right at the problem's values but not as a formula`;
}

/** The named mistakes for entry `entry`, in the order they are tried (lazily: most answers stop early). */
function* candidates(ctx: CheckContext, entry: number, charge: (n: number) => void, answer?: Expr): Generator<Candidate> {
  const leaf = ctx.target.keys[entry]!;
  const of = ctx.target.of;
  // adjoints the answer names (delta_h, dE/dz_t) keep their true values: the slip is in what the answer writes out
  const named = answer ? [...refKeys(answer)].filter((k) => k.startsWith('bar:')).map((k) => k.slice(4)) : [];
  const pin = named.join(';');
  // one reverse pass per slip and point gives d of / d k for every k: shared by every entry of a tensor answer
  const passAt = (id: string, override: PartialOverride) => (p: Point): number => {
    let perPoint = passCache.get(p);
    if (!perPoint) passCache.set(p, (perPoint = new Map()));
    const key = `${id}#${pin}`;
    let bars = perPoint.get(key);
    if (!bars) {
      const pinned = named.length ? ((k: string) => (named.includes(k) ? ctx.adjointAt(p, of).get(k) : undefined)) : undefined;
      perPoint.set(key, (bars = ctx.pass.run(of, (e) => ctx.valueAt(p, e), override, charge, pinned)));
    }
    return bars.get(leaf) ?? 0;
  };
  // terms of the chain rule left out or counted twice
  const list = describeTerms(ctx, leaf);
  if (list.length >= 2) {
    const truthAt = (p: Point) => ctx.truthAt(p, entry);
    for (const t of list) {
      const worth = () => `${fmt(termValue(ctx, t, ctx.given, charge))} at the problem's values`;
      yield {
        diagnosis: 'missing-term', detail: () => `the answer leaves out ${t.label} (${worth()})`, at: (p) => truthAt(p) - termValue(ctx, t, p, charge),
        givenNote: () => 'that term is 0 there',
      };
      yield { diagnosis: 'extra-term', detail: () => `the answer counts ${t.label} twice (${worth()})`, at: (p) => truthAt(p) + termValue(ctx, t, p, charge) };
    }
    if (list.length <= 24) {
      for (let i = 0; i < list.length; i++) {
        for (let j = i + 1; j < list.length; j++) {
          yield { diagnosis: 'missing-term', detail: () => `the answer leaves out ${list[i]!.label} and ${list[j]!.label}`, at: (p) => truthAt(p) - termValue(ctx, list[i]!, p, charge) - termValue(ctx, list[j]!, p, charge) };
        }
      }
    }
  }
  // units by op: each unit, each layer (tensor), every unit
  const units = new Map<FnName, string[]>();
  for (const c of ctx.adjoints.relevant) {
    const def = ctx.graph.nodes.get(c)?.def;
    if (def?.kind === 'apply' && def.op in FUNCTIONS) units.set(def.op as FnName, [...(units.get(def.op as FnName) ?? []), c]);
  }
  const groups = (keys: readonly string[]): Array<{ keys: readonly string[]; where: string }> => {
    const out: Array<{ keys: readonly string[]; where: string }> = keys.map((k) => ({ keys: [k], where: `at ${k}` }));
    const byTensor = new Map<string, string[]>();
    for (const k of keys) { const t = ctx.graph.nodes.get(k)!.tensor; byTensor.set(t, [...(byTensor.get(t) ?? []), k]); }
    if (byTensor.size > 1 || keys.length > 1) {
      for (const [t, ks] of byTensor) if (ks.length > 1) out.push({ keys: ks, where: `at every unit of ${t}` });
      if (byTensor.size > 1) out.push({ keys, where: 'at every unit' });
    }
    return out;
  };
  // the same slip at the same unit recurs in the single-unit, layer and every-unit candidates (and in every answer)
  let cache = slipCache.get(ctx);
  if (!cache) slipCache.set(ctx, (cache = new Map()));
  const slips = cache;
  const rootOverride = (nodes: ReadonlySet<string>, slip: string, partials: (args: readonly Expr[], out: Expr) => Expr[]): PartialOverride => (c, k) => {
    if (!nodes.has(c)) return undefined;
    const id = `${slip}|${c}|${k}`;
    let p = slips.get(id);
    if (!p) slips.set(id, (p = partialWithRoot(ctx.graph.nodes.get(c)!.def!, c, k, partials)));
    return p;
  };
  // wrong local rules, from the registry's blocks
  for (const [op, keys] of units) {
    const rules: readonly WrongRule[] = FUNCTIONS[op].wrongRules ?? [];
    if (rules.length === 0) continue;
    const name = op === 'sigmoid' ? 'sigma' : op === 'relu' ? 'ReLU' : op;
    for (const g of groups(keys)) {
      const unit = g.keys[0]!;
      const arg = (ctx.graph.nodes.get(unit)!.def as Extract<Expr, { kind: 'apply' }>).args[0]!;
      for (const rule of rules) {
        const right = () => toText(opSpec(op).partials([arg], ref(unit))[0]!);
        const wrote = () => toText(rule.wrote(ref(unit), arg));
        yield {
          diagnosis: 'wrong-derivative',
          detail: () => `${name}' ${g.where} is written as ${rule.text} (${g.keys.length === 1 ? '' : 'e.g. '}${wrote()} instead of ${right()})`,
          at: passAt(`rule|${op}:${rule.text}|${g.where}`, rootOverride(new Set(g.keys), `${op}:${rule.text}`, (args, out) => [rule.wrote(out, args[0]!)])),
          givenNote: () => `${wrote()} and ${right()} are both ${fmt(ctx.valueAt(ctx.given, opSpec(op).partials([arg], ref(unit))[0]!))} at the problem's values`,
        };
      }
    }
  }
  // an activation's derivative left out
  for (const [op, keys] of units) {
    const name = op === 'sigmoid' ? 'sigma' : op === 'relu' ? 'ReLU' : op;
    for (const g of groups(keys)) {
      const slopes = g.keys.map((unit) => opSpec(op).partials((ctx.graph.nodes.get(unit)!.def as Extract<Expr, { kind: 'apply' }>).args, ref(unit))[0]!);
      const values = () => slopes.map((e) => fmt(ctx.valueAt(ctx.given, e)));
      yield {
        diagnosis: 'missing-factor',
        detail: () => `the answer leaves out ${name}' ${g.where} (the factor ${toText(slopes[0]!)}${g.keys.length > 1 ? ', and the like at each unit' : ''})`,
        at: passAt(`dropped|${op}|${g.where}`, rootOverride(new Set(g.keys), 'dropped', (args) => args.map(() => one))),
        givenNote: () => `that factor is ${[...new Set(values())].join(', ')} at the problem's values`,
      };
    }
  }
  // one factor of a local partial left out: the x of d(w x + b)/dw, the weight on a path
  let n = 0;
  for (const [c, k] of relevantEdges(ctx, leaf)) {
    const p = ctx.pass.partial(c, k);
    const factors = p.kind === 'apply' && p.op === 'mul' ? p.args.filter((f) => f.kind !== 'num') : p.kind === 'ref' ? [p] : [];
    for (let i = 0; i < factors.length && n < MAX_FACTOR_CANDIDATES; i++, n++) {
      const rest = p.kind === 'apply' && p.op === 'mul' ? mul(...p.args.filter((f) => f !== factors[i])) : one;
      const f = factors[i]!;
      yield {
        diagnosis: 'missing-factor',
        detail: () => `the answer leaves out the factor ${toText(f)} (of d${c}/d${k} = ${toText(p)})`,
        at: passAt(`factor|${c}|${k}|${f.id}`, (cc, kk) => (cc === c && kk === k ? rest : undefined)),
        givenNote: () => `that factor is ${fmt(ctx.valueAt(ctx.given, f))} at the problem's values`,
      };
    }
  }
  // a step index off by one: h_t where the derivative has h_{t-1}, and the other way round
  const shifts = ctx.pass.consumersOf(leaf).filter((c) => ctx.pass.ancestorsOf(of).has(c));
  for (const by of [1, -1] as const) {
    let changed = false;
    const moved = new Map<string, { from: string; to: string }>();
    const override = new Map<string, Expr>();
    for (const c of shifts) {
      const p = ctx.pass.partial(c, leaf);
      const q = substitute(p, (key) => {
        const to = shiftKey(ctx, key, by);
        if (to === null) return undefined;
        changed = true;
        if (!moved.has(key)) moved.set(key, { from: key, to });
        return ref(to);
      });
      override.set(c, q);
    }
    if (!changed) continue;
    const example = [...moved.values()][0]!;
    yield {
      diagnosis: 'time-shift',
      detail: () => `a step index is off by one: the answer has ${example.to} where the derivative has ${example.from} (every step shifted ${by > 0 ? 'forward' : 'back'})`,
      at: passAt(`shift|${leaf}|${by}`, (cc, kk) => (kk === leaf ? override.get(cc) : undefined)),
    };
  }
}

/** Edges (consumer, input) between the checked key and `of`, nearest the key first. */
function relevantEdges(ctx: CheckContext, leaf: string): Array<[string, string]> {
  const up = ctx.pass.ancestorsOf(ctx.target.of);
  const out: Array<[string, string]> = [];
  const seen = new Set<string>([leaf]);
  let frontier = [leaf];
  while (frontier.length && out.length < 400) {
    const next: string[] = [];
    for (const k of frontier) {
      for (const c of ctx.pass.consumersOf(k)) {
        if (!up.has(c)) continue;
        out.push([c, k]);
        if (!seen.has(c)) { seen.add(c); next.push(c); }
      }
    }
    frontier = next;
  }
  return out;
}

/** The key one step later (by = 1) or earlier: h[2,1] -> h[3,1]; h[1,1] -> h0[1] back; h0[1] -> h[1,1] forward. */
function shiftKey(ctx: CheckContext, key: string, by: 1 | -1): string | null {
  const node = ctx.graph.nodes.get(key);
  if (!node) return null;
  const time = ctx.resolver.time;
  const seq = time.sequences.get(node.tensor);
  if (seq && node.index.length >= 1) {
    const t = node.index[0]! + by;
    if (t >= 1 && t <= seq.steps) return `${node.tensor}[${[t, ...node.index.slice(1)].join(',')}]`;
    if (t === 0 && seq.initial) {
      const init = ctx.graph.tensors.get(seq.initial)!;
      return init.shape.length === 0 ? init.keys[0]! : `${seq.initial}[${node.index.slice(1).join(',')}]`;
    }
    return null;
  }
  if (by === 1) {
    for (const s of time.sequences.values()) {
      if (s.initial !== node.tensor) continue;
      const tail = node.index.length ? node.index : [1];
      return `${s.name}[${[1, ...tail].join(',')}]`;
    }
  }
  return null;
}

/**
 * Right at the given values, not as a formula: is the answer the derivative with some leaf fixed at its given
 * value (a label, an input, a weight written as its number)?
 */
function substituted(ctx: CheckContext, entry: number, answer: Expr | undefined, charge: (n: number) => void): Finding | null {
  const mentioned = answer ? refKeys(answer) : new Set<string>();
  const truthDeps = [...ctx.pass.ancestorsOf(ctx.target.of)].filter((k) => !ctx.graph.nodes.get(k)!.def && ctx.given.leaves.has(k));
  // a target varies as a whole (a one-hot row), any other leaf on its own
  const groups = new Map<string, string[]>();
  for (const k of truthDeps) {
    const t = ctx.graph.nodes.get(k)!.tensor;
    const id = ctx.targetKinds.has(t) ? t : k;
    groups.set(id, [...(groups.get(id) ?? []), k]);
  }
  let tried = 0;
  for (const [id, unordered] of groups) {
    // in the tensor's own (row-major) order, for the message
    const order = ctx.graph.tensors.get(ctx.graph.nodes.get(unordered[0]!)!.tensor)!.keys;
    const keys = order.filter((k) => unordered.includes(k));
    if (keys.some((k) => mentioned.has(k))) continue;
    if (++tried > MAX_SUBSTITUTED) break;
    const fixed = new Map(keys.map((k) => [k, ctx.given.leaves.get(k)!]));
    let ok = 0;
    for (let i = 0; i < 12 && ok >= 0; i++) {
      const p = ctx.pointWith(i, fixed);
      if (!p) break;
      charge(ctx.graph.order.length);
      const a = ctx.valueAt(p, answer!), b = ctx.truthAt(p, entry);
      if (Number.isFinite(a) && Number.isFinite(b) && close(a, b, DIAG_TOL)) ok++; else ok = -1;
    }
    if (ok < MIN_POINTS) continue;
    const isTarget = ctx.targetKinds.has(id);
    const value = keys.length === 1 ? fmt(fixed.get(keys[0]!)!) : `[${keys.map((k) => fmt(fixed.get(k)!)).join(', ')}]`;
    const what = isTarget ? `the label ${id}` : keys[0]!;
    return {
      diagnosis: 'other',
      detail: `right at the problem's values but not as a formula: the answer equals the derivative only where ${what} = ${value}, its given value, so the value ${value} seems written in place of ${what}` +
        (isTarget ? ` (a label varies within its kind, ${ctx.targetKinds.get(id)}: the formula must hold for every label)` : ` (a formula must hold for every value of ${what})`),
    };
  }
  return null;
}

function refKeys(e: Expr): Set<string> {
  const out = new Set<string>();
  const stack: Expr[] = [e];
  const seen = new Set<number>();
  while (stack.length) {
    const x = stack.pop()!;
    if (seen.has(x.id)) continue;
    seen.add(x.id);
    if (x.kind === 'ref') out.add(x.key);
    else if (x.kind === 'apply') stack.push(...x.args);
  }
  return out;
}

/**
 * The answer is the derivative times (or divided by) one node's value, or times an activation's derivative
 * counted again (sigma' applied after the cross-entropy already cancelled it): a factor that is not a constant.
 */
function factorOfNode(ctx: CheckContext, s: readonly Sample[]): Finding | null {
  const ratios = s.map((x) => x.a / x.b);
  if (!ratios.every(Number.isFinite)) return null;
  for (const c of ctx.adjoints.relevant) {
    const def = ctx.graph.nodes.get(c)?.def;
    if (def?.kind !== 'apply' || !(def.op in FUNCTIONS)) continue;
    const slope = opSpec(def.op).partials(def.args, ref(c))[0]!;
    if (slope.kind === 'num') continue;
    if (s.every((x, j) => close(ratios[j]!, ctx.valueAt(x.point, slope), DIAG_TOL))) {
      const name = def.op === 'sigmoid' ? 'sigma' : def.op === 'relu' ? 'ReLU' : def.op;
      return { diagnosis: 'other', detail: `the answer is the derivative times ${toText(slope)}: ${name}' at ${c} is counted again (an extra factor)` };
    }
  }
  for (const k of ctx.pass.ancestorsOf(ctx.target.of)) {
    const vs = s.map((x) => x.point.values.get(k) ?? NaN);
    if (vs.every((v, j) => close(ratios[j]!, v, DIAG_TOL))) return { diagnosis: 'other', detail: `the answer is the derivative times ${k} (an extra factor ${k})` };
    if (vs.every((v, j) => close(ratios[j]! * v, 1, DIAG_TOL))) return { diagnosis: 'missing-factor', detail: `the answer is the derivative divided by ${k} (the factor ${k} is left out)` };
  }
  return null;
}

/** "other": where it differs, and the nearest named mistake tried with how far the answer is from it. */
function otherDetail(ctx: CheckContext, cmp: Comparison, givenEqual: boolean, tried: ReadonlyArray<{ c: Candidate; values: number[] }>): string {
  const parts: string[] = [];
  if (givenEqual && cmp.mismatch) {
    const m = cmp.mismatch;
    const leaves = Object.entries(ctx.leafValues(m.point, [], 7));
    const at = leaves.slice(0, 6).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ') + (leaves.length > 6 ? ', ...' : '');
    parts.push(`right at the problem's values but not as a formula: at ${at} the answer is ${fmt(m.a)}, the derivative ${fmt(m.b)}`);
  } else {
    parts.push('the answer differs from the derivative');
  }
  let best: { c: Candidate; d: number } | null = null;
  for (const t of tried) {
    const ds = t.values.map((v, j) => relDiff(cmp.samples[j]!.a, v)).filter(Number.isFinite).sort((a, b) => a - b);
    if (ds.length < t.values.length / 2 || ds.length === 0) continue;
    const d = ds[Math.floor(ds.length / 2)]!;
    if (!best || d < best.d) best = { c: t.c, d };
  }
  if (best) {
    let atGiven = NaN;
    try { atGiven = relDiff(cmp.given.a, best.c.at(ctx.given)); } catch (e) { if (!(e instanceof Settle || e instanceof CheckBudgetError)) throw e; }
    const how = Number.isFinite(atGiven) ? `${pct(atGiven)} at the problem's values` : `${pct(best.d)} typically`;
    parts.push(`the nearest named mistake tried is ${best.c.diagnosis} (${best.c.detail()}), and the answer is off from it by ${how}`);
  } else {
    parts.push('no named mistake (sign, constant factor, left-out term or factor, wrong local rule, time shift) fits');
  }
  return parts.join('; ');
}

const relDiff = (a: number, b: number): number => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
const pct = (x: number): string => `${Number((x * 100).toPrecision(2))}%`;
