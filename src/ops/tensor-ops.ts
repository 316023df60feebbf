/**
 * The tensor-level op registry: one block per op, holding its shape rule,
 * its float64 value, its vector-Jacobian product written with the same
 * constructors (matmul: dA = G B^T, dB = A^T G; an elementwise f: G * f'(u)
 * reusing the op's output, so sigma' = s (1 - s)), its expansion into the
 * scalar graph (the independent second level), its printed form (plain text
 * in the syntax of contract 2.7, and LaTeX) and the rule a sheet prints.
 *
 * Elementwise functions take their derivative and LaTeX from the scalar
 * registry (registry.ts), so an activation is defined once for both levels.
 * Numerics are stable in the ops themselves: softmax and logsumexp shift by
 * the maximum; log of a sigmoid or a softmax is fused by the evaluator
 * (numeric/tensor-eval.ts).
 */
import {
  add as sadd, div as sdiv, fn as sfn, mul as smul, neg as sneg, num as snum, pow as spow, ref as sref, zero as szero,
  type Expr, type FnName,
} from '../expr/expr.js';
import { sameShape, sizeOf, tnum, type Shape, type TApply, type TAttrs, type TExpr } from '../expr/tensor.js';
import { strides, tensor, type Tensor } from '../expr/tensor-value.js';
import { FUNCTIONS } from './registry.js';
import { PREC, fmtNum, parenthesize, scriptBase, type ScalarArg, type TOpSpec, type TPrinter } from './tensor-op-types.js';
import { CONV_OPS } from './tensor-conv.js';
import * as T from './tensor-build.js';
import { decodeSelection, type SelectPart } from './tensor-build.js';
import { broadcastShape, checkAxis, fmtShape, isSuffix, reducedShape, shapeError } from './tensor-shapes.js';

// ---------------------------------------------------------------- helpers

/** Linear index into an operand broadcast to `shape` (equal, one-element, or a trailing part). */
function bindex(operand: Shape, i: number): number {
  const n = sizeOf(operand);
  return n === 1 ? 0 : i % n;
}

function elementwise(shape: Shape, args: readonly Tensor[], f: (xs: number[]) => number): Tensor {
  const out = tensor(shape);
  const n = out.data.length;
  // the common cases without the per-entry argument list (the forward pass runs this in every check)
  if (args.length === 1 && args[0]!.data.length === n) {
    const a = args[0]!.data, xs = [0];
    for (let i = 0; i < n; i++) { xs[0] = a[i]!; out.data[i] = f(xs); }
    return out;
  }
  if (args.length === 2 && args[0]!.data.length === n && args[1]!.data.length === n) {
    const a = args[0]!.data, b = args[1]!.data, xs = [0, 0];
    for (let i = 0; i < n; i++) { xs[0] = a[i]!; xs[1] = b[i]!; out.data[i] = f(xs); }
    return out;
  }
  const xs = new Array<number>(args.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < args.length; k++) xs[k] = args[k]!.data[bindex(args[k]!.shape, i)]!;
    out.data[i] = f(xs);
  }
  return out;
}

function elementwiseScalar(shape: Shape, args: readonly ScalarArg[], f: (xs: Expr[]) => Expr): Expr[] {
  const n = sizeOf(shape);
  const out: Expr[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = f(args.map((a) => a.entries[bindex(a.shape, i)]!));
  return out;
}

/** The cotangent G reduced to an operand's shape: summed over the axes the operand was broadcast along. */
export function unbroadcast(G: TExpr, shape: Shape): TExpr {
  if (sameShape(G.shape, shape)) return G;
  if (sizeOf(shape) === 1) return T.reshape(T.sum(G), shape);
  const lead = G.shape.length - shape.length;
  return T.sum(G, Array.from({ length: lead }, (_, i) => i + 1));
}

const axesAttr = (attrs: TAttrs): readonly number[] | null => (attrs.axes as readonly number[] | null) ?? null;

/** Positions (row-major) of the entries reduced into each output entry; the same few layouts recur at every step, so they are kept. */
const groupCache = new Map<string, number[][]>();
function reductionGroups(shape: Shape, axes: readonly number[] | null): number[][] {
  const key = `${shape.join('x')}|${axes?.join(',') ?? '*'}`;
  let g = groupCache.get(key);
  if (!g) {
    if (groupCache.size > 1000) groupCache.clear();
    groupCache.set(key, (g = computeGroups(shape, axes)));
  }
  return g;
}

function computeGroups(shape: Shape, axes: readonly number[] | null): number[][] {
  const outShape = reducedShape(shape, axes);
  const groups: number[][] = Array.from({ length: sizeOf(outShape) }, () => []);
  const st = strides(shape);
  const outSt = strides(outShape);
  const n = sizeOf(shape);
  for (let i = 0; i < n; i++) {
    let o = 0, k = 0;
    for (let d = 0; d < shape.length; d++) {
      const idx = Math.floor(i / st[d]!) % shape[d]!;
      if (axes === null || axes.includes(d + 1)) continue;
      o += idx * outSt[k++]!;
    }
    groups[o]!.push(i);
  }
  return groups;
}

/** The axis of softmax/logsumexp as a list of reduced axes. */
const softAxes = (attrs: TAttrs): readonly number[] | null => (attrs.axis === null || attrs.axis === undefined ? null : [attrs.axis as number]);

function latexCall(name: string, inner: string): string {
  return `\\operatorname{${name}}\\left(${inner}\\right)`;
}

// ---------------------------------------------------------------- elementwise functions (from the scalar registry)

const U = '\u0000u', OUT = '\u0000out';

/** f'(u) as a tensor expression, from the scalar rule written over placeholders: sigma' = out (1 - out). */
export function liftedDerivative(name: FnName, u: TExpr, out: TExpr): TExpr {
  const d = FUNCTIONS[name].partials([sref(U)], sref(OUT))[0]!;
  const lift = (e: Expr): TExpr => {
    if (e.kind === 'num') return tnum(e.value);
    if (e.kind === 'ref') return e.key === U ? u : e.key === OUT ? out : shapeError(`internal: ${e.key}`);
    const a = e.args.map(lift);
    switch (e.op) {
      case 'add': return T.add(...a);
      case 'mul': return T.mul(...a);
      case 'neg': return T.neg(a[0]!);
      case 'div': return T.div(a[0]!, a[1]!);
      case 'pow': return T.pow(a[0]!, a[1]!);
      default: return T.fn(e.op, a[0]!);
    }
  };
  return lift(d);
}

function fnBlock(name: FnName): TOpSpec {
  const spec = FUNCTIONS[name];
  return {
    name,
    prec: PREC.atom,
    shape: ([a]) => a!,
    eval: ([a], _at, shape) => elementwise(shape, [a!], ([x]) => spec.eval([x!])),
    vjp: (e, out, G) => T.mul(G, liftedDerivative(name, e.args[0]!, out)),
    scalar: ([a], _at, shape) => elementwiseScalar(shape, [a!], ([x]) => sfn(name, x!)),
    print: (p) => (p.latex ? spec.latex(p.arg(0, 0)) : `${name}(${p.arg(0, 0)})`),
    rule: spec.rule,
    kink: spec.kink ? ([a]) => a!.data.some((x) => spec.kink!([x])) : undefined,
  };
}

// ---------------------------------------------------------------- the blocks

const ARITH: Record<string, TOpSpec> = {
  // d/da_i (a_1 + ... + a_n) = 1, summed over the axes a_i was broadcast along
  add: {
    name: 'add', prec: PREC.add,
    shape: (args) => args.reduce<Shape>((s, a) => broadcastShape(s, a, 'a sum'), []),
    eval: (args, _at, shape) => elementwise(shape, args, (xs) => { let s = 0; for (const x of xs) s += x; return s; }),
    vjp: (e, _out, G, i) => unbroadcast(G, e.args[i]!.shape),
    scalar: (args, _at, shape) => elementwiseScalar(shape, args, (xs) => sadd(...xs)),
    print: (p, e) => e.args.map((a, i) => {
      if (i === 0) return p.arg(0, PREC.add);
      const negated = negatedPrint(p, e, i);
      return negated !== null ? ` - ${negated}` : ` + ${p.arg(i, PREC.add + 1)}`;
    }).join(''),
    rule: String.raw`\overline{\mathbf{a}}=\overline{\mathbf{c}}\ \text{(summed over broadcast rows)}`,
  },
  // d/da (-a) = -1
  neg: {
    name: 'neg', prec: PREC.neg,
    shape: ([a]) => a!,
    eval: ([a], _at, shape) => elementwise(shape, [a!], ([x]) => -x!),
    vjp: (_e, _out, G) => T.neg(G),
    scalar: ([a], _at, shape) => elementwiseScalar(shape, [a!], ([x]) => sneg(x!)),
    print: (p) => `-${p.arg(0, PREC.mul + 1)}`,
    rule: String.raw`\overline{\mathbf{a}}=-\overline{\mathbf{c}}`,
  },
  // d/da_i (a_1 * ... * a_n) = prod_{j != i} a_j (elementwise; a scalar factor scales)
  mul: {
    name: 'mul', prec: PREC.mul,
    shape: (args) => args.reduce<Shape>((s, a) => broadcastShape(s, a, 'a product'), []),
    eval: (args, _at, shape) => elementwise(shape, args, (xs) => {
      let p = 1;
      for (const x of xs) {
        // t log p with t = 0: 0 * (-inf) is 0 here (the textbook convention 0 log 0 = 0)
        if (x === 0) return 0;
        p *= x;
      }
      return p;
    }),
    vjp: (e, _out, G, i) => unbroadcast(T.mul(G, ...e.args.filter((_, j) => j !== i)), e.args[i]!.shape),
    scalar: (args, _at, shape) => elementwiseScalar(shape, args, (xs) => smul(...xs)),
    print: (p, e) => {
      const parts = e.args.map((_, i) => p.arg(i, i === 0 ? PREC.neg : PREC.mul + 1));
      if (!p.latex) return parts.join(' * ');
      // a scalar times a tensor is juxtaposed (lambda W); two tensors are a Hadamard product
      let s = parts[0]!;
      for (let i = 1; i < parts.length; i++) {
        const hadamard = e.args[i]!.shape.length > 0 && e.args[i - 1]!.shape.length > 0;
        s += hadamard ? ` \\odot ${parts[i]}` : /\d$/.test(s) && /^[\d-]/.test(parts[i]!) ? ` \\cdot ${parts[i]}` : `\\,${parts[i]}`;
      }
      return s;
    },
    rule: String.raw`\overline{\mathbf{a}}=\overline{\mathbf{c}}\odot\mathbf{b}`,
  },
  // d/da (a/b) = 1/b ; d/db (a/b) = -a/b^2 = -out/b
  div: {
    name: 'div', prec: PREC.mul,
    shape: ([a, b]) => broadcastShape(a!, b!, 'a quotient'),
    eval: ([a, b], _at, shape) => elementwise(shape, [a!, b!], ([x, y]) => x! / y!),
    vjp: (e, out, G, i) => (i === 0
      ? unbroadcast(T.div(G, e.args[1]!), e.args[0]!.shape)
      : unbroadcast(T.neg(T.div(T.mul(G, out), e.args[1]!)), e.args[1]!.shape)),
    scalar: ([a, b], _at, shape) => elementwiseScalar(shape, [a!, b!], ([x, y]) => sdiv(x!, y!)),
    print: (p, e) => {
      if (!p.latex) return `${p.arg(0, PREC.mul)} / ${p.arg(1, PREC.mul + 1)}`;
      return e.args[1]!.shape.length === 0 ? `\\frac{${p.arg(0, 0)}}{${p.arg(1, 0)}}` : `${p.arg(0, PREC.mul + 1)} \\oslash ${p.arg(1, PREC.mul + 1)}`;
    },
    rule: String.raw`\overline{\mathbf{a}}=\overline{\mathbf{c}}\oslash\mathbf{b},\ \overline{\mathbf{b}}=-\overline{\mathbf{c}}\odot\mathbf{c}\oslash\mathbf{b}`,
  },
  // d/da a^n = n a^(n-1) ; d/dn a^n = a^n log a
  pow: {
    name: 'pow', prec: PREC.pow,
    shape: ([a, n]) => broadcastShape(a!, n!, 'a power'),
    eval: ([a, n], _at, shape) => elementwise(shape, [a!, n!], ([x, y]) => Math.pow(x!, y!)),
    vjp: (e, out, G, i) => {
      const [a, n] = e.args as [TExpr, TExpr];
      if (i === 0) return unbroadcast(T.mul(G, n, T.pow(a, T.add(n, tnum(-1)))), a.shape);
      return unbroadcast(T.mul(G, out, T.fn('log', a)), n.shape);
    },
    scalar: ([a, n], _at, shape) => elementwiseScalar(shape, [a!, n!], ([x, y]) => spow(x!, y!)),
    print: (p) => (p.latex ? `${scriptBase(p.arg(0, PREC.atom))}^{${p.arg(1, 0)}}` : `${p.arg(0, PREC.atom)}^${p.arg(1, PREC.atom)}`),
    rule: String.raw`(\mathbf{a}^{n})'=n\,\mathbf{a}^{n-1}`,
  },
};

const LINEAR: Record<string, TOpSpec> = {
  // C = A B: dA = G B^T, dB = A^T G (vectors are columns; a^T b is a scalar)
  matmul: {
    name: 'matmul', prec: PREC.matmul,
    shape: ([a, b], _at, [ea]) => {
      const fail = (): never => shapeError(`a matrix product: the shapes ${fmtShape(a!)} @ ${fmtShape(b!)} do not fit`);
      if (a!.length === 2 && b!.length === 2) return a![1] === b![0] ? [a![0]!, b![1]!] : fail();
      if (a!.length === 2 && b!.length === 1) {
        if (a![1] !== b![0]) fail();
        // a^T b of two vectors is a scalar; a matrix with one row times a vector is a vector of one entry
        const transposedVector = ea!.kind === 'apply' && ea!.op === 'transpose' && ea!.args[0]!.shape.length === 1;
        return transposedVector ? [] : [a![0]!];
      }
      if (a!.length === 1 && b!.length === 2 && b![0] === 1) return [a![0]!, b![1]!]; // a b^T: an outer product
      if (a!.length === 1 && b!.length === 1 && b![0] === 1) return a!; // a column times a 1 x 1: V^T g for a one-row V
      return fail();
    },
    eval: ([a, b], _at, shape) => {
      if (a!.shape.length === 1 && b!.shape.length === 1) return tensor(shape, a!.data.map((x) => x * b!.data[0]!));
      const m = a!.shape[0]!;
      const k = a!.shape.length === 2 ? a!.shape[1]! : 1;
      const n = b!.shape.length === 2 ? b!.shape[1]! : 1;
      const out = tensor(shape);
      const A = a!.data, B = b!.data, C = out.data;
      if (n === 1) {
        // a matrix times a vector: one dot product per row
        for (let i = 0; i < m; i++) {
          let acc = 0;
          const row = i * k;
          for (let kk = 0; kk < k; kk++) acc += A[row + kk]! * B[kk]!;
          C[i] = acc;
        }
        return out;
      }
      for (let i = 0; i < m; i++) {
        for (let kk = 0; kk < k; kk++) {
          const aik = A[i * k + kk]!;
          if (aik === 0) continue;
          for (let j = 0; j < n; j++) C[i * n + j]! += aik * B[kk * n + j]!;
        }
      }
      return out;
    },
    vjp: (e, _out, G, i) => {
      const [a, b] = e.args as [TExpr, TExpr];
      if (a.shape.length === 1 && b.shape.length === 1) {
        // a column [n] times a 1 x 1 [1]: da = G b, db = a^T G
        return i === 0 ? T.mul(G, b) : T.reshape(T.matmul(T.transpose(a), G), b.shape);
      }
      return i === 0 ? T.matmul(G, T.transpose(b)) : T.matmul(T.transpose(a), G);
    },
    scalar: ([a, b], _at, shape) => {
      if (a!.shape.length === 1 && b!.shape.length === 1) return a!.entries.map((x) => smul(x, b!.entries[0]!));
      const m = a!.shape[0]!;
      const k = a!.shape.length === 2 ? a!.shape[1]! : 1;
      const n = b!.shape.length === 2 ? b!.shape[1]! : 1;
      const out: Expr[] = [];
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const terms: Expr[] = [];
          for (let kk = 0; kk < k; kk++) terms.push(smul(a!.entries[i * k + kk]!, b!.entries[kk * n + j]!));
          out.push(sadd(...terms));
        }
      }
      return shape.length === 0 ? [out[0]!] : out;
    },
    print: (p) => (p.latex ? `${p.arg(0, PREC.matmul)}\\,${p.arg(1, PREC.matmul + 1)}` : `${p.arg(0, PREC.matmul)} @ ${p.arg(1, PREC.matmul + 1)}`),
    rule: String.raw`\overline{\mathbf{A}}=\overline{\mathbf{C}}\,\mathbf{B}^\top,\ \overline{\mathbf{B}}=\mathbf{A}^\top\overline{\mathbf{C}}`,
  },
  // (A^T)-bar = (A-bar)^T
  transpose: {
    name: 'transpose', prec: PREC.pow,
    shape: ([a]) => (a!.length > 2 ? shapeError(`a transpose of a tensor of shape ${fmtShape(a!)}`) : T.transposedShape(a!)),
    eval: ([a], _at, shape) => {
      if (a!.shape.length !== 2 || a!.shape[0] === 1) return tensor(shape, a!.data);
      const [m, n] = a!.shape as [number, number];
      const out = tensor(shape);
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out.data[j * m + i] = a!.data[i * n + j]!;
      return out;
    },
    vjp: (_e, _out, G) => T.transpose(G),
    scalar: ([a], _at, shape) => {
      if (a!.shape.length !== 2 || a!.shape[0] === 1) return [...a!.entries];
      const [m, n] = a!.shape as [number, number];
      const out: Expr[] = new Array(sizeOf(shape));
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a!.entries[i * n + j]!;
      return out;
    },
    print: (p) => {
      if (!p.latex) return `${p.arg(0, PREC.atom)}^T`;
      // a name with a superscript takes the transpose into it: W^{[2]\top}
      const a = p.arg(0, PREC.atom);
      const sup = /^(\\mathbf\{[A-Za-z]\}|\\boldsymbol\{\\[a-z]+\})\^\{([^{}]*)\}$/.exec(a);
      return sup ? `${sup[1]}^{${sup[2]}\\top}` : `${scriptBase(a)}^{\\top}`;
    },
    rule: String.raw`\overline{\mathbf{A}}=\overline{\mathbf{C}}^\top`,
  },
  // d/da sum(a) = 1 (the cotangent broadcast back over the summed axes)
  sum: {
    name: 'sum', prec: PREC.atom,
    shape: ([a], attrs) => {
      const axes = axesAttr(attrs);
      axes?.forEach((x) => checkAxis(x, a!, 'sum'));
      return reducedShape(a!, axes);
    },
    eval: ([a], attrs, shape) => {
      const out = tensor(shape);
      reductionGroups(a!.shape, axesAttr(attrs)).forEach((g, o) => { let s = 0; for (const i of g) s += a!.data[i]!; out.data[o] = s; });
      return out;
    },
    vjp: (e, _out, G) => T.bcast(G, e.args[0]!.shape, axesAttr(e.attrs) ?? e.args[0]!.shape.map((_, i) => i + 1)),
    scalar: ([a], attrs) => reductionGroups(a!.shape, axesAttr(attrs)).map((g) => sadd(...g.map((i) => a!.entries[i]!))),
    print: (p, e) => printReduction(p, e, 'sum'),
    rule: String.raw`\overline{\mathbf{a}}=\overline{s}\,\mathbf{1}`,
  },
  // d/da mean(a) = 1/n
  mean: {
    name: 'mean', prec: PREC.atom,
    shape: ([a], attrs) => {
      const axes = axesAttr(attrs);
      axes?.forEach((x) => checkAxis(x, a!, 'mean'));
      return reducedShape(a!, axes);
    },
    eval: ([a], attrs, shape) => {
      const out = tensor(shape);
      reductionGroups(a!.shape, axesAttr(attrs)).forEach((g, o) => { let s = 0; for (const i of g) s += a!.data[i]!; out.data[o] = s / g.length; });
      return out;
    },
    vjp: (e, _out, G) => {
      const a = e.args[0]!;
      const n = sizeOf(a.shape) / sizeOf(e.shape);
      return T.div(T.bcast(G, a.shape, axesAttr(e.attrs) ?? a.shape.map((_, i) => i + 1)), tnum(n));
    },
    scalar: ([a], attrs) => reductionGroups(a!.shape, axesAttr(attrs)).map((g) => sdiv(sadd(...g.map((i) => a!.entries[i]!)), snum(g.length))),
    print: (p, e) => printReduction(p, e, 'mean'),
    rule: String.raw`\overline{\mathbf{a}}=\tfrac{1}{n}\,\overline{m}\,\mathbf{1}`,
  },
  // d/da max(a) routes the cotangent to the first maximum
  max: {
    name: 'max', prec: PREC.atom,
    shape: ([a], attrs) => {
      const axes = axesAttr(attrs);
      axes?.forEach((x) => checkAxis(x, a!, 'max'));
      return reducedShape(a!, axes);
    },
    eval: ([a], attrs, shape) => {
      const out = tensor(shape);
      reductionGroups(a!.shape, axesAttr(attrs)).forEach((g, o) => { out.data[o] = a!.data[firstMax(a!.data, g)]!; });
      return out;
    },
    vjp: (e, _out, G) => {
      const a = e.args[0]!;
      const axes = axesAttr(e.attrs);
      return T.mul(T.bcast(G, a.shape, axes ?? a.shape.map((_, i) => i + 1)), T.argmaxMask(a, axes));
    },
    scalar: ([a], attrs) => reductionGroups(a!.shape, axesAttr(attrs)).map((g) => a!.entries[firstMax(a!.values, g)]!),
    print: (p, e) => printReduction(p, e, 'max'),
    rule: String.raw`\overline{\mathbf{a}}=\overline{m}\,\mathbb{1}[\mathbf{a}=\max\mathbf{a}]\ \text{(the first maximum)}`,
    kink: ([a], attrs) => reductionGroups(a!.shape, axesAttr(attrs)).some((g) => {
      const m = a!.data[firstMax(a!.data, g)]!;
      return g.filter((i) => a!.data[i] === m).length > 1;
    }),
  },
  // d/da min(a) routes the cotangent to the first minimum; min(a) = -max(-a), so that is the first maximum of -a
  min: {
    name: 'min', prec: PREC.atom,
    shape: ([a], attrs) => {
      const axes = axesAttr(attrs);
      axes?.forEach((x) => checkAxis(x, a!, 'min'));
      return reducedShape(a!, axes);
    },
    eval: ([a], attrs, shape) => {
      const out = tensor(shape);
      reductionGroups(a!.shape, axesAttr(attrs)).forEach((g, o) => { out.data[o] = a!.data[firstMin(a!.data, g)]!; });
      return out;
    },
    vjp: (e, _out, G) => {
      const a = e.args[0]!;
      const axes = axesAttr(e.attrs);
      return T.mul(T.bcast(G, a.shape, axes ?? a.shape.map((_, i) => i + 1)), T.argmaxMask(T.neg(a), axes));
    },
    scalar: ([a], attrs) => reductionGroups(a!.shape, axesAttr(attrs)).map((g) => a!.entries[firstMin(a!.values, g)]!),
    print: (p, e) => printReduction(p, e, 'min'),
    rule: String.raw`\overline{\mathbf{a}}=\overline{m}\,\mathbb{1}[\mathbf{a}=\min\mathbf{a}]\ \text{(the first minimum)}`,
    kink: ([a], attrs) => reductionGroups(a!.shape, axesAttr(attrs)).some((g) => {
      const m = a!.data[firstMin(a!.data, g)]!;
      return g.filter((i) => a!.data[i] === m).length > 1;
    }),
  },
  argmaxMask: {
    name: 'argmaxMask', prec: PREC.atom,
    shape: ([a]) => a!,
    eval: ([a], attrs, shape) => {
      const out = tensor(shape);
      for (const g of reductionGroups(a!.shape, axesAttr(attrs))) out.data[firstMax(a!.data, g)] = 1;
      return out;
    },
    vjp: (e) => T.zeros(e.args[0]!.shape),
    scalar: ([a], attrs, shape) => {
      const out: Expr[] = new Array(sizeOf(shape)).fill(szero);
      for (const g of reductionGroups(a!.shape, axesAttr(attrs))) out[firstMax(a!.values, g)] = snum(1);
      return out;
    },
    print: (p) => (p.latex ? `\\mathbb{1}\\left[${p.arg(0, 0)}=\\max\\right]` : `argmax_mask(${p.arg(0, 0)})`),
    rule: String.raw`\mathbb{1}[\cdot]'=0`,
  },
  // a broadcast's adjoint sums over the new axes
  bcast: {
    name: 'bcast', prec: PREC.atom,
    shape: (_args, attrs) => attrs.shape as readonly number[],
    eval: ([a], attrs, shape) => {
      const out = tensor(shape);
      const src = bcastSource(a!.shape, shape, attrs.axes as readonly number[]);
      for (let i = 0; i < out.data.length; i++) out.data[i] = a!.data[src(i)]!;
      return out;
    },
    vjp: (e, _out, G) => {
      const a = e.args[0]!;
      if (sizeOf(a.shape) === 1) return T.reshape(T.sum(G), a.shape);
      return T.reshape(T.sum(G, e.attrs.axes as readonly number[]), a.shape);
    },
    scalar: ([a], attrs, shape) => {
      const src = bcastSource(a!.shape, shape, attrs.axes as readonly number[]);
      return Array.from({ length: sizeOf(shape) }, (_, i) => a!.entries[src(i)]!);
    },
    print: (p, e) => {
      const axes = e.attrs.axes as readonly number[];
      const leading = axes.every((x, i) => x === i + 1);
      if (leading) return p.arg(0, PREC.atom);
      // a column broadcast (each row i filled with a_i): a 1^T
      return p.latex ? `${p.arg(0, PREC.matmul)}\\,\\mathbf{1}^{\\top}` : `outer(${p.arg(0, 0)}, ones)`;
    },
    rule: String.raw`\overline{\mathbf{a}}=\textstyle\sum_{\text{new axes}}\overline{\mathbf{c}}`,
  },
  reshape: {
    name: 'reshape', prec: PREC.atom,
    shape: ([a], attrs) => {
      const s = attrs.shape as readonly number[];
      return sizeOf(s) === sizeOf(a!) ? s : shapeError(`a reshape of ${fmtShape(a!)} into ${fmtShape(s)}`);
    },
    eval: ([a], _at, shape) => tensor(shape, a!.data),
    vjp: (e, _out, G) => T.reshape(G, e.args[0]!.shape),
    scalar: ([a]) => [...a!.entries],
    print: (p) => p.arg(0, PREC.atom),
    rule: String.raw`\overline{\mathbf{a}}=\overline{\mathbf{c}}`,
  },
  flatten: {
    name: 'flatten', prec: PREC.atom,
    shape: ([a]) => [sizeOf(a!)],
    eval: ([a], _at, shape) => tensor(shape, a!.data),
    vjp: (e, _out, G) => T.reshape(G, e.args[0]!.shape),
    scalar: ([a]) => [...a!.entries],
    print: (p) => (p.latex ? latexCall('vec', p.arg(0, 0)) : `flatten(${p.arg(0, 0)})`),
    rule: String.raw`\overline{\mathbf{A}}=\operatorname{reshape}(\overline{\mathbf{c}})`,
  },
  zeros: {
    name: 'zeros', prec: PREC.atom,
    shape: (_args, attrs) => attrs.shape as readonly number[],
    eval: (_args, _at, shape) => tensor(shape),
    vjp: () => tnum(0),
    scalar: (_args, _at, shape) => new Array<Expr>(sizeOf(shape)).fill(szero),
    print: (p) => (p.latex ? '\\mathbf{0}' : '0'),
    rule: '',
  },
  // the softmax: dz = p * (G - sum(p * G)), over each row or column for a matrix
  softmax: {
    name: 'softmax', prec: PREC.atom,
    shape: ([a], attrs) => {
      if (a!.length === 2 && (attrs.axis === null || attrs.axis === undefined)) shapeError(`softmax of a matrix ${fmtShape(a!)} needs an axis: softmax(S, 2) normalizes each row`);
      if (a!.length > 2) shapeError(`softmax of a tensor of shape ${fmtShape(a!)}`);
      if (attrs.axis !== null && attrs.axis !== undefined) checkAxis(attrs.axis as number, a!, 'softmax');
      return a!;
    },
    eval: ([a], attrs, shape) => {
      const out = tensor(shape);
      for (const g of reductionGroups(a!.shape, softAxes(attrs))) {
        let m = -Infinity;
        for (const i of g) m = Math.max(m, a!.data[i]!);
        let s = 0;
        for (const i of g) { const v = Math.exp(a!.data[i]! - m); out.data[i] = v; s += v; }
        for (const i of g) out.data[i]! /= s;
      }
      return out;
    },
    vjp: (e, out, G) => {
      const axes = softAxes(e.attrs);
      const pg = T.mul(out, G);
      const s = T.sum(pg, axes);
      // across each row: the row sums scale the rows, diag(s) P (a column sum broadcasts down the rows by itself)
      if (e.attrs.axis === 2) return T.sub(pg, T.matmul(T.diag(s), out));
      return T.sub(pg, T.mul(out, s));
    },
    scalar: ([a], attrs, shape) => {
      const out: Expr[] = new Array(sizeOf(shape));
      for (const g of reductionGroups(a!.shape, softAxes(attrs))) {
        const ex = g.map((i) => sfn('exp', a!.entries[i]!));
        const s = sadd(...ex);
        g.forEach((i, k) => { out[i] = sdiv(ex[k]!, s); });
      }
      return out;
    },
    print: (p, e) => (p.latex ? latexCall('softmax', p.arg(0, 0)) : e.attrs.axis ? `softmax(${p.arg(0, 0)}, ${e.attrs.axis})` : `softmax(${p.arg(0, 0)})`),
    rule: String.raw`\overline{\mathbf{z}}=\mathbf{p}\odot\overline{\mathbf{p}}-\mathbf{p}\,(\mathbf{p}^\top\overline{\mathbf{p}})`,
  },
  // d/da logsumexp(a) = softmax(a)
  logsumexp: {
    name: 'logsumexp', prec: PREC.atom,
    shape: ([a], attrs) => {
      if (a!.length === 2 && (attrs.axis === null || attrs.axis === undefined)) shapeError(`logsumexp of a matrix ${fmtShape(a!)} needs an axis`);
      if (attrs.axis !== null && attrs.axis !== undefined) checkAxis(attrs.axis as number, a!, 'logsumexp');
      return reducedShape(a!, softAxes(attrs));
    },
    eval: ([a], attrs, shape) => {
      const out = tensor(shape);
      reductionGroups(a!.shape, softAxes(attrs)).forEach((g, o) => {
        let m = -Infinity;
        for (const i of g) m = Math.max(m, a!.data[i]!);
        let s = 0;
        for (const i of g) s += Math.exp(a!.data[i]! - m);
        out.data[o] = m + Math.log(s);
      });
      return out;
    },
    vjp: (e, _out, G) => {
      const a = e.args[0]!;
      const axes = softAxes(e.attrs);
      return T.mul(T.bcast(G, a.shape, axes ?? a.shape.map((_, i) => i + 1)), T.softmax(a, (e.attrs.axis as number | null) ?? null));
    },
    scalar: ([a], attrs) => reductionGroups(a!.shape, softAxes(attrs)).map((g) => sfn('log', sadd(...g.map((i) => sfn('exp', a!.entries[i]!))))),
    print: (p, e) => (p.latex ? latexCall('logsumexp', p.arg(0, 0)) : e.attrs.axis ? `logsumexp(${p.arg(0, 0)}, ${e.attrs.axis})` : `logsumexp(${p.arg(0, 0)})`),
    rule: String.raw`\overline{\mathbf{a}}=\overline{s}\,\operatorname{softmax}(\mathbf{a})`,
  },
  // d/da a.b = b
  dot: {
    name: 'dot', prec: PREC.atom,
    shape: ([a, b]) => (a!.length === 1 && sameShape(a!, b!) ? [] : shapeError(`dot of ${fmtShape(a!)} and ${fmtShape(b!)}: two vectors of one size`)),
    eval: ([a, b]) => { let s = 0; for (let i = 0; i < a!.data.length; i++) s += a!.data[i]! * b!.data[i]!; return tensor([], [s]); },
    vjp: (e, _out, G, i) => T.mul(G, e.args[1 - i]!),
    scalar: ([a, b]) => [sadd(...a!.entries.map((x, i) => smul(x, b!.entries[i]!)))],
    print: (p) => (p.latex ? `${p.arg(0, PREC.pow)}^{\\top}${p.arg(1, PREC.pow)}` : `dot(${p.arg(0, 0)}, ${p.arg(1, 0)})`),
    rule: String.raw`\overline{\mathbf{a}}=\overline{s}\,\mathbf{b}`,
  },
  // d/da (a b^T) = G b ; d/db = G^T a
  outer: {
    name: 'outer', prec: PREC.matmul,
    shape: ([a, b]) => (a!.length === 1 && b!.length === 1 ? [a![0]!, b![0]!] : shapeError(`outer of ${fmtShape(a!)} and ${fmtShape(b!)}: two vectors`)),
    eval: ([a, b], _at, shape) => {
      const out = tensor(shape);
      const n = b!.data.length;
      for (let i = 0; i < a!.data.length; i++) for (let j = 0; j < n; j++) out.data[i * n + j] = a!.data[i]! * b!.data[j]!;
      return out;
    },
    vjp: (e, _out, G, i) => (i === 0 ? T.matmul(G, e.args[1]!) : T.matmul(T.transpose(G), e.args[0]!)),
    scalar: ([a, b]) => a!.entries.flatMap((x) => b!.entries.map((y) => smul(x, y))),
    print: (p) => (p.latex ? `${p.arg(0, PREC.matmul)}\\,{${p.arg(1, PREC.atom)}}^{\\top}` : `outer(${p.arg(0, 0)}, ${p.arg(1, 0)})`),
    rule: String.raw`\overline{\mathbf{a}}=\overline{\mathbf{C}}\,\mathbf{b},\ \overline{\mathbf{b}}=\overline{\mathbf{C}}^\top\mathbf{a}`,
  },
  // diag of a vector is a diagonal matrix; diag of a square matrix its diagonal
  diag: {
    name: 'diag', prec: PREC.atom,
    shape: ([a]) => {
      if (a!.length === 1) return [a![0]!, a![0]!];
      if (a!.length === 2 && a![0] === a![1]) return [a![0]!];
      return shapeError(`diag of ${fmtShape(a!)}: a vector or a square matrix`);
    },
    eval: ([a], _at, shape) => {
      const out = tensor(shape);
      const n = shape[0]!;
      for (let i = 0; i < n; i++) {
        if (a!.shape.length === 1) out.data[i * n + i] = a!.data[i]!;
        else out.data[i] = a!.data[i * n + i]!;
      }
      return out;
    },
    vjp: (_e, _out, G) => T.diag(G),
    scalar: ([a], _at, shape) => {
      const n = shape[0]!;
      if (a!.shape.length === 2) return Array.from({ length: n }, (_, i) => a!.entries[i * n + i]!);
      const out: Expr[] = new Array(n * n).fill(szero);
      for (let i = 0; i < n; i++) out[i * n + i] = a!.entries[i]!;
      return out;
    },
    print: (p) => (p.latex ? latexCall('diag', p.arg(0, 0)) : `diag(${p.arg(0, 0)})`),
    rule: String.raw`\overline{\mathbf{a}}=\operatorname{diag}(\overline{\mathbf{C}})`,
  },
  // d/da ||a|| = a / ||a||
  norm: {
    name: 'norm', prec: PREC.atom,
    shape: () => [],
    eval: ([a]) => { let s = 0; for (const v of a!.data) s += v * v; return tensor([], [Math.sqrt(s)]); },
    vjp: (e, out, G) => T.div(T.mul(G, e.args[0]!), out),
    scalar: ([a]) => [sfn('sqrt', sadd(...a!.entries.map((x) => spow(x, snum(2)))))],
    print: (p) => (p.latex ? `\\left\\lVert ${p.arg(0, 0)}\\right\\rVert` : `norm(${p.arg(0, 0)})`),
    rule: String.raw`\overline{\mathbf{a}}=\overline{s}\,\mathbf{a}/\lVert\mathbf{a}\rVert`,
    kink: ([a]) => a!.data.every((v) => v === 0),
  },
  // concat stacks vectors; each part's adjoint is its slice of the cotangent
  concat: {
    name: 'concat', prec: PREC.atom,
    shape: (args) => {
      if (args.some((a) => a.length !== 1)) shapeError(`concat stacks vectors, not ${args.map(fmtShape).join(', ')}`);
      return [args.reduce((s, a) => s + a[0]!, 0)];
    },
    eval: (args, _at, shape) => {
      const out = tensor(shape);
      let o = 0;
      for (const a of args) { out.data.set(a.data, o); o += a.data.length; }
      return out;
    },
    vjp: (e, _out, G, i) => {
      const from = e.args.slice(0, i).reduce((s, a) => s + a.shape[0]!, 0) + 1;
      return T.select(G, [{ kind: 'range', from, to: from + e.args[i]!.shape[0]! - 1 }]);
    },
    scalar: (args) => args.flatMap((a) => [...a.entries]),
    print: (p, e) => (p.latex
      ? `\\begin{bmatrix}${e.args.map((_, i) => p.arg(i, 0)).join('\\\\')}\\end{bmatrix}`
      : `concat(${e.args.map((_, i) => p.arg(i, 0)).join(', ')})`),
    rule: String.raw`\overline{\mathbf{a}}=\overline{\mathbf{c}}_{1:n_a},\ \overline{\mathbf{b}}=\overline{\mathbf{c}}_{n_a+1:}`,
  },
  select: {
    name: 'select', prec: PREC.atom,
    shape: ([a], attrs) => selectionShape(a!, decodeSelection(attrs.sel as number[][])),
    eval: ([a], attrs, shape) => {
      const idx = selectionIndices(a!.shape, decodeSelection(attrs.sel as number[][]));
      return tensor(shape, idx.map((i) => a!.data[i]!));
    },
    vjp: (e, _out, G) => T.place(G, e.args[0]!.shape, decodeSelection(e.attrs.sel as number[][])),
    scalar: ([a], attrs) => selectionIndices(a!.shape, decodeSelection(attrs.sel as number[][])).map((i) => a!.entries[i]!),
    print: (p, e) => {
      const parts = decodeSelection(e.attrs.sel as number[][]).map((s) => (s.kind === 'index' ? String(s.i) : s.kind === 'range' ? `${s.from}:${s.to}` : ':'));
      return p.latex ? `${scriptBase(p.arg(0, PREC.atom))}_{${parts.join(',')}}` : `${p.arg(0, PREC.atom)}[${parts.join(', ')}]`;
    },
    rule: String.raw`\overline{\mathbf{a}}=\text{the cotangent in the selected entries, 0 elsewhere}`,
  },
  place: {
    name: 'place', prec: PREC.atom,
    shape: (_args, attrs) => attrs.shape as readonly number[],
    eval: ([g], attrs, shape) => {
      const out = tensor(shape);
      selectionIndices(shape, decodeSelection(attrs.sel as number[][])).forEach((i, k) => { out.data[i] = g!.data[k]!; });
      return out;
    },
    vjp: (e, _out, G) => T.select(G, decodeSelection(e.attrs.sel as number[][])),
    scalar: ([g], attrs, shape) => {
      const out: Expr[] = new Array(sizeOf(shape)).fill(szero);
      selectionIndices(shape, decodeSelection(attrs.sel as number[][])).forEach((i, k) => { out[i] = g!.entries[k]!; });
      return out;
    },
    print: (p, e) => {
      const parts = decodeSelection(e.attrs.sel as number[][]).map((s) => (s.kind === 'index' ? String(s.i) : s.kind === 'range' ? `${s.from}:${s.to}` : ':'));
      return p.latex ? `\\operatorname{pad}_{[${parts.join(',')}]}\\left(${p.arg(0, 0)}\\right)` : `place(${p.arg(0, 0)}, [${parts.join(', ')}])`;
    },
    rule: '',
  },
  // sum over the steps of a sequence: the body is a template in t (its adjoint is handled by the reverse pass)
  sumT: {
    name: 'sumT', prec: PREC.atom,
    shape: ([a]) => a!,
    eval: () => { throw new Error('internal error: sum_t is evaluated by the time loop'); },
    vjp: (_e, _out, G) => G,
    scalar: () => { throw new Error('internal error: sum_t is expanded by the time loop'); },
    print: (p) => (p.latex ? `\\sum_{t=1}^{T} ${p.arg(0, PREC.mul + 1)}` : `sum_t(${p.arg(0, 0)})`),
    rule: String.raw`\overline{\mathbf{x}_t}=\overline{s}\ \text{at every step}`,
  },
  atStep: {
    name: 'atStep', prec: PREC.atom,
    shape: ([a]) => a!,
    eval: () => { throw new Error('internal error: a fixed-step term is evaluated by the time loop'); },
    vjp: (_e, _out, G) => G,
    scalar: () => { throw new Error('internal error: a fixed-step term is expanded by the time loop'); },
    print: (p, e) => (p.latex ? `[t=${e.attrs.step}]\\,${p.arg(0, PREC.atom)}` : `at_step(${p.arg(0, 0)}, ${e.attrs.step})`),
    rule: '',
  },
};

/** The shape of a selection: index parts drop their axis, ranges keep theirs. */
export function selectionShape(shape: Shape, parts: readonly SelectPart[]): Shape {
  if (parts.length > shape.length) shapeError(`${parts.length} indices for a tensor of shape ${fmtShape(shape)}`);
  const out: number[] = [];
  parts.forEach((s, d) => {
    const n = shape[d]!;
    if (s.kind === 'index') { if (s.i < 1 || s.i > n) shapeError(`index ${s.i} is outside 1..${n} (shape ${fmtShape(shape)})`); }
    else if (s.kind === 'range') {
      if (s.from < 1 || s.to > n || s.from > s.to) shapeError(`range ${s.from}:${s.to} is outside 1..${n} (shape ${fmtShape(shape)})`);
      out.push(s.to - s.from + 1);
    } else out.push(n);
  });
  return [...out, ...shape.slice(parts.length)];
}

/** Row-major positions of the selected entries, in the order of the result. */
export function selectionIndices(shape: Shape, parts: readonly SelectPart[]): number[] {
  const st = strides(shape);
  let acc: number[] = [0];
  shape.forEach((n, d) => {
    const s: SelectPart = parts[d] ?? { kind: 'all' };
    const idx = s.kind === 'index' ? [s.i - 1] : s.kind === 'range' ? Array.from({ length: s.to - s.from + 1 }, (_, k) => s.from - 1 + k) : Array.from({ length: n }, (_, k) => k);
    acc = acc.flatMap((o) => idx.map((k) => o + k * st[d]!));
  });
  return acc;
}

/** For a broadcast to `shape` with new `axes`: output position -> source position. */
function bcastSource(src: Shape, shape: Shape, axes: readonly number[]): (i: number) => number {
  if (sizeOf(src) === 1) return () => 0;
  const st = strides(shape);
  const keep = shape.map((_, d) => !axes.includes(d + 1));
  const srcSt = strides(src);
  return (i) => {
    let o = 0, k = 0;
    for (let d = 0; d < shape.length; d++) {
      if (!keep[d]) continue;
      o += (Math.floor(i / st[d]!) % shape[d]!) * srcSt[k++]!;
    }
    return o;
  };
}

function firstMax(data: ArrayLike<number>, group: readonly number[]): number {
  let best = group[0]!;
  for (const i of group) if (data[i]! > data[best]!) best = i;
  return best;
}

function firstMin(data: ArrayLike<number>, group: readonly number[]): number {
  let best = group[0]!;
  for (const i of group) if (data[i]! < data[best]!) best = i;
  return best;
}

function printReduction(p: TPrinter, e: TApply, name: 'sum' | 'mean' | 'max' | 'min'): string {
  const axes = axesAttr(e.attrs);
  const inner = p.arg(0, 0);
  if (!p.latex) return axes ? `${name}(${inner}, ${axes.join(', ')})` : `${name}(${inner})`;
  const op = name === 'sum' ? '\\operatorname{sum}' : name === 'mean' ? '\\operatorname{mean}' : `\\${name}`;
  if (!axes) return `${op}\\left(${inner}\\right)`;
  // in words on the sheet; here the axis as a subscript: sum_{rows} adds down the rows (column totals)
  const where = axes.length === 1 ? (axes[0] === 1 ? '\\downarrow' : '\\rightarrow') : axes.join(',');
  return `${op}_{${where}}\\left(${inner}\\right)`;
}

/** For a term of a sum printed after ' - ': the positive part, printed; else null. */
function negatedPrint(p: TPrinter, e: TApply, i: number): string | null {
  let t = e.args[i]!;
  // a broadcast prints as its argument
  while (t.kind === 'apply' && (t.op === 'bcast' || t.op === 'reshape') && (t.op === 'reshape' || (t.attrs.axes as number[]).every((x, k) => x === k + 1))) t = t.args[0]!;
  if (t.kind === 'num' && t.value.sign() < 0) return fmtNum(t.value.neg(), p.latex);
  if (t.kind === 'apply' && t.op === 'neg') return p.expr(t.args[0]!, PREC.add + 1);
  if (t.kind === 'apply' && t.op === 'mul' && t.args[0]!.kind === 'num' && t.args[0].value.sign() < 0) {
    return p.expr(T.mul(tnum(t.args[0].value.neg()), ...t.args.slice(1)), PREC.add + 1);
  }
  return null;
}


const FNS: Record<string, TOpSpec> = Object.fromEntries(
  (Object.keys(FUNCTIONS) as FnName[]).map((n) => [n, fnBlock(n)]),
);

/** Every tensor op by name. */
export const TOPS: Record<string, TOpSpec> = { ...ARITH, ...LINEAR, ...FNS, ...CONV_OPS };

/** The precedence of a node's printed form. */
export function precOf(e: TExpr, latex: boolean): number {
  // a number prints as a decimal where one is short (0.5), else as a fraction (1/3: a quotient in text)
  if (e.kind === 'num') return e.value.sign() < 0 ? PREC.neg : e.value.isInteger() || latex || !fmtNum(e.value, false).includes('/') ? PREC.atom : PREC.mul;
  if (e.kind === 'ref') return PREC.atom;
  const spec = TOPS[e.op]!;
  const p = typeof spec.prec === 'function' ? spec.prec(e) : spec.prec;
  // a LaTeX fraction is an atom
  if (latex && e.op === 'div' && e.args[1]!.shape.length === 0) return PREC.atom;
  // a leading-axes broadcast prints as its argument
  if (e.op === 'bcast' || e.op === 'reshape') return precOf(e.args[0]!, latex);
  return p;
}

export { PREC, fmtNum, parenthesize, type ScalarArg, type TOpSpec, type TPrinter };
export const isElementwiseFn = (op: string): op is FnName => op in FUNCTIONS;
export { isSuffix };
