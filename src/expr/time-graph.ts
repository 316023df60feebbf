/**
 * A graph builder for tensors indexed by time. The shared GraphBuilder defines
 * a whole tensor at once, but an unrolled RNN interleaves its tensors: z[2,*]
 * needs h[1,*], which needs z[1,*]. Here a tensor is declared with its shape
 * first and its elements are defined one at a time, in time order; build()
 * checks that every declared element got a definition. The result is the same
 * `Graph` the rest of the pipeline uses.
 */
import { assert } from '../errors.js';
import { refsOf, type Expr } from './expr.js';
import { elementKey, indicesOf, nodeBudget, type Graph, type GraphNode, type LeafRole, type NodeRole, type TensorInfo } from './graph.js';

export class TimeGraphBuilder {
  private readonly nodes = new Map<string, GraphNode>();
  private readonly order: string[] = [];
  private readonly tensors = new Map<string, TensorInfo>();
  private declared = 0;

  /** `overBudget` reports a graph larger than the node budget (--max-nodes): a user error, with its location. */
  constructor(private readonly overBudget: (limit: number) => never, private readonly maxNodes = nodeBudget()) {}

  /** A leaf tensor: every element is a node at once. */
  leaf(name: string, shape: readonly number[], role: LeafRole): TensorInfo {
    const info = this.declare(name, shape, role);
    for (const key of info.keys) this.insert(key, name, role, undefined);
    return info;
  }

  /** A computed tensor whose elements are defined later with `set`. */
  tensor(name: string, shape: readonly number[], role: NodeRole = 'intermediate'): TensorInfo {
    return this.declare(name, shape, role);
  }

  /** Define one element of a declared tensor; its definition may only use nodes defined before it. */
  set(name: string, index: readonly number[], def: Expr): string {
    const t = this.tensors.get(name);
    assert(t && t.role === 'intermediate', `${name} is not a declared computed tensor`);
    const key = elementKey(name, index);
    assert(index.length === t.shape.length && index.every((i, d) => i >= 1 && i <= t.shape[d]!), `${key} is outside ${name}`);
    assert(!this.nodes.has(key), `${key} is defined twice`);
    for (const r of refsOf(def)) assert(this.nodes.has(r), `definition of ${key} refers to ${r}, not yet defined`);
    this.insert(key, name, 'intermediate', def);
    return key;
  }

  build(): Graph {
    for (const t of this.tensors.values()) for (const k of t.keys) assert(this.nodes.has(k), `${k} was declared but never defined`);
    return { nodes: this.nodes, order: this.order, tensors: this.tensors };
  }

  private declare(name: string, shape: readonly number[], role: NodeRole): TensorInfo {
    assert(!this.tensors.has(name), `'${name}' is declared twice`);
    this.declared += shape.reduce((a, b) => a * b, 1); // checked before any key is made
    if (this.declared > this.maxNodes) this.overBudget(this.maxNodes);
    const keys = indicesOf(shape).map((i) => elementKey(name, i));
    const info: TensorInfo = { name, shape: [...shape], role, keys };
    this.tensors.set(name, info);
    return info;
  }

  private insert(key: string, tensor: string, role: NodeRole, def: Expr | undefined): void {
    const index = key === tensor ? [] : key.slice(tensor.length + 1, -1).split(',').map(Number);
    this.nodes.set(key, { key, tensor, index, role, def });
    this.order.push(key);
  }
}
