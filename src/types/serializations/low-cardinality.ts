import type { DataType } from '../data-type.js';
import { removeNullable } from '../data-type.js';
import { DbError } from '../../errors/index.js';
import { type Column, NullableColumn } from '../../columns/column.js';
import { concatColumns, defaultColumn, materialize, takeColumn } from '../../columns/ops.js';
import type { BinaryReader, BinaryWriter } from './buffer.js';
import { readNativeData, writeNativeData, type NativeCodecOptions } from './native-column.js';

/**
 * LowCardinality(T) in Native: prefix UInt64 key version (1 = SharedDictionariesWithAdditionalKeys), then per
 * granule a UInt64 of flags (key width in the low byte, NeedGlobalDictionary 1<<8, HasAdditionalKeys 1<<9,
 * NeedUpdateDictionary 1<<10), [UInt64 count + keys as T without Nullable], UInt64 row count, indexes.
 * For LowCardinality(Nullable(T)) index 0 stands for NULL. Hadron stores the column materialised.
 */

export const LC_KEYS_VERSION = 1;
const NEED_GLOBAL_DICTIONARY = 1 << 8;
const HAS_ADDITIONAL_KEYS = 1 << 9;
const NEED_UPDATE_DICTIONARY = 1 << 10;
const KEY_WIDTHS = [1, 2, 4, 8];

const latin1 = new TextDecoder('latin1');

/** A key identifying row i's value, equal for equal values (binary-safe for strings). */
function keyFunction(col: Column): (i: number) => unknown {
  switch (col.kind) {
    case 'numeric': {
      const d = col.data;
      return (i) => d[i];
    }
    case 'bignum':
      return (i) => col.data[i];
    case 'string':
      return (i) => latin1.decode(col.chars.subarray(col.offsets[i]!, col.offsets[i + 1]!));
    case 'fixed':
      return (i) => latin1.decode(col.bytesAt(i));
    default:
      throw new DbError('NOT_IMPLEMENTED', `LowCardinality of a ${col.kind} column is not supported`);
  }
}

export function writeLowCardinalityData(inner: DataType, col: Column, w: BinaryWriter, options: NativeCodecOptions): void {
  col = materialize(col);
  const n = col.length;
  if (n === 0) return; // ClickHouse writes nothing for an empty LowCardinality column (e.g. inside empty arrays)
  const nullable = inner.kind === 'Nullable';
  const dictType = removeNullable(inner);
  const values = nullable ? (col as NullableColumn).inner : col;
  const nulls = nullable ? (col as NullableColumn).nulls : undefined;
  const keyOf = keyFunction(values);
  // Like ClickHouse's ColumnUnique: the default value sits at index 0 (index 1 for Nullable, where 0 is NULL).
  const defaults = defaultColumn(dictType, 1);
  const base = nullable ? 2 : 1;
  const seen = new Map<unknown, number>([[keyFunction(defaults)(0), base - 1]]);
  const uniqueRows: number[] = [];
  const indexes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    if (nulls && nulls[i]) continue; // index 0
    const k = keyOf(i);
    let idx = seen.get(k);
    if (idx === undefined) {
      idx = base + uniqueRows.length;
      seen.set(k, idx);
      uniqueRows.push(i);
    }
    indexes[i] = idx;
  }
  const dict = concatColumns(nullable ? [defaults, defaults, takeColumn(values, Uint32Array.from(uniqueRows))] : [defaults, takeColumn(values, Uint32Array.from(uniqueRows))]);
  const dictSize = base + uniqueRows.length;
  const keyType = dictSize <= 0x100 ? 0 : dictSize <= 0x10000 ? 1 : 2;
  w.u32(keyType | HAS_ADDITIONAL_KEYS | NEED_UPDATE_DICTIONARY);
  w.u32(0);
  w.i64n(dictSize);
  writeNativeData(dictType, dict, w, options);
  w.i64n(n);
  if (keyType === 0) w.bytes(Uint8Array.from(indexes));
  else if (keyType === 1) w.typedArray(Uint16Array.from(indexes));
  else w.typedArray(indexes);
}

export function readLowCardinalityData(inner: DataType, r: BinaryReader, rows: number, options: NativeCodecOptions): Column {
  const nullable = inner.kind === 'Nullable';
  const dictType = removeNullable(inner);
  if (rows === 0) return defaultColumn(inner, 0);
  const pieces: Column[] = [];
  let dict: Column | undefined;
  let read = 0;
  while (read < rows) {
    const flagsLo = r.u32();
    const flagsHi = r.u32();
    const keyType = flagsLo & 0xff;
    if (flagsHi !== 0 || keyType > 3) throw r.corrupt(`Invalid LowCardinality index type ${flagsHi * 4294967296 + flagsLo}`);
    if (flagsLo & NEED_GLOBAL_DICTIONARY) {
      throw new DbError('NOT_IMPLEMENTED', 'LowCardinality with a global dictionary is not supported in Native input');
    }
    if (flagsLo & HAS_ADDITIONAL_KEYS) {
      const count = r.u64n();
      if (count > r.remaining) r.fail(count);
      dict = readNativeData(dictType, r, count, options);
    } else if (!dict) {
      throw r.corrupt('LowCardinality column has no dictionary');
    }
    const dictSize = dict.length;
    const count = r.u64n();
    if (count > rows - read) throw r.corrupt(`LowCardinality granule of ${count} rows exceeds the ${rows - read} rows left`);
    const width = KEY_WIDTHS[keyType]!;
    const idx = readIndexes(r, count, width);
    for (let i = 0; i < count; i++) {
      if (idx[i]! >= dictSize) throw r.corrupt(`LowCardinality index ${idx[i]} is out of the dictionary of ${dictSize} keys`);
    }
    let piece = takeColumn(dict, idx);
    if (nullable) {
      const nulls = new Uint8Array(count);
      for (let i = 0; i < count; i++) nulls[i] = idx[i] === 0 ? 1 : 0;
      piece = new NullableColumn(nulls, piece);
    }
    pieces.push(piece);
    read += count;
    if (count === 0 && !(flagsLo & HAS_ADDITIONAL_KEYS)) throw r.corrupt('Empty LowCardinality granule');
  }
  return pieces.length === 1 ? pieces[0]! : concatColumns(pieces);
}

function readIndexes(r: BinaryReader, count: number, width: number): Uint32Array {
  r.need(count * width);
  const b = r.buf;
  let p = r.pos;
  const out = new Uint32Array(count);
  if (width === 1) for (let i = 0; i < count; i++) out[i] = b[p++]!;
  else if (width === 2) {
    for (let i = 0; i < count; i++, p += 2) out[i] = b[p]! | (b[p + 1]! << 8);
  } else {
    for (let i = 0; i < count; i++, p += width) {
      const v = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
      if (width === 8 && (b[p + 4]! | b[p + 5]! | b[p + 6]! | b[p + 7]!) !== 0) {
        r.pos = p;
        throw r.corrupt('LowCardinality index is too large');
      }
      out[i] = v;
    }
  }
  r.pos = p;
  return out;
}
