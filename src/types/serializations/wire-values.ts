import type { BinaryReader, BinaryWriter } from './buffer.js';

/**
 * Conversions between Hadron's in-memory layouts and ClickHouse's wire layouts where they differ:
 * DateTime64 / Interval (Float64 ticks in memory, Int64 on the wire), 128/256-bit integers (bigint[] in memory),
 * UUID (text byte order in memory, two little-endian UInt64 halves on the wire, high half first).
 */

/** Writes Float64 values holding integers as little-endian Int64s. */
export function writeFloat64AsInt64(w: BinaryWriter, src: Float64Array, start = 0, end = src.length): void {
  const n = end - start;
  w.ensure(n * 8);
  const b = w.buf;
  let p = w.pos;
  for (let i = start; i < end; i++) {
    const x = src[i]!;
    const hi = Math.floor(x / 4294967296);
    const lo = x - hi * 4294967296;
    b[p] = lo;
    b[p + 1] = lo >>> 8;
    b[p + 2] = lo >>> 16;
    b[p + 3] = lo >>> 24;
    b[p + 4] = hi;
    b[p + 5] = hi >>> 8;
    b[p + 6] = hi >>> 16;
    b[p + 7] = hi >>> 24;
    p += 8;
  }
  w.pos = p;
}

/** Reads `n` little-endian Int64s into a Float64Array (exact within ±2^53). */
export function readInt64AsFloat64(r: BinaryReader, n: number): Float64Array {
  r.need(n * 8);
  const out = new Float64Array(n);
  const b = r.buf;
  let p = r.pos;
  for (let i = 0; i < n; i++) {
    const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
    const hi = b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24);
    out[i] = hi * 4294967296 + lo;
    p += 8;
  }
  r.pos = p;
  return out;
}

/** Writes a bigint as a little-endian two's complement integer of `bytes` bytes. */
export function writeBigLE(w: BinaryWriter, v: bigint, bytes: number): void {
  w.ensure(bytes);
  let x = BigInt.asUintN(bytes * 8, v);
  const b = w.buf;
  let p = w.pos;
  for (let k = 0; k < bytes; k += 4) {
    const word = Number(x & 0xffff_ffffn);
    b[p] = word;
    b[p + 1] = word >>> 8;
    b[p + 2] = word >>> 16;
    b[p + 3] = word >>> 24;
    p += 4;
    x >>= 32n;
  }
  w.pos = p;
}

/** Reads a little-endian integer of `bytes` bytes as a bigint (signed when `signed`). */
export function readBigLE(r: BinaryReader, bytes: number, signed: boolean): bigint {
  r.need(bytes);
  const b = r.buf;
  const p = r.pos;
  let x = 0n;
  for (let k = bytes - 4; k >= 0; k -= 4) {
    const word = (b[p + k]! | (b[p + k + 1]! << 8) | (b[p + k + 2]! << 16)) + b[p + k + 3]! * 0x1000000;
    x = (x << 32n) | BigInt(word);
  }
  r.pos = p + bytes;
  return signed ? BigInt.asIntN(bytes * 8, x) : x;
}

/** UUID text-order bytes → wire order (each 8-byte half reversed), `count` UUIDs. */
export function swapUuidHalves(src: Uint8Array, srcAt: number, dst: Uint8Array, dstAt: number, count: number): void {
  for (let u = 0; u < count; u++) {
    const s = srcAt + u * 16;
    const d = dstAt + u * 16;
    for (let i = 0; i < 8; i++) {
      dst[d + i] = src[s + 7 - i]!;
      dst[d + 8 + i] = src[s + 15 - i]!;
    }
  }
}
