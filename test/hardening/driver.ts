/**
 * Runs `gradsheet` commands exactly as bin/gradsheet.js does (the exported `main`), many in
 * one Node process, so that ~100 bad-input runs cost one start-up instead of one each on this
 * shared 2-core machine. Spawned by the inventory test with a capped heap: a case that tried
 * to allocate without bound kills this process and the test sees it.
 * Usage: node --import tsx driver.ts RUNS.json RESULTS.json  (RUNS: string[][])
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { main } from '../../src/cli.js';
import { DEFAULT_MAX_NODES, setNodeBudget } from '../../src/expr/graph.js';

interface Result { status: number | 'crash'; stdout: string; stderr: string; ms: number }

const runs = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as string[][];
const results: Result[] = [];
const out = process.stdout.write.bind(process.stdout);
const err = process.stderr.write.bind(process.stderr);
for (const argv of runs) {
  let stdout = '', stderr = '';
  process.stdout.write = ((s: string | Uint8Array) => { stdout += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { stderr += String(s); return true; }) as typeof process.stderr.write;
  const t0 = Date.now();
  let status: Result['status'];
  try {
    status = await main(argv);
  } catch (e) {
    // what bin/gradsheet.js would print as an uncaught exception: a stack trace, exit 1
    status = 'crash';
    stderr += e instanceof Error ? (e.stack ?? e.message) : String(e);
  }
  process.stdout.write = out;
  process.stderr.write = err;
  setNodeBudget(DEFAULT_MAX_NODES); // --max-nodes of one run must not leak into the next
  results.push({ status, stdout, stderr, ms: Date.now() - t0 });
}
writeFileSync(process.argv[3]!, JSON.stringify(results));
