/** `check --json` (contract 6.3) and the plain report for a terminal. */
import { nest } from '../derive/json.js';
import type { CheckResult } from './check.js';
import type { DerivationResult } from './derivation.js';
import { fmt } from './diagnose.js';

export interface CheckJson {
  equivalent: boolean;
  method: CheckResult['method'];
  counterexample: CheckResult['counterexample'];
  diagnosis: CheckResult['diagnosis'];
  detail: string | null;
  of: string;
  wrt: string;
  entries?: unknown;
  lines?: Array<{ line: number; follows: boolean | null; detail?: string | null }>;
  firstWrongLine?: number | null;
}

const isDerivation = (r: CheckResult): r is DerivationResult => 'lines' in r;

export function checkJson(r: CheckResult): CheckJson {
  const out: CheckJson = {
    equivalent: r.equivalent, method: r.method, counterexample: r.counterexample,
    diagnosis: r.diagnosis, detail: r.detail, of: r.of, wrt: r.wrt,
  };
  if (r.entries) {
    out.entries = nest(r.entries.map((e) => ({ entry: e.key, equivalent: e.equivalent, method: e.method, diagnosis: e.diagnosis, detail: e.detail })), r.shape);
  }
  if (isDerivation(r)) {
    out.lines = r.lines.map((l) => ({ line: l.line, follows: l.follows, ...(l.follows === false ? { diagnosis: l.diagnosis ?? null, detail: l.detail ?? null } : {}) }));
    out.firstWrongLine = r.firstWrongLine;
  }
  return out;
}

export function checkText(r: CheckResult): string {
  const what = `d${r.of}/d${r.wrt}`;
  const lines: string[] = [];
  if (isDerivation(r)) {
    for (const l of r.lines) {
      const verdict = l.follows === null ? 'first step' : l.follows ? 'follows' : `does not follow: ${l.diagnosis}: ${l.detail}`;
      lines.push(`line ${l.line}: ${verdict}`);
    }
    lines.push(r.firstWrongLine === null ? 'every line follows from the one before' : `the first line that does not follow is line ${r.firstWrongLine}`);
  }
  const subject = isDerivation(r) ? 'the last line' : 'the answer';
  if (r.equivalent) lines.push(`equivalent (${r.method}): ${subject} equals ${what}`);
  else {
    lines.push(`not equivalent (${r.method}): ${subject} differs from ${what}`);
    lines.push(`  diagnosis: ${r.diagnosis}${r.detail ? ` - ${r.detail}` : ''}`);
    const c = r.counterexample;
    if (c) {
      const where = c.where === 'given' ? "at the problem's values" : 'at a random point';
      lines.push(`  ${c.entry ? `${c.entry} ` : ''}${where}: expected ${fmt(c.expected)}, got ${fmt(c.got)}`);
      if (c.where === 'random') lines.push(`  (${Object.entries(c.at).map(([k, v]) => `${k} = ${fmt(v)}`).join(', ')})`);
    }
  }
  if (r.entries) {
    for (const e of r.entries) lines.push(`  ${e.key}: ${e.equivalent ? 'equivalent' : `${e.diagnosis}${e.detail ? ` - ${e.detail}` : ''}`}`);
  }
  return lines.join('\n');
}

/** Where a 1-based column of an answer falls: its line, the column in that line, and the line with a caret under it. */
export function answerExcerpt(text: string, col: number): { line: number; column: number; excerpt: string } {
  const before = text.slice(0, col - 1);
  const line = before.split('\n').length;
  const lineText = text.split('\n')[line - 1] ?? '';
  const c = col - 1 - (before.lastIndexOf('\n') + 1);
  const from = Math.max(0, c - 60);
  return { line, column: c + 1, excerpt: `${lineText.slice(from, from + 120)}\n${' '.repeat(c - from)}^` };
}
