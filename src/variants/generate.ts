/**
 * Accepting draws: each variant k reads its own stream (seed, k) and redraws
 * until every requirement holds, every computed value is finite and, under
 * `distinct`, the values differ from every earlier variant; at most `tries`
 * draws per variant. Variant k depends only on the seed, k and (under
 * `distinct`) the accepted variants before it, so `--only k` rebuilds it alone.
 */
import { ProblemError } from '../errors.js';
import { elementKey, indicesOf, type Graph } from '../expr/graph.js';
import type { Rational } from '../expr/rational.js';
import { evalExact, evalExpr, evaluateGraph } from '../numeric/evaluate.js';
import { bindGiven } from '../derive/given.js';
import type { Field } from '../input/field.js';
import type { GivenValue, ProblemSpec } from '../problem/spec.js';
import { holds, holdsWith, type CondEnv } from './condition.js';
import { drawGiven, signature } from './draw.js';
import { Stream } from '../numeric/rng.js';
import type { VariantsSpec } from './spec.js';
import { allValuesFinite, drawnLeaves, forwardAt, kinkAt, kinkedNodes } from './tensor-draw.js';
import { tensorComparator } from './tensor-require.js';
import { initRationals } from '../problem/initializer.js';

export interface DrawnVariant {
  readonly number: number;
  /** `${seed}-${number}`: printed on the sheets and in answers.json */
  readonly seedLabel: string;
  readonly overrides: ReadonlyMap<string, GivenValue>;
  /** exact values by element key: every leaf (a scalar network), the drawn leaves (tensor equations) */
  readonly leaves: ReadonlyMap<string, Rational>;
  /** draws this variant took, the accepted one included */
  readonly tries: number;
}

/**
 * Variants `from`..`to` (1-based). Under `distinct` the variants before
 * `from` are drawn too (not solved), since they decide which draws repeat.
 */
export function drawVariants(problem: ProblemSpec, graph: Graph, spec: VariantsSpec, seed: string, from: number, to: number): DrawnVariant[] {
  const judge = spec.level === 'tensor' ? tensorJudge(spec) : scalarJudge(problem, graph, spec);
  const seen = new Set<string>();
  const out: DrawnVariant[] = [];
  for (let k = spec.distinct ? 1 : from; k <= to; k++) {
    const v = drawOne(judge, spec, seed, k, seen);
    seen.add(v.signature);
    if (k >= from) out.push(v.variant);
  }
  return out;
}

/** What one draw is judged by: the built-in constraints (labels in report order), and the verdicts on a draw. */
interface Judge {
  readonly builtins: ReadonlyArray<{ readonly label: string; readonly field: Field }>;
  judge(overrides: ReadonlyMap<string, GivenValue>): Verdicts;
}
interface Verdicts {
  /** per built-in constraint: does it hold */
  readonly builtins: readonly boolean[];
  /** per `require` line */
  readonly requires: readonly boolean[];
  /** the drawn values, to recognize a repeat under `distinct` */
  readonly signature: string;
  readonly leaves: ReadonlyMap<string, Rational>;
}

/** A scalar network: every node evaluated in float64, requirements exactly where every name is a rational leaf. */
function scalarJudge(problem: ProblemSpec, graph: Graph, spec: Extract<VariantsSpec, { level: 'scalar' }>): Judge {
  return {
    builtins: [{ label: 'every computed value is a finite number', field: spec.field.get('given') }],
    judge: (overrides) => {
      const leaves = bindGiven(problem, graph, overrides);
      const values = evaluateGraph(graph, new Map([...leaves].map(([key, r]) => [key, r.toNumber()])));
      const env: CondEnv = {
        exact: (e) => evalExact(e, (key) => leaves.get(key) ?? null),
        value: (e) => evalExpr(e, (key) => values.get(key)),
      };
      return {
        builtins: [[...values.values()].every(Number.isFinite)],
        requires: spec.requires.map((r) => holds(r.cond, env)),
        signature: signature(leaves),
        leaves,
      };
    },
  };
}

/** Tensor equations: one forward pass of the tensor graph per draw; requirements over its tensor nodes. */
function tensorJudge(spec: Extract<VariantsSpec, { level: 'tensor' }>): Judge {
  const tn = spec.network;
  const g = tn.graph;
  const kinked = kinkedNodes(g);
  const given = spec.field.get('given');
  return {
    builtins: [
      { label: 'every computed value is a finite number', field: given },
      { label: 'no activation sits on its kink (relu, step or abs at 0, a tie of max or min)', field: given },
    ],
    judge: (overrides) => {
      const leaves = drawnLeaves(tn, overrides);
      let fwd;
      try {
        fwd = forwardAt(tn, leaves);
      } catch (e) {
        if (e instanceof ProblemError && !e.file) given.fail(e.message);
        throw e;
      }
      const finite = allValuesFinite(fwd);
      // a requirement or a kink test on values that left the finite numbers means nothing
      const compare = tensorComparator(g, fwd);
      return {
        builtins: [finite, finite && kinkAt(g, fwd, kinked) === null],
        requires: spec.requires.map((r) => finite && holdsWith(r.cond, compare)),
        ...drawnSignature(spec, overrides),
      };
    },
  };
}

/** The drawn values by element key, and their signature (long ones hashed: a 784 x 128 draw is a megabyte of text). */
function drawnSignature(spec: VariantsSpec, overrides: ReadonlyMap<string, GivenValue>): { signature: string; leaves: Map<string, Rational> } {
  const leaves = new Map<string, Rational>();
  for (const { leaf } of spec.draws) {
    const v = overrides.get(leaf.name)!;
    const keys = leaf.shape.length === 0 ? [leaf.name] : indicesOf(leaf.shape).map((i) => elementKey(leaf.name, i));
    keys.forEach((k, i) => leaves.set(k, v.kind === 'array' ? v.values[v.values.length === 1 ? 0 : i]! : v.kind === 'fill' ? v.value : exactInit(v, i)));
  }
  const text = signature(leaves);
  return { signature: text.length <= 4096 ? text : `#${text.length}:${fnv(text)}`, leaves };
}

/** A fixed initializer's entry, exactly (a fixed value under variants.given may be one). */
function exactInit(v: Extract<GivenValue, { kind: 'init' }>, i: number): Rational {
  return initRationalsOf(v)[i]!;
}

const initCache = new WeakMap<object, Rational[]>();
function initRationalsOf(v: Extract<GivenValue, { kind: 'init' }>): Rational[] {
  let r = initCache.get(v);
  if (!r) initCache.set(v, (r = initRationals(v)));
  return r;
}

/** Two 32-bit FNV-1a hashes (different offsets) of a text, as hex: a repeat test, where a collision only costs a redraw. */
function fnv(text: string): string {
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** The constraints a draw can fail, in the order a tie is reported. */
interface Tally { readonly label: string; readonly field: Field; failures: number }

function drawOne(judge: Judge, spec: VariantsSpec, seed: string, k: number, seen: ReadonlySet<string>): { variant: DrawnVariant; signature: string } {
  const stream = Stream.forVariant(seed, k);
  const builtins: Tally[] = judge.builtins.map((b) => ({ ...b, failures: 0 }));
  const reqs: Tally[] = spec.requires.map((r) => ({ label: `"${r.text}"`, field: r.field, failures: 0 }));
  const distinct: Tally = { label: 'distinct: true (the values repeat an earlier variant)', field: spec.field.get('distinct'), failures: 0 };
  for (let t = 1; t <= spec.tries; t++) {
    const overrides = drawGiven(spec, stream);
    const v = judge.judge(overrides);
    // Every constraint is tested on every draw, so the counts say which one rejects most.
    let ok = true;
    v.builtins.forEach((held, i) => { if (!held) { builtins[i]!.failures++; ok = false; } });
    v.requires.forEach((held, i) => { if (!held) { reqs[i]!.failures++; ok = false; } });
    if (spec.distinct && seen.has(v.signature)) { distinct.failures++; ok = false; }
    if (ok) return { variant: { number: k, seedLabel: `${seed}-${k}`, overrides, leaves: v.leaves, tries: t }, signature: v.signature };
  }
  const worst = [...builtins, ...reqs, distinct].reduce((a, b) => (b.failures > a.failures ? b : a));
  const pct = ((100 * worst.failures) / spec.tries).toFixed(1);
  return worst.field.fail(
    `variant ${k}: no draw met every constraint in ${spec.tries} tries; ${worst.label} failed most often, ` +
    `rejecting ${worst.failures} of ${spec.tries} tries (${pct}%)`,
  );
}
