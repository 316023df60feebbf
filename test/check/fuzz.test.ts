/**
 * Fuzzing the answer reader and the comparison: 10,000+ random and mutated answers, plain text and
 * LaTeX. Each must end in a verdict or a ProblemError (an input error, exit 2) - never another
 * exception - and within the operation budget (counted, so the assertion does not depend on the
 * machine's speed; the wall-clock backstop is only checked loosely).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../src/errors.js';
import { checkValue, readAnswer } from '../../src/check/check.js';
import type { CheckContext } from '../../src/check/context.js';
import { Budget, DEFAULT_LIMITS } from '../../src/check/limits.js';
import { correct, mistakes } from './case-list.js';
import { ctxFor, fixture, shipped } from './helpers.js';

const DIAGNOSES = new Set([null, 'sign', 'factor', 'missing-term', 'extra-term', 'missing-factor', 'transposed', 'wrong-derivative', 'time-shift', 'other']);
const stats = { runs: 0, verdicts: 0, inputErrors: 0, maxOps: 0, maxMs: 0 };

/** One check; throws (failing the property) on anything but a verdict or a ProblemError. */
function probe(ctx: CheckContext, text: string, latex: boolean): void {
  const budget = new Budget(DEFAULT_LIMITS);
  const t0 = performance.now();
  stats.runs++;
  try {
    const r = checkValue(ctx, readAnswer(ctx, text, latex, budget), 1e-6, budget);
    stats.verdicts++;
    if (typeof r.equivalent !== 'boolean' || !DIAGNOSES.has(r.diagnosis)) throw new Error(`malformed verdict for ${JSON.stringify(text)}`);
    if (r.equivalent !== (r.diagnosis === null)) throw new Error(`verdict and diagnosis disagree for ${JSON.stringify(text)}`);
  } catch (e) {
    if (!(e instanceof ProblemError)) throw e;
    stats.inputErrors++;
  }
  stats.maxOps = Math.max(stats.maxOps, budget.used);
  stats.maxMs = Math.max(stats.maxMs, performance.now() - t0);
  if (budget.used > DEFAULT_LIMITS.maxOps) throw new Error(`over budget: ${budget.used} operations for ${JSON.stringify(text)}`);
}

const TEXT_TOKENS = ['w4', 'w3', 'h3', 'h1', 'x', 'b1', 'o', '(', ')', '(', ')', '1', '2', '0.5', '1e-3', '-', '+', '*', '/', '^', '^2', '**',
  'sigma', 'σ', "sigma'", 'tanh', 'exp', 'e', 'e^', 'log', 'sqrt', 'relu', '[', ']', ',', ';', '_', '_{', '}', '{', 'h_1', 'w_{4}', 'K[1,1]',
  'k11', 'delta_h2', 'delta_o', 'dE/do', 'do/dh3', '∂o/∂h1', '∂', '.*', '∘', 'ᵀ', '^T', 'sum_{t=1}^{3}', 't', '|', "'", '=', '−', '·', ' ', ' '];
const LATEX_TOKENS = ['w_4', 'w_{3}', 'h_3', 'h_{1}', 'x', 'b_1', 'o', '(', ')', '\\left(', '\\right)', '{', '}', '{', '}', '1', '2', '-', '+',
  '\\cdot', '\\times', '\\odot', '/', '^', '^{2}', '^{\\top}', '_', '\\sigma', "\\sigma'", '\\tanh', '\\tanh^2', '\\exp', 'e^{', '\\log',
  '\\sqrt', '\\frac', '\\frac12', '\\partial', '\\frac{\\partial o}{\\partial h_1}', '\\sum_{t=1}^{T}', '\\prod_{i=2}^{3}', 'h_{t}', 'h_{t-1}',
  '\\begin{pmatrix}', '\\end{pmatrix}', '&', '\\\\', '\\delta_{h_2}', '\\mathbf{W}', '\\operatorname{ReLU}', '\\,', '\\quad', '|', '\\left|', '\\right|', ' ', ' '];

const tokens = (list: string[]) => fc.array(fc.constantFrom(...list), { maxLength: 40 }).map((ts) => ts.join(''));

/** Edits of a correct or mistaken answer: deletions, insertions, swaps, duplications. */
const edit = fc.oneof(
  fc.record({ k: fc.constant('del' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ k: fc.constant('ins' as const), at: fc.nat(), s: fc.oneof(fc.constantFrom(...TEXT_TOKENS, ...LATEX_TOKENS), fc.string({ maxLength: 3 })) }),
  fc.record({ k: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  fc.record({ k: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
);
type Edit = typeof edit extends fc.Arbitrary<infer E> ? E : never;

function mutate(s: string, edits: readonly Edit[]): string {
  for (const e of edits) {
    const i = s.length ? e.at % (s.length + 1) : 0;
    if (e.k === 'del') s = s.slice(0, i) + s.slice(i + e.len);
    else if (e.k === 'ins') s = s.slice(0, i) + e.s + s.slice(i);
    else if (e.k === 'swap' && s.length > 1) { const j = e.to % s.length, a = Math.min(i, s.length - 1); const c = [...s]; [c[a], c[j]] = [c[j]!, c[a]!]; s = c.join(''); }
    else if (e.k === 'dup') s = s.slice(0, i) + s.slice(i, i + e.len) + s.slice(i);
  }
  return s;
}

/** Expressions that always parse: names of the chain, numbers, functions, operators, sums. */
const leaf = fc.constantFrom('x', 'w1', 'w2', 'w3', 'w4', 'b1', 'b3', 'h1', 'h2', 'h3', 'o', '0', '1', '2', '0.5', 'e', 'delta_h2', 'dh3/dh2');
const { expr } = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof({ depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('expr'), fc.constantFrom(' + ', ' - ', '*', '/', ' ', '^'), tie('expr')).map(([a, op, b]) => (op === '^' ? `(${a})^2` : `(${a})${op}(${b})`)),
    fc.tuple(fc.constantFrom('sigma', 'tanh', 'exp', 'log', 'sqrt', 'relu', "sigma'", "tanh'", 'abs'), tie('expr')).map(([f, a]) => `${f}(${a})`),
    tie('expr').map((a) => `-${a}`),
    tie('expr').map((a) => `sum_{t=1}^{3} h_t (${a})`)),
}));

const seeds = [...correct, ...mistakes].filter((c) => c.file.endsWith('q4-conv.yaml') || c.file.includes('vanish'));

describe('fuzz', () => {
  const chain = () => ctxFor(shipped('seed000-q2-2-sigmoid-chain-vanish.yaml'), 'o', 'b1');
  const q4 = () => ctxFor(fixture('q4-conv.yaml'), 'E', 'K[1,1]');
  const opts = { seed: 20260101, numRuns: 2500 };
  // thousands of checks each: seconds alone, longer on a machine shared with other test files
  const LONG = 60_000;

  it('random plain-text token strings', () => {
    fc.assert(fc.property(tokens(TEXT_TOKENS), (s) => probe(chain(), s, false)), opts);
  }, LONG);

  it('random LaTeX token strings', () => {
    fc.assert(fc.property(tokens(LATEX_TOKENS), (s) => probe(chain(), s, true)), opts);
  }, LONG);

  it('random characters', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60, unit: fc.oneof(fc.constantFrom(...'()[]{}+-*/^_,;|&\'=.\\ 0123456789ehowxbkz∂σ·ᵀ'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }), fc.boolean(),
      (s, latex) => probe(chain(), s, latex)), { ...opts, numRuns: 2000 });
  }, LONG);

  it('random well-formed expressions over the problem\'s names (plain text)', () => {
    fc.assert(fc.property(expr, (s) => probe(chain(), s, false)), { ...opts, numRuns: 1500 });
  }, LONG);

  it('mutated answers from the case list', () => {
    fc.assert(fc.property(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: 3 }), (c, edits) => {
      const ctx = c.file.endsWith('q4-conv.yaml') ? (c.wrt === 'K[1,1]' || c.wrt === 'k11' ? q4() : ctxFor(c.file, c.of, c.wrt)) : chain();
      probe(ctx, mutate(c.answer, edits), c.latex ?? false);
    }), { ...opts, numRuns: 2500 });
  }, LONG);

  it('ran at least 10,000 answers, every one within the budget', () => {
    expect(stats.runs).toBeGreaterThanOrEqual(10_000); // 2500 + 2500 + 2000 + 1500 + 2500
    expect(stats.verdicts).toBeGreaterThan(2_000);
    expect(stats.inputErrors).toBeGreaterThan(500);
    expect(stats.maxOps).toBeLessThanOrEqual(DEFAULT_LIMITS.maxOps);
    expect(stats.maxMs).toBeLessThan(DEFAULT_LIMITS.timeMs);
    console.log(`fuzz: ${stats.runs} answers, ${stats.verdicts} verdicts, ${stats.inputErrors} input errors, at most ${stats.maxOps} operations and ${stats.maxMs.toFixed(1)} ms for one`);
  });
});
