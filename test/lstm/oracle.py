#!/usr/bin/env python3
"""oracle.py PROBLEM.yaml -> JSON {values, gradients} of a `kind: lstm` problem, by NumPy.

Written from the textbook LSTM (not from gradsheet's code): forward over the
steps, then backpropagation through time by hand (the cell-state recurrence
dc_{t-1} = dc_t * f_t), float64. Supports the spec keys of the lstm kind:
mode many-to-many|many-to-one, output none|identity|softmax, loss
half-squared-error|squared-error|cross-entropy."""
import json, sys
import numpy as np, yaml

doc = yaml.safe_load(open(sys.argv[1]))
net, giv = doc['network'], doc['given']
T, H = net['steps'], net['sizes']['hidden']
m2m = net.get('mode', 'many-to-many') == 'many-to-many'
out, loss = net.get('output', 'none'), net['loss']
A = lambda k: np.array(giv[k], dtype=float)
x, y, h0, c0 = A('x'), A('y'), A('h0'), A('c0')
W = {g: A('W' + g) for g in 'fiog'}
b = {g: A('b' + g) for g in 'fiog'}
Wy, by = (A('Wy'), A('by')) if out != 'none' else (None, None)
sig = lambda z: 1 / (1 + np.exp(-z))

# forward
hs, cs, acts, gates = [h0], [c0], [], []
for t in range(T):
    a = np.concatenate([hs[-1], x[t]])
    f, i, o = (sig(W[g] @ a + b[g]) for g in 'fio')
    g = np.tanh(W['g'] @ a + b['g'])
    c = f * cs[-1] + i * g
    h = o * np.tanh(c)
    acts.append(a); gates.append((f, i, o, g)); cs.append(c); hs.append(h)

def head(h, target):
    """loss at one read-out and its gradient with respect to h"""
    if out == 'none':
        r = h
    else:
        u = Wy @ h + by
        r = u if out == 'identity' else np.exp(u - u.max()) / np.exp(u - u.max()).sum()
    if loss == 'cross-entropy':
        E, dr_u = -np.sum(target * np.log(r)), r - target  # softmax + cross-entropy: d/du = p - y (one-hot or distribution summing to 1)
        return E, r, Wy.T @ dr_u, np.outer(dr_u, h), dr_u
    k = 0.5 if loss == 'half-squared-error' else 1.0
    E, dr = k * np.sum((r - target) ** 2), 2 * k * (r - target)
    if out == 'none':
        return E, r, dr, None, None
    return E, r, Wy.T @ dr, np.outer(dr, h), dr

E = 0.0
dh_out = [np.zeros(H) for _ in range(T + 1)]
dWy = np.zeros_like(Wy) if Wy is not None else None
dby = np.zeros_like(by) if by is not None else None
reads = range(1, T + 1) if m2m else [T]
readout = {}
for t in reads:
    e, r, dh, dW_, db_ = head(hs[t], y[t - 1] if m2m else y)
    E += e; dh_out[t] += dh; readout[t] = r
    if dW_ is not None: dWy += dW_; dby += db_

# backward through time
dW = {g: np.zeros_like(W[g]) for g in 'fiog'}
db = {g: np.zeros_like(b[g]) for g in 'fiog'}
dh_next, dc_next = np.zeros(H), np.zeros(H)
dh_at, dc_at = {}, {}
for t in range(T, 0, -1):
    f, i, o, g = gates[t - 1]
    c, c_prev, a = cs[t], cs[t - 1], acts[t - 1]
    dh = dh_out[t] + dh_next
    dh_at[t] = dh
    do = dh * np.tanh(c)
    dc = dh * o * (1 - np.tanh(c) ** 2) + dc_next
    dc_at[t] = dc
    df, di, dg = dc * c_prev, dc * g, dc * i
    dz = {'f': df * f * (1 - f), 'i': di * i * (1 - i), 'o': do * o * (1 - o), 'g': dg * (1 - g ** 2)}
    da = np.zeros_like(a)
    for k in 'fiog':
        dW[k] += np.outer(dz[k], a); db[k] += dz[k]; da += W[k].T @ dz[k]
    dh_next, dc_next = da[:H], dc * f

values = {'c': np.array(cs[1:]).tolist(), 'h': np.array(hs[1:]).tolist(), 'E': E}
if out == 'softmax':
    values['p'] = (np.array([readout[t] for t in reads]) if m2m else readout[T]).tolist()
grads = {**{'W' + k: dW[k].tolist() for k in 'fiog'}, **{'b' + k: db[k].tolist() for k in 'fiog'}}
if Wy is not None: grads['Wy'], grads['by'] = dWy.tolist(), dby.tolist()
for t in range(1, T + 1): grads[f'h[{t}]'], grads[f'c[{t}]'] = dh_at[t].tolist(), dc_at[t].tolist()
print(json.dumps({'values': values, 'gradients': {'E': grads}}))
