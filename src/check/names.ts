/**
 * Reading a name of an answer against the problem's graph (contract 6.3).
 * A name of the problem reads as itself (`h3`, `o`, `W1`, `w_x`). Otherwise a
 * tensor element may be spelled as in the seeds: the tensor's name in either
 * case followed by its indices (`k11`, `k_11`, `k_{11}`, `k_{1,1}` for K[1,1];
 * `h3`, `h_3` for h[3] of a vector h), and `delta_<name>` is the adjoint
 * d(of)/d(name) printed by `derive --json`. Several readings are an error
 * that lists them; the caller reports it with the column.
 */
import { elementKey, type Graph, type TensorInfo } from '../expr/graph.js';

export type Reading =
  | { readonly kind: 'tensor'; readonly tensor: TensorInfo }
  | { readonly kind: 'element'; readonly tensor: TensorInfo; readonly key: string }
  /** d(of)/d(node): one key for an element or scalar, all keys of a tensor */
  | { readonly kind: 'adjoint'; readonly tensor: TensorInfo; readonly keys: readonly string[] };

export const ADJOINT_PREFIX = 'delta_';
/** Longest spelled name (with subscripts) that is looked up at all. */
const MAX_NAME_CHARS = 200;

export class NameResolver {
  private readonly lower = new Map<string, TensorInfo[]>();

  constructor(readonly graph: Graph) {
    for (const t of graph.tensors.values()) {
      const k = t.name.toLowerCase();
      this.lower.set(k, [...(this.lower.get(k) ?? []), t]);
    }
  }

  /** Every reading of a spelled name (`k_11`, `w_x`) with an optional bracket index (`K[1,1]`). */
  readings(spelled: string, index?: readonly number[]): Reading[] {
    if (spelled.length > MAX_NAME_CHARS) return [];
    if (index) return this.indexed(spelled, index);
    const exact = this.exact(spelled);
    if (exact) return [{ kind: 'tensor', tensor: exact }];
    const out: Reading[] = [...this.elements(spelled)];
    if (spelled.startsWith(ADJOINT_PREFIX)) {
      for (const r of this.readings(spelled.slice(ADJOINT_PREFIX.length))) {
        if (r.kind === 'tensor') out.push({ kind: 'adjoint', tensor: r.tensor, keys: r.tensor.keys });
        else if (r.kind === 'element') out.push({ kind: 'adjoint', tensor: r.tensor, keys: [r.key] });
      }
    }
    return out;
  }

  /** A tensor named exactly so (or so without its underscores: h_1 for h1). */
  exact(spelled: string): TensorInfo | undefined {
    return this.graph.tensors.get(spelled) ?? (spelled.includes('_') ? this.graph.tensors.get(spelled.replace(/_/g, '')) : undefined);
  }

  /** A tensor for a bracket index: its exact name, or its name in the other case if that is unique. */
  private indexed(spelled: string, index: readonly number[]): Reading[] {
    const t = this.exact(spelled) ?? unique(this.lower.get(spelled.toLowerCase()));
    if (!t) return [];
    if (t.shape.length === 0 && index.length === 1 && index[0] === 1) return [{ kind: 'element', tensor: t, key: t.keys[0]! }];
    if (index.length !== t.shape.length || index.some((i, d) => i < 1 || i > t.shape[d]!)) return [];
    return [{ kind: 'element', tensor: t, key: elementKey(t.name, index) }];
  }

  /** Element spellings: a tensor name (either case), an optional `_`, then its indices as digits. */
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
        if (index.length !== rank || index.some((i, d) => i < 1 || i > t.shape[d]!)) continue;
        const key = elementKey(t.name, index);
        if (!out.some((r) => r.kind === 'element' && r.key === key)) out.push({ kind: 'element', tensor: t, key });
      }
    }
    return out;
  }

  /** How a reading is named in messages. */
  static describe(r: Reading): string {
    switch (r.kind) {
      case 'tensor': return r.tensor.shape.length ? `the tensor ${r.tensor.name} [${r.tensor.shape.join('x')}]` : r.tensor.name;
      case 'element': return r.key;
      case 'adjoint': return `${ADJOINT_PREFIX}${r.keys.length === 1 ? r.keys[0] : r.tensor.name} (an adjoint)`;
    }
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
