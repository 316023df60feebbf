"""
Expected Jacobians for test/sheets/fixtures/jacobian-*.yaml, computed with
SymPy from the networks written out here by hand (independently of
gradsheet): each kind's equations as the contract defines them, the Jacobian
matrix by sympy's own differentiation, evaluated at the fixtures' values.
Rows are the entries of `of`, columns the entries of `wrt`, both row-major.
Run: python3 test/sheets/jacobian_oracle.py > test/sheets/jacobian-expected.json
"""
import json
import sympy as sp

R = sp.Rational
sig = lambda u: 1 / (1 + sp.exp(-u))


def jac(of, wrt, subs):
    """of, wrt: lists of sympy expressions / symbols; wrt must be symbols."""
    J = sp.Matrix(of).jacobian(sp.Matrix(wrt))
    return [[float(sp.N(J[i, j].subs(subs), 30)) for j in range(J.shape[1])] for i in range(J.shape[0])]


out = {}

# equations: h = tanh(w x1 + b), o = sigmoid(w h + v x2); Jacobians wrt the node h (held free) and the input x1
w, b, v, x1, x2, H = sp.symbols('w b v x1 x2 H')
vals = {w: R(8, 10), b: R(1, 10), v: R(-5, 10), x1: R(1, 2), x2: 2}
h = sp.tanh(w * x1 + b)
o_of_H = sig(w * H + v * x2)
out['jacobian-equations'] = [
    {'of': 'o', 'wrt': 'h', 'values': jac([o_of_H], [H], {**vals, H: h.subs(vals)})},
    {'of': 'o', 'wrt': 'x1', 'values': jac([sig(w * h + v * x2)], [x1], vals)},
]

# chain: h1 = s(w1 x + b1), h2 = s(w2 h1 + b2), h3 = s(w3 h2 + b3), o = w4 h3 + b4
x, w1, w2, w3, w4, b1, b2, b3, b4, H1, H2 = sp.symbols('x w1 w2 w3 w4 b1 b2 b3 b4 H1 H2')
vals = {x: 1, w1: R(1, 2), w2: R(-3, 2), w3: 2, w4: R(3, 4), b1: R(1, 10), b2: R(-2, 10), b3: R(3, 10), b4: 0}
h1 = sig(w1 * x + b1)
h2 = sig(w2 * h1 + b2)
o_from_H1 = w4 * sig(w3 * sig(w2 * H1 + b2) + b3) + b4
h3_from_H2 = sig(w3 * H2 + b3)
out['jacobian-chain'] = [
    {'of': 'o', 'wrt': 'h1', 'values': jac([o_from_H1], [H1], {**vals, H1: h1.subs(vals)})},
    {'of': 'h3', 'wrt': 'h2', 'values': jac([h3_from_H2], [H2], {**vals, H2: h2.subs(vals)})},
]

# mlp [2, 3, 2], sigmoid hidden, linear output: z1 = W1 x + b1, h = s(z1), z2 = W2 h + b2, o = z2
W1 = sp.Matrix([[R(1, 10), R(2, 10)], [R(-3, 10), R(4, 10)], [R(5, 10), R(-6, 10)]])
B1 = sp.Matrix([R(1, 10), 0, R(-1, 10)])
W2 = sp.Matrix([[R(7, 10), R(-8, 10), R(9, 10)], [R(2, 10), R(3, 10), R(-4, 10)]])
B2 = sp.Matrix([0, R(1, 10)])
X = sp.Matrix(sp.symbols('X1 X2'))
Z = sp.Matrix(sp.symbols('Z1 Z2 Z3'))
xv = {X[0]: R(1, 2), X[1]: -1}
z1 = W1 * X + B1
z2_of_Z = W2 * Z.applyfunc(sig) + B2
o_of_X = W2 * z1.applyfunc(sig) + B2
out['jacobian-mlp'] = [
    {'of': 'z2', 'wrt': 'z1', 'values': jac(list(z2_of_Z), list(Z), {Z[i]: z1[i].subs(xv) for i in range(3)})},
    {'of': 'o', 'wrt': 'x', 'values': jac(list(o_of_X), list(X), xv)},
]

# layers: Y = X (star) K (valid, stride 1, no flip), o = sigmoid(sum W * Y)
Xs = sp.Matrix(3, 3, sp.symbols('x11 x12 x13 x21 x22 x23 x31 x32 x33'))
K = sp.Matrix([[R(1, 2), -1], [R(1, 4), R(1, 10)]])
Wd = sp.Matrix([[1, -1], [R(1, 2), 2]])
Xv = [[1, 2, 0], [0, 1, 3], [2, 1, 1]]
xsub = {Xs[i, j]: Xv[i][j] for i in range(3) for j in range(3)}
Y = sp.Matrix(2, 2, lambda i, j: sum(K[a, c] * Xs[i + a, j + c] for a in range(2) for c in range(2)))
Ys = sp.Matrix(2, 2, sp.symbols('y11 y12 y21 y22'))
o = sig(sum(Wd[i, j] * Ys[i, j] for i in range(2) for j in range(2)))
out['jacobian-layers'] = [
    {'of': 'Y', 'wrt': 'X', 'values': jac(list(Y), list(Xs), xsub)},
    {'of': 'o', 'wrt': 'Y', 'values': jac([o], list(Ys), {Ys[i, j]: Y[i, j].subs(xsub) for i in range(2) for j in range(2)})},
]

# rnn, many-to-many, tanh hidden, softmax output:
# z_t = W1 x_t + H1 h_{t-1} + b1, h_t = tanh(z_t), u_t = W2 h_t + b2, y_t = softmax(u_t)
Wi = sp.Matrix([[R(3, 10), R(-1, 10)], [R(2, 10), R(4, 10)]])
Hr = sp.Matrix([[R(5, 10), R(-6, 10)], [R(7, 10), R(1, 10)]])
bb1 = sp.Matrix([0, R(1, 10)])
Wo = sp.Matrix([[1, -1], [R(1, 2), R(1, 4)]])
bb2 = sp.Matrix([R(1, 10), 0])
h0 = sp.Matrix(sp.symbols('h01 h02'))
xs = [sp.Matrix(sp.symbols('x11 x12')), sp.Matrix(sp.symbols('x21 x22'))]
xvals = {xs[0][0]: 1, xs[0][1]: R(-1, 2), xs[1][0]: R(1, 4), xs[1][1]: 2}
h0vals = {h0[0]: R(1, 10), h0[1]: R(-2, 10)}
hs, ys = [], []
prev = h0
for t in range(2):
    z = Wi * xs[t] + Hr * prev + bb1
    ht = z.applyfunc(sp.tanh)
    u = Wo * ht + bb2
    e = u.applyfunc(sp.exp)
    ys.append(e / sum(e))
    hs.append(ht)
    prev = ht
allv = {**xvals, **h0vals}
out['jacobian-rnn'] = [
    {'of': 'h', 'wrt': 'h0', 'values': jac([hs[t][k] for t in range(2) for k in range(2)], list(h0), allv)},
    {'of': 'y', 'wrt': 'x', 'values': jac([ys[t][k] for t in range(2) for k in range(2)], [xs[t][k] for t in range(2) for k in range(2)], allv)},
]

print(json.dumps(out, indent=1))
