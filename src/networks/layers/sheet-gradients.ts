/**
 * The layer-level derivation on the sheet, top layer first: the loss's own
 * derivative, each layer's delta, the index form of every asked kernel or
 * weight gradient (written out term by term when small), the compact form
 * dE/dK = X~ (star) delta, and the gradient passed down to the layer below.
 */
import { assertNever } from '../../errors.js';
import { elementKey, indicesOf } from '../../expr/graph.js';
import type { Namer } from '../../tex/names.js';
import type { KindSolution as Solution } from '../core/solution.js';
import type { Activation } from '../core/activation.js';
import type { SheetBlock, SheetSection } from '../core/built.js';
import type { Backward, LayerState } from './levels.js';
import { canonical, inputPos, kernelIndex, mapIndex } from './geometry.js';
import { latexNumber as fmt } from '../../tex/format.js';
import { numMatrix, partial, type Tex } from './latex.js';
import { inputsOf, kernelChannel } from './sheet-structure.js';
import { tensorBlocks } from './sheet-values.js';
import { MapView, padMatrix, type Tensor } from './tensor.js';
import { isConv, type ConvLayer, type DenseLayer, type LayersSpec } from './types.js';

/** Largest number of terms written out one by one in an index-form sum. */
export const MAX_EXPANDED_TERMS = 100;
/** Largest matrix shown as an operand of the compact form. */
export const MAX_OPERAND_SIDE = 8;

interface Ctx {
  readonly spec: LayersSpec;
  readonly sol: Solution;
  readonly tex: Tex;
  readonly namer: Namer;
  readonly p: number;
  readonly of: string;
  /** the asked gradient tensors of this `of` */
  readonly asked: ReadonlySet<string>;
}

const deltaBase = (ctx: Ctx, layer: string): string => `\\delta^{(${ctx.tex.base(layer)})}`;

export function layerGradientSection(spec: LayersSpec, sol: Solution, states: readonly LayerState[], of: string, bw: Backward, tex: Tex, namer: Namer): SheetSection {
  const asked = new Set((sol.tensor?.gradients ?? []).filter((g) => g.of === of && g.asked && g.upstream === null).map((g) => g.node));
  const ctx: Ctx = { spec, sol, tex, namer, p: sol.problem.precision, of, asked };
  const E = namer.key(of);
  const inputs = inputsOf(spec);
  const blocks: SheetBlock[] = [{ kind: 'text', text: 'Backpropagation layer by layer. The delta of a layer is the derivative with respect to its pre-activation (its output, when it has no activation).' }];
  for (const lg of bw.layers) {
    const k = spec.layers.findIndex((l) => l.name === lg.layer);
    const l = spec.layers[k]!, s = states[k]!;
    const outElem = l.outShape.length ? tex.elem(l.name, subOf(l.outShape.length)) : tex.scalar(l.name);
    if (lg === bw.layers[0]) blocks.push(...seedBlocks(ctx, E, l.name, l.outShape, lg.g));
    const act: Activation = l.kind === 'activation' ? l.fn : l.kind === 'pool' ? 'identity' : l.activation;
    const D = withSub(deltaBase(ctx, l.name), subOf(l.outShape.length));
    const scalar = l.outShape.length === 0;
    if (act !== 'identity' && act !== 'linear') {
      const value = scalar ? ` = ${fmt(lg.delta.data[0]!, ctx.p)}` : '';
      blocks.push({ kind: 'math', latex: `${D} = ${partial(E, outElem)}\\, ${slopeLatex(act, outElem)}${value}` });
      if (!scalar) blocks.push(...tensorBlocks(`\\boldsymbol{\\delta}^{(${tex.base(l.name)})}`, lg.delta, ctx.p));
    } else if (l.kind !== 'pool') {
      blocks.push({ kind: 'math', latex: `${D} = ${partial(E, outElem)}\\ \\text{(no activation)}` });
    }
    if (isConv(l)) blocks.push(...convBlocks(ctx, l, s, bw, inputs[k]!, E));
    if (l.kind === 'dense') blocks.push(...denseBlocks(ctx, l, bw, inputs[k]!, E));
    const below = inputs[k]!;
    const needInput = k > 0 || ctx.asked.has(below.name);
    if (needInput) blocks.push(...passDown(ctx, l, below, E, k > 0 ? undefined : bw.grads.get(below.name), bw, k));
  }
  return { title: `Gradients of ${of}, layer by layer`, blocks };
}

const withSub = (base: string, sub: string): string => (sub ? `${base}_{${sub}}` : base);

/** Index letters for a tensor of rank r: i, ij, ijc. */
const subOf = (r: number): string => ['', 'i', 'ij', 'ijc', 'ijkl'][r] ?? 'i';

function seedBlocks(ctx: Ctx, E: string, out: string, shape: readonly number[], g: Tensor): SheetBlock[] {
  const loss = ctx.spec.loss;
  const y = ctx.tex.elem(out, subOf(shape.length)), yS = shape.length ? y : ctx.tex.scalar(out);
  if (!loss || ctx.of !== loss.name) {
    return [{ kind: 'text', text: `The derivative of ${ctx.of} with respect to itself is 1; every other element of ${out} gets 0.` }];
  }
  const t = shape.length ? ctx.tex.elem(loss.target, subOf(shape.length)) : ctx.tex.scalar(loss.target);
  const rule = loss.kind === 'squared-error' ? `2\\left(${yS} - ${t}\\right)`
    : loss.kind === 'half-squared-error' ? `${yS} - ${t}`
      : shape.length === 0 || g.data.length === 1 ? `\\frac{${yS} - ${t}}{${yS}\\left(1 - ${yS}\\right)}` : `-\\frac{${t}}{${yS}}`;
  const lhs = partial(E, yS);
  return shape.length === 0
    ? [{ kind: 'math', latex: `${lhs} = ${rule} = ${fmt(g.data[0]!, ctx.p)}` }]
    : [{ kind: 'math', latex: `${lhs} = ${rule}` }, ...tensorBlocks(partial(E, ctx.tex.tensor(out, shape)), g, ctx.p)];
}

/** sigma' = y(1 - y), tanh' = 1 - y^2, relu' = step (step(y) = step(u) for y = relu(u)) */
function slopeLatex(act: Activation, y: string): string {
  switch (act) {
    case 'sigmoid': return `${y}\\left(1 - ${y}\\right)`;
    case 'tanh': return `\\left(1 - ${y}^2\\right)`;
    case 'relu': return `\\operatorname{step}\\left(${y}\\right)`;
    case 'step': return '0';
    case 'linear': case 'identity': return '1';
    default: return assertNever(act); // a new activation must say its slope here (the compiler checks)
  }
}

function convBlocks(ctx: Ctx, l: ConvLayer, s: LayerState, bw: Backward, input: { name: string; shape: readonly number[] }, E: string): SheetBlock[] {
  const blocks: SheetBlock[] = [];
  const { tex } = ctx;
  const two = l.kind === 'conv2d';
  const [rows, cols] = l.axes;
  const n = l.kernelAxis ? 'n' : '', c = l.in.channelAxis ? 'c' : '';
  const padded = rows.before + rows.after + cols.before + cols.after > 0;
  const xb = padded ? `\\tilde{${tex.base(input.name)}}` : tex.base(input.name);
  const pos = (o: string, k: string, st: number): string => (st === 1 ? `${o}+${k}-1` : `${st}(${o}-1)+${k}`);
  const D = deltaBase(ctx, l.name);
  if (ctx.asked.has(l.kernel)) {
    // 2-D: dE/dk_ab = sum_ij delta_ij x_(i+a-1)(j+b-1); 1-D (seed 000 Q3): dL/dv_i = sum_j delta_j x_(i+j-1)
    const kc = kernelChannel(l);
    const lhs = partial(E, tex.elem(l.kernel, two ? `${n}ab${kc}` : `${n}i${kc}`));
    const rhs = two
      ? `\\sum_{i=1}^{${rows.out}}\\sum_{j=1}^{${cols.out}} ${D}_{ij${n}}\\, ${xb}_{(${pos('i', 'a', rows.stride)})(${pos('j', 'b', cols.stride)})${c}}`
      : `\\sum_{j=1}^{${cols.out}} ${D}_{j${n}}\\, ${xb}_{${cols.stride === 1 ? 'i+j-1' : `${cols.stride}(j-1)+i`}${c ? `,${c}` : ''}}`;
    blocks.push({ kind: 'text', text: 'Index form: every position of the output used the same kernel, so its gradient sums over all of them.' });
    blocks.push({ kind: 'math', latex: `${lhs} = ${rhs}` });
    blocks.push(...expandedKernelTerms(ctx, l, bw, input, E));
    blocks.push(...compactBlocks(ctx, l, s, bw, input, E));
  }
  if (l.bias && ctx.asked.has(l.bias)) {
    const lhs = partial(E, l.biasShape.length ? tex.elem(l.bias, 'n') : tex.scalar(l.bias));
    blocks.push({ kind: 'math', latex: `${lhs} = \\sum_{${two ? 'i,j' : 'i'}} ${D}_{${two ? 'ij' : 'i'}${n}}` });
    blocks.push(...tensorBlocks(partial(E, tex.tensor(l.bias, l.biasShape)), bw.grads.get(l.bias)!, ctx.p));
  }
  return blocks;
}

/** dE/dk_11 = delta_11 x_11 + delta_12 x_12 + ... = value, for small layers. */
function expandedKernelTerms(ctx: Ctx, l: ConvLayer, bw: Backward, input: { name: string }, E: string): SheetBlock[] {
  const [rows, cols] = l.axes;
  const { C } = canonical(l.in);
  const terms = l.kernels * rows.window * cols.window * C * rows.out * cols.out;
  if (terms > MAX_EXPANDED_TERMS) return [];
  const dK = bw.grads.get(l.kernel)!;
  const lines: string[] = [];
  indicesOf(l.kernelShape).forEach((_, off) => {
    // canonical (n, a, b, c) of this offset: row-major over [n, kh, kw, C]
    const c = (off % C) + 1, b = (Math.floor(off / C) % cols.window) + 1;
    const a = (Math.floor(off / (C * cols.window)) % rows.window) + 1, n = Math.floor(off / (C * cols.window * rows.window)) + 1;
    const parts: string[] = [];
    for (let i = 1; i <= rows.out; i++) for (let j = 1; j <= cols.out; j++) {
      const p = inputPos(rows, i, a), q = inputPos(cols, j, b);
      if (p === null || q === null) continue;
      const dIdx = l.kind === 'conv2d' ? [i, j] : [j];
      parts.push(`${deltaBase(ctx, l.name)}_{${[...dIdx, ...(l.kernelAxis ? [n] : [])].join('')}}\\, ${ctx.namer.key(elementKey(input.name, mapIndex(l.in, p, q, c)))}`);
    }
    const lhs = partial(E, ctx.namer.key(elementKey(l.kernel, kernelIndex(l, n, a, b, c))));
    lines.push(`${lhs} &= ${parts.join(' + ') || '0'} = ${fmt(dK.data[off]!, ctx.p)}`);
  });
  return [{ kind: 'math', latex: `\\begin{aligned}${lines.join(' \\\\ ')}\\end{aligned}` }];
}

/** dE/dK = X~ (star) delta: a valid cross-correlation of the (padded) input with the deltas. */
function compactBlocks(ctx: Ctx, l: ConvLayer, s: LayerState, bw: Backward, input: { name: string; shape: readonly number[] }, E: string): SheetBlock[] {
  const { tex } = ctx;
  const [rows, cols] = l.axes;
  const padded = rows.before + rows.after + cols.before + cols.after > 0;
  const X = padded ? `\\tilde{${tex.tensor(input.name, input.shape)}}` : tex.tensor(input.name, input.shape);
  const Dm = `\\boldsymbol{\\delta}^{(${tex.base(l.name)})}`;
  const Xv = new MapView(s.input, l.in);
  const channels = l.kernels > 1 || Xv.C > 1
    ? ` A superscript names a channel: $${tex.tensor(l.kernel, l.kernelShape)}^{(${l.kernelAxis ? 'n,' : ''}c)}$ is ${l.kernelAxis ? 'kernel n at input channel c' : 'the kernel at input channel c'}${Xv.C > 1 ? ', the input\'s channel c' : ''}${l.kernels > 1 ? ', and the deltas\' channel n belongs to kernel n' : ''}.`
    : '';
  const blocks: SheetBlock[] = [{ kind: 'text', text: `Compact form: the same sums are a valid cross-correlation (star) of the ${padded ? 'zero-padded ' : ''}input with the deltas${rows.stride > 1 || cols.stride > 1 ? ', the deltas spread out by the stride (zeros between them)' : ''}.${channels}` }];
  const Dv = new MapView(bw.layers.find((g) => g.layer === l.name)!.delta, l.out);
  // the tensor level's gradient of the kernel is this very correlation (ops/tensor-conv.ts, convBackKernel)
  const dK = bw.grads.get(l.kernel)!;
  const kv = (n: number, c: number): number[][] => Array.from({ length: rows.window }, (_, a) => Array.from({ length: cols.window }, (_, b) =>
    dK.data[(((n - 1) * rows.window + a) * cols.window + b) * Xv.C + (c - 1)]!));
  const small = Xv.H + rows.before + rows.after <= MAX_OPERAND_SIDE && Xv.W + cols.before + cols.after <= MAX_OPERAND_SIDE;
  for (let n = 1; n <= l.kernels; n++) {
    for (let c = 1; c <= Xv.C; c++) {
      const many = l.kernels > 1 || Xv.C > 1;
      const K = tex.tensor(l.kernel, l.kernelShape);
      const lhs = partial(E, many ? `{${K}}^{(${l.kernelAxis ? `${n},` : ''}${c})}` : K);
      const x = Xv.C > 1 ? `{${X}}^{(${c})}` : X, d = l.kernels > 1 ? `{${Dm}}^{(${n})}` : Dm;
      const operands = small ? ` = ${numMatrix(padMatrix(Xv.channel(c), rows.before, rows.after, cols.before, cols.after), ctx.p)} \\star ${numMatrix(Dv.channel(n), ctx.p)}` : '';
      blocks.push({ kind: 'math', latex: `${lhs} = ${x} \\star ${d}${operands} = ${numMatrix(kv(n, c), ctx.p)}` });
    }
  }
  return blocks;
}

function denseBlocks(ctx: Ctx, l: DenseLayer, bw: Backward, input: { name: string; shape: readonly number[] }, E: string): SheetBlock[] {
  const { tex } = ctx;
  const blocks: SheetBlock[] = [];
  const D = deltaBase(ctx, l.name);
  const sub = subOf(input.shape.length);
  if (ctx.asked.has(l.weights)) {
    blocks.push({ kind: 'math', latex: l.hadamard
      ? `${partial(E, tex.elem(l.weights, sub))} = ${D}\\, ${tex.elem(input.name, sub)}`
      : `${partial(E, tex.elem(l.weights, 'um'))} = ${D}_{u}\\, ${tex.base(input.name)}_{m}\\ \\text{(the input flattened row by row)}` });
    blocks.push(...tensorBlocks(partial(E, tex.tensor(l.weights, l.weightShape)), bw.grads.get(l.weights)!, ctx.p));
  }
  if (l.bias && ctx.asked.has(l.bias)) {
    blocks.push({ kind: 'math', latex: `${partial(E, l.biasShape.length ? tex.elem(l.bias, 'u') : tex.scalar(l.bias))} = ${D}${l.biasShape.length ? '_{u}' : ''}` });
    blocks.push(...tensorBlocks(partial(E, tex.tensor(l.bias, l.biasShape)), bw.grads.get(l.bias)!, ctx.p));
  }
  return blocks;
}

/** The gradient handed to the layer below (or, for the first layer, to the input when asked). */
function passDown(ctx: Ctx, l: LayersSpec['layers'][number], below: { name: string; shape: readonly number[] }, E: string,
  inputGrad: Tensor | undefined, bw: Backward, k: number): SheetBlock[] {
  const { tex } = ctx;
  const D = deltaBase(ctx, l.name);
  const sub = subOf(below.shape.length);
  const lhs = partial(E, below.shape.length ? tex.elem(below.name, sub) : tex.scalar(below.name));
  let rule: string;
  switch (l.kind) {
    case 'dense':
      rule = l.hadamard ? `${D}\\, ${tex.elem(l.weights, sub)}` : `\\sum_{u} ${tex.elem(l.weights, 'um')}\\, ${D}_{u}\\ \\text{(m: position of the element in the flattened input)}`;
      break;
    case 'conv1d': case 'conv2d': {
      const [rows, cols] = l.axes;
      const simple = rows.stride === 1 && cols.stride === 1 && rows.before + cols.before === 0;
      rule = simple && l.kind === 'conv2d' && !l.kernelAxis && !l.in.channelAxis
        ? `\\sum_{a}\\sum_{b} ${D}_{(i-a+1)(j-b+1)}\\, ${tex.elem(l.kernel, 'ab')}\\ \\text{(terms whose output index exists)}`
        : '\\sum \\delta\\, k\\ \\text{over every output position and kernel weight that read this element}';
      break;
    }
    case 'pool':
      rule = l.op === 'max' ? `\\text{the pooled output's gradient where this element was the routed maximum, else } 0`
        : `\\frac{1}{${l.axes[0].window * l.axes[1].window}} \\sum_{\\text{windows holding it}} ${partial(E, tex.elem(l.name, 'ij'))}`;
      break;
    case 'activation':
      rule = withSub(D, sub);
      break;
  }
  const g = inputGrad ?? bw.layers.find((x) => x.layer === ctx.spec.layers[k - 1]?.name)?.g;
  return [{ kind: 'math', latex: `${lhs} = ${rule}` }, ...(g ? tensorBlocks(partial(E, tex.tensor(below.name, below.shape)), g, ctx.p) : [])];
}

/** The tensor level (the layer-level forms) against the scalar level (every entry its own chain rule). */
export function checkSection(check: { readonly maxRelError: number; readonly compared: number }): SheetSection {
  const text = check.compared === 0
    ? 'No layer-level value could be compared with the scalar graph.'
    : `The layer-level forms (the tensor level: forward values, deltas, index and compact forms) agree with the scalar graph's chain rule: the largest relative difference is ${check.maxRelError.toExponential(1)} over ${check.compared} compared values and gradient entries.`;
  return { title: 'Check of the layer-level forms', blocks: [{ kind: 'text', text }] };
}
