/**
 * `network: {kind: layers}` (contract 2.4): parse, infer every shape, and
 * reject what cannot be built, naming the line and key: a kernel or window
 * larger than the padded input, a stride of 0, a negative padding, kernel
 * channels that do not follow the input, a name used twice.
 */
import { FN_NAMES } from '../../expr/expr.js';
import type { Field } from '../../input/field.js';
import { parseActivation, type Activation } from '../activation.js';
import { parseLossSpec } from '../loss.js';
import { UNIT_AXIS, layoutShape, makeAxis } from './geometry.js';
import type { ActivationLayer, Axes, Axis, ConvLayer, DenseLayer, Layer, LayersSpec, MapLayout, PoolLayer } from './types.js';

export const LAYER_KINDS = ['conv1d', 'conv2d', 'pool', 'dense', 'activation'] as const;
/** Largest size of one dimension, count of kernels or units. */
export const MAX_DIM = 100_000;
export const MAX_LAYERS = 64;

export function parseLayersSpec(f: Field): LayersSpec {
  f.only(['kind', 'input', 'layers', 'loss']);
  const names = new NameTable();
  const inf = f.required('input');
  inf.only(['name', 'shape']);
  const input = { name: names.claim(inf.required('name')), shape: dims(inf.required('shape'), 1, 3) };
  const lf = f.required('layers');
  const items = lf.items();
  if (items.length === 0) lf.fail('layers lists no layer');
  if (items.length > MAX_LAYERS) lf.fail(`more than ${MAX_LAYERS} layers`);
  let shape: readonly number[] = input.shape;
  let rank: 1 | 2 | undefined; // spatial rank of the last sliding layer
  const layers: Layer[] = [];
  for (const item of items) {
    const kind = item.required('kind').oneOf(LAYER_KINDS);
    const name = names.claim(item.required('name'));
    const prev = layers.length ? layers[layers.length - 1]!.name : input.name;
    let layer: Layer;
    switch (kind) {
      case 'conv1d': case 'conv2d': layer = parseConv(item, kind, name, shape, prev, names); rank = kind === 'conv1d' ? 1 : 2; break;
      case 'pool': layer = parsePool(item, name, shape, prev, rank); rank = layer.axes[0] === UNIT_AXIS ? 1 : 2; break;
      case 'dense': layer = parseDense(item, name, shape, names); rank = undefined; break;
      case 'activation': layer = parseActivationLayer(item, name, shape); break;
    }
    layers.push(layer);
    shape = layer.outShape;
  }
  const loss = f.get('loss').exists ? parseLossSpec(f.get('loss')) : undefined;
  if (loss) {
    names.claimText(loss.target, f.get('loss').get('target'));
    names.claimText(loss.name, f.get('loss').get('name').exists ? f.get('loss').get('name') : f.get('loss'));
  }
  return { kind: 'layers', input, layers, loss, field: f };
}

function parseConv(f: Field, kind: 'conv1d' | 'conv2d', name: string, inShape: readonly number[], prev: string, names: NameTable): ConvLayer {
  f.only(['kind', 'name', 'kernel', 'kernels', 'stride', 'padding', 'bias', 'activation']);
  const r = kind === 'conv1d' ? 1 : 2;
  const inMap = mapOf(f, inShape, r, prev, kind === 'conv1d' ? '[N] or [N, C]' : '[H, W] or [H, W, C]');
  const kf = f.required('kernel');
  kf.only(['name', 'shape']);
  const kernel = names.claim(kf.required('name'));
  const sf = kf.required('shape');
  const ks = dims(sf, 1, r + 2);
  const given = f.get('kernels').exists ? f.get('kernels').int(1, MAX_DIM) : undefined;
  // The shape is one kernel's ([kh, kw] or [kh, kw, C]) or the whole tensor's ([n, kh, kw, C]; [n, kh, kw] for an input without channels).
  let n = given ?? 1, window: number[], kernelAxis = false, channels: number | undefined;
  if (ks.length === r) window = ks;
  else if (ks.length === r + 1 && inMap.channelAxis) { window = ks.slice(0, r); channels = ks[r]; }
  else if (ks.length === r + 1) { n = ks[0]!; window = ks.slice(1); kernelAxis = true; }
  else if (ks.length === r + 2) { n = ks[0]!; window = ks.slice(1, r + 1); channels = ks[r + 1]; kernelAxis = true; }
  else return sf.fail(`a ${kind} kernel on an input of shape [${inShape.join(', ')}] has shape ${kernelForms(r, inMap.channelAxis)}`);
  if (channels !== undefined && channels !== inMap.channels) sf.fail(`the kernel has ${channels} channels but its input '${prev}' has ${inMap.channels} (kernel channels follow the input)`);
  if (given !== undefined && kernelAxis && given !== n) f.get('kernels').fail(`kernels: ${given} but the kernel shape [${ks.join(', ')}] holds ${n}`);
  kernelAxis ||= n > 1;
  // [n, kh, kw, C] as the contract writes it, also for an input without a channel axis (C = 1)
  const kernelChannelAxis = inMap.channelAxis || (ks.length === r + 2);
  const strides = perDim(f.get('stride'), r, 1, 'stride');
  const pads = padding(f.get('padding'), r);
  const axes = slidingAxes(f, 'kernel', inMap, window, strides, pads);
  const out: MapLayout = { spatial: axes.slice(2 - r).map((a) => a.out), channels: n, channelAxis: kernelAxis };
  const bias = biasName(f.get('bias'), name, names);
  return {
    kind, name, field: f, inShape, outShape: layoutShape(out),
    kernel, kernels: n, kernelAxis, kernelChannelAxis, in: inMap, out, axes, samePadding: pads === null,
    kernelShape: [...(kernelAxis ? [n] : []), ...window, ...(kernelChannelAxis ? [inMap.channels] : [])],
    bias, biasShape: kernelAxis ? [n] : [],
    activation: activationOf(f.get('activation')),
  };
}

function parsePool(f: Field, name: string, inShape: readonly number[], prev: string, lastRank: 1 | 2 | undefined): PoolLayer {
  f.only(['kind', 'name', 'op', 'window', 'stride', 'padding']);
  const wf = f.required('window');
  const r: 1 | 2 = wf.isList() ? (wf.items().length === 1 ? 1 : 2) : lastRank ?? (inShape.length >= 2 ? 2 : 1);
  const window = perDim(wf, r, 1, 'window');
  const inMap = mapOf(f, inShape, r, prev, r === 1 ? '[N] or [N, C]' : '[H, W] or [H, W, C]');
  const strides = f.get('stride').exists ? perDim(f.get('stride'), r, 1, 'stride') : window; // default: windows side by side
  const pads = padding(f.get('padding'), r);
  const axes = slidingAxes(f, 'window', inMap, window, strides, pads);
  const out: MapLayout = { ...inMap, spatial: axes.slice(2 - r).map((a) => a.out) };
  return {
    kind: 'pool', name, field: f, inShape, outShape: layoutShape(out),
    op: f.get('op').exists ? f.get('op').oneOf(['max', 'avg'] as const) : 'max',
    in: inMap, out, axes, samePadding: pads === null,
  };
}

function parseDense(f: Field, name: string, inShape: readonly number[], names: NameTable): DenseLayer {
  f.only(['kind', 'name', 'weights', 'units', 'activation', 'bias']);
  const units = f.get('units').exists ? f.get('units').int(1, MAX_DIM) : 1;
  const wf = f.required('weights');
  wf.only(['name', 'shape']);
  const weights = names.claim(wf.required('name'));
  const hadamard = units === 1;
  const inSize = inShape.reduce((a, b) => a * b, 1);
  const weightShape = hadamard ? [...inShape] : [units, inSize];
  if (wf.get('shape').exists) {
    const s = dims(wf.get('shape'), 1, 4);
    if (s.join(',') !== weightShape.join(',')) {
      wf.get('shape').fail(`the weights have shape [${weightShape.join(', ')}] (${hadamard ? "units: 1 weighs each input element: the input's shape" : '[units, size of the flattened input]'}), not [${s.join(', ')}]`);
    }
  }
  return {
    kind: 'dense', name, field: f, inShape, outShape: hadamard ? [] : [units],
    weights, weightShape, units, hadamard,
    bias: biasName(f.get('bias'), name, names), biasShape: hadamard ? [] : [units],
    activation: activationOf(f.get('activation')),
  };
}

function parseActivationLayer(f: Field, name: string, inShape: readonly number[]): ActivationLayer {
  f.only(['kind', 'name', 'fn']);
  return { kind: 'activation', name, field: f, inShape, outShape: [...inShape], fn: parseActivation(f.required('fn')) };
}

const activationOf = (f: Field): Activation => (f.exists ? parseActivation(f) : 'identity');

/** The input of a sliding layer as a map: [spatial...] or [spatial..., C]. */
function mapOf(f: Field, shape: readonly number[], r: 1 | 2, prev: string, forms: string): MapLayout {
  if (shape.length === r) return { spatial: [...shape], channels: 1, channelAxis: false };
  if (shape.length === r + 1) return { spatial: shape.slice(0, r), channels: shape[r]!, channelAxis: true };
  return f.fail(`a ${f.get('kind').str()} layer reads a map of shape ${forms}; '${prev}' has shape [${shape.join(', ')}]`);
}

/** Canonical (rows, cols) axes; a window larger than the padded input is an error naming the dimension. */
function slidingAxes(f: Field, what: 'kernel' | 'window', m: MapLayout, window: number[], strides: number[], pads: Array<[number, number]> | null): Axes {
  const r = m.spatial.length;
  const dimNames = r === 1 ? ['length'] : ['height', 'width'];
  const axes: Axis[] = m.spatial.map((size, d) => {
    const ax = makeAxis(size, window[d]!, strides[d]!, pads ? pads[d]! : null);
    if (!ax) {
      const [b, a] = pads![d]!;
      return f.get(what).fail(`the ${what} ${dimNames[d]} ${window[d]} is larger than the padded input ${dimNames[d]} ${size + b + a} (${size} + padding ${b} + ${a})`);
    }
    return ax;
  });
  return r === 1 ? [UNIT_AXIS, axes[0]!] : [axes[0]!, axes[1]!];
}

/** One whole number for every dimension, or a list of r; at least `min`. */
function perDim(f: Field, r: number, dflt: number, what: string): number[] {
  if (!f.exists) return Array<number>(r).fill(dflt);
  const one = (g: Field): number => {
    const v = g.int(-MAX_DIM, MAX_DIM);
    if (v < 1) g.fail(`a ${what} of ${v}: it must be at least 1`);
    return v;
  };
  if (!f.isList()) return Array<number>(r).fill(one(f));
  const items = f.items();
  if (items.length !== r) f.fail(`${what} lists ${r} value${r > 1 ? 's' : ''} (one per dimension), got ${items.length}`);
  return items.map(one);
}

/** `same` (null), p, [p_h, p_w], or per dimension [before, after]. */
function padding(f: Field, r: number): Array<[number, number]> | null {
  if (!f.exists) return Array.from({ length: r }, () => [0, 0]);
  if (f.isScalar() && f.scalarValue() === 'same') return null;
  const amount = (g: Field): number => {
    const v = g.int(-MAX_DIM, MAX_DIM);
    if (v < 0) g.fail(`a negative padding (${v}): padding adds zero rows and columns, at least 0`);
    return v;
  };
  const pair = (g: Field): [number, number] => {
    if (!g.isList()) { const p = amount(g); return [p, p]; }
    const it = g.items();
    if (it.length !== 2) g.fail('a padding pair is [before, after]');
    return [amount(it[0]!), amount(it[1]!)];
  };
  if (!f.isList()) return Array.from({ length: r }, () => pair(f));
  const items = f.items();
  if (items.length !== r) f.fail(`padding is same, one number, or ${r} value${r > 1 ? 's' : ''} (one per dimension), got ${items.length}`);
  return items.map(pair);
}

function dims(f: Field, minRank: number, maxRank: number): number[] {
  const items = f.isList() ? f.items() : f.fail('expected a shape such as [3, 3]');
  if (items.length < minRank || items.length > maxRank) f.fail(`expected a shape of ${minRank} to ${maxRank} dimensions, got ${items.length}`);
  return items.map((it) => it.int(1, MAX_DIM));
}

function kernelForms(r: number, channelAxis: boolean): string {
  const k = r === 1 ? 'k' : 'kh, kw';
  return channelAxis ? `[${k}], [${k}, C] or [n, ${k}, C]` : `[${k}], [n, ${k}] or [n, ${k}, 1]`;
}

function biasName(f: Field, layer: string, names: NameTable): string | null {
  if (!f.exists) return null;
  const v = f.scalarValue();
  if (v === false) return null;
  if (v === true) return names.claimText(`b${layer}`, f);
  if (typeof v === 'string') return names.claim(f);
  return f.fail('bias is false, true (a bias named after the layer) or the bias\'s name');
}

/** Every name of the network names one thing. */
class NameTable {
  private readonly seen = new Map<string, Field>();
  claim(f: Field): string { return this.claimText(f.name(), f); }
  claimText(name: string, f: Field): string {
    if ((FN_NAMES as readonly string[]).includes(name)) f.fail(`'${name}' is a function name and cannot name a tensor`);
    const before = this.seen.get(name);
    if (before) f.fail(`'${name}' already names something else (line ${before.line}, ${before.key})`);
    this.seen.set(name, f);
    return name;
  }
}
