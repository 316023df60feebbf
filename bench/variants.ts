/**
 * Time per variant of `gradsheet variants` on problems/variants-sigmoid-chain.yaml:
 * 1000 variants without PDFs (tex, html) and 50 with PDFs (per-variant sheets
 * plus the combined problems.pdf and solutions.pdf). Run: npx tsx bench/variants.ts
 * [--count 1000] [--pdf-count 50]. Writes into a temporary folder, removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProblem } from '../src/problem/read.js';
import { hasPdflatex } from '../src/render/pdf.js';
import type { Format } from '../src/render/index.js';
import { solveVariants } from '../src/variants/job.js';
import { writeVariants } from '../src/variants/output/write.js';

const arg = (name: string, def: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};

const problem = loadProblem(join(import.meta.dirname, '..', 'problems', 'variants-sigmoid-chain.yaml'));

function run(count: number, formats: Format[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'gradsheet-bench-variants-'));
  try {
    const t0 = performance.now();
    const { spec, variants } = solveVariants(problem, 'bench', 1, count);
    const t1 = performance.now();
    const report = writeVariants(join(dir, 'variants'), variants, { formats, count, combined: true, tolerance: spec.tolerance });
    const t2 = performance.now();
    const total = t2 - t0;
    console.log(`${count} variants, formats ${formats.join(',')}: ${(total / 1000).toFixed(1)} s in all, ${(total / count).toFixed(1)} ms per variant`);
    console.log(`  draw + solve + check: ${((t1 - t0) / count).toFixed(2)} ms per variant; render + write: ${((t2 - t1) / count).toFixed(1)} ms per variant (${report.files.length} files)`);
    for (const w of report.warnings) console.log(`  warning: ${w}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

run(arg('count', 1000), ['tex', 'html']);
if (hasPdflatex()) run(arg('pdf-count', 50), ['tex', 'html', 'pdf']);
else console.log('no pdflatex: the PDF run is skipped');
