import { DbError } from '../../errors/index.js';
import { NeedMoreData } from '../../types/serializations/buffer.js';
import { contextAt } from './field-sink.js';

/**
 * A byte cursor over JSON text for the JSON input formats: whitespace, punctuation, strings unescaped into a
 * scratch buffer, and token skipping. Running out of bytes throws NeedMoreData unless `final`.
 */
export class JsonCursor {
  buf: Uint8Array = new Uint8Array(0);
  pos = 0;
  end = 0;
  final = false;
  /** The last string read by `string()`: scratch[0..len). */
  scratch = new Uint8Array(256);
  len = 0;

  reset(buf: Uint8Array, pos: number, end: number, final: boolean): void {
    this.buf = buf;
    this.pos = pos;
    this.end = end;
    this.final = final;
  }

  eof(): never {
    if (!this.final) throw new NeedMoreData(this.end + 1);
    throw new DbError('CANNOT_READ_ALL_DATA', 'Unexpected end of JSON input');
  }

  /** Skips whitespace; returns the next byte without consuming it (needs one). */
  peek(): number {
    const b = this.buf;
    let p = this.pos;
    while (p < this.end) {
      const c = b[p]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.pos = p;
        return c;
      }
      p++;
    }
    this.pos = p;
    return this.eof();
  }

  /** Like peek but returns -1 at the end of input instead of waiting / failing. */
  peekOrEnd(): number {
    const b = this.buf;
    let p = this.pos;
    while (p < this.end) {
      const c = b[p]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        this.pos = p;
        return c;
      }
      p++;
    }
    this.pos = p;
    return -1;
  }

  expect(c: number): void {
    if (this.peek() !== c) throw this.error(`expected '${String.fromCharCode(c)}'`);
    this.pos++;
  }

  error(what: string): DbError {
    return new DbError('CANNOT_PARSE_INPUT_ASSERTION_FAILED', `Cannot parse JSON input: ${what} before: '${contextAt(this.buf, this.pos, this.end)}'`);
  }

  /** Reads a JSON string at the cursor (after whitespace) into scratch; returns false if the token is not a string. */
  string(): boolean {
    if (this.peek() !== 0x22) return false;
    const b = this.buf;
    let p = this.pos + 1;
    // Fast path: no escapes.
    const close = b.indexOf(0x22, p);
    if (close < 0 || close >= this.end) this.eof();
    let plain = true;
    for (let i = p; i < close; i++) {
      if (b[i] === 0x5c) {
        plain = false;
        break;
      }
    }
    if (plain) {
      const n = close - p;
      if (this.scratch.length < n) this.scratch = new Uint8Array(n * 2);
      this.scratch.set(b.subarray(p, close));
      this.len = n;
      this.pos = close + 1;
      return true;
    }
    let out = this.scratch;
    let n = 0;
    for (;;) {
      if (p >= this.end) this.eof();
      if (n + 8 > out.length) {
        const next = new Uint8Array(out.length * 2 + 16);
        next.set(out.subarray(0, n));
        out = this.scratch = next;
      }
      const c = b[p++]!;
      if (c === 0x22) break;
      if (c !== 0x5c) {
        out[n++] = c;
        continue;
      }
      if (p >= this.end) this.eof();
      const e = b[p++]!;
      switch (e) {
        case 0x6e:
          out[n++] = 10;
          break;
        case 0x74:
          out[n++] = 9;
          break;
        case 0x72:
          out[n++] = 13;
          break;
        case 0x62:
          out[n++] = 8;
          break;
        case 0x66:
          out[n++] = 12;
          break;
        case 0x75: {
          if (p + 4 > this.end) this.eof();
          let cp = hex4(b, p);
          p += 4;
          if (cp >= 0xd800 && cp <= 0xdbff && b[p] === 0x5c && b[p + 1] === 0x75) {
            if (p + 6 > this.end) this.eof();
            const lo = hex4(b, p + 2);
            if (lo >= 0xdc00 && lo <= 0xdfff) {
              cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
              p += 6;
            }
          }
          if (cp < 0) throw this.error('invalid \\u escape');
          n = putUtf8(out, n, cp);
          break;
        }
        default:
          out[n++] = e; // \" \\ \/ and anything else as itself
      }
    }
    this.len = n;
    this.pos = p;
    return true;
  }

  /** Skips one JSON value (any type); returns its [start, end) byte range. */
  skipValue(): [number, number] {
    const c = this.peek();
    const start = this.pos;
    if (c === 0x22) {
      this.string();
      return [start, this.pos];
    }
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      const b = this.buf;
      let p = this.pos;
      while (p < this.end) {
        const x = b[p]!;
        if (x === 0x22) {
          this.pos = p;
          this.string();
          p = this.pos;
          continue;
        }
        p++;
        if (x === 0x7b || x === 0x5b) depth++;
        else if (x === 0x7d || x === 0x5d) {
          depth--;
          if (depth === 0) {
            this.pos = p;
            return [start, p];
          }
        }
      }
      this.pos = p;
      return this.eof();
    }
    return [start, this.scalarEnd()];
  }

  /** A bare token (number, true, false, null): advances past it and returns its end. */
  scalarEnd(): number {
    const b = this.buf;
    let p = this.pos;
    while (p < this.end) {
      const x = b[p]!;
      if (x === 0x2c || x === 0x7d || x === 0x5d || x === 0x20 || x === 0x0a || x === 0x0d || x === 0x09 || x === 0x3a) break;
      p++;
    }
    if (p >= this.end && !this.final) throw new NeedMoreData(this.end + 1);
    if (p === this.pos) throw this.error('expected a value');
    this.pos = p;
    return p;
  }

  /** True (and consumed) if the next token is the literal `null`. */
  isNull(): boolean {
    const b = this.buf;
    const p = this.pos;
    if (b[p] !== 0x6e) return false;
    if (p + 4 > this.end) this.eof();
    if (b[p + 1] === 0x75 && b[p + 2] === 0x6c && b[p + 3] === 0x6c) {
      this.pos = p + 4;
      return true;
    }
    return false;
  }
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function hex4(b: Uint8Array, p: number): number {
  const a = hexVal(b[p]!);
  const c = hexVal(b[p + 1]!);
  const d = hexVal(b[p + 2]!);
  const e = hexVal(b[p + 3]!);
  return a < 0 || c < 0 || d < 0 || e < 0 ? -1 : (a << 12) | (c << 8) | (d << 4) | e;
}

function putUtf8(out: Uint8Array, n: number, cp: number): number {
  if (cp < 0x80) out[n++] = cp;
  else if (cp < 0x800) {
    out[n++] = 0xc0 | (cp >> 6);
    out[n++] = 0x80 | (cp & 63);
  } else if (cp < 0x10000) {
    out[n++] = 0xe0 | (cp >> 12);
    out[n++] = 0x80 | ((cp >> 6) & 63);
    out[n++] = 0x80 | (cp & 63);
  } else {
    out[n++] = 0xf0 | (cp >> 18);
    out[n++] = 0x80 | ((cp >> 12) & 63);
    out[n++] = 0x80 | ((cp >> 6) & 63);
    out[n++] = 0x80 | (cp & 63);
  }
  return n;
}
