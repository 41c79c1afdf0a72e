import type { Block } from '../../core/block.js';
import type { Column } from '../../columns/column.js';
import { encodeColumnsWithEnd } from '../codec/column-encoder.js';
import { crc32cUpdate } from './crc32c.js';

/**
 * A write-ahead-log record: a 64-byte header followed by the column-codec encoding of a Block, zero-padded to a
 * multiple of 8 bytes (so every record, and the numeric data inside it, stays 8-aligned in the segment file).
 *
 *   0  u32 magic 'HWAL'          32 f64 min event time (NaN when the stream has no time column)
 *   4  u8  format version (1)    40 f64 max event time
 *   5  u8  flags (1 = first record of a group-commit batch)
 *   6  u16 reserved              48 f64 append time, ms since the epoch
 *   8  u32 total length          56 u32 payload length
 *   12 u32 CRC32C of bytes [16, total length)
 *   16 u64 first sequence number 60 u32 reserved
 *   24 u32 row count
 *   28 u32 schema version
 */

export const RECORD_MAGIC = 0x4c415748; // bytes 'H' 'W' 'A' 'L'
export const RECORD_VERSION = 1;
export const RECORD_HEADER_SIZE = 64;
export const FLAG_BATCH_START = 1;
/** Larger records are rejected as corrupt (a single insert block is far smaller). */
export const MAX_RECORD_SIZE = 1 << 30;

export interface RecordHeader {
  readonly flags: number;
  readonly totalLength: number;
  readonly crc: number;
  readonly firstSn: number;
  readonly rows: number;
  readonly schemaVersion: number;
  readonly minTime: number;
  readonly maxTime: number;
  readonly appendTimeMs: number;
  readonly payloadLength: number;
}

/** An encoded record waiting for its sequence number (assigned when its batch is written). */
export interface PendingRecord {
  readonly buf: Uint8Array;
  readonly payloadLength: number;
  readonly rows: number;
  readonly minTime: number;
  readonly maxTime: number;
  readonly schemaVersion: number;
}

/** Encodes a block into a record buffer with room for the header; the header is filled by `sealRecord`. */
export function encodeRecord(block: Block, timeColumn: number, schemaVersion: number): PendingRecord {
  const m = block.materialized();
  const { buf, end } = encodeColumnsWithEnd(m.columns, m.rows, { headroom: RECORD_HEADER_SIZE, padTo: 8 });
  let minTime = NaN;
  let maxTime = NaN;
  if (timeColumn >= 0 && m.rows > 0) [minTime, maxTime] = minMaxOf(m.columns[timeColumn]!);
  return { buf, payloadLength: end - RECORD_HEADER_SIZE, rows: m.rows, minTime, maxTime, schemaVersion };
}

function minMaxOf(col: Column): [number, number] {
  if (col.kind !== 'numeric') return [NaN, NaN];
  const d = col.data;
  let lo = Infinity;
  let hi = -Infinity;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    for (let i = 0; i < d.length; i++) {
      const v = Number(d[i]!);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  } else {
    const f = d as Float64Array;
    for (let i = 0; i < f.length; i++) {
      const v = f[i]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/** Fills in the header (sequence number, time, flags) and the CRC. */
export function sealRecord(rec: PendingRecord, firstSn: number, flags: number, appendTimeMs: number): void {
  const b = rec.buf;
  const v = new DataView(b.buffer, b.byteOffset, RECORD_HEADER_SIZE);
  v.setUint32(0, RECORD_MAGIC, true);
  v.setUint8(4, RECORD_VERSION);
  v.setUint8(5, flags);
  v.setUint16(6, 0, true);
  v.setUint32(8, b.length, true);
  v.setBigUint64(16, BigInt(firstSn), true);
  v.setUint32(24, rec.rows, true);
  v.setUint32(28, rec.schemaVersion, true);
  v.setFloat64(32, rec.minTime, true);
  v.setFloat64(40, rec.maxTime, true);
  v.setFloat64(48, appendTimeMs, true);
  v.setUint32(56, rec.payloadLength, true);
  v.setUint32(60, 0, true);
  v.setUint32(12, crc32cUpdate(0, b, 16, b.length), true);
}

/**
 * Parses the header at buf[at]; returns a reason string when it cannot be a record header. `available` is how
 * many bytes of the file remain from `at` (a header whose record runs past it is torn).
 */
export function parseRecordHeader(buf: Uint8Array, at: number, available: number): RecordHeader | string {
  if (available < RECORD_HEADER_SIZE || buf.length - at < RECORD_HEADER_SIZE) return 'truncated header';
  const v = new DataView(buf.buffer, buf.byteOffset + at, RECORD_HEADER_SIZE);
  if (v.getUint32(0, true) !== RECORD_MAGIC) return 'bad magic';
  if (v.getUint8(4) !== RECORD_VERSION) return `unknown record version ${v.getUint8(4)}`;
  const totalLength = v.getUint32(8, true);
  if (totalLength < RECORD_HEADER_SIZE || totalLength % 8 !== 0 || totalLength > MAX_RECORD_SIZE) return `bad record length ${totalLength}`;
  if (totalLength > available) return 'record runs past the end of the segment';
  const payloadLength = v.getUint32(56, true);
  if (payloadLength > totalLength - RECORD_HEADER_SIZE || totalLength - RECORD_HEADER_SIZE - payloadLength >= 8) return 'bad payload length';
  const sn = v.getBigUint64(16, true);
  if (sn > BigInt(Number.MAX_SAFE_INTEGER)) return 'sequence number out of range';
  return {
    flags: v.getUint8(5),
    totalLength,
    crc: v.getUint32(12, true),
    firstSn: Number(sn),
    rows: v.getUint32(24, true),
    schemaVersion: v.getUint32(28, true),
    minTime: v.getFloat64(32, true),
    maxTime: v.getFloat64(40, true),
    appendTimeMs: v.getFloat64(48, true),
    payloadLength,
  };
}

/** True when the record at buf[at] (whose header parsed) carries a matching CRC. */
export function recordCrcMatches(buf: Uint8Array, at: number, h: RecordHeader): boolean {
  return crc32cUpdate(0, buf, at + 16, at + h.totalLength) === h.crc;
}
