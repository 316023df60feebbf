/**
 * quiz.xml in Moodle's XML question format
 * (https://docs.moodle.org/en/Moodle_XML_format): a category, then one
 * `numerical` question per variant and asked scalar, whose text restates the
 * problem with the variant's values. Math is written as \( ... \), which
 * Moodle's MathJax and TeX filters render. Moodle's tolerance is absolute
 * (answer +- tolerance), so a relative tolerance r becomes r * |answer|.
 */
import { askedScalars, type AskedScalar, type SolvedVariant } from './answers.js';
import { introParagraphs, namerOf, paragraphsHtml, promptParagraph } from './question-text.js';
import type { Tolerance } from './spec.js';

export function quizXml(variants: readonly SolvedVariant[], tolerance: Tolerance): string {
  const first = variants[0];
  const id = first?.sol.problem.id ?? 'gradsheet';
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<quiz>',
    '  <question type="category">',
    `    <category><text>${xml(`$course$/top/gradsheet/${id}`)}</text></category>`,
    '  </question>',
  ];
  for (const v of variants) {
    const namer = namerOf(v);
    const intro = paragraphsHtml(introParagraphs(v, namer));
    for (const s of askedScalars(v.sol)) out.push(...question(v, s, intro + paragraphsHtml([promptParagraph(v, s, namer)]), tolerance));
  }
  out.push('</quiz>', '');
  return out.join('\n');
}

function question(v: SolvedVariant, s: AskedScalar, text: string, tol: Tolerance): string[] {
  const abs = tol.kind === 'absolute' ? tol.value : tol.value * Math.abs(s.value);
  return [
    '  <question type="numerical">',
    `    <name><text>${xml(`${v.sol.problem.id} variant ${v.number} ${s.column}`)}</text></name>`,
    `    <questiontext format="html"><text>${xml(text)}</text></questiontext>`,
    '    <generalfeedback format="html"><text></text></generalfeedback>',
    '    <defaultgrade>1</defaultgrade>',
    '    <penalty>0</penalty>',
    '    <hidden>0</hidden>',
    `    <idnumber>${xml(`${v.sol.problem.id}-${v.seedLabel}-${s.column}`)}</idnumber>`,
    '    <answer fraction="100" format="moodle_auto_format">',
    `      <text>${String(s.value)}</text>`,
    `      <tolerance>${String(abs)}</tolerance>`,
    '      <feedback format="html"><text></text></feedback>',
    '    </answer>',
    '    <unitgradingtype>0</unitgradingtype>',
    '    <unitpenalty>0</unitpenalty>',
    '    <showunits>3</showunits>',
    '    <unitsleft>0</unitsleft>',
    '  </question>',
  ];
}

/** Text content for XML: markup characters escaped, characters XML 1.0 forbids dropped. */
function xml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}
