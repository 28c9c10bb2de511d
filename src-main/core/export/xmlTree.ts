/**
 * A small reader for the XML this folder writes (FCPXML, xmeml), used by the tests to check structure.
 *
 * Handles the XML declaration, `<!DOCTYPE name>` without an internal subset, comments, elements, attributes in
 * double or single quotes, text, CDATA, and the five predefined entities plus numeric character references
 * (W3C XML 1.0, sections 2.4 and 4.1). It is not a validating parser: run `xmllint` for well-formedness and DTDs.
 */

/** An element: its name, attributes (decoded), child elements and concatenated text (decoded). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, ref: string) => {
    if (ref === 'amp') return '&';
    if (ref === 'lt') return '<';
    if (ref === 'gt') return '>';
    if (ref === 'quot') return '"';
    if (ref === 'apos') return "'";
    return String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
  });
}

/**
 * Parses a document and returns its root element.
 * @throws Error with the character offset on a mismatched or unclosed tag, or a document without a root element.
 */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  const tag = /<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<!\[CDATA\[([\s\S]*?)\]\]>|<\/([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;
  const attr = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  let last = 0;
  let match: RegExpExecArray | null;
  while ((match = tag.exec(source)) !== null) {
    const between = source.slice(last, match.index);
    if (stack.length > 0) stack[stack.length - 1]!.text += decode(between);
    else if (between.trim() !== '') throw new Error(`text outside the root element at ${last}`);
    last = tag.lastIndex;
    const [whole, cdata, closing, opening, attrText, selfClosing] = match;
    if (cdata !== undefined) {
      if (stack.length === 0) throw new Error(`CDATA outside the root element at ${match.index}`);
      stack[stack.length - 1]!.text += cdata;
    } else if (closing !== undefined) {
      const open = stack.pop();
      if (!open || open.name !== closing) throw new Error(`</${closing}> does not close <${open?.name}> at ${match.index}`);
    } else if (opening !== undefined) {
      const element: XmlElement = { name: opening, attrs: {}, children: [], text: '' };
      for (const a of (attrText ?? '').matchAll(attr)) element.attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
      if (stack.length > 0) stack[stack.length - 1]!.children.push(element);
      else if (root === null) root = element;
      else throw new Error(`second root element <${opening}> at ${match.index}`);
      if (selfClosing !== '/') stack.push(element);
    } else if (whole.startsWith('<') && stack.length === 0 && root !== null && !whole.startsWith('<!--')) {
      throw new Error(`markup after the root element at ${match.index}`);
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> is not closed`);
  if (source.slice(last).trim() !== '') throw new Error(`text after the root element at ${last}`);
  if (root === null) throw new Error('no root element');
  return root;
}

/** Child elements named `name`. */
export function childrenNamed(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((child) => child.name === name);
}

/** The first child named `name`. @throws Error when there is none. */
export function child(element: XmlElement, name: string): XmlElement {
  const found = element.children.find((c) => c.name === name);
  if (!found) throw new Error(`<${element.name}> has no <${name}>`);
  return found;
}

/** Follows a path of child names from `element`: `at(seq, 'media', 'video', 'format')`. */
export function at(element: XmlElement, ...names: string[]): XmlElement {
  let current = element;
  for (const name of names) current = child(current, name);
  return current;
}

/** Every element named `name` at any depth below `element`, in document order. */
export function descendants(element: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(element);
  return out;
}
