/** The answer keys: the 6.2 object per variant, the asked scalars, and answers.csv. */
import { asAsked, deriveJson, nest } from '../derive/json.js';
import type { Solution } from '../derive/solve.js';
import type { ProblemSpec } from '../problem/spec.js';
import { nestTensor } from '../expr/tensor-value.js';
import { adjointValues, entryColumns, tensorGiven } from './tensor-answers.js';

export interface SolvedVariant {
  readonly number: number;
  readonly seedLabel: string;
  readonly sol: Solution;
}

export type VariantJson = { variant: number; seed: string; given: Record<string, unknown> } & Record<string, unknown>;

/**
 * `{"variant", "seed", "given", "values", "gradients", "closedForms", ...,
 * "check"}` (contract 6.2): the keys of derive --json in a fixed order, the
 * problem's id and the source's `published` values left out (they belong to
 * the original numbers, not to a variant).
 */
export function variantJson(v: SolvedVariant): VariantJson {
  const { id: _id, published: _published, values, gradients, closedForms, check, ...rest } = deriveJson(v.sol);
  // tensor equations: the named adjoints the matrix forms are written in, with this variant's numbers
  const adjoints = v.sol.tensor ? { adjointValues: adjointValues(v.sol) } : {};
  return { variant: v.number, seed: v.seedLabel, given: givenJson(v.sol), values, gradients, closedForms, ...rest, ...adjoints, check };
}

/** Every given value, drawn or fixed, nested by shape: the problem's `given` order, then names only drawn. */
export function givenJson(sol: Solution): Record<string, unknown> {
  if (sol.tensor) return Object.fromEntries(tensorGiven(sol).map(([name, t]) => [name, nestTensor(t)]));
  const out: Record<string, unknown> = {};
  for (const name of givenNames(sol)) {
    const t = sol.graph.tensors.get(name)!;
    out[name] = nest(t.keys.map((k) => sol.leaves.get(k)!.toNumber()), t.shape);
  }
  return out;
}

function givenNames(sol: Solution): string[] {
  const names = [...sol.problem.given.keys()];
  for (const t of sol.graph.tensors.values()) {
    if (t.role !== 'intermediate' && !names.includes(t.name) && t.keys.every((k) => sol.leaves.has(k))) names.push(t.name);
  }
  return names;
}

/** One asked number: a node's value, a partial derivative, or a parameter after the update step. */
export type AskedScalar =
  | { readonly kind: 'value'; readonly column: string; readonly key: string; readonly value: number }
  | { readonly kind: 'gradient'; readonly column: string; readonly of: string; readonly key: string; readonly value: number }
  | { readonly kind: 'update'; readonly column: string; readonly key: string; readonly value: number };

/**
 * Asked scalars in sheet order, named as a gradebook column: `h1`, `o/b1`,
 * `o/W1[1,2]`, and `update:W1[1,2]` for a parameter after one step.
 */
export function askedScalars(sol: Solution): AskedScalar[] {
  const g = sol.graph;
  const out: AskedScalar[] = [];
  const seen = new Set<string>();
  const push = (s: AskedScalar) => { if (!seen.has(s.column)) { seen.add(s.column); out.push(s); } };
  for (const key of sol.forward) push({ kind: 'value', column: asAsked(g, key), key, value: sol.values.get(key)! });
  for (const gr of sol.gradients.filter((x) => x.asked)) {
    for (const e of gr.entries) push({ kind: 'gradient', column: `${asAsked(g, gr.of)}/${asAsked(g, e.key)}`, of: gr.of, key: e.key, value: e.value });
  }
  for (const [name, vals] of sol.updates ?? []) {
    g.tensors.get(name)!.keys.forEach((key, i) => push({ kind: 'update', column: `update:${asAsked(g, key)}`, key, value: vals[i]! }));
  }
  return out;
}

/** Given entries in `givenJson` order: the CSV columns (`x`, `W1[1,2]`), and their values in a variant. */
function givenColumns(sol: Solution): string[] {
  if (sol.tensor) return tensorGiven(sol).flatMap(([name, t]) => entryColumns(name, t));
  return givenNames(sol).flatMap((name) => sol.graph.tensors.get(name)!.keys.map((key) => asAsked(sol.graph, key)));
}

function givenValues(sol: Solution): number[] {
  if (sol.tensor) return tensorGiven(sol).flatMap(([, t]) => [...t.data]);
  return givenNames(sol).flatMap((name) => sol.graph.tensors.get(name)!.keys.map((key) => sol.leaves.get(key)!.toNumber()));
}

/**
 * answers.csv: one row per variant; columns variant, seed, every given
 * element, then every asked scalar. Numbers are JavaScript's shortest
 * round-trip form (the same digits as answers.json).
 */
export function answersCsv(variants: readonly SolvedVariant[]): string {
  const first = variants[0];
  if (!first) return '';
  const given = givenColumns(first.sol);
  const asked = askedScalars(first.sol);
  const rows = [['variant', 'seed', ...given, ...asked.map((c) => c.column)]];
  for (const v of variants) {
    const a = new Map(askedScalars(v.sol).map((s) => [s.column, s.value]));
    rows.push([
      String(v.number), v.seedLabel,
      ...givenValues(v.sol).map(String),
      ...asked.map((c) => String(a.get(c.column))),
    ]);
  }
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** answers.json: the 6.2 array, two-space indented, one final newline. */
export function answersJson(variants: readonly SolvedVariant[]): string {
  return JSON.stringify(variants.map(variantJson), null, 2) + '\n';
}

/** The problem as variants solve it: without the source's published values. */
export function variantProblem(problem: ProblemSpec): ProblemSpec {
  return { ...problem, published: undefined };
}
