"""Independent oracle for the rnn tests: `python3 test/rnn/oracle.py` writes test/rnn/oracle.json.

For RNN configurations the seeds do not cover, the unrolled network's loss is
written out here in mpmath (60 digits, the values as exact rationals), and each
gradient entry is its complex-step derivative Im E(p + i h)/h with h = 1e-40
(no subtraction, so exact to rounding; SymPy's symbolic diff of the unrolled
T = 8 network does not finish in minutes). The norms of
dh_T/dh_k come from a separate numpy forward pass (numpy.linalg.norm, ord=2 and
'fro'). Nothing here imports or calls gradsheet.
"""
import json
import random
from fractions import Fraction

import numpy as np
from mpmath import mp

mp.dps = 60

CONFIGS = [
    dict(name='sigmoid-binary-ce', mode='many-to-many', steps=3, sizes=dict(input=2, hidden=3, output=2),
         hidden='sigmoid', output='sigmoid', loss='cross-entropy', bias=True, stacked=1, recurrentBias=False,
         target='probabilities'),
    dict(name='relu-identity-se-m2o', mode='many-to-one', steps=4, sizes=dict(input=1, hidden=2, output=1),
         hidden='relu', output='identity', loss='squared-error', bias=True, stacked=1, recurrentBias=False,
         target='real'),
    dict(name='softmax-hse', mode='many-to-many', steps=2, sizes=dict(input=2, hidden=2, output=3),
         hidden='tanh', output='softmax', loss='half-squared-error', bias=True, stacked=1, recurrentBias=False,
         target='onehot'),
    dict(name='stacked-softmax-ce', mode='many-to-many', steps=3, sizes=dict(input=2, hidden=2, hidden2=3, output=2),
         hidden='tanh', output='softmax', loss='cross-entropy', bias=True, stacked=2, recurrentBias=True,
         target='onehot'),
    dict(name='stacked-sigmoid-se-m2o', mode='many-to-one', steps=3, sizes=dict(input=1, hidden=2, hidden2=2, output=1),
         hidden='sigmoid', output='sigmoid', loss='squared-error', bias=False, stacked=2, recurrentBias=False,
         target='real'),
    dict(name='long-tanh-identity', mode='many-to-many', steps=8, sizes=dict(input=2, hidden=3, output=1),
         hidden='tanh', output='identity', loss='half-squared-error', bias=False, stacked=1, recurrentBias=False,
         target='real'),
]


def draw(rng, shape, lo=-0.9, hi=0.9):
    """Decimals with one or two digits, as an exam would give them (exact as rationals)."""
    n = int(np.prod(shape)) if shape else 1
    vals = [Fraction(rng.randint(int(lo * 100), int(hi * 100)), 100) for _ in range(n)]
    arr = np.array(vals, dtype=object).reshape(shape) if shape else vals[0]
    return arr


def shapes(c):
    I, H, O = c['sizes']['input'], c['sizes']['hidden'], c['sizes']['output']
    H2 = c['sizes'].get('hidden2', H)
    top = H2 if c['stacked'] == 2 else H
    T = c['steps']
    s = {'W1': (H, I), 'H1': (H, H), 'W2': (O, top)}
    if c['bias']:
        s['b1'] = (H,)
        s['b2'] = (O,)
    if c['recurrentBias']:
        s['bh'] = (H,)
    if c['stacked'] == 2:
        s['W3'] = (H2, H)
        s['H3'] = (H2, H2)
        if c['bias']:
            s['b3'] = (H2,)
    data = {'x': (T, I), 'h0': (H,)}
    if c['stacked'] == 2:
        data['s0'] = (H2,)
    return s, data


def targets(rng, c):
    T, O = c['steps'], c['sizes']['output']
    rows = T if c['mode'] == 'many-to-many' else 1
    out = []
    for _ in range(rows):
        if c['target'] == 'onehot':
            k = rng.randrange(O)
            out.append([Fraction(int(i == k)) for i in range(O)])
        elif c['target'] == 'probabilities':
            out.append([Fraction(rng.randint(5, 95), 100) for _ in range(O)])
        else:
            out.append([Fraction(rng.randint(-90, 90), 100) for _ in range(O)])
    return out if c['mode'] == 'many-to-many' else out[0]


def forward(c, values, perturb=None):
    """E for the given values in mpmath complex arithmetic; `perturb` = (param, index, dz) adds dz to one entry."""
    def m(a):
        return [[mp.mpc(mp.mpf(v.numerator) / v.denominator) for v in row] for row in a] if isinstance(a[0], (list, np.ndarray)) else [mp.mpc(mp.mpf(v.numerator) / v.denominator) for v in a]
    P = {k: m(values[k]) for k in values if k != 't'}
    if perturb:
        k, idx, dz = perturb
        if len(idx) == 2:
            P[k][idx[0]][idx[1]] += dz
        else:
            P[k][idx[0]] += dz
    act = {'tanh': mp.tanh, 'sigmoid': lambda v: 1 / (1 + mp.exp(-v)), 'relu': lambda v: v if mp.re(v) > 0 else mp.mpc(0)}[c['hidden']]
    mv = lambda A, v: [sum(a * b for a, b in zip(row, v)) for row in A]
    add = lambda a, b: [p + q for p, q in zip(a, b)]
    T = c['steps']
    h = P['h0']
    s2 = P.get('s0')
    E = mp.mpc(0)
    for t in range(T):
        z = add(mv(P['H1'], h), mv(P['W1'], P['x'][t]))
        if c['bias']:
            z = add(z, P['b1'])
        if c['recurrentBias']:
            z = add(z, P['bh'])
        h = [act(v) for v in z]
        top = h
        if c['stacked'] == 2:
            z2 = add(mv(P['H3'], s2), mv(P['W3'], h))
            if c['bias']:
                z2 = add(z2, P['b3'])
            s2 = [act(v) for v in z2]
            top = s2
        if c['mode'] == 'many-to-one' and t < T - 1:
            continue
        u = mv(P['W2'], top)
        if c['bias']:
            u = add(u, P['b2'])
        if c['output'] == 'identity':
            y = u
        elif c['output'] == 'sigmoid':
            y = [1 / (1 + mp.exp(-v)) for v in u]
        else:
            ex = [mp.exp(v) for v in u]
            y = [e / sum(ex) for e in ex]
        tt = values['t'][t] if c['mode'] == 'many-to-many' else values['t']
        tt = [mp.mpf(v.numerator) / v.denominator for v in tt]
        if c['loss'] == 'squared-error':
            E += sum((a - b) ** 2 for a, b in zip(y, tt))
        elif c['loss'] == 'half-squared-error':
            E += sum((a - b) ** 2 for a, b in zip(y, tt)) / 2
        elif c['output'] == 'softmax':
            E -= sum(b * mp.log(a) for a, b in zip(y, tt))
        else:
            E -= sum(b * mp.log(a) + (1 - b) * mp.log(1 - a) for a, b in zip(y, tt))
    return E


def solve(c, seed):
    rng = random.Random(seed)
    pshapes, dshapes = shapes(c)
    values = {k: draw(rng, s) for k, s in pshapes.items()}
    values['x'] = draw(rng, dshapes['x'], -2, 2)
    values['h0'] = draw(rng, dshapes['h0'], -0.5, 0.5)
    if 's0' in dshapes:
        values['s0'] = draw(rng, dshapes['s0'], -0.5, 0.5)
    values['t'] = targets(rng, c)
    # Complex step: dE/dp = Im E(p + i h) / h, with no cancellation, so h = 1e-40 at 60 digits is exact to rounding.
    step = mp.mpf('1e-40')
    grads = {}
    for k, s in pshapes.items():
        idxs = [(i, j) for i in range(s[0]) for j in range(s[1])] if len(s) == 2 else [(i,) for i in range(s[0])]
        vals = [float(mp.im(forward(c, values, (k, idx, mp.mpc(0, step)))) / step) for idx in idxs]
        grads[k] = [vals[i * s[1]:(i + 1) * s[1]] for i in range(s[0])] if len(s) == 2 else vals
    Eval = float(mp.re(forward(c, values)))
    norms = jacobian_norms(c, values)
    tojson = lambda v: [tojson(a) for a in v] if isinstance(v, (list, np.ndarray)) else str(v)
    given = {k: tojson(v) for k, v in values.items()}
    return dict(config=c, given=given, E=Eval, gradients=grads, jacobianNorms=norms)


def jacobian_norms(c, values):
    """numpy forward pass in float64, then dh_T/dh_k = prod_{j=k+1..T} diag(f'(z_j)) H."""
    f = lambda a: np.array(a, dtype=float)
    act = {'tanh': np.tanh, 'sigmoid': lambda v: 1 / (1 + np.exp(-v)), 'relu': lambda v: np.maximum(v, 0)}[c['hidden']]
    dact = {'tanh': lambda z, a: 1 - a * a, 'sigmoid': lambda z, a: a * (1 - a), 'relu': lambda z, a: (z > 0).astype(float)}[c['hidden']]
    W1, H1, x = f(values['W1']), f(values['H1']), f(values['x'])
    b = f(values['b1']) if c['bias'] else 0
    bh = f(values['bh']) if c['recurrentBias'] else 0
    h = f(values['h0'])
    zs, hs = [], []
    s, zs2, ss = (f(values['s0']) if c['stacked'] == 2 else None), [], []
    for t in range(c['steps']):
        z = H1 @ h + W1 @ x[t] + b + bh
        h = act(z)
        zs.append(z)
        hs.append(h)
        if c['stacked'] == 2:
            z2 = f(values['H3']) @ s + f(values['W3']) @ h + (f(values['b3']) if c['bias'] else 0)
            s = act(z2)
            zs2.append(z2)
            ss.append(s)

    def layer(Hm, Z, A):
        T = len(Z)
        J = np.eye(Hm.shape[0])
        rows = [dict(k=T, spectral=1.0, frobenius=float(np.linalg.norm(J, 'fro')))]
        for k in range(T - 1, -1, -1):
            J = J @ (np.diag(dact(Z[k], A[k])) @ Hm)
            rows.append(dict(k=k, spectral=float(np.linalg.norm(J, 2)), frobenius=float(np.linalg.norm(J, 'fro'))))
        return rows[::-1]

    out = [layer(H1, zs, hs)]
    if c['stacked'] == 2:
        out.append(layer(f(values['H3']), zs2, ss))
    return out


if __name__ == '__main__':
    cases = []
    for i, c in enumerate(CONFIGS):
        # Redraw until every parameter gets a nonzero gradient somewhere (a dead relu layer tests nothing).
        seed = 1000 + i
        case = solve(c, seed)
        while any(all(v == 0 for v in np.ravel(g)) for g in case['gradients'].values()):
            seed += 100
            case = solve(c, seed)
        cases.append(case)
    # Matrices for the spectral-norm helper: numpy's 2-norm (largest singular value) and Frobenius norm.
    mrng = np.random.default_rng(7)
    mats = [[[3.0]], [[0.0, 0.0], [0.0, 0.0]], [[1.0, 2.0], [3.0, 4.0]], [[2.0, 0.0, 0.0], [0.0, -5.0, 0.0], [0.0, 0.0, 1.0]]]
    mats += [np.round(mrng.normal(size=(n, n)), 3).tolist() for n in (3, 5, 8)]
    mats += [np.round(mrng.normal(size=(2, 4)), 3).tolist()]
    matrices = [dict(m=m, spectral=float(np.linalg.norm(np.array(m), 2)), frobenius=float(np.linalg.norm(np.array(m), 'fro'))) for m in mats]
    with open(__file__.replace('oracle.py', 'oracle.json'), 'w') as fh:
        json.dump(dict(cases=cases, matrices=matrices), fh, indent=1)
    print(f'wrote {len(cases)} cases')
