/**
 * Convolution and pooling at the tensor level, with the seeds' semantics
 * (contract 2.4): the kernel slides over the input without flipping,
 * y_ij = sum_ab k_ab x_(i+a-1)(j+b-1); stride and zero padding; an input
 * [H, W] or [H, W, C]; a kernel [kh, kw], [kh, kw, C] or n kernels
 * [n, kh, kw, C] (then the output has n channels). 1-D alike.
 *
 * Their adjoints are the textbook ones: dK = X * G (the padded input
 * correlated with the delta, dilated by the stride), dX the full correlation
 * of the dilated delta with the flipped kernel, cropped by the padding;
 * max-pooling routes each delta to the first maximum of its window.
 */
import { add as sadd, div as sdiv, fn as sfn, mul as smul, num as snum, sub as ssub, zero as szero, type Expr } from '../expr/expr.js';
import { sizeOf, type Shape, type TAttrs, type TExpr } from '../expr/tensor.js';
import { strides, tensor, type Tensor } from '../expr/tensor-value.js';
import * as T from './tensor-build.js';
import { PREC, type TOpSpec, type TPrinter } from './tensor-op-types.js';
import { fmtShape, shapeError } from './tensor-shapes.js';

/** The layout of a convolution, read from the shapes. */
export interface ConvGeom {
  readonly dims: number;
  /** spatial sizes of the input */
  readonly size: readonly number[];
  readonly channels: number;
  readonly inputHasChannels: boolean;
  /** spatial sizes of the kernel */
  readonly kernel: readonly number[];
  readonly kernels: number;
  /** the kernel tensor has a leading axis of n kernels */
  readonly multi: boolean;
  readonly kernelHasChannels: boolean;
  readonly stride: readonly number[];
  /** padding before and after, per spatial axis */
  readonly before: readonly number[];
  readonly after: readonly number[];
  /** spatial sizes of the output */
  readonly out: readonly number[];
}

const num = (attrs: TAttrs, k: string): readonly number[] => attrs[k] as readonly number[];

export function convGeom(x: Shape, k: Shape, attrs: TAttrs): ConvGeom {
  const dims = attrs.dims as number;
  const what = `conv${dims}d`;
  if (x.length !== dims && x.length !== dims + 1) shapeError(`${what}: the input has shape ${fmtShape(x)}; expected ${dims === 2 ? '[H, W] or [H, W, C]' : '[N] or [N, C]'}`);
  const inputHasChannels = x.length === dims + 1;
  const channels = inputHasChannels ? x[dims]! : 1;
  let kernel: number[], kernels = 1, multi = false, kernelHasChannels = false;
  if (k.length === dims) {
    if (channels !== 1) shapeError(`${what}: a kernel ${fmtShape(k)} on an input with ${channels} channels; write the kernel as ${fmtShape([...k, channels])}`);
    kernel = [...k];
  } else if (k.length === dims + 1) {
    kernel = k.slice(0, dims); kernelHasChannels = true;
    if (k[dims] !== channels) shapeError(`${what}: the kernel ${fmtShape(k)} has ${k[dims]} channels, the input ${fmtShape(x)} has ${channels}`);
  } else if (k.length === dims + 2) {
    kernels = k[0]!; multi = true; kernel = k.slice(1, dims + 1); kernelHasChannels = true;
    if (k[dims + 1] !== channels) shapeError(`${what}: the kernels ${fmtShape(k)} have ${k[dims + 1]} channels, the input ${fmtShape(x)} has ${channels}`);
  } else {
    return shapeError(`${what}: the kernel has shape ${fmtShape(k)}; expected ${dims === 2 ? '[kh, kw], [kh, kw, C] or [n, kh, kw, C]' : '[k], [k, C] or [n, k, C]'}`);
  }
  const size = x.slice(0, dims);
  const stride = num(attrs, 'stride');
  const pad = num(attrs, 'pad');
  const before = pad.filter((_, i) => i % 2 === 0), after = pad.filter((_, i) => i % 2 === 1);
  const out = size.map((s, d) => Math.floor((s + before[d]! + after[d]! - kernel[d]!) / stride[d]!) + 1);
  if (out.some((o) => o < 1)) shapeError(`${what}: a kernel ${fmtShape(kernel)} does not fit in the input ${fmtShape(size)} with this padding`);
  return { dims, size, channels, inputHasChannels, kernel, kernels, multi, kernelHasChannels, stride, before, after, out };
}

const outShape = (g: ConvGeom): Shape => (g.multi ? [...g.out, g.kernels] : [...g.out]);

/** Every (output entry, kernel entry, input entry) triple of a convolution: the one loop all its forms share. */
function forEachTap(g: ConvGeom, visit: (o: number, k: number, x: number) => void): void {
  const outPos = allPositions(g.out);
  const kPos = allPositions(g.kernel);
  const xSt = strides(g.size), kSt = strides(g.kernel), oSt = strides(g.out);
  for (const q of outPos) {
    for (let j = 0; j < g.kernels; j++) {
      const o = (g.multi ? dotIdx(q, oSt) * g.kernels + j : dotIdx(q, oSt));
      for (const a of kPos) {
        let inside = true, xs = 0;
        for (let d = 0; d < g.dims; d++) {
          const p = q[d]! * g.stride[d]! + a[d]! - g.before[d]!;
          if (p < 0 || p >= g.size[d]!) { inside = false; break; }
          xs += p * xSt[d]!;
        }
        if (!inside) continue;
        const ka = dotIdx(a, kSt);
        for (let c = 0; c < g.channels; c++) {
          const x = xs * g.channels + c;
          const k = (j * sizeOf(g.kernel) + ka) * g.channels + c;
          visit(o, k, x);
        }
      }
    }
  }
}

const dotIdx = (p: readonly number[], st: readonly number[]): number => p.reduce((s, v, i) => s + v * st[i]!, 0);

function allPositions(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of shape) out = out.flatMap((p) => Array.from({ length: n }, (_, i) => [...p, i]));
  return out;
}

const geomAttrs = (g: ConvGeom): TAttrs => ({ dims: g.dims, stride: [...g.stride], pad: g.before.flatMap((b, i) => [b, g.after[i]!]) });

/** (a, b) and (a,): a tuple as the equations read it (contract 2.7). */
const textTuple = (xs: readonly (number | string)[]): string => (xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(', ')})`);
/** Padding as (before, after) per axis, as the equations read it. */
const textPad = (pad: readonly number[]): string => textTuple(pad.filter((_, i) => i % 2 === 0).map((b, i) => `(${b}, ${pad[2 * i + 1]})`));

function convPrint(p: TPrinter, attrs: TAttrs, a: string, b: string, name: string): string {
  const stride = num(attrs, 'stride'), pad = num(attrs, 'pad');
  const plain = stride.every((s) => s === 1) && pad.every((x) => x === 0);
  if (!p.latex) return plain ? `${name}(${a}, ${b})` : `${name}(${a}, ${b}, stride=${textTuple(stride)}, padding=${textPad(pad)})`;
  const sub = plain ? '' : `_{${[stride.some((s) => s !== 1) ? `s=${stride.join(',')}` : '', pad.some((x) => x !== 0) ? `p=${pad.join(',')}` : ''].filter(Boolean).join(';\\,')}}`;
  return `${a} \\star${sub} ${b}`;
}

const CONV: TOpSpec = {
  name: 'conv',
  prec: PREC.matmul,
  shape: ([x, k], attrs) => outShape(convGeom(x!, k!, attrs)),
  eval: ([x, k], attrs, shape) => {
    const g = convGeom(x!.shape, k!.shape, attrs);
    const out = tensor(shape);
    forEachTap(g, (o, kk, xx) => { out.data[o]! += k!.data[kk]! * x!.data[xx]!; });
    return out;
  },
  vjp: (e, _out, G, i) => {
    const [x, k] = e.args as [TExpr, TExpr];
    return i === 0
      ? T.make('convBackInput', [G, k], { ...e.attrs, input: [...x.shape] })
      : T.make('convBackKernel', [x, G], { ...e.attrs, kernel: [...k.shape] });
  },
  scalar: ([x, k], attrs, shape) => {
    const g = convGeom(x!.shape, k!.shape, attrs);
    const terms: Expr[][] = Array.from({ length: sizeOf(shape) }, () => []);
    forEachTap(g, (o, kk, xx) => { terms[o]!.push(smul(k!.entries[kk]!, x!.entries[xx]!)); });
    return terms.map((t) => sadd(...t));
  },
  print: (p, e) => convPrint(p, e.attrs, p.arg(0, PREC.matmul), p.arg(1, PREC.matmul + 1), `conv${e.attrs.dims}d`),
  rule: String.raw`\overline{\mathbf{K}}=\mathbf{X}\star\overline{\mathbf{Y}},\ \overline{\mathbf{X}}=\overline{\mathbf{Y}}\star_{\text{full}}\operatorname{flip}(\mathbf{K})`,
};

/** dX: the delta spread back through the kernel (the full correlation with the flipped kernel, dilated by the stride, cropped by the padding). */
const CONV_BACK_INPUT: TOpSpec = {
  name: 'convBackInput',
  prec: PREC.matmul,
  shape: (_args, attrs) => num(attrs, 'input'),
  eval: ([G, k], attrs, shape) => {
    const g = convGeom(shape, k!.shape, attrs);
    const out = tensor(shape);
    forEachTap(g, (o, kk, xx) => { out.data[xx]! += G!.data[o]! * k!.data[kk]!; });
    return out;
  },
  vjp: () => { throw new Error('internal error: no second derivative of a convolution'); },
  scalar: ([G, k], attrs, shape) => {
    const g = convGeom(shape, k!.shape, attrs);
    const terms: Expr[][] = Array.from({ length: sizeOf(shape) }, () => []);
    forEachTap(g, (o, kk, xx) => { terms[xx]!.push(smul(G!.entries[o]!, k!.entries[kk]!)); });
    return terms.map((t) => sadd(...t));
  },
  print: (p, e) => {
    const stride = num(e.attrs, 'stride'), pad = num(e.attrs, 'pad');
    const dil = stride.some((s) => s !== 1);
    const delta = p.arg(0, p.latex ? PREC.atom : 0);
    if (!p.latex) return `conv${e.attrs.dims}d_input_grad(${delta}, ${p.arg(1, 0)}, stride=${textTuple(stride)}, padding=${textPad(pad)})`;
    const d = dil ? `\\operatorname{dilate}_{${stride.join(',')}}\\left(${delta}\\right)` : delta;
    const body = `${d} \\star_{\\text{full}} \\operatorname{flip}\\left(${p.arg(1, 0)}\\right)`;
    return pad.some((x) => x !== 0) ? `\\operatorname{crop}_{${pad.join(',')}}\\left(${body}\\right)` : body;
  },
  rule: String.raw`\overline{\mathbf{X}}=\overline{\mathbf{Y}}\star_{\text{full}}\operatorname{flip}(\mathbf{K})`,
};

/** dK: the (padded) input correlated with the delta (dilated by the stride). */
const CONV_BACK_KERNEL: TOpSpec = {
  name: 'convBackKernel',
  prec: PREC.matmul,
  shape: (_args, attrs) => num(attrs, 'kernel'),
  eval: ([x, G], attrs, shape) => {
    const g = convGeom(x!.shape, shape, attrs);
    const out = tensor(shape);
    forEachTap(g, (o, kk, xx) => { out.data[kk]! += G!.data[o]! * x!.data[xx]!; });
    return out;
  },
  vjp: () => { throw new Error('internal error: no second derivative of a convolution'); },
  scalar: ([x, G], attrs, shape) => {
    const g = convGeom(x!.shape, shape, attrs);
    const terms: Expr[][] = Array.from({ length: sizeOf(shape) }, () => []);
    forEachTap(g, (o, kk, xx) => { terms[kk]!.push(smul(G!.entries[o]!, x!.entries[xx]!)); });
    return terms.map((t) => sadd(...t));
  },
  print: (p, e) => {
    const stride = num(e.attrs, 'stride'), pad = num(e.attrs, 'pad');
    const x = p.arg(0, PREC.matmul), delta = p.arg(1, p.latex ? PREC.atom : PREC.matmul + 1);
    if (!p.latex) return `conv${e.attrs.dims}d_kernel_grad(${p.arg(0, 0)}, ${p.arg(1, 0)}, stride=${textTuple(stride)}, padding=${textPad(pad)})`;
    const xs = pad.some((v) => v !== 0) ? `\\operatorname{pad}_{${pad.join(',')}}\\left(${p.arg(0, 0)}\\right)` : x;
    const ds = stride.some((s) => s !== 1) ? `\\operatorname{dilate}_{${stride.join(',')}}\\left(${p.arg(1, 0)}\\right)` : delta;
    return `${xs} \\star ${ds}`;
  },
  rule: String.raw`\overline{\mathbf{K}}=\mathbf{X}\star\overline{\mathbf{Y}}`,
};

// ---------------------------------------------------------------- pooling

export interface PoolGeom { readonly dims: number; readonly size: readonly number[]; readonly channels: number; readonly hasChannels: boolean; readonly window: readonly number[]; readonly stride: readonly number[]; readonly before: readonly number[]; readonly after: readonly number[]; readonly out: readonly number[] }

export function poolGeom(x: Shape, attrs: TAttrs): PoolGeom {
  const window = num(attrs, 'window');
  const dims = window.length;
  if (x.length !== dims && x.length !== dims + 1) shapeError(`pooling with a window ${fmtShape(window)} of an input of shape ${fmtShape(x)}`);
  const hasChannels = x.length === dims + 1;
  const pad = num(attrs, 'pad');
  const stride = num(attrs, 'stride');
  const before = pad.filter((_, i) => i % 2 === 0), after = pad.filter((_, i) => i % 2 === 1);
  const size = x.slice(0, dims);
  const out = size.map((s, d) => Math.floor((s + before[d]! + after[d]! - window[d]!) / stride[d]!) + 1);
  if (out.some((o) => o < 1)) shapeError(`a pooling window ${fmtShape(window)} does not fit in the input ${fmtShape(size)}`);
  return { dims, size, channels: hasChannels ? x[dims]! : 1, hasChannels, window, stride, before, after, out };
}

/** The input entries of each output entry's window (-1 for a padding position, which counts as 0). */
function windows(g: PoolGeom): number[][] {
  const res: number[][] = [];
  const xSt = strides(g.size);
  for (const q of allPositions(g.out)) {
    for (let c = 0; c < g.channels; c++) {
      const w: number[] = [];
      for (const a of allPositions(g.window)) {
        let inside = true, xs = 0;
        for (let d = 0; d < g.dims; d++) {
          const p = q[d]! * g.stride[d]! + a[d]! - g.before[d]!;
          if (p < 0 || p >= g.size[d]!) { inside = false; break; }
          xs += p * xSt[d]!;
        }
        w.push(inside ? xs * g.channels + c : -1);
      }
      res.push(w);
    }
  }
  return res;
}

const poolOutShape = (g: PoolGeom): Shape => (g.hasChannels ? [...g.out, g.channels] : [...g.out]);

/** The first maximum of a window in row order; padding (-1) reads as 0. */
function windowMax(w: readonly number[], data: ArrayLike<number>): number {
  let best = w[0]!;
  const val = (i: number) => (i < 0 ? 0 : data[i]!);
  for (const i of w) if (val(i) > val(best)) best = i;
  return best;
}

function poolPrint(p: TPrinter, e: { attrs: TAttrs }, name: string): string {
  const w = num(e.attrs, 'window'), s = num(e.attrs, 'stride'), pad = num(e.attrs, 'pad');
  if (!p.latex) return `${name}(${p.arg(0, 0)}, ${textTuple(w)}, ${textTuple(s)}, ${textPad(pad)})`;
  return `\\operatorname{${name}}_{${w.join('\\times ')}}\\left(${p.arg(0, 0)}\\right)`;
}

const MAXPOOL: TOpSpec = {
  name: 'maxpool', prec: PREC.atom,
  shape: ([x], attrs) => poolOutShape(poolGeom(x!, attrs)),
  eval: ([x], attrs, shape) => {
    const out = tensor(shape);
    windows(poolGeom(x!.shape, attrs)).forEach((w, o) => { const m = windowMax(w, x!.data); out.data[o] = m < 0 ? 0 : x!.data[m]!; });
    return out;
  },
  vjp: (e, _out, G) => T.make('maxpoolBack', [e.args[0]!, G], e.attrs),
  // The entry is the window's first maximum at the given values; every other element tied with it adds
  // relu(tied - first): zero in value, it keeps the entry equal to the max on both sides of the tie, and its
  // kink at 0 makes the scalar level list the gradient entries through it as not differentiable.
  scalar: ([x], attrs) => windows(poolGeom(x!.shape, attrs)).map((w) => {
    const m = windowMax(w, x!.values);
    const cell = (i: number): Expr => (i < 0 ? szero : x!.entries[i]!);
    const val = (i: number): number => (i < 0 ? 0 : x!.values[i]!);
    const first = cell(m);
    const sel = w.indexOf(m);
    const ties = w.filter((i, k) => k !== sel && val(i) === val(m));
    return ties.length ? sadd(first, ...ties.map((i) => sfn('relu', ssub(cell(i), first)))) : first;
  }),
  print: (p, e) => poolPrint(p, e, 'maxpool'),
  rule: String.raw`\overline{x}_{ij}=\overline{y}_{pq}\ \text{at the first maximum of window } pq\text{, else } 0`,
  kink: ([x], attrs) => windows(poolGeom(x!.shape, attrs)).some((w) => {
    const m = windowMax(w, x!.data);
    const v = m < 0 ? 0 : x!.data[m]!;
    return w.filter((i) => (i < 0 ? 0 : x!.data[i]!) === v).length > 1;
  }),
};

const MAXPOOL_BACK: TOpSpec = {
  name: 'maxpoolBack', prec: PREC.atom,
  shape: ([x]) => x!,
  eval: ([x, G], attrs, shape) => {
    const out = tensor(shape);
    windows(poolGeom(x!.shape, attrs)).forEach((w, o) => { const m = windowMax(w, x!.data); if (m >= 0) out.data[m]! += G!.data[o]!; });
    return out;
  },
  vjp: () => { throw new Error('internal error: no second derivative of a pooling'); },
  scalar: ([x, G], attrs, shape) => {
    const terms: Expr[][] = Array.from({ length: sizeOf(shape) }, () => []);
    windows(poolGeom(x!.shape, attrs)).forEach((w, o) => { const m = windowMax(w, x!.values); if (m >= 0) terms[m]!.push(G!.entries[o]!); });
    return terms.map((t) => sadd(...t));
  },
  print: (p) => (p.latex ? `\\operatorname{route}_{\\max}\\left(${p.arg(1, 0)}\\right)` : `maxpool_route(${p.arg(0, 0)}, ${p.arg(1, 0)})`),
  rule: String.raw`\overline{x}_{ij}=\overline{y}_{pq}\ \text{at the first maximum of window } pq`,
};

const AVGPOOL: TOpSpec = {
  name: 'avgpool', prec: PREC.atom,
  shape: ([x], attrs) => poolOutShape(poolGeom(x!, attrs)),
  eval: ([x], attrs, shape) => {
    const out = tensor(shape);
    windows(poolGeom(x!.shape, attrs)).forEach((w, o) => { let s = 0; for (const i of w) if (i >= 0) s += x!.data[i]!; out.data[o] = s / w.length; });
    return out;
  },
  vjp: (e, _out, G) => T.make('avgpoolBack', [G], { ...e.attrs, input: [...e.args[0]!.shape] }),
  scalar: ([x], attrs) => windows(poolGeom(x!.shape, attrs)).map((w) => sdiv(sadd(...w.filter((i) => i >= 0).map((i) => x!.entries[i]!)), snum(w.length))),
  print: (p, e) => poolPrint(p, e, 'avgpool'),
  rule: String.raw`\overline{x}_{ij}=\textstyle\sum_{pq \ni ij}\overline{y}_{pq}/|w|`,
};

const AVGPOOL_BACK: TOpSpec = {
  name: 'avgpoolBack', prec: PREC.atom,
  shape: (_args, attrs) => num(attrs, 'input'),
  eval: ([G], attrs, shape) => {
    const out = tensor(shape);
    windows(poolGeom(shape, attrs)).forEach((w, o) => { for (const i of w) if (i >= 0) out.data[i]! += G!.data[o]! / w.length; });
    return out;
  },
  vjp: () => { throw new Error('internal error: no second derivative of a pooling'); },
  scalar: ([G], attrs, shape) => {
    const terms: Expr[][] = Array.from({ length: sizeOf(shape) }, () => []);
    windows(poolGeom(shape, attrs)).forEach((w, o) => { for (const i of w) if (i >= 0) terms[i]!.push(sdiv(G!.entries[o]!, snum(w.length))); });
    return terms.map((t) => (t.length ? sadd(...t) : szero));
  },
  print: (p) => (p.latex ? `\\operatorname{spread}_{\\text{avg}}\\left(${p.arg(0, 0)}\\right)` : `avgpool_spread(${p.arg(0, 0)})`),
  rule: String.raw`\overline{x}_{ij}=\textstyle\sum_{pq \ni ij}\overline{y}_{pq}/|w|`,
};

// ---------------------------------------------------------------- flip, pad, dilate (the backward forms, usable in equations)

/** The spatial axes (0-based) a kernel or image operation acts on, by rank. */
const spatialAxes = (rank: number): number[] => (rank === 1 ? [0] : rank === 4 ? [1, 2] : [0, 1]);

function mapIndex(shape: Shape, outShape: Shape, f: (idx: number[]) => number[] | null): Int32Array {
  // for each output position, the input position it reads (-1: a zero)
  const st = strides(shape);
  const res = new Int32Array(sizeOf(outShape));
  allPositions(outShape).forEach((o, i) => {
    const src = f(o);
    res[i] = src === null ? -1 : dotIdx(src, st);
  });
  return res;
}

function gather(x: Tensor, shape: Shape, map: Int32Array): Tensor {
  const out = tensor(shape);
  map.forEach((s, i) => { if (s >= 0) out.data[i] = x.data[s]!; });
  return out;
}

const FLIP: TOpSpec = {
  name: 'flip', prec: PREC.atom,
  shape: ([k]) => k!,
  eval: ([k], _at, shape) => gather(k!, shape, flipMap(shape)),
  vjp: (_e, _out, G) => T.make('flip', [G]),
  scalar: ([k], _at, shape) => Array.from(flipMap(shape), (s) => k!.entries[s]!),
  print: (p) => (p.latex ? `\\operatorname{flip}\\left(${p.arg(0, 0)}\\right)` : `flip(${p.arg(0, 0)})`),
  rule: String.raw`\overline{\mathbf{K}}=\operatorname{flip}(\overline{\mathbf{F}})`,
};

function flipMap(shape: Shape): Int32Array {
  const axes = spatialAxes(shape.length);
  return mapIndex(shape, shape, (o) => o.map((v, d) => (axes.includes(d) ? shape[d]! - 1 - v : v)));
}

const PAD: TOpSpec = {
  name: 'pad', prec: PREC.atom,
  shape: ([a], attrs) => { const p = num(attrs, 'by'); const axes = spatialAxes(a!.length); return a!.map((n, d) => (axes.includes(d) ? n + 2 * p[axes.indexOf(d)]! : n)); },
  eval: ([a], attrs, shape) => gather(a!, shape, padMap(a!.shape, shape, num(attrs, 'by'))),
  vjp: (e, _out, G) => {
    const p = num(e.attrs, 'by');
    const axes = spatialAxes(e.args[0]!.shape.length);
    return T.select(G, e.args[0]!.shape.map((n, d) => (axes.includes(d) ? { kind: 'range' as const, from: p[axes.indexOf(d)]! + 1, to: p[axes.indexOf(d)]! + n } : { kind: 'all' as const })));
  },
  scalar: ([a], attrs, shape) => Array.from(padMap(a!.shape, shape, num(attrs, 'by')), (s) => (s < 0 ? szero : a!.entries[s]!)),
  print: (p, e) => (p.latex ? `\\operatorname{pad}_{${num(e.attrs, 'by').join(',')}}\\left(${p.arg(0, 0)}\\right)` : `pad(${p.arg(0, 0)}, ${num(e.attrs, 'by').join(', ')})`),
  rule: String.raw`\overline{\mathbf{A}}=\text{the inner part of }\overline{\mathbf{P}}`,
};

function padMap(src: Shape, shape: Shape, by: readonly number[]): Int32Array {
  const axes = spatialAxes(src.length);
  return mapIndex(src, shape, (o) => {
    const i = o.map((v, d) => (axes.includes(d) ? v - by[axes.indexOf(d)]! : v));
    return i.every((v, d) => v >= 0 && v < src[d]!) ? i : null;
  });
}

const DILATE: TOpSpec = {
  name: 'dilate', prec: PREC.atom,
  shape: ([a], attrs) => { const s = num(attrs, 'by'); const axes = spatialAxes(a!.length); return a!.map((n, d) => (axes.includes(d) ? (n - 1) * s[axes.indexOf(d)]! + 1 : n)); },
  eval: ([a], attrs, shape) => gather(a!, shape, dilateMap(a!.shape, shape, num(attrs, 'by'))),
  vjp: (e, _out, G) => T.make('undilate', [G], { by: [...num(e.attrs, 'by')], shape: [...e.args[0]!.shape] }),
  scalar: ([a], attrs, shape) => Array.from(dilateMap(a!.shape, shape, num(attrs, 'by')), (s) => (s < 0 ? szero : a!.entries[s]!)),
  print: (p, e) => (p.latex ? `\\operatorname{dilate}_{${num(e.attrs, 'by').join(',')}}\\left(${p.arg(0, 0)}\\right)` : `dilate(${p.arg(0, 0)}, ${num(e.attrs, 'by').join(', ')})`),
  rule: String.raw`\overline{\mathbf{A}}=\text{every }s\text{-th entry of }\overline{\mathbf{D}}`,
};

function dilateMap(src: Shape, shape: Shape, by: readonly number[]): Int32Array {
  const axes = spatialAxes(src.length);
  return mapIndex(src, shape, (o) => {
    const i: number[] = [];
    for (let d = 0; d < o.length; d++) {
      if (!axes.includes(d)) { i.push(o[d]!); continue; }
      const s = by[axes.indexOf(d)]!;
      if (o[d]! % s !== 0) return null;
      i.push(o[d]! / s);
    }
    return i;
  });
}

const UNDILATE: TOpSpec = {
  name: 'undilate', prec: PREC.atom,
  shape: (_args, attrs) => num(attrs, 'shape'),
  eval: ([d], attrs, shape) => { const m = dilateMap(shape, d!.shape, num(attrs, 'by')); const out = tensor(shape); m.forEach((s, i) => { if (s >= 0) out.data[s] = d!.data[i]!; }); return out; },
  vjp: (e, _out, G) => T.make('dilate', [G], { by: [...num(e.attrs, 'by')] }),
  scalar: ([d], attrs, shape) => { const m = dilateMap(shape, d!.shape, num(attrs, 'by')); const out: Expr[] = new Array(sizeOf(shape)).fill(szero); m.forEach((s, i) => { if (s >= 0) out[s] = d!.entries[i]!; }); return out; },
  print: (p, e) => (p.latex ? `\\operatorname{every}_{${num(e.attrs, 'by').join(',')}}\\left(${p.arg(0, 0)}\\right)` : `undilate(${p.arg(0, 0)}, ${num(e.attrs, 'by').join(', ')})`),
  rule: '',
};

export const CONV_OPS: Record<string, TOpSpec> = {
  conv: CONV, convBackInput: CONV_BACK_INPUT, convBackKernel: CONV_BACK_KERNEL,
  maxpool: MAXPOOL, maxpoolBack: MAXPOOL_BACK, avgpool: AVGPOOL, avgpoolBack: AVGPOOL_BACK,
  flip: FLIP, pad: PAD, dilate: DILATE, undilate: UNDILATE,
};

/** A convolution node from its layout (used by equations and by the layers shorthand). */
export function convExpr(x: TExpr, k: TExpr, dims: number, stride: readonly number[], before: readonly number[], after: readonly number[]): TExpr {
  return T.make('conv', [x, k], { dims, stride: [...stride], pad: before.flatMap((b, i) => [b, after[i]!]) });
}

export function poolExpr(op: 'maxpool' | 'avgpool', x: TExpr, window: readonly number[], stride: readonly number[], before: readonly number[], after: readonly number[]): TExpr {
  return T.make(op, [x], { window: [...window], stride: [...stride], pad: before.flatMap((b, i) => [b, after[i]!]) });
}

export { geomAttrs };
