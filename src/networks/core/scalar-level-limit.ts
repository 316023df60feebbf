/**
 * How large a tensor network's scalar level may be and still run by default
 * (contract 6.1): 20,000 scalar nodes. `--scalar-check` raises it to the node
 * budget (--max-nodes), so the second level runs whenever memory allows.
 */
import { nodeBudget } from '../../expr/graph.js';

export const SCALAR_LEVEL_NODES = 20_000;
let forced = false;

/** `--scalar-check`: run the scalar level up to the node budget. */
export function forceScalarLevel(on: boolean): void { forced = on; }

export const scalarLevelLimit = (): number => (forced ? nodeBudget() : SCALAR_LEVEL_NODES);
