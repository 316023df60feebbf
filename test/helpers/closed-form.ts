/**
 * Evaluating the closed forms that `derive --json` prints, from their text:
 * the formula is parsed again and every name is looked up in the solution's
 * values or in the printed `definitions` (delta_h2 = ...). So a test checks
 * the printed strings, not only the engine's internal expressions.
 */
import { parseFormula, toExpr } from '../../src/expr/parse.js';
import { ref } from '../../src/expr/expr.js';
import { elementKey } from '../../src/expr/graph.js';
import { evalExpr } from '../../src/numeric/evaluate.js';

export function evalClosedFormText(
  text: string,
  values: ReadonlyMap<string, number>,
  definitions: Readonly<Record<string, string>> = {},
): number {
  const memo = new Map<string, number>();
  const lookup = (key: string): number | undefined => {
    if (values.has(key)) return values.get(key);
    if (memo.has(key)) return memo.get(key);
    const def = definitions[key];
    if (def === undefined) return undefined;
    const v = evalText(def);
    memo.set(key, v);
    return v;
  };
  const evalText = (t: string): number => {
    const e = toExpr(parseFormula(t), (name, index) => ref(elementKey(name, index ?? [])));
    return evalExpr(e, lookup);
  };
  return evalText(text);
}
