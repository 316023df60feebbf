/**
 * Reading a name of an answer against the problem's graph (contract 6.3).
 * A name of the problem reads as itself (`h3`, `o`, `W1`, `w_x`). Otherwise:
 * - a tensor element spelled as in the seeds: the tensor's name in either
 *   case followed by its indices (`k11`, `k_11`, `k_{1,1}` for K[1,1]; `h3`,
 *   `h_3` for h[3] of a vector h);
 * - a step of a sequence (`h_t`, `h_{t-1}`, `s_3`, `h[2]`, `h^{(t)}`) and its
 *   initial state at step 0 (`h_0`); one index of any matrix is its row;
 * - an adjoint: `delta_<name>` (as `derive --json` prints it: `delta_z2`,
 *   `delta_z[2,1]`, `delta_z[t]`), `\delta_{z_{1,1}}`, `\delta^{z}_t`,
 *   `\bar{h}_1`, `\overline{h_1}`, and a student's own `\delta_t` (the hidden
 *   pre-activation's adjoint at step t) or `delta2` / `\delta^{[2]}` (of z2);
 * - `X^{[k]}` and `X^{(k)}` are the name `Xk` if it exists, else step k of X
 *   (both existing: ambiguous); never a power.
 * Several readings are an error that lists them; the caller reports it with the column.
 */
import { elementKey, type Graph, type TensorInfo } from '../expr/graph.js';
import type { Accent, Wrap } from './ast.js';
import type { TimeInfo } from './time.js';

/** What a name reads as: values of graph nodes, or their adjoints d(of)/d(node), with the shape they form. */
export interface Reading {
  readonly kind: 'value' | 'adjoint';
  readonly keys: readonly string[];
  /** [] one scalar, [n] a column vector, [r, c] a matrix */
  readonly shape: readonly number[];
  /** for messages: `K[1,1]`, `the tensor W1 [2x3]`, `h[2] (step 2 of h)` */
  readonly label: string;
}

/** One subscript or superscript item as spelled, bound indices already replaced by their values. */
export interface Item { readonly text: string; readonly wrap: Wrap }

/** A name as written: `\bar{h}_1` is {accent: bar, base: h, subs: [[1]]}. */
export interface Spelled {
  readonly base: string;
  readonly accent?: Accent;
  readonly sup?: readonly Item[];
  readonly subs: readonly (readonly Item[])[];
  readonly index?: readonly number[];
}

export const ADJOINT_PREFIX = 'delta_';
const DELTA = 'delta';
/** Longest spelled name (with subscripts) that is looked up at all. */
const MAX_NAME_CHARS = 200;

/** `w_x_12` from {w, [[x], [12]]}; brackets around items are dropped (generic readings ignore them). */
export function flatName(base: string, subs: readonly (readonly Item[])[]): string {
  return base + subs.map((g) => `_${g.map((i) => i.text).join(',')}`).join('');
}

/** The exact spelling, decorations included, as the sheets' names are keyed (`hat:o_(2),1`). */
export function spellingKey(s: Spelled): string {
  const item = (i: Item) => (i.wrap ? `${i.wrap[0]}${i.text}${i.wrap[1]}` : i.text);
  return `${s.accent ? `${s.accent}:` : ''}${s.base}${s.sup ? `^${s.sup.map(item).join(',')}` : ''}${s.subs.map((g) => `_${g.map(item).join(',')}`).join('')}`;
}

const isInt = (s: string): boolean => /^-?\d+$/.test(s);

export class NameResolver {
  private readonly lower = new Map<string, TensorInfo[]>();

  constructor(readonly graph: Graph, readonly time: TimeInfo) {
    for (const t of graph.tensors.values()) {
      const k = t.name.toLowerCase();
      this.lower.set(k, [...(this.lower.get(k) ?? []), t]);
    }
  }

  /** Every reading of a spelled name, decorations included. */
  resolve(s: Spelled): Reading[] {
    if (s.accent === 'bar') return this.adjoints(this.resolve({ ...s, accent: undefined }));
    // \hat{y}, \tilde{x}: no name of a problem carries an accent, so (where no sheet prints one) it is typography
    if (s.accent === 'hat' || s.accent === 'tilde') return this.resolve({ ...s, accent: undefined });
    if (s.accent) return [];
    if (s.sup) return this.superscript(s);
    return this.readings(flatName(s.base, s.subs), s.index);
  }

  /** Every reading of a flat spelled name (`k_11`, `w_x`, `delta_z`) with an optional bracket index (`K[1,1]`). */
  readings(spelled: string, index?: readonly number[]): Reading[] {
    if (spelled.length > MAX_NAME_CHARS) return [];
    const exact = this.exact(spelled);
    if (index) {
      if (exact) return this.indexed(exact, index);
      const other = unique(this.lower.get(spelled.toLowerCase()));
      if (other) return this.indexed(other, index);
      return this.deltaReadings(spelled, index);
    }
    if (exact) return [this.whole(exact)];
    const out = this.elements(spelled);
    if (out.length === 0) out.push(...this.steps(spelled));
    out.push(...this.deltaReadings(spelled, undefined));
    return dedupe(out);
  }

  /** A tensor named exactly so (or so without its underscores: h_1 for h1). */
  exact(spelled: string): TensorInfo | undefined {
    return this.graph.tensors.get(spelled) ?? (spelled.includes('_') ? this.graph.tensors.get(spelled.replace(/_/g, '')) : undefined);
  }

  /** A whole tensor: a scalar, a column vector or a matrix (a tensor with one element is that element). */
  whole(t: TensorInfo): Reading {
    const shape = t.keys.length === 1 ? [] : t.shape;
    return { kind: 'value', keys: t.keys, shape, label: t.shape.length ? `the tensor ${t.name} [${t.shape.join('x')}]` : t.name };
  }

  /** A bracket index: one element, a row (one index of a matrix: a step), step 0 (the initial state), the last step. */
  private indexed(t: TensorInfo, index: readonly number[], timeIndex = false): Reading[] {
    const rank = t.shape.length;
    // a time index on a tensor that exists only at the last step T: y_3, y^{(3)} (not y[3], an element)
    if (timeIndex && this.time.lastOnly.has(t.name)) {
      if (index[0] !== this.time.steps) return [];
      if (index.length === 1) return [{ ...this.whole(t), label: `${t.name} (at the last step ${index[0]})` }];
      return index.length === rank + 1 && this.inRange(t, index.slice(1)) ? [this.element(t, index.slice(1))] : [];
    }
    if (rank === 0 && index.length === 1 && index[0] === 1) return [this.element(t, [])];
    const seq = this.time.sequences.get(t.name);
    if (seq && index[0] === 0) {
      const init = seq.initial ? this.graph.tensors.get(seq.initial) : undefined;
      if (!init) return [];
      if (index.length === 1) return [{ ...this.whole(init), label: `${init.name} (${t.name} at step 0)` }];
      if (index.length === 2 && init.shape.length === 1) return this.inRange(init, [index[1]!]) ? [this.element(init, [index[1]!])] : [];
      return [];
    }
    if (index.length === rank) return this.inRange(t, index) ? [this.element(t, index)] : [];
    if (rank === 2 && index.length === 1) return this.inRange(t, [index[0]!, 1]) ? [this.row(t, index[0]!)] : [];
    return [];
  }

  private inRange(t: TensorInfo, index: readonly number[]): boolean {
    return index.length === t.shape.length && index.every((i, d) => Number.isInteger(i) && i >= 1 && i <= t.shape[d]!);
  }

  private element(t: TensorInfo, index: readonly number[]): Reading {
    const key = index.length ? elementKey(t.name, index) : t.keys[0]!;
    return { kind: 'value', keys: [key], shape: [], label: key };
  }

  /** Row i of a matrix (step i of a sequence) as a column vector. */
  private row(t: TensorInfo, i: number): Reading {
    const n = t.shape[1]!;
    const keys = t.keys.slice((i - 1) * n, i * n);
    const what = this.time.sequences.has(t.name) ? `step ${i} of ${t.name}` : `row ${i} of ${t.name}`;
    return { kind: 'value', keys, shape: n === 1 ? [] : [n], label: `${t.name}[${i}] (${what})` };
  }

  /** Element spellings: a tensor name (either case), an optional `_`, then its indices as digits or with commas. */
  private elements(spelled: string): Reading[] {
    const out: Reading[] = [];
    const s = spelled.toLowerCase();
    for (const t of this.graph.tensors.values()) {
      const rank = t.shape.length;
      const name = t.name.toLowerCase();
      if (rank === 0 || !s.startsWith(name)) continue;
      let rest = spelled.slice(name.length);
      if (rest.startsWith('_')) rest = rest.slice(1);
      if (!/^\d+(,\d+)*$/.test(rest)) continue;
      const splits = rest.includes(',') ? [rest.split(',')] : digitSplits(rest, rank);
      for (const parts of splits) {
        const index = parts.map(Number);
        if (this.inRange(t, index)) out.push(this.element(t, index));
      }
    }
    return out;
  }

  /** `s_3`, `h_0`, `h_{0,2}`, `y_3` (the last step of a many-to-one output): readings through a time index. */
  private steps(spelled: string): Reading[] {
    const m = /^([A-Za-z][A-Za-z0-9]*?)_?(\d+)(?:,(\d+))?$/.exec(spelled) ?? /^([A-Za-z][A-Za-z0-9_]*?)_(\d+)(?:,(\d+))?$/.exec(spelled);
    if (!m) return [];
    const t = this.exact(m[1]!) ?? unique(this.lower.get(m[1]!.toLowerCase()));
    if (!t || (t.shape.length !== 2 && !this.time.lastOnly.has(t.name))) return [];
    return this.indexed(t, m[3] === undefined ? [Number(m[2])] : [Number(m[2]), Number(m[3])], true);
  }

  /** X^{[k]}, X^{(k)}: the name Xk, or step k of X; \delta^{z}_t: the adjoint of z_t. */
  private superscript(s: Spelled): Reading[] {
    const sup = s.sup!;
    if (sup.length !== 1) return [];
    const k = sup[0]!;
    if (s.base === DELTA && !k.wrap && !isInt(k.text)) return this.adjoints(this.readings(flatName(k.text, s.subs)));
    // "the name Xk if it exists" (contract 6.3): a tensor of the problem (W^{[1]} is W1), or delta<k>, the adjoint of z<k>;
    // not an element spelling (y^{(2)} is not y[2])
    const joined = `${s.base}${k.text}`;
    const named = this.exact(joined) || (s.base === DELTA && isInt(k.text)) ? this.resolve({ base: joined, subs: s.subs, index: s.index }) : [];
    const unitIdx = s.subs.length === 1 && s.subs[0]!.every((i) => isInt(i.text)) ? s.subs[0]!.map((i) => Number(i.text)) : s.subs.length === 0 ? [] : null;
    let step: Reading[] = [];
    if (isInt(k.text) && unitIdx && !s.index) {
      const at = [Number(k.text), ...unitIdx];
      if (s.base === DELTA) step = this.defaultDelta(at);
      else {
        const t = this.exact(s.base) ?? unique(this.lower.get(s.base.toLowerCase()));
        if (t) step = this.indexed(t, at, true);
      }
    }
    return dedupe([...named, ...step]);
  }

  /** delta_<name>, delta<k> (of z<k>), delta_k / delta[k] (the hidden pre-activation at step k, or z<k>). */
  private deltaReadings(spelled: string, index: readonly number[] | undefined): Reading[] {
    if (!spelled.startsWith(DELTA) || spelled === `${DELTA}_`) return [];
    const rest = spelled.slice(DELTA.length);
    if (rest === '') return index ? this.defaultDelta(index) : [];
    const out: Reading[] = [];
    const body = rest.startsWith('_') ? rest.slice(1) : rest;
    const layer = /^(\d+)$/.exec(body);
    if (layer && !index) {
      const z = this.graph.tensors.get(`z${layer[1]}`);
      if (z) out.push(...this.adjoints([this.whole(z)]));
      if (rest.startsWith('_')) out.push(...this.defaultDelta([Number(layer[1])]));
      return out;
    }
    const stepUnit = /^(\d+),(\d+)$/.exec(body);
    if (stepUnit && !index && rest.startsWith('_')) return this.defaultDelta([Number(stepUnit[1]), Number(stepUnit[2])]);
    if (!rest.startsWith('_')) return [];
    return this.adjoints(this.readings(body, index));
  }

  /** `\delta_t`: the adjoint of the hidden pre-activation at step t (unit j). */
  private defaultDelta(at: readonly number[]): Reading[] {
    const z = this.time.deltaOf ? this.graph.tensors.get(this.time.deltaOf) : undefined;
    return z ? this.adjoints(this.indexed(z, at)) : [];
  }

  /** The adjoints of value readings. */
  adjoints(rs: readonly Reading[]): Reading[] {
    return rs.filter((r) => r.kind === 'value').map((r) => ({ ...r, kind: 'adjoint' as const, label: `the adjoint of ${r.label}` }));
  }

  /** How a reading is named in messages. */
  static describe(r: Reading): string {
    return r.label;
  }

  /** The problem's names, for an "unknown name" message. */
  knownNames(limit = 40): string {
    const names = [...this.graph.tensors.keys()];
    return names.slice(0, limit).join(', ') + (names.length > limit ? ', ...' : '');
  }

  /** A tensor whose name differs only in case, for a hint. */
  caseHint(spelled: string): string | undefined {
    return unique(this.lower.get(spelled.toLowerCase()))?.name;
  }
}

function unique<T>(xs: readonly T[] | undefined): T | undefined {
  return xs && xs.length === 1 ? xs[0] : undefined;
}

function dedupe(rs: readonly Reading[]): Reading[] {
  const seen = new Set<string>();
  return rs.filter((r) => {
    const id = `${r.kind}|${r.keys.join(';')}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Ways to cut a digit string into `parts` numbers without leading zeros ("123", 2 -> 1|23, 12|3). */
export function digitSplits(digits: string, parts: number): string[][] {
  if (digits.length > 12) return []; // no index is that long; keeps the enumeration small
  if (parts === 1) return digits.length > 0 && !(digits.length > 1 && digits[0] === '0') ? [[digits]] : [];
  const out: string[][] = [];
  for (let i = 1; i <= digits.length - parts + 1; i++) {
    const head = digits.slice(0, i);
    if (head.length > 1 && head[0] === '0') break;
    for (const tail of digitSplits(digits.slice(i), parts - 1)) out.push([head, ...tail]);
  }
  return out;
}
