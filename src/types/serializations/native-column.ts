import type { AggregateFunctionType, DataType } from '../data-type.js';
import { decimalByteWidth } from '../data-type.js';
import { DbError } from '../../errors/index.js';
import {
  ArrayColumn,
  BigNumColumn,
  type Column,
  FixedColumn,
  NothingColumn,
  NullableColumn,
  NumericColumn,
  ObjectColumn,
  StringColumn,
  TupleColumn,
} from '../../columns/column.js';
import { materialize } from '../../columns/ops.js';
import { physicalOf } from '../../columns/physical.js';
import { type BinaryReader, type BinaryWriter, MAX_BINARY_SIZE } from './buffer.js';
import { readBigLE, readInt64AsFloat64, swapUuidHalves, writeBigLE, writeFloat64AsInt64 } from './wire-values.js';
import { readLowCardinalityData, writeLowCardinalityData, LC_KEYS_VERSION } from './low-cardinality.js';

/**
 * Whole-column (de)serialization in ClickHouse's Native layout (NativeWriter / NativeReader,
 * `serializeBinaryBulkWithMultipleStreams` with every substream written to one buffer):
 * first the state prefixes of the whole type tree (LowCardinality's key version), then the data.
 */

/** AggregateFunction states are opaque to this layer; the function registry provides the codec. */
export interface AggregateStateCodec {
  serialize(type: AggregateFunctionType, state: unknown, w: BinaryWriter): void;
  deserialize(type: AggregateFunctionType, r: BinaryReader): unknown;
}

export interface NativeCodecOptions {
  readonly aggregateStates?: AggregateStateCodec;
}

const NO_OPTIONS: NativeCodecOptions = {};

/** Writes a column with `rows > 0` rows: prefix then data. (A zero-row column is zero bytes in Native.) */
export function writeNativeColumn(type: DataType, col: Column, w: BinaryWriter, options: NativeCodecOptions = NO_OPTIONS): void {
  writeNativePrefix(type, w);
  writeNativeData(type, col, w, options);
}

export function readNativeColumn(type: DataType, r: BinaryReader, rows: number, options: NativeCodecOptions = NO_OPTIONS): Column {
  readNativePrefix(type, r);
  return readNativeData(type, r, rows, options);
}

/** State prefixes, depth first (only LowCardinality has one). */
export function writeNativePrefix(type: DataType, w: BinaryWriter): void {
  switch (type.kind) {
    case 'LowCardinality':
      w.u32(LC_KEYS_VERSION);
      w.u32(0);
      return;
    case 'Nullable':
      return writeNativePrefix(type.inner, w);
    case 'Array':
      return writeNativePrefix(type.element, w);
    case 'Map':
      writeNativePrefix(type.key, w);
      return writeNativePrefix(type.value, w);
    case 'Tuple':
      for (const e of type.elements) writeNativePrefix(e, w);
      return;
    case 'SimpleAggregateFunction':
      return writeNativePrefix(type.inner, w);
    default:
      return;
  }
}

export function readNativePrefix(type: DataType, r: BinaryReader): void {
  switch (type.kind) {
    case 'LowCardinality': {
      const v = r.u64n();
      if (v !== LC_KEYS_VERSION) throw r.corrupt(`Invalid version for SerializationLowCardinality key column: ${v}`);
      return;
    }
    case 'Nullable':
      return readNativePrefix(type.inner, r);
    case 'Array':
      return readNativePrefix(type.element, r);
    case 'Map':
      readNativePrefix(type.key, r);
      return readNativePrefix(type.value, r);
    case 'Tuple':
      for (const e of type.elements) readNativePrefix(e, r);
      return;
    case 'SimpleAggregateFunction':
      return readNativePrefix(type.inner, r);
    default:
      return;
  }
}

export function writeNativeData(type: DataType, col: Column, w: BinaryWriter, options: NativeCodecOptions = NO_OPTIONS): void {
  if (col.kind === 'const') col = materialize(col);
  switch (type.kind) {
    case 'LowCardinality':
      return writeLowCardinalityData(type.inner, col, w, options);
    case 'SimpleAggregateFunction':
      return writeNativeData(type.inner, col, w, options);
    case 'Nullable': {
      const c = col as NullableColumn;
      w.bytes(c.nulls);
      return writeNativeData(type.inner, c.inner, w, options);
    }
    case 'Array':
    case 'Map': {
      const c = col as ArrayColumn;
      writeOffsets(c.offsets, w);
      const inner = c.inner;
      if (type.kind === 'Array') return writeNativeData(type.element, inner, w, options);
      const t = materialize(inner) as TupleColumn;
      writeNativeData(type.key, t.columns[0]!, w, options);
      return writeNativeData(type.value, t.columns[1]!, w, options);
    }
    case 'Tuple': {
      const c = col as TupleColumn;
      for (let i = 0; i < type.elements.length; i++) writeNativeData(type.elements[i]!, c.columns[i]!, w, options);
      return;
    }
    case 'String': {
      const c = col as StringColumn;
      const { chars, offsets } = c;
      const n = c.length;
      w.ensure(offsets[n]! - offsets[0]! + n * 5);
      const b = w.buf;
      let p = w.pos;
      for (let i = 0; i < n; i++) {
        const s = offsets[i]!;
        const e = offsets[i + 1]!;
        let len = e - s;
        while (len >= 0x80) {
          b[p++] = (len & 0x7f) | 0x80;
          len >>>= 7;
        }
        b[p++] = len;
        if (e - s > 24) {
          b.set(chars.subarray(s, e), p);
          p += e - s;
        } else for (let j = s; j < e; j++) b[p++] = chars[j]!;
      }
      w.pos = p;
      return;
    }
    case 'FixedString':
    case 'IPv6':
      w.bytes((col as FixedColumn).data);
      return;
    case 'UUID': {
      const c = col as FixedColumn;
      const n = c.length;
      w.ensure(n * 16);
      swapUuidHalves(c.data, 0, w.buf, w.pos, n);
      w.pos += n * 16;
      return;
    }
    case 'DateTime64':
    case 'Interval':
      return writeFloat64AsInt64(w, (col as NumericColumn<Float64Array>).data);
    case 'Int128':
    case 'UInt128':
    case 'Int256':
    case 'UInt256':
      return writeBigColumn(w, col, type.kind.endsWith('128') ? 16 : 32);
    case 'Decimal': {
      const width = decimalByteWidth(type.precision);
      if (width >= 16) return writeBigColumn(w, col, width);
      w.typedArray((col as NumericColumn).data);
      return;
    }
    case 'Nothing':
      w.ensure(col.length);
      w.buf.fill(0x30, w.pos, w.pos + col.length);
      w.pos += col.length;
      return;
    case 'AggregateFunction': {
      const codec = options.aggregateStates;
      if (!codec) throw new DbError('NOT_IMPLEMENTED', `Serialization of ${type.name} states is not supported here`);
      for (const s of (col as ObjectColumn).data) codec.serialize(type, s, w);
      return;
    }
    default:
      // Every other type is one little-endian typed array whose memory layout is the wire layout.
      w.typedArray((col as NumericColumn).data);
  }
}

function writeBigColumn(w: BinaryWriter, col: Column, bytes: number): void {
  const data = (col as BigNumColumn).data;
  for (let i = 0; i < data.length; i++) writeBigLE(w, data[i]!, bytes);
}

/** ClickHouse array sizes: UInt64 cumulative end offsets (offsets[1..n] relative to offsets[0]). */
function writeOffsets(offsets: Uint32Array, w: BinaryWriter): void {
  const n = offsets.length - 1;
  w.ensure(n * 8);
  const b = w.buf;
  let p = w.pos;
  const base = offsets[0]!;
  for (let i = 1; i <= n; i++) {
    const v = offsets[i]! - base;
    b[p] = v;
    b[p + 1] = v >>> 8;
    b[p + 2] = v >>> 16;
    b[p + 3] = v >>> 24;
    b[p + 4] = 0;
    b[p + 5] = 0;
    b[p + 6] = 0;
    b[p + 7] = 0;
    p += 8;
  }
  w.pos = p;
}

/** Maximum total elements of one array column in one block. */
const MAX_ARRAY_ELEMENTS = 0xffff_fffe;

function readOffsets(r: BinaryReader, rows: number): Uint32Array {
  r.need(rows * 8);
  const out = new Uint32Array(rows + 1);
  const b = r.buf;
  let p = r.pos;
  let prev = 0;
  for (let i = 1; i <= rows; i++) {
    const lo = (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
    const hi = b[p + 4]! | (b[p + 5]! << 8) | (b[p + 6]! << 16) | (b[p + 7]! << 24);
    p += 8;
    if (hi !== 0 || lo < prev || lo > MAX_ARRAY_ELEMENTS) {
      r.pos = p;
      throw new DbError('INCORRECT_DATA', `Array offsets are corrupted: offset ${hi * 4294967296 + lo} after ${prev}${r.context ? ` (${r.context})` : ''}`);
    }
    out[i] = lo;
    prev = lo;
  }
  r.pos = p;
  return out;
}

export function readNativeData(type: DataType, r: BinaryReader, rows: number, options: NativeCodecOptions = NO_OPTIONS): Column {
  switch (type.kind) {
    case 'LowCardinality':
      return readLowCardinalityData(type.inner, r, rows, options);
    case 'SimpleAggregateFunction':
      return readNativeData(type.inner, r, rows, options);
    case 'Nullable': {
      const nulls = new Uint8Array(r.bytes(rows)); // a copy (Buffer#slice would alias the input)
      return new NullableColumn(nulls, readNativeData(type.inner, r, rows, options));
    }
    case 'Array':
    case 'Map': {
      const offsets = readOffsets(r, rows);
      const total = offsets[rows]!;
      if (type.kind === 'Array') return new ArrayColumn(offsets, readNativeData(type.element, r, total, options));
      const keys = readNativeData(type.key, r, total, options);
      const values = readNativeData(type.value, r, total, options);
      return new ArrayColumn(offsets, new TupleColumn([keys, values], total));
    }
    case 'Tuple':
      return new TupleColumn(
        type.elements.map((e) => readNativeData(e, r, rows, options)),
        rows,
      );
    case 'String':
      return readStrings(r, rows);
    case 'FixedString':
    case 'IPv6': {
      const width = type.kind === 'FixedString' ? type.n : 16;
      return new FixedColumn(new Uint8Array(r.bytes(rows * width)), width);
    }
    case 'UUID': {
      const src = r.bytes(rows * 16);
      const out = new Uint8Array(rows * 16);
      swapUuidHalves(src, 0, out, 0, rows);
      return new FixedColumn(out, 16);
    }
    case 'DateTime64':
    case 'Interval':
      return new NumericColumn(readInt64AsFloat64(r, rows));
    case 'Int128':
    case 'UInt128':
    case 'Int256':
    case 'UInt256':
      return readBigColumn(r, rows, type.kind.endsWith('128') ? 16 : 32, type.kind.startsWith('Int'));
    case 'Decimal': {
      const width = decimalByteWidth(type.precision);
      if (width >= 16) return readBigColumn(r, rows, width, true);
      return width === 4
        ? new NumericColumn(r.typedArray(Int32Array, rows, 4))
        : new NumericColumn(r.typedArray(BigInt64Array, rows, 8));
    }
    case 'Nothing':
      r.skip(rows);
      return new NothingColumn(rows);
    case 'AggregateFunction': {
      const codec = options.aggregateStates;
      if (!codec) throw new DbError('NOT_IMPLEMENTED', `Deserialization of ${type.name} states is not supported here`);
      const data: unknown[] = new Array(rows);
      for (let i = 0; i < rows; i++) data[i] = codec.deserialize(type, r);
      return new ObjectColumn(data);
    }
    default: {
      const p = physicalOf(type);
      if (p.layout !== 'numeric') throw new DbError('NOT_IMPLEMENTED', `Native deserialization of ${type.name} is not supported`);
      return new NumericColumn(r.typedArray(p.ctor as never, rows, p.ctor.BYTES_PER_ELEMENT));
    }
  }
}

function readBigColumn(r: BinaryReader, rows: number, bytes: number, signed: boolean): BigNumColumn {
  r.need(rows * bytes);
  const data: bigint[] = new Array(rows);
  for (let i = 0; i < rows; i++) data[i] = readBigLE(r, bytes, signed);
  return new BigNumColumn(data);
}

/** VarUInt length + bytes per row: one pass for offsets (and bounds), one copy pass. */
function readStrings(r: BinaryReader, rows: number): StringColumn {
  r.need(rows); // at least one length byte per row, before allocating by a row count from the wire
  const offsets = new Uint32Array(rows + 1);
  const b = r.buf;
  const start = r.pos;
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const len = r.varuint();
    if (len > MAX_BINARY_SIZE) throw r.tooLarge(len, 'string size');
    r.skip(len);
    total += len;
    if (total > 0xffff_fff0) throw new DbError('TOO_LARGE_STRING_SIZE', `Too many string bytes in one column${r.context ? ` (${r.context})` : ''}`);
    offsets[i + 1] = total;
  }
  const chars = new Uint8Array(total);
  let p = start;
  for (let i = 0; i < rows; i++) {
    const len = offsets[i + 1]! - offsets[i]!;
    while (b[p++]! >= 0x80); // the length prefix, already validated by the first pass
    const at = offsets[i]!;
    if (len > 24) chars.set(b.subarray(p, p + len), at);
    else for (let j = 0; j < len; j++) chars[at + j] = b[p + j]!;
    p += len;
  }
  return new StringColumn(chars, offsets);
}
