import type { CopyOptions } from './statement-shims.js';

/**
 * Rows of COPY … TO STDOUT: text format (tab-separated, `\N` for NULL, backslash escapes) or CSV (quoted
 * when needed, NULL as an empty unquoted field).
 */
export function copyLine(values: readonly (string | null)[], o: CopyOptions): string {
  let s = '';
  for (let i = 0; i < values.length; i++) {
    if (i) s += o.delimiter;
    const v = values[i]!;
    s += o.format === 'csv' ? csvField(v, o) : textField(v, o);
  }
  return s + '\n';
}

function textField(v: string | null, o: CopyOptions): string {
  if (v === null) return o.nullString;
  let out = '';
  for (const ch of v) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default:
        out += ch === o.delimiter ? '\\' + ch : ch;
    }
  }
  return out;
}

function csvField(v: string | null, o: CopyOptions): string {
  if (v === null) return o.nullString;
  const q = o.quote;
  if (v === '' || v === o.nullString || v.includes(o.delimiter) || v.includes(q) || v.includes('\n') || v.includes('\r') || v.startsWith('\\.')) {
    return q + v.split(q).join(q + q) + q;
  }
  return v;
}
