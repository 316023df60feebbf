// Variants of problems written as tensor equations (issue 20): the shipped MLP
// with softmax (200 variants) and LSTM (50 variants). Every answer is recomputed
// by NumPy from the drawn values in answers.json (test/variants/tensor_check.py,
// written from the problem files: the MLP's textbook backward pass, the LSTM's
// central differences), which also re-checks every `require` line, the kinks and
// that no draw repeats; a second run in another process gives identical bytes.
// Then the pieces: require lines over tensor nodes (their semantics on small
// networks whose values are computed here by hand, and their errors), the
// answer files and the quiz questions of one entry each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProblemError } from '../../src/errors.js';
import { parseProblem } from '../../src/problem/load.js';
import { loadProblem } from '../../src/problem/read.js';
import { buildNetwork } from '../../src/networks/registry.js';
import { answersCsv, answersJson, variantJson } from '../../src/variants/answers.js';
import { drawVariants, type DrawnVariant } from '../../src/variants/generate.js';
import { solveVariants } from '../../src/variants/job.js';
import { quizXml } from '../../src/variants/moodle.js';
import { quizFromVariants } from '../../src/variants/qti/from-variants.js';
import { allQuestions } from '../../src/variants/qti/model.js';
import { parseVariants } from '../../src/variants/spec.js';
import { runCliMany } from '../helpers/cli.js';
import { REPO } from '../helpers/oracles.js';
import { kids, parseXml } from './xml.js';
import { splitCsvLine } from '../exam/split.js';

const MLP = 'problems/variants-mlp-softmax.yaml';
const LSTM = 'problems/variants-lstm.yaml';
const SEED = 'issue20';
const COUNTS = { mlp: 200, lstm: 50 } as const;

type Nested = number | Nested[];
interface Answer {
  variant: number; seed: string;
  given: Record<string, Nested>; values: Record<string, Nested>; gradients: { E: Record<string, Nested> };
  matrixForms: { E: Record<string, string> }; definitions: Record<string, string>; adjointValues: Record<string, Nested>;
  check: { passed: boolean };
}

let tmp: string;
const text = { mlp: '', lstm: '' };
const answers = { mlp: [] as Answer[], lstm: [] as Answer[] };

beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gradsheet-tensor-variants-'));
  for (const [k, file] of [['mlp', MLP], ['lstm', LSTM]] as const) {
    const run = solveVariants(loadProblem(join(REPO, file)), SEED, 1, COUNTS[k]);
    text[k] = answersJson(run.variants);
    writeFileSync(join(tmp, `${k}.json`), text[k]);
    answers[k] = JSON.parse(text[k]) as Answer[];
  }
}, 60_000);

afterAll(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

describe(`${COUNTS.mlp} variants of ${MLP} and ${COUNTS.lstm} of ${LSTM}`, () => {
  for (const k of ['mlp', 'lstm'] as const) {
    it(`${k}: NumPy recomputes every asked value and gradient from the drawn values; every require holds, no kink, no repeat`, () => {
      expect(answers[k]).toHaveLength(COUNTS[k]);
      expect(answers[k].every((a) => a.check.passed)).toBe(true);
      const r = spawnSync('python3', [join(REPO, 'test/variants/tensor_check.py'), k, join(tmp, `${k}.json`)], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      const report = JSON.parse(r.stdout) as { variants: number; checked: boolean; maxRelDiff: number; failures: string[] };
      expect(report.failures).toEqual([]);
      expect(r.status).toBe(0);
      expect(report).toMatchObject({ variants: COUNTS[k], checked: true });
      expect(report.maxRelDiff).toBeLessThan(1e-12);
    });
  }

  it('the one-hot target is drawn as a whole row, each of the three', () => {
    const rows = new Set(answers.mlp.map((a) => JSON.stringify(a.given.t)));
    expect([...rows].sort()).toEqual(['[0,0,1]', '[0,1,0]', '[1,0,0]']);
  });

  it('a second run, in another process (the command line), gives identical bytes', async () => {
    const [mlp, lstm] = await runCliMany([MLP, LSTM].map((f, i) => ['variants', f, '--count', String(i ? COUNTS.lstm : COUNTS.mlp), '--seed', SEED, '--json']));
    expect(mlp!.stderr).toBe('');
    expect(mlp!.status).toBe(0);
    expect(mlp!.stdout === text.mlp).toBe(true);
    expect(lstm!.status).toBe(0);
    expect(lstm!.stdout === text.lstm).toBe(true);
  }, 120_000);

  it('variant k alone (--only k) is variant k of the whole run', () => {
    const problem = loadProblem(join(REPO, MLP));
    const [v] = solveVariants(problem, SEED, 137, 137).variants;
    expect(JSON.stringify(variantJson(v!))).toBe(JSON.stringify(answers.mlp[136]));
  });

  it('answers.json: every drawn and fixed given value, nested by shape; matrix forms with their adjoints\' numbers', () => {
    const a = answers.mlp[0]!;
    expect(Object.keys(a.given)).toEqual(['x', 'W1', 'b1', 'W2', 'b2', 't']);
    expect(a.given.b1).toEqual([0.1, 0.2, -0.1, 0.05]);
    expect((a.given.W1 as number[][]).map((r) => r.length)).toEqual([3, 3, 3, 3]);
    expect(a.matrixForms.E).toMatchObject({ W2: 'delta_z2 @ h^T', W1: 'delta_z1 @ x^T' });
    // delta_z2 = p - t, with this variant's numbers (p from the values, t drawn)
    const p = a.values.p as number[], t = a.given.t as number[];
    (a.adjointValues.delta_z2 as number[]).forEach((d, i) => expect(d).toBeCloseTo(p[i]! - t[i]!, 14));
    expect(a.adjointValues.delta_z2).toEqual(a.gradients.E.z2);
    const l = answers.lstm[0]!;
    expect(Object.keys(l.given)).toEqual(['x', 'y', 'h0', 'c0', 'Wf', 'Wi', 'Wo', 'Wg', 'bf', 'bi', 'bo', 'bg']);
    expect((l.given.x as number[][]).map((r) => r.length)).toEqual([2, 2, 2]);
    expect(l.definitions).toHaveProperty(['delta_c[t]']);
    // the asked c[2] adjoint is delta_c at step 2
    expect(l.adjointValues['delta_c[2]']).toEqual(l.gradients.E['c[2]']);
  });
});

describe('answers.csv, quiz.xml and the QTI packages of a tensor problem', () => {
  const problem = loadProblem(join(REPO, LSTM));
  const run = solveVariants(problem, SEED, 1, 2);

  it('answers.csv: a column per entry, the given sequence step by step', () => {
    const [cols, row] = answersCsv(run.variants).trimEnd().split('\n').map(splitCsvLine);
    expect(cols!.slice(0, 8)).toEqual(['variant', 'seed', 'x[1,1]', 'x[1,2]', 'x[2,1]', 'x[2,2]', 'x[3,1]', 'x[3,2]']);
    for (const c of ['E/Wf[2,4]', 'E/bf[2]', 'E/c[2,1]', 'c[3,2]', 'h[1,1]', 'E']) expect(cols).toContain(c);
    expect(cols!.length).toBe(row!.length);
    // every cell is the JSON's number
    const a = answersJsonOf(run)[0]!;
    expect(Number(row![cols!.indexOf('x[2,1]')])).toBe((a.given.x as number[][])[1]![0]);
    expect(Number(row![cols!.indexOf('E/Wf[2,4]')])).toBe((a.gradients.E.Wf as number[][])[1]![3]);
    expect(Number(row![cols!.indexOf('E/c[2,1]')])).toBe((a.gradients.E['c[2]'] as number[])[0]);
    expect(Number(row![cols!.indexOf('c[3,2]')])).toBe((a.values.c as number[][])[2]![1]);
  });

  it('quiz.xml: one numerical question per variant and asked entry, in matrix notation', () => {
    const doc = parseXml(quizXml(run.variants, { kind: 'relative', value: 1e-3 }));
    const qs = kids(doc, 'question').filter((q) => q.attrs.type === 'numerical');
    // c (3x2), h (3x2), E, dE/dWf (2x4), dE/dWg (2x4), dE/dbf (2), dE/dc[2] (2)
    expect(qs).toHaveLength(2 * (6 + 6 + 1 + 8 + 8 + 2 + 2));
    const body = quizXml(run.variants, { kind: 'relative', value: 1e-3 });
    expect(body).toContain('\\(\\mathbf{W}_{f} = \\begin{pmatrix}');
    expect(body).toContain('\\frac{\\partial E}{\\partial \\left(\\mathbf{W}_{f}\\right)_{2,4}}');
    expect(body).toContain('\\frac{\\partial E}{\\partial \\left(\\mathbf{c}_{2}\\right)_{1}}');
  });

  it('lms.ask picks one entry of a matrix: a question group of that entry in every variant', () => {
    const text = readFileSync(join(REPO, MLP), 'utf8') + '\nlms: {ask: "E/W1[2,3]"}\n';
    const p = parseProblem(text, join(REPO, MLP));
    const vs = solveVariants(p, SEED, 1, 3).variants;
    const set = quizFromVariants(vs, { kind: 'relative', value: 1e-3 }, 3);
    expect(set.layout.kind).toBe('groups');
    const qs = allQuestions(set);
    expect(qs.map((q) => q.answer)).toEqual(answers.mlp.slice(0, 3).map((a) => (a.gradients.E.W1 as number[][])[1]![2]));
  });
});

function answersJsonOf(run: ReturnType<typeof solveVariants>): Answer[] {
  return JSON.parse(answersJson(run.variants)) as Answer[];
}

// ---------------------------------------------------------------- require lines over tensor nodes, on small networks

/** Draw `count` variants of a problem given as YAML text. */
function draw(yaml: string, count: number, seed = 's'): DrawnVariant[] {
  const problem = parseProblem(yaml, 'v.yaml');
  const net = buildNetwork(problem.network, { problem, givenShape: () => undefined });
  return drawVariants(problem, net.graph, parseVariants(problem, net.graph, net.tensor ?? null), seed, 1, count);
}

function errorOf(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof ProblemError) return e.format(); throw e; }
  throw new Error('expected a ProblemError');
}

/** A linear recurrence s[t] = a s[t-1] + x[t] over 3 steps, s0 = 0: s1 = x1, s2 = a x1 + x2, s3 = a s2 + x3. */
const recurrence = (variants: string) => `id: r
title: R
network:
  kind: equations
  steps: 3
  equations:
    s[t]: a * s[t-1] + x[t]
    E: sum_t(sum(s[t]))
given: {x: [[1], [1], [1]], a: 0.5, s0: [0]}
ask: [{forward: [s, E]}]
variants:
${variants}
`;

const num = (v: DrawnVariant, key: string) => v.leaves.get(key)!.toNumber();
const states = (v: DrawnVariant, a: number) => {
  const s1 = num(v, 'x[1,1]'), s2 = a * s1 + num(v, 'x[2,1]');
  return [s1, s2, a * s2 + num(v, 'x[3,1]')];
};

/** relu(W x + b) with W = [[1, -1]], b = 0: z = x1 - x2 sits on relu's kink whenever x1 = x2. */
const kinked = (variants: string) => `id: k
title: K
network:
  kind: equations
  equations:
    z: W @ x + b
    h: relu(z)
    E: sum(h)
given: {x: [1, 0], W: [[1, -1]], b: [0]}
ask: [{forward: [E]}]
variants:
${variants}
`;

describe('require lines over tensor nodes', () => {
  it('a sequence\'s bare name is all its steps, s[T] the last, sum_t sums a template over the steps', () => {
    const vs = draw(recurrence(`  given: {x: {choice: [-1, 0, 1]}}
  require:
    - "max(abs(s)) <= 1"
    - "sum_t(sum(s[t])) > 0"
    - "s[T, 1] != s[1, 1]"
  distinct: true`), 7);
    // the inputs that meet all three, found here by trying every one of the 27
    const feasible: string[] = [];
    for (const x1 of [-1, 0, 1]) for (const x2 of [-1, 0, 1]) for (const x3 of [-1, 0, 1]) {
      const s1 = x1, s2 = 0.5 * s1 + x2, s3 = 0.5 * s2 + x3;
      if (Math.max(Math.abs(s1), Math.abs(s2), Math.abs(s3)) <= 1 && s1 + s2 + s3 > 0 && s3 !== s1) feasible.push(`${x1},${x2},${x3}`);
    }
    expect(feasible).toHaveLength(7);
    expect(vs.map((v) => ['x[1,1]', 'x[2,1]', 'x[3,1]'].map((k) => num(v, k)).join(',')).sort()).toEqual(feasible.sort());
  });

  it('min over an axis, and a step read with its previous one inside sum_t', () => {
    const vs = draw(recurrence(`  given: {x: {choice: [-1, 0, 1]}}
  require:
    - "min(s, 1) >= 0"
    - "sum_t(sum(abs(s[t] - s[t-1]))) >= 2"`), 10);
    for (const v of vs) {
      const s = states(v, 0.5);
      expect(Math.min(...s)).toBeGreaterThanOrEqual(0);
      expect(Math.abs(s[0]!) + Math.abs(s[1]! - s[0]!) + Math.abs(s[2]! - s[1]!)).toBeGreaterThanOrEqual(2);
    }
  });

  it('a boundary value is decided as in exact arithmetic: 0.1 + 0.2 < 0.3 fails, <= 0.3 holds', () => {
    const at = (op: string) => () => draw(recurrence(`  given: {x: [[0.1], [0.2], [0]], a: 1}
  require: ["s[2, 1] ${op} 0.3"]
  tries: 3`), 1);
    expect(errorOf(at('<'))).toMatch(/"s\[2, 1\] < 0\.3" failed most often, rejecting 3 of 3 tries \(100\.0%\)/);
    expect(at('<=')()).toHaveLength(1);
    expect(at('==')()).toHaveLength(1);
  });

  it('a draw on a kink is rejected (relu at 0, also when float64 rounding hides it)', () => {
    const vs = draw(kinked('  given: {x: {choice: [0, 1, 2]}}'), 30);
    for (const v of vs) expect(num(v, 'x[1]')).not.toBe(num(v, 'x[2]'));
    // W x + b = 0.1 + 0.2 - 0.3 is 5.6e-17 in float64, 0 exactly: on the kink all the same
    const near = kinked(`  given: {W: [[1, 1]], b: [-0.3], x: {choice: [[0.1, 0.2], [0.2, 0.2]]}}\n  tries: 200`);
    for (const v of draw(near, 20)) expect([num(v, 'x[1]'), num(v, 'x[2]')]).toEqual([0.2, 0.2]);
    expect(errorOf(() => draw(kinked('  given: {x: [2, 2]}\n  tries: 50'), 1)))
      .toMatch(/^v\.yaml:\d+: variants\.given: variant 1: no draw met every constraint in 50 tries; no activation sits on its kink \(relu, step or abs at 0, a tie of max or min\) failed most often, rejecting 50 of 50 tries \(100\.0%\)$/);
  });

  it('an impossible constraint stops after its tries, naming the line and its rejection rate', () => {
    const yaml = readFileSync(join(REPO, MLP), 'utf8').replace('"min(p) > 0.05"', '"min(p) > 0.5"').replace('distinct: true', 'distinct: true\n  tries: 40');
    expect(errorOf(() => draw(yaml, 1))).toMatch(/variants\.require\[2\]: variant 1: no draw met every constraint in 40 tries; "min\(p\) > 0\.5" failed most often, rejecting 40 of 40 tries \(100\.0%\)/);
  });

  it('bad requirements name the file, line, key and column', () => {
    const mlp = (req: string) => readFileSync(join(REPO, MLP), 'utf8').replace('"max(abs(z1)) < 2.5"', JSON.stringify(req));
    const err = (req: string) => errorOf(() => draw(mlp(req), 1));
    expect(err('abs(z1) < 2.5')).toMatch(/^v\.yaml:\d+: variants\.require\[0\]: 'abs\(z1\)' has shape \[4\]; a requirement compares numbers \(reduce it with max\(\.\.\.\), min\(\.\.\.\), sum\(\.\.\.\) or name one entry\) at column 1/);
    expect(err('max(abs(q1)) < 2.5')).toMatch(/'q1' is not a name of this network \(its names: W1, x, b1, W2, b2, t, z1, h, z2, p, E\) at column 9/);
    expect(err('max(z1, 0) < 2.5')).toMatch(/max\(a, k\) takes an axis \(1 or 2\) as k/);
    expect(err('median(z1) < 2.5')).toMatch(/unknown function 'median' in a requirement \(known: exp, .*min, softmax/);
    expect(err('max(W1 @ b1) < 2')).toMatch(/shape/);
    expect(err('max(abs(z1)) < ')).toMatch(/at column/);
    const lstm = (req: string) => readFileSync(join(REPO, LSTM), 'utf8').replace('"max(abs(c[3])) < 1.5"', JSON.stringify(req));
    expect(errorOf(() => draw(lstm('max(abs(c[4])) < 1.5'), 1))).toMatch(/c\[4\] is step 4, outside the steps 1\.\.3 at column 11/);
    expect(errorOf(() => draw(lstm('max(abs(c[t])) < 1.5'), 1))).toMatch(/'t' is the step only inside sum_t\(\.\.\.\); name a step such as c\[1\] or c\[T\], or all of them: c/);
  });

  it('draws: a normal draw on its grid, a seeded initializer redrawn per variant, shapes checked', () => {
    const vs = draw(kinked(`  given:
    W: {normal: [0, 0.5], step: 0.01}
    x: {uniform: [-1, 1], shape: [2], seed: 3, step: 0.25}`), 8);
    for (const v of vs) {
      for (const k of ['W[1,1]', 'W[1,2]']) expect(Math.abs(num(v, k) * 100 - Math.round(num(v, k) * 100))).toBeLessThan(1e-9);
      for (const k of ['x[1]', 'x[2]']) expect([-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1]).toContain(num(v, k));
    }
    // new values per variant (not the fixed stream of `seed: 3`)
    expect(new Set(vs.map((v) => `${num(v, 'x[1]')},${num(v, 'x[2]')},${num(v, 'W[1,1]')}`)).size).toBeGreaterThan(4);
    expect(errorOf(() => draw(kinked('  given: {x: {uniform: [-1, 1], shape: [3], seed: 3, step: 0.25}}'), 1)))
      .toMatch(/variants\.given\.x\.shape: 'x' has shape \[2\], the initializer fills \[3\]/);
  });

  it('check --variant draws the same values without being handed the tensor level', () => {
    const problem = loadProblem(join(REPO, MLP));
    const net = buildNetwork(problem.network, { problem, givenShape: () => undefined });
    const a = drawVariants(problem, net.graph, parseVariants(problem, net.graph), SEED, 5, 5)[0]!;
    const want = Object.entries(answers.mlp[4]!.given).filter(([k]) => ['x', 'W1', 'W2', 't'].includes(k)).flatMap(([k, v]) => flat(k, v));
    expect([...a.leaves].map(([k, r]) => [k, r.toNumber()])).toEqual(want);
  });
});

/** `W1[1,2]`-keyed entries of a nested value. */
function flat(name: string, v: Nested, idx: number[] = []): Array<[string, number]> {
  if (!Array.isArray(v)) return [[idx.length ? `${name}[${idx.join(',')}]` : name, v]];
  return v.flatMap((x, i) => flat(name, x, [...idx, i + 1]));
}
