/**
 * A QTI 1.2 package as Canvas (classic quizzes, and New Quizzes through its
 * QTI import) reads it (quiz-canvas.zip): imsmanifest.xml, one
 * `questestinterop` file per quiz in its own folder, the figures under media/.
 * Questions are Canvas `numerical_question`s in the form Canvas itself
 * exports: the statement as HTML in a mattext, math as \( ... \) (Canvas
 * renders it with MathJax), figures as <img> with $IMS-CC-FILEBASE$ paths
 * (the importer drops the token and finds the file in the package), and an
 * "exact answer with margin" written as varequal or the bounds
 * vargte/varlte, which Canvas reads back as margin = upper - answer.
 * Layouts: one quiz (assessment) per variant, or one quiz whose sections are
 * question groups that pick one question each.
 */
import { assert, assertNever } from '../../errors.js';
import { paragraphsHtml, escapeHtml } from '../question-text.js';
import { difference, plain, sum } from './decimal.js';
import { absoluteMargin, Media } from './media.js';
import { allQuestions, NCNAME_RE, type QuizPart, type QuizQuestion, type QuizSet } from './model.js';
import { XML_DECLARATION, xmlAttr, xmlText } from './xml.js';

export const CANVAS_CP_NS = 'http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1';
export const QTI12_NS = 'http://www.imsglobal.org/xsd/ims_qtiasiv1p2';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** Package files, manifest first, in a fixed order. */
export function canvasFiles(set: QuizSet): Array<[string, string]> {
  const questions = allQuestions(set);
  for (const q of questions) assert(NCNAME_RE.test(q.id), `QTI identifier '${q.id}'`);
  assert(new Set(questions.map((q) => q.id)).size === questions.length, 'question identifiers repeat');
  const media = new Media(questions);
  const layout = set.layout;
  let quizzes: Array<{ id: string; title: string; xml: string; questions: readonly QuizQuestion[] }>;
  switch (layout.kind) {
    case 'quizzes':
      quizzes = layout.quizzes.map((q) => ({ id: q.id, title: q.title, questions: q.questions, xml: assessment(q.id, q.title, q.questions.flatMap((x) => item(x, media, '      '))) }));
      break;
    case 'groups':
      quizzes = [{
        id: set.id, title: set.title, questions: allQuestions(set),
        xml: assessment(set.id, set.title, layout.groups.flatMap((g) => group(g, media))),
      }];
      break;
    default: return assertNever(layout);
  }
  const file = (id: string) => `${id}/${id}.xml`;
  const files: Array<[string, string]> = [['imsmanifest.xml', manifest(set, quizzes, media, file)]];
  for (const q of quizzes) files.push([file(q.id), q.xml]);
  for (const m of media.files()) files.push([m.path, m.svg]);
  return files;
}

function manifest(set: QuizSet, quizzes: ReadonlyArray<{ id: string; questions: readonly QuizQuestion[] }>, media: Media, file: (id: string) => string): string {
  const mediaId = (path: string) => `R-${path.replace(/^media\//, '').replace(/\.svg$/, '')}`;
  const out = [
    XML_DECLARATION,
    `<manifest identifier="M-${xmlAttr(set.id)}" xmlns="${CANVAS_CP_NS}" xmlns:xsi="${XSI}" xsi:schemaLocation="${CANVAS_CP_NS} http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd">`,
    '  <metadata>',
    '    <schema>IMS Content</schema>',
    '    <schemaversion>1.1.3</schemaversion>',
    '  </metadata>',
    '  <organizations/>',
    '  <resources>',
  ];
  for (const q of quizzes) {
    const used = [...new Set(q.questions.flatMap((x) => media.used(x)))];
    out.push(
      `    <resource identifier="${xmlAttr(q.id)}" type="imsqti_xmlv1p2">`,
      `      <file href="${xmlAttr(file(q.id))}"/>`,
      ...used.map((m) => `      <dependency identifierref="${xmlAttr(mediaId(m.path))}"/>`),
      '    </resource>',
    );
  }
  for (const m of media.files()) {
    out.push(`    <resource identifier="${xmlAttr(mediaId(m.path))}" type="webcontent" href="${xmlAttr(m.path)}">`, `      <file href="${xmlAttr(m.path)}"/>`, '    </resource>');
  }
  out.push('  </resources>', '</manifest>', '');
  return out.join('\n');
}

function assessment(id: string, title: string, content: readonly string[]): string {
  return [
    XML_DECLARATION,
    `<questestinterop xmlns="${QTI12_NS}" xmlns:xsi="${XSI}" xsi:schemaLocation="${QTI12_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd">`,
    `  <assessment ident="${xmlAttr(id)}" title="${xmlAttr(title)}">`,
    '    <qtimetadata>',
    '      <qtimetadatafield><fieldlabel>cc_maxattempts</fieldlabel><fieldentry>1</fieldentry></qtimetadatafield>',
    '    </qtimetadata>',
    '    <section ident="root_section">',
    ...content,
    '    </section>',
    '  </assessment>',
    '</questestinterop>',
    '',
  ].join('\n');
}

/** A question group: Canvas draws `selection_number` of its questions, each worth `points_per_item`. */
function group(g: QuizPart, media: Media): string[] {
  const points = g.questions[0]?.points ?? 1;
  assert(g.questions.every((q) => q.points === points), `the questions of group ${g.id} have different points`);
  return [
    `      <section ident="${xmlAttr(g.id)}" title="${xmlAttr(g.title)}">`,
    '        <selection_ordering>',
    '          <selection>',
    '            <selection_number>1</selection_number>',
    `            <selection_extension><points_per_item>${plain(points)}</points_per_item></selection_extension>`,
    '          </selection>',
    '        </selection_ordering>',
    ...g.questions.flatMap((q) => item(q, media, '        ')),
    '      </section>',
  ];
}

function item(q: QuizQuestion, media: Media, indent: string): string[] {
  const margin = absoluteMargin(q);
  const figures = q.figures.map((f) => {
    const m = media.of(f);
    const size = m.width && m.height ? ` width="${m.width}" height="${m.height}"` : '';
    return `<p><img src="$IMS-CC-FILEBASE$/${escapeHtml(m.path)}" alt="${escapeHtml(f.alt)}"${size}></p>`;
  });
  const html = `<div>${paragraphsHtml(q.intro)}${figures.join('')}${paragraphsHtml([q.prompt])}</div>`;
  const lines = [
    `<item ident="${xmlAttr(q.id)}" title="${xmlAttr(q.title)}">`,
    '  <itemmetadata>',
    '    <qtimetadata>',
    '      <qtimetadatafield><fieldlabel>question_type</fieldlabel><fieldentry>numerical_question</fieldentry></qtimetadatafield>',
    `      <qtimetadatafield><fieldlabel>points_possible</fieldlabel><fieldentry>${plain(q.points)}</fieldentry></qtimetadatafield>`,
    '    </qtimetadata>',
    '  </itemmetadata>',
    '  <presentation>',
    `    <material><mattext texttype="text/html">${xmlText(html)}</mattext></material>`,
    '    <response_str ident="response1" rcardinality="Single">',
    '      <render_fib fibtype="Decimal"><response_label ident="answer1"/></render_fib>',
    '    </response_str>',
    '  </presentation>',
    '  <resprocessing>',
    '    <outcomes><decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/></outcomes>',
    '    <respcondition continue="No">',
    '      <conditionvar>',
    '        <or>',
    `          <varequal respident="response1">${plain(q.answer)}</varequal>`,
    '          <and>',
    `            <vargte respident="response1">${difference(q.answer, margin)}</vargte>`,
    `            <varlte respident="response1">${sum(q.answer, margin)}</varlte>`,
    '          </and>',
    '        </or>',
    '      </conditionvar>',
    '      <setvar action="Set" varname="SCORE">100</setvar>',
    '    </respcondition>',
    '  </resprocessing>',
    '</item>',
  ];
  return lines.map((l) => indent + l);
}
