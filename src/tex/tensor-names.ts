/**
 * How tensor-level names are typeset: vectors and matrices bold, a numbered
 * layer as a superscript (W1 -> W^{[1]}), a gate or part as a subscript
 * (Wq -> W_q), a step as a subscript (h[t-1] -> h_{t-1}, h1[t] ->
 * h^{[1]}_t), an adjoint as delta with its node (delta_z2 -> delta_{z_2}).
 * A problem's `symbols` override a node's name; contract 2.7's defaults are
 * followed where it gives them.
 */
import type { TRef, StepRef } from '../expr/tensor.js';
import type { TGraph } from '../expr/tensor-graph.js';
import type { TNameStyle } from '../ops/tensor-print.js';
import { stepText } from '../ops/tensor-print.js';
import { defaultScalarName } from './names.js';

const GREEK = new Set(['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'eta', 'theta', 'lambda', 'mu', 'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'phi', 'chi', 'psi', 'omega']);
const WORDS: Readonly<Record<string, string>> = { eps: '\\epsilon', var: '\\sigma^2' };

/** A node's own name, typeset (no step). */
export function tensorName(name: string, rank: number, symbols: Readonly<Record<string, string>>): { base: string; layer: string | null } {
  const own = symbols[name];
  if (own) return { base: own, layer: null };
  const bold = (s: string) => (rank === 0 ? s : /^\\[a-z]+$/.test(s) ? `\\boldsymbol{${s}}` : `\\mathbf{${s}}`);
  if (GREEK.has(name)) return { base: bold(`\\${name}`), layer: null };
  if (WORDS[name]) return { base: rank === 0 ? WORDS[name]! : `\\boldsymbol{${WORDS[name]}}`, layer: null };
  const hat = /^([A-Za-z])(hat|bar|tilde)$/.exec(name);
  if (hat) return { base: `\\${hat[2] === 'bar' ? 'bar' : hat[2] === 'hat' ? 'hat' : 'tilde'}{${bold(hat[1]!)}}`, layer: null };
  const numbered = /^([A-Za-z])(\d+)$/.exec(name);
  if (numbered) {
    // a matrix's number is its layer; a vector's a subscript (z1 -> z_1), as textbooks write them
    if (rank >= 2) return { base: bold(numbered[1]!), layer: numbered[2]! };
    return { base: `${bold(numbered[1]!)}_{${numbered[2]}}`, layer: null };
  }
  const part = /^([A-Za-z])([a-z0-9]{1,3})$/.exec(name);
  if (part && !GREEK.has(name)) return { base: `${bold(part[1]!)}_{${part[2]}}`, layer: null };
  if (rank === 0) return { base: defaultScalarName(name), layer: null };
  return { base: `\\mathbf{${name.replace(/_/g, '\\_')}}`, layer: null };
}

export class TensorNamer {
  constructor(private readonly g: TGraph, private readonly symbols: Readonly<Record<string, string>> = {}) {}

  private parts(name: string): { base: string; layer: string | null } {
    const n = this.g.nodes.get(name);
    return tensorName(name, n?.shape.length ?? 0, this.symbols);
  }

  /** A node, at a step for a sequence (`\mathbf{h}_{t-1}`, `\mathbf{h}^{[1]}_{t}`). */
  node(name: string, step: StepRef | null = null, base: string = 't'): string {
    const { base: b, layer } = this.parts(name);
    const sup = layer ? `^{[${layer}]}` : '';
    if (step === null) return `${b}${sup}`;
    const s = stepText(step, base);
    // a name with its own subscript takes the step after a comma
    const m = /^(.*)_\{([^{}]*)\}$/.exec(b);
    return m ? `${m[1]}${sup}_{${m[2]},${s}}` : `${b}${sup}_{${s}}`;
  }

  /** The adjoint of a node: delta with the node as its subscript (and the step). */
  adjoint(name: string, step: StepRef | null = null, base: 't' | 'T' = 't'): string {
    const plain = this.plain(name);
    return `\\boldsymbol{\\delta}_{${plain}${step ? `,${stepText(step, base)}` : ''}}`;
  }

  /** The node's name without bold, for subscripts: z_2, h^{[1]}. */
  plain(name: string): string {
    const { base, layer } = this.parts(name);
    return `${base.replace(/\\mathbf\{([^{}]*)\}/g, '$1').replace(/\\boldsymbol\{([^{}]*)\}/g, '$1')}${layer ? `^{[${layer}]}` : ''}`;
  }

  style(base: 't' | 'T' = 't'): TNameStyle {
    return { latex: true, ref: (r: TRef) => (r.adjoint ? this.adjoint(r.name, r.step, base) : this.node(r.name, r.step, base)) };
  }
}
