/**
 * The view model of the two sheets: a solution turned into sections of text,
 * display math and tables. Everything here is a string; templates only lay
 * them out. The order follows a careful textbook solution: the problem
 * restated, the forward pass, each derivative (chain, local factors with
 * their rules, closed form, value), the finite-difference check, and the
 * comparison with published values.
 */
import { opSpec } from '../ops/registry.js';
import type { Solution, GradientResult, GradientEntry } from '../derive/solve.js';
import type { SheetBlock, SheetSection } from '../tex/sheet-blocks.js';
import { ancestors } from '../expr/graph.js';
import { Namer } from '../tex/names.js';
import { latexOf, partial, undoubledParens } from '../tex/latex.js';
import { latexGiven, latexNumber, latexPublished, latexRational } from '../tex/format.js';
import { leibnizPaths } from './paths.js';
import { exactForm } from './exact-form.js';
import { brokenEquation, LINE_WIDTH, visibleLength } from '../tex/breaking.js';
import { tensorSheetModel } from './tensor-sheet.js';
import { fitsInline, inlineMatrix, tensorBlocks, type TensorView } from '../tex/tensor-view.js';
import { tableParts } from './blocks.js';
import { PAGE_EM } from '../tex/width.js';
import { jacobianQuestion, jacobianSection } from './jacobian-section.js';
import { refsOf } from '../expr/expr.js';
import { elidedLatex } from '../tex/elide.js';
import type { Rational } from '../expr/rational.js';
import { familyFigure, gradientFigures, networkFigures, pathsFigure, stateNormPlot } from './sheet-figures.js';
import { kindOf, notationPreset } from '../networks/registry.js';

export interface SheetModel {
  readonly id: string;
  readonly title: string;
  readonly statement?: string;
  readonly problem: readonly SheetSection[];
  readonly solution: readonly SheetSection[];
}

/** Most lines one section lists before it summarizes (a 28x28 convolution has 784 outputs). */
export const MAX_LINES = 40;

export function sheetModel(sol: Solution): SheetModel {
  // a kind written as tensor equations brings its own sections (report) or keeps the scalar sheet where its
  // scalar level ran (chain, mlp); bare equations, and a shorthand too large for its scalar level, get the matrix-form sheet
  if (sol.tensor && !sol.network.report && !scalarSheet(sol)) return tensorSheetModel(sol);
  const p = sol.problem;
  const namer = new Namer(sol.graph, p.symbols, notationPreset(p.notation));
  const fmt = (x: number) => latexNumber(x, p.precision);
  const network = networkSection(sol, namer);
  const given = givenSection(sol, namer);
  const asked = askedSection(sol, namer);
  const solution: SheetSection[] = [network, given];
  if (sol.forward.length) solution.push(forwardSection(sol, namer, fmt));
  solution.push(...(sol.report.sections ?? []));
  // Named adjoints are defined before the gradients that use them; layered sheets print no scalar closed forms, so none are used there.
  if (sol.definitions.size && !isLayered(sol)) solution.push(definitionsSection(sol, namer));
  const families = new Set<string>();
  for (const g of sol.gradients.filter((x) => x.asked)) {
    const section = gradientSection(sol, g, namer, fmt);
    // one figure per family: at the first asked gradient of each output, the single-chain paths of all of them
    const family = families.has(g.of) ? null : familyBlock(sol, g.of, namer);
    families.add(g.of);
    solution.push(family ? { title: section.title, blocks: [family, ...section.blocks] } : section);
  }
  for (const j of sol.jacobians) solution.push(jacobianSection(sol, j, namer, fmt));
  const plots = gradientFigures(sol);
  const norms = plots.length ? null : stateNormPlot(sol);
  for (const plot of norms ? [norms] : plots) addToSection(solution, 'Vanishing and exploding gradients', plot);
  if (sol.updates) solution.push(updateSection(sol, namer, fmt));
  if (sol.table) solution.push(tableSection(sol, fmt));
  solution.push(checkSection(sol));
  if (sol.published) solution.push(publishedSection(sol, namer, fmt));
  return {
    id: p.id, title: p.title, statement: p.statement,
    problem: [network, given, ...(sol.report.problemSections ?? []), asked],
    solution,
  };
}

/** The kind teaches the chain rule on the scalar graph, and that graph was expanded and solved. */
const scalarSheet = (sol: Solution): boolean => kindOf(sol.problem.network).scalarSheet === true && sol.tensor?.scalarLevel.ran === true;

/** The kind derives at the layer level: its own sections carry the derivation, the scalar chains are not listed. */
const isLayered = (sol: Solution): boolean => kindOf(sol.problem.network).layerLevel === true;

/** A block appended to the section of that title, or a new section (one section per topic, never two of one title). */
function addToSection(sections: SheetSection[], title: string, block: SheetBlock): void {
  const i = sections.findIndex((x) => x.title === title);
  if (i < 0) sections.push({ title, blocks: [block] });
  else sections[i] = { title, blocks: [...sections[i]!.blocks, block] };
}

/** A tensor of values printed to the problem's precision. */
function valuesView(label: string, values: readonly number[], shape: readonly number[], fmt: (x: number) => string): TensorView {
  return { label, values, shape, entry: (v) => fmt(v), number: fmt };
}

/** A tensor with more elements than this is written by its first element (the others follow the same equation) and its values. */
export const SMALL_TENSOR = 4;

/** Keys grouped by tensor, in the order the tensors first appear. */
function byTensor(sol: Solution, keys: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of keys) {
    const t = sol.graph.nodes.get(k)!.tensor;
    out.set(t, [...(out.get(t) ?? []), k]);
  }
  return out;
}

const likewise = (n: number, tensor: string): string => `&\\quad \\text{and likewise for the other ${n} elements of } ${tensor}`;

function networkSection(sol: Solution, namer: Namer): SheetSection {
  const lines: string[] = [];
  let hidden = 0;
  const defined = sol.graph.order.filter((k) => sol.graph.nodes.get(k)!.def);
  for (const [tensor, keys] of byTensor(sol, defined)) {
    const shown = keys.length <= SMALL_TENSOR ? keys : keys.slice(0, 1);
    for (const k of shown) {
      if (lines.length >= MAX_LINES) { hidden++; continue; }
      lines.push(`${namer.key(k)} &= ${elidedLatex(sol.graph.nodes.get(k)!.def!, namer)}`);
    }
    if (shown.length < keys.length && lines.length < MAX_LINES) lines.push(likewise(keys.length - 1, namer.tensor(tensor)));
  }
  const blocks: SheetBlock[] = [...networkFigures(sol, namer), { kind: 'math', latex: aligned(lines) }];
  if (hidden) blocks.push({ kind: 'text', text: `(${hidden} more nodes of the same form are not listed.)` });
  return { title: 'The network', blocks };
}

/** Widest value kept in the given-values table; a wider tensor is shown below the table on its own lines. */
const TABLE_CELL_EM = PAGE_EM * 0.6;

function givenSection(sol: Solution, namer: Namer): SheetSection {
  const rows: string[][] = [];
  const below: SheetBlock[] = [];
  for (const t of sol.graph.tensors.values()) {
    if (t.role === 'intermediate' || !t.keys.every((k) => sol.leaves.has(k))) continue;
    const exact = t.keys.map((k) => sol.leaves.get(k)!);
    const view: TensorView = {
      label: t.keys.length === 1 ? namer.key(t.keys[0]!) : namer.tensor(t.name),
      values: exact.map((r) => r.toNumber()),
      shape: t.shape,
      // a given value prints as written: 0.2, not 0.2000
      entry: (_v, i) => latexGiven(exact[i]!) ?? latexNumber(exact[i]!.toNumber(), 6),
      number: (x) => latexNumber(x, sol.problem.precision),
    };
    if (fitsInline(view, TABLE_CELL_EM)) rows.push([view.label, inlineMatrix(view)]);
    else below.push(...tensorBlocks(view));
  }
  const blocks: SheetBlock[] = rows.length ? [{ kind: 'table', header: ['name', 'value'], rows }] : [];
  if (below.length) blocks.push(...(rows.length ? [{ kind: 'text' as const, text: 'Larger given values:' }] : []), ...below);
  return { title: 'Given values', blocks: blocks.length ? blocks : [{ kind: 'text', text: 'No numeric values are given.' }] };
}

function askedSection(sol: Solution, namer: Namer): SheetSection {
  const blocks: SheetBlock[] = [];
  const names = (keys: readonly string[]) => keys.map((k) => `$${namer.key(k)}$`).join(', ');
  if (sol.forward.length) blocks.push({ kind: 'text', text: `Compute the values of ${names(sol.forward.slice(0, MAX_LINES))}${sol.forward.length > MAX_LINES ? ', ...' : ''}.` });
  for (const g of sol.gradients.filter((x) => x.asked)) {
    const wrt = g.entries.length === 1 ? namer.key(g.entries[0]!.key) : namer.tensor(g.wrt);
    blocks.push({ kind: 'text', text: `Compute the gradient $${partial(namer.key(g.of), wrt)}$.` });
  }
  for (const j of sol.jacobians) blocks.push(jacobianQuestion(j, namer));
  if (sol.updates) blocks.push({ kind: 'text', text: `Perform one step of gradient descent with learning rate $${latexRational(sol.updateRate!) ?? sol.updateRate}$ on ${[...sol.updates.keys()].map((n) => `$${namer.tensor(n)}$`).join(', ')}.` });
  if (sol.table) blocks.push({ kind: 'text', text: 'Evaluate the network on every input of the table and say whether it computes the stated function.' });
  return { title: 'Questions', blocks };
}

function forwardSection(sol: Solution, namer: Namer, fmt: (x: number) => string): SheetSection {
  const needed = ancestors(sol.graph, sol.forward);
  const keys = sol.graph.order.filter((k) => needed.has(k) && sol.graph.nodes.get(k)!.def);
  const line = (k: string): string => {
    const def = sol.graph.nodes.get(k)!.def!;
    const substituted = undoubledParens(elidedLatex(def, namer, (r) => { const v = valueLatex(sol, r, fmt); return v === undefined ? undefined : paren(v); }));
    const exactR = sol.exactValues.get(k);
    const exactRational = exactR ? latexRational(exactR) : null;
    const steps = [elidedLatex(def, namer), substituted];
    if (exactRational) return stepLines(namer.key(k), steps, exactRational, false);
    const exact = sol.problem.exact ? exactLatex(sol, k, namer) : null;
    // an exact form wider than a line is left out: the decimal says the same
    if (exact && visibleLength(exact) <= LINE_WIDTH) steps.push(exact);
    return stepLines(namer.key(k), steps, fmt(sol.values.get(k)!), true);
  };
  const blocks: SheetBlock[] = [];
  let lines: string[] = [];
  let count = 0, omitted = 0;
  const flush = (): void => { if (lines.length) blocks.push({ kind: 'math', latex: aligned(lines) }); lines = []; };
  for (const [tensor, ks] of byTensor(sol, keys)) {
    const t = sol.graph.tensors.get(tensor)!;
    if (t.keys.length <= SMALL_TENSOR) {
      for (const k of ks) { if (count < MAX_LINES) { lines.push(line(k)); count++; } else omitted++; }
      continue;
    }
    // a larger tensor: its first element worked out, then every value
    lines.push(line(ks[0]!));
    flush();
    const values = t.keys.map((k) => sol.values.get(k));
    if (values.every((v): v is number => v !== undefined)) {
      blocks.push({ kind: 'text', text: `The other ${t.keys.length - 1} elements of $${namer.tensor(tensor)}$ follow the same equation; all of them:` });
      // exact short decimals as themselves (0.6, not 0.6000), like the substituted values above
      blocks.push(...tensorBlocks({ ...valuesView(namer.tensor(tensor), values, t.shape, fmt), entry: (_v, i) => valueLatex(sol, t.keys[i]!, fmt)! }));
    }
  }
  flush();
  if (omitted) blocks.push({ kind: 'text', text: `${omitted} more nodes follow the same equations and are not listed.` });
  return { title: 'Forward pass', blocks };
}

/**
 * The exact value of a node in closed form, over numbers only: a form that
 * still names an intermediate node (its own exact form was too large to
 * inline) mixes names and numbers, and is left out.
 */
function exactLatex(sol: Solution, key: string, namer: Namer): string | null {
  const e = exactForm(sol, key);
  if (!e) return null;
  if (e.kind === 'num') return latexRational(e.value);
  if (refsOf(e).size > 0) return null;
  return undoubledParens(latexOf(e, namer));
}

/**
 * A value substituted into a forward line: a given value as written, an
 * intermediate whose exact value is a short terminating decimal as that
 * decimal (0.6, not 0.6000), else the decimal to the problem's precision.
 */
function valueLatex(sol: Solution, key: string, fmt: (x: number) => string): string | undefined {
  const leaf = sol.leaves.get(key);
  if (leaf) return latexGiven(leaf) ?? fmt(leaf.toNumber());
  const v = sol.values.get(key);
  if (v === undefined) return undefined;
  const exact = sol.exactValues.get(key);
  const short = exact ? shortDecimal(exact, sol.problem.precision) : null;
  return short ?? fmt(v);
}

/** A rational that is a terminating decimal of at most `digits` significant digits, as that decimal; else null. */
function shortDecimal(r: Rational, digits: number): string | null {
  const d = latexGiven(r);
  if (d === null || d.includes('frac')) return null;
  return d.replace(/^-?0\.0*/, '').replace(/[-.]/g, '').replace(/^0+/, '').length <= digits ? d : null;
}

function gradientSection(sol: Solution, g: GradientResult, namer: Namer, fmt: (x: number) => string): SheetSection {
  const ofL = namer.key(g.of);
  const title = `The gradient ${g.entries.length === 1 ? `of ${g.of} with respect to ${g.wrt}` : `of ${g.of} with respect to ${g.wrt} (${g.entries.length} entries)`}`;
  const blocks: SheetBlock[] = [];
  // Layered networks are derived at the layer level above (BPTT, index sums); per-entry scalar chains would repeat it unreadably.
  const label = partial(ofL, g.entries.length === 1 ? namer.key(g.entries[0]!.key) : namer.tensor(g.wrt));
  const values = g.entries.map((e) => e.value);
  if (isLayered(sol)) {
    blocks.push({ kind: 'text', text: 'From the layer-level derivation above; the chain rule on the scalar graph gives the same values (see the check).' });
    blocks.push(...tensorBlocks(valuesView(label, values, g.entries.length === 1 ? [] : g.shape, fmt)));
    return { title, blocks };
  }
  // A tensor's entries all follow one pattern: derive the first in full, then give every value.
  const shown = g.entries.slice(0, 1);
  for (const e of shown) blocks.push(...entryBlocks(sol, g, e, namer, fmt));
  if (g.entries.length > 1) {
    blocks.push({ kind: 'text', text: shown.length < g.entries.length ? `The other ${g.entries.length - shown.length} entries follow the same way; all of them:` : 'Together:' });
    blocks.push(...tensorBlocks(valuesView(label, values, g.shape, fmt)));
  }
  return { title, blocks };
}

/** The family figure of one output: the single backward path of each asked gradient's first entry. */
function familyBlock(sol: Solution, of: string, namer: Namer): SheetBlock | null {
  if (isLayered(sol)) return null;
  const entries: Array<{ wrtL: string; path: readonly string[] }> = [];
  for (const g of sol.gradients.filter((x) => x.asked && x.of === of)) {
    const e = g.entries[0]!;
    if (!g.adjoints.relevant.has(e.key)) continue;
    const paths = leibnizPaths(sol.graph, g.adjoints, e.key);
    if (paths?.length === 1) entries.push({ wrtL: g.entries.length === 1 ? namer.key(e.key) : namer.key(e.key), path: paths[0]! });
  }
  return familyFigure(sol, namer, namer.key(of), entries);
}

function entryBlocks(sol: Solution, g: GradientResult, e: GradientEntry, namer: Namer, fmt: (x: number) => string): SheetBlock[] {
  const ofL = namer.key(g.of), wrtL = namer.key(e.key);
  const lhs = partial(ofL, wrtL);
  if (!g.adjoints.relevant.has(e.key)) {
    return [{ kind: 'math', latex: `${lhs} = 0` }, { kind: 'text', text: `$${g.of}$ does not depend on $${wrtL}$.`.replace(`$${g.of}$`, `$${ofL}$`) }];
  }
  const paths = leibnizPaths(sol.graph, g.adjoints, e.key);
  const blocks: SheetBlock[] = [];
  if (paths) {
    const chain = paths.map((path) => path.slice(1).map((k, i) => partial(namer.key(path[i]!), namer.key(k))).join('\\,')).join(' + ');
    blocks.push({ kind: 'text', text: paths.length > 1 ? `By the chain rule, summed over the ${paths.length} paths from $${wrtL}$ to $${ofL}$:` : 'By the chain rule:' });
    blocks.push({ kind: 'math', latex: `${lhs} = ${chain}` });
    // a single chain is drawn in its family's figure; a sum over paths gets its own, one colour per term
    const fig = paths.length > 1 ? pathsFigure(sol, namer, paths, ofL, wrtL) : null;
    if (fig) blocks.push(fig);
    const edges = new Map<string, string>();
    for (const path of paths) {
      for (let i = 0; i + 1 < path.length; i++) {
        const id = `${path[i]}|${path[i + 1]}`;
        const edge = g.adjoints.edges.get(id);
        if (!edge || edges.has(id)) continue;
        const rules = edge.rules.map((r) => opSpec(r).rule).filter((r) => !r.includes('\\partial(a'));
        edges.set(id, `${partial(namer.key(edge.consumer), namer.key(edge.input))} &= ${latexOf(edge.partial, namer)}${rules.length ? ` && \\text{by } ${rules.join(',\\ ')}` : ''}`);
      }
    }
    if (edges.size) {
      blocks.push({ kind: 'text', text: 'The local factors:' });
      blocks.push({ kind: 'math', latex: aligned([...edges.values()].slice(0, MAX_LINES), true) });
    }
  } else {
    blocks.push({ kind: 'text', text: `There are more than 8 paths from $${wrtL}$ to $${ofL}$; the adjoints below sum over all of them (each adjoint is the sum over its consumers).` });
  }
  const exact = e.exact ? latexRational(e.exact) : null;
  blocks.push({ kind: 'text', text: 'Closed form and value:' });
  const tail = exact ?? fmt(e.value);
  blocks.push({ kind: 'math', latex: brokenEquation(lhs, e.closedForm, namer, tail, !exact && !Number.isInteger(e.value)) });
  return blocks;
}

function definitionsSection(sol: Solution, namer: Namer): SheetSection {
  const lines = [...sol.definitions].slice(0, MAX_LINES).map(([k, d]) => brokenEquation(namer.key(k), d, namer, null, false));
  return {
    title: 'Named adjoints',
    blocks: [
      { kind: 'text', text: 'A bar over a node is the derivative of the output with respect to it; each is the sum over the nodes that use it.' },
      ...lines.map((latex): SheetBlock => ({ kind: 'math', latex })),
    ],
  };
}

function updateSection(sol: Solution, namer: Namer, fmt: (x: number) => string): SheetSection {
  const rate = latexGiven(sol.updateRate!) ?? fmt(sol.updateRate!.toNumber());
  const ofL = namer.key(sol.gradients.find((x) => x.wrt === [...sol.updates!.keys()][0])!.of);
  const rows: string[][] = [];
  const views: TensorView[] = [];
  let small = true;
  for (const [name, next] of sol.updates!) {
    const t = sol.graph.tensors.get(name)!;
    const g = sol.gradients.find((x) => x.wrt === name && x.of === (sol.gradients.find((y) => !y.asked)?.of ?? x.of))!;
    const P = namer.tensor(name);
    const before = valuesView(P, t.keys.map((k) => sol.values.get(k) ?? sol.leaves.get(k)!.toNumber()), t.shape, fmt);
    const grad = valuesView('', g.entries.map((e) => e.value), t.shape, fmt);
    views.push(valuesView(`${P} - \\eta\\,${partial(ofL, P)}`, next, t.shape, fmt));
    small &&= [before, grad].every((v) => fitsInline(v, PAGE_EM));
    rows.push([P, inlineMatrix(before), inlineMatrix(grad), inlineMatrix(views[views.length - 1]!)]);
  }
  const blocks: SheetBlock[] = [
    { kind: 'math', latex: `\\theta \\leftarrow \\theta - \\eta\\, \\frac{\\partial ${ofL}}{\\partial \\theta}, \\qquad \\eta = ${rate}` },
  ];
  // side by side when the row fits the page; else each parameter's new value on its own lines (before and gradient are above)
  const table: SheetBlock = { kind: 'table', header: ['parameter', 'before', 'gradient', 'after'], rows };
  if (small && tableParts(table).length === 1) blocks.push(table);
  else {
    blocks.push({ kind: 'text', text: 'The parameters after the step (their values before it are among the given values, their gradients above):' });
    for (const v of views) blocks.push(...tensorBlocks(v));
  }
  return { title: 'One step of gradient descent', blocks };
}

function tableSection(sol: Solution, fmt: (x: number) => string): SheetSection {
  const rows = sol.table!.map((r) => [r.input.map(fmt).join(',\\ '), fmt(r.output), r.expected === undefined ? '' : fmt(r.expected), r.ok === undefined ? '' : r.ok ? '\\text{yes}' : '\\text{no}']);
  const all = sol.table!.every((r) => r.ok !== false);
  return {
    title: 'The network on every input',
    blocks: [
      { kind: 'table', header: ['input', 'output', 'expected', 'matches'], rows },
      { kind: 'text', text: all ? 'The network computes the stated function on every input.' : `The network does NOT compute the stated function: ${sol.table!.filter((r) => r.ok === false).length} of ${sol.table!.length} inputs give a different output.` },
    ],
  };
}

function checkSection(sol: Solution): SheetSection {
  const c = sol.check;
  const parts: string[] = [];
  if (c.entries === 0) parts.push('No gradient was asked, so there is nothing to check against finite differences.');
  // tensor equations: the largest error is over the per-entry differences and the directional ones together
  else if (c.passed) parts.push(`All ${c.entries} gradient entries agree with central finite differences (h = 1e-6, with Ridders' extrapolation where the function is steep)${c.directions ? `, and each gradient along ${c.directions === 1 ? 'a random direction' : 'random directions'} (${c.directions} in all),` : ''} to a relative error of at most ${c.maxRelError.toExponential(1)}.`);
  else parts.push(`The check FAILED: the worst entry (${c.worst}) differs from central finite differences by ${c.maxRelError.toExponential(2)} relative.`);
  if (c.nondifferentiable.length) parts.push(`Not differentiable at this point (a ReLU, step or |.| exactly at 0, or a max-pool tie), so left out of the check: ${c.nondifferentiable.join(', ')}.`);
  const lc = sol.report.layerCheck;
  if (lc && lc.compared) parts.push(`The layer-level formulas agree with the scalar graph on all ${lc.compared} entries to a relative error of at most ${lc.maxRelError.toExponential(1)}.`);
  return { title: 'Check', blocks: parts.map((text) => ({ kind: 'text', text })) };
}

function publishedSection(sol: Solution, namer: Namer, fmt: (x: number) => string): SheetSection {
  const pub = sol.problem.published!;
  const label = (what: string) => {
    const i = what.indexOf('/');
    return i > 0 ? partial(namer.key(what.slice(0, i)), namer.key(what.slice(i + 1))) : namer.key(what);
  };
  // the source's value as it printed it (0.593269992, 0.000100), the computed one to as many figures
  const rows = sol.published!.map((r, i) => {
    const printed = latexPublished(sourceText(pub.values[i]!.field.node), r.published, sol.problem.precision);
    return [label(r.what), printed.latex, latexNumber(r.computed, Math.max(sol.problem.precision, printed.digits)), r.agrees ? '\\text{yes}' : '\\text{no}'];
  });
  const wrong = sol.published!.filter((r) => !r.agrees);
  return {
    title: `Compared with ${pub.source}`,
    blocks: [
      { kind: 'table', header: ['quantity', 'printed in the source', 'computed here', 'agrees'], rows },
      { kind: 'text', text: wrong.length ? `The source's value${wrong.length > 1 ? 's' : ''} for ${wrong.map((r) => `$${label(r.what)}$`).join(', ')} ${wrong.length > 1 ? 'are' : 'is'} wrong at the problem's precision; the computed values above are checked against finite differences.` : 'Every printed value agrees at the problem\'s precision.' },
    ],
  };
}

/** The text a YAML scalar was written as (`0.000100`), where the parser kept it. */
function sourceText(node: unknown): string | null {
  const src = (node as { source?: unknown } | null)?.source;
  return typeof src === 'string' ? src : null;
}

/** An aligned environment; with `notes`, a second column pair holds rule notes. */
export function aligned(lines: readonly string[], _notes = false): string {
  return lines.length ? `\\begin{aligned}${lines.join(' \\\\ ')}\\end{aligned}` : '';
}

/** A value or a matrix (pmatrix) of entries already in LaTeX. */
export function matrixLatex(vals: readonly string[], shape: readonly number[]): string {
  if (vals.length === 1 && shape.length <= 1 && shape.every((s) => s === 1)) return vals[0]!;
  if (shape.length === 1) return `\\begin{pmatrix}${vals.join(' \\\\ ')}\\end{pmatrix}`;
  if (shape.length === 2) {
    const [r, c] = shape as [number, number];
    const rows = Array.from({ length: r }, (_, i) => vals.slice(i * c, (i + 1) * c).join(' & '));
    return `\\begin{pmatrix}${rows.join(' \\\\ ')}\\end{pmatrix}`;
  }
  return `\\left[${vals.join(',\\ ')}\\right]`;
}

/** One node as aligned lines: `lhs &= step`, then `&= step`, the last `&\approx value`; a short chain stays on one line. */
function stepLines(lhs: string, steps: readonly string[], last: string, approx: boolean): string {
  const all = [...steps, last].filter((p, i, a) => i === 0 || p !== a[i - 1]);
  if (all.reduce((n, p) => n + p.length, 0) < 110) return `${lhs} &= ${joinEq(steps, last, approx)}`;
  return all.map((p, i) => `${i === 0 ? lhs : ''} &${i === all.length - 1 && approx ? '\\approx' : '='} ${p}`).join(' \\\\ ');
}

/** a = b = c \approx d, without repeating a step that printed the same. */
function joinEq(steps: readonly string[], last: string, approx: boolean): string {
  const all = [...steps, last].filter((p, i, a) => i === 0 || p !== a[i - 1]);
  const tail = all.pop()!;
  return all.length ? `${all.join(' = ')} ${approx ? '\\approx' : '='} ${tail}` : tail;
}

const paren = (s: string) => (s.startsWith('-') ? `\\left(${s}\\right)` : s);

