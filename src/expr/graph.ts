/**
 * The network as a graph of named nodes. Every tensor element is its own node
 * (`W1[1,2]`), a scalar is a tensor of shape []. Leaves take values from
 * `given`; every other node has a definition over refs to earlier nodes.
 */
import { BudgetExceededError, ProblemError, assert } from '../errors.js';
import { refsOf, type Expr } from './expr.js';

export type LeafRole = 'parameter' | 'input' | 'target' | 'constant';
export type NodeRole = LeafRole | 'intermediate';

export interface GraphNode {
  readonly key: string;            // `h1`, `W1[1,2]`
  readonly tensor: string;         // `h1`, `W1`
  readonly index: readonly number[]; // 1-based; [] for a scalar
  readonly role: NodeRole;
  readonly def?: Expr;             // absent for a leaf
}

export interface TensorInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: NodeRole;
  readonly keys: readonly string[]; // row-major element keys
}

export interface Graph {
  readonly nodes: ReadonlyMap<string, GraphNode>;
  /** topological: every node after the nodes its definition refers to */
  readonly order: readonly string[];
  readonly tensors: ReadonlyMap<string, TensorInfo>;
}

export const elementKey = (name: string, index: readonly number[]): string =>
  index.length === 0 ? name : `${name}[${index.join(',')}]`;

/** All 1-based indices of a shape, row-major. */
export function indicesOf(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const n of shape) out = out.flatMap((p) => Array.from({ length: n }, (_, i) => [...p, i + 1]));
  return out;
}

/** Node budget: graphs larger than this fail fast instead of exhausting memory (raise with --max-nodes). */
export const DEFAULT_MAX_NODES = 200_000;
let budget = DEFAULT_MAX_NODES;

/** The node budget in force for graphs built from now on (the command line's --max-nodes). */
export function setNodeBudget(n: number): void { budget = n; }
export const nodeBudget = (): number => budget;

export class GraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly order: string[] = [];
  private readonly tensors = new Map<string, TensorInfo>();

  constructor(private readonly maxNodes = nodeBudget()) {}

  has(name: string): boolean { return this.tensors.has(name); }
  tensor(name: string): TensorInfo | undefined { return this.tensors.get(name); }

  /** Declare a leaf tensor (shape [] for a scalar). */
  leaf(name: string, shape: readonly number[], role: LeafRole): TensorInfo {
    return this.declare(name, shape, role, () => undefined);
  }

  /** Define a tensor whose element at `index` is `def(index)`. */
  define(name: string, shape: readonly number[], def: (index: number[]) => Expr, role: NodeRole = 'intermediate'): TensorInfo {
    return this.declare(name, shape, role, def);
  }

  private declare(name: string, shape: readonly number[], role: NodeRole, def: (index: number[]) => Expr | undefined): TensorInfo {
    if (this.tensors.has(name)) throw new ProblemError(`'${name}' is defined twice`);
    // the budget is checked on the element count before any index is enumerated
    if (this.nodes.size + shape.reduce((a, b) => a * b, 1) > this.maxNodes) {
      throw new BudgetExceededError('the scalar graph of this network', this.maxNodes, '--max-nodes');
    }
    const idx = indicesOf(shape);
    const keys: string[] = [];
    for (const index of idx) {
      const key = elementKey(name, index);
      const d = def(index);
      if (d) for (const r of refsOf(d)) assert(this.nodes.has(r), `definition of ${key} refers to unknown ${r}`);
      this.nodes.set(key, { key, tensor: name, index, role, def: d });
      this.order.push(key);
      keys.push(key);
    }
    const info: TensorInfo = { name, shape: [...shape], role, keys };
    this.tensors.set(name, info);
    return info;
  }

  build(): Graph {
    return { nodes: this.nodes, order: this.order, tensors: this.tensors };
  }
}

/** Keys of nodes that `root` depends on (itself included). */
export function ancestors(graph: Graph, roots: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const k = stack.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    const def = graph.nodes.get(k)?.def;
    if (def) for (const r of refsOf(def)) stack.push(r);
  }
  return seen;
}

/** consumer lists: key -> keys of nodes whose definitions refer to it. */
export function consumers(graph: Graph): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const k of graph.order) {
    const def = graph.nodes.get(k)!.def;
    if (!def) continue;
    for (const r of refsOf(def)) {
      const list = out.get(r) ?? [];
      list.push(k);
      out.set(r, list);
    }
  }
  return out;
}

const consumerCache = new WeakMap<Graph, { readonly size: number; readonly users: ReadonlyMap<string, readonly string[]> }>();

/**
 * `consumers(graph)` computed once per graph and shared, read-only: the reverse
 * pass and the finite-difference check of every entry need the same lists,
 * and rebuilding them per entry cost O(graph) each time (bench/engine-micro.ts,
 * CPU, with the shared memo of ForwardFunction.at: the check of the 16x16
 * convolution's four entries 8.5 -> 5.2 ms; with evaluate.ts's order cache too, 4 ms).
 * Recomputed if nodes were declared after the graph was built.
 */
export function consumersOf(graph: Graph): ReadonlyMap<string, readonly string[]> {
  const hit = consumerCache.get(graph);
  if (hit && hit.size === graph.order.length) return hit.users;
  const users = consumers(graph);
  consumerCache.set(graph, { size: graph.order.length, users });
  return users;
}
