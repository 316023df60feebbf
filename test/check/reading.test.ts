/** Reading answers: the two syntaxes, the name spellings of contract 6.3, and errors that point at a column. */
import { describe, expect, it } from 'vitest';
import { ProblemError } from '../../src/errors.js';
import { AnswerError } from '../../src/check/ast.js';
import { checkAnswer, readAnswer } from '../../src/check/check.js';
import { Budget } from '../../src/check/limits.js';
import { digitSplits, NameResolver } from '../../src/check/names.js';
import { toText } from '../../src/ops/print.js';
import { ctxFor, fixture, shipped } from './helpers.js';
import { prepareCheck } from '../../src/check/context.js';
import { parseProblem } from '../../src/problem/load.js';

const q4 = () => ctxFor(fixture('q4-conv.yaml'), 'E', 'K[1,1]');
const mlp = () => ctxFor(fixture('mlp-tanh.yaml'), 'E', 'W1');
const chain = () => ctxFor(shipped('seed000-q2-2-sigmoid-chain-vanish.yaml'), 'o', 'b1');

/** The answer lowered and printed in the engine's syntax (refs print as their keys). */
function read(ctx: ReturnType<typeof q4>, text: string, latex = false): string {
  const v = readAnswer(ctx, text, latex, new Budget());
  if (v.k === 's') return toText(v.e);
  if (v.k === 'I') return `${toText(v.c)} I`;
  return `[${v.rows}x${v.cols}] ${v.a.map(toText).join(' | ')}`;
}

function errorOf(f: () => unknown): AnswerError {
  try { f(); } catch (e) { if (e instanceof AnswerError) return e; throw e; }
  throw new Error('no error');
}

describe('names of the problem', () => {
  it('reads element spellings of a matrix: K[1,1], k11, k_11, k_{11}, k_{1,1}, K_{11}', () => {
    for (const s of ['K[1,1]', 'k11', 'k_11', 'k_{11}', 'k_{1,1}', 'K_{11}']) expect(read(q4(), s)).toBe('K[1,1]');
    expect(read(q4(), 'k_{1,1}', true)).toBe('K[1,1]');
    expect(read(q4(), 'x_{23}', true)).toBe('X[2,3]');
  });

  it('reads vector elements h3, h_3, h[3] and intermediates as the graph\'s own nodes', () => {
    expect(read(mlp(), 'h3 + h_3 + h[3]')).toBe('h[3] + h[3] + h[3]');
    expect(read(q4(), 'y11 + o')).toBe('y11 + o');
    expect(read(mlp(), 'o + t + b2')).toBe('o[1] + t[1] + b2[1]'); // one-element tensors stand for their element
  });

  it('reads whole tensors as matrices and vectors as columns', () => {
    expect(read(mlp(), 'x')).toBe('[2x1] x[1] | x[2]');
    expect(read(mlp(), 'W2^T')).toBe('[3x1] W2[1,1] | W2[1,2] | W2[1,3]');
    expect(read(mlp(), '\\mathbf{W}_{1}', true)).toMatch(/^\[3x2\] W1\[1,1\]/);
  });

  it('reads delta_X and Leibniz quotients as derivative nodes', () => {
    expect(read(q4(), 'delta_o + delta_y11')).toBe('delta_o + delta_y11');
    expect(read(q4(), '\\frac{\\partial E}{\\partial o}', true)).toBe('delta_o');
    expect(read(q4(), 'dE/do * do/dy11')).toBe('delta_o*d:o|y11');
    expect(read(q4(), '∂E/∂o')).toBe('delta_o');
  });

  it('lists the readings of an ambiguous name', () => {
    const c = ctxFor(fixture('ambiguous.yaml'), 'o', 'W');
    const e = errorOf(() => read(c, 'w11 + 1'));
    expect(e.message).toContain("'w11' is ambiguous");
    expect(e.message).toContain('W[1,1]');
    expect(e.message).toContain('w1[1]');
    expect(e.col).toBe(1);
    expect(read(c, 'W[1,1] + w1[1]')).toBe('W[1,1] + w1[1]');
  });

  it('names an unknown name with its column and a case hint', () => {
    const e = errorOf(() => read(chain(), 'w4 * W1'));
    expect(e.col).toBe(6);
    expect(e.message).toContain("unknown name 'W1' (did you mean w1?)");
    expect(e.message).toContain('h3');
  });

  it('reports an element outside the tensor', () => {
    expect(errorOf(() => read(q4(), '2 K[3,1]')).message).toContain('outside');
  });

  it('cuts digit strings into indices', () => {
    expect(digitSplits('123', 2)).toEqual([['1', '23'], ['12', '3']]);
    expect(digitSplits('101', 2)).toEqual([['10', '1']]);
    expect(digitSplits('1', 2)).toEqual([]);
  });

  it('describes readings', () => {
    const ctx = q4();
    const r = new NameResolver(ctx.graph, ctx.resolver.time).readings('k12');
    expect(r.map(NameResolver.describe)).toEqual(['K[1,2]']);
  });
});

describe('plain text', () => {
  it('multiplies juxtaposed factors: 2(z-o)z(1-z)h', () => {
    expect(read(ctxFor(fixture('q3-conv1d.yaml'), 'L', 'w1'), '2(z-y)z(1-z)h1')).toBe('2*(z - y)*z*(1 - z)*h1');
  });

  it('knows σ, sigma, tanh, exp, e^x, ln, sqrt, ** and sigma\'', () => {
    expect(read(chain(), "σ(x) + sigma(x) + tanh(x) + exp(x) + e^x + e^(-x) + ln(x) + sqrt(x) + x**2 + sigma'(x)"))
      .toBe('sigmoid(x) + sigmoid(x) + tanh(x) + exp(x) + exp(x) + exp(-x) + log(x) + sqrt(x) + x^2 + sigmoid(x)*(1 - sigmoid(x))');
    expect(read(chain(), "tanh'(x) + tanh^2(x) + e")).toBe('1 - tanh(x)^2 + tanh(x)^2 + exp(1)');
  });

  it('reads lists as vectors and nested lists as matrices', () => {
    expect(read(mlp(), '[1, 2, 3]')).toBe('[3x1] 1 | 2 | 3');
    expect(read(mlp(), '[[1, 2], [3, 4]]')).toBe('[2x2] 1 | 2 | 3 | 4');
    expect(read(mlp(), '[1, 2; 3, 4]')).toBe('[2x2] 1 | 2 | 3 | 4');
  });

  it('points at the column of unbalanced brackets', () => {
    expect(errorOf(() => read(chain(), 'w4*(h3 + 1')).message).toBe("column 11: missing ')' to close the '(' at column 4");
    expect(errorOf(() => read(chain(), 'w4*h3) + 1')).col).toBe(6);
    expect(errorOf(() => read(chain(), 'w4 # h3')).col).toBe(4);
  });

  it('asks for --latex when it meets a backslash', () => {
    expect(errorOf(() => read(chain(), '\\sigma(x)')).message).toContain('--latex');
  });
});

describe('LaTeX', () => {
  it('reads \\sigma, \\frac, \\cdot, \\times, \\left( \\right), \\tanh^2 z, w_{11}', () => {
    expect(read(q4(), '\\frac{1}{2}\\sigma\\left(w_{11}\\right) \\cdot \\tanh^2 z \\times y_{12}', true))
      .toBe('1/2*sigmoid(W[1,1])*tanh(z)^2*y12');
    expect(read(chain(), "\\sigma'(w_1 x + b_1)", true)).toBe('sigmoid(w1*x + b1)*(1 - sigmoid(w1*x + b1))');
    expect(read(chain(), '\\frac12 x + \\sqrt{x} + \\sqrt[3]{x} + \\exp(x) + \\mathrm{e}^{x}', true)).toBe('1/2*x + sqrt(x) + x^(1/3) + exp(x) + exp(x)');
  });

  it('reads \\odot, ^{\\top}, pmatrix and bmatrix', () => {
    expect(read(mlp(), 'x^{\\top}', true)).toBe('[1x2] x[1] | x[2]');
    expect(read(mlp(), '\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix} \\odot \\begin{pmatrix} x_1 & x_2 \\\\ x_1 & x_2 \\end{pmatrix}', true))
      .toBe('[2x2] x[1] | 2*x[2] | 3*x[1] | 4*x[2]');
  });

  it('unrolls \\sum with a bound index, in subscripts too', () => {
    expect(read(ctxFor(fixture('s004-rnn1.yaml'), 'E3', 'w_s'), '\\sum_{t=1}^{3} s_{t-1} x_t', true)).toBe('s0*x[1] + s1*x[2] + s2*x[3]');
  });

  it('points at unknown commands and unbalanced groups', () => {
    expect(errorOf(() => read(chain(), 'x + \\foo{x}', true)).message).toBe("column 5: unknown LaTeX command '\\foo'");
    expect(errorOf(() => read(chain(), '\\frac{x}{w_1', true)).message).toContain("missing '}'");
  });

  it('rejects inverse functions and second derivatives', () => {
    expect(errorOf(() => read(chain(), '\\tanh^{-1}(x)', true)).message).toContain('inverse');
    expect(errorOf(() => read(chain(), "\\sigma''(x)", true)).message).toContain('first derivatives');
  });
});

describe('input errors are ProblemErrors', () => {
  it('an empty answer', () => {
    expect(() => checkAnswer(chain(), '   ')).toThrow(ProblemError);
  });
});

describe('an answer of another shape is a verdict (contract 6.3), not an input error', () => {
  it('a matrix where a scalar is checked, a vector for a matrix, a scalar for a matrix', () => {
    expect(checkAnswer(chain(), '[1, 2]')).toMatchObject({ equivalent: false, diagnosis: 'other' });
    expect(checkAnswer(chain(), '[1, 2]').detail).toContain('is a scalar');
    expect(checkAnswer(mlp(), '[1, 2]').detail).toContain('of shape [3, 2]');
    expect(checkAnswer(mlp(), 'x1').detail).toContain('the answer is a scalar');
  });
});

describe('steps, deltas and the sheets\' notation (issue 16)', () => {
  const elman = () => ctxFor(shipped('seed003-elman-rnn.yaml'), 'E', 'W_h');
  const scalarRnn = () => ctxFor(shipped('seed004-bptt-scalar.yaml'), 'E3', 'w_s');
  const many2one = () => ctxFor(shipped('seed004-bptt-scalar.yaml'), 'E3', 'w_y');

  it('reads a sequence\'s steps: h_t, h_{t-1}, s_3, s3, h^{(t)}, h^{[t]}, h_0 the initial state, h[2] a row', () => {
    expect(read(elman(), '\\sum_{t=2}^{3} h_{t-1,2}', true)).toBe('h[1,2] + h[2,2]');
    expect(read(elman(), 'h_{0,2} + h_{1,2}', true)).toBe('h0[2] + h[1,2]');
    expect(read(elman(), 'h_2', true)).toBe('[2x1] h[2,1] | h[2,2]');
    expect(read(elman(), 'h^{(2)} + h^{[2]} + h[2]', true)).toBe('[2x1] h[2,1] + h[2,1] + h[2,1] | h[2,2] + h[2,2] + h[2,2]');
    expect(read(elman(), 'h_0', true)).toBe('[2x1] h0[1] | h0[2]');
    expect(read(scalarRnn(), 's_3 + s3 + s_{0}')).toBe('s[3,1] + s[3,1] + s0[1]');
    expect(read(elman(), 'h_T', true)).toBe('[2x1] h[3,1] | h[3,2]');
  });

  it('a bracketed superscript is an index, never a power; y^{(T)} of a many-to-one output is y', () => {
    expect(read(scalarRnn(), 's^{(2)} + s_2^2', true)).toBe('s[2,1] + s[2,1]^2');
    expect(read(many2one(), 'y^{(3)}', true)).toBe('y[1]');
    expect(read(mlp(), 'W^{[1]}', true)).toMatch(/^\[3x2\] W1\[1,1\]/);
    // a matrix h and a scalar h1: h^{(1)} could be either
    const both = prepareCheck(parseProblem([
      'id: superscript-readings', 'title: h and h1', 'network:', '  kind: equations', '  equations:',
      '    u: h[1,1]*h1 + h[2,2]', '    o: tanh(u)', 'given:', '  h: [[1, 2], [3, 4]]', '  h1: 0.5',
      'ask:', '  - gradient: {of: o, wrt: [h, h1]}',
    ].join('\n'), 'superscript.yaml'), 'o', 'h');
    const e = errorOf(() => read(both, 'h^{(1)}', true));
    expect(e.message).toContain('ambiguous');
    expect(e.message).toContain('h1');
    expect(e.message).toContain('h[1] (row 1 of h)');
  });

  it('reads adjoints as derive and the sheets print them, and as students write them', () => {
    expect(read(scalarRnn(), 'delta_z[2,1] + delta_z[T]')).toBe('delta_z[2,1] + delta_z[3,1]');
    expect(read(scalarRnn(), '\\delta_{z_{1,1}} + \\delta_2 + \\delta^{[3]} + \\delta^{z}_{1}', true)).toBe('delta_z[1,1] + delta_z[2,1] + delta_z[3,1] + delta_z[1,1]');
    expect(read(mlp(), '\\bar{h}_1 + \\overline{h_2} + delta2', true)).toBe('delta_h[1] + delta_h[2] + delta_z2[1]');
    expect(read(mlp(), '\\delta^{[2]}', true)).toBe('delta_z2[1]');
  });

  it('reads the preset\'s own LaTeX: seed-003\'s w_{x,12}, seed-001\'s x^{[1]}_{(t)} (the hidden state, not the input)', () => {
    expect(read(elman(), 'w_{x,12} + \\boldsymbol{\\delta}^{[2]}_{1}', true)).toBe('W_x[1,2] + delta_z[2,1]');
    const s001 = ctxFor(shipped('seed001-rnn-2-identity-many-to-many.yaml'), 'E', 'W2');
    expect(read(s001, '{\\mathbf{x}}^{[1]}_{(2),3} + {x}^{[0]}_{(1),1}', true)).toBe('h[2,3] + x[1,1]');
  });

  it('products: * is Hadamard for equal shapes, juxtaposition and @ the matrix product; I, diag, definitions', () => {
    expect(read(mlp(), 'x * x')).toBe('[2x1] x[1]*x[1] | x[2]*x[2]');
    expect(read(mlp(), 'x^T x')).toBe('x[1]*x[1] + x[2]*x[2]');
    expect(read(mlp(), 'x @ x^T')).toBe('[2x2] x[1]*x[1] | x[1]*x[2] | x[2]*x[1] | x[2]*x[2]');
    expect(read(mlp(), '(I - x x^T) x')).toMatch(/^\[2x1\]/);
    expect(read(mlp(), '\\operatorname{diag}(x)', true)).toBe('[2x2] x[1] | 0 | 0 | x[2]');
    expect(read(mlp(), 'd := 2 x; d^T d')).toBe('4*x[1]*x[1] + 4*x[2]*x[2]');
    expect(errorOf(() => read(mlp(), 'x * W1')).message).toContain('neither the elementwise product');
  });

  it('sums: \\sum_i and \\sum_{i,j} over the natural range; the summand runs past \\cdot; w_{ij}', () => {
    const q3 = ctxFor(fixture('q3-conv1d.yaml'), 'L', 'v1');
    expect(read(q3, '\\sum_i w_i \\cdot h_i', true)).toBe('w[1]*h1 + w[2]*h2 + w[3]*h3 + w[4]*h4');
    expect(read(q4(), '\\sum_{i,j} w_{ij}', true)).toBe('W[1,1] + W[1,2] + W[2,1] + W[2,2]');
    expect(read(chain(), 'w_4 \\cdot \\prod_{i=2}^{3} w_i \\cdot h_1', true)).toBe('w4*w2*w3*h1');
  });

  it('functions and unicode: \\mathbb{1}[z > 0], (z > 0), sech, cosh, σ′, ·, −, subscript digits', () => {
    expect(read(mlp(), '\\mathbb{1}[z1_1 > 0] + (z1_2 > 0)', true)).toBe('step(z1[1]) + step(z1[2])');
    expect(read(chain(), '\\operatorname{sech}^2(x) + \\cosh(x)', true)).toBe('(2/(exp(x) + exp(-x)))^2 + 1/2*(exp(x) + exp(-x))');
    expect(read(chain(), 'σ′(x)·w₁ − h₂²')).toBe('sigmoid(x)*(1 - sigmoid(x))*w1 - h2^2');
  });

  it('parse errors name the cause and the spelling that works', () => {
    expect(errorOf(() => read(chain(), '\\sech(x)', true)).message).toContain('\\operatorname{sech}(u)');
    expect(errorOf(() => read(mlp(), 'z1_1 > 0')).message).toContain('(z > 0)');
    expect(errorOf(() => read(elman(), 'h_t', true)).message).toContain("'t' is not bound here");
    expect(errorOf(() => read(elman(), '\\sum_{t=1}^{3} p_t + l_t', true)).message).toContain('the sum over t ended before it');
  });
});
