#!/usr/bin/env python3
"""Test-only: exercises oracle.py on answers built by make_answers.py (no gradsheet needed).

    python3 selftest.py [MLP.yaml LSTM.yaml]

Every file goes through pipes (/dev/fd), so nothing is written to disk. Exits 1 if any case
does not behave as expected.
"""

import copy
import json
import os
import subprocess
import sys

import numpy as np
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
MLP = sys.argv[1] if len(sys.argv) > 2 else "/work/wt/pending/variants-mlp-softmax.yaml"
LSTM = sys.argv[2] if len(sys.argv) > 2 else "/work/wt/pending/variants-lstm.yaml"

results = []


def make(problem, *args):
    out = subprocess.run([sys.executable, os.path.join(HERE, "make_answers.py"), problem, *args],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def oracle(problem_text, answers):
    """Run oracle.py with the problem YAML and the answers both passed through pipes."""
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, "oracle.py"), f"/dev/fd/{r1}", f"/dev/fd/{r2}"],
                            pass_fds=(r1, r2), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(r1)
    os.close(r2)
    with os.fdopen(w1, "w") as f:
        f.write(problem_text)
    with os.fdopen(w2, "w") as f:
        f.write(json.dumps(answers))
    out, err = proc.communicate()
    summary = json.loads(out) if out.strip() else None
    return proc.returncode, summary, err


def case(name, problem_text, answers, rc, must=()):
    code, summary, err = oracle(problem_text, answers)
    text = json.dumps(summary) + err
    ok = code == rc and all(m in text for m in must)
    results.append(ok)
    brief = (summary or {}).get("failures", [])[:2] if summary else err.strip()
    print(f"{'ok  ' if ok else 'FAIL'} {name}: exit {code} (want {rc})"
          + (f"  checked={summary['checked']} worst={(summary['worst'] or {}).get('error', 0):.2g}"
             f" fd={summary['finiteDifference']['maxRelError']:.2g}" if summary else "")
          + (f"  {brief}" if code else ""))


mlp_text = open(MLP).read()
lstm_text = open(LSTM).read()

# ------------------------------------------------------------ accepted answer files
mlp_good = make(MLP, "--count", "40", "--seed", "7")
lstm_good = make(LSTM, "--count", "40", "--seed", "7")
case("mlp: 40 variants from the independent mpmath generator", mlp_text, mlp_good, 0)
case("mlp: relu'(0) = 1 at exact ties also accepted", mlp_text, make(MLP, "--count", "40", "--seed", "7", "--relu0", "1"), 0)
case("lstm: 40 variants from the independent mpmath generator", lstm_text, lstm_good, 0)
# an exact tie whose float value is +2.8e-17: x = [-2, -2, -1.5], W1[1] = [0.1, 0.1, -0.2], b1[1] = 0.1
TIE_X = [-2, -2, -1.5]
tie = make(MLP, "--count", "1", "--given",
           json.dumps({"x": TIE_X, "W1": [[0.1, 0.1, -0.2], [-0.3, 0.5, 0.1], [-0.6, 0.2, -0.5], [0.1, -0.4, 0.3]]}))
code, s, _ = oracle(mlp_text, tie)
results.append(code == 0 and len(s["nondifferentiable"]) == 1)
print(f"{'ok  ' if results[-1] else 'FAIL'} mlp: crafted exact tie z1[1] = 0 is accepted and listed: exit {code}, {s['nondifferentiable']}")

# ------------------------------------------------------------ one wrong number each
def mutate(answers, path, f):
    a = copy.deepcopy(answers)
    ref = a
    for k in path[:-1]:
        ref = ref[k]
    ref[path[-1]] = f(ref[path[-1]])
    return a


case("mlp: gradients.E.W1[2,3] off by 1e-8 relative", mlp_text,
     mutate(mlp_good, [4, "gradients", "E", "W1", 1, 2], lambda v: v * (1 + 1e-8) + 1e-8), 1,
     ["variant 5: gradients.E.W1[2,3]"])
case("mlp: gradients.E.z2[1] sign flipped", mlp_text,
     mutate(mlp_good, [0, "gradients", "E", "z2", 0], lambda v: -v), 1, ["gradients.E.z2[1]"])
case("mlp: values.E wrong", mlp_text, mutate(mlp_good, [9, "values", "E"], lambda v: v + 1e-6), 1, ["variant 10: values.E"])
case("mlp: values.p[3] wrong", mlp_text, mutate(mlp_good, [2, "values", "p", 2], lambda v: v + 1e-3), 1, ["values.p[3]"])
case("lstm: gradients.E.c[2] entry 2 wrong", lstm_text,
     mutate(lstm_good, [6, "gradients", "E", "c[2]", 1], lambda v: v + 1e-7), 1, ["variant 7: gradients.E.c[2][2]"])
case("lstm: gradients.E.Wg[2,4] wrong", lstm_text,
     mutate(lstm_good, [0, "gradients", "E", "Wg", 1, 3], lambda v: v * 1.001), 1, ["gradients.E.Wg[2,4]"])
case("lstm: values.c step 3 unit 1 wrong", lstm_text,
     mutate(lstm_good, [1, "values", "c", 2, 0], lambda v: v + 1e-5), 1, ["values.c[3,1]"])
# dE/dc_2 without the path through c_3 and h_2 -> a_3: what a forgetful BPTT would give
lstm_local = copy.deepcopy(lstm_good)
for v in lstm_local:
    g = {k: np.array(val, dtype=float) for k, val in v["given"].items()}
    c = np.array(v["values"]["c"])
    h = np.array(v["values"]["h"])
    o2 = h[1] / np.tanh(c[1])
    v["gradients"]["E"]["c[2]"] = ((h[1] - g["y"][1]) * o2 * (1 - np.tanh(c[1]) ** 2)).tolist()
case("lstm: dE/dc_2 without the later steps (local derivative only)", lstm_text, lstm_local, 1, ["gradients.E.c[2]"])

# ------------------------------------------------------------ structure and given checks
case("lstm: gradients.E.c[2] missing", lstm_text,
     [dict(v, gradients={"E": {k: x for k, x in v["gradients"]["E"].items() if k != "c[2]"}}) for v in lstm_good],
     1, ["gradients.E.c[2] missing"])
case("lstm: values.c transposed (shape)", lstm_text,
     mutate(lstm_good, [3, "values", "c"], lambda v: np.array(v).T.tolist()), 1, ["shape [2, 3], expected [3, 2]"])
case("mlp: duplicate of variant 1 as variant 41 (distinct)", mlp_text,
     mlp_good + [dict(copy.deepcopy(mlp_good[0]), variant=41)], 1, ["variant 41: same drawn values as variant 1"])
case("mlp: fixed b1 changed (answers consistent with it)", mlp_text,
     make(MLP, "--count", "1", "--given", '{"b1": [0.1, 0.2, -0.1, 0.06]}'), 1, ["given.b1 is not drawn"])
case("mlp: drawn x out of range", mlp_text, make(MLP, "--count", "1", "--given", '{"x": [1, -2.5, 0.5]}'), 1,
     ["given.x[2] = -2.5 outside"])
case("mlp: drawn W2 off its 0.1 grid", mlp_text,
     make(MLP, "--count", "1", "--given",
          '{"W2": [[0.3, -0.2, 0.5, 0.1], [-0.4, 0.6, 0.25, -0.3], [0.2, 0.1, -0.6, 0.4]]}'), 1,
     ["given.W2[2,3] = 0.25 not on the grid"])
case("mlp: t not one of the choices", mlp_text, make(MLP, "--count", "1", "--given", '{"t": [0.5, 0.5, 0]}'), 1,
     ["given.t = [0.5, 0.5, 0] is not one of the choices"])
case("mlp: given.W1 missing from the answers", mlp_text,
     [dict(v, given={k: x for k, x in v["given"].items() if k != "W1"}) for v in mlp_good[:3]], 1,
     ["given.W1 missing"])

# ------------------------------------------------------------ require lines
case("mlp: draws without require (some violate it)", mlp_text, make(MLP, "--count", "30", "--seed", "3", "--no-require"),
     1, ["require 'sum(step(z1)) >= 2' does not hold", "require 'min(p) > 0.05' does not hold"])
case("mlp: a tie with two other units alive passes require", mlp_text, tie, 0)
case("mlp: a tie counts as step(0) = 0 in require (float z1[1] = +2.8e-17 would count it)", mlp_text,
     make(MLP, "--count", "1", "--given",
          json.dumps({"x": TIE_X, "W1": [[0.1, 0.1, -0.2], [-0.3, 0.5, 0.1], [0.6, 0.2, -0.5], [0.1, -0.4, 0.3]]})),
     1, ["require 'sum(step(z1)) >= 2' does not hold (left 1.0"])
# c[3] must be step 3 of c: tighten the bound right around the true max |c_3| of variant 1
m = max(abs(x) for x in lstm_good[0]["values"]["c"][2])
for bound, want in ((m + 1e-9, 0), (m - 1e-9, 1)):
    spec = yaml.safe_load(lstm_text)
    spec["variants"]["require"] = [f"max(abs(c[3])) < {bound!r}"]
    case(f"lstm: require max(abs(c[3])) < {'max|c_3| + 1e-9' if want == 0 else 'max|c_3| - 1e-9'}",
         yaml.safe_dump(spec), lstm_good[:1], want, ["does not hold"] if want else [])

# ------------------------------------------------------------ unusable input
spec = yaml.safe_load(mlp_text)
spec["id"] = "something-else"
case("unknown problem id", yaml.safe_dump(spec), mlp_good, 2, ["knows only"])
case("empty answers", mlp_text, [], 1, ["no variants"])

print(f"{sum(results)}/{len(results)} cases behaved as expected")
sys.exit(0 if all(results) else 1)
