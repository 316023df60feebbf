/**
 * Self and total time per function of a V8 .cpuprofile (node --cpu-prof), top N of each:
 * `npx tsx bench/profile-summary.ts FILE [N] [FUNCTION]`; with FUNCTION, also the time of
 * that function by immediate caller.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const [file, topText = '25', focus] = process.argv.slice(2);
const prof = JSON.parse(readFileSync(file!, 'utf8')) as Profile;
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(src|bench|node_modules)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const self = new Map<string, number>(), total = new Map<string, number>(), callers = new Map<string, number>();
let all = 0;
prof.samples.forEach((id, i) => {
  const dt = prof.timeDeltas[i] ?? 0;
  all += dt;
  const n = byId.get(id)!;
  self.set(label(n), (self.get(label(n)) ?? 0) + dt);
  const seen = new Set<string>();
  if (focus) {
    // the innermost frame of `focus` on this sample's stack, charged to its caller
    for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
      const n = byId.get(k)!;
      if (n.callFrame.functionName !== focus) continue;
      const p = parent.get(k);
      const l = p === undefined ? '(root)' : label(byId.get(p)!);
      callers.set(l, (callers.get(l) ?? 0) + dt);
      break;
    }
  }
  for (let k: number | undefined = id; k !== undefined; k = parent.get(k)) {
    const l = label(byId.get(k)!);
    if (!seen.has(l)) { seen.add(l); total.set(l, (total.get(l) ?? 0) + dt); }
  }
});
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(topText))
  .map(([l, t]) => `${(t / 1000).toFixed(1).padStart(9)} ms ${(100 * t / all).toFixed(1).padStart(5)}%  ${l}`).join('\n');
console.log(`total ${(all / 1000).toFixed(1)} ms\n\nself time\n${top(self)}\n\ntotal time\n${top(total)}`);
if (focus) console.log(`\n${focus} by caller\n${top(callers)}`);
