#!/usr/bin/env python3
"""Test-only: build an answers.json (contract 6.2 shape) for oracle.py without gradsheet.

    python3 make_answers.py PROBLEM.yaml --count N --seed S [--no-require] [--relu0 0|1] > answers.json

Written separately from oracle.py on purpose: the forward pass is a second implementation in
plain-Python mpmath (50 significant digits), and every gradient is a high-precision central
difference (h = 1e-20) of that forward pass, not a backward pass. So when oracle.py accepts
these files at 1e-9, its hand-written backward agrees with an unrelated computation.

Draws: each element of a `uniform` tensor is lo + k*step (k uniform), `choice` picks a whole
value; `require` lines are evaluated with Python's eval over helper functions (not oracle.py's
parser) and a failing draw is redrawn, unless --no-require. --relu0 picks relu'(0) at an exact
tie (default 0, the contract's step(0) = 0).
"""

import argparse
import json
import random
import re
import sys

import mpmath as mp
import yaml

mp.mp.dps = 50
H = mp.mpf("1e-20")
TIE = mp.mpf("1e-10")   # far above the FD step times |x|, far below the 0.05 grid of z1


def num(v):
    if isinstance(v, str) and "/" in v:
        a, b = v.split("/")
        return mp.mpf(a) / mp.mpf(b)
    return mp.mpf(str(v))


def nest(v, f):
    return [nest(e, f) for e in v] if isinstance(v, list) else f(v)


def shape_of(v):
    return [len(v)] + shape_of(v[0]) if isinstance(v, list) else []


# ---------------------------------------------------------------- MLP, scalar loops

def mlp(P, inj, relu0):
    x, W1, b1, W2, b2, t = (P[k] for k in ["x", "W1", "b1", "W2", "b2", "t"])
    z1 = [sum(W1[j][k] * x[k] for k in range(len(x))) + b1[j] for j in range(len(b1))]
    z1 = [z1[j] + inj.get(("z1", j), 0) for j in range(len(z1))]
    # relu with a chosen derivative at an exact tie (values within TIE of 0)
    h = [z if (z > TIE if relu0 == 0 else z > -TIE) else mp.mpf(0) for z in z1]
    z2 = [sum(W2[k][j] * h[j] for j in range(len(h))) + b2[k] for k in range(len(b2))]
    z2 = [z2[k] + inj.get(("z2", k), 0) for k in range(len(z2))]
    s = sum(mp.exp(z) for z in z2)
    p = [mp.exp(z) / s for z in z2]
    E = -sum(t[k] * mp.log(p[k]) for k in range(len(p)))
    return {"z1": z1, "h": h, "z2": z2, "p": p, "E": E}


# ---------------------------------------------------------------- LSTM, scalar loops

def sig(z):
    return 1 / (1 + mp.exp(-z))


def lstm(P, inj, N):
    Hn = len(P["h0"])
    hp, cp = list(P["h0"]), list(P["c0"])
    out = {"c": [], "h": []}
    E = mp.mpf(0)
    for t in range(N):
        a = hp + list(P["x"][t])

        def gate(W, b, fn):
            return [fn(sum(P[W][r][q] * a[q] for q in range(len(a))) + P[b][r]) for r in range(Hn)]

        f = gate("Wf", "bf", sig)
        i = gate("Wi", "bi", sig)
        o = gate("Wo", "bo", sig)
        g = gate("Wg", "bg", mp.tanh)
        c = [f[r] * cp[r] + i[r] * g[r] + inj.get(("c", t + 1, r), 0) for r in range(Hn)]
        h = [o[r] * mp.tanh(c[r]) for r in range(Hn)]
        E += sum((h[r] - P["y"][t][r]) ** 2 for r in range(Hn)) / 2
        out["c"].append(c)
        out["h"].append(h)
        hp, cp = h, c
    out["E"] = E
    return out


# ---------------------------------------------------------------- require, via Python eval

class Seq(list):
    """1-based step/element selection: c[3] is step 3."""

    def __getitem__(self, k):
        return list.__getitem__(self, k - 1)


def flat(v):
    return [e for x in v for e in flat(x)] if isinstance(v, list) else [v]


def require_ok(line, env):
    helpers = {
        "max": lambda v: max(flat(v)), "min": lambda v: min(flat(v)), "sum": lambda v: sum(flat(v)),
        "abs": lambda v: [abs(e) for e in flat(v)] if isinstance(v, list) else abs(v),
        "step": lambda v: [1 if e > TIE else 0 for e in flat(v)] if isinstance(v, list) else int(v > TIE),
    }
    ns = dict(helpers)
    ns.update({k: Seq(Seq(r) if isinstance(r, list) else r for r in v) if isinstance(v, list) else v
               for k, v in env.items()})
    return bool(eval(line, {"__builtins__": {}}, ns))


# ---------------------------------------------------------------- driver

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("problem")
    ap.add_argument("--count", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-require", action="store_true")
    ap.add_argument("--relu0", type=int, default=0, choices=[0, 1])
    ap.add_argument("--given", help="JSON object overriding given values of variant 1 (no draws)")
    a = ap.parse_args()
    prob = yaml.safe_load(open(a.problem))
    pid = prob["id"]
    N = int(prob["network"].get("steps", 1))
    forward, grads = [], []
    for item in prob["ask"]:
        forward += item.get("forward", [])
        if "gradient" in item:
            grads += [(item["gradient"]["of"], w) for w in item["gradient"]["wrt"]]
    spec = prob.get("variants", {})
    out = []
    for v in range(1, a.count + 1):
        rng = random.Random(f"{a.seed}-{v}")
        for attempt in range(10000):
            given = json.loads(json.dumps(prob["given"]))
            for name, rule in spec.get("given", {}).items():
                if "uniform" in rule:
                    lo, hi = rule["uniform"]
                    st = rule["step"]
                    n = int(round((hi - lo) / st))
                    given[name] = nest(given[name], lambda _: round(lo + rng.randint(0, n) * st, 10))
                else:
                    given[name] = rng.choice(rule["choice"])
            if a.given and v == 1:
                given.update(json.loads(a.given))
            P = {k: nest(val, num) for k, val in given.items()}
            run = (lambda inj: mlp(P, inj, a.relu0)) if pid == "variants-mlp-softmax" else (lambda inj: lstm(P, inj, N))
            F = run({})
            env = dict(P)
            env.update(F)
            if a.no_require or a.given or all(require_ok(r, env) for r in spec.get("require", [])):
                break
        values = {k: nest(F[k], float) if isinstance(F[k], list) else float(F[k]) for k in forward}
        G = {}
        for of, wrt in grads:
            m = re.fullmatch(r"([A-Za-z]\w*)(?:\[(\d+)\])?", wrt)
            name, step = m.group(1), m.group(2)

            def fd(perturb):
                return float((run(perturb(+H))["E"] - run(perturb(-H))["E"]) / (2 * H))

            if step is not None:                      # a step of a sequence node: inject into it
                size = len(F[name][int(step) - 1])
                G[wrt] = [fd(lambda d, r=r: {(name, int(step), r): d}) for r in range(size)]
            elif name in P:                           # a leaf: perturb the given value itself
                def entry(idx):
                    vals = []
                    for d in (+H, -H):
                        ref = P[name]
                        for q in idx[:-1]:
                            ref = ref[q]
                        ref[idx[-1]] += d
                        vals.append(run({})["E"])
                        ref[idx[-1]] -= d
                    return float((vals[0] - vals[1]) / (2 * H))
                shp = shape_of(P[name])
                if len(shp) == 1:
                    G[wrt] = [entry((r,)) for r in range(shp[0])]
                else:
                    G[wrt] = [[entry((r, q)) for q in range(shp[1])] for r in range(shp[0])]
            else:                                     # an intermediate vector node
                G[wrt] = [fd(lambda d, r=r: {(name, r): d}) for r in range(len(F[name]))]
        out.append({"variant": v, "seed": f"{a.seed}-{v}", "given": given, "values": values,
                    "gradients": {"E": G}})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
