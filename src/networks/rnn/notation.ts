/**
 * Typesetting of RNN names (LaTeX only; JSON keys never change). A preset
 * says how each role is written: the time index as a subscript (s_t, seed
 * 000 Q5), in parentheses with the layer as a superscript (z^{[1]}_{(t)},
 * seed 001) or as a superscript (h^{[t]}, seed 003). Roles a preset does not
 * mention are written from the problem's own names (or its `symbols`). The
 * presets are registered with the shared Namer, which asks by tensor name;
 * the layout of the graph turns the name back into a role.
 */
import type { Graph } from '../../expr/graph.js';
import { defaultElementName, defaultScalarName, defaultTensorName, type NotationPreset } from '../../tex/names.js';
import { layoutOf, shapeOf, type RnnLayout } from './layout.js';
import type { Role } from './spec.js';

type TimeStyle = 'sub' | 'paren' | 'sup';
/** a time-indexed family (x, z, h, u, y, t, e) */
interface Family { readonly letter: string; readonly layer?: string }
/** a parameter: the whole tensor, and one element given its index text (null for a one-element tensor) */
interface Param { readonly whole: string; readonly element: (sub: string | null) => string }
export type DeltaOf = 'z' | 'z2' | 'u';

interface Preset {
  readonly time: TimeStyle;
  readonly families: Partial<Record<Role, Family>>;
  readonly params: Partial<Record<Role, Param>>;
  readonly delta?: (of: DeltaOf, t: string) => string;
}

const param = (whole: string, el: string, sup = '', prefix = ''): Param => ({
  whole: sup ? `${whole}^{${sup}}` : whole,
  element: (sub) => `${el}${sup ? `^{${sup}}` : ''}${sub === null ? (prefix ? `_{${prefix.replace(/,$/, '')}}` : '') : `_{${prefix}${sub}}`}`,
});

const PRESETS: Readonly<Record<string, (L: number) => Preset>> = {
  // seed 001: x^{[0]}_{(t)} inputs, z^{[1]}_{(t)} and x^{[1]}_{(t)} hidden, z^{[2]}_{(t)} and x^{[2]}_{(t)} output
  'seed-001': (L) => ({
    time: 'paren',
    families: {
      x: { letter: 'x', layer: '[0]' }, z: { letter: 'z', layer: '[1]' }, h: { letter: 'x', layer: '[1]' },
      z2: { letter: 'z', layer: '[2]' }, s: { letter: 'x', layer: '[2]' },
      u: { letter: 'z', layer: `[${L + 1}]` }, y: { letter: 'x', layer: `[${L + 1}]` }, t: { letter: 't' }, e: { letter: 'e' },
    },
    params: {
      W1: param('\\mathbf{W}', 'w', '[1]'), H1: param('\\mathbf{H}', 'h', '[1]'), b1: param('\\mathbf{b}', 'b', '[1]'),
      W3: param('\\mathbf{W}', 'w', '[2]'), H3: param('\\mathbf{H}', 'h', '[2]'), b3: param('\\mathbf{b}', 'b', '[2]'),
      W2: param('\\mathbf{W}', 'w', `[${L + 1}]`), b2: param('\\mathbf{b}', 'b', `[${L + 1}]`),
    },
    delta: (of, t) => `\\boldsymbol{\\delta}^{[${of === 'z' ? 1 : of === 'z2' ? 2 : L + 1}]}_{(${t})}`,
  }),
  // seed 000 Q5: s_t = U x_t + W h_{t-1}, h_t = tanh(s_t), z_t = V h_t, \hat{o}_t = softmax(z_t), E_t
  'seed-000': () => ({
    time: 'sub',
    families: { x: { letter: 'x' }, z: { letter: 's' }, h: { letter: 'h' }, u: { letter: 'z' }, y: { letter: '\\hat{o}' }, t: { letter: 'o' }, e: { letter: 'E' } },
    params: { W1: param('\\boldsymbol{U}', 'u'), H1: param('\\boldsymbol{W}', 'w'), W2: param('\\boldsymbol{V}', 'v'), b1: param('\\boldsymbol{b}', 'b'), b2: param('\\boldsymbol{c}', 'c') },
    delta: (of, t) => (of === 'u' ? `\\boldsymbol{\\delta}^{o}_{${t}}` : of === 'z' ? `\\boldsymbol{\\delta}_{${t}}` : `\\boldsymbol{\\delta}'_{${t}}`),
  }),
  // seed 003: h^{[t]} = tanh(W_x x^{[t]} + b_x + W_h h^{[t-1]} + b_h), y^{[t]} = W_y h^{[t]} + b_y, p^{[t]} = softmax(y^{[t]})
  'seed-003': () => ({
    time: 'sup',
    families: { x: { letter: 'x' }, z: { letter: 'z' }, h: { letter: 'h' }, u: { letter: 'y' }, y: { letter: 'p' }, t: { letter: 'l' }, e: { letter: 'E' } },
    params: {
      W1: param('W_x', 'w', '', 'x,'), H1: param('W_h', 'w', '', 'h,'), W2: param('W_y', 'w', '', 'y,'),
      b1: param('b_x', 'b', '', 'x,'), bh: param('b_h', 'b', '', 'h,'), b2: param('b_y', 'b', '', 'y,'),
    },
    delta: (of, t) => (of === 'u' ? `\\boldsymbol{\\delta}_y^{[${t}]}` : of === 'z' ? `\\boldsymbol{\\delta}^{[${t}]}` : `\\boldsymbol{\\delta}_2^{[${t}]}`),
  }),
  // the problem's own names with the step as a subscript: h_{2,1}, and h_2 for a one-unit layer
  rnn: () => ({ time: 'sub', families: {}, params: {} }),
};

export const RNN_NOTATIONS = Object.keys(PRESETS);

const TIME_ROLES: readonly Role[] = ['x', 'z', 'h', 'z2', 's', 'u', 'y', 't', 'e'];
const bold = (letter: string): string => (/^[A-Za-z]$/.test(letter) ? `\\mathbf{${letter}}` : `\\boldsymbol{${letter}}`);

/** LaTeX names of one RNN's tensors, vectors per step, elements and deltas. */
export class RnnTex {
  private readonly preset: Preset;
  constructor(private readonly layout: RnnLayout, notation: string | undefined, private readonly symbols: Readonly<Record<string, string>> = layout.symbols) {
    this.preset = (PRESETS[notation ?? 'rnn'] ?? PRESETS.rnn!)(layout.spec.stacked);
  }

  private family(role: Role): Family {
    const name = this.layout.spec.names[role];
    return this.preset.families[role] ?? { letter: this.symbols[name] ?? defaultScalarName(name) };
  }

  /** where the step goes: s_t, z^{[1]}_{(t)}, h^{[t]}; `unit` appended for one element */
  private timed(base: string, f: Family, t: string | null, unit: string | null): string {
    const layer = f.layer ? `^{${f.layer}}` : '';
    const sub = [t === null ? null : this.preset.time === 'paren' ? `(${t})` : this.preset.time === 'sub' ? t : null, unit].filter((p) => p !== null);
    const sup = this.preset.time === 'sup' && t !== null ? `^{[${t}]}` : layer;
    return `{${base}}${sup}${sub.length ? `_{${sub.join(',')}}` : ''}`;
  }

  /** The vector of a time-indexed role at step t (t = 0: the initial state); scalars (e, E) unbolded. */
  atStep(role: Role, t: number | string): string {
    const f = this.family(role);
    const scalar = role === 'e' || this.unitCount(role) === 1;
    return this.timed(scalar ? f.letter : bold(f.letter), f, String(t), null);
  }

  /** A whole tensor, as the Namer asks for it. */
  tensor(role: Role): string {
    if (role === 'h0') return this.atStep('h', 0);
    if (role === 's0') return this.atStep('s', 0);
    if (role === 'E') return this.symbols[this.layout.spec.names.E] ?? defaultScalarName(this.layout.spec.names.E);
    if (TIME_ROLES.includes(role)) { const f = this.family(role); return this.timed(role === 'e' || this.unitCount(role) === 1 ? f.letter : bold(f.letter), f, null, null); }
    // a one-element parameter of a scalar RNN is a scalar: w_s, not a bold matrix
    if (shapeOf(this.layout.spec, role).every((n) => n === 1)) return this.element(role, shapeOf(this.layout.spec, role).map(() => 1));
    const p = this.preset.params[role];
    if (p) return p.whole;
    const name = this.layout.spec.names[role];
    return this.symbols[name] ?? defaultTensorName(name, shapeOf(this.layout.spec, role));
  }

  /** One element of a tensor by its graph index (time first). */
  element(role: Role, index: readonly number[]): string {
    const spec = this.layout.spec;
    const unitOf = (i: number | undefined) => (i === undefined || this.unitCount(role) === 1 ? null : String(i));
    switch (role) {
      case 'h0': case 's0': { const f = this.family(role === 'h0' ? 'h' : 's'); return this.timed(f.letter, f, '0', unitOf(index[0])); }
      case 'E': return this.tensor('E');
      case 'e': return this.timed(this.family('e').letter, this.family('e'), String(index[0]), null);
      case 'u': case 'y': case 't':
        if (spec.mode === 'many-to-one') return this.timed(this.family(role).letter, this.family(role), String(spec.steps), unitOf(index[0]));
        return this.timed(this.family(role).letter, this.family(role), String(index[0]), unitOf(index[1]));
      case 'x': case 'z': case 'h': case 'z2': case 's':
        return this.timed(this.family(role).letter, this.family(role), String(index[0]), unitOf(index[1]));
      default: {
        const single = index.every((i) => i === 1) && shapeOf(spec, role).every((n) => n === 1);
        const sub = single ? null : index.some((i) => i >= 10) ? index.join(',') : index.join('');
        const p = this.preset.params[role];
        if (p) return p.element(sub);
        const name = spec.names[role];
        const sym = this.symbols[name];
        if (single) return sym ?? defaultScalarName(name);
        return sym ? `{${sym}}_{${sub}}` : defaultElementName(name, index);
      }
    }
  }

  /** The delta of a pre-activation at step t: dE/dz_t, dE/dz2_t, dE/du_t. */
  delta(of: DeltaOf, t: number | string): string {
    if (this.preset.delta) return this.preset.delta(of, String(t));
    const f = this.family(of);
    return `\\boldsymbol{\\delta}^{${f.letter}}_{${t}}`;
  }

  /** units of the vector a time-indexed role holds per step */
  private unitCount(role: Role): number {
    const s = this.layout.spec.sizes;
    switch (role) {
      case 'x': return s.input;
      case 'z': case 'h': case 'h0': return s.hidden;
      case 'z2': case 's': case 's0': return s.hidden2;
      case 'u': case 'y': case 't': return s.output;
      default: return 1;
    }
  }
}

function presetFor(name: string): NotationPreset {
  return (tensor: string, index: readonly number[], graph: Graph): string | undefined => {
    const layout = layoutOf(graph);
    const role = layout?.roleOf.get(tensor);
    if (!layout || !role) return undefined;
    const tex = new RnnTex(layout, name);
    return index.length === 0 ? tex.tensor(role) : tex.element(role, index);
  };
}

/** The rnn kind's typesetting presets, by the name a problem gives under `notation`. */
export const RNN_PRESETS: Readonly<Record<string, NotationPreset>> = Object.fromEntries(RNN_NOTATIONS.map((n) => [n, presetFor(n)]));
