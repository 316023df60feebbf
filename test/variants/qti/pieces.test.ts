// Pieces of the LMS packages, in process: markup in statements, the lms key's
// errors, a tensor problem's group and figures, exact decimals, and the
// structural checks themselves (they must reject what the spec forbids).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProblemError } from '../../../src/errors.js';
import { parseProblem } from '../../../src/problem/load.js';
import { solveVariants } from '../../../src/variants/job.js';
import { canvasFiles } from '../../../src/variants/qti/canvas.js';
import { difference, plain, sum } from '../../../src/variants/qti/decimal.js';
import { quizFromVariants } from '../../../src/variants/qti/from-variants.js';
import { qti21Files } from '../../../src/variants/qti/qti21.js';
import { REPO } from '../../helpers/oracles.js';
import { kid, kids, parseXml, type XmlElement } from '../xml.js';
import { checkCanvasAssessment, checkItem, MATHML_NS } from './structure.js';

const CHAIN = readFileSync(join(REPO, 'problems/variants-sigmoid-chain.yaml'), 'utf8');
const CONV = readFileSync(join(REPO, 'problems/variants-conv2d.yaml'), 'utf8');

/** libxml2's verdict on one document. */
function xmllint(doc: string): { ok: boolean; err: string } {
  const r = spawnSync('xmllint', ['--noout', '-'], { input: doc, encoding: 'utf8' });
  return { ok: r.status === 0, err: r.stderr };
}

/** Text of an element and its descendants, MathML left out; and the TeX annotations of its math. */
function textAndTex(e: XmlElement): { text: string; tex: string[] } {
  let text = e.text;
  const tex: string[] = [];
  for (const c of e.children) {
    if (c.name === 'math') tex.push(kid(kid(c, 'semantics'), 'annotation').text);
    else { const t = textAndTex(c); text += t.text; tex.push(...t.tex); }
  }
  return { text, tex };
}

describe('a statement with markup characters', () => {
  const STATEMENT = 'Take $a < b$ & keep c]]> as is, with <b>no</b> tags; then $\\text{x]]>y} \\& z < 1$.';
  const yaml = CHAIN.replace(/^statement: >-\n(?: {2}.*\n)+/m, `statement: ${JSON.stringify(STATEMENT)}\n`);
  const problem = parseProblem(yaml, 'markup.yaml');
  const { spec, variants } = solveVariants(problem, '3', 1, 2);
  const set = quizFromVariants(variants, spec.tolerance, 2);

  it('is the statement the problem file says', () => {
    expect(problem.statement).toBe(STATEMENT);
  });

  it('QTI 2.1: every file is well-formed XML (libxml2 and the test parser), and reads back as the statement', () => {
    for (const [name, doc] of qti21Files(set)) {
      expect(xmllint(doc), name).toEqual({ ok: true, err: '' });
      parseXml(doc);
    }
    const [, item] = qti21Files(set).find(([n]) => n.endsWith('-01.xml'))!;
    const p = kids(kid(parseXml(item), 'itemBody'), 'p')[1]!;
    const { text, tex } = textAndTex(p);
    expect(text).toBe('Take  & keep c]]> as is, with <b>no</b> tags; then .');
    expect(tex).toEqual(['a < b', '\\text{x]]>y} \\& z < 1']);
    for (const m of kids(p, 'math')) expect(m.attrs.xmlns).toBe(MATHML_NS);
  });

  it('Canvas: the HTML in the mattext escapes the statement once more, math as \\( \\)', () => {
    for (const [name, doc] of canvasFiles(set)) {
      expect(xmllint(doc), name).toEqual({ ok: true, err: '' });
      parseXml(doc);
    }
    const [, quiz] = canvasFiles(set).find(([n]) => /v-.*\.xml$/.test(n))!;
    const a = checkCanvasAssessment(parseXml(quiz));
    expect(a.problems).toEqual([]);
    expect(a.items[0]!.html).toContain('<p>Take \\(a &lt; b\\) &amp; keep c]]&gt; as is, with &lt;b&gt;no&lt;/b&gt; tags; then \\(\\text{x]]&gt;y} \\&amp; z &lt; 1\\).</p>');
  });
});

describe('lms: {ask: ...} in a problem file', () => {
  const fail = (yaml: string): ProblemError => {
    try { parseProblem(yaml, 'lms.yaml'); } catch (e) { if (e instanceof ProblemError) return e; throw e; }
    throw new Error('no error');
  };
  const line = (yaml: string) => yaml.split('\n').length; // lms is appended as the last line

  it('rejects a number the problem does not ask for, a list, an unknown key, with file, line and key', () => {
    const cases: Array<[string, RegExp]> = [
      ['lms: {ask: "o/w9"}', /the gradient of 'o' is asked with respect to b1, w1, w2, w3, w4, b2, b3, b4, not 'w9'/],
      ['lms: {ask: "E/w1"}', /ask takes no gradient of 'E' \(it asks for gradients of o\)/],
      ['lms: {ask: "z9"}', /"z9" is not among the asked values \(forward: h1, h2, h3, o\)/],
      ['lms: {ask: "update:w1"}', /ask has no update item/],
      ['lms: {ask: "o/w1 + 2"}', /'w1\+2' in "o\/w1\+2" is not a name or an element/],
      ['lms: {ask: [o/w1, o/w2]}', /lms.ask names one asked number/],
    ];
    for (const [lms, msg] of cases) {
      const yaml = `${CHAIN}${lms}\n`;
      const e = fail(yaml);
      expect(e.message, lms).toMatch(msg);
      expect([e.file, e.line, e.key], lms).toEqual(['lms.yaml', line(yaml) - 1, 'lms.ask']);
    }
    const e = fail(`${CHAIN}lms: {asks: "o/w1"}\n`);
    expect(e.format()).toMatch(/^lms\.yaml:\d+: lms\.asks: unknown key 'asks' \(expected one of: ask\)$/);
  });

  it('an element outside its tensor is reported at lms.ask once the network is built', () => {
    const yaml = `${CONV}lms: {ask: "E/K[3,3]"}\n`;
    const problem = parseProblem(yaml, 'conv.yaml');
    const { spec, variants } = solveVariants(problem, '1', 1, 2);
    expect(() => quizFromVariants(variants, spec.tolerance, 2)).toThrow(ProblemError);
    try { quizFromVariants(variants, spec.tolerance, 2); } catch (e) {
      expect((e as ProblemError).format()).toMatch(new RegExp(`^conv\\.yaml:${line(yaml) - 1}: lms\\.ask: "E/K\\[3,3\\]" is not one of the numbers this problem asks for \\(Y\\[1,1\\], .*E/K\\[1,1\\]`));
    }
  });

  it('a tensor entry (E/K[1,2]) makes a group whose answers are that entry of each variant, with the convolution figure as a file', () => {
    const problem = parseProblem(`${CONV}lms: {ask: "E/K[1,2]"}\n`, 'conv.yaml');
    const { spec, variants } = solveVariants(problem, '4', 1, 5);
    const set = quizFromVariants(variants, spec.tolerance, 5);
    const files = canvasFiles(set);
    const svgs = files.filter(([n]) => n.endsWith('.svg'));
    expect(svgs.length).toBe(1); // the same grid in every variant: one file
    expect(xmllint(svgs[0]![1]).ok).toBe(true);
    expect(svgs[0]![1]).toContain(`<math xmlns="${MATHML_NS}">`);
    const a = checkCanvasAssessment(parseXml(files.find(([n]) => n.endsWith('.xml') && n !== 'imsmanifest.xml')![1]));
    expect(a.problems).toEqual([]);
    expect(a.groups[0]!.items.map((q) => Number(q.answer))).toEqual(variants.map((v) => v.sol.gradients.find((g) => g.asked && g.wrt === 'K')!.entries[1]!.value));
  });
});

describe('exact decimals for answer bounds', () => {
  it('writes the digits of the shortest form without an exponent, and sums them exactly', () => {
    expect(plain(1e21)).toBe('1000000000000000000000');
    expect(plain(-1.5e-7)).toBe('-0.00000015');
    expect(plain(0.1)).toBe('0.1');
    expect(plain(-0)).toBe('0');
    expect(sum(0.1, 0.2)).toBe('0.3'); // not 0.30000000000000004: decimal, not binary, arithmetic
    expect(sum(1, 1e-7)).toBe('1.0000001');
    expect(difference(-2.5, 0.0025)).toBe('-2.5025');
    expect(difference(1e-300, 1e-300)).toBe('0');
    for (const x of [Math.PI, -Math.E * 1e-12, 123456789.123, 5e-324, 1.7976931348623157e308, 7.997316799149429e-5]) expect(Number(plain(x))).toBe(x);
  });
});

describe('the structural checks', () => {
  const item = (body: string, extra = '') => parseXml(`<assessmentItem xmlns="http://www.imsglobal.org/xsd/imsqti_v2p1" identifier="i1" title="t" adaptive="false" timeDependent="false">
  <responseDeclaration identifier="RESPONSE" cardinality="single" baseType="float"><correctResponse><value>1.5</value></correctResponse></responseDeclaration>
  <outcomeDeclaration identifier="SCORE" cardinality="single" baseType="float"/>${extra}
  <itemBody>${body}</itemBody>
  <responseProcessing><responseCondition><responseIf><equal toleranceMode="absolute" tolerance="0.1"><variable identifier="RESPONSE"/><baseValue baseType="float">1.5</baseValue></equal><setOutcomeValue identifier="SCORE"><baseValue baseType="float">1</baseValue></setOutcomeValue></responseIf></responseCondition></responseProcessing>
</assessmentItem>`);
  const ok = '<p>x <textEntryInteraction responseIdentifier="RESPONSE"/></p>';

  it('accept a minimal valid item', () => {
    expect(checkItem(item(ok), new Set())).toEqual([]);
  });

  it('reject what QTI 2.1 forbids', () => {
    const cases: Array<[XmlElement, RegExp]> = [
      [item(`${ok}<img src="a.svg"/>`), /<itemBody> holds <img>, which is not a block element/],
      [item(`${ok}<div><img src="a.svg"/></div>`), /<img> lacks the attribute alt|not in the package/],
      [item(`<p style="x">a</p>${ok}`), /attribute style/],
      [item('<p><textEntryInteraction responseIdentifier="OTHER"/></p>'), /'OTHER', which no responseDeclaration declares/],
      [item(`<p><div>a</div></p>${ok}`), /<p> holds <div>/],
      [item(`${ok}<script>x</script>`), /<script>/],
      [item(ok, '<responseDeclaration identifier="LATE" cardinality="single" baseType="float"/>'), /<responseDeclaration> is not allowed here/],
      [item(`<p><math>x</math></p>${ok}`), /<math> outside the MathML namespace/],
    ];
    for (const [doc, msg] of cases) expect(checkItem(doc, new Set()).join('\n')).toMatch(msg);
  });
});
