// Every shipped problem renders: every math fragment of both sheets parses with KaTeX
// (throwOnError), the HTML escapes user text, and the TeX keeps user text inert.
import { describe, expect, it } from 'vitest';
import katex from 'katex';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseProblem } from '../../src/problem/load.js';
import { loadProblem } from '../../src/problem/read.js';
import { solve } from '../../src/derive/solve.js';
import { sheetModel } from '../../src/render/sheet.js';
import { mathFragments } from '../../src/render/blocks.js';
import { renderSheets } from '../../src/render/index.js';
import { escapeTex, formatNumber, isSafeMath, latexGiven } from '../../src/tex/format.js';
import { Rational } from '../../src/expr/rational.js';
import { splitInlineMath } from '../../src/tex/format.js';

const problems = readdirSync('problems').filter((f) => f.endsWith('.yaml')).sort();

describe('every shipped problem renders', () => {
  it.each(problems)('%s: every LaTeX fragment renders with KaTeX throwOnError', (f) => {
    const model = sheetModel(solve(loadProblem(join('problems', f))));
    const fragments = [...mathFragments(model.problem), ...mathFragments(model.solution)];
    if (model.statement) fragments.push(...splitInlineMath(model.statement).filter((p) => p.math).map((p) => p.s));
    expect(fragments.length).toBeGreaterThan(3);
    for (const latex of fragments) {
      expect(() => katex.renderToString(latex, { throwOnError: true, displayMode: true, strict: 'ignore' }), latex).not.toThrow();
      expect(isSafeMath(latex), latex).toBe(true);
    }
  });
});

const hostile = `id: hostile
title: "<script>alert(1)</script> \\\\input{/etc/passwd} 100% #1 $x$"
statement: "Read \\\\input{/etc/passwd} and $\\\\write18{rm -rf /}$ then \\\\def\\\\x{y} % comment # hash & amp <b>bold</b>"
network: {kind: equations, equations: {o: "w*x"}}
given: {w: 2, x: 3}
ask: [{forward: [o]}, {gradient: {of: o, wrt: [w]}}]
`;

describe('untrusted text', () => {
  const sol = solve(parseProblem(hostile, 'hostile.yaml'));
  const r = renderSheets(sol, { formats: ['tex', 'html'] });
  const html = String(r.files.get('solution.html'));
  const tex = String(r.files.get('solution.tex'));

  it('HTML shows a <script> in a title as text', () => {
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<b>bold</b>');
  });

  it('TeX escapes commands, comments and parameters in user text', () => {
    expect(tex).not.toMatch(/[^{]\\input\{\/etc\/passwd\}/);
    expect(tex).toContain('\\textbackslash{}input');
    expect(tex).not.toContain('\\write18');
    expect(tex).toContain('100\\%');
    expect(tex).toContain('\\#1');
  });

  it('dangerous math is never passed to TeX', () => {
    for (const bad of ['\\input{x}', '\\write18{ls}', '\\def\\a{b}', '\\begin{verbatim}', 'a^^5c', '\\catcode', '{', 'x}']) {
      expect(isSafeMath(bad), bad).toBe(false);
    }
    for (const ok of ['\\frac{a}{b}', '\\begin{pmatrix}1 & 2\\end{pmatrix}', '\\sigma\\left(x\\right)']) expect(isSafeMath(ok), ok).toBe(true);
  });

  it('escapeTex leaves no active character', () => {
    expect(escapeTex('\\ { } $ & # % _ ^ ~')).toBe('\\textbackslash{} \\{ \\} \\$ \\& \\# \\% \\_ \\textasciicircum{} \\textasciitilde{}');
  });
});

describe('number formatting', () => {
  it('prints significant figures as a textbook does', () => {
    expect(formatNumber(7.997316799149435e-05, 4)).toBe('7.997e-5');
    expect(formatNumber(93750, 4)).toBe('93750');
    expect(formatNumber(0.8320183851339245, 4)).toBe('0.8320');
    expect(formatNumber(0.5, 4)).toBe('0.5');
    expect(formatNumber(1.5440920569006549, 4)).toBe('1.544');
    expect(formatNumber(-0.2535, 4)).toBe('-0.2535');
  });
});

describe('given values print as the problem wrote them', () => {
  it('terminating decimals as decimals, other rationals as fractions', () => {
    const cases: Array<[string, string]> = [['1/10', '0.1'], ['-3/4', '-0.75'], ['7/8', '0.875'], ['5', '5'], ['-1/20', '-0.05'], ['1/3', '\\frac{1}{3}'], ['-2/7', '-\\frac{2}{7}']];
    for (const [r, want] of cases) expect(latexGiven(Rational.parse(r)!), r).toBe(want);
  });
});
