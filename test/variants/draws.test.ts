// Draw specs, requirements and `distinct` of the variants section, through the
// library: parse a problem, draw, and look at the accepted values.
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../src/errors.js';
import { parseProblem } from '../../src/problem/load.js';
import { buildNetwork } from '../../src/networks/registry.js';
import { givenShape } from '../../src/input/bind-given.js';
import { parseVariants } from '../../src/variants/spec.js';
import { drawVariants, type DrawnVariant } from '../../src/variants/generate.js';

/** A problem with the given network and a `variants` section (YAML text, indented under `variants:`). */
function problemText(variants: string, network = "{kind: equations, equations: {h1: 'sigmoid(w1*x + b1)', o: 'w2*h1 + b2'}}", given = '{x: 1, w1: 1, b1: 0, w2: 1, b2: 0}'): string {
  return `id: t\ntitle: T\nnetwork: ${network}\ngiven: ${given}\nask: [{forward: [o]}]\nvariants:\n${variants}\n`;
}

/** Variants of the problem text, or of the default problem when given only its `variants` lines. */
function draw(textOrVariants: string, count: number, seed = 's', from = 1): DrawnVariant[] {
  const text = textOrVariants.startsWith('id:') ? textOrVariants : problemText(textOrVariants);
  const problem = parseProblem(text, 'v.yaml');
  const graph = buildNetwork(problem.network, { problem, givenShape: (n) => { const v = problem.given.get(n)?.value; return v ? givenShape(v) : undefined; } }).graph;
  return drawVariants(problem, graph, parseVariants(problem, graph), seed, from, count);
}

/** The ProblemError thrown by `f`, formatted as the command line prints it. */
function errorOf(f: () => unknown): string {
  try { f(); } catch (e) { if (e instanceof ProblemError) return e.format(); throw e; }
  throw new Error('expected a ProblemError');
}

const val = (v: DrawnVariant, key: string) => v.leaves.get(key)!;

describe('draws', () => {
  it('uniform with step: values on the grid, exact, within the range, every grid point reachable', () => {
    const vs = draw('  given: {w1: {uniform: [-0.5, 0.5], step: 0.25}}', 200);
    const seen = new Set<string>();
    for (const v of vs) {
      const r = val(v, 'w1');
      seen.add(r.toString());
      // -0.5 + i/4: an exact quarter
      expect([1n, 2n, 4n]).toContain(r.den);
      expect(r.toNumber()).toBeGreaterThanOrEqual(-0.5);
      expect(r.toNumber()).toBeLessThanOrEqual(0.5);
    }
    expect([...seen].sort()).toEqual(['-1/2', '-1/4', '0', '1/2', '1/4'].sort());
  });

  it('a grid that does not divide the range stops at the last point inside it', () => {
    const vs = draw('  given: {w1: {uniform: [0, 1], step: 0.3}}', 200);
    expect(new Set(vs.map((v) => val(v, 'w1').toString()))).toEqual(new Set(['0', '3/10', '3/5', '9/10']));
  });

  it('uniform without step uses the power of ten near a hundredth of the width', () => {
    // [0, 1] -> step 0.01: 101 values, each with at most two decimals
    const vs = draw('  given: {w1: {uniform: [0, 1]}}', 300);
    for (const v of vs) expect(100n % val(v, 'w1').den).toBe(0n);
    expect(new Set(vs.map((v) => val(v, 'w1').toString())).size).toBeGreaterThan(80);
  });

  it('integer, choice (fractions kept exact) and fixed values', () => {
    const vs = draw("  given: {x: {integer: [-2, 2]}, w1: {choice: [\"1/3\", 2]}, b1: 0.25}", 100);
    expect(new Set(vs.map((v) => val(v, 'x').toString()))).toEqual(new Set(['-2', '-1', '0', '1', '2']));
    expect(new Set(vs.map((v) => val(v, 'w1').toString()))).toEqual(new Set(['1/3', '2']));
    expect(new Set(vs.map((v) => val(v, 'b1').toString()))).toEqual(new Set(['1/4']));
    // names not listed keep their given values (w2 = 1, b2 = 0)
    expect(vs.every((v) => val(v, 'w2').toString() === '1' && val(v, 'b2').toString() === '0')).toBe(true);
  });

  const mlp = '{kind: mlp, sizes: [2, 2, 1], activation: relu, output: linear}';
  // b1 off relu's kink: x = (0, 1) with b1 = 0 would put z1[1] at 0, and a draw with an activation on its kink is rejected
  const mlpGiven = '{x: [1, 2], W1: [[1, 0], [0, 1]], b1: [0.5, 0.5], W2: [[1, 1]], b2: 0}';

  it('a tensor draws each element on its own; fill draws one value for all', () => {
    const many = drawMlp('  given: {W1: {uniform: [-1, 1], step: 0.1}, b1: {fill: {integer: [1, 9]}}}', 50);
    let differing = 0;
    for (const v of many) {
      const w = ['W1[1,1]', 'W1[1,2]', 'W1[2,1]', 'W1[2,2]'].map((k) => val(v, k).toString());
      if (new Set(w).size > 1) differing++;
      expect(val(v, 'b1[1]').toString()).toBe(val(v, 'b1[2]').toString());
    }
    // four independent draws from 21 values are all equal with probability 21^-3; 50 variants never all are
    expect(differing).toBeGreaterThan(40);
  });

  function drawMlp(variants: string, count: number): DrawnVariant[] {
    return draw(problemText(variants, mlp, mlpGiven), count);
  }

  it('choice of whole tensors picks one of them', () => {
    const vs = drawMlp('  given: {x: {choice: [[0, 1], [1, 0]]}}', 40);
    const picks = new Set(vs.map((v) => `${val(v, 'x[1]')},${val(v, 'x[2]')}`));
    expect(picks).toEqual(new Set(['0,1', '1,0']));
  });

  it('rejects draws that do not fit the network, naming file, line and key', () => {
    expect(errorOf(() => draw('  given: {w9: {uniform: [0, 1]}}', 1))).toMatch(/^v\.yaml:7: variants\.given\.w9: 'w9' is not a name of this network/);
    expect(errorOf(() => draw('  given: {h1: {uniform: [0, 1]}}', 1))).toMatch(/variants\.given\.h1: 'h1' is computed by the network/);
    expect(errorOf(() => draw('  given: {w1: {uniform: [1, 0]}}', 1))).toMatch(/variants\.given\.w1\.uniform: the range \[1, 0\] is empty/);
    expect(errorOf(() => draw('  given: {w1: {uniform: [0, 1], step: 0}}', 1))).toMatch(/variants\.given\.w1\.step: step must be positive/);
    expect(errorOf(() => draw('  given: {w1: {gauss: [0, 1]}}', 1))).toMatch(/unknown draw 'gauss' \(expected uniform, normal, integer, choice or fill\)/);
    // a normal draw has no natural grid: its step is required
    expect(errorOf(() => draw('  given: {w1: {normal: [0, 1]}}', 1))).toMatch(/variants\.given\.w1: missing required key 'step'/);
    expect(errorOf(() => draw('  given: {w1: {normal: [0, -1], step: 0.1}}', 1))).toMatch(/variants\.given\.w1\.normal: the standard deviation must be positive/);
    expect(errorOf(() => draw('  given: {w1: {integer: [0.5, 2]}}', 1))).toMatch(/integer takes whole numbers/);
    expect(errorOf(() => draw('  given: {w1: {choice: []}}', 1))).toMatch(/choice lists no values/);
    expect(errorOf(() => draw('  given: {w1: {uniform: [0, 1]}}\n  distinct: yes please', 1))).toMatch(/variants\.distinct: expected true or false/);
    expect(errorOf(() => draw('  given: {w1: {uniform: [0, 1]}}\n  shuffle: true', 1))).toMatch(/variants\.shuffle: unknown key 'shuffle'/);
    expect(errorOf(() => draw('  given: {w1: {uniform: [0, 1e12], step: 1e-3}}', 1))).toMatch(/more than 4294967296; use a larger step/);
    expect(errorOf(() => drawMlp('  given: {W1: [[1, 2, 3]]}', 1))).toMatch(/'W1' has shape \[2, 2\], this value has shape \[1, 3\]/);
    expect(errorOf(() => draw('  given: {w1: {uniform: [0, 1]}}\n  tolerance: {relative: -1}', 1))).toMatch(/variants\.tolerance\.relative: a tolerance must be positive/);
  });
});

describe('require', () => {
  // One accepted draw, or the error after one try: the values are fixed, so the requirement decides alone.
  const fixed = (req: string, given = '{x: 3, w1: 1.6, b1: -0.8}') => () => draw(`  given: ${given}\n  require: [${JSON.stringify(req)}]\n  tries: 1`, 1);
  const holds = (req: string, given?: string) => fixed(req, given)().length === 1;
  const rejects = (req: string, given?: string) => errorOf(fixed(req, given)).includes('rejecting 1 of 1 tries (100.0%)');

  it('decides comparisons of given values exactly (1.6*3 - 0.8 is 4, though 4.000000000000001 in float64)', () => {
    // found with python3 fractions: w*x + b == 4 exactly while the float64 sum is not 4
    expect(1.6 * 3 + -0.8).toBeGreaterThan(4); // the float64 value the exact comparison must not use
    expect(holds('abs(w1*x + b1) <= 4')).toBe(true);
    expect(rejects('abs(w1*x + b1) < 4')).toBe(true);
    expect(holds('w1*x + b1 == 4')).toBe(true);
    expect(holds('-4 <= w1*x + b1 <= 4')).toBe(true);
    expect(rejects('-4 <= w1*x + b1 < 4')).toBe(true);
  });

  it('reads computed nodes: h1 = sigmoid(0) = 1/2, o = w2*h1 + b2', () => {
    const g = '{x: 1, w1: 0, b1: 0, w2: 2, b2: 0}';
    expect(holds('h1 >= 0.5 and h1 <= 0.5', g)).toBe(true);
    expect(rejects('h1 > 0.5', g)).toBe(true);
    expect(holds('o == 1', g)).toBe(true); // 2 * 0.5 + 0 in float64 is exactly 1
    expect(rejects('o != 1', g)).toBe(true);
  });

  it('joins comparisons with and, or, not, parentheses and the C spellings', () => {
    expect(holds('(w1 > 2 or x == 3) and not (b1 > 1)')).toBe(true);
    expect(rejects('(w1 > 2 or x == 2) and not (b1 > 1)')).toBe(true);
    expect(holds('w1 > 2 || x == 3 && b1 < 1')).toBe(true); // and binds tighter than or
    expect(rejects('(w1 > 2 || x == 3) && b1 > 1')).toBe(true);
    expect(holds('!(x < 3)')).toBe(true);
    expect(holds('((x == 3))')).toBe(true);
    expect(holds('(w1 + b1) * x > 2')).toBe(true); // parentheses around a value, not a condition: 0.8*3 = 2.4
    expect(rejects('not x == 3')).toBe(true);
  });

  it('reports malformed requirements with file, line, key and column', () => {
    const err = (req: string) => errorOf(fixed(req));
    expect(err('w1 = 2')).toMatch(/^v\.yaml:8: variants\.require\[0\]: '=' is not a comparison; write '==' at column 4 of "w1 = 2"/);
    expect(err('w1 + 2')).toMatch(/a requirement compares values/);
    expect(err('w1 < foo')).toMatch(/'foo' is not a name of this network .* at column 6 of "w1 < foo"/);
    expect(err('w1 < (2')).toMatch(/missing '\)'/);
    expect(err('w1 <')).toMatch(/nothing on one side of '<'/);
    expect(err('w1 < 2 and')).toMatch(/nothing on one side of 'and'/);
    expect(err('w1 < 2 ^ ^ 3')).toMatch(/unexpected '\^' at column 10/);
    expect(err('w1 < sigma(2)')).toMatch(/unknown function 'sigma'/);
    expect(err('x'.repeat(3000) + ' < 1')).toMatch(/variants\.require\[0\]: a requirement is longer than 2000 characters$/);
    expect(err('constructor < 1')).toMatch(/'constructor' is not a name of this network/);
    expect(err('(' .repeat(60) + 'x < 1' + ')'.repeat(60))).toMatch(/nested deeper than 50/);
  });

  it('names a tensor element, and refuses a whole tensor or a leaf without a value', () => {
    const mlp = '{kind: mlp, sizes: [2, 2, 1], activation: relu, output: linear}';
    const given = '{x: [1, 2], W1: [[1, 0], [0, 1]], b1: [0, 0], W2: [[1, 1]], b2: 0}';
    const one = (req: string) => () => draw(problemText(`  given: {b2: 1}\n  require: [${JSON.stringify(req)}]\n  tries: 1`, mlp, given), 1);
    expect(one('W1[2,2] == 1 and o > 3')().length).toBe(1); // o = relu(1) + relu(2) + 1 = 4
    expect(errorOf(one('W1 > 0'))).toMatch(/'W1' has shape \[2, 2\]; a requirement compares numbers \(reduce it with max\(\.\.\.\), min\(\.\.\.\), sum\(\.\.\.\) or name one entry\)/);
    expect(errorOf(one('W1[3,1] > 0'))).toMatch(/index 3 is outside 1\.\.2 \(shape \[2, 2\]\) at column 3 of "W1\[3,1\] > 0"/);
    const noValue = () => draw(problemText('  given: {w1: 1}\n  require: ["o > 0"]', undefined, '{x: 1, w1: 1, b1: 0, w2: 1}'), 1);
    expect(errorOf(noValue)).toMatch(/variants\.require\[0\]: 'b2' has no value/);
  });
});

describe('constraints that cannot be met', () => {
  it('an impossible constraint fails after exactly its bounded number of tries, naming it and its rejection rate', () => {
    const text = (tries: string) => problemText(`  given: {x: {uniform: [0, 1]}}\n  require: ["x > 5", "x >= 0"]${tries}`);
    expect(errorOf(() => draw(text(''), 3))).toBe(
      'v.yaml:8: variants.require[0]: variant 1: no draw met every constraint in 1000 tries; "x > 5" failed most often, rejecting 1000 of 1000 tries (100.0%)');
    expect(errorOf(() => draw(text('\n  tries: 37'), 3))).toMatch(/in 37 tries; "x > 5" failed most often, rejecting 37 of 37 tries \(100\.0%\)/);
  });

  it('names the constraint that rejects most when several fail, with its rate', () => {
    // x uniform on 0, 0.01, ..., 1 (101 values): "x > 0.9" rejects the 91 values <= 0.9, "x < 0.5" the 51 values >= 0.5
    const text = problemText('  given: {x: {uniform: [0, 1]}}\n  require: ["x < 0.5", "x > 0.9"]\n  tries: 5000');
    const msg = errorOf(() => draw(text, 1));
    const m = /"x > 0\.9" failed most often, rejecting (\d+) of 5000 tries \((\d+\.\d)%\)/.exec(msg);
    expect(m, msg).not.toBeNull();
    // binomial(5000, 91/101): mean 4505, sd 21; 6 sd either side
    expect(Math.abs(Number(m![1]) - 5000 * 91 / 101)).toBeLessThan(6 * Math.sqrt(5000 * (91 / 101) * (10 / 101)));
    expect(m![2]).toBe((Number(m![1]) / 50).toFixed(1));
  });

  it('distinct: three possible values give three variants, and a fourth is impossible', () => {
    const text = problemText('  given: {x: {choice: [1, 2, 3]}}\n  distinct: true\n  tries: 200');
    const vs = draw(text, 3);
    expect(new Set(vs.map((v) => val(v, 'x').toString()))).toEqual(new Set(['1', '2', '3']));
    expect(errorOf(() => draw(text, 4))).toBe(
      'v.yaml:8: variants.distinct: variant 4: no draw met every constraint in 200 tries; distinct: true (the values repeat an earlier variant) failed most often, rejecting 200 of 200 tries (100.0%)');
  });

  it('a draw that makes a value infinite or undefined is redrawn, and named when nothing else is possible', () => {
    const text = problemText('  given: {x: {choice: [0, 1]}}\n  tries: 50', "{kind: equations, equations: {o: 'log(x)'}}", '{x: 1}');
    const vs = draw(text, 20);
    expect(vs.every((v) => val(v, 'x').toString() === '1')).toBe(true);
    const never = problemText('  given: {x: {choice: [0, -1]}}\n  tries: 50', "{kind: equations, equations: {o: 'log(x)'}}", '{x: 1}');
    expect(errorOf(() => draw(never, 1))).toMatch(/variants\.given: variant 1: no draw met every constraint in 50 tries; every computed value is a finite number failed most often, rejecting 50 of 50 tries/);
  });
});

describe('streams', () => {
  it('variant k alone equals variant k of the whole run, also under distinct', () => {
    const text = problemText('  given: {x: {integer: [1, 4]}, w1: {integer: [1, 3]}}\n  distinct: true');
    const all = draw(text, 12, '7');
    // 12 distinct pairs out of 12 possible: later variants need many redraws
    expect(new Set(all.map((v) => `${val(v, 'x')},${val(v, 'w1')}`)).size).toBe(12);
    for (const k of [1, 5, 12]) {
      const alone = draw(text, k, '7', k);
      expect(alone.length).toBe(1);
      expect(alone[0]!.number).toBe(k);
      expect([...alone[0]!.leaves].map(([key, r]) => `${key}=${r}`)).toEqual([...all[k - 1]!.leaves].map(([key, r]) => `${key}=${r}`));
    }
  });

  it('the same seed gives the same draws; another seed other draws', () => {
    const text = problemText('  given: {w1: {uniform: [-3, 3], step: 0.1}, b1: {uniform: [-3, 3], step: 0.1}}');
    const sig = (vs: DrawnVariant[]) => vs.map((v) => `${val(v, 'w1')},${val(v, 'b1')}`).join(' ');
    expect(sig(draw(text, 20, '7'))).toBe(sig(draw(text, 20, '7')));
    expect(sig(draw(text, 20, '7'))).not.toBe(sig(draw(text, 20, '8')));
    expect(draw(text, 2, '7').map((v) => v.seedLabel)).toEqual(['7-1', '7-2']);
  });
});
