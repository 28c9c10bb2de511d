/**
 * Python-compatible serialisers used by the ComfyUI test double, so its bytes look like a real server's.
 *
 * ComfyUI (aiohttp) answers with `json.dumps(value)`: `", "` and `": "` separators and `ensure_ascii=True`
 * (every code unit above 0x7F written as `\uXXXX`). Some error fields carry Python `repr()` / `str()` text
 * (`current_inputs`, `value_not_in_list` details). See https://docs.python.org/3/library/json.html#json.dumps
 * and https://docs.python.org/3/library/functions.html#repr.
 *
 * Numbers: JavaScript cannot tell `1.0` from `1`, so both print as `1`; a JSON reader cannot tell either.
 * `bigint` prints exactly (KSampler's seed maximum 0xffffffffffffffff exceeds a double).
 */

/** Escapes a string the way `json.dumps(s)` does (ensure_ascii). */
function pyJsonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    const ch = text[i];
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/**
 * Serialises a JSON-compatible value exactly as Python's `json.dumps(value)` with default arguments.
 * `undefined` object members are left out (as `JSON.stringify` does); functions and symbols are not supported.
 * @throws Error when a number is not finite (Python would write `NaN`, which is not JSON).
 */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`pyJsonDumps: ${value} is not a finite number; JSON cannot carry it`);
    return String(value);
  }
  if (typeof value === 'string') return pyJsonString(value);
  if (Array.isArray(value)) return `[${value.map((item) => pyJsonDumps(item)).join(', ')}]`;
  if (Buffer.isBuffer(value)) throw new Error('pyJsonDumps: a Buffer is not JSON; encode it first');
  if (typeof value === 'object') {
    const parts: string[] = [];
    for (const [key, member] of Object.entries(value as Record<string, unknown>)) {
      if (member === undefined) continue;
      parts.push(`${pyJsonString(key)}: ${pyJsonDumps(member)}`);
    }
    return `{${parts.join(', ')}}`;
  }
  throw new Error(`pyJsonDumps: cannot serialise a ${typeof value}`);
}

/** Python `repr()` of a string: single quotes unless the text holds a single quote and no double quote. */
function pyReprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    if (ch === quote) out += `\\${ch}`;
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out + quote;
}

/**
 * Python `repr()` of a JSON-like value: `{'a': [1, True, None]}`. Used for the texts ComfyUI builds with
 * `str(list)` / `str(dict)` (validation details, `execution_error.current_inputs`).
 */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return pyReprString(value);
  if (Array.isArray(value)) return `[${value.map((item) => pyRepr(item)).join(', ')}]`;
  if (typeof value === 'object') {
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, member]) => member !== undefined)
      .map(([key, member]) => `${pyReprString(key)}: ${pyRepr(member)}`);
    return `{${parts.join(', ')}}`;
  }
  return String(value);
}

/** Python `str()` of a value: strings as they are, everything else as `repr()`. */
export function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/**
 * `str(tensor)` of a solid-colour IMAGE batch (shape `[batch, height, width, 3]`, values 0..1) as PyTorch prints
 * it with default print options (precision 4, threshold 1000, edgeitems 3): what ComfyUI puts in
 * `execution_error.current_inputs` for an image input.
 */
export function torchImageRepr(batch: number, heightPx: number, widthPx: number, rgb: [number, number, number]): string {
  const values = rgb.map((channel) => channel / 255);
  const intMode = values.every((value) => Number.isInteger(value));
  const texts = values.map((value) => (intMode ? `${value.toFixed(0)}.` : value.toFixed(4)));
  const width = Math.max(...texts.map((text) => text.length));
  const pixel = `[${texts.map((text) => text.padStart(width)).join(', ')}]`;
  const summarize = batch * heightPx * widthPx * 3 > 1000;
  const shape = [batch, heightPx, widthPx];
  const render = (depth: number, indent: number): string => {
    if (depth === shape.length) return pixel;
    const size = shape[depth];
    const dim = shape.length - depth + 1;
    const child = render(depth + 1, indent + 1);
    const slices = summarize && size > 6 ? [child, child, child, '...', child, child, child] : Array.from({ length: size }, () => child);
    return `[${slices.join(`,${'\n'.repeat(dim - 1)}${' '.repeat(indent + 1)}`)}]`;
  };
  return `tensor(${render(0, 'tensor('.length)})`;
}
