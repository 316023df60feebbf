/**
 * The numbers a student writes down for one problem unit, one per asked
 * scalar, each with its answers.csv column (`item.part:of/wrt`) and its
 * points. Points: a part with its own points (`parts: {a: 5}`) shares them
 * evenly among its scalars; otherwise the unit's points are shared evenly
 * among all its scalars. Asks with no single number to grade (shape,
 * padding, jacobian, table) and text items are graded by hand.
 */
import { assertNever } from '../errors.js';
import { asAsked } from '../derive/json.js';
import { resolveName, type Solution } from '../derive/solve.js';
import { Rational } from '../expr/rational.js';
import type { AskItem } from '../problem/spec.js';
import { elementKey, indicesOf } from '../expr/graph.js';
import { resolveTensorName } from '../derive/tensor-solve.js';
import { tensorAskKeys } from '../variants/tensor-answers.js';
import type { LabelledUnit, ProblemUnit } from './spec.js';

/** What one asked number is. */
export type Quantity =
  | { readonly kind: 'value'; readonly key: string }
  | { readonly kind: 'gradient'; readonly of: string; readonly key: string }
  | { readonly kind: 'update'; readonly key: string }
  | { readonly kind: 'parameters' };

/** The asked vector or matrix a number is an entry of (for a diagnosis of the whole matrix). */
export interface EntryOf {
  /** `3.b:E/W1`: the unit's label, the part's label, then the tensor as asked */
  readonly id: string;
  readonly shape: readonly number[];
  /** the entry's position, row-major */
  readonly index: number;
}

export interface GradedScalar {
  /** `3.b:L/w[1]`: the unit's label, the part's label, then the quantity as in answers.csv of `variants` */
  readonly header: string;
  /** index of the problem's ask item it answers */
  readonly ask: number;
  readonly quantity: Quantity;
  readonly value: number;
  readonly points: Rational;
  /** set when the number is an entry of an asked vector or matrix */
  readonly entryOf?: EntryOf;
}

/** Points graded by hand: a text item, or a part that asks for no single number. */
export interface ManualPoints { readonly label: string; readonly points: Rational }

export interface UnitScalars { readonly scalars: readonly GradedScalar[]; readonly manual: readonly ManualPoints[] }

/** The label of ask item `i` in headers: `3.b` with parts, `3` without. */
export function askPrefix(lu: LabelledUnit, unit: ProblemUnit, i: number): string {
  return unit.parts.kind === 'none' ? lu.label : `${lu.label}.${unit.parts.labels[i]}`;
}

export function unitScalars(lu: LabelledUnit, sol: Solution): UnitScalars {
  const unit = lu.unit;
  if (unit.kind === 'text') return { scalars: [], manual: [{ label: lu.label, points: unit.points }] };
  const seen = new Set<string>();
  const perAsk = unit.problem.ask.map((a, i) => askScalars(a, sol).filter((s) => {
    // the same number asked twice (forward h, then h[1]) is graded once, in the first part that asks it
    const id = columnOf(s.quantity, sol);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  }).map(({ tensor, ...s }) => ({
    ...s, header: `${askPrefix(lu, unit, i)}:${columnOf(s.quantity, sol)}`, ask: i,
    ...(tensor ? { entryOf: { id: `${askPrefix(lu, unit, i)}:${tensor.name}`, shape: tensor.shape, index: tensor.index } } : {}),
  })));
  const manual: ManualPoints[] = [];
  const scalars: GradedScalar[] = [];
  const share = (list: ReadonlyArray<Omit<GradedScalar, 'points'>>, points: Rational, label: string) => {
    if (list.length === 0) { manual.push({ label, points }); return; }
    const each = points.div(Rational.int(list.length));
    for (const s of list) scalars.push({ ...s, points: each });
  };
  const parts = unit.parts;
  if (parts.kind === 'points') perAsk.forEach((list, i) => share(list, parts.points[i]!, askPrefix(lu, unit, i)));
  else share(perAsk.flat(), unit.points, lu.label);
  return { scalars, manual };
}

/** The column name of a quantity, as `gradsheet variants` writes it in answers.csv. */
export function columnOf(q: Quantity, sol: Solution): string {
  const g = sol.graph;
  switch (q.kind) {
    case 'value': return asAsked(g, q.key);
    case 'gradient': return `${asAsked(g, q.of)}/${asAsked(g, q.key)}`;
    case 'update': return `update:${asAsked(g, q.key)}`;
    case 'parameters': return 'parameters';
    default: return assertNever(q);
  }
}

/** A number of an ask item, and the asked tensor it is an entry of (its name as asked, `E/W1` or `z1`). */
interface AskScalar {
  readonly quantity: Quantity;
  readonly value: number;
  readonly tensor?: { readonly name: string; readonly shape: readonly number[]; readonly index: number };
}

/** Entries of a tensor, each tagged with its place (a tensor of one entry is a plain number). */
function entries(name: string, shape: readonly number[], list: ReadonlyArray<{ quantity: Quantity; value: number }>): AskScalar[] {
  if (list.length < 2) return [...list];
  return list.map((x, index) => ({ ...x, tensor: { name, shape, index } }));
}

function askScalars(a: AskItem, sol: Solution): AskScalar[] {
  if (sol.tensor) return tensorAskScalars(a, sol);
  const g = sol.graph;
  switch (a.kind) {
    case 'forward':
      return a.names.flatMap((n) => {
        const keys = resolveName(g, n, a);
        return entries(n, keys.length > 1 ? g.tensors.get(n)!.shape : [], keys.map((key) => ({ quantity: { kind: 'value', key } as const, value: sol.values.get(key)! })));
      });
    case 'gradient': {
      const of = resolveName(g, a.of, a)[0]!;
      return a.wrt.flatMap((w) => {
        const gr = sol.gradients.find((x) => x.asked && x.of === of && x.wrt === w)!;
        return entries(`${asAsked(g, of)}/${w}`, gr.shape, gr.entries.map((e) => ({ quantity: { kind: 'gradient', of, key: e.key } as const, value: e.value })));
      });
    }
    case 'update':
      return [...(sol.updates ?? [])].flatMap(([name, vals]) => {
        const t = g.tensors.get(name)!;
        return entries(`update:${name}`, t.shape, t.keys.map((key, i) => ({ quantity: { kind: 'update', key } as const, value: vals[i]! })));
      });
    case 'parameters':
      return parameterScalars(sol);
    case 'shape': case 'padding': case 'jacobian': case 'table':
      return [];
    default:
      return assertNever(a);
  }
}

/** The numbers of an ask item of a network written as tensor equations: read from the tensor level's results, entry by entry. */
function tensorAskScalars(a: AskItem, sol: Solution): AskScalar[] {
  const ts = sol.tensor!;
  const g = ts.network.graph;
  switch (a.kind) {
    case 'forward':
      return a.names.flatMap((n) => {
        const { keys, shape } = tensorAskKeys(sol, n, a.field);
        return entries(n, shape, keys.map((key) => ({ quantity: { kind: 'value', key } as const, value: sol.values.get(key)! })));
      });
    case 'gradient': {
      const of = resolveTensorName(g, a.of, a.field).node;
      return a.wrt.flatMap((w) => {
        const i = ts.gradients.findIndex((x) => x.asked && x.of === of && x.upstream === (a.upstream ?? null) && x.wrt === w);
        const gr = sol.gradients[i]!;
        return entries(`${asAsked(sol.graph, gr.of)}/${w}`, gr.shape, gr.entries.map((e) => ({ quantity: { kind: 'gradient', of: gr.of, key: e.key } as const, value: e.value })));
      });
    }
    case 'update':
      return [...(sol.updates ?? [])].flatMap(([name, vals]) => {
        const t = ts.network.leaves.get(name)!;
        const keys = t.data.length === 1 ? [name] : indicesOf(t.shape).map((idx) => elementKey(name, idx));
        return entries(`update:${name}`, t.shape, keys.map((key, i) => ({ quantity: { kind: 'update', key } as const, value: vals[i]! })));
      });
    case 'parameters':
      // answered by the kind's report (a shorthand that counts its own parameters)
      return parameterScalars(sol);
    case 'shape': case 'padding': case 'jacobian': case 'table':
      return [];
    default:
      return assertNever(a);
  }
}

function parameterScalars(sol: Solution): AskScalar[] {
  const n = sol.report.json?.parameterCount;
  return typeof n === 'number' ? [{ quantity: { kind: 'parameters' }, value: n }] : [];
}
