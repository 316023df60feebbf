#!/usr/bin/env python3
"""
Independent oracle for the `layers` tests. Nothing here uses gradsheet.

For each fixture network below, this script writes the problem file
(test/layers/fixtures/<id>.yaml) and the expected values
(test/layers/expected.json):

* Forward values: a forward pass written here with numpy object arrays of
  mpmath numbers at 50 digits, in the textbook form: the input zero-padded with
  np.pad, each output element the sum of a window slice times the kernel
  (cross-correlation, no flip), max/avg pooling over window slices with zero
  padding, dense layers as matrix products over the row-major flattened input.
* Gradients: central differences of the loss computed by that forward pass,
  at 50 digits with h = 1e-15 (truncation error ~ h^2 ~ 1e-30), for every
  element of every parameter and of the input. Every fixture keeps relu
  arguments and max-pool runners-up at least 1e-3 away from a kink, which the
  script asserts.

Run:  python3 test/layers/oracle.py   (rewrites the fixtures and expected.json)
"""
import json
import os
from fractions import Fraction

import mpmath as mp
import numpy as np

mp.mp.dps = 50
HERE = os.path.dirname(os.path.abspath(__file__))
H_STEP = mp.mpf('1e-15')
MARGIN = mp.mpf('1e-3')


def mpf(x):
    f = Fraction(x).limit_denominator(10**6) if isinstance(x, float) else Fraction(x)
    return mp.mpf(f.numerator) / f.denominator


def arr(values):
    a = np.array(values, dtype=object)
    return np.vectorize(mpf, otypes=[object])(a)


def act(name, u, kinks):
    if name == 'sigmoid':
        return 1 / (1 + mp.exp(-u))
    if name == 'tanh':
        return mp.tanh(u)
    if name == 'relu':
        kinks.append(abs(u))
        return u if u > 0 else mp.mpf(0)
    return u


def conv(x, k, stride, pad, bias, activation, kinks):
    """x: [H, W, C]; k: [n, kh, kw, C]; pad: ((top, bottom), (left, right)); out [H', W', n]."""
    xp = np.pad(x, (pad[0], pad[1], (0, 0)), constant_values=mp.mpf(0))
    n, kh, kw, _ = k.shape
    Ho = (xp.shape[0] - kh) // stride[0] + 1
    Wo = (xp.shape[1] - kw) // stride[1] + 1
    out = np.empty((Ho, Wo, n), dtype=object)
    for i in range(Ho):
        for j in range(Wo):
            window = xp[i * stride[0]:i * stride[0] + kh, j * stride[1]:j * stride[1] + kw, :]
            for m in range(n):
                u = np.sum(window * k[m]) + (bias[m] if bias is not None else 0)
                out[i, j, m] = act(activation, u, kinks)
    return out


def pool(x, op, window, stride, pad, kinks):
    xp = np.pad(x, (pad[0], pad[1], (0, 0)), constant_values=mp.mpf(0))
    Ho = (xp.shape[0] - window[0]) // stride[0] + 1
    Wo = (xp.shape[1] - window[1]) // stride[1] + 1
    out = np.empty((Ho, Wo, x.shape[2]), dtype=object)
    for i in range(Ho):
        for j in range(Wo):
            for c in range(x.shape[2]):
                cells = list(xp[i * stride[0]:i * stride[0] + window[0], j * stride[1]:j * stride[1] + window[1], c].flatten())
                if op == 'max':
                    top = sorted(cells, reverse=True)
                    kinks.append(top[0] - top[1])
                    out[i, j, c] = top[0]
                else:
                    out[i, j, c] = sum(cells) / len(cells)
    return out


def dense(x, w, units, bias, activation, kinks):
    flat = x.flatten()
    if units == 1:  # Hadamard-weighted sum, weights of the input's shape
        u = np.sum(w.flatten() * flat) + (bias if bias is not None else 0)
        return act(activation, u, kinks)
    out = np.empty(units, dtype=object)
    for q in range(units):
        out[q] = act(activation, np.sum(w[q] * flat) + (bias[q] if bias is not None else 0), kinks)
    return out


def loss(kind, y, t):
    y = np.atleast_1d(y)
    t = np.atleast_1d(t)
    if kind == 'squared-error':
        return sum((a - b) ** 2 for a, b in zip(y, t))
    if kind == 'half-squared-error':
        return sum((a - b) ** 2 for a, b in zip(y, t)) / 2
    if len(y) == 1:
        return -(t[0] * mp.log(y[0]) + (1 - t[0]) * mp.log(1 - y[0]))
    return -sum(b * mp.log(a) for a, b in zip(y, t))


# ---- fixtures: each has the problem file's text and a forward pass over named tensors ----

def fx_stride_relu_maxpool(T):
    kinks = []
    X = T['X'].reshape(5, 5, 2)
    Y = conv(X, T['K'].reshape(2, 3, 3, 2), (2, 2), ((1, 1), (1, 1)), T['bY'], 'relu', kinks)
    P = pool(Y, 'max', (2, 2), (1, 1), ((0, 0), (0, 0)), kinks)
    o = dense(P, T['W'].reshape(3, 8), 3, T['bo'], 'sigmoid', kinks)
    E = loss('half-squared-error', o, T['T'])
    return {'Y': Y, 'P': P, 'o': o, 'E': E}, kinks


def fx_conv1d_tanh_avgpool(T):
    kinks = []
    x = T['x'].reshape(1, 7, 2)                      # one row of 7 positions, 2 channels
    k = T['v'].reshape(3, 1, 3, 2)                   # [n, k, C] as [n, 1, k, C]
    h = conv(x, k, (1, 1), ((0, 0), (1, 1)), T['c'], 'tanh', kinks)
    p = pool(h, 'avg', (1, 2), (1, 2), ((0, 0), (0, 0)), kinks)
    z = dense(p, T['w'].reshape(3, 3), 1, T['bz'], 'sigmoid', kinks)
    L = loss('cross-entropy', z, T['t'])
    return {'h': h.reshape(7, 3), 'p': p.reshape(3, 3), 'z': z, 'L': L}, kinks


def fx_even_same(T):
    kinks = []
    X = T['X'].reshape(4, 4, 1)
    Y = conv(X, T['K'].reshape(1, 2, 2, 1), (1, 1), ((0, 1), (0, 1)), None, 'identity', kinks)
    A = np.vectorize(lambda u: act('sigmoid', u, kinks), otypes=[object])(Y)
    o = dense(A, T['W'].reshape(4, 4, 1), 1, None, 'identity', kinks)
    E = loss('half-squared-error', o, T['z'])
    return {'Y': Y.reshape(4, 4), 'A': A.reshape(4, 4), 'o': o, 'E': E}, kinks


def fx_stride2_compact(T):
    kinks = []
    X = T['X'].reshape(6, 6, 1)
    Y = conv(X, T['K'].reshape(1, 3, 3, 1), (2, 2), ((0, 0), (0, 0)), None, 'identity', kinks)
    o = dense(Y, T['W'].reshape(2, 2, 1), 1, None, 'sigmoid', kinks)
    E = loss('squared-error', o, T['z'])
    return {'Y': Y.reshape(2, 2), 'o': o, 'E': E}, kinks


def rat(i, j, scale=10):
    """Deterministic small rationals that avoid ties: ((7 i + 3 j) mod 11 - 5) / scale, nudged by i/97."""
    return Fraction(((7 * i + 3 * j) % 11) - 5, scale) + Fraction(i + 1, 97 * (j + 2))


def values(name, shape, seed, scale=10):
    n = int(np.prod(shape)) if shape else 1
    flat = [rat(seed * 13 + q, seed + q % 5, scale) for q in range(n)]
    return np.array(flat, dtype=object).reshape(shape) if shape else flat[0]


FIXTURES = [
    {
        'id': 'layers-stride-relu-maxpool',
        'title': 'Two-channel input, two kernels with stride 2 and padding, relu, max pooling, three sigmoid units',
        'network': """  kind: layers
  input: {name: X, shape: [5, 5, 2]}
  layers:
    - {kind: conv2d, name: Y, kernels: 2, kernel: {name: K, shape: [3, 3, 2]}, stride: [2, 2], padding: 1, bias: true, activation: relu}
    - {kind: pool, name: P, op: max, window: [2, 2], stride: [1, 1]}
    - {kind: dense, name: o, weights: {name: W}, units: 3, bias: true, activation: sigmoid}
  loss: {kind: half-squared-error, target: T, name: E}""",
        'given': {'X': [5, 5, 2], 'K': [2, 3, 3, 2], 'bY': [2], 'W': [3, 8], 'bo': [3], 'T': [3]},
        'wrt': ['K', 'bY', 'W', 'bo', 'X'],
        'forward': ['Y', 'P', 'o', 'E'],
        'run': fx_stride_relu_maxpool,
    },
    {
        'id': 'layers-conv1d-tanh-avgpool',
        'title': 'A 1-D convolution over two channels with same padding, tanh, average pooling, Hadamard sigmoid output, cross-entropy',
        'network': """  kind: layers
  input: {name: x, shape: [7, 2]}
  layers:
    - {kind: conv1d, name: h, kernels: 3, kernel: {name: v, shape: [3, 2]}, padding: same, bias: c, activation: tanh}
    - {kind: pool, name: p, op: avg, window: [2]}
    - {kind: dense, name: z, weights: {name: w}, units: 1, bias: true, activation: sigmoid}
  loss: {kind: cross-entropy, target: t, name: L}""",
        'given': {'x': [7, 2], 'v': [3, 3, 2], 'c': [3], 'w': [3, 3], 'bz': [], 't': []},
        'wrt': ['v', 'c', 'w', 'bz', 'x'],
        'forward': ['h', 'p', 'z', 'L'],
        'run': fx_conv1d_tanh_avgpool,
    },
    {
        'id': 'layers-even-kernel-same',
        'title': 'Same padding with an even kernel (extra row and column at the bottom and right), a sigmoid activation layer',
        'network': """  kind: layers
  input: {name: X, shape: [4, 4]}
  layers:
    - {kind: conv2d, name: Y, kernel: {name: K, shape: [2, 2]}, padding: same}
    - {kind: activation, name: A, fn: sigmoid}
    - {kind: dense, name: o, weights: {name: W}}
  loss: {kind: half-squared-error, target: z, name: E}""",
        'given': {'X': [4, 4], 'K': [2, 2], 'W': [4, 4], 'z': []},
        'wrt': ['K', 'W', 'X'],
        'forward': ['Y', 'A', 'o', 'E'],
        'run': fx_even_same,
    },
    {
        'id': 'layers-stride2-compact',
        'title': 'Stride 2 without padding: the compact form dilates the deltas',
        'network': """  kind: layers
  input: {name: X, shape: [6, 6]}
  layers:
    - {kind: conv2d, name: Y, kernel: {name: K, shape: [3, 3]}, stride: 2}
    - {kind: dense, name: o, weights: {name: W}, activation: sigmoid}
  loss: {kind: squared-error, target: z, name: E}""",
        'given': {'X': [6, 6], 'K': [3, 3], 'W': [2, 2], 'z': []},
        'wrt': ['K', 'W', 'X'],
        'forward': ['Y', 'o', 'E'],
        'run': fx_stride2_compact,
    },
]


def yaml_value(v):
    if isinstance(v, np.ndarray):
        return json.dumps(np.vectorize(lambda f: f"{f.numerator}/{f.denominator}" if f.denominator != 1 else int(f.numerator), otypes=[object])(v).tolist())
    return json.dumps(f"{v.numerator}/{v.denominator}" if v.denominator != 1 else int(v.numerator))


def nested_float(v):
    if isinstance(v, np.ndarray):
        return [nested_float(x) for x in v]
    return float(v)


def main():
    expected = {}
    for fi, fx in enumerate(FIXTURES):
        given = {}
        for gi, (name, shape) in enumerate(fx['given'].items()):
            given[name] = values(name, shape, 3 + 5 * fi + gi, scale=10 if name not in ('T', 't', 'z') else 4)
        if 't' in given:  # a binary label
            given['t'] = Fraction(1)
        tensors = {k: (arr(v.tolist()) if isinstance(v, np.ndarray) else mpf(v)) for k, v in given.items()}
        out, kinks = fx['run'](tensors)
        assert all(k > MARGIN for k in kinks), f"{fx['id']}: a kink within {MARGIN}"
        lossname = fx['forward'][-1]
        grads = {}
        for name in fx['wrt']:
            base = tensors[name]
            if isinstance(base, np.ndarray):
                g = np.empty(base.shape, dtype=object)
                for idx in np.ndindex(base.shape):
                    def f(d):
                        t = dict(tensors)
                        a = base.copy()
                        a[idx] = base[idx] + d
                        t[name] = a
                        return fx['run'](t)[0][lossname]
                    g[idx] = (f(H_STEP) - f(-H_STEP)) / (2 * H_STEP)
                grads[name] = nested_float(g)
            else:
                def f(d):
                    t = dict(tensors)
                    t[name] = base + d
                    return fx['run'](t)[0][lossname]
                grads[name] = float((f(H_STEP) - f(-H_STEP)) / (2 * H_STEP))
        expected[fx['id']] = {
            'values': {k: nested_float(v) for k, v in out.items()},
            'gradients': {lossname: grads},
        }
        lines = [f"id: {fx['id']}", f"title: \"{fx['title']}\"", "network:", fx['network'], "given:"]
        lines += [f"  {k}: {yaml_value(v)}" for k, v in given.items()]
        lines += ["ask:", f"  - forward: [{', '.join(fx['forward'])}]", f"  - gradient: {{of: {lossname}, wrt: [{', '.join(fx['wrt'])}]}}", ""]
        with open(os.path.join(HERE, 'fixtures', fx['id'] + '.yaml'), 'w') as fh:
            fh.write("# Written by test/layers/oracle.py; expected values in test/layers/expected.json.\n" + '\n'.join(lines))
    with open(os.path.join(HERE, 'expected.json'), 'w') as fh:
        json.dump(expected, fh, indent=1)
        fh.write('\n')


if __name__ == '__main__':
    main()
