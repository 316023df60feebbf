/**
 * Every sheet the fit test checks, rendered in memory: both sheets of every
 * problem in problems/ (a new file is picked up by its name alone), the exam
 * and answer key of one variant of every exam in exams/ (as `gradsheet exam`
 * renders them), and both sheets of every stress problem of ./stress.ts.
 */
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { solve } from '../../src/derive/solve.js';
import { loadExam } from '../../src/exam/load.js';
import { solveExam } from '../../src/exam/solve.js';
import { renderVariant } from '../../src/exam/document.js';
import { parseProblem } from '../../src/problem/load.js';
import { loadProblem } from '../../src/problem/read.js';
import { renderSheets } from '../../src/render/index.js';
import type { Solution } from '../../src/derive/solve.js';
import { STRESS } from './stress.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** One sheet in both languages: its TeX document and its HTML page. */
export interface Sheet {
  /** `problems/<file>: solution`, `exams/<file> variant 1: exam`, `stress <id>: problem` */
  readonly name: string;
  /** folder/file stem it is written under in the test's output folder */
  readonly path: string;
  readonly tex: string;
  readonly html: string;
}

/** A source of sheets: known by name when the test is collected, rendered when it runs. */
export interface SheetSource {
  readonly name: string;
  readonly render: () => Sheet[];
}

const yamlIn = (dir: string): string[] => readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.yaml')).sort();

/** Both sheets of a solved problem; the KaTeX stylesheet sits one folder up. */
function problemSheets(label: string, folder: string, sol: Solution): Sheet[] {
  const r = renderSheets(sol, { formats: ['tex', 'html'], katexCss: '../katex/katex.min.css' });
  return (['problem', 'solution'] as const).map((which) => ({
    name: `${label}: ${which}`,
    path: `${folder}/${which}`,
    tex: String(r.files.get(`${which}.tex`)),
    html: String(r.files.get(`${which}.html`)),
  }));
}

export function sheetSources(): SheetSource[] {
  const problems = yamlIn('problems').map((f): SheetSource => ({
    name: `problems/${f}`,
    render: () => problemSheets(`problems/${f}`, basename(f, '.yaml'), solve(loadProblem(join(ROOT, 'problems', f)))),
  }));
  const exams = yamlIn('exams').map((f): SheetSource => ({
    name: `exams/${f} variant 1`,
    render: () => {
      const exam = loadExam(join(ROOT, 'exams', f));
      const [v] = solveExam(exam, exam.seed ?? 'fit', 1, 1);
      const r = renderVariant(exam, v!, { formats: ['tex', 'html'], katexCss: '../katex/katex.min.css' });
      return (['exam', 'solutions'] as const).map((which) => ({
        name: `exams/${f} variant 1: ${which}`,
        path: `exam-${basename(f, '.yaml')}/${which}`,
        tex: String(r.files.get(`${which}.tex`)),
        html: String(r.files.get(`${which}.html`)),
      }));
    },
  }));
  const stress = STRESS.map((s): SheetSource => ({
    name: `stress ${s.id}`,
    render: () => problemSheets(`stress ${s.id}`, s.id, solve(parseProblem(s.yaml, `${s.id}.yaml`))),
  }));
  return [...problems, ...exams, ...stress];
}
