/**
 * Generators for the problem-file fuzzer (fuzz-problems.test.ts): a shipped problem and up to
 * three mutations of its text, as fast-check arbitraries, and `mutate` to apply them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { REPO } from '../helpers/oracles.js';

export const seeds = readdirSync(join(REPO, 'problems')).filter((f) => f.endsWith('.yaml')).sort()
  .map((f) => ({ name: f, lines: readFileSync(join(REPO, 'problems', f), 'utf8').split('\n') }));

const KEYS = ['id', 'title', 'statement', 'network', 'kind', 'given', 'ask', 'depth', 'sizes', 'steps', 'mode', 'hidden', 'output',
  'loss', 'bias', 'fill', 'layers', 'input', 'shape', 'kernel', 'stride', 'padding', 'of', 'wrt', 'forward', 'gradient', 'update',
  'rate', 'symbols', 'exact', 'precision', 'notation', 'published', 'variants', 'equations', 'exp', 'sigmoid', 'W1', 'x', 't'];
const NASTY = ['.nan', '.inf', '-.inf', '~', 'null', '[]', '{}', 'true', '"1/0"', '1e400', '-1', '0', '1000000', '99999999999',
  '[1, [2]]', '{fill: 1e308}', '{fill: .nan}', '*x', '&a 1', '!!binary aGk=', '!custom 3', '"\\\\input{/etc/passwd}"', '|', '>-',
  '[[1, 2], [3]]', '"$\\\\write18{x}$"', '"<script>"', '1/3', '"-2/7"', '0x10', '{kind: lstm}', '[0, 0, 0, 0, 0, 0, 0, 0]', "'''"];

const formula: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('x', 'w', 'b', 'h1', 'W1', 'o', 'E', '0', '1', '0.5', '1e308', '-3', 'exp', 'q'),
    fc.tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^', ' ', ''), tie('e')).map(([a, op, b]) => `${a}${op}${b}`),
    fc.tuple(fc.constantFrom('sigmoid', 'tanh', 'relu', 'step', 'exp', 'log', 'sqrt', 'abs', 'sigma', ''), tie('e')).map(([f, a]) => `${f}(${a})`),
    tie('e').map((a) => `(${a}`),
  ),
})).e;

const value = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.double({ noNaN: false }).map(String),
  formula,
  fc.string({ maxLength: 30 }).map((s) => JSON.stringify(s)),
);

type Mutation =
  | { op: 'delete' | 'duplicate'; at: number }
  | { op: 'swap'; at: number; other: number }
  | { op: 'retype'; at: number; value: string }
  | { op: 'insert'; at: number; indent: number; key: string; value: string }
  | { op: 'number'; at: number; value: string }
  | { op: 'truncate'; frac: number }
  | { op: 'bytes'; frac: number; bytes: string };

const at = fc.nat({ max: 10_000 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const), at }),
  fc.record({ op: fc.constant('swap' as const), at, other: at }),
  fc.record({ op: fc.constant('retype' as const), at, value }),
  fc.record({ op: fc.constant('retype' as const), at, value }), // values twice as often: they reach solve()
  fc.record({ op: fc.constant('insert' as const), at, indent: fc.constantFrom(0, 2, 4, 6), key: fc.constantFrom(...KEYS), value }),
  fc.record({ op: fc.constant('number' as const), at, value }),
  fc.record({ op: fc.constant('number' as const), at, value: fc.double({ min: -1e4, max: 1e4, noNaN: true }).map(String) }),
  fc.record({ op: fc.constant('truncate' as const), frac: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('bytes' as const), frac: fc.double({ min: 0, max: 1, noNaN: true }), bytes: fc.string({ unit: 'binary', maxLength: 12 }) }),
);

function apply(lines: string[], m: Mutation): string[] {
  const out = [...lines];
  const i = 'at' in m ? m.at % Math.max(1, out.length) : 0;
  switch (m.op) {
    case 'delete': out.splice(i, 1); return out;
    case 'duplicate': out.splice(i, 0, out[i] ?? ''); return out;
    case 'swap': { const j = m.other % Math.max(1, out.length); [out[i], out[j]] = [out[j] ?? '', out[i] ?? '']; return out; }
    case 'retype': {
      // the value of the i-th `key: value` line (or list item) from i on
      const k = out.findIndex((l, n) => n >= i && /^\s*(- )?[^:#\s][^:]*:\s*\S/.test(l));
      if (k >= 0) out[k] = out[k]!.replace(/^(\s*(?:- )?[^:#\s][^:]*:\s*).*$/, `$1${m.value}`);
      return out;
    }
    case 'insert': out.splice(i, 0, `${' '.repeat(m.indent)}${m.key}: ${m.value}`); return out;
    case 'number': {
      const text = out.join('\n');
      const nums = [...text.matchAll(/-?\d+(\.\d+)?/g)];
      if (nums.length === 0) return out;
      const n = nums[m.at % nums.length]!;
      return (text.slice(0, n.index) + m.value + text.slice(n.index! + n[0].length)).split('\n');
    }
    case 'truncate': { const text = out.join('\n'); return text.slice(0, Math.floor(text.length * m.frac)).split('\n'); }
    case 'bytes': { const text = out.join('\n'); const p = Math.floor(text.length * m.frac); return (text.slice(0, p) + m.bytes + text.slice(p)).split('\n'); }
  }
}

export const fileCase = fc.record({ seed: fc.nat({ max: seeds.length - 1 }), mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }) });


/** the text of a generated case */
export const mutate = (c: { seed: number; mutations: readonly Mutation[] }): string => c.mutations.reduce(apply, seeds[c.seed]!.lines).join('\n');
