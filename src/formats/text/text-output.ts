import { utf8Encoder } from '../../columns/column.js';
import { formatFloat32, formatFloat64 } from '../../types/text-conversion.js';
import { civilFromDays, isUtc, tzOffsetSeconds } from '../../types/time.js';

/**
 * A growable byte buffer that text formats write into directly (digits, escaped bytes, dates), handing
 * ~64 KB chunks to the sink at row boundaries. Writers call `ensure(n)` then poke `buf` / `pos`.
 */
export class TextOutput {
  buf: Uint8Array;
  pos = 0;

  constructor(
    private readonly sink: (chunk: Uint8Array) => void,
    private readonly flushAt = 1 << 16,
  ) {
    this.buf = new Uint8Array(flushAt + 4096);
  }

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Hands the buffered bytes to the sink once there are enough of them (call between rows). */
  maybeFlush(): void {
    if (this.pos >= this.flushAt) this.flush();
  }

  flush(): void {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(Math.max(this.flushAt + 4096, Math.min(this.buf.length, 4 * this.flushAt)));
    this.pos = 0;
    this.sink(chunk);
  }

  byte(c: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = c;
  }

  /** ASCII / Latin-1 text (each UTF-16 unit < 256 is one byte). Use `text` for arbitrary strings. */
  ascii(s: string): void {
    const n = s.length;
    this.ensure(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Any JS string as UTF-8. */
  text(s: string): void {
    const n = s.length;
    let ascii = true;
    for (let i = 0; i < n; i++) {
      if (s.charCodeAt(i) >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return this.ascii(s);
    this.ensure(n * 3);
    this.pos += utf8Encoder.encodeInto(s, this.buf.subarray(this.pos)).written!;
  }

  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.ensure(n);
    const b = this.buf;
    if (n <= 16) {
      let p = this.pos;
      for (let i = start; i < end; i++) b[p++] = src[i]!;
      this.pos = p;
    } else {
      b.set(src.subarray(start, end), this.pos);
      this.pos += n;
    }
  }

  repeat(c: number, n: number): void {
    if (n <= 0) return;
    this.ensure(n);
    this.buf.fill(c, this.pos, this.pos + n);
    this.pos += n;
  }

  /** A non-negative integer below 2^53, digits written straight into the buffer. */
  uint(n: number): void {
    this.ensure(20);
    const b = this.buf;
    if (n < 10) {
      b[this.pos++] = 48 + n;
      return;
    }
    let p = this.pos + digitCount(n);
    this.pos = p;
    while (n >= 100) {
      const q = Math.floor(n / 100);
      const r = (n - q * 100) * 2;
      b[--p] = DIGITS2[r + 1]!;
      b[--p] = DIGITS2[r]!;
      n = q;
    }
    if (n >= 10) {
      b[--p] = DIGITS2[n * 2 + 1]!;
      b[--p] = DIGITS2[n * 2]!;
    } else b[--p] = 48 + n;
  }

  int(n: number): void {
    if (n < 0) {
      this.byte(45);
      this.uint(-n);
    } else this.uint(n);
  }

  /** Int64 / UInt64 values read from BigInt64Array / BigUint64Array. */
  bigint(v: bigint): void {
    if (v <= 9007199254740991n && v >= -9007199254740991n) this.int(Number(v));
    else this.ascii(v.toString());
  }

  /** Float64 as ClickHouse prints it (`inf`, `nan`, `-0`, `1e21`); integers take the digit fast path. */
  float64(x: number): void {
    if (Number.isInteger(x) && x <= 9007199254740991 && x >= -9007199254740991 && (x !== 0 || 1 / x > 0)) return this.int(x);
    // Up to 6 decimals below 1e6: when x·10^6 is an integer that divides back to exactly x, those digits are
    // the shortest round-trip form (doubles there are far closer together than 10^-6).
    if (x < 1e6 && x > -1e6 && x !== 0) {
      const y = x * 1e6;
      if (Math.floor(y) === y && y / 1e6 === x) {
        let a = y < 0 ? -y : y;
        if (y < 0) this.byte(45);
        const ip = Math.floor(a / 1e6);
        a -= ip * 1e6;
        this.uint(ip);
        if (a === 0) return;
        let digits = 6;
        while (a % 10 === 0) {
          a /= 10;
          digits--;
        }
        this.ensure(digits + 1);
        const b = this.buf;
        b[this.pos] = 46;
        for (let i = digits; i >= 1; i--) {
          b[this.pos + i] = 48 + (a % 10);
          a = Math.floor(a / 10);
        }
        this.pos += digits + 1;
        return;
      }
    }
    this.ascii(formatFloat64(x));
  }

  float32(x: number): void {
    if (Number.isInteger(x) && x <= 16777216 && x >= -16777216 && (x !== 0 || 1 / x > 0)) this.int(x);
    else this.ascii(formatFloat32(x));
  }

  /** Two digits, zero padded. */
  pad2(n: number): void {
    this.ensure(2);
    this.buf[this.pos++] = DIGITS2[n * 2]!;
    this.buf[this.pos++] = DIGITS2[n * 2 + 1]!;
  }

  /** The bytes written since the last flush (for formats that measure widths). */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

const DIGITS2 = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  DIGITS2[i * 2] = 48 + Math.floor(i / 10);
  DIGITS2[i * 2 + 1] = 48 + (i % 10);
}

function digitCount(n: number): number {
  if (n < 1e8) {
    if (n < 1e4) return n < 100 ? (n < 10 ? 1 : 2) : n < 1000 ? 3 : 4;
    return n < 1e6 ? (n < 1e5 ? 5 : 6) : n < 1e7 ? 7 : 8;
  }
  let d = 9;
  let x = 1e9;
  while (n >= x && d < 20) {
    d++;
    x *= 10;
  }
  return d;
}

/**
 * Writes dates and date-times as `YYYY-MM-DD[ hh:mm:ss[.fff]]` in a timezone, caching the last day's text
 * and the timezone offset of the last 15-minute bucket so a column of nearby instants costs a few stores.
 */
export class DateTimeWriter {
  private readonly utc: boolean;
  private lastDay = Number.NaN;
  private readonly dayText = new Uint8Array(10);
  private bucket = Number.NaN;
  private offset = 0;

  constructor(readonly tz: string) {
    this.utc = isUtc(tz);
  }

  /** Days since epoch → `YYYY-MM-DD`. */
  date(out: TextOutput, days: number): void {
    if (days !== this.lastDay) this.setDay(days);
    out.bytes(this.dayText, 0, 10);
  }

  private setDay(days: number): void {
    const { y, m, d } = civilFromDays(days);
    const t = this.dayText;
    const yy = y < 0 ? 0 : y > 9999 ? 9999 : y;
    t[0] = 48 + Math.floor(yy / 1000);
    t[1] = 48 + (Math.floor(yy / 100) % 10);
    t[2] = 48 + (Math.floor(yy / 10) % 10);
    t[3] = 48 + (yy % 10);
    t[4] = 45;
    t[5] = 48 + Math.floor(m / 10);
    t[6] = 48 + (m % 10);
    t[7] = 45;
    t[8] = 48 + Math.floor(d / 10);
    t[9] = 48 + (d % 10);
    this.lastDay = days;
  }

  /** UTC seconds → local `YYYY-MM-DD hh:mm:ss`. */
  dateTime(out: TextOutput, seconds: number): void {
    let local = seconds;
    if (!this.utc) {
      const bucket = Math.floor(seconds / 900);
      if (bucket !== this.bucket) {
        this.bucket = bucket;
        this.offset = tzOffsetSeconds(this.tz, seconds);
      }
      local += this.offset;
    }
    const days = Math.floor(local / 86400);
    let sod = local - days * 86400;
    if (days !== this.lastDay) this.setDay(days);
    out.ensure(19);
    const b = out.buf;
    let p = out.pos;
    const t = this.dayText;
    for (let i = 0; i < 10; i++) b[p + i] = t[i]!;
    p += 10;
    const h = Math.floor(sod / 3600);
    sod -= h * 3600;
    const mi = Math.floor(sod / 60);
    const s = sod - mi * 60;
    b[p++] = 32;
    b[p++] = 48 + Math.floor(h / 10);
    b[p++] = 48 + (h % 10);
    b[p++] = 58;
    b[p++] = 48 + Math.floor(mi / 10);
    b[p++] = 48 + (mi % 10);
    b[p++] = 58;
    b[p++] = 48 + Math.floor(s / 10);
    b[p++] = 48 + (s % 10);
    out.pos = p;
  }

  /** DateTime64 ticks of 10^-precision seconds. */
  dateTime64(out: TextOutput, ticks: number, precision: number): void {
    if (precision === 0) return this.dateTime(out, ticks);
    const scale = POW10[precision]!;
    const secs = Math.floor(ticks / scale);
    const frac = Math.round(ticks - secs * scale);
    this.dateTime(out, secs);
    out.ensure(precision + 1);
    const b = out.buf;
    b[out.pos] = 46;
    let x = frac;
    for (let i = precision; i >= 1; i--) {
      b[out.pos + i] = 48 + (x % 10);
      x = Math.floor(x / 10);
    }
    out.pos += precision + 1;
  }
}

const POW10 = Array.from({ length: 19 }, (_, i) => 10 ** i);
