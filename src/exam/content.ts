/**
 * What each question of one exam variant shows, as format-free pieces: on the
 * exam the problem restated (statement, network, given values), its parts
 * with their points, and answer space; in the key the same numbering, a table
 * of every graded number with its points, and the full solution sheet. The
 * solution sheet's own sections come from the renderer's `sheetModel`.
 */
import { notationPreset } from '../networks/registry.js';
import { assertNever } from '../errors.js';
import { resolveName, type Solution } from '../derive/solve.js';
import type { SheetBlock, SheetSection } from '../tex/sheet-blocks.js';
import type { AskItem } from '../problem/spec.js';
import { latexNumber, latexRational } from '../tex/format.js';
import { partial } from '../tex/latex.js';
import { Namer } from '../tex/names.js';
import { sheetModel, type SheetModel } from '../render/sheet.js';
import type { GradedScalar, Quantity } from './scalars.js';
import { resolveTensorName } from '../derive/tensor-solve.js';
import { tensorEntryTex, tensorNamer } from '../variants/tensor-question.js';
import type { ExamVariant, SolvedUnit } from './solve.js';
import { formatPoints } from './points.js';
import type { ProblemUnit, Question } from './spec.js';

/** A piece of a question's body; rendered to TeX or HTML by pieces.ts. */
export type Piece =
  | { readonly kind: 'heading'; readonly text: string; readonly points?: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'sections'; readonly sections: readonly SheetSection[] }
  | { readonly kind: 'blocks'; readonly blocks: readonly SheetBlock[] }
  | { readonly kind: 'part'; readonly label: string; readonly points?: string; readonly text: string }
  | { readonly kind: 'answer'; readonly label: string; readonly cm: number };

export interface QuestionContent { readonly question: Question; readonly pieces: readonly Piece[] }

/** Most rows one answers table holds before it continues in another (a tabular cannot break across pages). */
const ROWS_PER_TABLE = 25;

const models = new WeakMap<Solution, SheetModel>();
function modelOf(sol: Solution): SheetModel {
  let m = models.get(sol);
  if (!m) { m = sheetModel(sol); models.set(sol, m); }
  return m;
}

export function examContent(questions: readonly Question[], v: ExamVariant): QuestionContent[] {
  return questions.map((question) => ({ question, pieces: unitsOf(question, v).flatMap((u) => examUnit(question, u)) }));
}

export function keyContent(questions: readonly Question[], v: ExamVariant): QuestionContent[] {
  return questions.map((question) => ({ question, pieces: unitsOf(question, v).flatMap((u) => keyUnit(question, u, v)) }));
}

function unitsOf(q: Question, v: ExamVariant): SolvedUnit[] {
  const labels = new Set(q.units.map((u) => u.label));
  return v.units.filter((u) => labels.has(u.lu.label));
}

/** A group's part opens with its label, title and points; a single unit needs no heading of its own. */
function groupHeading(u: SolvedUnit): Piece[] {
  if (!u.lu.partLabel) return [];
  const unit = u.lu.unit;
  const title = unit.kind === 'problem' ? unit.title : unit.title ?? '';
  return [{ kind: 'heading', text: `(${u.lu.partLabel})${title ? ` ${title}` : ''}`, points: formatPoints(unit.points) }];
}

function examUnit(q: Question, u: SolvedUnit): Piece[] {
  const unit = u.lu.unit;
  const out: Piece[] = [...introOf(q, u), ...groupHeading(u)];
  if (unit.kind === 'text') {
    out.push({ kind: 'text', text: unit.text }, { kind: 'answer', label: u.lu.partLabel ? `(${u.lu.partLabel})` : '', cm: unit.space });
    return out;
  }
  const sol = u.sol!;
  const model = modelOf(sol);
  if (unit.problem.statement) out.push({ kind: 'text', text: unit.problem.statement });
  out.push({ kind: 'sections', sections: model.problem.filter((s) => s.title !== 'Questions') });
  const namer = new Namer(sol.graph, sol.problem.symbols, notationPreset(sol.problem.notation));
  const asks = unit.problem.ask;
  const parts = unit.parts;
  asks.forEach((a, i) => {
    const label = parts.kind === 'none' ? (asks.length > 1 ? `${i + 1}.` : '') : `(${parts.labels[i]})`;
    out.push({ kind: 'part', label, points: parts.kind === 'points' ? formatPoints(parts.points[i]!) : undefined, text: askSentence(a, sol, namer) });
    // labelled parts get a box each; unlabelled asks share one box after the last
    if (parts.kind !== 'none') out.push({ kind: 'answer', label, cm: unit.space / asks.length });
  });
  if (parts.kind === 'none') out.push({ kind: 'answer', label: '', cm: unit.space });
  return out;
}

/** A group's introduction, once, before its first part. */
function introOf(q: Question, u: SolvedUnit): Piece[] {
  return q.statement && q.units[0]!.label === u.lu.label ? [{ kind: 'text', text: q.statement }] : [];
}

function keyUnit(q: Question, u: SolvedUnit, v: ExamVariant): Piece[] {
  const unit = u.lu.unit;
  const out: Piece[] = [...introOf(q, u), ...groupHeading(u)];
  if (unit.kind === 'text') {
    out.push({ kind: 'text', text: unit.text });
    out.push(unit.answer ? { kind: 'text', text: `Model answer. ${unit.answer}` } : { kind: 'text', text: 'No model answer is given.' });
    out.push({ kind: 'text', text: `Graded by hand (${formatPoints(unit.points)} points).` });
    return out;
  }
  const sol = u.sol!;
  out.push({ kind: 'text', text: u.seedLabel ? `Values: variant ${v.number} of this problem under the seed ${u.seedLabel.slice(0, u.seedLabel.lastIndexOf('-'))} (its draw ${u.seedLabel}).` : 'Values: as given in the problem (the same in every variant).' });
  if (unit.problem.statement) out.push({ kind: 'text', text: unit.problem.statement });
  const namer = new Namer(sol.graph, sol.problem.symbols, notationPreset(sol.problem.notation));
  out.push({ kind: 'blocks', blocks: answerTables(u.scalars, unit, sol, namer) });
  out.push(...handNotes(u, unit));
  out.push({ kind: 'sections', sections: modelOf(sol).solution });
  return out;
}

/** What the grader does by hand: a unit with no single number, parts with their own points but none, parts that earn nothing. */
function handNotes(u: SolvedUnit, unit: ProblemUnit): Piece[] {
  if (u.scalars.length === 0) return [{ kind: 'text', text: `This item asks for no single number; it is graded by hand (${formatPoints(unit.points)} points).` }];
  const parts = unit.parts;
  if (parts.kind === 'none') return [];
  const graded = new Set(u.scalars.map((s) => s.ask));
  const without = parts.labels.filter((_, i) => !graded.has(i));
  if (!without.length) return [];
  if (parts.kind === 'points') {
    return [{ kind: 'text', text: `Graded by hand: ${without.map((l) => `part ${l} (${formatPoints(parts.points[parts.labels.indexOf(l)]!)} points)`).join(', ')}.` }];
  }
  return [{ kind: 'text', text: `Part ${without.join(', ')} asks for no single number and earns no points of its own; the item's points are shared by the numbers of the other parts.` }];
}

/** The graded numbers: part, quantity, value at the problem's precision, points. */
function answerTables(scalars: readonly GradedScalar[], unit: ProblemUnit, sol: Solution, namer: Namer): SheetBlock[] {
  if (scalars.length === 0) return [];
  const rows = scalars.map((s) => {
    const part = unit.parts.kind === 'none' ? '' : unit.parts.labels[s.ask]!;
    return [part ? `\\text{(${part})}` : '', quantityLatex(s.quantity, namer, sol), latexNumber(s.value, sol.problem.precision), formatPoints(s.points)];
  });
  const blocks: SheetBlock[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_TABLE) {
    blocks.push({ kind: 'table', header: ['part', 'quantity', 'value', 'points'], rows: rows.slice(i, i + ROWS_PER_TABLE) });
  }
  return blocks;
}

export function quantityLatex(q: Quantity, scalarNamer: Namer, sol?: Solution): string {
  // tensor equations: an entry of a named matrix, a step of a sequence as its subscript
  const namer = sol?.tensor ? { key: (k: string) => tensorEntryTex(sol, k) } : scalarNamer;
  switch (q.kind) {
    case 'value': return namer.key(q.key);
    case 'gradient': return partial(namer.key(q.of), namer.key(q.key));
    case 'update': return `${namer.key(q.key)}\\ \\text{after one step}`;
    case 'parameters': return '\\text{number of parameters}';
    default: return assertNever(q);
  }
}

/** One ask item as a question, in the problem's notation. */
export function askSentence(a: AskItem, sol: Solution, namer: Namer): string {
  if (sol.tensor) return tensorAskSentence(a, sol);
  const g = sol.graph;
  const nameOf = (n: string): string => {
    const keys = resolveName(g, n, a);
    return `$${keys.length === 1 ? namer.key(keys[0]!) : namer.tensor(n)}$`;
  };
  const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
  switch (a.kind) {
    case 'forward': return `Compute the value${a.names.length > 1 ? 's' : ''} of ${list(a.names.map(nameOf))} (the forward pass).`;
    case 'gradient': {
      const of = namer.key(resolveName(g, a.of, a)[0]!);
      return `Compute ${list(a.wrt.map((w) => { const keys = resolveName(g, w, a); return `$${partial(of, keys.length === 1 ? namer.key(keys[0]!) : namer.tensor(w))}$`; }))}.`;
    }
    case 'update': {
      const rate = latexRational(a.rate) ?? String(a.rate.toNumber());
      return `Perform one step of gradient descent with learning rate $\\eta = ${rate}$ and give the new values of ${list([...(sol.updates?.keys() ?? [])].map(nameOf))}.`;
    }
    case 'shape': case 'padding': case 'parameters': return structureSentence(a, list(a.kind === 'shape' ? a.names.map(nameOf) : []));
    case 'jacobian': return `Compute the Jacobian $${partial(nameOf(a.of).slice(1, -1), nameOf(a.wrt).slice(1, -1))}$, the matrix of partial derivatives.`;
    case 'table': {
      const rows = a.rows.map((r) => `$(${r.map((x) => latexRational(x) ?? String(x.toNumber())).join(', ')})$`);
      return `Evaluate the network on the inputs ${list(rows)} and say whether it computes the stated function.`;
    }
    default: return assertNever(a);
  }
}

/** One ask item of a network written as tensor equations, in matrix notation (the tensor sheet's). */
function tensorAskSentence(a: AskItem, sol: Solution): string {
  const g = sol.tensor!.network.graph;
  const namer = tensorNamer(sol);
  const nameOf = (n: string): string => {
    const r = resolveTensorName(g, n, a.field);
    const node = g.nodes.get(r.node)!;
    const base = namer.node(r.node, r.step === null ? (node.seq ? { kind: 'rel', offset: 0 } : null) : { kind: 'abs', step: r.step });
    return r.index && r.index.length ? `\\left(${base}\\right)_{${r.index.join(',')}}` : base;
  };
  const list = (xs: readonly string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);
  const whole = (n: string) => g.nodes.get(resolveTensorName(g, n, a.field).node)!.seq && !/\[/.test(n);
  const steps = (names: readonly string[]) => (names.some(whole) ? ` for $t = 1, \\ldots, ${g.steps}$` : '');
  switch (a.kind) {
    case 'forward': return `Compute ${list(a.names.map((n) => `$${nameOf(n)}$`))}${steps(a.names)} (the forward pass).`;
    case 'gradient': {
      const of = a.upstream ? 'L' : nameOf(a.of);
      const up = a.upstream ? ` for the upstream gradient $${namer.node(a.upstream)} = \\partial L/\\partial ${nameOf(a.of)}$` : '';
      return `Compute ${list(a.wrt.map((w) => `$${partial(of, nameOf(w))}$`))}${steps(a.wrt)}${up}.`;
    }
    case 'update': {
      const rate = latexRational(a.rate) ?? String(a.rate.toNumber());
      return `Perform one step of gradient descent with learning rate $\\eta = ${rate}$ and give the new values of ${list([...(sol.updates?.keys() ?? [])].map((n) => `$${nameOf(n)}$`))}.`;
    }
    case 'shape': case 'padding': case 'parameters':
      // answered by a shorthand's report (the layers' shapes and counts); bare equations refuse them in the solver
      return structureSentence(a, list(a.kind === 'shape' ? a.names.map((n) => `$${nameOf(n)}$`) : []));
    case 'jacobian': case 'table':
      // not answered for tensor equations (the solver refuses them before this point)
      return '';
    default: return assertNever(a);
  }
}

/** The asks about a network's structure, in words. */
function structureSentence(a: Extract<AskItem, { kind: 'shape' | 'padding' | 'parameters' }>, names: string): string {
  switch (a.kind) {
    case 'shape': return `Give the shape of ${names}, with the size formula.`;
    case 'padding': return 'Find the padding that keeps the size of the output of each convolution, and derive it.';
    case 'parameters': return a.compare ? 'How many trainable parameters does the network have? Compare with a fully connected layer of the same sizes.' : 'How many trainable parameters does the network have? List them per layer.';
  }
}
