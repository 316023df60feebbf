/**
 * Shared set-up for the site tests: the bundled script run as the page's Worker in a Node `vm`
 * context (the same bytes a page gets, with `postMessage` as the only way out), the command line's
 * `check` run in-process, and the checker's 138 cases (test/check/check-cases.json, vendored from
 * ../shared).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { vi } from 'vitest';
import { ProblemError } from '../../src/errors.js';
import { runCheck } from '../../src/commands/check.js';
import type { EngineReply, EngineRequest, EngineResult } from '../../src/site/protocol.js';
import { ENGINE_SOURCE } from '../../src/site/page-data.js';
import { REPO } from '../helpers/oracles.js';

export interface CheckCase {
  id: string;
  problem: string;
  of: string;
  wrt: string;
  answer: string;
  latex: boolean;
  expected_equivalent: boolean;
}

export const CHECK_CASES: CheckCase[] = JSON.parse(readFileSync(join(REPO, 'test', 'check', 'check-cases.json'), 'utf8'));

/**
 * The site's script as a page's Worker sees it: the script runs first with no `document` (as in a
 * test, its page part does nothing) and leaves the engine's source in its global, which then runs in
 * a context of its own, as in the Worker. Each call posts one request and returns the structured-cloned reply.
 */
export function workerFromScript(js: string): (request: EngineRequest) => EngineResult {
  const page: Record<string, unknown> = { console };
  vm.createContext(page);
  vm.runInContext(js, page, { filename: 'gradsheet.js' });
  const engine = page[ENGINE_SOURCE];
  if (typeof engine !== 'string') throw new Error(`the script did not define ${ENGINE_SOURCE}`);
  const replies: EngineReply[] = [];
  const scope: Record<string, unknown> = {
    postMessage: (m: EngineReply) => replies.push(structuredClone(m)),
    TextEncoder, performance, console,
  };
  vm.createContext(scope);
  vm.runInContext(engine, scope, { filename: 'gradsheet-engine.js' });
  const onmessage = scope.onmessage as (ev: { data: unknown }) => void;
  let id = 0;
  return (request) => {
    onmessage({ data: structuredClone({ id: ++id, request }) });
    const r = replies.pop();
    if (!r || r.id !== id) throw new Error('the worker did not answer');
    return r.result;
  };
}

export interface CliOutcome { status: number; stdout: string; stderr: string }

/** `gradsheet check ...` in-process, as main() runs it: a ProblemError is exit 2 with its message. */
export function cliCheck(args: string[]): CliOutcome {
  let stdout = '', stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((s) => { stdout += String(s); return true; });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((s) => { stderr += String(s); return true; });
  try {
    return { status: runCheck(args), stdout, stderr };
  } catch (e) {
    if (e instanceof ProblemError) return { status: 2, stdout, stderr: stderr + `gradsheet: ${e.format()}\n` };
    throw e;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

export const caseArgs = (c: CheckCase, json: boolean): string[] =>
  [join(REPO, c.problem), '--of', c.of, '--wrt', c.wrt, '--answer', c.answer, ...(c.latex ? ['--latex'] : []), ...(json ? ['--json'] : [])];

export const problemText = (c: CheckCase): string => readFileSync(join(REPO, c.problem), 'utf8');
