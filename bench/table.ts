/** Plain-text and Markdown tables of the benchmark rows. */
import { TOOLS, verdict, type CellResult, type RowResult } from './cells.js';
import type { Tool } from './peers/protocol.js';

export const fmtMs = (ms: number): string => (ms < 1000 ? `${ms.toPrecision(3)} ms` : `${(ms / 1000).toPrecision(3)} s`);
export const fmtRatio = (r: number): string => `${r < 10 ? r.toPrecision(2) : Math.round(r)}x`;

type Clock = 'wallMs' | 'cpuMs';

function cell(c: CellResult | undefined, base: number | null, clock: Clock, withRatio: boolean): string {
  if (!c) return '-';
  const t = c[clock];
  if (t === null) return c.failure ?? '-';
  const nodes = c.sizes ? `${c.sizes.result} n` : '';
  const ratio = withRatio && base ? `, ${fmtRatio(t / base)}` : '';
  return `${fmtMs(t)}${nodes ? `, ${nodes}` : ''}${ratio}`;
}

/** One table: a row per problem, a column per tool (time, result nodes, time / gradsheet's), the correctness verdict. */
export function tableRows(rows: readonly RowResult[], tools: readonly Tool[], clock: Clock): string[][] {
  const head = ['problem', 'gradsheet', 'fwd -> grad nodes', ...tools.filter((t) => t !== 'gradsheet'), 'values'];
  const out: string[][] = [head];
  for (const row of rows) {
    const gs = row.cells.get('gradsheet');
    const base = gs?.[clock] ?? null;
    const s = gs?.sizes;
    out.push([
      `${row.problem.family} ${row.problem.label}`,
      gs && base !== null ? fmtMs(base) : gs?.failure ?? '-',
      s ? `${s.input} -> ${s.result} (${(s.result / s.input).toFixed(2)})` : '-',
      ...tools.filter((t) => t !== 'gradsheet').map((t) => cell(row.cells.get(t), base, clock, true)),
      verdict(row).text,
    ]);
  }
  return out;
}

export function plain(table: readonly string[][]): string {
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const line = (r: readonly string[]) => r.map((x, c) => x.padEnd(widths[c]!)).join('  ').trimEnd();
  return [line(table[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...table.slice(1).map(line)].join('\n');
}

export function markdown(table: readonly string[][]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const [head, ...body] = table;
  return [`| ${head!.map(esc).join(' | ')} |`, `|${head!.map(() => ' --- ').join('|')}|`, ...body.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

export { TOOLS };
