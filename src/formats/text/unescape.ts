/**
 * Backslash unescaping for TabSeparated and quoted strings, from bytes into a reusable scratch buffer.
 * `\b \f \r \n \t \0 \a \v \e \xHH`, and `\c` → `c` for anything else (so `\\`, `\'`, `\"`, `\/`).
 */
export class Unescaper {
  buf = new Uint8Array(256);
  len = 0;

  /** Unescapes bytes [start, end) into `this.buf[0..len)`. */
  run(src: Uint8Array, start: number, end: number): void {
    if (this.buf.length < end - start) this.buf = new Uint8Array(Math.max(end - start, this.buf.length * 2));
    const out = this.buf;
    let n = 0;
    for (let i = start; i < end; i++) {
      const c = src[i]!;
      if (c !== 0x5c || i + 1 >= end) {
        out[n++] = c;
        continue;
      }
      const e = src[++i]!;
      switch (e) {
        case 0x62:
          out[n++] = 8;
          break;
        case 0x66:
          out[n++] = 12;
          break;
        case 0x72:
          out[n++] = 13;
          break;
        case 0x6e:
          out[n++] = 10;
          break;
        case 0x74:
          out[n++] = 9;
          break;
        case 0x30:
          out[n++] = 0;
          break;
        case 0x61:
          out[n++] = 7;
          break;
        case 0x76:
          out[n++] = 11;
          break;
        case 0x65:
          out[n++] = 27;
          break;
        case 0x78: {
          const h = hexByte(src, i + 1, end);
          if (h >= 0) {
            out[n++] = h;
            i += 2;
          } else out[n++] = e;
          break;
        }
        default:
          out[n++] = e;
      }
    }
    this.len = n;
  }
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function hexByte(src: Uint8Array, p: number, end: number): number {
  if (p + 1 >= end) return -1;
  const a = hexVal(src[p]!);
  const b = hexVal(src[p + 1]!);
  return a < 0 || b < 0 ? -1 : a * 16 + b;
}
