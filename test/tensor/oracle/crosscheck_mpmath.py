#!/usr/bin/env python3
"""Second, optional cross-check of expected.json (not needed to produce it).

oracle.py checks its hand-written backward passes against finite differences of its own
NumPy forward passes. A misreading of an equation that both passes share would still pass
that check. This script therefore writes every forward pass a second time, entry by entry
with explicit index loops over mpmath numbers (no NumPy, no broadcasting), at 60 significant
digits. It differentiates by central differences with h = 1e-25 (error far below double
precision), then compares every value, gradient and update in expected.json
(|mpmath - expected| <= 1e-12 |mpmath| + 1e-15 per entry).

Run from the repository root:  python3 test/tensor/oracle/crosscheck_mpmath.py
"""
import json
import os
import sys

import mpmath as mp

mp.mp.dps = 60
H = mp.mpf("1e-25")

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import oracle  # noqa: E402  (only for the hard-coded given values)


def shape_of(v):
    if isinstance(v, list):
        return [len(v)] + shape_of(v[0])
    return []


def flat(t):
    if isinstance(t, list):
        return [e for s in t for e in flat(s)]
    return [t]


def mv(M, v):
    return [sum(M[i][j] * v[j] for j in range(len(v))) for i in range(len(M))]


def mm(Am, Bm):
    return [[sum(Am[i][k] * Bm[k][j] for k in range(len(Bm))) for j in range(len(Bm[0]))] for i in range(len(Am))]


def tr(M):
    return [[M[i][j] for i in range(len(M))] for j in range(len(M[0]))]


def add(a, b):
    return [x + y for x, y in zip(a, b)]


def smax(v):
    e = [mp.exp(x) for x in v]
    s = sum(e)
    return [x / s for x in e]


def sig(x):
    return 1 / (1 + mp.exp(-x))


def relu(x, at=None):
    return x if x > 0 else mp.mpf(0)


def to_mp(v):
    if isinstance(v, list):
        return [to_mp(e) for e in v]
    return mp.mpf(str(v))


def zeros(shape):
    if not shape:
        return mp.mpf(0)
    return [zeros(shape[1:]) for _ in range(shape[0])]


def setup(prob, extra=()):
    """The values of every given leaf, and zero perturbations of intermediate nodes."""
    S = {k: to_mp(v) for k, v in prob["given"].items()}
    for k, shp in extra:
        S[k] = zeros(shp)
    return S, None


def build(pid, prob, override=None):
    """Returns (nodes, scalar objective, values used)."""
    base_setup = setup

    def setup_(prob, extra=()):
        S, _ = base_setup(prob, extra)
        S.update(override or {})
        return S, None
    return _build(pid, prob, setup_)[:3]


def _build(pid, prob, setup):
    if pid == "tensor-mlp-softmax":
        S, at = setup(prob, [("z1", [4]), ("z2", [3])])
        z1 = add(add(mv(S["W1"], S["x"]), S["b1"]), S["z1"])
        h = [relu(v, at) for v in z1]
        z2 = add(add(mv(S["W2"], h), S["b2"]), S["z2"])
        p = smax(z2)
        E = -sum(t * mp.log(q) for t, q in zip(S["t"], p))
        return dict(z1=z1, h=h, z2=z2, p=p, E=E), E, S, at
    if pid == "tensor-softmax-regression":
        S, at = setup(prob, [("Z", [2, 4])])
        X, W, b = S["X"], S["W"], S["b"]
        Z = [[sum(X[n][k] * W[j][k] for k in range(3)) + b[j] + S["Z"][n][j] for j in range(4)] for n in range(2)]
        P = [smax(row) for row in Z]
        E = -sum(S["Y"][n][j] * mp.log(P[n][j]) for n in range(2) for j in range(4)) / 2 \
            + S["lambda"] / 2 * sum(w ** 2 for w in flat(W))
        return dict(Z=Z, P=P, E=E), E, S, at
    if pid == "tensor-batchnorm-backward":
        S, at = setup(prob)
        X, N, d = S["X"], 4, 3
        mu = [sum(X[n][j] for n in range(N)) / N for j in range(d)]
        var = [sum((X[n][j] - mu[j]) ** 2 for n in range(N)) / N for j in range(d)]
        Xhat = [[(X[n][j] - mu[j]) / mp.sqrt(var[j] + S["eps"]) for j in range(d)] for n in range(N)]
        Y = [[S["gamma"][j] * Xhat[n][j] + S["beta"][j] for j in range(d)] for n in range(N)]
        L = sum(S["G"][n][j] * Y[n][j] for n in range(N) for j in range(d))
        return dict(mu=mu, var=var, Xhat=Xhat, Y=Y), L, S, at
    if pid == "tensor-attention-head":
        S, at = setup(prob)
        Q, K, V = mm(S["X"], S["Wq"]), mm(S["X"], S["Wk"]), mm(S["X"], S["Wv"])
        Sm = [[e / mp.sqrt(2) for e in row] for row in mm(Q, tr(K))]
        Am = [smax(row) for row in Sm]
        O = mm(Am, V)
        E = sum((O[i][j] - S["T"][i][j]) ** 2 for i in range(3) for j in range(2)) / 2
        return dict(S=Sm, A=Am, O=O, E=E), E, S, at
    if pid == "tensor-tied-autoencoder":
        S, at = setup(prob)
        z = add(mv(S["W"], S["x"]), S["b"])
        h = [sig(v) for v in z]
        r = add(mv(tr(S["W"]), h), S["c"])
        E = sum((ri - xi) ** 2 for ri, xi in zip(r, S["x"])) / 2
        return dict(z=z, h=h, r=r, E=E), E, S, at
    if pid == "tensor-residual-block":
        S, at = setup(prob)
        z1 = add(mv(S["W1"], S["x"]), S["b1"])
        a = [relu(v, at) for v in z1]
        z2 = add(mv(S["W2"], a), S["b2"])
        y = [relu(v + xi, at) for v, xi in zip(z2, S["x"])]
        E = sum((yi - ti) ** 2 for yi, ti in zip(y, S["t"])) / 2
        return dict(z1=z1, a=a, z2=z2, y=y, E=E), E, S, at
    if pid == "time-lstm":
        S, at = setup(prob, [("c[2]", [2])])
        h, c = S["h0"], S["c0"]
        cs, hs, E = [], [], 0
        for t in range(3):
            a = h + S["x"][t]
            f = [sig(v) for v in add(mv(S["Wf"], a), S["bf"])]
            i = [sig(v) for v in add(mv(S["Wi"], a), S["bi"])]
            o = [sig(v) for v in add(mv(S["Wo"], a), S["bo"])]
            g = [mp.tanh(v) for v in add(mv(S["Wg"], a), S["bg"])]
            c = [f[k] * c[k] + i[k] * g[k] for k in range(2)]
            if t == 1:
                c = add(c, S["c[2]"])
            h = [o[k] * mp.tanh(c[k]) for k in range(2)]
            cs.append(c), hs.append(h)
            E += sum((h[k] - S["y"][t][k]) ** 2 for k in range(2))
        E = E / 2
        return dict(c=cs, h=hs, E=E), E, S, at
    if pid == "time-gru":
        S, at = setup(prob)
        h = S["h0"]
        us, rs, ns, hs = [], [], [], []
        for t in range(2):
            x = S["x"][t]
            u = [sig(v) for v in add(add(mv(S["Wu"], x), mv(S["Uu"], h)), S["bu"])]
            r = [sig(v) for v in add(add(mv(S["Wr"], x), mv(S["Ur"], h)), S["br"])]
            n = [mp.tanh(v) for v in add(add(mv(S["Wn"], x), mv(S["Un"], [r[k] * h[k] for k in range(2)])), S["bn"])]
            h = [(1 - u[k]) * h[k] + u[k] * n[k] for k in range(2)]
            us.append(u), rs.append(r), ns.append(n), hs.append(h)
        q = sum(S["v"][k] * h[k] for k in range(2))
        E = (q - S["y"]) ** 2 / 2
        return dict(u=us, r=rs, n=ns, h=hs, q=q, E=E), E, S, at
    if pid == "time-rnn-many-to-one":
        S, at = setup(prob, [("h[2]", [3]), ("z[2]", [3])])
        h, hs = S["h0"], []
        for t in range(4):
            z = add(add(mv(S["Wh"], h), mv(S["Wx"], S["x"][t])), S["b"])
            if t == 1:
                z = add(z, S["z[2]"])
            h = [mp.tanh(v) for v in z]
            if t == 1:
                h = add(h, S["h[2]"])
            hs.append(h)
        p = smax(add(mv(S["Wy"], h), S["c"]))
        E = -sum(l_ * mp.log(q) for l_, q in zip(S["l"], p))
        return dict(h=hs, p=p, E=E), E, S, at
    if pid == "time-stacked-rnn":
        S, at = setup(prob)
        h1, h2 = S["h1_0"], S["h2_0"]
        H1, H2, Ys, E = [], [], [], 0
        for t in range(3):
            h1 = [mp.tanh(v) for v in add(add(mv(S["U1"], h1), mv(S["W1"], S["x"][t])), S["b1"])]
            h2 = [mp.tanh(v) for v in add(add(mv(S["U2"], h2), mv(S["W2"], h1)), S["b2"])]
            y = mv(S["V"], h2)
            H1.append(h1), H2.append(h2), Ys.append(y)
            E += sum((y[k] - S["d"][t][k]) ** 2 for k in range(1))
        E = E / 2
        return dict(h1=H1, h2=H2, y=Ys, E=E), E, S, at
    raise KeyError(pid)


def get(t, idx):
    for i in idx:
        t = t[i]
    return t


def bumped(t, idx, eps):
    """A deep copy of nested list t with entry idx increased by eps."""
    if not idx:
        return t + eps
    t = list(t)
    t[idx[0]] = bumped(t[idx[0]], idx[1:], eps)
    return t


def indices(shape):
    if not shape:
        yield ()
        return
    for i in range(shape[0]):
        for rest in indices(shape[1:]):
            yield (i,) + rest


def derivative(pid, prob, base, key, idx):
    fp = build(pid, prob, {key: bumped(base[key], idx, H)})[1]
    fm = build(pid, prob, {key: bumped(base[key], idx, -H)})[1]
    return (fp - fm) / (2 * H)


def close(a, b):
    """Per entry: |a - b| <= 1e-12 |a| + 1e-15."""
    return abs(a - b) <= 1e-12 * abs(a) + 1e-15


def main():
    with open(os.path.join(HERE, "expected.json")) as fh:
        expected = json.load(fh)
    bad = 0
    for prob in oracle.PROBLEMS:
        pid = prob["id"]
        nodes, obj, base = build(pid, prob)
        exp = expected[pid]
        worst = 0.0

        def cmp(what, x, v):
            nonlocal bad, worst
            x = float(x)
            if x != 0:
                worst = max(worst, abs(x - v) / abs(x))
            if not close(x, v):
                bad += 1
                print("%s: %s: mpmath %r, expected.json %r" % (pid, what, x, v))

        for name, val in exp["values"].items():
            mine = nodes[name]
            shp = shape_of(mine)
            if shp != shape_of(val):
                bad += 1
                print("%s: value %s has shape %s in expected.json, %s here" % (pid, name, shape_of(val), shp))
                continue
            for idx in indices(shp):
                cmp("value %s%s" % (name, list(idx)), get(mine, idx), get(val, idx))
        for of, grads in exp["gradients"].items():
            for key, val in grads.items():
                shp = shape_of(base[key])
                if shp != shape_of(val):
                    bad += 1
                    print("%s: d%s/d%s has shape %s in expected.json, %s here" % (pid, of, key, shape_of(val), shp))
                    continue
                for idx in indices(shp):
                    cmp("d%s/d%s%s" % (of, key, list(idx)), derivative(pid, prob, base, key, idx), get(val, idx))
        for name, val in exp.get("updates", {}).items():
            rate = [i["update"]["rate"] for i in prob["ask"] if "update" in i][0]
            for idx in indices(shape_of(base[name])):
                x = get(base[name], idx) - mp.mpf(str(rate)) * derivative(pid, prob, base, name, idx)
                cmp("update %s%s" % (name, list(idx)), x, get(val, idx))
        print("%-28s worst |mpmath - expected| / |mpmath| = %.2e" % (pid, worst))
    if bad:
        print("FAILED: %d entries differ" % bad, file=sys.stderr)
        sys.exit(1)
    print("expected.json agrees with the independent mpmath rewrite")


if __name__ == "__main__":
    main()
