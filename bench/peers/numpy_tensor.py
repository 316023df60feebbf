"""NumPy forward and hand-written backward of the benchmark networks (bench/tensor.ts).

Usage: python3 numpy_tensor.py (mlp|rnn) LEAVES.json ITERATIONS
Prints {"ms": per-iteration milliseconds of forward + backward, "grads": {name: row-major values}}.
Written from the textbook formulas, not from gradsheet's code; the caller checks the gradients agree.
"""
import json
import sys
import time

import numpy as np


def load(path):
    raw = json.load(open(path))
    return {k: np.array(v["data"], dtype=np.float64).reshape(v["shape"]) for k, v in raw.items()}


def mlp(L):
    W1, b1, W2, b2, x, t = L["W1"], L["b1"], L["W2"], L["b2"], L["x"], L["t"]
    z1 = W1 @ x + b1
    h = np.maximum(z1, 0)
    z2 = W2 @ h + b2
    p = np.exp(z2 - z2.max())
    p /= p.sum()
    d2 = p - t
    d1 = (W2.T @ d2) * (z1 > 0)
    return {"W1": np.outer(d1, x), "b1": d1, "W2": np.outer(d2, h), "b2": d2}


def rnn(L):
    x, l, Wh, Wx, b, Wy, c, h0 = L["x"], L["l"], L["Wh"], L["Wx"], L["b"], L["Wy"], L["c"], L["h0"]
    T = x.shape[0]
    hs = [h0]
    ys = []
    for t in range(T):
        h = np.tanh(Wh @ hs[-1] + Wx @ x[t] + b)
        hs.append(h)
        u = Wy @ h + c
        y = np.exp(u - u.max())
        ys.append(y / y.sum())
    gWh, gWx, gb, gWy, gc = (np.zeros_like(a) for a in (Wh, Wx, b, Wy, c))
    dnext = np.zeros_like(h0)
    for t in reversed(range(T)):
        du = ys[t] - l[t]
        gWy += np.outer(du, hs[t + 1])
        gc += du
        dz = (Wh.T @ dnext + Wy.T @ du) * (1 - hs[t + 1] ** 2)
        gWh += np.outer(dz, hs[t])
        gWx += np.outer(dz, x[t])
        gb += dz
        dnext = dz
    return {"Wh": gWh, "Wx": gWx, "b": gb, "Wy": gWy, "c": gc}


def main():
    kind, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    L = load(path)
    f = mlp if kind == "mlp" else rnn
    f(L)
    t0 = time.perf_counter()
    for _ in range(n):
        g = f(L)
    ms = (time.perf_counter() - t0) / n * 1000
    print(json.dumps({"ms": ms, "grads": {k: v.ravel().tolist() for k, v in g.items()}}))


main()
