/**
 * TeX to MathML for the QTI 2.1 items, by KaTeX (already a dependency): QTI
 * 2.1 takes MathML (`m:math`) in item bodies, and MathML needs no script in
 * the delivery system. KaTeX's MathML keeps the TeX source as an annotation.
 */
import katex from 'katex';

const OPTIONS = { output: 'mathml' as const, throwOnError: true, trust: false, strict: 'ignore' as const, maxExpand: 1000, maxSize: 50 };

const cache = new Map<string, string | null>();
const MAX_CACHED = 20_000;

/** `<math xmlns="http://www.w3.org/1998/Math/MathML">...</math>`, or null where KaTeX cannot read the TeX. */
export function mathml(tex: string): string | null {
  let out = cache.get(tex);
  if (out === undefined) {
    out = convert(tex);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(tex, out);
  }
  return out;
}

function convert(tex: string): string | null {
  let html: string;
  try {
    html = katex.renderToString(tex, OPTIONS);
  } catch {
    return null;
  }
  // KaTeX wraps the <math> element in <span class="katex">; the span is HTML, the math is what QTI takes.
  const start = html.indexOf('<math');
  const end = html.lastIndexOf('</math>');
  return start >= 0 && end > start ? html.slice(start, end + '</math>'.length) : null;
}
