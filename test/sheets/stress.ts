/**
 * Stress problems for the sheet-fit test: networks wider and longer than the
 * shipped ones, written with today's network kinds. Each is YAML text made by
 * a small generator, so its size is a parameter, not a hand-typed file.
 * Add an entry to STRESS for a new shape of sheet (an LSTM, an attention
 * head); the fit test picks every entry up.
 */

export interface StressProblem {
  /** the problem's id and the name its sheets are reported under */
  readonly id: string;
  /** what about the layout it stresses */
  readonly why: string;
  readonly yaml: string;
}

/**
 * Nested YAML arrays of values on a 0.01 grid in [lo, hi], from a small
 * linear congruential generator seeded per tensor: reproducible, and written
 * out in full (the `uniform` initializer of contract 3 is not read yet).
 */
function uniform(shape: readonly number[], seed: number, lo = -0.5, hi = 0.5): string {
  let state = (seed * 2654435761) >>> 0;
  const steps = Math.round((hi - lo) * 100);
  const next = (): string => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return String(Math.round((lo * 100 + (state % (steps + 1)))) / 100);
  };
  const nest = (axes: readonly number[]): string => (axes.length === 0 ? next()
    : `[${Array.from({ length: axes[0]! }, () => nest(axes.slice(1))).join(', ')}]`);
  return nest(shape);
}

/** One-hot rows, the class of row t being (t * 7) mod classes: a fixed, varied label sequence. */
const oneHot = (rows: number, classes: number): string =>
  `[${Array.from({ length: rows }, (_, t) => `[${Array.from({ length: classes }, (_, k) => (k === (t * 7) % classes ? 1 : 0)).join(', ')}]`).join(', ')}]`;

/** A stride-2 convolution over a 3-channel image with several kernels, then one sigmoid unit. */
export function wideConv(size = 12, kernels = 4): StressProblem {
  const out = Math.floor((size - 3 + 2) / 2) + 1;
  return {
    id: `stress-conv-stride2-c3-k${kernels}`,
    why: 'a 3-axis input, a 4-axis kernel, a 3-axis output and a dense layer with more than 64 weights',
    yaml: `id: stress-conv-stride2-c3-k${kernels}
title: "Stress: a stride-2 convolution of ${/^(8|11|18)/.test(String(size)) ? 'an' : 'a'} ${size} x ${size} x 3 image with ${kernels} kernels"
network:
  kind: layers
  input: {name: X, shape: [${size}, ${size}, 3]}
  layers:
    - {kind: conv2d, name: Y, kernels: ${kernels}, kernel: {name: K, shape: [${kernels}, 3, 3, 3]}, stride: 2, padding: 1, bias: c, activation: relu}
    - {kind: dense, name: o, weights: {name: W}, units: 1, activation: sigmoid}
  loss: {kind: squared-error, target: z, name: E}
given:
  X: ${uniform([size, size, 3], 11, 0, 1)}
  K: ${uniform([kernels, 3, 3, 3], 12)}
  c: ${uniform([kernels], 13, 0, 0.2)}
  W: ${uniform([out, out, kernels], 14, -0.1, 0.1)}
  z: 1
ask:
  - shape: [Y, o]
  - parameters: {compare: dense}
  - forward: [Y, o, E]
  - gradient: {of: E, wrt: [K, c, W]}
`,
  };
}

/** An Elman RNN over many steps: long BPTT recurrences and many per-step vectors. */
export function longRnn(steps = 20, hidden = 6): StressProblem {
  return {
    id: `stress-rnn-t${steps}-h${hidden}`,
    why: 'many steps (one delta per step), a hidden state wider than a column vector fits, a sequence matrix',
    yaml: `id: stress-rnn-t${steps}-h${hidden}
title: "Stress: a tanh RNN over ${steps} steps with ${hidden} hidden units"
network:
  kind: rnn
  mode: many-to-many
  steps: ${steps}
  sizes: {input: 3, hidden: ${hidden}, output: 2}
  hidden: tanh
  output: softmax
  loss: cross-entropy
  bias: true
given:
  x: ${uniform([steps, 3], 21, -1, 1)}
  t: ${oneHot(steps, 2)}
  h0: {fill: 0}
  W1: ${uniform([hidden, 3], 22)}
  H1: ${uniform([hidden, hidden], 23)}
  b1: ${uniform([hidden], 24, -0.1, 0.1)}
  W2: ${uniform([2, hidden], 25)}
  b2: ${uniform([2], 26, -0.1, 0.1)}
ask:
  - forward: [h, y, E]
  - gradient: {of: E, wrt: [W1, H1, b1, W2, b2]}
  - update: {rule: sgd, rate: 0.1}
`,
  };
}

/** A wide MLP: matrices with many columns (a 10 x 16 weight matrix and its gradient). */
export function wideMlp(inputs = 16, hidden = 10, outputs = 4): StressProblem {
  return {
    id: `stress-mlp-${inputs}-${hidden}-${outputs}`,
    why: 'weight matrices and gradients wider than the page, an update table of wide matrices',
    yaml: `id: stress-mlp-${inputs}-${hidden}-${outputs}
title: "Stress: a ${inputs}-${hidden}-${outputs} sigmoid MLP"
network: {kind: mlp, sizes: [${inputs}, ${hidden}, ${outputs}], activation: sigmoid, output: sigmoid, loss: {kind: half-squared-error, target: t, name: E}}
given:
  x: ${uniform([inputs], 31, -1, 1)}
  W1: ${uniform([hidden, inputs], 32)}
  b1: ${uniform([hidden], 33, -0.1, 0.1)}
  W2: ${uniform([outputs, hidden], 34)}
  b2: ${uniform([outputs], 35, -0.1, 0.1)}
  t: [${Array.from({ length: outputs }, (_, k) => (k === 1 ? 1 : 0)).join(', ')}]
ask:
  - forward: [z1, h, z2, o, E]
  - gradient: {of: E, wrt: [W1, b1, W2, b2]}
  - update: {rule: sgd, rate: 0.5}
`,
  };
}

/** A deep chain of sigmoid units: long products in every closed form. */
export function deepChain(depth = 16): StressProblem {
  const given = ['x: 0.5', ...Array.from({ length: depth + 1 }, (_, i) => `w${i + 1}: ${((i % 5) + 2) / 4}`),
    ...Array.from({ length: depth + 1 }, (_, i) => `b${i + 1}: ${(i % 3) - 1}`)];
  return {
    id: `stress-chain-${depth}`,
    why: 'a closed form that is a product of 2 x depth factors, a long forward pass',
    yaml: `id: stress-chain-${depth}
title: "Stress: a chain of ${depth} sigmoid units"
network: {kind: chain, depth: ${depth}, activation: sigmoid, output: linear}
given: {${given.join(', ')}}
ask:
  - forward: [h1, h${depth}, o]
  - gradient: {of: o, wrt: [w1, b1, w${depth + 1}]}
`,
  };
}

/** The stress set the fit test compiles; the lead adds LSTM and attention problems here. */
export const STRESS: readonly StressProblem[] = [wideConv(), longRnn(), wideMlp(), deepChain()];
