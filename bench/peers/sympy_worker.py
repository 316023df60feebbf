"""SymPy's cell for the gradsheet benchmark (bench/run-all.ts starts it).

Reads a job (JSON) on stdin: the equations over plain identifiers, the values,
`of` and `wrt`. The work timed: parse each equation with the earlier ones
inlined (parse_expr with the defined names in local_dict), diff with respect
to each asked leaf, cse over all of the derivatives, and evaluate the cse'd
form at the values. Between repeats SymPy's cache is cleared so a repeat does
not reuse the previous run's derivatives. Writes one JSON line on stdout,
the same shape as bench/peers/protocol.ts WorkerResult.
"""
import json
import sys
import time

from sympy import Float, Symbol, cse, diff
from sympy.core.cache import clear_cache
from sympy.parsing.sympy_parser import convert_xor, parse_expr, standard_transformations

READY = "GRADSHEET-BENCH-READY"  # as in bench/peers/protocol.ts
TRANSFORMS = standard_transformations + (convert_xor,)


def run(job):
    p = job["peer"]
    defined = {name for name, _ in p["equations"]}
    env = {}
    for name, text in p["equations"]:
        # every leaf is a plain Symbol (E, S, N, I would otherwise be SymPy constants)
        for token in _names(text):
            if token not in env and token not in defined and token not in ("exp", "tanh"):
                env[token] = Symbol(token)
        env[name] = parse_expr(text, local_dict=env, transformations=TRANSFORMS)
    expr = env[p["of"]]
    grads = [diff(expr, Symbol(x)) for x in p["wrt"]]
    repl, reduced = cse(grads)
    vals = {Symbol(k): Float(v) for k, v in p["values"].items()}
    for sym, e in repl:
        vals[sym] = e.xreplace(vals)
    values = [float(r.xreplace(vals)) for r in reduced]
    return expr, grads, repl, reduced, values


def _names(text):
    out, cur = [], ""
    for ch in text + " ":
        if ch.isalnum() or (cur and ch == "_"):
            cur += ch
        else:
            if cur and cur[0].isalpha():
                out.append(cur)
            cur = ""
    return out


def tree_size(root, memo):
    """Tree nodes, every occurrence of a shared subtree counted (memoized per distinct subtree, no recursion)."""
    stack = [root]
    while stack:
        e = stack[-1]
        if e in memo:
            stack.pop()
            continue
        todo = [a for a in e.args if a not in memo]
        if todo:
            stack.extend(todo)
        else:
            memo[e] = 1 + sum(memo[a] for a in e.args)
            stack.pop()
    return memo[root]


def main():
    job = json.load(sys.stdin)
    sys.stderr.write(READY + "\n")  # the parent's time limit starts now
    sys.stderr.flush()
    try:
        wall, cpu = [], []
        spent = 0.0
        result = None
        runs = 0
        while runs == 0 or (spent < job["repeatBudgetMs"] and runs < job["maxRuns"]):
            clear_cache()
            w0, c0 = time.perf_counter(), time.process_time()
            result = run(job)
            w, c = (time.perf_counter() - w0) * 1000, (time.process_time() - c0) * 1000
            runs += 1
            spent += w
            wall.append(w)
            cpu.append(c)
        if len(wall) > 1:  # the cold run is only a warm-up when there are repeats
            wall, cpu = wall[1:], cpu[1:]
        expr, grads, repl, reduced, values = result
        memo = {}
        sizes = {
            "input": tree_size(expr, memo),
            "result": sum(tree_size(e, memo) for _, e in repl) + sum(tree_size(r, memo) for r in reduced),
            "raw": sum(tree_size(g, memo) for g in grads),
        }
        out = {"ok": True, "wallMs": wall, "cpuMs": cpu, "sizes": sizes, "values": values}
    except RecursionError as e:
        out = {"ok": False, "error": "RecursionError: " + str(e).split("\n")[0]}
    except Exception as e:  # noqa: BLE001 - any failure of the peer is reported in its cell
        out = {"ok": False, "error": type(e).__name__ + ": " + str(e).split("\n")[0]}
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
