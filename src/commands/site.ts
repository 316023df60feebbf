/** `gradsheet site [FILES or folders] [--out out/site]`: a static site that checks answers and renders sheets in the page. */
import { basename, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ProblemError } from '../errors.js';
import { parseProblem } from '../problem/load.js';
import { readProblemText } from '../problem/read.js';
import { solve } from '../derive/solve.js';
import { copyKatexAssets, writeAtomic } from '../render/write.js';
import { buildSite } from '../site/build.js';
import { applyBudgetFlags, BUDGET_FLAGS, flagString, parseArgs } from './args.js';
import { problemFiles } from './build.js';

const HELP = `Usage: gradsheet site [FILES or folders] [--out out/site] [--max-nodes N]

Writes a static site into OUT (default out/site): index.html, a page per
problem (problems/<id>.html: the problem sheet, the solution behind a
"show" control, and a checker for answers and derivations) and
playground.html (a problem file in an editor, its solution sheet rendered as
you type). With no FILES, every problems/*.yaml. The engine runs in the page
(one script, assets/gradsheet.js, in a Worker): no server, no network; the
pages open from disk (file://) or from any static host. Every file is
validated and solved before anything is written. Exit 2 on bad input.`;

export async function runSite(args: string[]): Promise<number> {
  const p = parseArgs(args, { out: true, help: false, ...BUDGET_FLAGS });
  if (p.flags.has('help')) { process.stdout.write(HELP + '\n'); return 0; }
  applyBudgetFlags(p);
  const out = resolve(flagString(p, 'out') ?? join('out', 'site'));
  const files = problemFiles(p.positional.length ? p.positional : ['problems']);

  // Read, validate and solve everything first: a bad file stops the build before anything is written.
  const ids = new Map<string, string>();
  const problems = files.map((file) => {
    const text = readProblemText(file);
    // the page names the file by its base name in messages (no author's folders in a published site)
    const source = { file: basename(file), text };
    const sol = solve(parseProblem(text, file));
    const other = ids.get(sol.problem.id);
    if (other) throw new ProblemError(`id '${sol.problem.id}' is also used by ${other}`, file, sol.problem.root.get('id').line, 'id');
    ids.set(sol.problem.id, file);
    return { source, sol };
  });
  const site = await buildSite(problems);

  // Everything exists in memory: each file goes to a temporary name beside its place, then is renamed.
  for (const [rel, data] of site.files) writeAtomic(join(out, rel), data);
  copyKatexAssets(out);
  const js = site.files.get('assets/gradsheet.js')!;
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  process.stdout.write(`site: ${problems.length} problems, index.html, playground.html; script ${kb(Buffer.byteLength(js))} (${kb(gzipSync(js).length)} gzip) -> ${out}\n`);
  return 0;
}
