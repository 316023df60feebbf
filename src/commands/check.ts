/**
 * `gradsheet check FILE --of E --wrt K[1,1] (--answer A | --answer-file F | --answer - | --derivation F)
 *  [--latex] [--tolerance T] [--json]`: is a hand-written answer the true derivative (contract 6.3)?
 * Exit 0 equivalent, 1 not, 2 bad input (with the column of the mistake in the answer).
 */
import { readFileSync } from 'node:fs';
import { ProblemError } from '../errors.js';
import { loadProblem } from '../problem/read.js';
import { AnswerError } from '../check/ast.js';
import { checkAnswer, DEFAULT_TOLERANCE, type CheckResult } from '../check/check.js';
import { prepareCheck } from '../check/context.js';
import { checkDerivation } from '../check/derivation.js';
import { variantDraw } from '../check/variant.js';
import { DEFAULT_LIMITS } from '../check/limits.js';
import { answerExcerpt, checkJson, checkText } from '../check/report.js';
import { parseToleranceOption } from '../input/tolerance.js';
import { applyBudgetFlags, BUDGET_FLAGS, flagInt, flagString, parseArgs } from './args.js';

const HELP = `Usage: gradsheet check FILE --of E --wrt 'K[1,1]' (--answer '...' | --answer-file F | --answer - | --derivation F)
                       [--latex] [--tolerance T] [--json] [--variant K --seed S]
                       [--max-nodes N]

Is a hand-written derivative equal to d of / d wrt of the problem in FILE?
  --answer TEXT     the answer (plain text: (o-z)*o*(1-o)*w11, 2(z-o)z(1-z)h, sigma(u), e^x, k_{11}, K[1,1],
                    steps h_t / h[t-1] / s_3, adjoints delta_z2 / delta_z[t], matrix forms delta_z2 @ h^T,
                    sum_t(...), definitions first: d := p - t; d h^T)
  --answer-file F   read the answer from a file ('-' for stdin), so LaTeX survives the shell
  --latex           the answer is LaTeX (\\sigma(u), \\frac{a}{b}, w_{11}, \\cdot, \\odot, x^{\\top}, pmatrix,
                    \\sum_{t=1}^{T}, \\sum_t, h^{(t)}, \\delta_t, \\bar{h}_1, \\mathbb{1}[z > 0], the sheet's own names)
  --derivation F    a derivation, one step per line ('= expr' or 'lhs = rhs'): reports the first
                    line that does not follow and whether the last line is the derivative
  --wrt W1          a whole tensor: the answer is a matrix, checked entry by entry; --wrt may also
                    name an intermediate node or a step (z2, 'h[2]'): its adjoint d of / d node
  --tolerance T     relative tolerance for numbers at the problem's values (default 1e-6;
                    with --variant, the problem's variants tolerance)
  --json            the verdict as JSON (contract 6.3)
  --variant K --seed S   check against variant K of 'gradsheet variants FILE --seed S'
  --max-nodes N     the node budget of the scalar graph (default 200,000)
An answer that is the asked derivative itself (\\frac{\\partial E}{\\partial w}, dE/dw) is refused (exit 2).
Exit codes: 0 equivalent, 1 not equivalent, 2 bad input.`;

const SPEC = {
  of: true, wrt: true, answer: true, 'answer-file': true, derivation: true, latex: false,
  tolerance: true, json: false, variant: true, seed: true, help: false, ...BUDGET_FLAGS,
} as const;

export function runCheck(args: string[]): number {
  const p = parseArgs(args, SPEC);
  if (p.flags.has('help')) { process.stdout.write(HELP + '\n'); return 0; }
  applyBudgetFlags(p);
  const variant = variantFlags(p);
  if (p.positional.length !== 1) throw new ProblemError('check takes one problem file (see --help)');
  const of = flagString(p, 'of') ?? fail('--of is required (the node differentiated, e.g. --of E)');
  const wrt = flagString(p, 'wrt') ?? fail("--wrt is required (a leaf or an element, e.g. --wrt 'K[1,1]')");
  const sources = (['answer', 'answer-file', 'derivation'] as const).filter((f) => p.flags.has(f));
  if (sources.length !== 1) throw new ProblemError('give exactly one of --answer, --answer-file and --derivation');
  const latex = p.flags.has('latex');

  const flag = sources[0]!;
  const value = flagString(p, flag)!;
  const source = flag === 'answer' && value !== '-' ? '--answer' : value === '-' ? 'stdin' : value;
  const text = flag === 'answer' && value !== '-' ? value : readInput(value);

  const draw = variant ? variantDraw(variant.seed, variant.number) : undefined;
  const ctx = prepareCheck(loadProblem(p.positional[0]!), of, wrt, { variant: draw });
  // a variant's answers are rounded by students: the problem's own tolerance unless --tolerance says otherwise
  const tolFlag = flagString(p, 'tolerance');
  const tolerance = (tolFlag === undefined ? undefined : parseToleranceOption(tolFlag)) ?? ctx.variant?.tolerance ?? DEFAULT_TOLERANCE;
  let result: CheckResult;
  try {
    result = flag === 'derivation' ? checkDerivation(ctx, text, source, { latex, tolerance }) : checkAnswer(ctx, text, { latex, tolerance });
  } catch (e) {
    if (e instanceof AnswerError) {
      // the answer's own line with a caret under the column
      const at = answerExcerpt(text, e.col);
      process.stderr.write(`gradsheet: ${source}:${at.line}: ${e.message}\n${at.excerpt.replace(/^/gm, '  ')}\n`);
      return 2;
    }
    throw e;
  }
  const v = ctx.variant;
  const json = { ...checkJson(result), ...(v ? { variant: v.number, seed: v.seed } : {}) };
  const report = (v ? `variant ${v.number} (seed ${v.seed})\n` : '') + checkText(result);
  process.stdout.write((p.flags.has('json') ? JSON.stringify(json, null, 2) : report) + '\n');
  return result.equivalent ? 0 : 1;
}

function fail(msg: string): never {
  throw new ProblemError(msg);
}

/** --variant K --seed S, both or neither; the seed is spelled as for `gradsheet variants`. */
function variantFlags(p: ReturnType<typeof parseArgs>): { seed: string; number: number } | undefined {
  const seed = flagString(p, 'seed');
  const number = flagInt(p, 'variant', 1, 1_000_000);
  if (seed === undefined && number === undefined) return undefined;
  if (seed === undefined || number === undefined) throw new ProblemError('--variant K and --seed S go together (the seed given to gradsheet variants)');
  if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(seed)) throw new ProblemError(`--seed takes letters, digits and . _ : - (at most 100), got '${seed}'`);
  return { seed, number };
}

/** A file or stdin ('-'), bounded in size. */
function readInput(path: string): string {
  const max = DEFAULT_LIMITS.maxChars * 5;
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (e) {
    throw new ProblemError(`cannot read the answer (${(e as NodeJS.ErrnoException).code ?? 'error'})`, path === '-' ? 'stdin' : path);
  }
  if (text.length > max) throw new ProblemError(`the answer is longer than ${max} characters`, path === '-' ? 'stdin' : path);
  return text.replace(/\s+$/, '');
}
