/**
 * One block per op: its value, its exact value where rational, its local
 * partial derivatives (written with the same constructors and reusing the
 * op's output, JAX-style: sigmoid' = out (1 - out)), its LaTeX form and the
 * rule text a sheet prints beside a factor.
 */
import { Rational } from '../expr/rational.js';
import {
  add, div, fn, mul, neg, num, one, pow, square, sub, zero,
  type Expr, type FnName, type OpName,
} from '../expr/expr.js';

export interface OpSpec {
  readonly name: OpName;
  /** float64 value */
  readonly eval: (args: readonly number[]) => number;
  /** exact value where the result is rational, else null */
  readonly exact: (args: readonly Rational[]) => Rational | null;
  /** d out / d arg_i; `out` is the node itself or the named node it defines */
  readonly partials: (args: readonly Expr[], out: Expr) => Expr[];
  /** true where the op has no derivative (relu, step, abs at 0) */
  readonly kink?: (args: readonly number[]) => boolean;
  /** the rule, in LaTeX, printed as a margin note */
  readonly rule: string;
}

export interface FnSpec extends OpSpec {
  readonly name: FnName;
  /** LaTeX of the function applied to an already-printed argument */
  readonly latex: (arg: string) => string;
  /** how answers spell it: plain-text names (also read bare in LaTeX) and LaTeX commands without the backslash */
  readonly spellings: { readonly text: readonly string[]; readonly latex: readonly string[] };
  /**
   * Local rules students write instead of the true one, for `check`'s diagnosis: `wrote(out, arg)` is what
   * they use for d out / d arg (sigma' written as sigma), `text` names it for the detail.
   */
  readonly wrongRules?: ReadonlyArray<WrongRule>;
}

export interface WrongRule {
  readonly wrote: (out: Expr, arg: Expr) => Expr;
  /** the mistake in words, for a diagnosis ("tanh's rule 1 - out^2") */
  readonly text: string;
}

function defineFn(spec: FnSpec): FnSpec { return spec; }

export const FUNCTIONS: Record<FnName, FnSpec> = {
  // d/du sigma(u) = sigma(u) (1 - sigma(u))
  sigmoid: defineFn({
    name: 'sigmoid',
    spellings: { text: ['sigma', 'sigmoid', 'logistic', 'sig'], latex: ['sigma'] },
    // sigma, 1 - sigma, sigma (1 + sigma), tanh's rule 1 - sigma^2
    wrongRules: [
      { wrote: (o) => o, text: 'sigma itself' },
      { wrote: (o) => sub(one, o), text: '1 - sigma' },
      { wrote: (o) => mul(o, add(one, o)), text: 'sigma (1 + sigma)' },
      { wrote: (o) => sub(one, square(o)), text: "tanh's rule 1 - sigma^2" },
    ],
    eval: ([u]) => (u! >= 0 ? 1 / (1 + Math.exp(-u!)) : Math.exp(u!) / (1 + Math.exp(u!))),
    exact: ([u]) => (u!.isZero() ? Rational.of(1n, 2n) : null),
    partials: (_a, out) => [mul(out, sub(one, out))],
    rule: String.raw`\sigma'(u)=\sigma(u)\,(1-\sigma(u))`,
    latex: (a) => String.raw`\sigma\left(${a}\right)`,
  }),
  // d/du tanh u = 1 - tanh^2 u
  tanh: defineFn({
    name: 'tanh',
    spellings: { text: ['tanh'], latex: ['tanh'] },
    // tanh itself, 1 - tanh (the square forgotten), tanh^2, sigmoid's rule tanh (1 - tanh)
    wrongRules: [
      { wrote: (o) => o, text: 'tanh itself' },
      { wrote: (o) => sub(one, o), text: '1 - tanh (the square left out)' },
      { wrote: (o) => square(sub(one, o)), text: '(1 - tanh)^2' },
      { wrote: (o) => square(o), text: 'tanh^2' },
      { wrote: (o) => add(one, square(o)), text: '1 + tanh^2' },
      { wrote: (o) => mul(o, sub(one, o)), text: "sigmoid's rule tanh (1 - tanh)" },
    ],
    eval: ([u]) => Math.tanh(u!),
    exact: ([u]) => (u!.isZero() ? Rational.ZERO : null),
    partials: (_a, out) => [sub(one, square(out))],
    rule: String.raw`\tanh'(u)=1-\tanh^2 u`,
    latex: (a) => String.raw`\tanh\left(${a}\right)`,
  }),
  // d/du relu(u) = step(u)
  relu: defineFn({
    name: 'relu',
    spellings: { text: ['relu', 'ReLU', 'Relu', 'RELU'], latex: [] },
    // relu' written as relu itself, or as the pre-activation
    wrongRules: [
      { wrote: (o) => o, text: 'ReLU itself' },
      { wrote: (_o, u) => u, text: 'the pre-activation' },
    ],
    eval: ([u]) => (u! > 0 ? u! : 0),
    exact: ([u]) => (u!.sign() > 0 ? u! : Rational.ZERO),
    partials: ([u]) => [fn('step', u!)],
    kink: ([u]) => u === 0,
    rule: String.raw`\operatorname{ReLU}'(u)=\operatorname{step}(u)`,
    latex: (a) => String.raw`\operatorname{ReLU}\left(${a}\right)`,
  }),
  // d/du step(u) = 0 (u != 0)
  step: defineFn({
    name: 'step',
    spellings: { text: ['step', 'heaviside', 'Heaviside'], latex: [] },
    eval: ([u]) => (u! > 0 ? 1 : 0),
    exact: ([u]) => (u!.sign() > 0 ? Rational.ONE : Rational.ZERO),
    partials: () => [zero],
    kink: ([u]) => u === 0,
    rule: String.raw`\operatorname{step}'(u)=0\ (u\neq 0)`,
    latex: (a) => String.raw`\operatorname{step}\left(${a}\right)`,
  }),
  // d/du softplus(u) = d/du log(1 + e^u) = sigma(u); evaluated without overflow at |u| = 1000
  softplus: defineFn({
    name: 'softplus',
    spellings: { text: ['softplus'], latex: [] },
    eval: ([u]) => (u! > 0 ? u! + Math.log1p(Math.exp(-u!)) : Math.log1p(Math.exp(u!))),
    exact: () => null,
    partials: ([u]) => [fn('sigmoid', u!)],
    rule: String.raw`\operatorname{softplus}'(u)=\sigma(u)`,
    latex: (a) => String.raw`\operatorname{softplus}\left(${a}\right)`,
  }),
  // d/du e^u = e^u
  exp: defineFn({
    name: 'exp',
    spellings: { text: ['exp'], latex: ['exp'] },
    eval: ([u]) => Math.exp(u!),
    exact: ([u]) => (u!.isZero() ? Rational.ONE : null),
    partials: (_a, out) => [out],
    rule: String.raw`(e^u)'=e^u`,
    latex: (a) => String.raw`\exp\left(${a}\right)`,
  }),
  // d/du log u = 1/u
  log: defineFn({
    name: 'log',
    spellings: { text: ['log', 'ln'], latex: ['log', 'ln'] },
    eval: ([u]) => Math.log(u!),
    exact: ([u]) => (u!.isOne() ? Rational.ZERO : null),
    partials: ([u]) => [div(one, u!)],
    rule: String.raw`(\log u)'=1/u`,
    latex: (a) => String.raw`\log\left(${a}\right)`,
  }),
  // d/du sqrt u = 1 / (2 sqrt u)
  sqrt: defineFn({
    name: 'sqrt',
    spellings: { text: ['sqrt'], latex: [] },
    eval: ([u]) => Math.sqrt(u!),
    exact: ([u]) => exactSqrt(u!),
    partials: (_a, out) => [div(one, mul(num(2), out))],
    rule: String.raw`(\sqrt u)'=\frac{1}{2\sqrt u}`,
    latex: (a) => String.raw`\sqrt{${a}}`,
  }),
  // d/du |u| = sign(u) = 2 step(u) - 1 (u != 0). Written with step, not as the
  // textbook u/|u|: that is 0/0 at the kink, where the engine still needs a
  // finite value (the entry is then listed as not differentiable); the rule
  // text prints sign(u).
  abs: defineFn({
    name: 'abs',
    spellings: { text: ['abs'], latex: [] },
    eval: ([u]) => Math.abs(u!),
    exact: ([u]) => (u!.sign() < 0 ? u!.neg() : u!),
    partials: ([u]) => [sub(mul(num(2), fn('step', u!)), one)],
    kink: ([u]) => u === 0,
    rule: String.raw`|u|'=\operatorname{sign}(u)`,
    latex: (a) => String.raw`\left|${a}\right|`,
  }),
};

/** Arithmetic: n-ary add and mul, neg, binary div and pow. */
export const ARITHMETIC: Record<'add' | 'mul' | 'neg' | 'div' | 'pow', OpSpec> = {
  // d/dx_i (x_1 + ... + x_n) = 1
  add: {
    name: 'add',
    eval: (a) => { let s = 0; for (const x of a) s += x; return s; },
    exact: (a) => a.reduce((s, x) => s.add(x), Rational.ZERO),
    partials: (args) => args.map(() => one),
    rule: String.raw`\partial(a+b)/\partial a=1`,
  },
  // d/dx_i (x_1 ... x_n) = prod_{j != i} x_j
  mul: {
    name: 'mul',
    eval: (a) => { let p = 1; for (const x of a) p *= x; return p; },
    exact: (a) => a.reduce((p, x) => p.mul(x), Rational.ONE),
    partials: (args) => args.map((_, i) => mul(...args.filter((_, j) => j !== i))),
    rule: String.raw`\partial(ab)/\partial a=b`,
  },
  neg: {
    name: 'neg',
    eval: ([a]) => -a!,
    exact: ([a]) => a!.neg(),
    partials: () => [num(-1)],
    rule: String.raw`\partial(-a)/\partial a=-1`,
  },
  // d/da (a/b) = 1/b ; d/db (a/b) = -a/b^2
  div: {
    name: 'div',
    eval: ([a, b]) => a! / b!,
    exact: ([a, b]) => (b!.isZero() ? null : a!.div(b!)),
    partials: ([a, b]) => [div(one, b!), neg(div(a!, square(b!)))],
    rule: String.raw`\partial(a/b)/\partial b=-a/b^2`,
  },
  // d/da a^n = n a^(n-1) ; d/dn a^n = a^n log a
  pow: {
    name: 'pow',
    eval: ([a, b]) => Math.pow(a!, b!),
    exact: ([a, b]) => (b!.isInteger() && Math.abs(Number(b!.num)) <= 64 && !(a!.isZero() && b!.sign() < 0) ? a!.pow(Number(b!.num)) : null),
    partials: ([a, b], out) => [
      mul(b!, pow(a!, add(b!, num(-1)))),
      b!.kind === 'num' ? zero : mul(out, fn('log', a!)),
    ],
    rule: String.raw`(a^n)'=n\,a^{n-1}`,
  },
};

export function opSpec(op: OpName): OpSpec {
  return op in FUNCTIONS ? FUNCTIONS[op as FnName] : ARITHMETIC[op as keyof typeof ARITHMETIC];
}

function exactSqrt(r: Rational): Rational | null {
  if (r.sign() < 0) return null;
  const n = isqrt(r.num), d = isqrt(r.den);
  return n !== null && d !== null ? Rational.of(n, d) : null;
}

/**
 * The integer square root if v is a perfect square. Newton's iteration from a power of two
 * above the root: a float first guess stepped by one (as before) is off by ~10^42 for a
 * 116-digit v such as the square of a given 1.17e-42, and never finished (issue 8 fuzzing).
 */
export function isqrt(v: bigint): bigint | null {
  if (v < 0n) return null;
  if (v < 2n) return v;
  let x = 1n << BigInt(Math.ceil(v.toString(2).length / 2));
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return x * x === v ? x : null;
}
