import { DbError } from '../../errors/index.js';
import { utf8Encoder } from '../../columns/column.js';

/**
 * Byte buffers for ClickHouse's binary encodings (Native, RowBinary, the native TCP protocol).
 * Little-endian only (every platform Node runs on); fixed-width values are written byte by byte or copied
 * through typed-array views, never through a DataView per value.
 */

const textDecoder = new TextDecoder('utf-8');

/** Thrown by a reader in `partial` mode when the bytes end before a value does: the caller waits for more. */
export class NeedMoreData extends Error {
  constructor(readonly needed: number) {
    super('need more data');
  }
}

/** Largest length prefix a reader accepts for one String / Array before calling the data corrupt. */
export const MAX_BINARY_SIZE = 0x7fff_ffff;

const f64Scratch = new Float64Array(1);
const f64Bytes = new Uint8Array(f64Scratch.buffer);
const f32Scratch = new Float32Array(1);
const f32Bytes = new Uint8Array(f32Scratch.buffer);

export class BinaryReader {
  pos: number;
  /** What is being read, for error messages (`column x`). */
  context = '';
  /**
   * When true, running out of bytes throws NeedMoreData instead of CANNOT_READ_ALL_DATA: the input is a
   * prefix of a longer stream still arriving.
   */
  partial = false;

  constructor(
    readonly buf: Uint8Array,
    pos = 0,
    readonly end: number = buf.length,
  ) {
    this.pos = pos;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (this.pos + n > this.end) this.fail(n);
  }

  fail(n: number): never {
    if (this.partial) throw new NeedMoreData(this.pos + n);
    const what = this.context ? ` (${this.context})` : '';
    throw new DbError(
      'CANNOT_READ_ALL_DATA',
      `Cannot read all data. Bytes read: ${this.remaining}. Bytes expected: ${n}${what}`,
    );
  }

  u8(): number {
    if (this.pos >= this.end) this.fail(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    if (this.pos + 2 > this.end) this.fail(2);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 2;
    return b[p]! | (b[p + 1]! << 8);
  }

  i16(): number {
    return (this.u16() << 16) >> 16;
  }

  u32(): number {
    if (this.pos + 4 > this.end) this.fail(4);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  }

  i32(): number {
    if (this.pos + 4 > this.end) this.fail(4);
    const b = this.buf;
    const p = this.pos;
    this.pos = p + 4;
    return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
  }

  /** Unsigned 64-bit as a JS number (exact below 2^53). */
  u64n(): number {
    const lo = this.u32();
    const hi = this.u32();
    return hi * 0x1_0000_0000 + lo;
  }

  /** Signed 64-bit as a JS number (exact within ±2^53). */
  i64n(): number {
    const lo = this.u32();
    const hi = this.i32();
    return hi * 0x1_0000_0000 + lo;
  }

  u64(): bigint {
    const lo = this.u32();
    const hi = this.u32();
    if (hi < 0x200000) return BigInt(hi * 0x1_0000_0000 + lo);
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  i64(): bigint {
    const lo = this.u32();
    const hi = this.i32();
    if (hi >= -0x200000 && hi < 0x200000) return BigInt(hi * 0x1_0000_0000 + lo);
    return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo));
  }

  f32(): number {
    this.need(4);
    const b = this.buf;
    const p = this.pos;
    f32Bytes[0] = b[p]!;
    f32Bytes[1] = b[p + 1]!;
    f32Bytes[2] = b[p + 2]!;
    f32Bytes[3] = b[p + 3]!;
    this.pos = p + 4;
    return f32Scratch[0]!;
  }

  f64(): number {
    if (this.pos + 8 > this.end) this.fail(8);
    const b = this.buf;
    const p = this.pos;
    f64Bytes[0] = b[p]!;
    f64Bytes[1] = b[p + 1]!;
    f64Bytes[2] = b[p + 2]!;
    f64Bytes[3] = b[p + 3]!;
    f64Bytes[4] = b[p + 4]!;
    f64Bytes[5] = b[p + 5]!;
    f64Bytes[6] = b[p + 6]!;
    f64Bytes[7] = b[p + 7]!;
    this.pos = p + 8;
    return f64Scratch[0]!;
  }

  /** LEB128 unsigned integer (ClickHouse's VarUInt), up to 2^53. */
  varuint(): number {
    const b = this.buf;
    let p = this.pos;
    if (p < this.end) {
      const x = b[p]!;
      if (x < 0x80) {
        this.pos = p + 1;
        return x;
      }
    }
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (p >= this.end) this.fail(p - this.pos + 1);
      const x = b[p++]!;
      result += (x & 0x7f) * mul;
      if (x < 0x80) {
        this.pos = p;
        if (result > Number.MAX_SAFE_INTEGER) throw this.corrupt(`VarUInt ${result} is too large`);
        return result;
      }
      mul *= 128;
    }
    throw this.corrupt('VarUInt is longer than 10 bytes');
  }

  /** A length prefix (VarUInt) checked against `max`. */
  size(max = MAX_BINARY_SIZE, what = 'size'): number {
    const n = this.varuint();
    if (n > max) throw this.tooLarge(n, what);
    return n;
  }

  tooLarge(n: number, what: string): DbError {
    const ctx = this.context ? ` (${this.context})` : '';
    return new DbError('TOO_LARGE_STRING_SIZE', `Too large ${what}: ${n}. The maximum is: ${MAX_BINARY_SIZE}${ctx}`);
  }

  corrupt(message: string): DbError {
    const ctx = this.context ? ` (${this.context})` : '';
    return new DbError('INCORRECT_DATA', `${message}${ctx}`);
  }

  /** `n` bytes as a view into the underlying buffer (no copy). */
  bytes(n: number): Uint8Array {
    if (this.pos + n > this.end) this.fail(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** VarUInt length + bytes, as a view. */
  stringBytes(): Uint8Array {
    const n = this.size(MAX_BINARY_SIZE, 'string size');
    return this.bytes(n);
  }

  /** VarUInt length + UTF-8 bytes, decoded. */
  string(): string {
    const v = this.stringBytes();
    return v.length === 0 ? '' : textDecoder.decode(v);
  }

  /** Copies `count` little-endian elements into a new, aligned typed array. */
  typedArray<A extends { readonly buffer: ArrayBufferLike; readonly length: number }>(
    ctor: new (n: number) => A,
    count: number,
    bytesPerElement: number,
  ): A {
    const bytes = count * bytesPerElement;
    if (this.pos + bytes > this.end) this.fail(bytes);
    const out = new ctor(count);
    new Uint8Array(out.buffer as ArrayBuffer).set(this.buf.subarray(this.pos, this.pos + bytes));
    this.pos += bytes;
    return out;
  }

  skip(n: number): void {
    if (this.pos + n > this.end) this.fail(n);
    this.pos += n;
  }
}

export class BinaryWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity = 64 * 1024) {
    this.buf = new Uint8Array(capacity);
  }

  get length(): number {
    return this.pos;
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  u8(v: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u16(v: number): void {
    this.ensure(2);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    this.pos = p + 2;
  }

  u32(v: number): void {
    this.ensure(4);
    const b = this.buf;
    const p = this.pos;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    this.pos = p + 4;
  }

  i32(v: number): void {
    this.u32(v >>> 0);
  }

  /** 64-bit integer from a JS number (negative numbers as two's complement). */
  i64n(v: number): void {
    const hi = Math.floor(v / 0x1_0000_0000);
    this.u32(v - hi * 0x1_0000_0000);
    this.u32(hi >>> 0);
  }

  u64(v: bigint): void {
    const x = BigInt.asUintN(64, v);
    this.u32(Number(x & 0xffff_ffffn));
    this.u32(Number(x >> 32n));
  }

  f32(v: number): void {
    this.ensure(4);
    f32Scratch[0] = v;
    const b = this.buf;
    const p = this.pos;
    b[p] = f32Bytes[0]!;
    b[p + 1] = f32Bytes[1]!;
    b[p + 2] = f32Bytes[2]!;
    b[p + 3] = f32Bytes[3]!;
    this.pos = p + 4;
  }

  f64(v: number): void {
    this.ensure(8);
    f64Scratch[0] = v;
    const b = this.buf;
    const p = this.pos;
    b[p] = f64Bytes[0]!;
    b[p + 1] = f64Bytes[1]!;
    b[p + 2] = f64Bytes[2]!;
    b[p + 3] = f64Bytes[3]!;
    b[p + 4] = f64Bytes[4]!;
    b[p + 5] = f64Bytes[5]!;
    b[p + 6] = f64Bytes[6]!;
    b[p + 7] = f64Bytes[7]!;
    this.pos = p + 8;
  }

  varuint(v: number): void {
    this.ensure(10);
    const b = this.buf;
    let p = this.pos;
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    b[p++] = v;
    this.pos = p;
  }

  bytes(src: Uint8Array): void {
    const n = src.length;
    this.ensure(n);
    if (n < 16) {
      const b = this.buf;
      const p = this.pos;
      for (let i = 0; i < n; i++) b[p + i] = src[i]!;
    } else this.buf.set(src, this.pos);
    this.pos += n;
  }

  /** Bytes [start, end) of `src`. */
  bytesRange(src: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    if (n < 16) {
      const b = this.buf;
      const p = this.pos;
      for (let i = 0; i < n; i++) b[p + i] = src[start + i]!;
    } else this.buf.set(src.subarray(start, end), this.pos);
    this.pos += n;
  }

  /** VarUInt length + bytes. */
  stringBytes(src: Uint8Array, start = 0, end = src.length): void {
    this.varuint(end - start);
    this.bytesRange(src, start, end);
  }

  /** VarUInt length + UTF-8. */
  string(s: string): void {
    if (s.length < 128) {
      let ascii = true;
      for (let i = 0; i < s.length; i++) {
        if (s.charCodeAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
      if (ascii) {
        this.ensure(s.length + 1);
        const b = this.buf;
        b[this.pos++] = s.length;
        for (let i = 0; i < s.length; i++) b[this.pos++] = s.charCodeAt(i);
        return;
      }
    }
    this.stringBytes(utf8Encoder.encode(s));
  }

  /** Raw little-endian bytes of a typed array (all of it). */
  typedArray(a: ArrayBufferView): void {
    this.bytes(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }

  /** The bytes written so far, as a copy. */
  toBytes(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** The bytes written so far as a view; resets the writer (the view stays valid: a new buffer is allocated). */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = new Uint8Array(Math.max(1024, Math.min(this.buf.length, 1 << 20)));
    this.pos = 0;
    return out;
  }

  reset(): void {
    this.pos = 0;
  }
}
