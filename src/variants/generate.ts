/**
 * Accepting draws: each variant k reads its own stream (seed, k) and redraws
 * until every requirement holds, every computed value is finite and, under
 * `distinct`, the values differ from every earlier variant; at most `tries`
 * draws per variant. Variant k depends only on the seed, k and (under
 * `distinct`) the accepted variants before it, so `--only k` rebuilds it alone.
 */
import type { Graph } from '../expr/graph.js';
import type { Rational } from '../expr/rational.js';
import { evalExact, evalExpr, evaluateGraph } from '../numeric/evaluate.js';
import { bindGiven } from '../derive/given.js';
import type { Field } from '../problem/field.js';
import type { GivenValue, ProblemSpec } from '../problem/spec.js';
import { holds, type CondEnv } from './condition.js';
import { drawGiven, signature } from './draw.js';
import { Stream } from '../numeric/rng.js';
import type { VariantsSpec } from './spec.js';

export interface DrawnVariant {
  readonly number: number;
  /** `${seed}-${number}`: printed on the sheets and in answers.json */
  readonly seedLabel: string;
  readonly overrides: ReadonlyMap<string, GivenValue>;
  readonly leaves: ReadonlyMap<string, Rational>;
  /** draws this variant took, the accepted one included */
  readonly tries: number;
}

/**
 * Variants `from`..`to` (1-based). Under `distinct` the variants before
 * `from` are drawn too (not solved), since they decide which draws repeat.
 */
export function drawVariants(problem: ProblemSpec, graph: Graph, spec: VariantsSpec, seed: string, from: number, to: number): DrawnVariant[] {
  const seen = new Set<string>();
  const out: DrawnVariant[] = [];
  for (let k = spec.distinct ? 1 : from; k <= to; k++) {
    const v = drawOne(problem, graph, spec, seed, k, seen);
    seen.add(signature(v.leaves));
    if (k >= from) out.push(v);
  }
  return out;
}

/** The constraints a draw can fail, in the order a tie is reported. */
interface Tally { readonly label: string; readonly field: Field; failures: number }

function drawOne(problem: ProblemSpec, graph: Graph, spec: VariantsSpec, seed: string, k: number, seen: ReadonlySet<string>): DrawnVariant {
  const stream = Stream.forVariant(seed, k);
  const finite: Tally = { label: 'every computed value is a finite number', field: spec.field.get('given'), failures: 0 };
  const reqs: Tally[] = spec.requires.map((r) => ({ label: `"${r.text}"`, field: r.field, failures: 0 }));
  const distinct: Tally = { label: 'distinct: true (the values repeat an earlier variant)', field: spec.field.get('distinct'), failures: 0 };
  for (let t = 1; t <= spec.tries; t++) {
    const overrides = drawGiven(spec, stream);
    const leaves = bindGiven(problem, graph, overrides);
    const values = evaluateGraph(graph, new Map([...leaves].map(([key, r]) => [key, r.toNumber()])));
    const env: CondEnv = {
      exact: (e) => evalExact(e, (key) => leaves.get(key) ?? null),
      value: (e) => evalExpr(e, (key) => values.get(key)),
    };
    // Every constraint is tested on every draw, so the counts say which one rejects most.
    let ok = true;
    if (![...values.values()].every(Number.isFinite)) { finite.failures++; ok = false; }
    spec.requires.forEach((r, i) => { if (!holds(r.cond, env)) { reqs[i]!.failures++; ok = false; } });
    if (spec.distinct && seen.has(signature(leaves))) { distinct.failures++; ok = false; }
    if (ok) return { number: k, seedLabel: `${seed}-${k}`, overrides, leaves, tries: t };
  }
  const worst = [finite, ...reqs, distinct].reduce((a, b) => (b.failures > a.failures ? b : a));
  const pct = ((100 * worst.failures) / spec.tries).toFixed(1);
  return worst.field.fail(
    `variant ${k}: no draw met every constraint in ${spec.tries} tries; ${worst.label} failed most often, ` +
    `rejecting ${worst.failures} of ${spec.tries} tries (${pct}%)`,
  );
}
