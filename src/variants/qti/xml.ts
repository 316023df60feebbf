/** Escaping for XML 1.0 text and attribute values. */

/** Characters XML 1.0 forbids, even as references. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** Text content: `&`, `<` and `>` escaped (so `]]>` cannot appear), forbidden characters dropped. */
export function xmlText(s: string): string {
  return s.replace(FORBIDDEN, '').replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);
}

/** A double-quoted attribute value: also `"`, and white-space characters that attribute normalization would change. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/["\t\n\r]/g, (c) => ({ '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
