// Pieces of the variants output, in process: the test XML parser itself, CSV
// quoting of element columns, the Moodle statement's math, and the combined
// TeX document.
import { describe, expect, it } from 'vitest';
import { loadProblem } from '../../src/problem/read.js';
import { solveVariants } from '../../src/variants/job.js';
import { answersCsv } from '../../src/variants/answers.js';
import { quizXml } from '../../src/variants/moodle.js';
import { combineTex } from '../../src/variants/combined.js';
import { variantFolder } from '../../src/variants/output/write.js';
import { kid, kids, parseXml } from './xml.js';

/** RFC 4180 fields of one line (quoted fields may hold commas and doubled quotes); written for the test. */
function csvLine(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let s = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new Error('unclosed quote');
        s += line.slice(i, q);
        if (line[q + 1] === '"') { s += '"'; i = q + 2; continue; }
        i = q + 1;
        break;
      }
      out.push(s);
      if (i < line.length && line[i] !== ',') throw new Error('text after a quoted field');
      i++;
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? line.length : c;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

describe('the test XML parser', () => {
  it('reads elements, attributes, entities and CDATA', () => {
    const e = parseXml('<?xml version="1.0"?>\n<!-- c --><a x="1" y=\'&lt;2&gt;\'><b>&amp;&#65;&#x42;<![CDATA[<raw>&]]></b><c/></a>\n');
    expect(e.name).toBe('a');
    expect(e.attrs).toEqual({ x: '1', y: '<2>' });
    expect(kid(e, 'b').text).toBe('&AB<raw>&');
    expect(kids(e, 'c').length).toBe(1);
  });

  it('rejects what is not well-formed', () => {
    for (const bad of ['<a>', '<a></b>', '<a>&nbsp;</a>', '<a>x & y</a>', '<a>1 < 2</a>', '<a/><b/>', '<a x="1" x="2"/>', '<a x=1/>', 'text', '<a><b></a></b>']) {
      expect(() => parseXml(bad), bad).toThrow(/XML/);
    }
  });
});

describe('answer files of a tensor problem', () => {
  const problem = loadProblem('problems/variants-conv2d.yaml');
  const { spec, variants } = solveVariants(problem, '5', 1, 3);

  it('answers.csv quotes element columns, so every row splits into the header\'s columns', () => {
    const lines = answersCsv(variants).trimEnd().split('\n').map(csvLine);
    const header = lines[0]!;
    expect(header.slice(0, 5)).toEqual(['variant', 'seed', 'X[1,1]', 'X[1,2]', 'X[1,3]']);
    expect(header).toContain('E/K[1,2]');
    expect(header.filter((h) => h.startsWith('E/K['))).toEqual(['E/K[1,1]', 'E/K[1,2]', 'E/K[2,1]', 'E/K[2,2]']);
    expect(lines.length).toBe(4);
    for (const row of lines.slice(1)) expect(row.length).toBe(header.length);
    // the given pixel X[2,3] of variant 2, as drawn
    expect(Number(lines[2]![header.indexOf('X[2,3]')])).toBe(variants[1]!.sol.leaves.get('X[2,3]')!.toNumber());
  });

  it('quiz.xml states the problem with \\( \\) math and asks for every entry of the gradient', () => {
    const quiz = parseXml(quizXml(variants, spec.tolerance));
    const qs = kids(quiz, 'question').slice(1);
    // per variant: Y (4 entries), o, E, and the 4 entries of dE/dK
    expect(qs.length).toBe(3 * 10);
    const text = kid(kid(qs[0]!, 'questiontext'), 'text').text;
    expect(text).toContain('The input \\(\\mathbf{X}\\) (\\(3 \\times 3\\))');
    // the layers kind writes tensor equations: given values as whole matrices, entries as (K)_{2,2} (the tensor sheets' notation)
    expect(text).toContain('\\(\\mathbf{X} = \\begin{pmatrix}');
    expect(kid(kid(qs[9]!, 'name'), 'text').text).toBe('variants-conv2d variant 1 E/K[2,2]');
    expect(kid(kid(qs[9]!, 'questiontext'), 'text').text).toContain('Compute the partial derivative \\(\\frac{\\partial E}{\\partial \\left(\\mathbf{K}\\right)_{2,2}}\\).');
  });
});

describe('combined documents and folders', () => {
  it('one preamble, every body on its own page group', () => {
    const doc = (n: number) => `\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\nVariant ${n}\n\\end{document}\n`;
    expect(combineTex([doc(1), doc(2)])).toBe(
      '\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n\\setcounter{page}{1}\nVariant 1\n\\clearpage\n\\setcounter{page}{1}\nVariant 2\n\\end{document}\n');
  });

  it('folders sort in variant order, wider from 1000 variants on', () => {
    expect([variantFolder(1, 200), variantFolder(200, 200), variantFolder(7, 1000), variantFolder(1000, 1000)]).toEqual(['001', '200', '0007', '1000']);
  });
});
