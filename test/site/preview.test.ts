// The answer preview: plain text typeset by a small tokenizer, LaTeX as typed, and anything a sheet
// would refuse (files, definitions, links) or a character the tokenizer does not know shown as text.
import { describe, expect, it } from 'vitest';
import { plainToLatex, preview } from '../../src/site/preview.js';

describe('plainToLatex', () => {
  it('typesets names, functions, products and powers as a student means them', () => {
    expect(plainToLatex('w4 w3 h3 (1-h3)')).toBe('w_{4} w_{3} h_{3} (1-h_{3})');
    expect(plainToLatex('sigma(u)*(1 - sigma(u))')).toBe('\\sigma (u)\\cdot (1 - \\sigma (u))');
    expect(plainToLatex('delta_z2 @ h^T')).toBe('\\delta _{z2} \\, h^{\\top}');
    expect(plainToLatex('x^(t-1) .* e^2')).toBe('x^{t-1} \\odot  e^{2}');
    expect(plainToLatex('d := p - t; d @ h^T')).toBe('d \\coloneqq  p - t;\\quad  d \\, h^{\\top}');
    expect(plainToLatex('k_{11} + W1[1,2]')).toBe('k_{11} + W_{1}[1,\\,2]');
    expect(plainToLatex('relu\'(z)')).toBe("\\operatorname{relu}'(z)");
  });

  it('gives up on characters it does not typeset, so nothing reaches KaTeX unchecked', () => {
    expect(plainToLatex('a \\def b')).toBeNull();
    expect(plainToLatex('"quoted" & 100%')).toBeNull();
    expect(plainToLatex('x^')).toBeNull();
  });
});

describe('preview', () => {
  it('renders LaTeX with KaTeX', () => {
    const p = preview('\\sigma\'(w_3 h_2 + b_3)\\, w_{11}', true);
    expect(p.kind).toBe('math');
    if (p.kind === 'math') expect(p.html).toContain('class="katex');
  });

  it('refuses TeX that reads files, defines macros or links, and HTML in plain text', () => {
    for (const t of ['\\href{javascript:alert(1)}{x}', '\\def\\a{\\a}\\a', '\\input{/etc/passwd}', '\\url{http://example.com}', '\\includegraphics{x}']) {
      expect(preview(t, true).kind, t).toBe('text');
    }
    // HTML is never markup: in either mode KaTeX typesets its characters (< and > are comparisons in answers)
    for (const latex of [false, true]) {
      const p = preview('<img src=x onerror=alert(1)>', latex);
      expect(p.kind).toBe('math');
      if (p.kind === 'math') expect(p.html).not.toMatch(/<img|onerror=/);
    }
  });
});
