/** `gradsheet check` on the command line: flags, exit codes (0 / 1 / 2), JSON, stdin, answer files. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ProblemError } from '../../src/errors.js';
import { runCheck } from '../../src/commands/check.js';
import { fixture, ROOT, seed } from './helpers.js';

let out = '', err = '';
beforeEach(() => {
  out = ''; err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => { out += String(s); return true; });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => { err += String(s); return true; });
});
afterEach(() => { vi.restoreAllMocks(); });

/** As main() runs a command: a ProblemError is exit 2 with its message on stderr. */
function cli(...args: string[]): number {
  try {
    return runCheck(args);
  } catch (e) {
    if (e instanceof ProblemError) { err += `gradsheet: ${e.format()}\n`; return 2; }
    throw e;
  }
}

const Q4 = fixture('q4-conv.yaml');
const sum = 'w11*x11 + w12*x12 + w21*x21 + w22*x22';

describe('gradsheet check', () => {
  it('exit 0 for an equivalent answer', () => {
    expect(cli(Q4, '--of', 'E', '--wrt', 'K[1,1]', '--answer', `(o - z)*o*(1-o)*(${sum})`)).toBe(0);
    expect(out).toContain('equivalent (symbolic)');
  });

  it('exit 1 with the JSON of contract 6.3 for the seed\'s sign mistake', () => {
    expect(cli(Q4, '--of', 'E', '--wrt', 'k11', '--json', '--answer', `(z - o)*o*(1-o)*(${sum})`)).toBe(1);
    const j = JSON.parse(out);
    expect(j).toMatchObject({ equivalent: false, method: 'numeric', diagnosis: 'sign', of: 'E', wrt: 'K[1,1]' });
    const want = (seed('S000-Q4').answer_numeric as number[][])[0]![0]!;
    expect(Math.abs(j.counterexample.expected - want)).toBeLessThan(1e-15);
    expect(Math.abs(j.counterexample.got + want)).toBeLessThan(1e-15);
    expect(j.counterexample.at['X[2,3]']).toBe(3);
  });

  it('LaTeX from an answer file, a tensor answer with per-entry verdicts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradsheet-check-'));
    const f = join(dir, 'answer.tex');
    writeFileSync(f, '(o - z)\\,o(1-o) \\begin{pmatrix} w_{11}x_{11}+w_{12}x_{12}+w_{21}x_{21}+w_{22}x_{22} & w_{11}x_{12}+w_{12}x_{13}+w_{21}x_{22}+w_{22}x_{23} \\\\ w_{11}x_{21}+w_{12}x_{22}+w_{21}x_{31}+w_{22}x_{32} & w_{11}x_{22}+w_{12}x_{23}+w_{21}x_{32}+w_{22}x_{33} \\end{pmatrix}\n');
    expect(cli(Q4, '--of', 'E', '--wrt', 'K', '--latex', '--json', '--answer-file', f)).toBe(0);
    const j = JSON.parse(out);
    expect(j.entries[1][0]).toMatchObject({ entry: 'K[2,1]', equivalent: true });
  });

  it('a derivation file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gradsheet-check-'));
    const f = join(dir, 'steps.txt');
    writeFileSync(f, `dE/dk11 = dE/do * do/dk11\n= (o - z) * o (1 - o) (${sum})\n= (o - z) * o (${sum})\n`);
    expect(cli(Q4, '--of', 'E', '--wrt', 'K[1,1]', '--derivation', f, '--json')).toBe(1);
    const j = JSON.parse(out);
    expect(j.firstWrongLine).toBe(3);
    expect(j.lines.map((l: { follows: boolean }) => l.follows)).toEqual([true, true, false]);
    // line 2 was the derivative, so line 3's slip is diagnosed against it
    expect(j.lines[2]).toMatchObject({ line: 3, diagnosis: 'wrong-derivative' });
    expect(j.diagnosis).toBe('wrong-derivative');
  });

  it('exit 2 with the column for an unknown name, and a caret under it', () => {
    expect(cli(Q4, '--of', 'E', '--wrt', 'K[1,1]', '--answer', '(o - z)*q')).toBe(2);
    expect(err).toContain("--answer:1: column 9: unknown name 'q'");
    expect(err).toContain('\n  (o - z)*q\n          ^\n');
  });

  it('exit 2 for bad flags, names and values', () => {
    expect(cli(Q4, '--wrt', 'K[1,1]', '--answer', '1')).toBe(2);
    expect(err).toContain('--of is required');
    expect(cli(Q4, '--of', 'E', '--wrt', 'Q', '--answer', '1')).toBe(2);
    expect(err).toContain("--wrt: 'Q' is not a name of this problem");
    // --wrt may name an intermediate node (its adjoint, contract 6.3); of itself is no derivative
    expect(cli(Q4, '--of', 'E', '--wrt', 'o', '--answer', 'o - z')).toBe(0);
    expect(cli(Q4, '--of', 'E', '--wrt', 'E', '--answer', '1')).toBe(2);
    expect(err).toContain('the differentiated node itself');
    expect(cli(Q4, '--of', 'E', '--wrt', 'K', '--answer', '1', '--answer-file', 'x')).toBe(2);
    expect(cli(Q4, '--of', 'E', '--wrt', 'K', '--answer', '1', '--tolerance', '2')).toBe(2);
    expect(cli(Q4, '--of', 'E', '--wrt', 'K', '--answer', '1', '--bogus')).toBe(2);
  });

  it('checks against a variant: --variant K --seed S, both or neither', () => {
    const file = join(ROOT, 'problems/variants-sigmoid-chain.yaml');
    // do/db1 of variant x7-2 with mpmath: -0.00450989770967050936 (see variants.test.ts); 3 digits pass under the problem's 1e-3
    expect(cli(file, '--of', 'o', '--wrt', 'b1', '--variant', '2', '--seed', 'x7', '--json', '--answer', '-0.00451')).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ equivalent: true, method: 'value', variant: 2, seed: 'x7-2' });
    expect(cli(file, '--of', 'o', '--wrt', 'b1', '--variant', '2', '--answer', '1')).toBe(2);
    expect(err).toContain('--variant K and --seed S go together');
    expect(cli(Q4, '--of', 'E', '--wrt', 'K[1,1]', '--answer', '1', '--variant', '3', '--seed', '7')).toBe(2);
    expect(err).toContain("no 'variants' section");
  });

  it('reads the answer from stdin (--answer -) in a real process, without a stack trace on bad input', () => {
    const run = (input: string, ...args: string[]) => spawnSync(process.execPath, [join(ROOT, 'bin/gradsheet.js'), 'check', Q4, '--of', 'E', '--wrt', 'K[1,1]', ...args],
      { input, encoding: 'utf8', cwd: ROOT, timeout: 60_000 });
    const ok = run(`-(z - o)\\,\\sigma'(w_{11}y_{11}+w_{12}y_{12}+w_{21}y_{21}+w_{22}y_{22}) (${sum})`, '--latex', '--answer', '-');
    expect(ok.status).toBe(0);
    const bad = run('(o - z) * (((', '--answer', '-');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('stdin:1: column');
    expect(bad.stderr).not.toContain('    at ');
  }, 60_000);
});
