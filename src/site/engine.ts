/**
 * The engine of a site page: parse, solve, render and check exactly as the
 * command line does (`gradsheet check`, the sheets of `gradsheet build`),
 * with no file system. It runs inside a Worker; the page only talks to it
 * through the messages of protocol.ts. Prepared checks are kept per problem
 * text and derivative, so a student's second answer costs only the comparison.
 */
import { ProblemError } from '../errors.js';
import { parseProblem } from '../problem/load.js';
import type { ProblemSpec } from '../problem/spec.js';
import { solve, type Solution } from '../derive/solve.js';
import { renderTextSheets, type SheetTemplates } from '../render/sheets.js';
import { AnswerError } from '../check/ast.js';
import { checkAnswer, DEFAULT_TOLERANCE, type CheckResult } from '../check/check.js';
import { prepareCheck, type CheckContext } from '../check/context.js';
import { checkDerivation } from '../check/derivation.js';
import { answerExcerpt, checkJson, checkText } from '../check/report.js';
import { solveVariants } from '../variants/job.js';
import { preview } from './preview.js';
import type { EngineRequest, EngineResult, InputError, ProblemSource, VariantChoice } from './protocol.js';

/** Problems and prepared checks kept: a page holds one problem, the playground a few edits of one. */
const KEPT = 8;
/** The name `checkDerivation` gives the derivation in its messages (the CLI gives the file's name). */
export const DERIVATION_SOURCE = 'derivation';

export class SiteEngine {
  private readonly problems = new Map<string, ProblemSpec>();
  private readonly contexts = new Map<string, CheckContext>();

  constructor(private readonly templates: SheetTemplates, private readonly now: () => number = () => Date.now()) {}

  handle(req: EngineRequest): EngineResult {
    try {
      switch (req.kind) {
        case 'prepare':
          this.context(req.problem, req.of, req.wrt);
          return { kind: 'prepared' };
        case 'check':
          return this.check(req);
        case 'sheet':
          return this.sheet(req.problem, req.variant);
        case 'preview':
          return { kind: 'preview', preview: preview(req.text, req.latex) };
      }
    } catch (e) {
      if (e instanceof AnswerError && req.kind === 'check') return { kind: 'input-error', error: answerError(e, req.answer) };
      if (e instanceof ProblemError) {
        const source = req.kind === 'check' && e.file === DERIVATION_SOURCE ? 'answer' : 'problem';
        return { kind: 'input-error', error: { message: e.format(), source, line: e.line, key: e.key, column: e.column } };
      }
      return { kind: 'failed', message: `internal error: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /** `gradsheet check FILE --of --wrt (--answer | --derivation) [--latex] --json`, from the page. */
  private check(req: Extract<EngineRequest, { kind: 'check' }>): EngineResult {
    const t0 = this.now();
    const ctx = this.context(req.problem, req.of, req.wrt);
    const tolerance = ctx.variant?.tolerance ?? DEFAULT_TOLERANCE;
    const result: CheckResult = req.derivation
      ? checkDerivation(ctx, req.answer, DERIVATION_SOURCE, { latex: req.latex, tolerance })
      : checkAnswer(ctx, req.answer, { latex: req.latex, tolerance });
    return { kind: 'checked', json: checkJson(result), text: checkText(result), ms: this.now() - t0 };
  }

  /** The solution sheet's HTML fragment (the site's templates), of the problem or of one variant. */
  private sheet(source: ProblemSource, variant: VariantChoice | null): EngineResult {
    const t0 = this.now();
    const problem = parseProblem(source.text, source.file);
    let sol: Solution;
    let subtitle = problem.id;
    if (variant) {
      if (!/^[A-Za-z0-9_.:-]{1,100}$/.test(variant.seed)) throw new ProblemError(`the seed takes letters, digits and . _ : - (at most 100), got '${variant.seed}'`);
      if (!Number.isInteger(variant.number) || variant.number < 1 || variant.number > 1_000_000) throw new ProblemError('the variant is a whole number from 1 to 1000000');
      const v = solveVariants(problem, variant.seed, variant.number, variant.number).variants[0]!;
      sol = v.sol;
      subtitle = `variant ${v.number}, seed ${v.seedLabel}`;
    } else sol = solve(problem);
    const html = renderTextSheets(sol, { formats: ['html'], sheets: ['solution'], subtitle }, this.templates).sheets[0]!.texts.get('html')!;
    return { kind: 'sheet', html, subtitle, ms: this.now() - t0 };
  }

  private problem(source: ProblemSource): ProblemSpec {
    const key = `${source.file}\u0000${source.text}`;
    return remember(this.problems, key, () => parseProblem(source.text, source.file));
  }

  private context(source: ProblemSource, of: string, wrt: string): CheckContext {
    const key = `${source.file}\u0000${source.text}\u0000${of}\u0000${wrt}`;
    return remember(this.contexts, key, () => prepareCheck(this.problem(source), of, wrt));
  }
}

/** A small cache that forgets the oldest entry; a failed computation is not kept. */
function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= KEPT) cache.delete(cache.keys().next().value!);
    cache.set(key, v);
  }
  return v;
}

/** The answer's line and column with the CLI's excerpt (`gradsheet check` prints the same caret). */
function answerError(e: AnswerError, text: string): InputError {
  return { message: e.message, source: 'answer', ...answerExcerpt(text, e.col) };
}
