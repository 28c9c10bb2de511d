/**
 * XML 1.0 escaping for the exporters that write XML by string building (FCPXML, xmeml).
 *
 * Follows W3C XML 1.0 (Fifth Edition): section 2.2 (allowed characters: tab, LF, CR and U+0020 upward, minus the
 * surrogates and U+FFFE/U+FFFF), 2.4 (`&` and `<` must be escaped) and 3.3.3 (a parser turns a literal tab or
 * newline inside an attribute into a space, so they are written as character references to survive).
 */

// Characters XML 1.0 forbids anywhere, even as references: C0 controls other than tab/LF/CR, lone surrogates,
// U+FFFE and U+FFFF. They are dropped.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEEDS_TEXT_ESCAPE = /[&<>]/;
const NEEDS_ATTR_ESCAPE = /[&<>"'\t\n\r]/;

function dropForbidden(value: string): string {
  return value.replace(FORBIDDEN, '');
}

/** Escapes element text content: `&`, `<`, `>`; drops characters XML cannot hold. */
export function escapeXmlText(value: string): string {
  const clean = dropForbidden(value);
  if (!NEEDS_TEXT_ESCAPE.test(clean)) return clean;
  return clean.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes a double-quoted attribute value: `& < > " '` plus tab, LF and CR as character references, so a note with
 * line breaks keeps them; drops characters XML cannot hold.
 */
export function escapeXmlAttr(value: string): string {
  const clean = dropForbidden(value);
  if (!NEEDS_ATTR_ESCAPE.test(clean)) return clean;
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
