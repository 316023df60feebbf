/** A line plot with a logarithmic y axis: pgfplots for the PDF, SVG for HTML. */
import { escapeHtml } from './format.js';

export interface LogPlot {
  readonly title: string;         // plain text
  readonly xLabel: string;        // LaTeX
  readonly yLabel: string;        // LaTeX
  readonly points: ReadonlyArray<{ x: number; y: number }>;
}

/** Points a log axis can show (y > 0, finite). */
const drawable = (p: LogPlot) => p.points.filter((q) => Number.isFinite(q.y) && q.y > 0);

export function pgfplot(p: LogPlot): string {
  const pts = drawable(p).map((q) => `(${q.x},${q.y.toExponential(6)})`).join(' ');
  return [
    '\\begin{tikzpicture}',
    `\\begin{semilogyaxis}[width=10cm, height=5.5cm, xlabel={$${p.xLabel}$}, ylabel={$${p.yLabel}$}, xtick=data, grid=major, grid style={gray!25}]`,
    `\\addplot[mark=*, thick, color=blue!70!black] coordinates {${pts}};`,
    '\\end{semilogyaxis}',
    '\\end{tikzpicture}',
  ].join('\n');
}

export function svgPlot(p: LogPlot, katexInline: (latex: string) => string): string {
  const pts = drawable(p);
  const W = 560, H = 300, L = 80, Rm = 20, T = 20, B = 50;
  const xs = pts.map((q) => q.x), ly = pts.map((q) => Math.log10(q.y));
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const y0 = Math.floor(Math.min(...ly)), y1 = Math.max(Math.ceil(Math.max(...ly)), y0 + 1);
  const sx = (x: number) => L + (x1 === x0 ? 0.5 : (x - x0) / (x1 - x0)) * (W - L - Rm);
  const sy = (l: number) => T + (1 - (l - y0) / (y1 - y0)) * (H - T - B);
  const f = (v: number) => v.toFixed(1);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="figure plot" role="img" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
    `<title>${escapeHtml(p.title)}</title>`,
    `<rect x="${L}" y="${T}" width="${W - L - Rm}" height="${H - T - B}" fill="none" stroke="#444"/>`,
  ];
  const step = Math.max(1, Math.ceil((y1 - y0) / 8));
  for (let e = y0; e <= y1; e += step) {
    out.push(`<line x1="${L}" x2="${W - Rm}" y1="${f(sy(e))}" y2="${f(sy(e))}" stroke="#ddd"/>`);
    out.push(`<text x="${L - 6}" y="${f(sy(e) + 4)}" text-anchor="end" font-size="12" font-family="serif">1e${e}</text>`);
  }
  for (const x of [...new Set(xs)]) {
    out.push(`<text x="${f(sx(x))}" y="${H - B + 16}" text-anchor="middle" font-size="12" font-family="serif">${x}</text>`);
  }
  out.push(`<polyline fill="none" stroke="#1f4e9c" stroke-width="2" points="${pts.map((q) => `${f(sx(q.x))},${f(sy(Math.log10(q.y)))}`).join(' ')}"/>`);
  for (const q of pts) out.push(`<circle cx="${f(sx(q.x))}" cy="${f(sy(Math.log10(q.y)))}" r="3.5" fill="#1f4e9c"/>`);
  out.push(`<foreignObject x="${L}" y="${H - 28}" width="${W - L - Rm}" height="26"><div xmlns="http://www.w3.org/1999/xhtml" style="text-align:center;font-size:13px">${katexInline(p.xLabel)}</div></foreignObject>`);
  // the y label runs up the left side, as pgfplots sets it (a horizontal box there is too narrow for a norm's label)
  out.push(`<foreignObject x="${-(H - B)}" y="4" width="${H - T - B}" height="28" transform="rotate(-90)"><div xmlns="http://www.w3.org/1999/xhtml" style="text-align:center;font-size:13px">${katexInline(p.yLabel)}</div></foreignObject>`);
  out.push('</svg>');
  return out.join('\n');
}
