/**
 * An IMS QTI 2.1 content package (quiz-qti.zip): imsmanifest.xml (IMS CP
 * 1.1), one assessmentItem file per question, the figures as SVG files under
 * media/, and one assessmentTest that arranges the items:
 * - one quiz per variant: a visible section that selects one of the
 *   variants' (invisible) sections, so each candidate gets one whole variant;
 * - question groups: one section per group that selects one of its items.
 * Each item asks for one float in a textEntryInteraction; responseProcessing
 * gives the item's points when `equal` with toleranceMode="absolute" holds
 * (a relative tolerance r is written as the absolute margin r*|answer|, as in
 * quiz.xml, since QTI's relative mode is undefined for negative answers).
 * Math is MathML (mathml.ts).
 */
import { assert, assertNever } from '../../errors.js';
import type { Inline, Paragraph } from '../question-text.js';
import { absoluteMargin, Media } from './media.js';
import { mathml } from './mathml.js';
import { allQuestions, NCNAME_RE, type QuizPart, type QuizQuestion, type QuizSet } from './model.js';
import { plain } from './decimal.js';
import { XML_DECLARATION, xmlAttr, xmlText } from './xml.js';

export const QTI21_NS = 'http://www.imsglobal.org/xsd/imsqti_v2p1';
const QTI21_XSD = 'http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd';
export const IMSCP_NS = 'http://www.imsglobal.org/xsd/imscp_v1p1';
const IMSCP_XSD = 'http://www.imsglobal.org/xsd/qti/qtiv2p1/qtiv2p1_imscpv1p2_v1p0.xsd';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

/** Package files, manifest first, in a fixed order. */
export function qti21Files(set: QuizSet): Array<[string, string]> {
  const questions = allQuestions(set);
  for (const q of questions) assert(NCNAME_RE.test(q.id), `QTI identifier '${q.id}'`);
  assert(new Set(questions.map((q) => q.id)).size === questions.length, 'question identifiers repeat');
  const media = new Media(questions);
  const testFile = `${set.id}-test.xml`;
  const itemFile = (q: QuizQuestion) => `${q.id}.xml`;
  const files: Array<[string, string]> = [];
  files.push(['imsmanifest.xml', manifest(set, questions, media, testFile, itemFile)]);
  files.push([testFile, assessmentTest(set, itemFile)]);
  for (const q of questions) files.push([itemFile(q), assessmentItem(q, media)]);
  for (const m of media.files()) files.push([m.path, m.svg]);
  return files;
}

function manifest(set: QuizSet, questions: readonly QuizQuestion[], media: Media, testFile: string, itemFile: (q: QuizQuestion) => string): string {
  const mediaId = (path: string) => `R-${path.replace(/^media\//, '').replace(/\.svg$/, '')}`;
  const out = [
    XML_DECLARATION,
    `<manifest xmlns="${IMSCP_NS}" xmlns:xsi="${XSI}" identifier="M-${xmlAttr(set.id)}" xsi:schemaLocation="${IMSCP_NS} ${IMSCP_XSD}">`,
    '  <metadata>',
    '    <schema>QTIv2.1 Package</schema>',
    '    <schemaversion>1.0.0</schemaversion>',
    '  </metadata>',
    '  <organizations/>',
    '  <resources>',
    `    <resource identifier="R-${xmlAttr(set.id)}-test" type="imsqti_test_xmlv2p1" href="${xmlAttr(testFile)}">`,
    `      <file href="${xmlAttr(testFile)}"/>`,
    ...questions.map((q) => `      <dependency identifierref="R-${xmlAttr(q.id)}"/>`),
    '    </resource>',
  ];
  for (const q of questions) {
    out.push(
      `    <resource identifier="R-${xmlAttr(q.id)}" type="imsqti_item_xmlv2p1" href="${xmlAttr(itemFile(q))}">`,
      `      <file href="${xmlAttr(itemFile(q))}"/>`,
      ...media.used(q).map((m) => `      <dependency identifierref="${xmlAttr(mediaId(m.path))}"/>`),
      '    </resource>',
    );
  }
  for (const m of media.files()) {
    out.push(`    <resource identifier="${xmlAttr(mediaId(m.path))}" type="webcontent" href="${xmlAttr(m.path)}">`, `      <file href="${xmlAttr(m.path)}"/>`, '    </resource>');
  }
  out.push('  </resources>', '</manifest>', '');
  return out.join('\n');
}

function assessmentTest(set: QuizSet, itemFile: (q: QuizQuestion) => string): string {
  const ref = (q: QuizQuestion, indent: string) => `${indent}<assessmentItemRef identifier="${xmlAttr(q.id)}" href="${xmlAttr(itemFile(q))}"/>`;
  const sections: string[] = [];
  const layout = set.layout;
  switch (layout.kind) {
    case 'quizzes':
      // one visible section drawing one whole variant: its questions belong together
      sections.push(`      <assessmentSection identifier="${xmlAttr(set.id)}-variants" title="${xmlAttr(set.title)}" visible="true">`, '        <selection select="1"/>');
      for (const quiz of layout.quizzes) {
        sections.push(`        <assessmentSection identifier="${xmlAttr(quiz.id)}" title="${xmlAttr(quiz.title)}" visible="false">`, ...quiz.questions.map((q) => ref(q, '          ')), '        </assessmentSection>');
      }
      sections.push('      </assessmentSection>');
      break;
    case 'groups':
      for (const g of layout.groups) sections.push(...groupSection(g, ref));
      break;
    default: assertNever(layout);
  }
  return [
    XML_DECLARATION,
    `<assessmentTest xmlns="${QTI21_NS}" xmlns:xsi="${XSI}" xsi:schemaLocation="${QTI21_NS} ${QTI21_XSD}" identifier="${xmlAttr(set.id)}" title="${xmlAttr(set.title)}">`,
    '  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>',
    `  <testPart identifier="${xmlAttr(set.id)}-part" navigationMode="nonlinear" submissionMode="simultaneous">`,
    ...sections.map((s) => s.slice(2)),
    '  </testPart>',
    '  <outcomeProcessing>',
    '    <setOutcomeValue identifier="SCORE">',
    '      <sum><testVariables variableIdentifier="SCORE"/></sum>',
    '    </setOutcomeValue>',
    '  </outcomeProcessing>',
    '</assessmentTest>',
    '',
  ].join('\n');
}

function groupSection(g: QuizPart, ref: (q: QuizQuestion, indent: string) => string): string[] {
  return [
    `      <assessmentSection identifier="${xmlAttr(g.id)}" title="${xmlAttr(g.title)}" visible="true">`,
    '        <selection select="1"/>',
    ...g.questions.map((q) => ref(q, '        ')),
    '      </assessmentSection>',
  ];
}

export function assessmentItem(q: QuizQuestion, media: Media): string {
  const margin = plain(absoluteMargin(q));
  const points = plain(q.points);
  const body = [
    ...q.intro.map((p) => `    <p>${paragraphXml(p)}</p>`),
    ...q.figures.map((f) => {
      const m = media.of(f);
      const size = m.width && m.height ? ` width="${m.width}" height="${m.height}"` : '';
      return `    <div><img src="${xmlAttr(m.path)}" alt="${xmlAttr(f.alt)}"${size}/></div>`;
    }),
    `    <p>${paragraphXml(q.prompt)} <textEntryInteraction responseIdentifier="RESPONSE" expectedLength="24"/></p>`,
  ];
  return [
    XML_DECLARATION,
    `<assessmentItem xmlns="${QTI21_NS}" xmlns:xsi="${XSI}" xsi:schemaLocation="${QTI21_NS} ${QTI21_XSD}" identifier="${xmlAttr(q.id)}" title="${xmlAttr(q.title)}" adaptive="false" timeDependent="false">`,
    '  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="float">',
    `    <correctResponse><value>${plain(q.answer)}</value></correctResponse>`,
    '  </responseDeclaration>',
    '  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float">',
    '    <defaultValue><value>0</value></defaultValue>',
    '  </outcomeDeclaration>',
    '  <outcomeDeclaration identifier="MAXSCORE" cardinality="single" baseType="float">',
    `    <defaultValue><value>${points}</value></defaultValue>`,
    '  </outcomeDeclaration>',
    '  <itemBody>',
    ...body,
    '  </itemBody>',
    '  <responseProcessing>',
    '    <responseCondition>',
    '      <responseIf>',
    `        <equal toleranceMode="absolute" tolerance="${margin} ${margin}" includeLowerBound="true" includeUpperBound="true">`,
    '          <variable identifier="RESPONSE"/>',
    `          <baseValue baseType="float">${plain(q.answer)}</baseValue>`,
    '        </equal>',
    `        <setOutcomeValue identifier="SCORE"><baseValue baseType="float">${points}</baseValue></setOutcomeValue>`,
    '      </responseIf>',
    '      <responseElse>',
    '        <setOutcomeValue identifier="SCORE"><baseValue baseType="float">0</baseValue></setOutcomeValue>',
    '      </responseElse>',
    '    </responseCondition>',
    '  </responseProcessing>',
    '</assessmentItem>',
    '',
  ].join('\n');
}

/** A paragraph's content: text escaped, bold as <strong>, math as MathML (its TeX as text where KaTeX cannot read it). */
function paragraphXml(p: Paragraph): string {
  return p.map(inlineXml).join('');
}

function inlineXml(i: Inline): string {
  switch (i.kind) {
    case 'text': return xmlText(i.text);
    case 'strong': return `<strong>${xmlText(i.text)}</strong>`;
    case 'math': return mathml(i.tex) ?? xmlText(`$${i.tex}$`);
    default: return assertNever(i);
  }
}
