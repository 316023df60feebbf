/**
 * How a node's name is typeset. Defaults follow the contract: `w12` -> w_{12},
 * `b1` -> b_1, `W1` -> \mathbf{W}^{[1]}, an element `W1[1,2]` -> w^{[1]}_{12},
 * `Y[1,2]` -> y_{12}, `x[2]` -> x_2, an adjoint `bar:h1` -> \bar{h}_1.
 * A problem's `symbols` override a tensor's name; a `notation` preset may
 * typeset whole families (e.g. RNN states h_t) differently.
 */
import type { Graph } from '../expr/graph.js';

/** A preset gets the tensor name and 1-based index; returns LaTeX or undefined to fall back. */
export type NotationPreset = (tensor: string, index: readonly number[], graph: Graph) => string | undefined;

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'eta', 'theta', 'lambda', 'mu', 'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'phi', 'chi', 'psi', 'omega']);

/** Base letters and trailing digits: `w12` -> w_{12}; `w_x` -> w_{x}; `alpha` -> \alpha. */
export function defaultScalarName(name: string): string {
  const under = /^([A-Za-z]+)_([A-Za-z0-9]+)$/.exec(name);
  if (under) return `${letters(under[1]!)}_{${under[2]}}`;
  const m = /^([A-Za-z]+?)(\d+)$/.exec(name);
  if (m) return `${letters(m[1]!)}_{${m[2]}}`;
  return letters(name);
}

function letters(s: string): string {
  if (GREEK.has(s)) return `\\${s}`;
  if (s.length === 1) return s;
  return `\\mathrm{${s.replace(/_/g, '\\_')}}`;
}

/** A tensor's own name: an upper-case matrix is bold, a numbered layer is a superscript. */
export function defaultTensorName(name: string, shape: readonly number[]): string {
  const m = /^([A-Z])(\d+)$/.exec(name);
  if (m && shape.length >= 2) return `\\mathbf{${m[1]}}^{[${m[2]}]}`;
  if (/^[A-Z]$/.test(name) && shape.length >= 2) return `\\mathbf{${name}}`;
  if (shape.length === 1 && /^[a-z]$/.test(name)) return `\\mathbf{${name}}`;
  // a layer's vector, as its elements are typeset (z1[2] -> z^{[1]}_2): z1 -> \mathbf{z}^{[1]}
  const v = /^([a-z])(\d+)$/.exec(name);
  if (v && shape.length === 1) return `\\mathbf{${v[1]}}^{[${v[2]}]}`;
  return defaultScalarName(name);
}

/** An element: lower-case letter, the layer number as a superscript, the indices as a subscript. */
export function defaultElementName(name: string, index: readonly number[]): string {
  const sub = index.some((i) => i >= 10) ? index.join(',') : index.join('');
  const m = /^([A-Za-z]+?)(\d+)$/.exec(name);
  if (m) {
    const base = letters(m[1]!.length === 1 ? m[1]!.toLowerCase() : m[1]!);
    return `${base}^{[${m[2]}]}_{${sub}}`;
  }
  const base = name.length === 1 ? name.toLowerCase() : name;
  return `${letters(base)}_{${sub}}`;
}

export class Namer {
  constructor(
    private readonly graph: Graph,
    private readonly symbols: Readonly<Record<string, string>> = {},
    /** a kind's typesetting preset (networks/registry.ts notationPreset) */
    private readonly preset?: NotationPreset,
  ) {}

  /** LaTeX of a node key (`h1`, `W1[1,2]`, `bar:h1`). */
  key(key: string): string {
    if (key.startsWith('bar:')) return `\\overline{${this.key(key.slice(4))}}`;
    const node = this.graph.nodes.get(key);
    const tensor = node?.tensor ?? key;
    const index = node?.index ?? [];
    const fromPreset = this.preset?.(tensor, index, this.graph);
    if (fromPreset !== undefined) return fromPreset;
    if (index.length === 0) return this.symbols[tensor] ?? defaultScalarName(tensor);
    const t = this.graph.tensors.get(tensor);
    if (t && t.keys.length === 1 && this.symbols[tensor]) return this.symbols[tensor]!;
    if (this.symbols[tensor]) return `{${this.symbols[tensor]}}_{${index.join(index.some((i) => i >= 10) ? ',' : '')}}`;
    return defaultElementName(tensor, index);
  }

  /** LaTeX of a whole tensor (`W1` -> \mathbf{W}^{[1]}). */
  tensor(name: string): string {
    const t = this.graph.tensors.get(name);
    const fromPreset = this.preset?.(name, [], this.graph);
    if (fromPreset !== undefined) return fromPreset;
    return this.symbols[name] ?? defaultTensorName(name, t?.shape ?? []);
  }
}
