// The benchmark dataset: deterministic (seeded), generated once into typed arrays, then
// encoded as RowBinary and CSV bodies in fixed-size row chunks.
//
//   ts    DateTime  2024-01-01 00:00:00 UTC + 30 days, increasing with ±5 min jitter (roughly in order,
//                   as time-series data arrives)
//   k1    String    'key-0' … 'key-999', uniform
//   k2    UInt32    a bijective scramble of (row mod 1,000,000): exactly min(rows, 1M) distinct values
//   value Float64   cents / 100 in [0, 1000): two decimals, so CSV text and RowBinary doubles are identical
//   flag  UInt8     0 or 1, uniform

export const TABLE_COLUMNS = 'ts DateTime, k1 String, k2 UInt32, value Float64, flag UInt8';
export const START_TS = 1704067200; // 2024-01-01 00:00:00 UTC
export const SPAN_SECONDS = 30 * 86400;
const JITTER_SECONDS = 300;
const K1_COUNT = 1000;
const K2_COUNT = 1_000_000;
const K2_MULTIPLIER = 7919; // prime, coprime with 1e6: i -> i*7919+c mod 1e6 is a bijection

/**
 * mulberry32: a small, fast 32-bit seeded PRNG.
 * @param {number} seed
 * @returns {() => number} uniform in [0, 1)
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * @typedef {{
 *   rows: number,
 *   ts: Uint32Array,
 *   k1: Uint16Array,
 *   k1Names: string[],
 *   k2: Uint32Array,
 *   cents: Uint32Array,
 *   flag: Uint8Array,
 * }} Dataset
 */

/**
 * @param {number} rows
 * @param {number} [seed]
 * @returns {Dataset}
 */
export function generateDataset(rows, seed = 20240101) {
  const rand = mulberry32(seed);
  const ts = new Uint32Array(rows);
  const k1 = new Uint16Array(rows);
  const k2 = new Uint32Array(rows);
  const cents = new Uint32Array(rows);
  const flag = new Uint8Array(rows);
  const end = START_TS + SPAN_SECONDS - 1;
  for (let i = 0; i < rows; i++) {
    const base = START_TS + Math.floor((i * SPAN_SECONDS) / rows);
    const t = base + Math.floor(rand() * (2 * JITTER_SECONDS + 1)) - JITTER_SECONDS;
    ts[i] = t < START_TS ? START_TS : t > end ? end : t;
    k1[i] = Math.floor(rand() * K1_COUNT);
    k2[i] = ((i % K2_COUNT) * K2_MULTIPLIER + 12345) % K2_COUNT;
    cents[i] = Math.floor(rand() * 100000);
    flag[i] = rand() < 0.5 ? 0 : 1;
  }
  const k1Names = Array.from({ length: K1_COUNT }, (_, n) => `key-${n}`);
  return { rows, ts, k1, k1Names, k2, cents, flag };
}

/**
 * The time range [from, to) of the "0.1 % time-range filter" query: 0.1 % of the span, mid-way.
 * @returns {{ from: number, to: number }}
 */
export function timeRangeFilter() {
  const from = START_TS + 15 * 86400;
  return { from, to: from + Math.round(SPAN_SECONDS * 0.001) };
}

/** @param {number} unixSeconds @returns {string} 'YYYY-MM-DD hh:mm:ss' in UTC */
export function formatDateTime(unixSeconds) {
  return new Date(unixSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * RowBinary bodies, one Buffer per `chunkRows` rows.
 * @param {Dataset} d
 * @param {number} chunkRows
 * @returns {Buffer[]}
 */
export function encodeRowBinary(d, chunkRows) {
  const names = d.k1Names.map((s) => Buffer.from(s, 'utf8'));
  const chunks = [];
  for (let start = 0; start < d.rows; start += chunkRows) {
    const end = Math.min(d.rows, start + chunkRows);
    let size = 0;
    for (let i = start; i < end; i++) size += 4 + 1 + names[d.k1[i]].length + 4 + 8 + 1;
    const buf = Buffer.allocUnsafe(size);
    let o = 0;
    for (let i = start; i < end; i++) {
      buf.writeUInt32LE(d.ts[i], o);
      o += 4;
      const name = names[d.k1[i]];
      buf[o++] = name.length; // varint length, < 128
      name.copy(buf, o);
      o += name.length;
      buf.writeUInt32LE(d.k2[i], o);
      o += 4;
      buf.writeDoubleLE(d.cents[i] / 100, o);
      o += 8;
      buf[o++] = d.flag[i];
    }
    chunks.push(buf);
  }
  return chunks;
}

/**
 * CSV bodies (no header, unquoted), one Buffer per `chunkRows` rows, written byte by byte.
 * @param {Dataset} d
 * @param {number} chunkRows
 * @returns {Buffer[]}
 */
export function encodeCsv(d, chunkRows) {
  const names = d.k1Names.map((s) => Buffer.from(s, 'utf8'));
  const maxRow = 21 + 1 + 9 + 1 + 10 + 1 + 9 + 1 + 1 + 1;
  const chunks = [];
  let dayStart = -1;
  let dayPrefix = Buffer.alloc(0);
  for (let start = 0; start < d.rows; start += chunkRows) {
    const end = Math.min(d.rows, start + chunkRows);
    const buf = Buffer.allocUnsafe((end - start) * maxRow);
    let o = 0;
    for (let i = start; i < end; i++) {
      const t = d.ts[i];
      const sod = (t - START_TS) % 86400;
      if (t - sod !== dayStart) {
        dayStart = t - sod;
        dayPrefix = Buffer.from(formatDateTime(dayStart).slice(0, 11), 'latin1'); // 'YYYY-MM-DD '
      }
      buf[o++] = 0x22; // "
      dayPrefix.copy(buf, o);
      o += dayPrefix.length;
      o = write2(buf, o, Math.floor(sod / 3600));
      buf[o++] = 0x3a;
      o = write2(buf, o, Math.floor(sod / 60) % 60);
      buf[o++] = 0x3a;
      o = write2(buf, o, sod % 60);
      buf[o++] = 0x22;
      buf[o++] = 0x2c;
      const name = names[d.k1[i]];
      name.copy(buf, o);
      o += name.length;
      buf[o++] = 0x2c;
      o = writeUint(buf, o, d.k2[i]);
      buf[o++] = 0x2c;
      const c = d.cents[i];
      o = writeUint(buf, o, Math.floor(c / 100));
      buf[o++] = 0x2e;
      o = write2(buf, o, c % 100);
      buf[o++] = 0x2c;
      buf[o++] = 0x30 + d.flag[i];
      buf[o++] = 0x0a;
    }
    chunks.push(buf.subarray(0, o));
  }
  return chunks;
}

/** @param {Buffer} buf @param {number} o @param {number} v 0..99 */
function write2(buf, o, v) {
  buf[o] = 0x30 + Math.floor(v / 10);
  buf[o + 1] = 0x30 + (v % 10);
  return o + 2;
}

/** @param {Buffer} buf @param {number} o @param {number} v a non-negative integer */
function writeUint(buf, o, v) {
  if (v === 0) {
    buf[o] = 0x30;
    return o + 1;
  }
  let digits = 0;
  for (let x = v; x > 0; x = Math.floor(x / 10)) digits++;
  for (let p = o + digits - 1; p >= o; p--) {
    buf[p] = 0x30 + (v % 10);
    v = Math.floor(v / 10);
  }
  return o + digits;
}
