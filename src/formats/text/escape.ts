import type { TextOutput } from './text-output.js';

/**
 * String escaping straight from UTF-8 bytes into the output, one pass, no intermediate strings.
 * Invalid UTF-8 passes through as bytes (ClickHouse strings are bytes).
 */

/** Per byte: 0 = copy, otherwise the escape letter written after a backslash (TSV and quoted strings). */
const BACKSLASH_ESCAPES = new Uint8Array(256);
BACKSLASH_ESCAPES[0x09] = 0x74; // \t
BACKSLASH_ESCAPES[0x0a] = 0x6e; // \n
BACKSLASH_ESCAPES[0x5c] = 0x5c; // \\
BACKSLASH_ESCAPES[0x00] = 0x30; // \0
BACKSLASH_ESCAPES[0x08] = 0x62; // \b
BACKSLASH_ESCAPES[0x0c] = 0x66; // \f
BACKSLASH_ESCAPES[0x0d] = 0x72; // \r
BACKSLASH_ESCAPES[0x27] = 0x27; // \'

/** TabSeparated escaping: `\t \n \\ \0 \b \f \r \'`. */
export function writeEscaped(out: TextOutput, src: Uint8Array, start: number, end: number): void {
  out.ensure((end - start) * 2);
  const b = out.buf;
  let p = out.pos;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    const e = BACKSLASH_ESCAPES[c]!;
    if (e === 0) b[p++] = c;
    else {
      b[p++] = 0x5c;
      b[p++] = e;
    }
  }
  out.pos = p;
}

/** A single-quoted SQL literal: `'…'` with backslash escapes (Values, arrays in text formats). */
export function writeQuoted(out: TextOutput, src: Uint8Array, start: number, end: number): void {
  out.byte(0x27);
  writeEscaped(out, src, start, end);
  out.byte(0x27);
}

/** A CSV field: `"…"` with `"` doubled. */
export function writeCsvQuoted(out: TextOutput, src: Uint8Array, start: number, end: number, quote = 0x22): void {
  out.ensure((end - start) * 2 + 2);
  const b = out.buf;
  let p = out.pos;
  b[p++] = quote;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    if (c === quote) b[p++] = quote;
    b[p++] = c;
  }
  b[p++] = quote;
  out.pos = p;
}

/** Per byte for JSON: 0 = copy, 1 = \u00XX, otherwise the escape letter. */
const JSON_ESCAPES = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) JSON_ESCAPES[c] = 1;
JSON_ESCAPES[0x08] = 0x62;
JSON_ESCAPES[0x0c] = 0x66;
JSON_ESCAPES[0x0a] = 0x6e;
JSON_ESCAPES[0x0d] = 0x72;
JSON_ESCAPES[0x09] = 0x74;
JSON_ESCAPES[0x22] = 0x22;
JSON_ESCAPES[0x5c] = 0x5c;
JSON_ESCAPES[0x2f] = 0x2f; // ClickHouse escapes '/' (output_format_json_escape_forward_slashes)
const JSON_ESCAPES_NO_SLASH = JSON_ESCAPES.slice();
JSON_ESCAPES_NO_SLASH[0x2f] = 0;
// U+2028 / U+2029 start with E2 80 A8/A9: flag E2 for a closer look.
JSON_ESCAPES[0xe2] = 2;
JSON_ESCAPES_NO_SLASH[0xe2] = 2;

const HEX_UPPER = '0123456789ABCDEF';

/** A JSON string `"…"` as ClickHouse writes it (`\/`, `\u001F`, U+2028/2029 escaped). */
export function writeJsonString(out: TextOutput, src: Uint8Array, start: number, end: number, escapeSlash = true): void {
  const table = escapeSlash ? JSON_ESCAPES : JSON_ESCAPES_NO_SLASH;
  out.ensure((end - start) * 6 + 2);
  const b = out.buf;
  let p = out.pos;
  b[p++] = 0x22;
  for (let i = start; i < end; i++) {
    const c = src[i]!;
    const e = table[c]!;
    if (e === 0) b[p++] = c;
    else if (e === 2) {
      if (i + 2 < end && src[i + 1] === 0x80 && (src[i + 2] === 0xa8 || src[i + 2] === 0xa9)) {
        b[p++] = 0x5c;
        b[p++] = 0x75;
        b[p++] = 0x32;
        b[p++] = 0x30;
        b[p++] = 0x32;
        b[p++] = src[i + 2] === 0xa8 ? 0x38 : 0x39;
        i += 2;
      } else b[p++] = c;
    } else if (e === 1) {
      b[p++] = 0x5c;
      b[p++] = 0x75;
      b[p++] = 0x30;
      b[p++] = 0x30;
      b[p++] = HEX_UPPER.charCodeAt(c >> 4);
      b[p++] = HEX_UPPER.charCodeAt(c & 15);
    } else {
      b[p++] = 0x5c;
      b[p++] = e;
    }
  }
  b[p++] = 0x22;
  out.pos = p;
}

const scratchEncoder = new TextEncoder();
/** Encodes a JS string for the byte-level writers above (slow paths: names, enum values). */
export function utf8(s: string): Uint8Array {
  return scratchEncoder.encode(s);
}
