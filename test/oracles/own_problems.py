#!/usr/bin/env python3
"""
Independent oracle for the problems of our own (problems/own-*.yaml), the XOR
problems (problems/seed000-q1-*.yaml) and the depth-50 sigmoid chain of
test/swell.test.ts. Nothing here uses gradsheet: every expected value is
derived with SymPy (symbolic differentiation of the fully inlined expression,
evaluated exactly at rational points, then to 30 digits) or with mpmath at 60
digits, so it shares no code and no method with the engine, which works by
reverse accumulation over named nodes in float64.

Run:  python3 test/oracles/own_problems.py > test/oracles/expected.json

Derivations (what the tests compare against):
* Forward values: each equation substituted into the next (sympy.subs of the
  previous definitions), so `E` is one expression in the leaves.
* Gradients: sympy.diff of that inlined expression with respect to each leaf,
  i.e. the plain chain rule over the expanded formula (a shared weight reached
  along two paths gets both terms from the product and chain rules).
* Exact values: the same expression evaluated at the given rationals
  (0.1 -> 1/10); reported as "p/q" when SymPy finds it rational, else null.
* SGD update: p - rate * dE/dp with the exact rate.
* relu/step: relu(u) = Max(0, u), whose SymPy derivative is Heaviside(u);
  every test point keeps the relu arguments away from 0.
* abs: sympy Abs, whose derivative at a nonzero real point is sign(u).
"""
import json
from fractions import Fraction

import mpmath
import sympy as sp

R = sp.Rational


def num(v):
    """A float with 17 significant digits from a 30-digit evaluation."""
    return float(sp.N(v, 30))


def exact(v):
    v = sp.nsimplify(v) if v.is_Rational else sp.simplify(v)
    return str(v) if v.is_Rational else None


def solve_equations(equations, given, grads, update=None):
    """equations: ordered [(name, sympy expr over symbols)]; given: {name: Rational}."""
    inl = {}
    for name, e in equations:
        inl[name] = e.subs({sym(k): v for k, v in inl.items()})
    at = {sym(k): v for k, v in given.items()}
    out = {"given": {k: str(v) for k, v in given.items()},
           "values": {}, "exact": {}, "gradients": {}, "gradientsExact": {}}
    for name, e in inl.items():
        v = e.subs(at)
        out["values"][name] = num(v)
        out["exact"][name] = exact(v)
    for of, wrts in grads:
        out["gradients"][of] = {}
        out["gradientsExact"][of] = {}
        for w in wrts:
            d = sp.diff(inl[of], sym(w)).subs(at)
            d = d.doit()
            out["gradients"][of][w] = num(d)
            out["gradientsExact"][of][w] = exact(d)
    if update:
        of, rate, params = update
        out["updates"] = {}
        for p in params:
            d = sp.diff(inl[of], sym(p)).subs(at).doit()
            out["updates"][p] = num(given[p] - rate * d)
    return out


def S(names):
    """Real symbols (so Abs differentiates to sign and no complex parts appear)."""
    return sp.symbols(names, real=True)


def sym(name):
    return sp.Symbol(name, real=True)
relu = lambda u: sp.Max(0, u)


def own_shared_weight():
    # h = tanh(w x1 + b); o = sigmoid(w h + v x2); E = (o - t)^2 / 2.
    # w is used twice (inside h and directly in o), so
    # dE/dw = (o - t) o (1 - o) (h + w (1 - h^2) x1): a sum over two paths.
    w, b, v, x1, x2, t, h, o = S("w b v x1 x2 t h o")
    sig = lambda u: 1 / (1 + sp.exp(-u))
    eqs = [("h", sp.tanh(w * x1 + b)), ("o", sig(w * h + v * x2)), ("E", (o - t) ** 2 / 2)]
    given = {"x1": R(1, 2), "x2": R(-1), "w": R(4, 5), "b": R(1, 10), "v": R(3, 10), "t": R(1)}
    return solve_equations(eqs, given, [("E", ["w", "b", "v"]), ("o", ["w"])],
                           ("E", R(1, 2), ["w", "b", "v"]))


def own_relu_regression():
    # Two relu units, a linear output and the squared error L = (y - t)^2.
    # Unit 2 is dead (z2 = -23/10 < 0): every gradient through it is 0.
    x1, x2, w11, w12, w21, w22, b1, b2, v1, v2, c, t = S("x1 x2 w11 w12 w21 w22 b1 b2 v1 v2 c t")
    z1, z2, a1, a2, y = S("z1 z2 a1 a2 y")
    eqs = [("z1", w11 * x1 + w12 * x2 + b1), ("z2", w21 * x1 + w22 * x2 + b2),
           ("a1", relu(z1)), ("a2", relu(z2)), ("y", v1 * a1 + v2 * a2 + c), ("L", (y - t) ** 2)]
    given = {"x1": R(1), "x2": R(-2), "w11": R(1, 2), "w12": R(-1, 4), "w21": R(-1), "w22": R(3, 4),
             "b1": R(1, 10), "b2": R(1, 5), "v1": R(3, 2), "v2": R(-1, 2), "c": R(1, 20), "t": R(1)}
    params = ["w11", "w12", "b1", "w21", "w22", "b2", "v1", "v2", "c"]
    return solve_equations(eqs, given, [("L", params)], ("L", R(1, 10), params))


def own_logistic_neuron():
    # p = sigmoid(w . x + b), binary cross-entropy E = -(t log p + (1-t) log(1-p)).
    # Textbook result: dE/dw_i = (p - t) x_i, dE/db = p - t.
    w1, w2, b, x1, x2, t, z, p = S("w1 w2 b x1 x2 t z p")
    eqs = [("z", w1 * x1 + w2 * x2 + b), ("p", 1 / (1 + sp.exp(-z))),
           ("E", -(t * sp.log(p) + (1 - t) * sp.log(1 - p)))]
    given = {"x1": R(2), "x2": R(-1), "w1": R(3, 10), "w2": R(2, 5), "b": R(-1, 10), "t": R(1)}
    return solve_equations(eqs, given, [("E", ["w1", "w2", "b"])])


def own_rbf_abs_error():
    # A Gaussian radial unit with an absolute-error loss:
    # r = sqrt((x1-c1)^2 + (x2-c2)^2), g = exp(-r^2 / (2 s^2)), o = a g, E = |o - t|.
    x1, x2, c1, c2, s, a, t, r, g, o = S("x1 x2 c1 c2 s a t r g o")
    eqs = [("r", sp.sqrt((x1 - c1) ** 2 + (x2 - c2) ** 2)), ("g", sp.exp(-r ** 2 / (2 * s ** 2))),
           ("o", a * g), ("E", sp.Abs(o - t))]
    given = {"x1": R(1), "x2": R(2), "c1": R(1, 2), "c2": R(1), "s": R(3, 2), "a": R(2), "t": R(1, 2)}
    return solve_equations(eqs, given, [("E", ["c1", "c2", "s", "a"])])


def variants_sigmoid_chain():
    # problems/variants-sigmoid-chain.yaml (the randomized problem's fixed values): the depth-3
    # sigmoid chain h1 = sigma(w1 x + b1), h_i = sigma(w_i h_{i-1} + b_i), o = w4 h3 + b4.
    x, h1, h2, h3 = S("x h1 h2 h3")
    w = S("w1 w2 w3 w4")
    b = S("b1 b2 b3 b4")
    sig = lambda u: 1 / (1 + sp.exp(-u))
    eqs = [("h1", sig(w[0] * x + b[0])), ("h2", sig(w[1] * h1 + b[1])), ("h3", sig(w[2] * h2 + b[2])),
           ("o", w[3] * h3 + b[3])]
    given = {"x": R(2), "w1": R(1, 2), "w2": R(-6, 5), "w3": R(4, 5), "w4": R(3, 2),
             "b1": R(3, 10), "b2": R(2, 5), "b3": R(-3, 5), "b4": R(1, 5)}
    return solve_equations(eqs, given, [("o", ["b1", "w1", "w2", "w3", "w4", "b2", "b3", "b4"])])


def xor(b1):
    # mlp [2, 2, 1]: z1 = W1 x + b1 (W1 hidden x input), h = relu(z1), z2 = W2 h + b2, o = step(z2).
    # The seed's W^(1)T X with W^(1) = [[w11, w21], [w12, w22]] means hidden unit i uses row i of
    # our W1; the seed's matrix is all ones, so both readings give W1 = [[1, 1], [1, 1]].
    W = sp.Matrix(2, 2, S("W11 W12 W21 W22"))
    B = sp.Matrix(S("B1 B2"))
    V = sp.Matrix(1, 2, S("V11 V12"))
    c = S("c")
    vals = {"W11": 1, "W12": 1, "W21": 1, "W22": 1, "B1": b1[0], "B2": b1[1], "V11": 1, "V12": -2, "c": 0}
    at = {sym(k): R(v) for k, v in vals.items()}

    def forward(x):
        z1 = W * sp.Matrix(x) + B
        h = z1.applyfunc(relu)
        z2 = (V * h)[0] + c
        return z1, h, z2

    table = []
    for x in ([0, 0], [0, 1], [1, 0], [1, 1]):
        z2 = forward(x)[2].subs(at)
        table.append(1 if z2 > 0 else 0)
    # one worked point: (1, 0) for the stated set, (1, 1) for the corrected one (no relu at 0 there)
    x = [1, 0] if b1[1] == 1 else [1, 1]
    z1, h, z2 = forward(x)
    d = lambda s: num(sp.diff(z2, s).subs(at).doit())
    return {
        "given": {"W1": [["1", "1"], ["1", "1"]], "b1": [str(b) for b in b1], "W2": [["1", "-2"]], "b2": "0",
                  "x": [str(v) for v in x]},
        "x": x,
        "values": {"z1": [num(e.subs(at)) for e in z1], "h": [num(e.subs(at)) for e in h],
                   "z2": [num(z2.subs(at))], "o": [1.0 if z2.subs(at) > 0 else 0.0]},
        "gradients": {"z2": {
            "W1": [[d(W[i, j]) for j in range(2)] for i in range(2)],
            "b1": [d(B[i]) for i in range(2)],
            "W2": [[d(V[0, j]) for j in range(2)]],
            "b2": [d(c)],
        }},
        "table": table,
    }


def chain_params(depth):
    """The parameters test/swell.test.ts and bench/chain.ts write (as exact fractions)."""
    w = {i: Fraction(40 + (i % 5) - 2, 10) for i in range(1, depth + 2)}
    b = {i: Fraction(-(190 + 5 * (i % 5)) + 5 * ((i % 3) - 1), 100) for i in range(1, depth + 2)}
    return Fraction(1, 2), w, b


def chain_db1(depth):
    # o = w_{n+1} h_n + b_{n+1}, h_i = sigma(w_i h_{i-1} + b_i), h_0 = x. do/db1 two ways at 60
    # digits: the product w_{n+1} prod_{i>=2} w_i h_i (1 - h_i) * h_1 (1 - h_1), and a central
    # difference with h = 1e-25 (truncation ~1e-50, rounding ~1e-35: both far below double precision).
    mpmath.mp.dps = 60
    x, w, b = chain_params(depth)
    f = lambda q: mpmath.mpf(q.numerator) / q.denominator

    def forward(b1):
        hs, prev = [], f(x)
        for i in range(1, depth + 1):
            u = f(w[i]) * prev + (b1 if i == 1 else f(b[i]))
            prev = 1 / (1 + mpmath.exp(-u))
            hs.append(prev)
        return hs, f(w[depth + 1]) * prev + f(b[depth + 1])

    hs, o = forward(f(b[1]))
    prod = f(w[depth + 1]) * hs[0] * (1 - hs[0])
    for i in range(2, depth + 1):
        prod *= f(w[i]) * hs[i - 1] * (1 - hs[i - 1])
    eps = mpmath.mpf("1e-25")
    fd = (forward(f(b[1]) + eps)[1] - forward(f(b[1]) - eps)[1]) / (2 * eps)
    assert abs(fd - prod) <= mpmath.mpf("1e-30") * abs(prod), (fd, prod)
    return {"depth": depth, "o": float(o), "do_db1": float(prod), "h50": float(hs[-1]),
            "given": {"x": str(x), **{f"w{i}": str(w[i]) for i in w}, **{f"b{i}": str(b[i]) for i in b}}}


if __name__ == "__main__":
    print(json.dumps({
        "own-shared-weight": own_shared_weight(),
        "own-relu-regression": own_relu_regression(),
        "own-logistic-neuron": own_logistic_neuron(),
        "own-rbf-abs-error": own_rbf_abs_error(),
        "variants-sigmoid-chain": variants_sigmoid_chain(),
        "seed000-q1-xor-stated": xor([0, 1]),
        "seed000-q1-xor-corrected": xor([0, -1]),
        "chain-50": chain_db1(50),
    }, indent=1, sort_keys=True))
