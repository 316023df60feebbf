/**
 * What a quiz question about one variant says, independent of the quiz
 * format: paragraphs of text, bold text and TeX math. quiz.xml (Moodle) and
 * the QTI packages render the same paragraphs, each in its own markup, so a
 * question reads the same in every LMS.
 */
import { notationPreset } from '../networks/registry.js';
import type { Rational } from '../expr/rational.js';
import { Namer } from '../tex/names.js';
import { latexOf, partial } from '../tex/latex.js';
import { latexNumber, latexRational, splitInlineMath } from '../tex/format.js';
import { assertNever } from '../errors.js';
import type { AskedScalar, SolvedVariant } from './answers.js';
import { tensorEntryTex, tensorEquations, tensorGivenInlines } from './tensor-question.js';

export type Inline =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'strong'; readonly text: string }
  | { readonly kind: 'math'; readonly tex: string };

export type Paragraph = readonly Inline[];

/** Network equations listed in a question; longer networks are left to the statement. */
const MAX_EQUATIONS = 12;

const text = (s: string): Inline => ({ kind: 'text', text: s });
const math = (tex: string): Inline => ({ kind: 'math', tex });

/** Title, statement, the network's equations and the variant's given values. */
export function introParagraphs(v: SolvedVariant, namer: Namer = namerOf(v)): Paragraph[] {
  const p = v.sol.problem;
  const g = v.sol.graph;
  const parts: Paragraph[] = [[{ kind: 'strong', text: p.title }, text(` (variant ${v.number}, seed ${v.seedLabel})`)]];
  if (p.statement) parts.push(statementInlines(p.statement));
  if (v.sol.tensor) {
    // tensor equations: in matrix form, as on the sheets
    const eqs = tensorEquations(v.sol);
    if (eqs) parts.push([text('The network: '), ...joined(eqs.map(math)), text('.')]);
    const given = tensorGivenInlines(v.sol);
    if (given.length) parts.push([text('Given: '), ...given.flatMap((g, i) => [...(i ? [text(', ')] : []), ...g]), text('.')]);
    return parts;
  }
  const defined = g.order.filter((k) => g.nodes.get(k)!.def);
  if (defined.length <= MAX_EQUATIONS) {
    parts.push([text('The network: '), ...joined(defined.map((k) => math(`${namer.key(k)} = ${latexOf(g.nodes.get(k)!.def!, namer)}`))), text('.')]);
  }
  const given: Inline[] = [];
  for (const t of g.tensors.values()) {
    if (t.role === 'intermediate' || !t.keys.every((k) => v.sol.leaves.has(k))) continue;
    for (const k of t.keys) given.push(math(`${namer.key(k)} = ${numberLatex(v.sol.leaves.get(k)!)}`));
  }
  if (given.length) parts.push([text('Given: '), ...joined(given), text('.')]);
  return parts;
}

/** What one asked number is: an AskedScalar, or an exam's graded quantity (which adds the parameter count). */
export type PromptQuantity =
  | Pick<Extract<AskedScalar, { kind: 'value' }>, 'kind' | 'key'>
  | Pick<Extract<AskedScalar, { kind: 'gradient' }>, 'kind' | 'of' | 'key'>
  | Pick<Extract<AskedScalar, { kind: 'update' }>, 'kind' | 'key'>
  | { readonly kind: 'parameters' };

/** "Compute the partial derivative ∂o/∂b1." */
export function promptParagraph(v: SolvedVariant, s: PromptQuantity, namer: Namer = namerOf(v)): Paragraph {
  return [text('Compute '), ...what(v, s, namer), text('.')];
}

export const namerOf = (v: SolvedVariant): Namer => new Namer(v.sol.graph, v.sol.problem.symbols, notationPreset(v.sol.problem.notation));

/** User text with `$...$` math. */
export function statementInlines(s: string): Inline[] {
  return splitInlineMath(s).map((part) => (part.math ? math(part.s) : text(part.s)));
}

function what(v: SolvedVariant, s: PromptQuantity, scalarNamer: Namer): Inline[] {
  // tensor equations name an entry as an entry of a matrix (W^{[1]}_{2,3}), a step of a sequence as its subscript
  const key = v.sol.tensor ? (k: string) => tensorEntryTex(v.sol, k) : (k: string) => scalarNamer.key(k);
  const namer = { key };
  switch (s.kind) {
    case 'value': return [text('the value of '), math(namer.key(s.key))];
    case 'gradient': return [text('the partial derivative '), math(partial(namer.key(s.of), namer.key(s.key)))];
    case 'update': {
      const rate = v.sol.updateRate;
      return [
        text('the new value of '), math(namer.key(s.key)), text(' after one step of gradient descent'),
        ...(rate ? [text(' with learning rate '), math(numberLatex(rate))] : []),
      ];
    }
    case 'parameters': return [text('the number of trainable parameters of the network')];
    default: return assertNever(s);
  }
}

/** Items separated by ", ". */
function joined(items: readonly Inline[]): Inline[] {
  return items.flatMap((it, i) => (i === 0 ? [it] : [text(', '), it]));
}

/** A given value as a student reads it: a short decimal (0.3) where it has one, else a fraction. */
export function numberLatex(r: Rational): string {
  const x = r.toNumber();
  let den = r.den;
  for (const p of [2n, 5n]) while (den % p === 0n) den /= p;
  if (den === 1n && String(x).length <= 12) return String(x);
  return latexRational(r) ?? latexNumber(x, 6);
}

/**
 * Paragraphs as HTML with math as \( ... \), the form Moodle's MathJax and TeX
 * filters and Canvas's MathJax render. `&`, `<`, `>` and `"` are escaped, in
 * the math too, so the HTML parses and the TeX reaches MathJax unchanged.
 */
export function paragraphsHtml(paras: readonly Paragraph[]): string {
  return paras.map((p) => `<p>${p.map(inlineHtml).join('')}</p>`).join('');
}

function inlineHtml(i: Inline): string {
  switch (i.kind) {
    case 'text': return escapeHtml(i.text);
    case 'strong': return `<strong>${escapeHtml(i.text)}</strong>`;
    case 'math': return `\\(${escapeHtml(i.tex)}\\)`;
    default: return assertNever(i);
  }
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}
