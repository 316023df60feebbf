/**
 * Solution-sheet sections of an RNN (LaTeX for TeX and KaTeX): the BPTT
 * recurrences in the problem's notation, the deltas and gradients per step as
 * matrices, the norms of dh_T/dh_k, and for a scalar RNN the sum over paths.
 */
import { latexNumber as texNumber } from '../../tex/format.js';
import type { SheetBlock, SheetSection } from '../core/built.js';
import type { RnnBackward } from './levels.js';
import type { ExactForms } from './exact-forms.js';
import type { StateNorm } from '../../diff/state-jacobian.js';

/** The tensor level against the scalar graph. */
export interface LayerCheck { readonly maxRelError: number; readonly compared: number; readonly worst: string | null }

/** ||d state_T / d state_k|| for one recurrent layer, rows k = 0..T. */
export interface HiddenJacobianNorms { readonly state: string; readonly role: 'h' | 's'; readonly norm: 'spectral'; readonly values: readonly StateNorm[] }
import type { RnnLayout } from './layout.js';
import type { Mat, Vec } from '../../numeric/matrix.js';
import type { DeltaOf, RnnTex } from './notation.js';
import type { PathSum } from './paths.js';
import type { Role } from './spec.js';

export function texMatrix(m: Mat | Vec, precision: number): string {
  const rows: Mat = Array.isArray(m[0]) ? (m as Mat) : (m as Vec).map((v) => [v]);
  if (rows.length === 1 && rows[0]!.length === 1) return texNumber(rows[0]![0]!, precision);
  return `\\begin{pmatrix} ${rows.map((r) => r.map((v) => texNumber(v, precision)).join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
}

const aligned = (lines: string[]): string => `\\begin{aligned} ${lines.join(' \\\\ ')} \\end{aligned}`;
/** Lines aligned at their first ' = ' (lines that already carry an & are left alone). */
const alignedAtEquals = (lines: string[]): string => aligned(lines.map((l) => (l.includes('&') ? l : l.replace(' = ', ' &= '))));
/** X^T, braced so that a name with its own superscript (W^{[2]}) stays valid */
const tr = (x: string): string => `{${x}}^{\\top}`;

/** f'(pre-activation) at step t, in the textbook form of the activation. */
function derivativeTex(layout: RnnLayout, tex: RnnTex, pre: 'z' | 'z2', t: string): string {
  const state: Role = pre === 'z' ? 'h' : 's';
  switch (layout.spec.hidden) {
    case 'tanh': return `\\left(1 - \\tanh^2 ${tex.atStep(pre, t)}\\right)`;
    case 'sigmoid': return `${tex.atStep(state, t)} \\circ \\left(1 - ${tex.atStep(state, t)}\\right)`;
    case 'relu': return `\\operatorname{step}\\left(${tex.atStep(pre, t)}\\right)`;
  }
}

function outputDeltaTex(layout: RnnLayout, tex: RnnTex, t: string): { latex: string; note: string } {
  const s = layout.spec, y = tex.atStep('y', t), target = tex.atStep('t', t), d = tex.delta('u', t);
  if (s.loss === 'cross-entropy') {
    return { latex: `${d} = ${y} - ${target}`, note: s.output === 'softmax'
      ? 'softmax with cross-entropy: the softmax Jacobian and the 1/y of the logarithm cancel (the target sums to 1)'
      : 'sigmoid with binary cross-entropy: y(1 - y) cancels against the logarithms' };
  }
  const c = s.loss === 'squared-error' ? '2\\left(' : '';
  const diff = c ? `${c}${y} - ${target}\\right)` : `${y} - ${target}`;
  switch (s.output) {
    case 'identity': return { latex: `${d} = ${diff}`, note: 'identity output: dy/du = 1' };
    case 'sigmoid': return { latex: `${d} = ${c ? diff : `\\left(${diff}\\right)`} \\circ ${y} \\circ \\left(1 - ${y}\\right)`, note: "sigmoid output: sigmoid'(u) = y (1 - y)" };
    case 'softmax': return { latex: `${d} = \\left(\\operatorname{diag}(${y}) - ${y}${tr(y)}\\right)${c ? diff : `\\left(${diff}\\right)`}`, note: 'softmax output: its Jacobian is diag(y) - y y^T' };
  }
}

/** The general recurrences and gradient sums, in the problem's notation. */
export function recurrenceSection(layout: RnnLayout, tex: RnnTex): SheetSection {
  const s = layout.spec;
  const m2m = s.mode === 'many-to-many';
  const L = s.stacked;
  const top: DeltaOf = L === 2 ? 'z2' : 'z';
  const W = (r: Role) => tex.tensor(r);
  const T = (r: Role) => tr(tex.tensor(r));
  const out = outputDeltaTex(layout, tex, 't');
  const lines = [`${out.latex}${m2m ? '' : ',\\quad t = T \\text{ only}'}`];
  const topH: Role = L === 2 ? 'H3' : 'H1';
  lines.push(`${tex.delta(top, 'T')} = \\left(${T('W2')} ${tex.delta('u', 'T')}\\right) \\circ ${derivativeTex(layout, tex, top, 'T')}`);
  const fromOut = m2m ? `${T('W2')} ${tex.delta('u', 't')} + ` : '';
  lines.push(`${tex.delta(top, 't')} = \\left(${fromOut}${T(topH)} ${tex.delta(top, 't+1')}\\right) \\circ ${derivativeTex(layout, tex, top, 't')},\\quad t = T-1, \\dots, 1`);
  if (L === 2) {
    lines.push(`${tex.delta('z', 'T')} = \\left(${T('W3')} ${tex.delta('z2', 'T')}\\right) \\circ ${derivativeTex(layout, tex, 'z', 'T')}`);
    lines.push(`${tex.delta('z', 't')} = \\left(${T('W3')} ${tex.delta('z2', 't')} + ${T('H1')} ${tex.delta('z', 't+1')}\\right) \\circ ${derivativeTex(layout, tex, 'z', 't')}`);
  }
  const sum = '\\sum_{t=1}^{T}';
  const E = tex.tensor('E');
  const grad = (r: Role) => `\\frac{\\partial ${E}}{\\partial ${W(r)}}`;
  const topState: Role = L === 2 ? 's' : 'h';
  const g: string[] = [
    `${grad('W1')} = ${sum} ${tex.delta('z', 't')}\\, ${tr(tex.atStep('x', 't'))}`,
    `${grad('H1')} = ${sum} ${tex.delta('z', 't')}\\, ${tr(tex.atStep('h', 't-1'))}`,
  ];
  if (s.bias) g.push(`${grad('b1')} = ${sum} ${tex.delta('z', 't')}`);
  if (s.recurrentBias) g.push(`${grad('bh')} = ${sum} ${tex.delta('z', 't')}`);
  if (L === 2) {
    g.push(`${grad('W3')} = ${sum} ${tex.delta('z2', 't')}\\, ${tr(tex.atStep('h', 't'))}`);
    g.push(`${grad('H3')} = ${sum} ${tex.delta('z2', 't')}\\, ${tr(tex.atStep('s', 't-1'))}`);
    if (s.bias) g.push(`${grad('b3')} = ${sum} ${tex.delta('z2', 't')}`);
  }
  g.push(m2m ? `${grad('W2')} = ${sum} ${tex.delta('u', 't')}\\, ${tr(tex.atStep(topState, 't'))}` : `${grad('W2')} = ${tex.delta('u', 'T')}\\, ${tr(tex.atStep(topState, 'T'))}`);
  if (s.bias) g.push(m2m ? `${grad('b2')} = ${sum} ${tex.delta('u', 't')}` : `${grad('b2')} = ${tex.delta('u', 'T')}`);
  const deltaDefs = [`${tex.delta('u', 't')} = \\frac{\\partial ${E}}{\\partial ${tex.atStep('u', 't')}}`, `${tex.delta('z', 't')} = \\frac{\\partial ${E}}{\\partial ${tex.atStep('z', 't')}}`];
  if (L === 2) deltaDefs.push(`${tex.delta('z2', 't')} = \\frac{\\partial ${E}}{\\partial ${tex.atStep('z2', 't')}}`);
  const blocks: SheetBlock[] = [
    { kind: 'text', text: 'Backpropagation through time: the deltas are the derivatives of the loss with respect to the pre-activations, computed from the last step backwards. A delta at step t collects the error of its own output and the error passed back from step t + 1 through the recurrent weights.' },
    { kind: 'math', latex: alignedAtEquals(deltaDefs) },
    { kind: 'math', latex: alignedAtEquals(lines) },
    { kind: 'text', text: `${out.note}. With column vectors a delta travels back through the transposed weights, and the activation's derivative multiplies elementwise (diag(f'(z_t)) on the left of the column vector); in the row-vector layout the same product is written delta H diag(f'(z_t)), with the diagonal on the right.` },
    { kind: 'text', text: 'The weights are shared by all steps, so each gradient is a sum over time of outer products:' },
    { kind: 'math', latex: alignedAtEquals(g) },
  ];
  return { title: 'Backpropagation through time', blocks };
}

/** A matrix or vector of LaTeX entries (a single entry stands alone). */
function texEntries(m: readonly string[][] | readonly string[]): string {
  const rows = (Array.isArray(m[0]) ? m : (m as string[]).map((v) => [v])) as string[][];
  if (rows.length === 1 && rows[0]!.length === 1) return rows[0]![0]!;
  return `\\begin{pmatrix} ${rows.map((r) => r.join(' & ')).join(' \\\\ ')} \\end{pmatrix}`;
}

/** The deltas per step (t = T..1) and each gradient matrix, exact where given, with the check against the scalar graph. */
export function stepsSection(layout: RnnLayout, tex: RnnTex, b: RnnBackward, of: { text: string; latex: string }, precision: number,
  check: LayerCheck, exact: ExactForms | null): SheetSection {
  const ofLatex = of.latex;
  const s = layout.spec;
  const line = (lhs: string, value: Mat | Vec, form: readonly string[][] | readonly string[] | null | undefined) => {
    const dec = texMatrix(value, precision);
    const ex = form ? texEntries(form) : null;
    return `${lhs} &= ${ex && ex !== dec ? `${ex} \\approx ${dec}` : dec}`;
  };
  const lines: string[] = [];
  for (let t = s.steps; t >= 1; t--) {
    const d = b.deltaOut[t - 1];
    if (d) lines.push(line(tex.delta('u', t), d, exact?.deltaOut[t - 1]));
    if (b.delta2) lines.push(line(tex.delta('z2', t), b.delta2[t - 1]!, exact?.delta2?.[t - 1]));
    lines.push(line(tex.delta('z', t), b.delta1[t - 1]!, exact?.delta1[t - 1]));
  }
  const grads = s.roles.filter((r) => b.grads[r])
    .map((r) => line(`\\frac{\\partial ${ofLatex}}{\\partial ${tex.tensor(r)}}`, b.grads[r]!, exact?.grads[r]));
  const steps = b.lossSteps.length === s.steps ? 'every step' : `step${b.lossSteps.length > 1 ? 's' : ''} ${b.lossSteps.join(', ')}`;
  const where: SheetBlock[] = exact?.shorthands.length ? [
    { kind: 'text', text: 'Exact forms, with these shorthands for the pieces they repeat:' },
    { kind: 'math', latex: aligned(exact.shorthands.map((d) => `${d.latex} &= ${d.definition} \\approx ${texNumber(d.value, precision)}`)) },
  ] : [];
  return {
    title: `BPTT step by step for ${of.text}`,
    blocks: [
      ...where,
      { kind: 'text', text: `Deltas from the last step backwards (the loss terms of ${steps}):` },
      { kind: 'math', latex: aligned(lines) },
      { kind: 'text', text: 'Gradients, summed over the steps:' },
      { kind: 'math', latex: aligned(grads) },
      { kind: 'text', text: `Check: these matrix-form values (the tensor level) agree with the scalar graph's gradients, entry by entry, ${check.maxRelError === 0 ? 'exactly' : `to within ${check.maxRelError.toExponential(1)}`} (${check.compared} entries compared).` },
    ],
  };
}

/** f'(z_j) in the textbook form of the hidden activation, for the Jacobian product. */
function slopeTex(layout: RnnLayout, tex: RnnTex, role: 'h' | 's', j: string): string {
  const pre = role === 'h' ? 'z' : 'z2';
  switch (layout.spec.hidden) {
    case 'tanh': return `1 - \\tanh^2 ${tex.atStep(pre, j)}`;
    case 'sigmoid': return `${tex.atStep(role, j)} \\circ \\left(1 - ${tex.atStep(role, j)}\\right)`;
    case 'relu': return `\\operatorname{step}\\left(${tex.atStep(pre, j)}\\right)`;
  }
}

export function jacobianSection(layout: RnnLayout, tex: RnnTex, norms: readonly HiddenJacobianNorms[], T: number, precision: number): SheetSection {
  const blocks: SheetBlock[] = [];
  for (const n of norms) {
    const role = n.role;
    const J = `\\frac{\\partial ${tex.atStep(role, 'T')}}{\\partial ${tex.atStep(role, 'k')}}`;
    const H = tex.tensor(role === 'h' ? 'H1' : 'H3');
    const D = (j: string): string => `\\operatorname{diag}\\left(${slopeTex(layout, tex, role, j)}\\right) ${H}`;
    blocks.push({
      kind: 'text',
      text: `The error that reaches step $k$ from step $T = ${T}$ is multiplied by the Jacobian of the state $${tex.atStep(role, 'T')}$ with respect to $${tex.atStep(role, 'k')}$, a product of one factor per step (the chain rule through $${tex.atStep(role, 'k+1')}, \\dots, ${tex.atStep(role, 'T')}$):`,
    });
    blocks.push({ kind: 'math', latex: `${J} = \\prod_{j=k+1}^{T} \\frac{\\partial ${tex.atStep(role, 'j')}}{\\partial ${tex.atStep(role, 'j-1')}} = ${D('T')} \\cdots ${D('k+1')}` });
    blocks.push({
      kind: 'text',
      text: 'Its spectral norm $\\lVert \\cdot \\rVert_2$ (the largest singular value: the most the product can stretch a vector) shrinks or grows roughly geometrically in $T - k$: the gradient vanishes or explodes. The Frobenius norm $\\lVert \\cdot \\rVert_F$ (the square root of the sum of the squares of the entries) is given beside it.',
    });
    const Jn = `\\frac{\\partial ${tex.atStep(role, T)}}{\\partial ${tex.atStep(role, 'k')}}`;
    blocks.push({
      kind: 'table',
      header: ['$k$', `$\\left\\lVert ${Jn} \\right\\rVert_2$`, `$\\left\\lVert ${Jn} \\right\\rVert_F$`],
      rows: n.values.map((v) => [String(v.k), texNumber(v.spectral, precision), texNumber(v.frobenius, precision)]),
    });
  }
  return { title: 'Vanishing and exploding gradients', blocks };
}

export function pathSection(ps: PathSum, ofLatex: string, wrtLatex: string, graphValue: number | undefined, precision: number): SheetSection {
  // titles are plain text (the renderer escapes them); the math is in the blocks
  const chain = (t: PathSum['terms'][number]) => t.factors.map((f) => f.latex).join('\\,');
  const lead = `\\frac{\\partial ${ofLatex}}{\\partial ${wrtLatex}}`;
  const sumLines = ps.terms.map((t, i) => `${i === 0 ? `${lead} &= ` : '&\\quad + '}${chain(t)}`);
  sumLines.push(`&= ${ps.terms.map((t) => texNumber(t.value, precision)).join(' + ').replace(/\+ -/g, '- ')} = ${texNumber(ps.total, precision)}`);
  const factor = (v: number) => (v < 0 ? `\\left(${texNumber(v, precision)}\\right)` : texNumber(v, precision));
  const rows = ps.terms.map((t, i) => [String(i + 1), t.factors.map((f) => factor(f.value)).join(' \\cdot '), texNumber(t.value, precision)]);
  const agree = graphValue === undefined ? '' : ` The sum agrees with the gradient of the scalar graph (${texNumber(graphValue, precision)}).`;
  return {
    title: `Paths through time for d${ps.of}/d${ps.wrt}`,
    blocks: [
      { kind: 'text', text: `The weight is shared by every step, so the derivative is a sum over the ${ps.terms.length} paths from the weight to the loss; along a path the local derivatives multiply. The last factor of each path is the immediate partial (written with a +): the earlier states are held fixed.${agree}` },
      { kind: 'math', latex: aligned(sumLines) },
      { kind: 'table', header: ['path', 'factors', 'value'], rows },
    ],
  };
}
