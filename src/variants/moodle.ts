/**
 * quiz.xml in Moodle's XML question format
 * (https://docs.moodle.org/en/Moodle_XML_format): a category, then one
 * `numerical` question per variant and asked scalar, whose text restates the
 * problem with the variant's values. Math is written as \( ... \), which
 * Moodle's MathJax and TeX filters render. Moodle's tolerance is absolute
 * (answer +- tolerance), so a relative tolerance r becomes r * |answer|.
 */
import type { Rational } from '../expr/rational.js';
import { Namer } from '../render/names.js';
import { latexOf, partial } from '../render/latex.js';
import { latexNumber, latexRational, splitInlineMath } from '../render/format.js';
import { assertNever } from '../errors.js';
import { askedScalars, type AskedScalar, type SolvedVariant } from './answers.js';
import type { Tolerance } from './spec.js';

/** Network equations listed in a question; longer networks are left to the statement. */
const MAX_EQUATIONS = 12;

export function quizXml(variants: readonly SolvedVariant[], tolerance: Tolerance): string {
  const first = variants[0];
  const id = first?.sol.problem.id ?? 'gradsheet';
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<quiz>',
    '  <question type="category">',
    `    <category><text>${xml(`$course$/top/gradsheet/${id}`)}</text></category>`,
    '  </question>',
  ];
  for (const v of variants) {
    const namer = new Namer(v.sol.graph, v.sol.problem.symbols, v.sol.problem.notation);
    const intro = introHtml(v, namer);
    for (const s of askedScalars(v.sol)) out.push(...question(v, s, intro, namer, tolerance));
  }
  out.push('</quiz>', '');
  return out.join('\n');
}

function question(v: SolvedVariant, s: AskedScalar, intro: string, namer: Namer, tol: Tolerance): string[] {
  const abs = tol.kind === 'absolute' ? tol.value : tol.value * Math.abs(s.value);
  const text = `${intro}<p>Compute ${what(v, s, namer)}.</p>`;
  return [
    '  <question type="numerical">',
    `    <name><text>${xml(`${v.sol.problem.id} variant ${v.number} ${s.column}`)}</text></name>`,
    `    <questiontext format="html"><text>${xml(text)}</text></questiontext>`,
    '    <generalfeedback format="html"><text></text></generalfeedback>',
    '    <defaultgrade>1</defaultgrade>',
    '    <penalty>0</penalty>',
    '    <hidden>0</hidden>',
    `    <idnumber>${xml(`${v.sol.problem.id}-${v.seedLabel}-${s.column}`)}</idnumber>`,
    '    <answer fraction="100" format="moodle_auto_format">',
    `      <text>${String(s.value)}</text>`,
    `      <tolerance>${String(abs)}</tolerance>`,
    '      <feedback format="html"><text></text></feedback>',
    '    </answer>',
    '    <unitgradingtype>0</unitgradingtype>',
    '    <unitpenalty>0</unitpenalty>',
    '    <showunits>3</showunits>',
    '    <unitsleft>0</unitsleft>',
    '  </question>',
  ];
}

/** Title, statement, the network's equations and the variant's given values, as HTML. */
function introHtml(v: SolvedVariant, namer: Namer): string {
  const p = v.sol.problem;
  const g = v.sol.graph;
  const parts = [`<p><strong>${html(p.title)}</strong> (variant ${v.number}, seed ${html(v.seedLabel)})</p>`];
  if (p.statement) parts.push(`<p>${statementHtml(p.statement)}</p>`);
  const defined = g.order.filter((k) => g.nodes.get(k)!.def);
  if (defined.length <= MAX_EQUATIONS) {
    parts.push(`<p>The network: ${defined.map((k) => math(`${namer.key(k)} = ${latexOf(g.nodes.get(k)!.def!, namer)}`)).join(', ')}.</p>`);
  }
  const given: string[] = [];
  for (const t of g.tensors.values()) {
    if (t.role === 'intermediate' || !t.keys.every((k) => v.sol.leaves.has(k))) continue;
    for (const k of t.keys) given.push(math(`${namer.key(k)} = ${numberLatex(v.sol.leaves.get(k)!)}`));
  }
  if (given.length) parts.push(`<p>Given: ${given.join(', ')}.</p>`);
  return parts.join('');
}

function what(v: SolvedVariant, s: AskedScalar, namer: Namer): string {
  switch (s.kind) {
    case 'value': return `the value of ${math(namer.key(s.key))}`;
    case 'gradient': return `the partial derivative ${math(partial(namer.key(s.of), namer.key(s.key)))}`;
    case 'update': {
      const rate = v.sol.updateRate;
      return `the new value of ${math(namer.key(s.key))} after one step of gradient descent` + (rate ? ` with learning rate ${math(numberLatex(rate))}` : '');
    }
    default: return assertNever(s);
  }
}

/** A given value as a student reads it: a short decimal (0.3) where it has one, else a fraction. */
function numberLatex(r: Rational): string {
  const x = r.toNumber();
  let den = r.den;
  for (const p of [2n, 5n]) while (den % p === 0n) den /= p;
  if (den === 1n && String(x).length <= 12) return String(x);
  return latexRational(r) ?? latexNumber(x, 6);
}

/** User text with `$...$` math: text escaped for HTML, math passed to MathJax as \( ... \). */
function statementHtml(s: string): string {
  return splitInlineMath(s).map((part) => (part.math ? math(part.s) : html(part.s))).join('');
}

const math = (latex: string): string => `\\(${html(latex)}\\)`;

function html(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Text content for XML: markup characters escaped, characters XML 1.0 forbids dropped. */
function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}
