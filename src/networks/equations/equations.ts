/**
 * `kind: equations`: any network written as its equations. Scalar equations
 * (contract 2.1) expand directly into the scalar graph; equations with
 * tensors or time (2.7) go to the tensor level (tensor-network.ts), whose
 * scalar expansion is the second level.
 */
import { orderEquations } from '../../input/order-equations.js';
import { ProblemError } from '../../errors.js';
import { ref, FN_NAMES, type Expr } from '../../expr/expr.js';
import { GraphBuilder, elementKey } from '../../expr/graph.js';
import { namesIn, parseFormula, toExpr, type Ast } from '../../expr/parse.js';
import { parseTensorFormula, type TAst } from '../../expr/tensor-parse.js';
import type { TargetKind } from '../../expr/tensor-graph.js';
import { Field, NAME_RE } from '../../input/field.js';
import type { BuildContext, BuiltNetwork } from '../core/built.js';
import { TENSOR_FUNCTIONS, type TensorEquation, type TensorEquationsPart } from '../core/tensor-equations.js';
import { buildTensorNetwork } from '../core/tensor-network.js';

export interface EquationsSpec {
  readonly kind: 'equations';
  /** the scalar reading of each equation (null where only the tensor syntax reads it) */
  readonly equations: ReadonlyArray<{ name: string; ast: Ast | null; field: Field }>;
  /** the tensor reading (2.7) */
  readonly tensor: TensorEquationsPart;
  /** the file uses tensor or time syntax (@, ^T, [t], sum(...), steps, targets, ...) */
  readonly tensorSyntax: boolean;
}

const TARGET_KINDS: readonly TargetKind[] = ['one-hot', 'distribution', 'binary', 'real'];
/** Functions that only the tensor level has. */
const TENSOR_ONLY = new Set(TENSOR_FUNCTIONS.filter((f) => !(FN_NAMES as readonly string[]).includes(f)));

/** Most equations one problem may define. */
export const MAX_EQUATIONS = 10_000;

export function parseEquationsSpec(f: Field): EquationsSpec {
  f.only(['kind', 'equations', 'steps', 'targets', 'shapes', 'initial']);
  const eqf = f.required('equations');
  const keys = eqf.keys();
  if (keys.length > MAX_EQUATIONS) eqf.fail(`more than ${MAX_EQUATIONS} equations`);
  const steps = f.get('steps').exists ? f.get('steps').int(1, 10_000) : null;
  const tensorEqs: TensorEquation[] = [];
  const scalarEqs: Array<{ name: string; ast: Ast | null; field: Field }> = [];
  const seen = new Set<string>();
  let tensorSyntax = steps !== null || ['targets', 'shapes', 'initial'].some((k) => f.get(k).exists);
  for (const key of keys) {
    const field = eqf.get(key);
    const m = /^([A-Za-z][A-Za-z0-9_]*)(?:\[\s*t\s*\])?$/.exec(key);
    if (!m) field.fail(`'${key}' is not a name (or a name per step such as h[t])`);
    const name = m![1]!;
    const seq = key !== name;
    if (seq) { tensorSyntax = true; if (steps === null) field.fail(`'${key}' is defined per step; add 'steps: N' to the network`); }
    if (seen.has(name)) field.fail(`'${name}' is defined twice`);
    seen.add(name);
    if ((FN_NAMES as readonly string[]).includes(name) || TENSOR_FUNCTIONS.includes(name)) field.fail(`'${name}' is a function name and cannot be defined`);
    const text = field.text();
    let tast: TAst;
    try {
      tast = parseTensorFormula(text);
    } catch (e) {
      if (e instanceof ProblemError) field.fail(`${e.message} in '${text}'`);
      throw e;
    }
    let ast: Ast | null = null;
    try { ast = parseFormula(text); } catch (e) { if (!(e instanceof ProblemError)) throw e; }
    if (ast === null || usesTensorSyntax(tast)) tensorSyntax = true;
    tensorEqs.push({ name, seq, ast: tast, text, field });
    scalarEqs.push({ name, ast, field });
  }
  for (const eq of scalarEqs) {
    if (!eq.ast) continue;
    for (const n of namesIn(eq.ast)) {
      if ((FN_NAMES as readonly string[]).includes(n.name)) eq.field.fail(`'${n.name}' is a function; write ${n.name}(...)`);
    }
  }
  const part: TensorEquationsPart = {
    steps, equations: tensorEqs, field: f,
    targets: parseTargets(f.get('targets')),
    shapes: parseShapes(f.get('shapes')),
    initial: parseInitial(f.get('initial')),
  };
  return { kind: 'equations', equations: scalarEqs, tensor: part, tensorSyntax };
}

/** @, ^T, a step or a slice in brackets, or a function only tensors have. */
function usesTensorSyntax(a: TAst): boolean {
  switch (a.t) {
    case 'num': case 'name': return false;
    case 'select': return a.parts.some((p) => p.kind !== 'at' || p.e.t !== 'num') || usesTensorSyntax(a.x);
    case 'call': return TENSOR_ONLY.has(a.fn) || a.args.length !== 1 || a.kwargs.size > 0 || a.args.some(usesTensorSyntax);
    case 'bin': return a.op === '@' || usesTensorSyntax(a.l) || usesTensorSyntax(a.r);
    case 'neg': return usesTensorSyntax(a.x);
    case 'transpose': case 'tuple': return true;
  }
}

function parseTargets(f: Field): Map<string, TargetKind | null> {
  const out = new Map<string, TargetKind | null>();
  if (!f.exists) return out;
  if (f.isList() || f.isScalar()) for (const n of f.nameList()) out.set(n, null);
  else for (const n of f.keys()) {
    if (!NAME_RE.test(n)) f.get(n).fail(`'${n}' is not a name`);
    out.set(n, f.get(n).oneOf(TARGET_KINDS));
  }
  return out;
}

function parseShapes(f: Field): Map<string, { shape: number[]; field: Field }> {
  const out = new Map<string, { shape: number[]; field: Field }>();
  if (!f.exists) return out;
  for (const n of f.keys()) {
    const g = f.get(n);
    if (!NAME_RE.test(n)) g.fail(`'${n}' is not a name`);
    const shape = g.items().map((d) => d.int(1, 1_000_000));
    if (shape.length > 4) g.fail('a shape has at most 4 sizes');
    out.set(n, { shape, field: g });
  }
  return out;
}

function parseInitial(f: Field): Map<string, { name: string; field: Field }> {
  const out = new Map<string, { name: string; field: Field }>();
  if (!f.exists) return out;
  for (const n of f.keys()) out.set(n, { name: f.get(n).name(), field: f.get(n) });
  return out;
}

export function buildEquations(spec: EquationsSpec, ctx: BuildContext): BuiltNetwork {
  if (spec.tensorSyntax || usesWholeTensors(spec, ctx)) return buildTensorNetwork(spec.tensor, ctx);
  const defined = new Map(spec.equations.map((e) => [e.name, e]));
  const order = orderEquations(spec.equations, (eq) => namesIn(eq.ast!).map((n) => n.name));
  const b = new GraphBuilder();
  // Leaves: every name no equation defines, with the shape of its given value.
  for (const eq of spec.equations) {
    for (const n of namesIn(eq.ast!)) {
      if (defined.has(n.name) || b.has(n.name)) continue;
      b.leaf(n.name, ctx.givenShape(n.name) ?? [], 'parameter');
    }
  }
  for (const eq of order) {
    const def = toExpr(eq.ast!, (name, index) => resolve(b, name, index, eq.field, defined.has(name)));
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

/** A scalar-looking file that names a vector or matrix whole (`W @ x` aside: `x` given as [1, 2]) is a tensor problem. */
function usesWholeTensors(spec: EquationsSpec, ctx: BuildContext): boolean {
  const defined = new Set(spec.equations.map((e) => e.name));
  return spec.equations.some((eq) => namesIn(eq.ast!).some((n) => {
    if (n.index || defined.has(n.name)) return false;
    const shape = ctx.givenShape(n.name);
    return shape !== undefined && shape.reduce((a, b) => a * b, 1) > 1;
  }));
}

