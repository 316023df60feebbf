/** The issue's targets, checked against one benchmark run. */
import type { RowResult } from './cells.js';
import { verdict } from './cells.js';
import type { Figure, FigureKey } from './pipeline.js';
import { fmtMs, fmtRatio } from './table.js';

export interface Target { readonly target: string; readonly measured: string; readonly met: boolean | null }

export function targets(rows: readonly RowResult[], figures: readonly Figure[]): Target[] {
  const out: Target[] = [];
  if (rows.length) {
    let worst = 0, where = '';
    for (const r of rows) {
      const s = r.cells.get('gradsheet')?.sizes;
      if (s && s.result / s.input > worst) { worst = s.result / s.input; where = `${r.problem.family} ${r.problem.label}`; }
    }
    out.push({ target: 'gradient graph <= 3x forward graph, every row', measured: `largest ${worst.toFixed(2)}x (${where})`, met: worst <= 3 });
    const bad = rows.filter((r) => !verdict(r).ok);
    out.push({ target: 'every value agrees with gradsheet (1e-9 relative), gradsheet with the reference', measured: bad.length ? bad.map((r) => `${r.problem.family} ${r.problem.label}: ${verdict(r).text}`).join('; ') : `all ${rows.length} rows agree`, met: bad.length === 0 });
    const t7 = rows.find((r) => r.problem.family === 'rnn' && r.problem.size === 7);
    const gs = t7?.cells.get('gradsheet'), mj = t7?.cells.get('mathjs+simplify');
    if (gs?.wallMs && mj) {
      out.push(mj.wallMs !== null
        ? { target: '>= 100x faster than mathjs derivative with simplify at T = 7', measured: `${fmtMs(mj.wallMs)} / ${fmtMs(gs.wallMs)} = ${fmtRatio(mj.wallMs / gs.wallMs)} (wall), ${fmtRatio(mj.cpuMs! / gs.cpuMs!)} (CPU)`, met: mj.wallMs / gs.wallMs >= 100 }
        : { target: '>= 100x faster than mathjs derivative with simplify at T = 7', measured: `mathjs: ${mj.failure}; gradsheet ${fmtMs(gs.wallMs)}`, met: mj.timeout ? true : null });
    }
  }
  const f = (k: FigureKey) => figures.find((x) => x.key === k);
  const d50 = f('derive-50'), s50 = f('sympy-50');
  if (d50?.wallMs && s50?.wallMs) {
    const r = s50.wallMs / d50.wallMs;
    out.push({ target: 'derive --json, T = 50 RNN, 3 gradients, whole process: >= 10x faster than SymPy', measured: `${fmtMs(s50.wallMs)} / ${fmtMs(d50.wallMs)} = ${fmtRatio(r)}`, met: r >= 10 && d50.ok && s50.ok });
  }
  const d200 = f('derive-200');
  if (d200?.wallMs) out.push({ target: 'T = 200 correct in under 3 s (whole process)', measured: `${fmtMs(d200.wallMs)}${d200.ok ? ', values agree with the reference' : `, ${d200.note}`}`, met: d200.wallMs < 3000 && d200.ok });
  const sh = f('sheets');
  if (sh?.wallMs) out.push({ target: 'every sheet in problems/ (tex, html) under 2 s from a cold start', measured: fmtMs(sh.wallMs), met: sh.wallMs < 2000 && sh.ok });
  const v = f('variants');
  if (v) out.push(v.wallMs ? { target: '>= 200 variants per second (chain problem, no PDFs)', measured: `${Math.round(1000 / (v.wallMs / 1000))} per second (1000 in ${fmtMs(v.wallMs)})`, met: 1000 / (v.wallMs / 1000) >= 200 && v.ok } : { target: '>= 200 variants per second', measured: v.note, met: null });
  return out;
}
