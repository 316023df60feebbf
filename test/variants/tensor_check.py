"""Independent NumPy check of the variants of problems/variants-mlp-softmax.yaml
and problems/variants-lstm.yaml, written from the problem files alone (not from
gradsheet's code).

    python3 tensor_check.py mlp|lstm ANSWERS.json

Reads answers.json (contract 6.2: one object per variant with its `given`
values) and, for every variant:
  - recomputes the forward pass in float64 and compares the asked values;
  - recomputes the asked gradients: the MLP by its textbook backward pass
    (delta2 = p - t, dE/dW2 = delta2 h^T, delta1 = W2^T delta2 * step(z1),
    dE/dW1 = delta1 x^T), the LSTM by central differences of the forward pass
    (c[2] perturbed after it is computed, so its path through h[2] counts);
  - checks every `require` line of the problem, that no pre-activation sits on
    a kink (relu at 0), that the fixed values are the problem's, and that no two
    variants drew the same values.
Prints a JSON report {variants, checked, maxRelDiff, failures}; exit 1 on any failure.
"""
import json
import sys

import numpy as np

REL = 1e-9  # values and the MLP's analytic gradients
FD_REL = 1e-6  # the LSTM's central differences


def close(a, b, rel):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= rel * np.maximum(1, np.abs(b))))


def rel_diff(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(1, np.abs(b)))) if a.shape == b.shape else float("inf")


def softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def check_mlp(v, fail, diffs):
    g = {k: np.array(x, float) for k, x in v["given"].items()}
    x, W1, b1, W2, b2, t = g["x"], g["W1"], g["b1"], g["W2"], g["b2"], g["t"]
    if not (np.array_equal(b1, [0.1, 0.2, -0.1, 0.05]) and np.array_equal(b2, [0.05, -0.05, 0.1])):
        fail("the fixed biases are not the problem's")
    if not any(np.array_equal(t, row) for row in np.eye(3)):
        fail(f"t = {t} is not one of the one-hot rows")
    z1 = W1 @ x + b1
    h = np.maximum(z1, 0)
    z2 = W2 @ h + b2
    p = softmax(z2)
    E = -np.sum(t * np.log(p))
    # require lines
    if not np.max(np.abs(z1)) < 2.5:
        fail(f"max(abs(z1)) = {np.max(np.abs(z1))} is not < 2.5")
    if not np.sum(z1 > 0) >= 2:
        fail(f"sum(step(z1)) = {np.sum(z1 > 0)} is not >= 2")
    if not np.min(p) > 0.05:
        fail(f"min(p) = {np.min(p)} is not > 0.05")
    if np.min(np.abs(z1)) < 1e-9:
        fail(f"z1 = {z1} has an entry on relu's kink")
    d2 = p - t
    dW2 = np.outer(d2, h)
    d1 = (W2.T @ d2) * (z1 > 0)
    want_values = {"z1": z1, "p": p, "E": E}
    want_grads = {"z2": d2, "W2": dW2, "W1": np.outer(d1, x), "b1": d1}
    for k, w in want_values.items():
        diffs.append(rel_diff(v["values"][k], w))
        if not close(v["values"][k], w, REL):
            fail(f"values.{k}: {v['values'][k]} != {w.tolist() if hasattr(w, 'tolist') else w}")
    for k, w in want_grads.items():
        diffs.append(rel_diff(v["gradients"]["E"][k], w))
        if not close(v["gradients"]["E"][k], w, REL):
            fail(f"gradients.E.{k} differs from NumPy")
    return (x, W1, W2, t)


def sig(u):
    return 1 / (1 + np.exp(-u))


def lstm_forward(g, dc2=None):
    h, c = g["h0"], g["c0"]
    cs, hs, E = [], [], 0.0
    for s in range(3):
        a = np.concatenate([h, g["x"][s]])
        f = sig(g["Wf"] @ a + g["bf"])
        i = sig(g["Wi"] @ a + g["bi"])
        o = sig(g["Wo"] @ a + g["bo"])
        gg = np.tanh(g["Wg"] @ a + g["bg"])
        c = f * c + i * gg
        if s == 1 and dc2 is not None:
            c = c + dc2
        h = o * np.tanh(c)
        cs.append(c)
        hs.append(h)
        E += 0.5 * np.sum((h - g["y"][s]) ** 2)
    return np.array(cs), np.array(hs), E


def fd(g, name, eps=1e-6):
    base = g[name] if name != "c2" else np.zeros(2)
    out = np.zeros_like(base)
    for idx in np.ndindex(base.shape):
        vals = []
        for sgn in (1, -1):
            gg = dict(g)
            if name == "c2":
                d = np.zeros(2)
                d[idx] = sgn * eps
                vals.append(lstm_forward(gg, d)[2])
            else:
                m = base.copy()
                m[idx] += sgn * eps
                gg[name] = m
                vals.append(lstm_forward(gg)[2])
        out[idx] = (vals[0] - vals[1]) / (2 * eps)
    return out


def check_lstm(v, fail, diffs):
    g = {k: np.array(x, float) for k, x in v["given"].items()}
    fixed = {"y": [[0.5, -0.5], [0, 1], [1, 0]], "h0": [0, 0], "c0": [0.1, -0.2], "bf": [0.5, 0.5], "bi": [0, 0.1], "bo": [-0.1, 0], "bg": [0.05, -0.05],
             "Wi": [[-0.3, 0.2, 0.1, 0.2], [0.4, -0.1, 0.2, -0.3]], "Wo": [[0.2, 0.3, -0.2, 0.1], [-0.1, 0.2, 0.4, 0.1]]}
    for k, w in fixed.items():
        if not np.array_equal(g[k], w):
            fail(f"the fixed value {k} is not the problem's")
    cs, hs, E = lstm_forward(g)
    if not np.max(np.abs(cs[2])) < 1.5:
        fail(f"max(abs(c[3])) = {np.max(np.abs(cs[2]))} is not < 1.5")
    for k, w in {"c": cs, "h": hs, "E": E}.items():
        diffs.append(rel_diff(v["values"][k], w))
        if not close(v["values"][k], w, REL):
            fail(f"values.{k} differs from NumPy")
    for k, name in [("Wf", "Wf"), ("Wg", "Wg"), ("bf", "bf"), ("c[2]", "c2")]:
        w = fd(g, name)
        if not close(v["gradients"]["E"][k], w, FD_REL):
            fail(f"gradients.E.{k} differs from central differences by {rel_diff(v['gradients']['E'][k], w):.2e}")
    return (g["x"], g["Wf"], g["Wg"])


def main():
    which, path = sys.argv[1], sys.argv[2]
    variants = json.load(open(path))
    failures, diffs, seen = [], [], {}
    for v in variants:
        def fail(msg, k=v["variant"]):
            failures.append(f"variant {k}: {msg}")
        drawn = (check_mlp if which == "mlp" else check_lstm)(v, fail, diffs)
        sig_ = tuple(np.concatenate([np.ravel(a) for a in drawn]).tolist())
        if sig_ in seen:
            fail(f"draws the same values as variant {seen[sig_]}")
        seen[sig_] = v["variant"]
    print(json.dumps({"variants": len(variants), "checked": [v["variant"] for v in variants] == list(range(1, len(variants) + 1)),
                      "maxRelDiff": max(diffs) if diffs else None, "failures": failures[:20]}))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
