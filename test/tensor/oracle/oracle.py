#!/usr/bin/env python3
"""Independent NumPy oracle for gradsheet's tensor and time problems.

Run from the repository root:   python3 test/tensor/oracle/oracle.py
Writes test/tensor/oracle/expected.json.

Everything here is written from the problem files and /work/shared/PROBLEM-FORMAT.md
(section 2.7, section 4) only; no code of the tool was read or used.

* Every forward pass is plain float64 NumPy.
* Every backward pass is written by hand (matrix-calculus formulas; see README.md).
* Every asked gradient of the hand-written backward pass is checked against central
  finite differences (h = 1e-6) of this file's own forward pass, and against a
  five-point stencil (h = 1e-3, truncation error O(h^4)); the script raises (exit 1)
  when any entry disagrees by more than the tolerance.

The given values are hard-coded below (each block names its file), read carefully from
the files. At run time they are compared with the files themselves: with PyYAML when it
is importable, else with the small reader `read_given` below (the `given` blocks of
these ten files are one `name: JSON-value` per line). Any mismatch is an error. With
PyYAML the `ask` lists are compared as well.
"""
import json
import math
import os
import re
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PROBLEMS_DIR = os.path.join(ROOT, "problems")


def A(v):
    return np.array(v, dtype=np.float64)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def softmax_vec(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def softmax_rows(S):
    e = np.exp(S - S.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def relu(z):
    return np.maximum(z, 0.0)


def step(z):
    return (z > 0).astype(np.float64)


class Perturb:
    """Adds a perturbation to an intermediate node right after it is computed.

    Keys are the wrt strings of the problem files: "z1", "Z", "h[2]", "c[2]"...
    Used only by the finite-difference check of adjoints of intermediate nodes."""

    def __init__(self, d=None):
        self.d = d or {}

    def __call__(self, key, value):
        if key in self.d:
            return value + self.d[key]
        return value


NOP = Perturb()


# ---------------------------------------------------------------------------
# 1. tensor-mlp-softmax.yaml
# ---------------------------------------------------------------------------
MLP_GIVEN = {  # from problems/tensor-mlp-softmax.yaml
    "x": [1, -2, 0.5],
    "W1": [[0.2, -0.1, 0.4], [-0.3, 0.5, 0.1], [0.6, 0.2, -0.5], [0.1, -0.4, 0.3]],
    "b1": [0.1, 0.2, -0.1, 0.05],
    "W2": [[0.3, -0.2, 0.5, 0.1], [-0.4, 0.6, 0.2, -0.3], [0.2, 0.1, -0.6, 0.4]],
    "b2": [0.05, -0.05, 0.1],
    "t": [0, 1, 0],
}


def mlp_forward(P, pt=NOP):
    z1 = pt("z1", P["W1"] @ P["x"] + P["b1"])
    h = relu(z1)
    z2 = pt("z2", P["W2"] @ h + P["b2"])
    p = softmax_vec(z2)
    E = -np.sum(P["t"] * np.log(p))
    return {"z1": z1, "h": h, "z2": z2, "p": p, "E": E}


def mlp_backward(P, F):
    t = P["t"]
    assert abs(t.sum() - 1) < 1e-15
    dz2 = F["p"] - t                       # softmax + CE, sum(t) = 1
    dW2 = np.outer(dz2, F["h"])            # dz2 h^T
    db2 = dz2
    dh = P["W2"].T @ dz2
    dz1 = dh * step(F["z1"])
    dW1 = np.outer(dz1, P["x"])            # dz1 x^T
    db1 = dz1
    return {"E": {"z2": dz2, "z1": dz1, "W2": dW2, "b2": db2, "W1": dW1, "b1": db1}}


# ---------------------------------------------------------------------------
# 2. tensor-softmax-regression.yaml
# ---------------------------------------------------------------------------
SREG_GIVEN = {  # from problems/tensor-softmax-regression.yaml
    "X": [[1, 2, -1], [0.5, -1, 2]],
    "W": [[0.1, -0.2, 0.3], [0.4, 0.1, -0.1], [-0.3, 0.2, 0.2], [0.05, 0.3, -0.2]],
    "b": [0.1, 0, -0.1, 0.2],
    "Y": [[0, 0, 1, 0], [1, 0, 0, 0]],
    "lambda": 0.1,
}


def sreg_forward(P, pt=NOP):
    Z = pt("Z", P["X"] @ P["W"].T + P["b"])          # b added to each row
    Pm = softmax_rows(Z)
    E = -np.sum(P["Y"] * np.log(Pm)) / 2 + P["lambda"] / 2 * np.sum(P["W"] ** 2)
    return {"Z": Z, "P": Pm, "E": E}


def sreg_backward(P, F):
    Y = P["Y"]
    assert np.allclose(Y.sum(axis=1), 1)
    dZ = (F["P"] - Y) / 2                   # mean CE over N = 2 rows
    dW = dZ.T @ P["X"] + P["lambda"] * P["W"]
    db = dZ.sum(axis=0)
    return {"E": {"Z": dZ, "W": dW, "b": db}}


# ---------------------------------------------------------------------------
# 3. tensor-batchnorm-backward.yaml  (upstream G)
# ---------------------------------------------------------------------------
BN_GIVEN = {  # from problems/tensor-batchnorm-backward.yaml
    "X": [[1, 2, -1], [0.5, -1, 2], [2, 0, 1], [-1, 1.5, 0]],
    "gamma": [1.5, 0.5, -1],
    "beta": [0.1, -0.2, 0.3],
    "eps": 0.00001,
    "G": [[0.1, -0.2, 0.3], [0.4, 0.1, -0.1], [-0.3, 0.2, 0.2], [0.05, 0.3, -0.2]],
}


def bn_forward(P, pt=NOP):
    X = P["X"]
    mu = X.mean(axis=0)                     # mean(X, 1): down the rows, d values
    Xc = X - mu
    var = (Xc ** 2).mean(axis=0)            # biased (1/N) variance
    Xhat = Xc / np.sqrt(var + P["eps"])
    Y = P["gamma"] * Xhat + P["beta"]
    return {"mu": mu, "Xc": Xc, "var": var, "Xhat": Xhat, "Y": Y}


def bn_backward(P, F):
    G = P["G"]
    N = G.shape[0]
    inv = 1.0 / np.sqrt(F["var"] + P["eps"])
    Xhat = F["Xhat"]
    dgamma = (G * Xhat).sum(axis=0)
    dbeta = G.sum(axis=0)
    dXhat = G * P["gamma"]
    dX = inv / N * (N * dXhat - dXhat.sum(axis=0) - Xhat * (dXhat * Xhat).sum(axis=0))
    return {"Y": {"X": dX, "gamma": dgamma, "beta": dbeta}}


# ---------------------------------------------------------------------------
# 4. tensor-attention-head.yaml
# ---------------------------------------------------------------------------
ATT_GIVEN = {  # from problems/tensor-attention-head.yaml
    "X": [[1, 0, -1, 0.5], [0, 2, 1, -1], [0.5, -0.5, 0, 1]],
    "Wq": [[0.2, -0.1], [0.4, 0.3], [-0.5, 0.1], [0.1, 0.2]],
    "Wk": [[-0.3, 0.2], [0.1, 0.5], [0.2, -0.4], [0.3, 0.1]],
    "Wv": [[0.5, -0.2], [-0.1, 0.3], [0.2, 0.2], [-0.4, 0.1]],
    "T": [[1, 0], [0, 1], [0.5, 0.5]],
}


def att_forward(P, pt=NOP):
    X = P["X"]
    Q = X @ P["Wq"]
    K = X @ P["Wk"]
    V = X @ P["Wv"]
    S = Q @ K.T / math.sqrt(2)
    Am = softmax_rows(S)
    O = Am @ V
    E = np.sum((O - P["T"]) ** 2) / 2
    return {"Q": Q, "K": K, "V": V, "S": S, "A": Am, "O": O, "E": E}


def att_backward(P, F):
    X = P["X"]
    dO = F["O"] - P["T"]
    dA = dO @ F["V"].T
    dV = F["A"].T @ dO
    Am = F["A"]
    dS = Am * (dA - (dA * Am).sum(axis=1, keepdims=True))   # row-softmax Jacobian
    dQ = dS @ F["K"] / math.sqrt(2)
    dK = dS.T @ F["Q"] / math.sqrt(2)
    return {"E": {"Wq": X.T @ dQ, "Wk": X.T @ dK, "Wv": X.T @ dV}}


# ---------------------------------------------------------------------------
# 5. tensor-tied-autoencoder.yaml
# ---------------------------------------------------------------------------
TIED_GIVEN = {  # from problems/tensor-tied-autoencoder.yaml
    "x": [1, 0, -1, 0.5],
    "W": [[0.2, -0.3, 0.1, 0.4], [-0.1, 0.5, 0.3, -0.2], [0.3, 0.1, -0.4, 0.2]],
    "b": [0.1, -0.1, 0.05],
    "c": [0, 0.1, -0.1, 0.2],
}


def tied_forward(P, pt=NOP):
    z = P["W"] @ P["x"] + P["b"]
    h = sigmoid(z)
    r = P["W"].T @ h + P["c"]
    E = np.sum((r - P["x"]) ** 2) / 2
    return {"z": z, "h": h, "r": r, "E": E}


def tied_backward(P, F):
    dr = F["r"] - P["x"]
    dc = dr
    dh = P["W"] @ dr
    dz = dh * F["h"] * (1 - F["h"])
    db = dz
    dW = np.outer(dz, P["x"]) + np.outer(F["h"], dr)     # encoder term + decoder term
    return {"E": {"W": dW, "b": db, "c": dc}}


# ---------------------------------------------------------------------------
# 6. tensor-residual-block.yaml
# ---------------------------------------------------------------------------
RES_GIVEN = {  # from problems/tensor-residual-block.yaml
    "x": [1, -0.5, 2],
    "W1": [[0.5, -0.2, 0.1], [0.3, 0.4, -0.3], [-0.2, 0.1, 0.6]],
    "b1": [0.1, -0.1, 0.2],
    "W2": [[0.2, 0.3, -0.1], [-0.4, 0.2, 0.5], [0.1, -0.3, 0.2]],
    "b2": [0, 0.1, -0.2],
    "t": [1, 0, 1.5],
}


def res_forward(P, pt=NOP):
    x = P["x"]
    z1 = P["W1"] @ x + P["b1"]
    a = relu(z1)
    z2 = P["W2"] @ a + P["b2"]
    y = relu(z2 + x)
    E = np.sum((y - P["t"]) ** 2) / 2
    return {"z1": z1, "a": a, "z2": z2, "y": y, "E": E}


def res_backward(P, F):
    x = P["x"]
    dy = F["y"] - P["t"]
    dpre = dy * step(F["z2"] + x)          # adjoint of z2 + x
    dz2 = dpre
    dW2 = np.outer(dz2, F["a"])
    db2 = dz2
    da = P["W2"].T @ dz2
    dz1 = da * step(F["z1"])
    dW1 = np.outer(dz1, x)
    db1 = dz1
    dx = P["W1"].T @ dz1 + dpre            # through the block + through the skip
    return {"E": {"x": dx, "W1": dW1, "b1": db1, "W2": dW2, "b2": db2}}


# ---------------------------------------------------------------------------
# 7. time-lstm.yaml
# ---------------------------------------------------------------------------
LSTM_GIVEN = {  # from problems/time-lstm.yaml
    "x": [[1, -1], [0.5, 2], [-1.5, 0.5]],
    "y": [[0.5, -0.5], [0, 1], [1, 0]],
    "h0": [0, 0],
    "c0": [0.1, -0.2],
    "Wf": [[0.1, -0.2, 0.3, 0.05], [0.2, 0.1, -0.1, 0.4]],
    "Wi": [[-0.3, 0.2, 0.1, 0.2], [0.4, -0.1, 0.2, -0.3]],
    "Wo": [[0.2, 0.3, -0.2, 0.1], [-0.1, 0.2, 0.4, 0.1]],
    "Wg": [[0.5, -0.4, 0.3, 0.2], [-0.2, 0.3, -0.5, 0.4]],
    "bf": [0.5, 0.5],
    "bi": [0, 0.1],
    "bo": [-0.1, 0],
    "bg": [0.05, -0.05],
}
LSTM_STEPS = 3


def lstm_forward(P, pt=NOP):
    T = LSTM_STEPS
    hp, cp = P["h0"], P["c0"]
    seq = {k: [] for k in "afiogch"}
    E = 0.0
    for t in range(1, T + 1):
        a = np.concatenate([hp, P["x"][t - 1]])
        f = sigmoid(P["Wf"] @ a + P["bf"])
        i = sigmoid(P["Wi"] @ a + P["bi"])
        o = sigmoid(P["Wo"] @ a + P["bo"])
        g = np.tanh(P["Wg"] @ a + P["bg"])
        c = pt("c[%d]" % t, f * cp + i * g)
        h = pt("h[%d]" % t, o * np.tanh(c))
        for k, v in zip("afiogch", (a, f, i, o, g, c, h)):
            seq[k].append(v)
        E += np.sum((h - P["y"][t - 1]) ** 2)
        hp, cp = h, c
    out = {k: np.array(v) for k, v in seq.items()}
    out["E"] = E / 2
    return out


def lstm_backward(P, F):
    T = LSTM_STEPS
    H = P["h0"].shape[0]
    grads = {k: np.zeros_like(P[k]) for k in ("Wf", "Wi", "Wo", "Wg", "bf", "bi", "bo", "bg")}
    dh_next = np.zeros(H)      # dE/dh_t arriving from step t+1 (through a_{t+1})
    dc_next = np.zeros(H)      # dE/dc_{t+1}
    dc_total = {}
    for t in range(T, 0, -1):
        a, f, i, o, g, c, h = (F[k][t - 1] for k in "afiogch")
        c_prev = F["c"][t - 2] if t > 1 else P["c0"]
        f_next = F["f"][t] if t < T else np.zeros(H)
        dh = (h - P["y"][t - 1]) + dh_next
        tc = np.tanh(c)
        dc = dh * o * (1 - tc ** 2) + dc_next * f_next
        dc_total[t] = dc
        dzo = dh * tc * o * (1 - o)
        dzf = dc * c_prev * f * (1 - f)
        dzi = dc * g * i * (1 - i)
        dzg = dc * i * (1 - g ** 2)
        for gate, dz in (("f", dzf), ("i", dzi), ("o", dzo), ("g", dzg)):
            grads["W" + gate] += np.outer(dz, a)
            grads["b" + gate] += dz
        da = P["Wf"].T @ dzf + P["Wi"].T @ dzi + P["Wo"].T @ dzo + P["Wg"].T @ dzg
        dh_next = da[:H]
        dc_next = dc
    grads["c[2]"] = dc_total[2]
    return {"E": grads}


# ---------------------------------------------------------------------------
# 8. time-gru.yaml
# ---------------------------------------------------------------------------
GRU_GIVEN = {  # from problems/time-gru.yaml
    "x": [[1, 0.5], [-0.5, 2]],
    "h0": [0.2, -0.1],
    "Wu": [[0.3, -0.2], [0.1, 0.4]],
    "Uu": [[0.2, 0.1], [-0.3, 0.2]],
    "bu": [0, 0.1],
    "Wr": [[-0.1, 0.3], [0.2, 0.2]],
    "Ur": [[0.4, -0.2], [0.1, 0.3]],
    "br": [0.1, 0],
    "Wn": [[0.5, 0.1], [-0.4, 0.3]],
    "Un": [[0.3, 0.2], [0.2, -0.5]],
    "bn": [-0.1, 0.05],
    "v": [1, -0.5],
    "y": 0.5,
}
GRU_STEPS = 2


def gru_forward(P, pt=NOP):
    hp = P["h0"]
    seq = {k: [] for k in "urnh"}
    for t in range(1, GRU_STEPS + 1):
        x = P["x"][t - 1]
        u = sigmoid(P["Wu"] @ x + P["Uu"] @ hp + P["bu"])
        r = sigmoid(P["Wr"] @ x + P["Ur"] @ hp + P["br"])
        n = np.tanh(P["Wn"] @ x + P["Un"] @ (r * hp) + P["bn"])
        h = pt("h[%d]" % t, (1 - u) * hp + u * n)
        for k, val in zip("urnh", (u, r, n, h)):
            seq[k].append(val)
        hp = h
    out = {k: np.array(val) for k, val in seq.items()}
    q = float(P["v"] @ hp)                 # v^T h_T: a scalar
    out["q"] = q
    out["E"] = (q - P["y"]) ** 2 / 2
    return out


def gru_backward(P, F):
    grads = {k: np.zeros_like(P[k]) for k in ("Wu", "Uu", "bu", "Wr", "Ur", "br", "Wn", "Un", "bn")}
    dq = F["q"] - P["y"]
    grads["v"] = dq * F["h"][-1]
    dh = dq * P["v"]                        # dE/dh_T
    for t in range(GRU_STEPS, 0, -1):
        x = P["x"][t - 1]
        hp = F["h"][t - 2] if t > 1 else P["h0"]
        u, r, n = F["u"][t - 1], F["r"][t - 1], F["n"][t - 1]
        dh_prev = dh * (1 - u)
        du = dh * (n - hp)
        dn = dh * u
        dzn = dn * (1 - n ** 2)
        grads["Wn"] += np.outer(dzn, x)
        grads["Un"] += np.outer(dzn, r * hp)
        grads["bn"] += dzn
        drh = P["Un"].T @ dzn               # adjoint of r * h_{t-1}
        dr = drh * hp
        dh_prev += drh * r
        dzr = dr * r * (1 - r)
        dzu = du * u * (1 - u)
        grads["Wr"] += np.outer(dzr, x)
        grads["Ur"] += np.outer(dzr, hp)
        grads["br"] += dzr
        grads["Wu"] += np.outer(dzu, x)
        grads["Uu"] += np.outer(dzu, hp)
        grads["bu"] += dzu
        dh_prev += P["Uu"].T @ dzu + P["Ur"].T @ dzr
        dh = dh_prev
    return {"E": grads}


# ---------------------------------------------------------------------------
# 9. time-rnn-many-to-one.yaml
# ---------------------------------------------------------------------------
M2O_GIVEN = {  # from problems/time-rnn-many-to-one.yaml
    "x": [[1, 0], [0.5, -1], [-1, 2], [0, 1]],
    "h0": [0, 0, 0],
    "Wh": [[0.5, -0.3, 0.1], [0.2, 0.4, -0.2], [-0.1, 0.3, 0.6]],
    "Wx": [[0.4, -0.2], [0.1, 0.3], [-0.5, 0.2]],
    "b": [0.1, 0, -0.1],
    "Wy": [[0.3, -0.4, 0.2], [-0.2, 0.5, 0.1]],
    "c": [0, 0.1],
    "l": [0, 1],
}
M2O_STEPS = 4


def m2o_forward(P, pt=NOP):
    hp = P["h0"]
    zs, hs = [], []
    for t in range(1, M2O_STEPS + 1):
        z = pt("z[%d]" % t, P["Wh"] @ hp + P["Wx"] @ P["x"][t - 1] + P["b"])
        h = pt("h[%d]" % t, np.tanh(z))
        zs.append(z)
        hs.append(h)
        hp = h
    p = softmax_vec(P["Wy"] @ hp + P["c"])
    E = -np.sum(P["l"] * np.log(p))
    return {"z": np.array(zs), "h": np.array(hs), "p": p, "E": E}


def m2o_backward(P, F):
    T = M2O_STEPS
    assert abs(P["l"].sum() - 1) < 1e-15
    grads = {k: np.zeros_like(P[k]) for k in ("Wh", "Wx", "b")}
    dh = P["Wy"].T @ (F["p"] - P["l"])     # dE/dh_T
    dhs, dzs = {}, {}
    for t in range(T, 0, -1):
        h = F["h"][t - 1]
        hp = F["h"][t - 2] if t > 1 else P["h0"]
        dz = dh * (1 - h ** 2)
        dhs[t], dzs[t] = dh, dz
        grads["Wh"] += np.outer(dz, hp)
        grads["Wx"] += np.outer(dz, P["x"][t - 1])
        grads["b"] += dz
        dh = P["Wh"].T @ dz
    grads["h[2]"] = dhs[2]
    grads["z[2]"] = dzs[2]
    return {"E": grads}


# ---------------------------------------------------------------------------
# 10. time-stacked-rnn.yaml
# ---------------------------------------------------------------------------
STK_GIVEN = {  # from problems/time-stacked-rnn.yaml
    "x": [[1, -1], [0.5, 0.5], [-1, 2]],
    "d": [[0.5], [-0.5], [1]],
    "h1_0": [0, 0],
    "h2_0": [0, 0],
    "U1": [[0.3, -0.2], [0.1, 0.4]],
    "W1": [[0.5, 0.1], [-0.3, 0.2]],
    "b1": [0, 0.1],
    "U2": [[0.2, 0.1], [-0.1, 0.3]],
    "W2": [[0.4, -0.3], [0.2, 0.5]],
    "b2": [0.1, -0.1],
    "V": [[1, -0.5]],
}
STK_STEPS = 3


def stk_forward(P, pt=NOP):
    h1p, h2p = P["h1_0"], P["h2_0"]
    H1, H2, Ys = [], [], []
    E = 0.0
    for t in range(1, STK_STEPS + 1):
        h1 = np.tanh(P["U1"] @ h1p + P["W1"] @ P["x"][t - 1] + P["b1"])
        h2 = np.tanh(P["U2"] @ h2p + P["W2"] @ h1 + P["b2"])
        y = P["V"] @ h2                     # a vector of size 1
        E += np.sum((y - P["d"][t - 1]) ** 2)
        H1.append(h1), H2.append(h2), Ys.append(y)
        h1p, h2p = h1, h2
    return {"h1": np.array(H1), "h2": np.array(H2), "y": np.array(Ys), "E": E / 2}


def stk_backward(P, F):
    T = STK_STEPS
    grads = {k: np.zeros_like(P[k]) for k in ("U1", "W1", "b1", "U2", "W2", "b2", "V")}
    dz1_next = np.zeros(2)
    dz2_next = np.zeros(2)
    for t in range(T, 0, -1):
        h1, h2 = F["h1"][t - 1], F["h2"][t - 1]
        h1p = F["h1"][t - 2] if t > 1 else P["h1_0"]
        h2p = F["h2"][t - 2] if t > 1 else P["h2_0"]
        dy = F["y"][t - 1] - P["d"][t - 1]
        grads["V"] += np.outer(dy, h2)
        dh2 = P["V"].T @ dy + P["U2"].T @ dz2_next
        dz2 = dh2 * (1 - h2 ** 2)
        grads["U2"] += np.outer(dz2, h2p)
        grads["W2"] += np.outer(dz2, h1)
        grads["b2"] += dz2
        dh1 = P["W2"].T @ dz2 + P["U1"].T @ dz1_next
        dz1 = dh1 * (1 - h1 ** 2)
        grads["U1"] += np.outer(dz1, h1p)
        grads["W1"] += np.outer(dz1, P["x"][t - 1])
        grads["b1"] += dz1
        dz1_next, dz2_next = dz1, dz2
    return {"E": grads}


# ---------------------------------------------------------------------------
# The problems, their asks (as written in the files), and non-differentiability guards
# ---------------------------------------------------------------------------
PROBLEMS = [
    dict(file="tensor-mlp-softmax.yaml", id="tensor-mlp-softmax", given=MLP_GIVEN,
         forward=mlp_forward, backward=mlp_backward,
         ask=[{"forward": ["z1", "h", "z2", "p", "E"]},
              {"gradient": {"of": "E", "wrt": ["z2", "z1", "W2", "b2", "W1", "b1"]}}],
         kinks=lambda P, F: [F["z1"]]),
    dict(file="tensor-softmax-regression.yaml", id="tensor-softmax-regression", given=SREG_GIVEN,
         forward=sreg_forward, backward=sreg_backward,
         ask=[{"forward": ["Z", "P", "E"]},
              {"gradient": {"of": "E", "wrt": ["Z", "W", "b"]}},
              {"update": {"rule": "sgd", "rate": 0.5, "params": ["W", "b"]}}]),
    dict(file="tensor-batchnorm-backward.yaml", id="tensor-batchnorm-backward", given=BN_GIVEN,
         forward=bn_forward, backward=bn_backward,
         ask=[{"forward": ["mu", "var", "Xhat", "Y"]},
              {"gradient": {"of": "Y", "upstream": "G", "wrt": ["X", "gamma", "beta"]}}]),
    dict(file="tensor-attention-head.yaml", id="tensor-attention-head", given=ATT_GIVEN,
         forward=att_forward, backward=att_backward,
         ask=[{"forward": ["S", "A", "O", "E"]},
              {"gradient": {"of": "E", "wrt": ["Wq", "Wk", "Wv"]}}]),
    dict(file="tensor-tied-autoencoder.yaml", id="tensor-tied-autoencoder", given=TIED_GIVEN,
         forward=tied_forward, backward=tied_backward,
         ask=[{"forward": ["z", "h", "r", "E"]},
              {"gradient": {"of": "E", "wrt": ["W", "b", "c"]}}]),
    dict(file="tensor-residual-block.yaml", id="tensor-residual-block", given=RES_GIVEN,
         forward=res_forward, backward=res_backward,
         ask=[{"forward": ["z1", "a", "z2", "y", "E"]},
              {"gradient": {"of": "E", "wrt": ["x", "W1", "b1", "W2", "b2"]}}],
         kinks=lambda P, F: [F["z1"], F["z2"] + P["x"]]),
    dict(file="time-lstm.yaml", id="time-lstm", given=LSTM_GIVEN,
         forward=lstm_forward, backward=lstm_backward,
         ask=[{"forward": ["c", "h", "E"]},
              {"gradient": {"of": "E", "wrt": ["Wf", "Wi", "Wo", "Wg", "bf", "bi", "bo", "bg", "c[2]"]}}]),
    dict(file="time-gru.yaml", id="time-gru", given=GRU_GIVEN,
         forward=gru_forward, backward=gru_backward,
         ask=[{"forward": ["u", "r", "n", "h", "q", "E"]},
              {"gradient": {"of": "E", "wrt": ["Wu", "Uu", "bu", "Wr", "Ur", "br", "Wn", "Un", "bn", "v"]}}]),
    dict(file="time-rnn-many-to-one.yaml", id="time-rnn-many-to-one", given=M2O_GIVEN,
         forward=m2o_forward, backward=m2o_backward,
         ask=[{"forward": ["h", "p", "E"]},
              {"gradient": {"of": "E", "wrt": ["h[2]", "z[2]", "Wh", "Wx", "b"]}}]),
    dict(file="time-stacked-rnn.yaml", id="time-stacked-rnn", given=STK_GIVEN,
         forward=stk_forward, backward=stk_backward,
         ask=[{"forward": ["h1", "h2", "y", "E"]},
              {"gradient": {"of": "E", "wrt": ["U1", "W1", "b1", "U2", "W2", "b2", "V"]}}]),
]


# ---------------------------------------------------------------------------
# Reading the files (only to confirm the hard-coded values)
# ---------------------------------------------------------------------------
def read_given(path):
    """Minimal reader for these files' `given:` block: one `  name: <JSON>` per line."""
    out, inside = {}, False
    with open(path) as fh:
        for line in fh:
            if re.match(r"^given:\s*$", line):
                inside = True
                continue
            if inside:
                if line.strip() == "" or line.lstrip().startswith("#"):
                    continue
                if not line.startswith(" "):
                    break
                m = re.match(r"^\s+([A-Za-z][A-Za-z0-9_]*):\s*(.+?)\s*$", line)
                if not m:
                    raise SystemExit("%s: cannot read given line %r" % (path, line))
                out[m.group(1)] = json.loads(m.group(2))
    return out


def read_id(path):
    with open(path) as fh:
        for line in fh:
            m = re.match(r"^id:\s*(\S+)\s*$", line)
            if m:
                return m.group(1)
    return None


def confirm_file(prob):
    path = os.path.join(PROBLEMS_DIR, prob["file"])
    if not os.path.exists(path):
        print("note: %s not found; using the hard-coded values" % path)
        return
    try:
        import yaml  # noqa: F401
        with open(path) as fh:
            doc = yaml.safe_load(fh)
        given, pid, ask = doc["given"], doc["id"], doc["ask"]
    except ImportError:
        given, pid, ask = read_given(path), read_id(path), None
    if pid != prob["id"]:
        raise SystemExit("%s: id %r, expected %r" % (path, pid, prob["id"]))
    if set(given) != set(prob["given"]):
        raise SystemExit("%s: given names %s differ from the hard-coded %s"
                         % (path, sorted(given), sorted(prob["given"])))
    for k, v in prob["given"].items():
        a, b = A(given[k]), A(v)
        if a.shape != b.shape or not np.array_equal(a, b):
            raise SystemExit("%s: given %s = %r differs from the hard-coded %r" % (path, k, given[k], v))
    if ask is not None and ask != prob["ask"]:
        raise SystemExit("%s: ask %r differs from the hard-coded %r" % (path, ask, prob["ask"]))


# ---------------------------------------------------------------------------
# Finite differences
# ---------------------------------------------------------------------------
def scalar_fn(prob, of, upstream):
    def f(P, pt=NOP):
        F = prob["forward"](P, pt)
        if upstream is not None:
            return float(np.sum(P[upstream] * F[of]))
        return float(F[of])
    return f


def node_value(F, key):
    m = re.match(r"^([A-Za-z][A-Za-z0-9_]*)\[(\d+)\]$", key)
    if m:
        return F[m.group(1)][int(m.group(2)) - 1]
    return F[key]


def fd_gradient(f, P, F, key, h, five_point=False):
    """Central differences of f with respect to leaf `key` of P, or intermediate node `key`."""
    is_leaf = key in P
    base = A(P[key]) if is_leaf else A(node_value(F, key))
    g = np.zeros_like(base)
    for idx in np.ndindex(*base.shape) if base.shape else [()]:
        def at(eps):
            if is_leaf:
                Q = dict(P)
                arr = base.copy()
                arr[idx] += eps
                Q[key] = arr
                return f(Q)
            d = np.zeros_like(base)
            d[idx] = eps
            return f(P, Perturb({key: d}))
        if five_point:
            g[idx] = (-at(2 * h) + 8 * at(h) - 8 * at(-h) + at(-2 * h)) / (12 * h)
        else:
            g[idx] = (at(h) - at(-h)) / (2 * h)
    return g


def compare(analytic, numeric, rel_tol, abs_tol):
    """Per-entry check |a - n| <= rel_tol |a| + abs_tol (abs_tol covers the finite
    differences' rounding noise, about eps |E| / h). Returns (ok, worst relative error over
    the nonzero entries of a, worst absolute error over all entries)."""
    a, n = np.asarray(analytic, float), np.asarray(numeric, float)
    diff = np.abs(a - n)
    ok = bool(np.all(diff <= rel_tol * np.abs(a) + abs_tol))
    nz = a != 0
    worst_rel = float(np.max(diff[nz] / np.abs(a[nz]))) if np.any(nz) else 0.0
    return ok, worst_rel, float(np.max(diff)) if a.size else 0.0


# ---------------------------------------------------------------------------
def tolist(v):
    """Nested lists of Python floats in the tensor's shape; -0.0 is written as 0.0."""
    if isinstance(v, np.ndarray):
        v = v + 0.0  # turns -0.0 into 0.0
        if v.ndim == 0:
            return float(v)
        return v.tolist()
    return float(v) + 0.0


def main():
    results, report = {}, {}
    failures = []
    for prob in PROBLEMS:
        confirm_file(prob)
        P = {k: A(v) for k, v in prob["given"].items()}
        for k in P:
            if P[k].ndim == 0:
                P[k] = float(P[k])
        F = prob["forward"](P)
        # never at a kink of relu/step: every kink argument well away from 0
        if "kinks" in prob:
            for arr in prob["kinks"](P, F):
                if np.min(np.abs(arr)) < 1e-2:
                    failures.append("%s: a relu argument is within 1e-2 of 0" % prob["id"])
        B = prob["backward"](P, F)
        entry = {"values": {}, "gradients": {}}
        worst_c = worst_5 = worst_abs = worst_abs5 = 0.0
        nzero = 0
        for item in prob["ask"]:
            if "forward" in item:
                for name in item["forward"]:
                    entry["values"][name] = tolist(F[name])
            elif "gradient" in item:
                gi = item["gradient"]
                of, up = gi["of"], gi.get("upstream")
                f = scalar_fn(prob, of, up)
                out = entry["gradients"].setdefault(of, {})
                for key in gi["wrt"]:
                    an = np.asarray(B[of][key], float)
                    ref_shape = np.shape(P[key]) if key in P else np.shape(node_value(F, key))
                    if an.shape != ref_shape:
                        failures.append("%s: d%s/d%s has shape %s, expected %s"
                                        % (prob["id"], of, key, an.shape, ref_shape))
                    fd = fd_gradient(f, P, F, key, 1e-6)
                    fd5 = fd_gradient(f, P, F, key, 1e-3, five_point=True)
                    ok_c, rc, ac = compare(an, fd, 1e-6, 1e-9)
                    ok_5, r5, a5 = compare(an, fd5, 1e-8, 1e-12)
                    worst_c, worst_5 = max(worst_c, rc), max(worst_5, r5)
                    worst_abs, worst_abs5 = max(worst_abs, ac), max(worst_abs5, a5)
                    nzero += int(np.sum(an == 0))
                    if not (ok_c and ok_5):
                        failures.append("%s: d%s/d%s disagrees with finite differences: "
                                        "central rel %.3g abs %.3g, five-point rel %.3g abs %.3g"
                                        "\nhand:\n%s\ncentral fd:\n%s\nfive-point fd:\n%s"
                                        % (prob["id"], of, key, rc, ac, r5, a5, an, fd, fd5))
                    out[key] = tolist(an)
            elif "update" in item:
                u = item["update"]
                assert u["rule"] == "sgd"
                upd = entry.setdefault("updates", {})
                for name in u["params"]:
                    g = np.asarray(B["E"][name], float)
                    upd[name] = tolist(np.asarray(P[name]) - u["rate"] * g)
        results[prob["id"]] = entry
        report[prob["id"]] = (worst_c, worst_abs, worst_5, worst_abs5, nzero)

    print("worst per-entry error of the hand-written gradients against finite differences")
    print("(relative: over entries that are not exactly 0; absolute: over all entries)")
    print("%-27s %13s %11s %13s %11s %6s" % ("problem", "rel h=1e-6", "abs h=1e-6",
                                           "rel 5pt 1e-3", "abs 5pt", "zeros"))
    for pid, (rc, ac, r5, a5, nz) in report.items():
        print("%-27s %13.2e %11.2e %13.2e %11.2e %6d" % (pid, rc, ac, r5, a5, nz))
    if failures:
        print("\nFAILED:\n" + "\n".join(failures), file=sys.stderr)
        sys.exit(1)
    path = os.path.join(HERE, "expected.json")
    with open(path, "w") as fh:
        json.dump(results, fh, indent=1)
        fh.write("\n")
    print("\nall gradients agree with finite differences; wrote", os.path.relpath(path, ROOT))


if __name__ == "__main__":
    main()
