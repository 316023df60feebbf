/**
 * A small, strict XML 1.0 well-formedness parser for the tests (no DTDs):
 * one root element, matching end tags, quoted and unique attributes, `&`
 * only in the five predefined entities or character references, no raw `<`
 * in text or attributes. Written for the tests, independent of src/.
 */
export interface XmlElement {
  readonly name: string;
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** the element's own text, entities decoded (children's text excluded) */
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_.:]*/;
const ENTITY = /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (msg: string): never => { throw new Error(`XML: ${msg} at offset ${i}`); };
  const decode = (raw: string): string => {
    let out = '';
    for (let p = 0; p < raw.length;) {
      if (raw[p] === '<') fail("raw '<' in character data");
      if (raw[p] !== '&') { out += raw[p++]; continue; }
      const m = ENTITY.exec(raw.slice(p, p + 12)) ?? fail(`bad entity '${raw.slice(p, p + 8)}'`);
      const e = m[1]!;
      out += e.startsWith('#x') ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : PREDEFINED[e]!;
      p += m[0].length;
    }
    return out;
  };
  const skipMisc = () => {
    for (;;) {
      while (/\s/.test(src[i] ?? '')) i++;
      if (src.startsWith('<!--', i)) { const e = src.indexOf('-->', i); if (e < 0) fail('unclosed comment'); i = e + 3; continue; }
      return;
    }
  };
  if (src.startsWith('<?xml')) { const e = src.indexOf('?>'); if (e < 0) fail('unclosed declaration'); i = e + 2; }
  skipMisc();
  const element = (): XmlElement => {
    if (src[i] !== '<') fail('expected an element');
    i++;
    const name = NAME.exec(src.slice(i))?.[0] ?? fail('bad element name');
    i += name.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const ws = /^\s*/.exec(src.slice(i))![0];
      i += ws.length;
      if (src.startsWith('/>', i)) { i += 2; return { name, attrs, children: [], text: '' }; }
      if (src[i] === '>') { i++; break; }
      if (!ws) fail('attributes need white space between them');
      const an = NAME.exec(src.slice(i))?.[0] ?? fail('bad attribute name');
      i += an.length;
      if (src[i] !== '=') fail('expected = after an attribute name');
      const q = src[++i];
      if (q !== '"' && q !== "'") fail('attribute value without quotes');
      const end = src.indexOf(q, i + 1);
      if (end < 0) fail('unclosed attribute value');
      if (an in attrs) fail(`duplicate attribute '${an}'`);
      attrs[an] = decode(src.slice(i + 1, end));
      i = end + 1;
    }
    const el: XmlElement = { name, attrs, children: [], text: '' };
    for (;;) {
      const lt = src.indexOf('<', i);
      if (lt < 0) fail(`unclosed element '${name}'`);
      el.text += decode(src.slice(i, lt));
      i = lt;
      if (src.startsWith('</', i)) {
        i += 2;
        const close = NAME.exec(src.slice(i))?.[0];
        if (close !== name) fail(`end tag '${close}' does not match '${name}'`);
        i += name.length;
        while (/\s/.test(src[i] ?? '')) i++;
        if (src[i] !== '>') fail('bad end tag');
        i++;
        return el;
      }
      if (src.startsWith('<!--', i)) { const e = src.indexOf('-->', i); if (e < 0) fail('unclosed comment'); i = e + 3; continue; }
      if (src.startsWith('<![CDATA[', i)) { const e = src.indexOf(']]>', i); if (e < 0) fail('unclosed CDATA'); el.text += src.slice(i + 9, e); i = e + 3; continue; }
      el.children.push(element());
    }
  };
  const root = element();
  skipMisc();
  if (i !== src.length) fail('content after the root element');
  return root;
}

/** Children named `name`. */
export const kids = (e: XmlElement, name: string): XmlElement[] => e.children.filter((c) => c.name === name);
/** The one child named `name` (throws if there is not exactly one). */
export function kid(e: XmlElement, name: string): XmlElement {
  const k = kids(e, name);
  if (k.length !== 1) throw new Error(`<${e.name}> has ${k.length} <${name}> children`);
  return k[0]!;
}
