/**
 * The sheets of a network written as tensor equations, as a textbook sets a
 * matrix-form solution: the equations with their shapes, the forward pass
 * with vector and matrix values, the backward pass as named adjoints (each
 * with the rules that produced it, and the fact about the targets where it
 * was used), the gradients in matrix form with their values, and the checks.
 */
import type { Solution } from '../derive/solve.js';
import { matrixFormExpr, sequenceCases } from '../derive/tensor-json.js';
import type { TensorGradient, TensorPass, TensorSolution } from '../derive/tensor-solve.js';
import { sizeOf, type StepRef, type TExpr } from '../expr/tensor.js';
import { stack, type Tensor } from '../expr/tensor-value.js';
import type { SheetBlock, SheetSection } from '../tex/sheet-blocks.js';
import { printT } from '../ops/tensor-print.js';
import { TOPS } from '../ops/tensor-ops.js';
import { latexNumber, latexRational } from '../tex/format.js';
import { LINE_WIDTH, visibleLength } from '../tex/breaking.js';
import { TensorNamer } from '../tex/tensor-names.js';
import { inlineValue, valueBlocks, type Fmt } from '../tex/tensor-values.js';
import type { StateJacobianNorms } from '../diff/state-jacobian.js';
import type { SheetModel } from './sheet.js';

/** Steps of a sequence shown in full before the middle ones are left out. */
const STEPS_SHOWN = 8;

export function tensorSheetModel(sol: Solution): SheetModel {
  const ts = sol.tensor!;
  const p = sol.problem;
  const namer = new TensorNamer(ts.network.graph, p.symbols);
  // a value that is a short decimal up to rounding error prints as that decimal (0.7, not 0.7000)
  const fmt: Fmt = (x) => latexNumber(nearShort(x, p.precision), p.precision);
  const network = networkSection(ts, namer);
  const given = givenSection(sol, ts, namer);
  const asked = askedSection(sol, ts, namer);
  const solution: SheetSection[] = [network, given];
  const forward = forwardSection(sol, ts, namer, fmt);
  if (forward) solution.push(forward);
  for (const pass of ts.passes) solution.push(backwardSection(ts, pass, namer, fmt));
  const grads = ts.gradients.filter((g) => g.asked);
  if (grads.length) solution.push(gradientSection(ts, grads, namer, fmt));
  const norms = ts.stateNorms ? stateNormSection(ts.stateNorms, namer, fmt) : null;
  if (norms) solution.push(norms);
  if (ts.updates) solution.push(updateSection(sol, ts, namer, fmt));
  solution.push(checkSection(sol, ts));
  if (sol.published) solution.push(publishedSection(sol, namer, fmt));
  return { id: p.id, title: p.title, statement: p.statement, problem: [network, given, asked], solution };
}

/** x, or the number it rounds to at `precision` figures when that differs from x only by float rounding. */
function nearShort(x: number, precision: number): number {
  const r = Number(x.toPrecision(precision));
  return Math.abs(r - x) <= 1e-12 * Math.max(1, Math.abs(x)) ? r : x;
}

/** Ops whose backward rule teaches something (the others are sums, products and index bookkeeping). */
const TEACHING_RULES = new Set(['matmul', 'softmax', 'logsumexp', 'log', 'exp', 'div', 'sigmoid', 'tanh', 'relu', 'softplus', 'sqrt', 'abs', 'max', 'conv', 'maxpool', 'avgpool', 'norm', 'transpose']);

const latexOf = (e: TExpr, namer: TensorNamer, base: 't' | 'T' = 't'): string => printT(e, namer.style(base));

function networkSection(ts: TensorSolution, namer: TensorNamer): SheetSection {
  const g = ts.network.graph;
  const lines: string[] = [];
  const defined = g.order.filter((name) => g.nodes.get(name)!.def);
  // a chain 6,000 layers deep has 6,000 equations of one form: the first ones, then the count
  for (const name of defined.slice(0, MAX_EQUATIONS)) {
    const n = g.nodes.get(name)!;
    lines.push(...equationLines(namer.node(name, n.seq ? { kind: 'rel', offset: 0 } : null), latexOf(n.def!, namer)));
  }
  const blocks: SheetBlock[] = [
    { kind: 'text', text: `Vectors are columns; $\\odot$ is the elementwise product${g.steps ? `; $t = 1, \\ldots, ${g.steps}$ is the step` : ''}.` },
    { kind: 'math', latex: aligned(lines) },
  ];
  if (defined.length > MAX_EQUATIONS) {
    const last = defined[defined.length - 1]!;
    blocks.push({ kind: 'text', text: `${defined.length - MAX_EQUATIONS} more equations follow, the last:` }, { kind: 'math', latex: aligned(equationLines(namer.node(last), latexOf(g.nodes.get(last)!.def!, namer))) });
  }
  const shapes = [...g.nodes.values()].filter((n) => n.shape.length > 0).map((n) => `${namer.node(n.name, n.seq ? { kind: 'rel', offset: 0 } : null)} \\in \\mathbb{R}^{${n.shape.join('\\times ')}}`);
  if (shapes.length) blocks.push({ kind: 'text', text: 'Shapes:' }, { kind: 'math', latex: wrapList(shapes) });
  const inits = [...g.nodes.values()].filter((n) => n.initial).map((n) => `$${namer.node(n.name, { kind: 'abs', step: 0 })} = ${namer.node(n.initial!)}$`);
  if (inits.length) blocks.push({ kind: 'text', text: `The sequences start from the given ${inits.join(', ')}.` });
  const targets = [...g.nodes.values()].filter((n) => n.role === 'target');
  if (targets.length) blocks.push({ kind: 'text', text: `Targets (given labels, never differentiated): ${targets.map((n) => `$${namer.node(n.name)}$ (${n.targetKind})`).join(', ')}.` });
  return { title: 'The network', blocks };
}

function givenSection(sol: Solution, ts: TensorSolution, namer: TensorNamer): SheetSection {
  const g = ts.network.graph;
  const blocks: SheetBlock[] = [];
  const leaves = [...ts.network.leaves];
  for (const [name, v] of leaves.slice(0, MAX_EQUATIONS)) {
    const n = g.nodes.get(name)!;
    const entry = sol.problem.given.get(name);
    const init = entry?.value.kind === 'init' ? entry.value : null;
    const fmt: Fmt = (x) => latexNumber(x, 6);
    if (n.seq) blocks.push(...sequenceBlocks(namer, name, v, g.steps!, n.shape, fmt));
    else blocks.push(...valueBlocks(namer.node(name), v, fmt));
    if (init) blocks.push({ kind: 'text', text: `(${init.dist === 'uniform' ? `uniform on [${init.a.toNumber()}, ${init.b.toNumber()}]` : `normal with mean ${init.a.toNumber()} and deviation ${init.b.toNumber()}`}, on a grid of ${init.step.toNumber()}, seed ${init.seed}.)` });
  }
  if (leaves.length > MAX_EQUATIONS) blocks.push({ kind: 'text', text: `${leaves.length - MAX_EQUATIONS} more given values are not listed here; the problem file and answers.json have all of them.` });
  return { title: 'Given values', blocks: blocks.length ? blocks : [{ kind: 'text', text: 'No numeric values are given.' }] };
}

function askedSection(sol: Solution, ts: TensorSolution, namer: TensorNamer): SheetSection {
  const blocks: SheetBlock[] = [];
  const g = ts.network.graph;
  const forward = sol.problem.ask.flatMap((a) => (a.kind === 'forward' ? a.names : []));
  if (forward.length) blocks.push({ kind: 'text', text: `Compute the forward pass: ${forward.map((n) => `$${askedName(g, namer, n)}$`).join(', ')}.` });
  for (const tg of ts.gradients.filter((x) => x.asked)) {
    const up = tg.upstream ? ` for the upstream gradient $${namer.node(tg.upstream)} = \\partial L/\\partial ${namer.node(tg.of)}$` : '';
    blocks.push({ kind: 'text', text: `Compute $${partial(tg.upstream ? 'L' : namer.node(tg.of), askedName(g, namer, tg.wrt))}$${up}.` });
  }
  if (ts.updates && sol.updateRate) blocks.push({ kind: 'text', text: `Perform one step of gradient descent with learning rate $${latexRational(sol.updateRate) ?? sol.updateRate.toNumber()}$ on ${[...ts.updates.keys()].map((n) => `$${namer.node(n)}$`).join(', ')}.` });
  return { title: 'Questions', blocks };
}

/** A name as asked (`h[2]`, `W1[2,3]`), typeset. */
function askedName(g: TensorSolution['network']['graph'], namer: TensorNamer, asked: string): string {
  const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[([\d,\s]+)\])?$/.exec(asked.replace(/\s+/g, ''));
  if (!m) return asked;
  const n = g.nodes.get(m[1]!);
  if (!m[2] || !n) return n?.seq ? namer.node(m[1]!) : namer.node(m[1]!);
  const idx = m[2].split(',');
  if (n.seq) {
    const at = namer.node(m[1]!, { kind: 'abs', step: Number(idx[0]) });
    return idx.length > 1 ? `(${at})_{${idx.slice(1).join(',')}}` : at;
  }
  return `(${namer.node(m[1]!)})_{${idx.join(',')}}`;
}

function forwardSection(sol: Solution, ts: TensorSolution, namer: TensorNamer, fmt: Fmt): SheetSection | null {
  const g = ts.network.graph;
  const asked = new Set(sol.problem.ask.flatMap((a) => (a.kind === 'forward' ? a.names.map((n) => n.replace(/\[.*$/, '')) : [])));
  if (asked.size === 0) return null;
  const blocks: SheetBlock[] = [];
  for (const name of g.order) {
    const n = g.nodes.get(name)!;
    if (!n.def || !asked.has(name)) continue;
    if (n.seq) {
      blocks.push({ kind: 'math', latex: `${namer.node(name, { kind: 'rel', offset: 0 })} = ${latexOf(n.def, namer)}` });
      blocks.push(...sequenceBlocks(namer, name, stack(ts.forward.seq.get(name)!, n.shape), g.steps!, n.shape, fmt));
      continue;
    }
    const v = ts.forward.values.get(name)!;
    const lhs = namer.node(name);
    const def = latexOf(n.def, namer);
    const inline = inlineValue(v, fmt);
    if (inline !== null) blocks.push({ kind: 'math', latex: equation(lhs, def, inline) });
    else blocks.push({ kind: 'math', latex: equation(lhs, def, null) }, ...valueBlocks(lhs, v, fmt));
  }
  return { title: 'Forward pass', blocks };
}

/** A sequence's values step by step: a table when each step is a short vector, else step by step (the middle left out when long). */
function sequenceBlocks(namer: TensorNamer, name: string, v: Tensor, steps: number, inner: readonly number[], fmt: Fmt, adjoint = false): SheetBlock[] {
  const label = (step: StepRef) => (adjoint ? namer.adjoint(name, step) : namer.node(name, step));
  const size = sizeOf(inner);
  const at = (t: number): Tensor => ({ shape: inner, data: v.data.slice((t - 1) * size, t * size) });
  const shownSteps = steps <= STEPS_SHOWN ? [...Array(steps).keys()].map((i) => i + 1) : [1, 2, 3, steps - 2, steps - 1, steps];
  const out: SheetBlock[] = [];
  if (size <= 6) {
    const rows = shownSteps.map((t) => [String(t), [...at(t).data].map(fmt).join(',\\ ')]);
    out.push({ kind: 'table', header: ['t', size === 1 ? 'value' : 'value (as a row)'], rows: rows.map(([t, r]) => [t!, size === 1 ? `${label({ kind: 'abs', step: Number(t) })} = ${r}` : `${label({ kind: 'abs', step: Number(t) })}^{\\top} = (${r})`]) });
  } else {
    for (const t of shownSteps) out.push(...valueBlocks(label({ kind: 'abs', step: t }), at(t), fmt));
  }
  if (shownSteps.length < steps) out.push({ kind: 'text', text: `Steps 4 to ${steps - 3} are left out here; every step is in the JSON output.` });
  return out;
}

/** Most named adjoints one backward section lists. */
const MAX_DELTAS = 40;
/** Most equations the network section, and most given tensors the given section, list. */
const MAX_EQUATIONS = 40;

function backwardSection(ts: TensorSolution, pass: TensorPass, namer: TensorNamer, fmt: Fmt): SheetSection {
  const g = ts.network.graph;
  const ofL = namer.node(pass.of);
  const blocks: SheetBlock[] = [];
  blocks.push({
    kind: 'text',
    text: pass.upstream
      ? `The backward pass from the given upstream gradient $${namer.adjoint(pass.of)} = ${namer.node(pass.upstream)}$. Each adjoint $\\boldsymbol{\\delta}_n = \\partial L/\\partial n$ is the sum over the nodes that use $n$.`
      : `The backward pass: each adjoint $\\boldsymbol{\\delta}_n = \\partial ${ofL}/\\partial n$ is the sum over the nodes that use $n$${g.steps ? ', and a sequence\'s adjoint at step $t$ also collects what step $t+1$ sends back' : ''}.`,
  });
  for (const t of pass.forms.factsUsed) {
    blocks.push({ kind: 'text', text: `The target $${namer.node(t)}$ is ${g.nodes.get(t)!.targetKind === 'one-hot' ? 'one-hot' : 'a distribution'}: each of its rows sums to 1, so $\\textstyle\\sum_k ${namer.plain(t)}_k = 1$. The softmax's backward rule uses this, which is why its delta reads as a difference.` });
  }
  if (pass.forms.deltas.size === 0) blocks.push({ kind: 'text', text: 'Every adjoint is used once and is written directly into the gradients below.' });
  // a chain 10,000 layers deep names 10,000 adjoints: the sheet shows the first ones (every value is in derive --json)
  const shown = [...pass.forms.deltas].slice(0, MAX_DELTAS);
  for (const [name, e] of shown) {
    const n = g.nodes.get(name)!;
    if (!n.seq) {
      blocks.push({ kind: 'math', latex: equation(namer.adjoint(name), latexOf(e, namer), inlineValue(pass.values.values.get(name)!, fmt)) });
      if (!inlineValue(pass.values.values.get(name)!, fmt)) blocks.push(...valueBlocks(namer.adjoint(name), pass.values.values.get(name)!, fmt));
    } else {
      const cases = sequenceCases(g, e).map(([label, form]): string => {
        const base = label === 'T' ? 'T' : 't';
        const step = label === 'T' ? { kind: 'rel' as const, offset: 0 } : label === 't' ? { kind: 'rel' as const, offset: 0 } : { kind: 'abs' as const, step: Number(label) };
        const note = label === 't' && g.steps! > 1 && sequenceCases(g, e).some(([l]) => l === 'T') ? '\\quad (t < T)' : '';
        return equationLines(namer.adjoint(name, step, base), latexOf(form, namer, base)).join(' \\\\ ') + note;
      });
      blocks.push({ kind: 'math', latex: `\\begin{aligned}${cases.join(' \\\\ ')}\\end{aligned}` });
      blocks.push(...sequenceBlocks(namer, name, stack(pass.values.seq.get(name)!, n.shape), g.steps!, n.shape, fmt, true));
    }
    const rules = (pass.forms.rules.get(name) ?? []).filter((op) => TEACHING_RULES.has(op)).map((op) => TOPS[op]?.rule).filter((r): r is string => !!r);
    if (rules.length) blocks.push({ kind: 'text', text: `Rules used: ${[...new Set(rules)].map((r) => `$${r}$`).join('; ')}.` });
  }
  const hidden = pass.forms.deltas.size - shown.length;
  if (hidden > 0) blocks.push({ kind: 'text', text: `${hidden} more adjoints follow the same way and are not listed here; derive --json has every value.` });
  return { title: pass.upstream ? `The backward pass of ${pass.of}` : `The backward pass (adjoints of ${pass.of})`, blocks };
}

function gradientSection(ts: TensorSolution, grads: readonly TensorGradient[], namer: TensorNamer, fmt: Fmt): SheetSection {
  const g = ts.network.graph;
  const blocks: SheetBlock[] = [];
  for (const tg of grads) {
    const lhs = partial(tg.upstream ? 'L' : namer.node(tg.of), askedName(g, namer, tg.wrt));
    const form = matrixFormExpr(g, ts, tg);
    const formL = form ? latexOf(form, namer) : null;
    const inline = inlineValue(tg.value, fmt);
    if (formL !== null && inline !== null) blocks.push({ kind: 'math', latex: equation(lhs, formL, inline) });
    else {
      if (formL !== null) blocks.push({ kind: 'math', latex: equation(lhs, formL, null) });
      const n = g.nodes.get(tg.node)!;
      if (n.seq && tg.step === null) blocks.push(...sequenceBlocks(namer, tg.node, tg.value, g.steps!, n.shape, fmt));
      else blocks.push(...valueBlocks(lhs, tg.value, fmt));
    }
  }
  return { title: 'Gradients', blocks };
}

/**
 * Vanishing and exploding gradients (issue 14.4): ||ds_T/ds_k|| for every k,
 * where s is the recurrent state (h; for an LSTM the stacked [c; h]), as a
 * table and on a log scale. The norm is named and typeset, never raw text.
 */
function stateNormSection(norms: StateJacobianNorms, namer: TensorNamer, fmt: Fmt): SheetSection | null {
  if (norms.values.length < 2) return null;
  const T = Math.max(...norms.values.map((v) => v.k));
  // the state at the last step, or at a step named by the letter k
  const at = (k: number | 'k'): string => {
    const parts = norms.states.map((n) => (k === 'k' ? namer.node(n, { kind: 'rel', offset: 0 }, 'k') : namer.node(n, { kind: 'abs', step: k })));
    return parts.length === 1 ? parts[0]! : `\\begin{bmatrix} ${parts.join(' \\\\ ')} \\end{bmatrix}`;
  };
  const state = norms.states.length === 1 ? at('k') : `\\mathbf{s}_k = ${at('k')}`;
  const sT = norms.states.length === 1 ? at(T) : `\\mathbf{s}_{${T}}`;
  const sk = norms.states.length === 1 ? at('k') : '\\mathbf{s}_k';
  const norm = `\\left\\lVert \\frac{\\partial ${sT}}{\\partial ${sk}} \\right\\rVert_2`;
  // on one line, for the table header and the plot's axis
  const normInline = `\\lVert \\partial ${sT} / \\partial ${sk} \\rVert_2`;
  const blocks: SheetBlock[] = [
    {
      kind: 'text',
      text: norms.states.length === 1
        ? `How much of a gradient at the last step reaches step $k$: the spectral norm (largest singular value) $${norm}$ of the Jacobian of the state $${at(T)}$ with respect to $${state}$; below 1 it shrinks on its way back (vanishing), above 1 it grows (exploding).`
        : `The recurrent state is the stacked $${state}$ (every sequence read at the step before). How much of a gradient at the last step reaches step $k$: the spectral norm (largest singular value) $${norm}$; below 1 it shrinks on its way back (vanishing), above 1 it grows (exploding).`,
    },
    { kind: 'table', header: ['$k$', `$${normInline}$`, 'Frobenius norm'], rows: norms.values.map((v) => [`${v.k}`, fmt(v.spectral), fmt(v.frobenius)]) },
    {
      kind: 'figure',
      caption: `$${normInline}$ for every step $k$, on a logarithmic scale ($k = ${T}$ is the identity).`,
      figure: { type: 'plot', plot: { title: 'state Jacobian norms', xLabel: 'k', yLabel: normInline, points: norms.values.filter((v) => v.spectral > 0).map((v) => ({ x: v.k, y: v.spectral })) } },
    },
  ];
  return { title: 'Vanishing and exploding gradients', blocks };
}

function updateSection(sol: Solution, ts: TensorSolution, namer: TensorNamer, fmt: Fmt): SheetSection {
  const rate = latexRational(sol.updateRate!) ?? fmt(sol.updateRate!.toNumber());
  const blocks: SheetBlock[] = [{ kind: 'math', latex: `\\theta \\leftarrow \\theta - \\eta\\, \\nabla_{\\theta}, \\qquad \\eta = ${rate}` }];
  for (const [name, next] of ts.updates!) blocks.push(...valueBlocks(`${namer.node(name)}_{\\text{new}}`, next, fmt));
  return { title: 'One step of gradient descent', blocks };
}

function checkSection(sol: Solution, ts: TensorSolution): SheetSection {
  const c = sol.check;
  const parts: string[] = [];
  if (ts.check.directions) parts.push(`Central differences along ${ts.check.directions} random directions (three per gradient, as JAX's check_grads does) agree with the derived gradients to a relative error of at most ${ts.check.maxError.toExponential(1)}.`);
  if (c.method === 'central-difference') parts.push(`Every one of the ${c.entries} gradient entries agrees with its own central difference; the worst relative error is ${c.maxRelError.toExponential(1)}${c.worst ? ` (${c.worst})` : ''}.`);
  if (ts.scalarLevel.ran) parts.push(`The scalar level (every entry its own node, differentiated independently) agrees with these matrix forms on all ${ts.scalarLevel.compared} entries to ${ts.scalarLevel.maxAbsDiff!.toExponential(1)}.`);
  else parts.push(...ts.notes.filter((x) => x.startsWith('the scalar level')).map((x) => `${x[0]!.toUpperCase()}${x.slice(1)}.`));
  if (c.nondifferentiable.length) parts.push(`Not differentiable at this point (a ReLU or step exactly at 0, or a tie of a maximum), so left out of the check: ${c.nondifferentiable.join(', ')}.`);
  if (!c.passed) parts.push('The check FAILED.');
  return { title: 'Check', blocks: parts.map((text) => ({ kind: 'text', text })) };
}

function publishedSection(sol: Solution, namer: TensorNamer, fmt: Fmt): SheetSection {
  const pub = sol.problem.published!;
  const g = sol.tensor!.network.graph;
  const label = (what: string) => {
    const i = what.indexOf('/');
    return i > 0 ? partial(namer.node(what.slice(0, i)), askedName(g, namer, what.slice(i + 1))) : askedName(g, namer, what);
  };
  const rows = sol.published!.map((r) => [label(r.what), fmt(r.published), fmt(r.computed), r.agrees ? '\\text{yes}' : '\\text{no}']);
  return { title: `Compared with ${pub.source}`, blocks: [{ kind: 'table', header: ['quantity', 'printed in the source', 'computed here', 'agrees'], rows }] };
}

const partial = (of: string, wrt: string): string => `\\frac{\\partial ${of}}{\\partial ${wrt}}`;

function aligned(lines: readonly string[]): string {
  return lines.length ? `\\begin{aligned}${lines.join(' \\\\ ')}\\end{aligned}` : '';
}

/** `lhs = form = value` on one line when it fits, else broken. */
function equation(lhs: string, form: string, value: string | null): string {
  const one = value === null || value === form ? `${lhs} = ${form}` : `${lhs} = ${form} = ${value}`;
  if (visibleLength(one) <= LINE_WIDTH + 8) return one;
  const lines = equationLines(lhs, form);
  if (value !== null && value !== form) lines.push(`&= ${value}`);
  return aligned(lines);
}

/**
 * `lhs &= ...` as aligned lines: a long right side breaks before a `+` or `-`
 * of its outermost sum; a sum inside parentheses breaks inside them, its
 * parentheses set as \bigl( \bigr) (TeX cannot break a \left ... \right pair).
 */
export function equationLines(lhs: string, rhs: string): string[] {
  if (visibleLength(`${lhs} = ${rhs}`) <= LINE_WIDTH + 8) return [`${lhs} &= ${rhs}`];
  const pieces = splitTop(rhs);
  const lines: string[] = [];
  let cur = '';
  for (const piece of pieces) {
    if (cur && visibleLength(cur + piece) > LINE_WIDTH) { lines.push(cur); cur = piece; }
    else cur += piece;
  }
  if (cur) lines.push(cur);
  return lines.map((l, i) => (i === 0 ? `${lhs} &= ${l}` : `&\\quad ${l}`));
}

/** Pieces of a LaTeX string at its outermost `+`/`-`, opening \left( groups that are too long. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (s.startsWith('\\left', i)) { depth++; i += 4; continue; }
    if (s.startsWith('\\right', i)) { depth--; i += 5; continue; }
    if (c === '{') depth++;
    else if (c === '}') depth--;
    else if (depth === 0 && (c === '+' || c === '-') && i > start && s[i - 1] === ' ') { out.push(s.slice(start, i)); start = i; }
  }
  out.push(s.slice(start));
  // one piece too long with an outer \left( ... \right): break inside it
  return out.flatMap((p) => (visibleLength(p) > LINE_WIDTH ? openGroup(p) : [p]));
}

function openGroup(p: string): string[] {
  const i = outerLeft(p);
  if (i < 0) return [p];
  let depth = 0, j = i;
  for (; j < p.length; j++) {
    if (p.startsWith('\\left', j)) depth++;
    else if (p.startsWith('\\right', j)) { depth--; if (depth === 0) break; }
  }
  if (j >= p.length || !p.startsWith('\\right)', j)) return [p];
  const inner = p.slice(i + 6, j);
  const parts = splitTop(inner);
  if (parts.length < 2) return [p];
  parts[0] = `${p.slice(0, i)}\\bigl(${parts[0]}`;
  parts[parts.length - 1] = `${parts[parts.length - 1]}\\bigr)${p.slice(j + 7)}`;
  return parts;
}

/** The first \\left( outside every brace group, or -1. */
function outerLeft(p: string): number {
  let braces = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '{') braces++;
    else if (p[i] === '}') braces--;
    else if (braces === 0 && p.startsWith('\\left(', i)) return i;
  }
  return -1;
}

/** A long list of short items (shapes), a few per line. */
function wrapList(items: readonly string[]): string {
  const lines: string[] = [];
  let cur = '';
  for (const it of items) {
    if (cur && visibleLength(cur + it) > LINE_WIDTH) { lines.push(cur); cur = it; }
    else cur = cur ? `${cur},\\quad ${it}` : it;
  }
  if (cur) lines.push(cur);
  return lines.length > 1 ? `\\begin{gathered}${lines.join(' \\\\ ')}\\end{gathered}` : lines[0] ?? '';
}
