import { syntaxError } from '../errors/index.js';

/**
 * Reads a quoted string or identifier starting at `start` (the opening quote) with ClickHouse's escapes:
 * `\n \t \r \b \f \a \v \0 \\ \' \" \` \xHH`, doubled quote characters; an unknown escape keeps its backslash.
 * Bytes written as `\xHH` are decoded as UTF-8 when they form valid UTF-8, otherwise one character per byte.
 */
export function readQuoted(s: string, start: number, quote: number): [end: number, value: string] {
  const n = s.length;
  let i = start + 1;
  let segStart = i;
  let out = '';
  let bytes: number[] | undefined;
  const flushBytes = () => {
    if (bytes) {
      out += decodeBytes(bytes);
      bytes = undefined;
    }
  };
  for (;;) {
    if (i >= n) {
      const what = quote === 39 ? 'Single quoted string' : quote === 34 ? 'Double quoted identifier' : 'Back quoted identifier';
      throw syntaxError(`${what} is not closed`, s, start);
    }
    const c = s.charCodeAt(i);
    if (c === quote) {
      if (s.charCodeAt(i + 1) === quote) {
        if (i > segStart) {
          flushBytes();
          out += s.slice(segStart, i);
        }
        flushBytes();
        out += s[i];
        i += 2;
        segStart = i;
        continue;
      }
      if (i > segStart) {
        flushBytes();
        out += s.slice(segStart, i);
      }
      flushBytes();
      return [i + 1, out];
    }
    if (c !== 92 /* \ */) {
      i++;
      continue;
    }
    if (i > segStart) {
      flushBytes();
      out += s.slice(segStart, i);
    }
    const e = s[i + 1];
    if (e === undefined) {
      i++;
      segStart = i;
      continue;
    }
    if (e === 'x' || e === 'X') {
      const h = s.slice(i + 2, i + 4);
      if (/^[0-9A-Fa-f]{2}$/.test(h)) {
        (bytes ??= []).push(parseInt(h, 16));
        i += 4;
        segStart = i;
        continue;
      }
    }
    flushBytes();
    switch (e) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'a':
        out += '\x07';
        break;
      case 'v':
        out += '\v';
        break;
      case '0':
        out += '\0';
        break;
      case 'e':
        out += '\x1b';
        break;
      case 'N':
        out += '\\N';
        break;
      case '\\':
      case "'":
      case '"':
      case '`':
      case '/':
      case '=':
        out += e;
        break;
      default:
        out += '\\' + e;
    }
    i += 2;
    segStart = i;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeBytes(bytes: number[]): string {
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return String.fromCharCode(...bytes);
  }
}
