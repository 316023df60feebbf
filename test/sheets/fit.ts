/**
 * What "fits the page" means, as checks on a compiled sheet: pdflatex's
 * overfull boxes, TeX source that leaked into the PDF's text, and HTML
 * elements wider than the page outside the scroll boxes (class `scroll`)
 * that hold a wide matrix on purpose.
 */

/** pdflatex reports any box wider than its line; up to 1 pt is invisible and allowed. */
export const OVERFULL_LIMIT_PT = 1;

/** Every `Overfull \hbox` wider than the limit, with its source lines. */
export function overfullBoxes(log: string, limitPt = OVERFULL_LIMIT_PT): string[] {
  const out: string[] = [];
  for (const m of log.matchAll(/Overfull \\hbox \(([\d.]+)pt too wide\) ([^\n]*)/g)) {
    if (Number(m[1]) > limitPt) out.push(`${m[1]}pt ${m[2]!.trim()}`);
  }
  return out;
}

/**
 * Text lines of the PDF that show TeX source instead of its typesetting: a
 * control word (`\frac`, `\left`) or a braced script (`_{`, `^{`).
 */
export function rawTexLines(pdfText: string): string[] {
  return pdfText.split('\n').filter((l) => /\\[A-Za-z]+|[_^]\{/.test(l)).map((l) => l.trim().slice(0, 160));
}

/** Tolerance for the browser measure: subpixel rounding of KaTeX's struts. */
export const HTML_SLACK_PX = 1;

export interface HtmlOverflow {
  /** how far the document scrolls sideways, in px (0 when the page fits) */
  readonly pageOverflow: number;
  /** the outermost elements that stick out of the body's content box */
  readonly elements: string[];
}

/**
 * Containers whose overflow is clipped on purpose: the sheet's scroll boxes
 * and KaTeX's own clipping spans (a \\sqrt is drawn as a 400 em wide path
 * shown through a `hide-tail` window; see katex.min.css, `overflow:hidden`).
 */
export const CLIPPING = '.scroll, .katex-mathml, .katex-stretchy, .hide-tail, .halfarrow-left, .halfarrow-right, .brace-left, .brace-center, .brace-right';

/**
 * Runs in the page (it is serialized; it must not close over anything): every
 * element whose box leaves the body's content box, outside the clipping
 * containers, outermost first. The walk checks a clipping container, an SVG
 * and a KaTeX line box (`.base`) as a whole and does not descend into it:
 * their contents are clipped or laid out inside them, and a sheet holds tens
 * of thousands of glyph spans.
 */
export function measureOverflow([slack, clipping]: [number, string]): HtmlOverflow {
  const body = document.body;
  const cs = getComputedStyle(body);
  const br = body.getBoundingClientRect();
  const left = br.left + parseFloat(cs.paddingLeft) - slack;
  const right = br.right - parseFloat(cs.paddingRight) + slack;
  const bad: Element[] = [];
  const visit = (el: Element): void => {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0 && (r.right > right || r.left < left)) { bad.push(el); return; }
    if (el.matches(clipping) || el.tagName.toLowerCase() === 'svg' || el.classList.contains('base')) return;
    for (const c of Array.from(el.children)) visit(c);
  };
  for (const c of Array.from(body.children)) visit(c);
  const describe = (el: Element): string => {
    const r = el.getBoundingClientRect();
    const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(/\s+/).join('.')}` : '';
    return `<${el.tagName.toLowerCase()}${cls}> ${Math.round(r.width)}px wide, ${Math.round(Math.max(r.right - right, left - r.left))}px out: ${(el.textContent ?? '').replace(/\s+/g, ' ').slice(0, 80)}`;
  };
  const doc = document.documentElement;
  return { pageOverflow: doc.scrollWidth - doc.clientWidth, elements: bad.slice(0, 8).map(describe) };
}

/** Runs `tasks` with at most `width` at a time, results in input order. */
export async function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, width: number): Promise<T[]> {
  const out = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      out[i] = await tasks[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return out;
}
