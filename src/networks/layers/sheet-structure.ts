/**
 * Sheet sections that need no values: the architecture, the convolution's
 * definition (no kernel flip), output shapes with the size formula, same
 * padding with its derivation, and parameter counts.
 */
import { FUNCTIONS } from '../../ops/registry.js';
import type { Activation } from '../core/activation.js';
import type { SheetBlock, SheetSection } from '../core/built.js';
import { denseComparison, parameterCounts, totalParameters } from './counts.js';
import { canonical, samePadding } from './geometry.js';
import { Tex } from './latex.js';
import { isConv, type Axis, type ConvLayer, type Layer, type LayersSpec, type PoolLayer } from './types.js';

export const shapeTex = (s: readonly number[]): string => (s.length ? s.join(' \\times ') : '1 \\text{ (a single number)}');

/** The tensor each layer reads. */
export function inputsOf(spec: LayersSpec): Array<{ name: string; shape: readonly number[] }> {
  return spec.layers.map((_, k) => (k === 0 ? spec.input : { name: spec.layers[k - 1]!.name, shape: spec.layers[k - 1]!.outShape }));
}

export function applyAct(act: Activation, inner: string): string {
  return act === 'linear' || act === 'identity' ? inner : FUNCTIONS[act].latex(inner);
}

export function architectureSection(spec: LayersSpec, tex: Tex): SheetSection {
  const rows = [[tex.tensor(spec.input.name, spec.input.shape), '\\text{input}', shapeTex(spec.input.shape)]];
  for (const l of spec.layers) rows.push([tex.tensor(l.name, l.outShape), describe(l), shapeTex(l.outShape)]);
  return { title: 'Network', blocks: [{ kind: 'table', header: ['Layer', 'Operation', 'Output shape'], rows }] };
}

function describe(l: Layer): string {
  const slide = (ax: readonly Axis[], same: boolean): string => {
    const a = ax.filter((_, d) => !(l.kind === 'conv1d' || (l.kind === 'pool' && l.in.spatial.length === 1)) || d === 1);
    const pad = same ? '\\text{same}' : `(${a.map((x) => (x.before === x.after ? x.before : `${x.before}/${x.after}`)).join(', ')})`;
    return `s = (${a.map((x) => x.stride).join(', ')}),\\ p = ${pad}`;
  };
  switch (l.kind) {
    case 'conv1d': case 'conv2d': {
      const win = l.axes.filter((_, d) => l.kind === 'conv2d' || d === 1).map((a) => a.window);
      const k = [...win, ...(l.in.channelAxis ? [canonical(l.in).C] : [])].join(' \\times ');
      return `\\text{${l.kind}: ${l.kernels} kernel${l.kernels > 1 ? 's' : ''} } ${k},\\ ${slide(l.axes, l.samePadding)}${l.bias ? ',\\ \\text{bias}' : ''}${actText(l.activation)}`;
    }
    case 'pool': {
      const win = l.axes.filter((_, d) => l.in.spatial.length === 2 || d === 1).map((a) => a.window).join(' \\times ');
      return `\\text{${l.op} pooling } ${win},\\ ${slide(l.axes, l.samePadding)}`;
    }
    case 'dense':
      return `\\text{dense, ${l.hadamard ? 'one unit weighing each input element' : `${l.units} units`}}${l.bias ? ',\\ \\text{bias}' : ''}${actText(l.activation)}`;
    case 'activation':
      return `\\text{activation}${actText(l.fn)}`;
  }
}

const actText = (a: Activation): string => (a === 'linear' || a === 'identity' ? '' : `,\\ ${applyAct(a, 'u').replace(/\\left\(u\\right\)/, '')}`);

/** y_ij = sum_ab k_ab x_(i+a-1)(j+b-1), with this layer's names, stride, channels, padding, bias and activation. */
export function convDefinition(l: ConvLayer, input: { name: string; shape: readonly number[] }, tex: Tex): string {
  const two = l.kind === 'conv2d';
  const [rows, cols] = l.axes;
  const C = canonical(l.in).C;
  const n = l.kernelAxis ? 'n' : '';
  const c = l.in.channelAxis ? 'c' : '';
  const pos = (o: string, k: string, s: number): string => (s === 1 ? `${o}+${k}-1` : `${s}(${o}-1)+${k}`);
  // 1-D follows seed 000 Q3 (h_i = sigma(sum_j v_j x_(i+j-1))); 2-D the seeds' y_ij = sum_ab k_ab x_(i+a-1)(j+b-1).
  const [ko, kw] = two ? ['a', 'b'] : ['', 'j'];
  const inSub = two ? `(${pos('i', ko, rows.stride)})(${pos('j', kw, cols.stride)})${c}` : `${pos('i', kw, cols.stride)}${c ? `,${c}` : ''}`;
  const padded = rows.before + rows.after + cols.before + cols.after > 0;
  const x = padded ? `\\tilde{${tex.base(input.name)}}_{${inSub}}` : tex.elem(input.name, inSub);
  const sums = [
    ...(c ? [`\\sum_{c=1}^{${C}}`] : []),
    ...(two ? [`\\sum_{a=1}^{${rows.window}}`] : []),
    `\\sum_{${kw}=1}^{${cols.window}}`,
  ].join('');
  const k = tex.elem(l.kernel, `${n}${ko}${kw}${kernelChannel(l)}`);
  const bias = l.bias ? ` + ${l.biasShape.length ? tex.elem(l.bias, 'n') : tex.scalar(l.bias)}` : '';
  const out = tex.elem(l.name, two ? `ij${n}` : `i${n}`);
  return `${out} = ${applyAct(l.activation, `${sums} ${k}\\, ${x}${bias}`)}`;
}

/** The kernel's channel index: c, a literal 1 for [n, kh, kw, 1] on an input without channels, or none. */
export const kernelChannel = (l: ConvLayer): string => (l.kernelChannelAxis ? (l.in.channelAxis ? 'c' : '1') : '');

export function convConventionSection(spec: LayersSpec, tex: Tex): SheetSection | null {
  const inputs = inputsOf(spec);
  const blocks: SheetBlock[] = [{ kind: 'text', text: 'Convolution here means what the course notes mean: the kernel slides over the input without being flipped (in signal processing this is a cross-correlation).' }];
  spec.layers.forEach((l, k) => {
    if (!isConv(l)) return;
    blocks.push({ kind: 'math', latex: convDefinition(l, inputs[k]!, tex) });
    const [rows, cols] = l.axes;
    if (rows.before + rows.after + cols.before + cols.after > 0) {
      blocks.push({ kind: 'text', text: `The tilde marks the input with its zero padding (${padWords(l)}); indices run over the padded input.` });
    }
  });
  return blocks.length > 1 ? { title: 'Convolution', blocks } : null;
}

function padWords(l: ConvLayer | PoolLayer): string {
  const [rows, cols] = l.axes;
  const one = l.in.spatial.length === 1;
  const side = (a: Axis, lo: string, hi: string): string => (a.before === a.after ? `${a.before} on each side` : `${a.before} ${lo}, ${a.after} ${hi}`);
  return one ? side(cols, 'before', 'after') : `rows: ${side(rows, 'above', 'below')}; columns: ${side(cols, 'on the left', 'on the right')}`;
}

/** floor((H - k + 2p)/s) + 1 per dimension for every layer up to the last asked one. */
export function shapesSection(spec: LayersSpec, asked: readonly string[], tex: Tex): SheetSection {
  const upTo = Math.max(...asked.map((a) => spec.layers.findIndex((l) => l.name === a)));
  const blocks: SheetBlock[] = [{ kind: 'text', text: 'Each sliding layer (convolution or pooling) has, per dimension, floor((H - k + 2p)/s) + 1 output positions: H input positions, k the kernel or window size, p the zero padding on each side, s the stride.' }];
  blocks.push({ kind: 'math', latex: `${tex.tensor(spec.input.name, spec.input.shape)}:\\ ${shapeTex(spec.input.shape)}` });
  spec.layers.slice(0, upTo + 1).forEach((l) => {
    const name = tex.tensor(l.name, l.outShape);
    if (isConv(l) || l.kind === 'pool') {
      const dims = l.in.spatial.length === 2 ? [['H', l.axes[0]], ['W', l.axes[1]]] as const : [['N', l.axes[1]]] as const;
      for (const [sym, ax] of dims) {
        if (l.samePadding) blocks.push({ kind: 'math', latex: samePadLatex(sym, ax) });
        blocks.push({ kind: 'math', latex: `${sym}_{${name}} = ${sizeLatex(ax)} = ${ax.out}` });
      }
      blocks.push({ kind: 'text', text: isConv(l)
        ? `${l.kernels} kernel${l.kernels > 1 ? 's give' : ' gives'} ${l.kernels} output channel${l.kernels > 1 ? 's' : ''}.`
        : 'Pooling works on each channel on its own: the channels stay.' });
    } else if (l.kind === 'dense') {
      blocks.push({ kind: 'text', text: l.hadamard ? `${l.name} sums every input element times its own weight: one number.` : `${l.name} has ${l.units} units.` });
    }
    blocks.push({ kind: 'math', latex: `${name}:\\ ${shapeTex(l.outShape)}` });
  });
  return { title: 'Output shapes', blocks };
}

/** \left\lfloor \frac{6 - 3 + 2 \cdot 1}{1} \right\rfloor + 1 (the seeds' form; unequal padding written as p_before + p_after) */
export function sizeLatex(ax: Axis): string {
  const pad = ax.before === ax.after ? `2 \\cdot ${ax.before}` : `${ax.before} + ${ax.after}`;
  return `\\left\\lfloor \\frac{${ax.size} - ${ax.window} + ${pad}}{${ax.stride}} \\right\\rfloor + 1`;
}

function samePadLatex(sym: string, ax: Axis): string {
  const total = ax.before + ax.after;
  if (ax.stride === 1) {
    return ax.before === ax.after
      ? `p_{${sym}} = \\frac{k - 1}{2} = \\frac{${ax.window} - 1}{2} = ${ax.before}`
      : `p_{${sym}}:\\ k - 1 = ${total} \\text{ is odd: } ${ax.before} \\text{ before, } ${ax.after} \\text{ after}`;
  }
  return `p_{${sym}} = \\max\\left((\\lceil ${ax.size}/${ax.stride} \\rceil - 1) \\cdot ${ax.stride} + ${ax.window} - ${ax.size},\\ 0\\right) = ${total}:\\ ${ax.before} \\text{ before, } ${ax.after} \\text{ after}`;
}

/** Same padding with its derivation, for every sliding layer that uses it (or, if none does, every convolution). */
export function paddingSection(spec: LayersSpec, tex: Tex): SheetSection {
  const sliding = spec.layers.filter((l): l is ConvLayer | PoolLayer => isConv(l) || l.kind === 'pool');
  const chosen = sliding.some((l) => l.samePadding) ? sliding.filter((l) => l.samePadding) : sliding.filter(isConv);
  const blocks: SheetBlock[] = [{ kind: 'text', text: 'Same padding keeps the output as large as the input. With stride 1 the size formula gives H = H - k + 2p + 1, so p = (k - 1)/2 on each side. When k is even, k - 1 is odd and cannot be split evenly: the extra row goes at the bottom and the extra column at the right.' }];
  for (const l of chosen) {
    const dims = l.in.spatial.length === 2 ? [['h', l.axes[0]], ['w', l.axes[1]]] as const : [['', l.axes[1]]] as const;
    for (const [d, ax] of dims) {
      const same = samePadding(ax.size, ax.window, ax.stride);
      const p = `p${d ? `_${d}` : ''}`, k = `k${d ? `_${d}` : ''}`;
      const lines = ax.stride === 1
        ? `${ax.size} = ${ax.size} - ${k} + 2${p} + 1 \\iff ${p} = \\frac{${k} - 1}{2} = \\frac{${ax.window} - 1}{2}${same.before === same.after ? ` = ${same.before}` : ` = ${ax.window - 1}/2:\\ ${same.before} \\text{ before, } ${same.after} \\text{ after}`}`
        : `${p}:\\ ${same.before} \\text{ before, } ${same.after} \\text{ after (stride ${ax.stride}: } \\lceil ${ax.size}/${ax.stride} \\rceil \\text{ positions)}`;
      blocks.push({ kind: 'math', latex: `${tex.tensor(l.name, l.outShape)}:\\ ${lines}` });
    }
  }
  return { title: 'Padding', blocks };
}

export function parametersSection(spec: LayersSpec, compareDense: boolean, tex: Tex): SheetSection {
  const counts = parameterCounts(spec);
  const rows = counts.map((c, k) => {
    const l = spec.layers[k]!;
    const w = c.weightFactors.length > 1 ? `${c.weightFactors.join(' \\times ')} = ${c.weights}` : String(c.weights);
    return [tex.tensor(l.name, l.outShape), w, String(c.biases), String(c.total)];
  });
  rows.push(['\\text{total}', '', '', String(totalParameters(counts))]);
  const blocks: SheetBlock[] = [
    { kind: 'text', text: 'A convolution shares each kernel over every position: its weights are kernels x kernel size (height x width in 2-D) x input channels, plus one bias per kernel. Pooling and activations have no parameters.' },
    { kind: 'table', header: ['Layer', 'Weights', 'Biases', 'Total'], rows },
  ];
  if (compareDense) {
    const cmp = denseComparison(spec);
    blocks.push({ kind: 'text', text: 'A fully connected layer joining the same input and output units needs a weight for every pair and a bias for every output unit:' });
    blocks.push({ kind: 'table', header: ['Layer', 'Fully connected', 'Convolution'], rows: cmp.map((d) => {
      const l = spec.layers.find((x) => x.name === d.layer)!;
      const w = `(${shapeTex(l.inShape)}) \\times (${shapeTex(l.outShape)})`;
      return [tex.tensor(l.name, l.outShape), `${w}${d.biases ? ` + ${d.biases}` : ''} = ${d.total}`, String(d.layerTotal)];
    }) });
  }
  return { title: 'Parameters', blocks };
}
