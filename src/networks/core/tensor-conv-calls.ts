/**
 * Convolution and pooling calls in tensor equations (contract 2.7):
 * `conv2d(X, K, stride, padding)` or with keywords
 * (`conv2d(X, K, stride=(2, 1), padding=same)`), `conv1d(...)`,
 * `maxpool(X, window, stride)`, `avgpool(...)`, and the backward forms
 * `flip(K)`, `pad(a, p)`, `dilate(a, s)`.
 */
import type { TExpr } from '../../expr/tensor.js';
import type { TAst } from '../../expr/tensor-parse.js';
import { make } from '../../ops/tensor-build.js';
import { convExpr, poolExpr } from '../../ops/tensor-conv.js';

export const CONV_FUNCTIONS: readonly string[] = ['conv1d', 'conv2d', 'maxpool', 'avgpool', 'flip', 'pad', 'dilate'];

type Call = Extract<TAst, { t: 'call' }>;

/** Padding by TensorFlow's `same` rule: the output keeps ceil(n/s) positions, an odd extra row or column at the bottom/right. */
export function samePadding(size: number, kernel: number, stride: number): [number, number] {
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + kernel - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

export function convCall(a: Call, build: (x: TAst) => TExpr, fail: (msg: string) => never): TExpr {
  const arg = (i: number, kw: string): TAst | undefined => a.kwargs.get(kw) ?? a.args[i];
  const allowed = (names: readonly string[], max: number) => {
    for (const k of a.kwargs.keys()) if (!names.includes(k)) fail(`${a.fn} has no argument '${k}' (its arguments: ${names.join(', ')})`);
    if (a.args.length > max) fail(`${a.fn} takes at most ${max} arguments`);
  };
  switch (a.fn) {
    case 'conv1d': case 'conv2d': {
      allowed(['stride', 'padding'], 4);
      if (a.args.length < 2) fail(`${a.fn}(X, K, stride, padding) needs the input and the kernel`);
      const dims = a.fn === 'conv1d' ? 1 : 2;
      const x = build(a.args[0]!), k = build(a.args[1]!);
      const stride = sizes(arg(2, 'stride'), dims, 1, 'stride', fail);
      const kernel = kernelSizes(k, dims);
      const { before, after } = padding(arg(3, 'padding'), dims, x.shape.slice(0, dims), kernel.map((n) => n ?? 1), stride, fail);
      return convExpr(x, k, dims, stride, before, after);
    }
    case 'maxpool': case 'avgpool': {
      allowed(['window', 'stride', 'padding'], 4);
      if (a.args.length < 1) fail(`${a.fn}(X, window, stride) needs the input`);
      const x = build(a.args[0]!);
      const wAst = arg(1, 'window');
      if (!wAst) fail(`${a.fn} needs a window, e.g. ${a.fn}(X, (2, 2))`);
      const dims = wAst!.t === 'tuple' ? wAst!.items.length : Math.min(2, x.shape.length);
      const window = sizes(wAst, dims, 1, 'window', fail);
      const stride = arg(2, 'stride') ? sizes(arg(2, 'stride'), dims, 1, 'stride', fail) : window;
      const { before, after } = padding(arg(3, 'padding'), dims, x.shape.slice(0, dims), window, stride, fail);
      return poolExpr(a.fn, x, window, stride, before, after);
    }
    case 'flip': {
      allowed([], 1);
      if (a.args.length !== 1) fail('flip(K) takes one argument');
      return make('flip', [build(a.args[0]!)]);
    }
    case 'pad': case 'dilate': {
      allowed([], 2);
      if (a.args.length !== 2) fail(`${a.fn}(a, ${a.fn === 'pad' ? 'p' : 's'}) takes two arguments`);
      const x = build(a.args[0]!);
      const dims = x.shape.length === 1 ? 1 : 2;
      const by = sizes(a.args[1], dims, a.fn === 'pad' ? 0 : 1, a.fn === 'pad' ? 'padding' : 'stride', fail);
      return make(a.fn, [x], { by });
    }
    default:
      return fail(`unknown function '${a.fn}'`);
  }
}

/**
 * Zero padding per spatial axis: `same`, `valid`, one number, one per axis
 * ((1, 2)), or a (before, after) pair per axis (((0, 1), (1, 1)); a 1-D
 * pair is written ((0, 1),)).
 */
function padding(a: TAst | undefined, dims: number, size: readonly number[], window: readonly number[], stride: readonly number[], fail: (m: string) => never): { before: number[]; after: number[] } {
  if (a?.t === 'name' && a.name === 'same') {
    const pads = size.map((n, d) => samePadding(n, window[d]!, stride[d]!));
    return { before: pads.map((p) => p[0]), after: pads.map((p) => p[1]) };
  }
  if (a?.t === 'name' && a.name === 'valid') return { before: new Array(dims).fill(0), after: new Array(dims).fill(0) };
  if (a?.t === 'tuple' && a.items.some((x) => x.t === 'tuple')) {
    if (a.items.length !== dims) fail(`the padding has ${a.items.length} pairs for ${dims} axes`);
    const pairs = a.items.map((x) => (x.t === 'tuple' && x.items.length === 2 ? sizes(x, 2, 0, 'padding', fail) : fail('a padding pair is (before, after)')));
    return { before: pairs.map((p) => p[0]!), after: pairs.map((p) => p[1]!) };
  }
  const p = sizes(a, dims, 0, 'padding', fail);
  return { before: p, after: p };
}

/** The spatial sizes of a kernel tensor ([k], [k, C], [n, k, C] in 1-D; [kh, kw], [kh, kw, C], [n, kh, kw, C] in 2-D). */
function kernelSizes(k: TExpr, dims: number): number[] {
  return (k.shape.length === dims + 2 ? k.shape.slice(1, dims + 1) : k.shape.slice(0, dims)) as number[];
}

/** A number or a tuple of whole numbers, one per spatial axis. */
function sizes(a: TAst | undefined, dims: number, dflt: number, what: string, fail: (m: string) => never): number[] {
  if (a === undefined) return new Array(dims).fill(dflt);
  const one = (x: TAst): number => {
    if (x.t === 'num' && x.value.den === 1n && x.value.num >= BigInt(dflt)) return Number(x.value.num);
    return fail(`the ${what} is a whole number${dflt ? ' of at least 1' : ''} or a tuple of them, such as (2, 1)`);
  };
  if (a.t === 'tuple') {
    if (a.items.length !== dims) fail(`the ${what} has ${a.items.length} sizes for ${dims} axes`);
    return a.items.map(one);
  }
  return new Array(dims).fill(one(a));
}
