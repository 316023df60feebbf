/**
 * problems.pdf and solutions.pdf for printing: one LaTeX document made of the
 * variants' own sheet bodies, one page group per variant (each starts on a
 * new page, restarts the page numbers, and opens with the sheet's header,
 * which names the variant and its seed). One pdflatex run for all variants,
 * through the same locked-down, date-fixed compiler as the sheets, so the
 * file is reproducible byte for byte and needs no tool beyond TeX.
 */
import { assert } from '../errors.js';

const BEGIN = '\\begin{document}';
const END = '\\end{document}';

/** One document from whole sheet documents that share a preamble (they come from the same template). */
export function combineTex(docs: readonly string[]): string {
  assert(docs.length > 0, 'combineTex of no documents');
  const parts = docs.map(split);
  const bodies = parts.map((p, i) => {
    assert(p.preamble === parts[0]!.preamble, `variant sheet ${i + 1} has another preamble`);
    return p.body.trim();
  });
  return `${parts[0]!.preamble}${BEGIN}\n${bodies.map((b) => `\\setcounter{page}{1}\n${b}\n`).join('\\clearpage\n')}${END}\n`;
}

function split(doc: string): { preamble: string; body: string } {
  const b = doc.indexOf(BEGIN), e = doc.lastIndexOf(END);
  assert(b >= 0 && e > b, 'a sheet without \\begin{document} ... \\end{document}');
  return { preamble: doc.slice(0, b), body: doc.slice(b + BEGIN.length, e) };
}
