/**
 * Structural checks of QTI packages, written for the tests from the specs
 * (no IMS XSD is published on npm or in Debian, the registries this project
 * reaches, so the schema cannot be vendored; see README). Each check returns
 * the list of problems found, empty when the document follows:
 * - IMS QTI 2.1 (Information Model and XSD binding, 2012): assessmentItem,
 *   assessmentTest, their child order and required attributes, the XHTML
 *   subset allowed in itemBody, identifiers declared before use, the
 *   `equal` operator's tolerance attributes;
 * - IMS Content Packaging 1.1 as QTI 2.1 packages use it: every file listed,
 *   every listed file present, every dependency resolved;
 * - IMS QTI 1.2 (ASI) as Canvas reads a numerical question: the elements
 *   and metadata fields of Canvas's own exports.
 * Written independently of src/: it knows the specs, not our writers.
 */
import { kids, type XmlElement } from '../xml.js';

export const QTI21_NS = 'http://www.imsglobal.org/xsd/imsqti_v2p1';
export const IMSCP_NS = 'http://www.imsglobal.org/xsd/imscp_v1p1';
export const MATHML_NS = 'http://www.w3.org/1998/Math/MathML';
export const QTI12_NS = 'http://www.imsglobal.org/xsd/ims_qtiasiv1p2';

const NCNAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const FLOAT = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const BASE_TYPES = ['identifier', 'boolean', 'integer', 'float', 'string', 'point', 'pair', 'directedPair', 'duration', 'file', 'uri', 'intOrIdentifier'];
const CARDINALITIES = ['single', 'multiple', 'ordered', 'record'];
const BODY_ATTRS = ['id', 'class', 'xml:lang', 'label'];

/** XHTML elements QTI 2.1 allows in an item body, with their own attributes (besides id, class, xml:lang, label). */
const BLOCK = new Set(['p', 'div', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'dl', 'ol', 'ul', 'hr', 'blockquote', 'table', 'math']);
const INLINE = new Set(['a', 'abbr', 'acronym', 'b', 'big', 'cite', 'code', 'dfn', 'em', 'i', 'kbd', 'q', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'tt', 'var', 'img', 'br', 'object', 'math', 'textEntryInteraction']);
const OWN_ATTRS: Record<string, readonly string[]> = {
  img: ['src', 'alt', 'longdesc', 'height', 'width'],
  a: ['href', 'type'],
  object: ['data', 'type', 'width', 'height'],
  textEntryInteraction: ['responseIdentifier', 'base', 'stringIdentifier', 'expectedLength', 'patternMask', 'placeholderText'],
};
/** Content model: which children an element takes. */
const INLINE_ONLY = new Set(['p', 'pre', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'address', 'a', 'abbr', 'acronym', 'b', 'big', 'cite', 'code', 'dfn', 'em', 'i', 'kbd', 'q', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'tt', 'var']);
const EMPTY = new Set(['img', 'br', 'hr', 'textEntryInteraction']);

/** Children must be named in this order, each name `?` (0-1), `*` (any), `+` (1 or more) or `1`. */
function order(e: XmlElement, model: ReadonlyArray<readonly [string, '?' | '*' | '+' | '1']>, out: string[]): void {
  let i = 0;
  for (const [name, m] of model) {
    let n = 0;
    while (i < e.children.length && e.children[i]!.name === name) { i++; n++; }
    if ((m === '1' || m === '+') && n === 0) out.push(`<${e.name}> lacks <${name}>`);
    if ((m === '1' || m === '?') && n > 1) out.push(`<${e.name}> has ${n} <${name}>`);
  }
  if (i < e.children.length) out.push(`<${e.name}>: <${e.children[i]!.name}> is not allowed here (expected ${model.map(([n]) => n).join(', ')} in that order)`);
}

function need(e: XmlElement, attrs: readonly string[], out: string[]): void {
  for (const a of attrs) if (!(a in e.attrs) || e.attrs[a] === '') out.push(`<${e.name}> lacks the attribute ${a}`);
}

function oneOf(e: XmlElement, attr: string, values: readonly string[], out: string[]): void {
  if (attr in e.attrs && !values.includes(e.attrs[attr]!)) out.push(`<${e.name} ${attr}="${e.attrs[attr]}"> is not one of ${values.join(', ')}`);
}

/** Problems with a QTI 2.1 assessmentItem; `files` are the package's paths (to check images). */
export function checkItem(root: XmlElement, files: ReadonlySet<string>): string[] {
  const out: string[] = [];
  if (root.name !== 'assessmentItem') return [`the root is <${root.name}>, not <assessmentItem>`];
  if (root.attrs.xmlns !== QTI21_NS) out.push(`namespace ${root.attrs.xmlns}`);
  need(root, ['identifier', 'title', 'adaptive', 'timeDependent'], out);
  if (!NCNAME.test(root.attrs.identifier ?? '')) out.push(`identifier '${root.attrs.identifier}' is not an NCName`);
  oneOf(root, 'adaptive', ['true', 'false'], out);
  oneOf(root, 'timeDependent', ['true', 'false'], out);
  order(root, [['responseDeclaration', '*'], ['outcomeDeclaration', '*'], ['templateDeclaration', '*'], ['templateProcessing', '?'], ['stylesheet', '*'], ['itemBody', '?'], ['responseProcessing', '?'], ['modalFeedback', '*']], out);
  const responses = new Map<string, string>();
  for (const r of kids(root, 'responseDeclaration')) {
    need(r, ['identifier', 'cardinality'], out);
    oneOf(r, 'cardinality', CARDINALITIES, out);
    oneOf(r, 'baseType', BASE_TYPES, out);
    order(r, [['defaultValue', '?'], ['correctResponse', '?'], ['mapping', '?'], ['areaMapping', '?']], out);
    for (const c of kids(r, 'correctResponse')) {
      order(c, [['value', '+']], out);
      if (r.attrs.baseType === 'float') for (const v of kids(c, 'value')) if (!FLOAT.test(v.text)) out.push(`correct response '${v.text}' is not a float`);
    }
    responses.set(r.attrs.identifier!, r.attrs.baseType ?? '');
  }
  const outcomes = new Set<string>();
  for (const o of kids(root, 'outcomeDeclaration')) {
    need(o, ['identifier', 'cardinality'], out);
    oneOf(o, 'cardinality', CARDINALITIES, out);
    oneOf(o, 'baseType', BASE_TYPES, out);
    order(o, [['defaultValue', '?'], ['matchTable', '?'], ['interpolationTable', '?']], out);
    for (const d of kids(o, 'defaultValue')) order(d, [['value', '+']], out);
    outcomes.add(o.attrs.identifier!);
  }
  const declared = new Set([...responses.keys(), ...outcomes]);
  for (const id of declared) if (!NCNAME.test(id)) out.push(`identifier '${id}' is not an NCName`);
  const interactions: string[] = [];
  for (const body of kids(root, 'itemBody')) {
    for (const c of body.children) {
      if (!BLOCK.has(c.name)) out.push(`<itemBody> holds <${c.name}>, which is not a block element`);
      bodyElement(c, out, interactions, files);
    }
  }
  for (const r of interactions) if (!responses.has(r)) out.push(`an interaction answers '${r}', which no responseDeclaration declares`);
  for (const rp of kids(root, 'responseProcessing')) {
    if (!rp.children.length && !rp.attrs.template) out.push('<responseProcessing> is empty');
    for (const rule of rp.children) responseRule(rule, declared, outcomes, out);
  }
  return out;
}

function bodyElement(e: XmlElement, out: string[], interactions: string[], files: ReadonlySet<string>): void {
  if (e.name === 'math') {
    if (e.attrs.xmlns !== MATHML_NS) out.push(`<math> outside the MathML namespace (${e.attrs.xmlns})`);
    return; // MathML's own content model is not QTI's to check
  }
  const allowed = [...BODY_ATTRS, ...(OWN_ATTRS[e.name] ?? [])];
  for (const a of Object.keys(e.attrs)) if (!allowed.includes(a)) out.push(`<${e.name}> has the attribute ${a}, which QTI 2.1 does not allow`);
  if (e.name === 'img') {
    need(e, ['src', 'alt'], out);
    if (e.attrs.alt === undefined) out.push('<img> without alt');
    if (e.attrs.src && !files.has(e.attrs.src)) out.push(`<img src="${e.attrs.src}"> is not in the package`);
  }
  if (e.name === 'textEntryInteraction') {
    need(e, ['responseIdentifier'], out);
    interactions.push(e.attrs.responseIdentifier!);
    if (e.attrs.expectedLength && !/^\d+$/.test(e.attrs.expectedLength)) out.push('expectedLength is not an integer');
  }
  if (EMPTY.has(e.name) && (e.children.length || e.text.trim())) out.push(`<${e.name}> must be empty`);
  for (const c of e.children) {
    if (INLINE_ONLY.has(e.name) ? !INLINE.has(c.name) : !(INLINE.has(c.name) || BLOCK.has(c.name))) out.push(`<${e.name}> holds <${c.name}>, which its content model does not allow`);
    bodyElement(c, out, interactions, files);
  }
}

const RULES = ['responseCondition', 'setOutcomeValue', 'exitResponse', 'lookupOutcomeValue', 'responseProcessingFragment'];
const EXPRESSIONS = ['baseValue', 'variable', 'correct', 'mapResponse', 'isNull', 'not', 'and', 'or', 'equal', 'match', 'lt', 'gt', 'lte', 'gte', 'sum', 'product', 'subtract', 'stringMatch', 'null'];

function responseRule(e: XmlElement, declared: ReadonlySet<string>, outcomes: ReadonlySet<string>, out: string[]): void {
  if (!RULES.includes(e.name)) { out.push(`<${e.name}> is not a response rule`); return; }
  if (e.name === 'responseCondition') {
    order(e, [['responseIf', '1'], ['responseElseIf', '*'], ['responseElse', '?']], out);
    for (const branch of e.children) {
      const rules = branch.name === 'responseElse' ? branch.children : branch.children.slice(1);
      if (branch.name !== 'responseElse') {
        const cond = branch.children[0];
        if (!cond) out.push(`<${branch.name}> has no condition`);
        else expression(cond, declared, out);
      }
      for (const r of rules) responseRule(r, declared, outcomes, out);
    }
  }
  if (e.name === 'setOutcomeValue') {
    need(e, ['identifier'], out);
    if (!outcomes.has(e.attrs.identifier!)) out.push(`setOutcomeValue of '${e.attrs.identifier}', which is not a declared outcome`);
    if (e.children.length !== 1) out.push('<setOutcomeValue> takes one expression');
    for (const c of e.children) expression(c, declared, out);
  }
}

function expression(e: XmlElement, declared: ReadonlySet<string>, out: string[]): void {
  if (!EXPRESSIONS.includes(e.name)) { out.push(`<${e.name}> is not an expression this check knows`); return; }
  if (e.name === 'baseValue') {
    need(e, ['baseType'], out);
    oneOf(e, 'baseType', BASE_TYPES, out);
    if ((e.attrs.baseType === 'float' || e.attrs.baseType === 'integer') && !FLOAT.test(e.text)) out.push(`baseValue '${e.text}' is not a number`);
  }
  if (e.name === 'variable' || e.name === 'correct') {
    need(e, ['identifier'], out);
    if (!declared.has(e.attrs.identifier!)) out.push(`<${e.name}> of undeclared '${e.attrs.identifier}'`);
  }
  if (e.name === 'equal') {
    if (e.children.length !== 2) out.push('<equal> takes two expressions');
    oneOf(e, 'toleranceMode', ['exact', 'absolute', 'relative'], out);
    oneOf(e, 'includeLowerBound', ['true', 'false'], out);
    oneOf(e, 'includeUpperBound', ['true', 'false'], out);
    if (e.attrs.toleranceMode && e.attrs.toleranceMode !== 'exact') {
      const t = (e.attrs.tolerance ?? '').trim().split(/\s+/);
      if (t.length < 1 || t.length > 2 || !t.every((x) => FLOAT.test(x))) out.push(`tolerance '${e.attrs.tolerance}' is not one or two numbers`);
    }
  }
  for (const c of e.children) expression(c, declared, out);
}

/** Problems with a QTI 2.1 assessmentTest; `items` maps each item file to its identifier. */
export function checkTest(root: XmlElement, items: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  if (root.name !== 'assessmentTest') return [`the root is <${root.name}>, not <assessmentTest>`];
  if (root.attrs.xmlns !== QTI21_NS) out.push(`namespace ${root.attrs.xmlns}`);
  need(root, ['identifier', 'title'], out);
  order(root, [['outcomeDeclaration', '*'], ['timeLimits', '?'], ['testPart', '+'], ['outcomeProcessing', '?'], ['testFeedback', '*']], out);
  const ids = new Set<string>();
  const unique = (id: string | undefined) => {
    if (!id || !NCNAME.test(id)) out.push(`identifier '${id}' is not an NCName`);
    else if (ids.has(id)) out.push(`identifier '${id}' is used twice in the test`);
    else ids.add(id);
  };
  const section = (s: XmlElement) => {
    need(s, ['identifier', 'title', 'visible'], out);
    unique(s.attrs.identifier);
    oneOf(s, 'visible', ['true', 'false'], out);
    let seenContent = false;
    for (const c of s.children) {
      if (c.name === 'selection') {
        if (seenContent) out.push('<selection> after the section content');
        if (!/^[1-9]\d*$/.test(c.attrs.select ?? '')) out.push(`selection select="${c.attrs.select}"`);
        const n = s.children.filter((x) => x.name === 'assessmentItemRef' || x.name === 'assessmentSection').length;
        if (Number(c.attrs.select) > n) out.push(`selection selects ${c.attrs.select} of ${n}`);
      } else if (c.name === 'assessmentItemRef') {
        seenContent = true;
        need(c, ['identifier', 'href'], out);
        unique(c.attrs.identifier);
        if (!items.has(c.attrs.href!)) out.push(`assessmentItemRef href="${c.attrs.href}" is not an item of the package`);
      } else if (c.name === 'assessmentSection') {
        seenContent = true;
        section(c);
      } else out.push(`<assessmentSection> holds <${c.name}>, which this check does not expect`);
    }
  };
  for (const part of kids(root, 'testPart')) {
    need(part, ['identifier', 'navigationMode', 'submissionMode'], out);
    unique(part.attrs.identifier);
    oneOf(part, 'navigationMode', ['linear', 'nonlinear'], out);
    oneOf(part, 'submissionMode', ['individual', 'simultaneous'], out);
    order(part, [['preCondition', '*'], ['branchRule', '*'], ['itemSessionControl', '?'], ['timeLimits', '?'], ['assessmentSection', '+'], ['testFeedback', '*']], out);
    for (const s of kids(part, 'assessmentSection')) section(s);
  }
  return out;
}

/** Problems with an IMS CP manifest against the package's file list: every file listed, every listed file there. */
export function checkManifest(root: XmlElement, files: ReadonlySet<string>, ns: string): string[] {
  const out: string[] = [];
  if (root.name !== 'manifest') return [`the root is <${root.name}>, not <manifest>`];
  if (root.attrs.xmlns !== ns) out.push(`namespace ${root.attrs.xmlns}`);
  need(root, ['identifier'], out);
  order(root, [['metadata', '?'], ['organizations', '1'], ['resources', '1'], ['manifest', '*']], out);
  const listed = new Set<string>();
  const ids = new Set<string>();
  const resources = kids(root, 'resources').flatMap((r) => kids(r, 'resource'));
  for (const r of resources) {
    need(r, ['identifier', 'type'], out);
    if (ids.has(r.attrs.identifier!)) out.push(`resource identifier '${r.attrs.identifier}' twice`);
    ids.add(r.attrs.identifier!);
    order(r, [['metadata', '?'], ['file', '*'], ['dependency', '*']], out);
    if (r.attrs.href && !kids(r, 'file').some((f) => f.attrs.href === r.attrs.href)) out.push(`resource ${r.attrs.identifier}: its href is not among its files`);
    for (const f of kids(r, 'file')) {
      if (!files.has(f.attrs.href!)) out.push(`the manifest lists ${f.attrs.href}, which is not in the package`);
      listed.add(f.attrs.href!);
    }
  }
  for (const r of resources) for (const d of kids(r, 'dependency')) if (!ids.has(d.attrs.identifierref!)) out.push(`dependency on unknown resource ${d.attrs.identifierref}`);
  for (const f of files) if (f !== 'imsmanifest.xml' && !listed.has(f)) out.push(`${f} is in the package but not in the manifest`);
  return out;
}

/** One Canvas numerical question as a plain record, with the problems found in it. */
export interface CanvasQuestion { ident: string; title: string; html: string; answer: string; lower: string; upper: string; points: string }

/** Problems with a Canvas QTI 1.2 numerical item (and the item's content). */
export function checkCanvasItem(item: XmlElement, out: string[]): CanvasQuestion | null {
  need(item, ['ident', 'title'], out);
  order(item, [['itemmetadata', '1'], ['presentation', '1'], ['resprocessing', '1']], out);
  const fields = new Map(kids(item, 'itemmetadata').flatMap((m) => kids(m, 'qtimetadata')).flatMap((q) => kids(q, 'qtimetadatafield'))
    .map((f) => [kids(f, 'fieldlabel')[0]?.text ?? '', kids(f, 'fieldentry')[0]?.text ?? ''] as const));
  if (fields.get('question_type') !== 'numerical_question') out.push(`question_type ${fields.get('question_type')}`);
  if (!FLOAT.test(fields.get('points_possible') ?? '')) out.push('points_possible is not a number');
  const pres = kids(item, 'presentation')[0];
  const mattext = pres && kids(pres, 'material')[0] && kids(kids(pres, 'material')[0]!, 'mattext')[0];
  if (!mattext || mattext.attrs.texttype !== 'text/html') out.push('no <material><mattext texttype="text/html">');
  const resp = pres && kids(pres, 'response_str')[0];
  if (!resp || resp.attrs.rcardinality !== 'Single') out.push('no <response_str rcardinality="Single">');
  const fib = resp && kids(resp, 'render_fib')[0];
  if (!fib || fib.attrs.fibtype !== 'Decimal' || kids(fib, 'response_label').length !== 1) out.push('no <render_fib fibtype="Decimal"> with one response_label');
  const rp = kids(item, 'resprocessing')[0];
  const decvar = rp && kids(rp, 'outcomes')[0] && kids(kids(rp, 'outcomes')[0]!, 'decvar')[0];
  if (!decvar || decvar.attrs.varname !== 'SCORE' || decvar.attrs.maxvalue !== '100') out.push('no <decvar varname="SCORE" maxvalue="100">');
  const cond = rp && kids(rp, 'respcondition')[0];
  const setvar = cond && kids(cond, 'setvar')[0];
  if (!setvar || setvar.attrs.varname !== 'SCORE' || setvar.attrs.action !== 'Set' || setvar.text !== '100') out.push('no <setvar action="Set" varname="SCORE">100');
  const or = cond && kids(cond, 'conditionvar')[0] && kids(kids(cond, 'conditionvar')[0]!, 'or')[0];
  const eq = or && kids(or, 'varequal')[0];
  const and = or && kids(or, 'and')[0];
  const gte = and && kids(and, 'vargte')[0], lte = and && kids(and, 'varlte')[0];
  if (!eq || !gte || !lte) { out.push('the condition is not <or><varequal/><and><vargte/><varlte/></and></or>'); return null; }
  for (const v of [eq, gte, lte]) {
    if (v.attrs.respident !== resp?.attrs.ident) out.push(`<${v.name}> answers '${v.attrs.respident}', not the response_str '${resp?.attrs.ident}'`);
    if (!FLOAT.test(v.text)) out.push(`<${v.name}> '${v.text}' is not a number`);
  }
  return { ident: item.attrs.ident!, title: item.attrs.title!, html: mattext?.text ?? '', answer: eq.text, lower: gte.text, upper: lte.text, points: fields.get('points_possible') ?? '' };
}

/** A Canvas assessment: its items, its question groups (with points per item), and the problems found. */
export function checkCanvasAssessment(root: XmlElement): { title: string; items: CanvasQuestion[]; groups: Array<{ ident: string; select: number; points: string; items: CanvasQuestion[] }>; problems: string[] } {
  const out: string[] = [];
  const items: CanvasQuestion[] = [];
  const groups: Array<{ ident: string; select: number; points: string; items: CanvasQuestion[] }> = [];
  if (root.name !== 'questestinterop') return { title: '', items, groups, problems: [`the root is <${root.name}>`] };
  if (root.attrs.xmlns !== QTI12_NS) out.push(`namespace ${root.attrs.xmlns}`);
  const a = kids(root, 'assessment');
  if (a.length !== 1) return { title: '', items, groups, problems: [...out, `${a.length} assessments`] };
  const assessment = a[0]!;
  need(assessment, ['ident', 'title'], out);
  order(assessment, [['qtimetadata', '?'], ['section', '1']], out);
  const root_section = kids(assessment, 'section')[0]!;
  for (const c of root_section.children) {
    if (c.name === 'item') { const q = checkCanvasItem(c, out); if (q) items.push(q); continue; }
    if (c.name !== 'section') { out.push(`<section> holds <${c.name}>`); continue; }
    need(c, ['ident', 'title'], out);
    order(c, [['selection_ordering', '?'], ['item', '*']], out);
    const sel = kids(c, 'selection_ordering')[0] && kids(kids(c, 'selection_ordering')[0]!, 'selection')[0];
    const number = sel && kids(sel, 'selection_number')[0];
    const ext = sel && kids(sel, 'selection_extension')[0];
    const ppi = ext && kids(ext, 'points_per_item')[0];
    if (!number || !/^[1-9]\d*$/.test(number.text)) out.push(`group ${c.attrs.ident}: no selection_number`);
    if (!ppi || !FLOAT.test(ppi.text)) out.push(`group ${c.attrs.ident}: no points_per_item`);
    const gi = kids(c, 'item').map((i) => checkCanvasItem(i, out)).filter((q): q is CanvasQuestion => q !== null);
    groups.push({ ident: c.attrs.ident!, select: Number(number?.text), points: ppi?.text ?? '', items: gi });
  }
  return { title: assessment.attrs.title ?? '', items, groups, problems: out };
}
