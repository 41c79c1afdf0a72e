import { type Column, ConstColumn, StringColumn, decodeUtf8 } from '../../columns/column.js';
import { StringBuilder } from '../../columns/builder.js';
import { materialize } from '../../columns/ops.js';

/** String column access for string kernels: FixedString reads as its full bytes, constants as one row. */
export interface StringInput {
  readonly chars: Uint8Array;
  readonly offsets: Uint32Array;
  readonly isConst: boolean;
}

export function stringInput(col: Column): StringInput {
  const isConst = col.kind === 'const';
  const c = isConst ? (col as ConstColumn).inner : col;
  if (c.kind === 'string') return { chars: c.chars, offsets: c.offsets, isConst };
  if (c.kind === 'fixed') {
    const n = c.length;
    const offsets = new Uint32Array(n + 1);
    for (let i = 0; i <= n; i++) offsets[i] = i * c.width;
    return { chars: c.data, offsets, isConst };
  }
  const m = materialize(c);
  if (m.kind === 'string') return { chars: m.chars, offsets: m.offsets, isConst };
  throw new Error(`expected a string column, got ${c.kind}`);
}

/** Row i of a StringInput as a JS string. */
export function stringAt(s: StringInput, i: number): string {
  const r = s.isConst ? 0 : i;
  return decodeUtf8(s.chars, s.offsets[r]!, s.offsets[r + 1]!);
}

/** Maps every row's string through `fn` (rowwise; constant in, constant out). */
export function mapStrings(col: Column, rows: number, fn: (s: string, row: number) => string): Column {
  const s = stringInput(col);
  const n = s.isConst ? 1 : rows;
  const b = new StringBuilder(n, Math.max(16, s.offsets[n]! - s.offsets[0]!));
  for (let i = 0; i < n; i++) b.pushString(fn(stringAt(s, i), i));
  const res = b.build();
  return s.isConst ? new ConstColumn(res, rows) : res;
}

/** Maps every row's bytes through `fn` writing into the builder (byte-level kernels). */
export function mapBytes(col: Column, rows: number, fn: (chars: Uint8Array, start: number, end: number, out: StringBuilder) => void): Column {
  const s = stringInput(col);
  const n = s.isConst ? 1 : rows;
  const b = new StringBuilder(n, Math.max(16, s.offsets[n]! - s.offsets[0]!));
  for (let i = 0; i < n; i++) fn(s.chars, s.offsets[i]!, s.offsets[i + 1]!, b);
  const res = b.build();
  return s.isConst ? new ConstColumn(res, rows) : res;
}

export function utf8Length(chars: Uint8Array, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) if ((chars[i]! & 0xc0) !== 0x80) n++;
  return n;
}

/** Byte offset of the `k`-th code point (0-based) from `start`, clamped to `end`. */
export function utf8Advance(chars: Uint8Array, start: number, end: number, k: number): number {
  let i = start;
  while (k > 0 && i < end) {
    i++;
    while (i < end && (chars[i]! & 0xc0) === 0x80) i++;
    k--;
  }
  return i;
}

/** Finds `needle` in chars[from, end); returns the byte index or -1. */
export function indexOfBytes(chars: Uint8Array, from: number, end: number, needle: Uint8Array): number {
  const m = needle.length;
  if (m === 0) return from;
  const first = needle[0]!;
  const last = end - m;
  outer: for (let i = from; i <= last; i++) {
    if (chars[i] !== first) continue;
    for (let k = 1; k < m; k++) if (chars[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

export function startsWithBytes(chars: Uint8Array, start: number, end: number, prefix: Uint8Array): boolean {
  if (end - start < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) if (chars[start + k] !== prefix[k]) return false;
  return true;
}

export function endsWithBytes(chars: Uint8Array, start: number, end: number, suffix: Uint8Array): boolean {
  const m = suffix.length;
  if (end - start < m) return false;
  for (let k = 0; k < m; k++) if (chars[end - m + k] !== suffix[k]) return false;
  return true;
}

export { StringColumn };
