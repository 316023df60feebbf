#!/usr/bin/env python3
"""Independent NumPy oracle for gradsheet's tensor variants.

    python3 oracle.py PROBLEM.yaml ANSWERS.json        (ANSWERS.json may be "-" for stdin)

Handles exactly two problems, detected by their `id`:
  variants-mlp-softmax   z1 = W1 x + b1, h = relu(z1), z2 = W2 h + b2, p = softmax(z2), E = -sum(t log p)
  variants-lstm          an LSTM unrolled over `network.steps` steps, E = 1/2 sum_t ||h_t - y_t||^2

For every variant in ANSWERS.json (contract 6.2) it
  * checks the variant's `given` against the problem file (fixed values unchanged, drawn values
    inside their `uniform` range and on its `step` grid, or one of the `choice` values),
  * recomputes every value under `ask: forward` and every gradient under `ask: gradient` with a
    hand-written forward and backward pass (nothing here comes from gradsheet's code),
  * verifies that backward pass against central finite differences of its own forward pass,
  * compares with the variant's `values` / `gradients` to |a - b| <= 1e-9 * max(1, |b|),
  * evaluates each `require` line of the problem's `variants` section on the recomputed numbers,
  * checks `distinct: true` (no two variants share their drawn values).
It prints one JSON line {"variants", "checked", "worst", "failures", ...} and exits 1 on any failure
(2 on unusable input).
"""

import json
import math
import re
import sys
from fractions import Fraction

import numpy as np
import yaml

REL_TOL = 1e-9          # tool vs oracle: |a - b| <= REL_TOL * max(1, |b|)
FD_TOL = 1e-6           # oracle backward vs central differences (the contract's criterion, 6.1)
FD_H = 1e-6             # central-difference step
MAX_LISTED_FAILURES = 200


class InputError(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# numbers and shapes

def to_number(v, where):
    if isinstance(v, bool):
        raise InputError(f"{where}: boolean where a number was expected")
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str):
        s = v.strip()
        try:
            return float(Fraction(s))
        except (ValueError, ZeroDivisionError):
            pass
    raise InputError(f"{where}: not a number: {v!r}")


def to_array(v, where):
    """Nested JSON/YAML lists of numbers -> float64 array (rectangular)."""
    if isinstance(v, dict):
        raise InputError(f"{where}: unsupported given form {v!r} (only literal values)")
    if isinstance(v, list):
        rows = [to_array(e, f"{where}[{k + 1}]") for k, e in enumerate(v)]
        shapes = {r.shape for r in rows}
        if len(shapes) > 1:
            raise InputError(f"{where}: ragged array")
        return np.array(rows, dtype=float) if rows else np.zeros((0,))
    return np.array(to_number(v, where), dtype=float)


def exact(v):
    """The decimal a given number stands for, as a Fraction (0.30000000000000004 -> 3/10)."""
    return Fraction(float(v)).limit_denominator(10 ** 9)


def fmt_index(idx):
    return "[" + ",".join(str(i + 1) for i in idx) + "]" if idx else ""


# ----------------------------------------------------------------------------------------------
# the MLP: forward, backward (by hand), exact z1

def mlp_forward(P, inject=None):
    """P: dict of arrays x, W1, b1, W2, b2, t.  inject: {node: array added to that node}."""
    inj = inject or {}
    z1 = P["W1"] @ P["x"] + P["b1"] + inj.get("z1", 0.0)
    h = np.maximum(z1, 0.0) + inj.get("h", 0.0)
    z2 = P["W2"] @ h + P["b2"] + inj.get("z2", 0.0)
    m = np.max(z2)
    e = np.exp(z2 - m)
    p = e / np.sum(e) + inj.get("p", 0.0)
    E = -np.sum(P["t"] * np.log(p))
    return {"z1": z1, "h": h, "z2": z2, "p": p, "E": np.array(E)}


def mlp_backward(P, F, z1_sign, tie_step=0.0):
    """Gradients of E with respect to every node and leaf.

    dE/dp  = -t / p                        (p as a node of its own)
    dE/dz2 = p * sum(t) - t  (= p - t for a one-hot or distribution t)
    dE/dW2 = dz2 h^T,  dE/db2 = dz2,  dE/dh = W2^T dz2
    dE/dz1 = (W2^T dz2) * step(z1),  dE/dW1 = dz1 x^T,  dE/db1 = dz1,  dE/dx = W1^T dz1
    z1_sign is the sign of the exact z1 (-1, 0, 1); tie_step is the value used for relu'(0)
    (the contract's step(0) = 0).  The float z1 of an exact tie may be +-1e-17, hence the exact sign.
    """
    t, p, h = P["t"], F["p"], F["h"]
    dp = -t / p
    dz2 = p * np.sum(t) - t
    dW2 = np.outer(dz2, h)
    db2 = dz2
    dh = P["W2"].T @ dz2
    relu_prime = np.where(z1_sign > 0, 1.0, np.where(z1_sign < 0, 0.0, tie_step))
    dz1 = dh * relu_prime
    dW1 = np.outer(dz1, P["x"])
    db1 = dz1
    dx = P["W1"].T @ dz1
    return {"p": dp, "z2": dz2, "W2": dW2, "b2": db2, "h": dh, "z1": dz1,
            "W1": dW1, "b1": db1, "x": dx}


def mlp_exact_z1(P):
    """z1 in exact rational arithmetic from the decimals of the given values (for ties and `require`)."""
    W1, x, b1 = P["W1"], P["x"], P["b1"]
    out = []
    for j in range(W1.shape[0]):
        s = exact(b1[j])
        for k in range(W1.shape[1]):
            s += exact(W1[j, k]) * exact(x[k])
        out.append(s)
    return out


class MLP:
    leaves = ["x", "W1", "b1", "W2", "b2"]
    nodes = ["z1", "h", "z2", "p"]
    targets = ["t"]

    def __init__(self, problem):
        self.problem = problem

    def params(self, given):
        P = {}
        for k in ["x", "W1", "b1", "W2", "b2", "t"]:
            P[k] = to_array(given[k], f"given.{k}")
        nh, nx = P["W1"].shape if P["W1"].ndim == 2 else (None, None)
        if P["x"].ndim != 1 or P["W1"].ndim != 2 or P["W1"].shape[1] != P["x"].shape[0] \
                or P["b1"].shape != (nh,) or P["W2"].ndim != 2 or P["W2"].shape[1] != nh \
                or P["b2"].shape != (P["W2"].shape[0],) or P["t"].shape != P["b2"].shape:
            raise InputError("given: shapes do not fit the MLP "
                             + ", ".join(f"{k}{list(v.shape)}" for k, v in P.items()))
        return P

    def solve(self, P):
        F = mlp_forward(P)
        z1x = mlp_exact_z1(P)
        sign = np.array([(v > 0) - (v < 0) for v in z1x], dtype=float)
        G = mlp_backward(P, F, sign, tie_step=0.0)
        ties = [j for j, v in enumerate(z1x) if v == 0]
        alts = []
        if ties:
            # relu is not differentiable at 0: the other convention, relu'(0) = 1, is also accepted
            alts.append(mlp_backward(P, F, sign, tie_step=1.0))
        # numbers for `require`: z1 (and h) rounded from their exact values, so a tie is exactly 0
        R = dict(P)
        R.update(F)
        R["z1"] = np.array([float(v) for v in z1x])
        R["h"] = np.maximum(R["z1"], 0.0)
        notes = [f"z1[{j + 1}] = 0 exactly: relu'(0) is a convention; both 0 and 1 accepted"
                 for j in ties]
        return F, G, alts, R, notes

    def fd_check(self, P, F, G):
        worst, bad, skipped = 0.0, [], []
        base_mask = F["z1"] > 0
        for name in self.leaves + self.nodes:
            shape = G[name].shape
            for idx in np.ndindex(*shape):
                vals = []
                masks_ok = True
                for sgn in (+1, -1):
                    if name in self.leaves:
                        Q = {k: v.copy() for k, v in P.items()}
                        Q[name][idx] += sgn * FD_H
                        Fq = mlp_forward(Q)
                        h = FD_H
                    else:
                        d = np.zeros(shape)
                        h = FD_H * (F[name][idx] if name == "p" else 1.0)
                        d[idx] = sgn * h
                        Fq = mlp_forward(P, inject={name: d})
                    if name not in ("h", "z2", "p") and not np.array_equal(Fq["z1"] > 0, base_mask):
                        masks_ok = False
                    vals.append(float(Fq["E"]))
                if not masks_ok:
                    skipped.append(name + fmt_index(idx))
                    continue
                fd = (vals[0] - vals[1]) / (2 * h)
                an = float(G[name][idx])
                err = abs(fd - an) / max(1.0, abs(an))
                worst = max(worst, err)
                if err > FD_TOL:
                    bad.append(f"{name}{fmt_index(idx)}: backward {an!r} vs central difference {fd!r}")
        return worst, bad, skipped


# ----------------------------------------------------------------------------------------------
# the LSTM: forward, backward through time (by hand)

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


LSTM_SEQ = ["a", "f", "i", "o", "g", "c", "h"]


def lstm_forward(P, N, inject=None):
    """P: x (N x d), y (N x H), h0, c0, Wf, Wi, Wo, Wg (H x (H+d)), bf, bi, bo, bg.
    inject: {(node, t): array added to node t right after it is computed} (t = 1..N)."""
    inj = inject or {}

    def add(name, t, v):
        return v + inj[(name, t)] if (name, t) in inj else v

    S = {k: [] for k in LSTM_SEQ}
    h_prev, c_prev = P["h0"], P["c0"]
    E = 0.0
    for t in range(1, N + 1):
        a = add("a", t, np.concatenate([h_prev, P["x"][t - 1]]))
        f = add("f", t, sigmoid(P["Wf"] @ a + P["bf"]))
        i = add("i", t, sigmoid(P["Wi"] @ a + P["bi"]))
        o = add("o", t, sigmoid(P["Wo"] @ a + P["bo"]))
        g = add("g", t, np.tanh(P["Wg"] @ a + P["bg"]))
        c = add("c", t, f * c_prev + i * g)
        h = add("h", t, o * np.tanh(c))
        E += 0.5 * np.sum((h - P["y"][t - 1]) ** 2)
        for k, v in zip(LSTM_SEQ, (a, f, i, o, g, c, h)):
            S[k].append(v)
        h_prev, c_prev = h, c
    F = {k: np.array(v) for k, v in S.items()}
    F["E"] = np.array(E)
    return F


def lstm_backward(P, F, N):
    """Backpropagation through time.  With dh_t and dc_t the TOTAL derivatives of E:

    dh_t = (h_t - y_t) + [W^T dz]_{t+1}[:H]              (0 for the second term at t = N)
    dc_t = dh_t * o_t * (1 - tanh(c_t)^2) + dc_{t+1} * f_{t+1}
    do_t = dh_t * tanh(c_t),  df_t = dc_t * c_{t-1},  di_t = dc_t * g_t,  dg_t = dc_t * i_t
    dzf = df f(1-f), dzi = di i(1-i), dzo = do o(1-o), dzg = dg (1-g^2)
    dW_k = sum_t dz_k,t a_t^T,  db_k = sum_t dz_k,t
    da_t = Wf^T dzf + Wi^T dzi + Wo^T dzo + Wg^T dzg = [dh from step t ; dx_t]
    dc0 = dc_1 * f_1,  dh0 = da_1[:H]
    """
    H = P["h0"].shape[0]
    G = {k: np.zeros_like(P[k]) for k in ["Wf", "Wi", "Wo", "Wg", "bf", "bi", "bo", "bg", "x"]}
    for k in LSTM_SEQ:
        G[k] = np.zeros_like(F[k])
    a, f, i, o, g, c, h = (F[k] for k in LSTM_SEQ)
    dh_from_next = np.zeros(H)
    dc_next = None
    for t in range(N, 0, -1):
        s = t - 1                                  # 0-based row of step t
        c_prev = c[s - 1] if t > 1 else P["c0"]
        dh = (h[s] - P["y"][s]) + dh_from_next
        tc = np.tanh(c[s])
        dc = dh * o[s] * (1 - tc ** 2)
        if t < N:
            dc = dc + dc_next * f[s + 1]
        do = dh * tc
        df = dc * c_prev
        di = dc * g[s]
        dg = dc * i[s]
        dzf = df * f[s] * (1 - f[s])
        dzi = di * i[s] * (1 - i[s])
        dzo = do * o[s] * (1 - o[s])
        dzg = dg * (1 - g[s] ** 2)
        for W, b, dz in (("Wf", "bf", dzf), ("Wi", "bi", dzi), ("Wo", "bo", dzo), ("Wg", "bg", dzg)):
            G[W] += np.outer(dz, a[s])
            G[b] += dz
        da = P["Wf"].T @ dzf + P["Wi"].T @ dzi + P["Wo"].T @ dzo + P["Wg"].T @ dzg
        G["x"][s] = da[H:]
        for k, v in zip(LSTM_SEQ, (da, df, di, do, dg, dc, dh)):
            G[k][s] = v
        dh_from_next = da[:H]
        dc_next = dc
    G["h0"] = dh_from_next
    G["c0"] = dc_next * f[0]
    return G


class LSTM:
    weights = ["Wf", "Wi", "Wo", "Wg", "bf", "bi", "bo", "bg"]

    def __init__(self, problem):
        net = problem.get("network", {})
        self.N = int(net.get("steps", 0))
        if self.N < 1:
            raise InputError("network.steps: missing for the LSTM")

    def params(self, given):
        P = {}
        for k in ["x", "y", "h0", "c0"] + self.weights:
            P[k] = to_array(given[k], f"given.{k}")
        H = P["h0"].shape[0] if P["h0"].ndim == 1 else -1
        ok = P["h0"].ndim == 1 and P["c0"].shape == (H,) and P["x"].ndim == 2 \
            and P["x"].shape[0] == self.N and P["y"].shape == (self.N, H)
        if ok:
            d = P["x"].shape[1]
            ok = all(P[W].shape == (H, H + d) for W in ["Wf", "Wi", "Wo", "Wg"]) \
                and all(P[b].shape == (H,) for b in ["bf", "bi", "bo", "bg"])
        if not ok:
            raise InputError(f"given: shapes do not fit an LSTM over {self.N} steps: "
                             + ", ".join(f"{k}{list(v.shape)}" for k, v in P.items()))
        return P

    def solve(self, P):
        F = lstm_forward(P, self.N)
        G = lstm_backward(P, F, self.N)
        R = dict(P)
        R.update(F)
        return F, G, [], R, []

    def fd_check(self, P, F, G):
        worst, bad = 0.0, []
        targets = [(k, None) for k in self.weights + ["x", "h0", "c0"]]
        targets += [(k, t) for k in LSTM_SEQ for t in range(1, self.N + 1)]
        for name, t in targets:
            shape = P[name].shape if t is None else F[name][t - 1].shape
            for idx in np.ndindex(*shape):
                vals = []
                for sgn in (+1, -1):
                    if t is None:
                        Q = {k: v.copy() for k, v in P.items()}
                        Q[name][idx] += sgn * FD_H
                        vals.append(float(lstm_forward(Q, self.N)["E"]))
                    else:
                        d = np.zeros(shape)
                        d[idx] = sgn * FD_H
                        vals.append(float(lstm_forward(P, self.N, inject={(name, t): d})["E"]))
                fd = (vals[0] - vals[1]) / (2 * FD_H)
                an = float(G[name][idx] if t is None else G[name][t - 1][idx])
                err = abs(fd - an) / max(1.0, abs(an))
                worst = max(worst, err)
                if err > FD_TOL:
                    label = name + (f"[{t}]" if t is not None else "") + fmt_index(idx)
                    bad.append(f"{label}: backward {an!r} vs central difference {fd!r}")
        return worst, bad, []


# ----------------------------------------------------------------------------------------------
# expressions: the small part of the contract's syntax used in `require` lines and answer keys

TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)"
                   r"|(<=|>=|==|!=|[-+*/^@()\[\],:<>]))")


def tokenize(s):
    pos, out = 0, []
    s = s.rstrip()
    while pos < len(s):
        m = TOKEN.match(s, pos)
        if not m or m.end() == pos:
            raise InputError(f"cannot read expression {s!r} at {s[pos:]!r}")
        num, name, op = m.groups()
        out.append(("num", float(num)) if num else ("name", name) if name else ("op", op))
        pos = m.end()
    out.append(("end", None))
    return out


ELEMENTWISE = {
    "abs": np.abs, "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "tanh": np.tanh,
    "sigmoid": sigmoid, "relu": lambda v: np.maximum(v, 0.0),
    "step": lambda v: np.where(np.asarray(v) > 0, 1.0, 0.0),
    "softplus": lambda v: np.logaddexp(0.0, v),
}
REDUCE = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min,
          "norm": lambda v: np.sqrt(np.sum(np.asarray(v) ** 2))}


class Expr:
    """Recursive-descent evaluator over a dict of arrays (sequences stored steps x size)."""

    def __init__(self, text, env):
        self.text, self.env, self.toks, self.k = text, env, tokenize(text), 0

    def peek(self):
        return self.toks[self.k]

    def take(self, kind=None, val=None):
        tok = self.toks[self.k]
        if (kind and tok[0] != kind) or (val is not None and tok[1] != val):
            raise InputError(f"expression {self.text!r}: expected {val or kind}, found {tok[1]!r}")
        self.k += 1
        return tok

    def run(self):
        v = self.comparison()
        self.take("end")
        return v

    def comparison(self):
        left = self.additive()
        tok = self.peek()
        if tok[0] == "op" and tok[1] in ("<", "<=", ">", ">=", "==", "!="):
            self.take()
            right = self.additive()
            return ("cmp", tok[1], left, right)
        return left

    def additive(self):
        v = self.multiplicative()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            w = self.multiplicative()
            v = v + w if op == "+" else v - w
        return v

    def multiplicative(self):
        v = self.matmul()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            w = self.matmul()
            v = v * w if op == "*" else v / w
        return v

    def matmul(self):
        v = self.unary()
        while self.peek() == ("op", "@"):
            self.take()
            v = np.asarray(v) @ np.asarray(self.unary())
        return v

    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return -self.unary()
        return self.power()

    def power(self):
        v = self.postfix()
        while self.peek() == ("op", "^"):
            self.take()
            if self.peek() == ("name", "T"):
                self.take()
                v = np.asarray(v)
                v = v.reshape(1, -1) if v.ndim == 1 else v.T
            else:
                v = np.asarray(v) ** self.postfix()
        return v

    def postfix(self):
        v = self.primary()
        while self.peek() == ("op", "["):
            self.take()
            idx = [self.index_item()]
            while self.peek() == ("op", ","):
                self.take()
                idx.append(self.index_item())
            self.take("op", "]")
            v = np.asarray(v)[tuple(idx)]
        return v

    def index_item(self):
        if self.peek() == ("op", ":"):
            self.take()
            return slice(None)
        i = self.int_value()
        if self.peek() == ("op", ":"):
            self.take()
            return slice(i, self.int_value() + 1)
        return i

    def int_value(self):
        v = self.additive()
        f = float(v)
        if f != int(f) or f < 1:
            raise InputError(f"expression {self.text!r}: index {f} is not a positive integer")
        return int(f) - 1                      # 1-based in the contract

    def primary(self):
        kind, val = self.take()
        if kind == "num":
            return np.array(val)
        if kind == "op" and val == "(":
            v = self.additive()
            self.take("op", ")")
            return v
        if kind == "name":
            if self.peek() == ("op", "("):
                self.take()
                args = [self.additive()]
                while self.peek() == ("op", ","):
                    self.take()
                    args.append(self.additive())
                self.take("op", ")")
                if val in ELEMENTWISE and len(args) == 1:
                    return ELEMENTWISE[val](np.asarray(args[0], dtype=float))
                if val in REDUCE and len(args) == 1:
                    return np.array(REDUCE[val](np.asarray(args[0], dtype=float)))
                if val == "dot" and len(args) == 2:
                    return np.array(np.dot(np.ravel(args[0]), np.ravel(args[1])))
                raise InputError(f"expression {self.text!r}: {val}() with {len(args)} argument(s) "
                                 "is not supported by the oracle")
            if val not in self.env:
                raise InputError(f"expression {self.text!r}: unknown name {val!r}")
            return np.asarray(self.env[val], dtype=float)
        raise InputError(f"expression {self.text!r}: unexpected {val!r}")


def resolve(key, env):
    """A value/gradient key such as `W1`, `c[2]` or `W1[2,3]` looked up in env."""
    return np.asarray(Expr(key, env).run(), dtype=float)


def eval_require(line, env):
    tree = Expr(line, env).run()
    if not (isinstance(tree, tuple) and tree[0] == "cmp"):
        v = np.asarray(tree)
        return bool(np.all(v != 0)), float(np.ravel(v)[0]) if v.size else None, None
    _, op, left, right = tree
    l, r = np.asarray(left, dtype=float), np.asarray(right, dtype=float)
    res = {"<": l < r, "<=": l <= r, ">": l > r, ">=": l >= r, "==": l == r, "!=": l != r}[op]
    return bool(np.all(res)), l, r


# ----------------------------------------------------------------------------------------------
# comparing numbers

class Tally:
    def __init__(self):
        self.checked = 0
        self.worst = {"error": 0.0}
        self.failures = []
        self.failure_count = 0

    def fail(self, msg):
        self.failure_count += 1
        if len(self.failures) < MAX_LISTED_FAILURES:
            self.failures.append(msg)

    def compare(self, variant, label, expected, got, alternatives=()):
        """expected: array; got: nested JSON; alternatives: arrays also acceptable entry by entry."""
        try:
            g = to_array(got, label)
        except InputError as e:
            self.fail(f"variant {variant}: {e}")
            return
        if g.shape != expected.shape:
            self.fail(f"variant {variant}: {label}: shape {list(g.shape)}, expected {list(expected.shape)}")
            return
        for idx in np.ndindex(*expected.shape):
            b = float(g[idx])
            self.checked += 1
            cands = [float(expected[idx])] + [float(alt[idx]) for alt in alternatives]
            errs = [abs(a - b) / max(1.0, abs(b)) if math.isfinite(b) else math.inf for a in cands]
            err = min(errs)
            where = f"{label}{fmt_index(idx)}"
            if "variant" not in self.worst or err > self.worst["error"]:
                self.worst = {"error": err, "variant": variant, "key": where}
            if not err <= REL_TOL:
                self.fail(f"variant {variant}: {where}: oracle {cands[0]!r}, answers {b!r} "
                          f"(scaled error {err:.3g})")


# ----------------------------------------------------------------------------------------------
# the given section: fixed values unchanged, drawn values in range / on grid / among the choices

def check_given(tally, variant, vgiven, problem, warnings):
    base = problem.get("given", {}) or {}
    spec = ((problem.get("variants") or {}).get("given")) or {}
    given = {}
    for name, fixed in base.items():
        if name not in vgiven:
            tally.fail(f"variant {variant}: given.{name} missing from the answers (contract 6.2: every given value)")
            given[name] = fixed
            continue
        given[name] = vgiven[name]
        try:
            got = to_array(vgiven[name], f"variant {variant} given.{name}")
            ref = to_array(fixed, f"problem given.{name}")
        except InputError as e:
            tally.fail(f"variant {variant}: {e}")
            continue
        if got.shape != ref.shape:
            tally.fail(f"variant {variant}: given.{name}: shape {list(got.shape)}, "
                       f"problem's is {list(ref.shape)}")
            continue
        rule = spec.get(name)
        if rule is None:
            if not np.allclose(got, ref, rtol=0, atol=1e-12):
                tally.fail(f"variant {variant}: given.{name} is not drawn but differs from the problem's value")
        elif "uniform" in rule:
            lo, hi = (to_number(v, f"variants.given.{name}.uniform") for v in rule["uniform"])
            step = to_number(rule["step"], f"variants.given.{name}.step") if "step" in rule else None
            for idx in np.ndindex(*got.shape):
                v = float(got[idx])
                if not (lo - 1e-12 <= v <= hi + 1e-12):
                    tally.fail(f"variant {variant}: given.{name}{fmt_index(idx)} = {v!r} outside [{lo}, {hi}]")
                if step:
                    k = (v - lo) / step
                    if abs(k - round(k)) > 1e-9:
                        tally.fail(f"variant {variant}: given.{name}{fmt_index(idx)} = {v!r} "
                                   f"not on the grid {lo} + k*{step}")
                    elif v != float(exact(v)):
                        warnings.append(f"variant {variant}: given.{name}{fmt_index(idx)} = {v!r} "
                                        "is not the shortest decimal of its grid point")
        elif "choice" in rule:
            options = [to_array(o, f"variants.given.{name}.choice") for o in rule["choice"]]
            if not any(o.shape == got.shape and np.allclose(o, got, rtol=0, atol=1e-12) for o in options):
                # a tensor may also draw each element from a list of scalars
                if not (all(o.ndim == 0 for o in options)
                        and all(any(abs(float(got[idx]) - float(o)) <= 1e-12 for o in options)
                                for idx in np.ndindex(*got.shape))):
                    tally.fail(f"variant {variant}: given.{name} = {vgiven[name]!r} is not one of the choices")
        else:
            warnings.append(f"given.{name}: draw rule {rule!r} not checked by the oracle")
    for name in spec:
        if name not in base:
            tally.fail(f"variants.given.{name}: drawn but has no value in the problem's given")
    return given


# ----------------------------------------------------------------------------------------------

def parse_ask(problem):
    forward, grads = [], []
    for item in problem.get("ask", []) or []:
        if not isinstance(item, dict):
            continue
        if "forward" in item:
            forward += [str(k) for k in item["forward"]]
        if "gradient" in item:
            g = item["gradient"]
            of = str(g.get("of"))
            wrt = g.get("wrt")
            wrt = wrt if isinstance(wrt, list) else [wrt]
            if "upstream" in g:
                raise InputError("ask.gradient.upstream is not handled by this oracle")
            grads += [(of, str(w)) for w in wrt]
    return forward, grads


def main(argv):
    if len(argv) != 3:
        print("usage: python3 oracle.py PROBLEM.yaml ANSWERS.json", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as fh:
            problem = yaml.safe_load(fh)
        if argv[2] == "-":
            answers = json.load(sys.stdin)
        else:
            with open(argv[2], encoding="utf-8") as fh:
                answers = json.load(fh)
        pid = problem.get("id")
        if pid == "variants-mlp-softmax":
            net = MLP(problem)
        elif pid == "variants-lstm":
            net = LSTM(problem)
        else:
            raise InputError(f"{argv[1]}: id {pid!r}: the oracle knows only variants-mlp-softmax and variants-lstm")
        if not isinstance(answers, list):
            raise InputError(f"{argv[2]}: not a JSON array of variants (contract 6.2)")
        forward, grads = parse_ask(problem)
        vspec = problem.get("variants") or {}
        requires = [str(r) for r in vspec.get("require", []) or []]
        drawn_names = list((vspec.get("given") or {}).keys())
    except (OSError, ValueError, yaml.YAMLError, InputError) as e:
        print(f"oracle: {e}", file=sys.stderr)
        return 2

    tally = Tally()
    warnings, nondiff = [], []
    fd_worst, fd_entries_skipped = 0.0, 0
    require_checks = 0
    seen = {}
    last_number = 0

    for pos, var in enumerate(answers):
        vno = var.get("variant", f"#{pos + 1}") if isinstance(var, dict) else f"#{pos + 1}"
        if not isinstance(var, dict):
            tally.fail(f"entry {pos + 1}: not an object")
            continue
        if not isinstance(vno, int) or vno <= last_number:
            tally.fail(f"variant {vno}: numbers must be increasing integers (previous {last_number})")
        else:
            last_number = vno
        try:
            given = check_given(tally, vno, var.get("given") or {}, problem, warnings)
            P = net.params(given)
        except InputError as e:
            tally.fail(f"variant {vno}: {e}")
            continue

        F, G, alts, R, notes = net.solve(P)
        nondiff += [f"variant {vno}: {n}" for n in notes]

        # the oracle's own backward against central differences of its own forward
        worst, bad, skipped = net.fd_check(P, F, G)
        fd_worst = max(fd_worst, worst)
        fd_entries_skipped += len(skipped)
        for b in bad:
            tally.fail(f"variant {vno}: ORACLE self-check failed: {b}")

        env_values = dict(F)
        env_values.update({k: v for k, v in P.items() if k not in env_values})
        values = var.get("values")
        if not isinstance(values, dict):
            tally.fail(f"variant {vno}: no `values` object")
            values = {}
        for key in forward:
            if key not in values:
                tally.fail(f"variant {vno}: values.{key} missing (asked under forward)")
                continue
            tally.compare(vno, f"values.{key}", resolve(key, env_values), values[key])
        for key in values:
            if key in forward:
                continue
            try:
                exp = resolve(key, env_values)
            except (InputError, IndexError):
                warnings.append(f"variant {vno}: values.{key} not recomputed by the oracle")
                continue
            tally.compare(vno, f"values.{key}", exp, values[key])

        gradients = var.get("gradients")
        if not isinstance(gradients, dict):
            tally.fail(f"variant {vno}: no `gradients` object")
            gradients = {}
        for of, wrt in grads:
            if of != "E":
                tally.fail(f"variant {vno}: gradient of {of!r}: the oracle differentiates only E")
                continue
            block = gradients.get(of)
            if not isinstance(block, dict) or wrt not in block:
                tally.fail(f"variant {vno}: gradients.{of}.{wrt} missing (asked)")
                continue
            try:
                exp = resolve(wrt, G)
                alt = [resolve(wrt, A) for A in alts]
            except (InputError, IndexError) as e:
                tally.fail(f"variant {vno}: gradients.{of}.{wrt}: the oracle cannot compute it ({e})")
                continue
            tally.compare(vno, f"gradients.{of}.{wrt}", exp, block[wrt], alt)
        asked = {(of, wrt) for of, wrt in grads}
        for of, block in gradients.items():
            for wrt in (block if isinstance(block, dict) else {}):
                if (of, wrt) in asked:
                    continue
                try:
                    if of != "E":
                        raise InputError("only E is differentiated")
                    exp = resolve(wrt, G)
                    alt = [resolve(wrt, A) for A in alts]
                except (InputError, IndexError):
                    warnings.append(f"variant {vno}: gradients.{of}.{wrt} (not asked) not recomputed by the oracle")
                    continue
                tally.compare(vno, f"gradients.{of}.{wrt}", exp, block[wrt], alt)

        for line in requires:
            require_checks += 1
            try:
                ok, l, r = eval_require(line, R)
            except (InputError, IndexError) as e:
                tally.fail(f"variant {vno}: require {line!r}: {e}")
                continue
            if not ok:
                tally.fail(f"variant {vno}: require {line!r} does not hold "
                           f"(left {np.round(l, 12).tolist()}, right {np.round(r, 12).tolist() if r is not None else None})")

        if vspec.get("distinct"):
            sig = tuple(tuple(np.round(np.ravel(P[n] if n in P else to_array(given[n], n)), 12).tolist())
                        for n in drawn_names)
            if sig in seen:
                tally.fail(f"variant {vno}: same drawn values as variant {seen[sig]} (distinct: true)")
            else:
                seen[sig] = vno

    if not answers:
        tally.fail("the answers file holds no variants")

    summary = {
        "problem": problem.get("id"),
        "variants": len(answers),
        "checked": tally.checked,
        "worst": tally.worst if "variant" in tally.worst else None,
        "failures": tally.failures,
        "failureCount": tally.failure_count,
        "requireChecks": require_checks,
        "finiteDifference": {"maxRelError": fd_worst, "tolerance": FD_TOL,
                             "skippedAtKinks": fd_entries_skipped},
        "nondifferentiable": nondiff,
        "warnings": warnings[:50],
    }
    print(json.dumps(summary))
    return 1 if tally.failure_count else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
