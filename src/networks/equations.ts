/** `kind: equations`: any scalar network written as ordered equations (contract 2.1). */
import { ProblemError } from '../errors.js';
import { ref, FN_NAMES, type Expr } from '../expr/expr.js';
import { GraphBuilder, elementKey } from '../expr/graph.js';
import { namesIn, parseFormula, toExpr, type Ast } from '../expr/parse.js';
import { Field, NAME_RE } from '../problem/field.js';
import type { BuildContext, BuiltNetwork } from './built.js';

export interface EquationsSpec {
  readonly kind: 'equations';
  readonly equations: ReadonlyArray<{ name: string; ast: Ast; field: Field }>;
}

/** Most equations one problem may define. */
export const MAX_EQUATIONS = 10_000;

export function parseEquationsSpec(f: Field): EquationsSpec {
  f.only(['kind', 'equations']);
  const eqf = f.required('equations');
  const names = eqf.keys();
  if (names.length > MAX_EQUATIONS) eqf.fail(`more than ${MAX_EQUATIONS} equations`);
  const equations = names.map((name) => {
    const field = eqf.get(name);
    if (!NAME_RE.test(name)) field.fail(`'${name}' is not a name`);
    if ((FN_NAMES as readonly string[]).includes(name)) field.fail(`'${name}' is a function name and cannot be defined`);
    try {
      return { name, ast: parseFormula(field.text()), field };
    } catch (e) {
      if (e instanceof ProblemError) field.fail(`${e.message} in '${field.text()}'`);
      throw e;
    }
  });
  for (const eq of equations) {
    for (const n of namesIn(eq.ast)) {
      if ((FN_NAMES as readonly string[]).includes(n.name)) eq.field.fail(`'${n.name}' is a function; write ${n.name}(...)`);
    }
  }
  return { kind: 'equations', equations };
}

export function buildEquations(spec: EquationsSpec, ctx: BuildContext): BuiltNetwork {
  const defined = new Map(spec.equations.map((e) => [e.name, e]));
  const order = topoSortEquations(spec, defined);
  const b = new GraphBuilder();
  // Leaves: every name no equation defines, with the shape of its given value.
  for (const eq of spec.equations) {
    for (const n of namesIn(eq.ast)) {
      if (defined.has(n.name) || b.has(n.name)) continue;
      b.leaf(n.name, ctx.givenShape(n.name) ?? [], 'parameter');
    }
  }
  for (const eq of order) {
    const def = toExpr(eq.ast, (name, index) => resolve(b, name, index, eq.field, defined.has(name)));
    b.define(eq.name, [], () => def);
  }
  const last = spec.equations[spec.equations.length - 1]!.name;
  return { graph: b.build(), parameters: [], output: last };
}

function resolve(b: GraphBuilder, name: string, index: number[] | undefined, field: Field, isEquation: boolean): Expr {
  const t = b.tensor(name)!;
  if (isEquation && index) field.fail(`'${name}' is a scalar equation and has no elements`);
  if (!index) {
    if (t.shape.length > 0 && t.keys.length !== 1) field.fail(`'${name}' is a tensor of shape [${t.shape.join(', ')}]: name one element, e.g. ${name}[${t.shape.map(() => 1).join(',')}]`);
    return ref(t.keys[0]!);
  }
  if (index.length !== t.shape.length || index.some((i, d) => i > t.shape[d]!)) {
    field.fail(`${elementKey(name, index)} is outside '${name}' of shape [${t.shape.join(', ')}]`);
  }
  return ref(elementKey(name, index));
}

/** Equations may be listed in any order; a cycle is an input error naming its members. */
function topoSortEquations(spec: EquationsSpec, defined: Map<string, EquationsSpec['equations'][number]>) {
  const state = new Map<string, 'visiting' | 'done'>();
  const out: Array<EquationsSpec['equations'][number]> = [];
  const visit = (name: string, trail: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    const eq = defined.get(name)!;
    if (s === 'visiting') eq.field.fail(`equations form a cycle: ${[...trail.slice(trail.indexOf(name)), name].join(' -> ')}`);
    state.set(name, 'visiting');
    for (const n of namesIn(eq.ast)) if (defined.has(n.name)) visit(n.name, [...trail, name]);
    state.set(name, 'done');
    out.push(eq);
  };
  for (const eq of spec.equations) visit(eq.name, []);
  return out;
}
