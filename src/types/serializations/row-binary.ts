import type { DataType } from '../data-type.js';
import { decimalByteWidth } from '../data-type.js';
import { DbError } from '../../errors/index.js';
import type { Column, NumericColumn, StringColumn, FixedColumn, NullableColumn, ArrayColumn, TupleColumn, BigNumColumn, ObjectColumn } from '../../columns/column.js';
import {
  type ColumnBuilder,
  ArrayBuilder,
  BigNumBuilder,
  FixedBuilder,
  NullableBuilder,
  NumericBuilder,
  ObjectBuilder,
  StringBuilder,
  TupleBuilder,
} from '../../columns/builder.js';
import { materialize } from '../../columns/ops.js';
import type { BinaryReader, BinaryWriter } from './buffer.js';
import type { NativeCodecOptions } from './native-column.js';
import { readBigLE, swapUuidHalves, writeBigLE } from './wire-values.js';

/**
 * RowBinary: one value after another, row by row. Numbers as in Native; String = VarUInt length + bytes;
 * Nullable = UInt8 flag (1 = NULL) then the value when not NULL; Array and Map = VarUInt count then the items
 * (Map items as key, value); Tuple = elements in order; LowCardinality = its inner type.
 *
 * Writers and readers are bound to one column / builder at a time so the per-row call is monomorphic.
 */

export type RowValueWriter = (row: number, w: BinaryWriter) => void;
export type RowValueReader = (r: BinaryReader) => void;

const NO_OPTIONS: NativeCodecOptions = {};

export function bindRowBinaryWriter(type: DataType, col: Column, options: NativeCodecOptions = NO_OPTIONS): RowValueWriter {
  col = materialize(col);
  switch (type.kind) {
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return bindRowBinaryWriter(type.inner, col, options);
    case 'Nullable': {
      const c = col as NullableColumn;
      const nulls = c.nulls;
      const inner = bindRowBinaryWriter(type.inner, c.inner, options);
      return (i, w) => {
        if (nulls[i]) w.u8(1);
        else {
          w.u8(0);
          inner(i, w);
        }
      };
    }
    case 'Array': {
      const c = col as ArrayColumn;
      const offsets = c.offsets;
      const inner = bindRowBinaryWriter(type.element, c.inner, options);
      return (i, w) => {
        const s = offsets[i]!;
        const e = offsets[i + 1]!;
        w.varuint(e - s);
        for (let j = s; j < e; j++) inner(j, w);
      };
    }
    case 'Map': {
      const c = col as ArrayColumn;
      const offsets = c.offsets;
      const t = materialize(c.inner) as TupleColumn;
      const kw = bindRowBinaryWriter(type.key, t.columns[0]!, options);
      const vw = bindRowBinaryWriter(type.value, t.columns[1]!, options);
      return (i, w) => {
        const s = offsets[i]!;
        const e = offsets[i + 1]!;
        w.varuint(e - s);
        for (let j = s; j < e; j++) {
          kw(j, w);
          vw(j, w);
        }
      };
    }
    case 'Tuple': {
      const c = col as TupleColumn;
      const ws = type.elements.map((e, k) => bindRowBinaryWriter(e, c.columns[k]!, options));
      return (i, w) => {
        for (let k = 0; k < ws.length; k++) ws[k]!(i, w);
      };
    }
    case 'String': {
      const { chars, offsets } = col as StringColumn;
      return (i, w) => {
        const s = offsets[i]!;
        const e = offsets[i + 1]!;
        w.varuint(e - s);
        w.bytesRange(chars, s, e);
      };
    }
    case 'FixedString':
    case 'IPv6': {
      const { data, width } = col as FixedColumn;
      return (i, w) => w.bytesRange(data, i * width, i * width + width);
    }
    case 'UUID': {
      const { data } = col as FixedColumn;
      return (i, w) => {
        w.ensure(16);
        swapUuidHalves(data, i * 16, w.buf, w.pos, 1);
        w.pos += 16;
      };
    }
    case 'DateTime64':
    case 'Interval': {
      const d = (col as NumericColumn<Float64Array>).data;
      return (i, w) => w.i64n(d[i]!);
    }
    case 'Int128':
    case 'UInt128':
    case 'Int256':
    case 'UInt256': {
      const d = (col as BigNumColumn).data;
      const bytes = type.kind.endsWith('128') ? 16 : 32;
      return (i, w) => writeBigLE(w, d[i]!, bytes);
    }
    case 'Decimal': {
      const width = decimalByteWidth(type.precision);
      if (width >= 16) {
        const d = (col as BigNumColumn).data;
        return (i, w) => writeBigLE(w, d[i]!, width);
      }
      return numericWriter(col as NumericColumn);
    }
    case 'Nothing':
      return (_i, w) => w.u8(0x30);
    case 'AggregateFunction': {
      const codec = options.aggregateStates;
      if (!codec) throw new DbError('NOT_IMPLEMENTED', `Serialization of ${type.name} states is not supported here`);
      const d = (col as ObjectColumn).data;
      return (i, w) => codec.serialize(type, d[i], w);
    }
    default:
      return numericWriter(col as NumericColumn);
  }
}

/** Fixed-width numbers: written through an unsigned view of the same width (no per-value conversion). */
function numericWriter(col: NumericColumn): RowValueWriter {
  const d = col.data;
  const bpe = d.BYTES_PER_ELEMENT;
  if (bpe === 1) {
    const u = new Uint8Array(d.buffer, d.byteOffset, d.length);
    return (i, w) => w.u8(u[i]!);
  }
  if (bpe === 2) {
    const u = new Uint16Array(d.buffer, d.byteOffset, d.length);
    return (i, w) => w.u16(u[i]!);
  }
  if (bpe === 4) {
    const u = new Uint32Array(d.buffer, d.byteOffset, d.length);
    return (i, w) => w.u32(u[i]!);
  }
  const u = new Uint32Array(d.buffer, d.byteOffset, d.length * 2);
  return (i, w) => {
    w.ensure(8);
    const b = w.buf;
    const p = w.pos;
    const lo = u[2 * i]!;
    const hi = u[2 * i + 1]!;
    b[p] = lo;
    b[p + 1] = lo >>> 8;
    b[p + 2] = lo >>> 16;
    b[p + 3] = lo >>> 24;
    b[p + 4] = hi;
    b[p + 5] = hi >>> 8;
    b[p + 6] = hi >>> 16;
    b[p + 7] = hi >>> 24;
    w.pos = p + 8;
  };
}

const uuidScratch = new Uint8Array(16);

/** A reader that parses one value of `type` and appends it to `builder` (created by createBuilder(type)). */
export function bindRowBinaryReader(type: DataType, builder: ColumnBuilder, options: NativeCodecOptions = NO_OPTIONS): RowValueReader {
  switch (type.kind) {
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return bindRowBinaryReader(type.inner, builder, options);
    case 'Nullable': {
      const b = builder as NullableBuilder;
      const inner = bindRowBinaryReader(type.inner, b.inner, options);
      return (r) => {
        const flag = r.u8();
        if (flag === 0) {
          b.markNotNull();
          inner(r);
        } else b.pushNull();
      };
    }
    case 'Array': {
      const b = builder as ArrayBuilder;
      const inner = bindRowBinaryReader(type.element, b.inner, options);
      return (r) => {
        const n = r.varuint();
        if (n > r.remaining) r.fail(n);
        for (let j = 0; j < n; j++) inner(r);
        b.endRow();
      };
    }
    case 'Map': {
      const b = builder as ArrayBuilder;
      const t = b.inner as TupleBuilder;
      const kr = bindRowBinaryReader(type.key, t.elements[0]!, options);
      const vr = bindRowBinaryReader(type.value, t.elements[1]!, options);
      return (r) => {
        const n = r.varuint();
        if (n > r.remaining) r.fail(n);
        for (let j = 0; j < n; j++) {
          kr(r);
          vr(r);
          t.endRow();
        }
        b.endRow();
      };
    }
    case 'Tuple': {
      const b = builder as TupleBuilder;
      const rs = type.elements.map((e, k) => bindRowBinaryReader(e, b.elements[k]!, options));
      return (r) => {
        for (let k = 0; k < rs.length; k++) rs[k]!(r);
        b.endRow();
      };
    }
    case 'String': {
      const b = builder as StringBuilder;
      return (r) => {
        const n = r.varuint();
        if (r.pos + n > r.end) {
          if (n > 0x7fff_ffff) throw r.tooLarge(n, 'string size');
          r.fail(n);
        }
        b.pushBytes(r.buf, r.pos, r.pos + n);
        r.pos += n;
      };
    }
    case 'FixedString':
    case 'IPv6': {
      const b = builder as FixedBuilder;
      const width = b.width;
      return (r) => {
        r.need(width);
        b.pushBytes(r.buf, r.pos, r.pos + width);
        r.pos += width;
      };
    }
    case 'UUID': {
      const b = builder as FixedBuilder;
      return (r) => {
        r.need(16);
        swapUuidHalves(r.buf, r.pos, uuidScratch, 0, 1);
        r.pos += 16;
        b.pushBytes(uuidScratch);
      };
    }
    case 'DateTime64':
    case 'Interval': {
      const b = builder as NumericBuilder;
      return (r) => b.pushNumber(r.i64n());
    }
    case 'Int128':
    case 'UInt128':
    case 'Int256':
    case 'UInt256': {
      const b = builder as BigNumBuilder;
      const bytes = type.kind.endsWith('128') ? 16 : 32;
      const signed = type.kind.startsWith('Int');
      return (r) => b.data.push(readBigLE(r, bytes, signed));
    }
    case 'Decimal': {
      const width = decimalByteWidth(type.precision);
      if (width >= 16) {
        const b = builder as BigNumBuilder;
        return (r) => b.data.push(readBigLE(r, width, true));
      }
      const b = builder as NumericBuilder;
      return width === 4 ? (r) => b.pushNumber(r.i32()) : (r) => b.pushBig(r.i64());
    }
    case 'Nothing':
      return (r) => {
        r.u8();
        builder.pushDefault();
      };
    case 'AggregateFunction': {
      const codec = options.aggregateStates;
      if (!codec) throw new DbError('NOT_IMPLEMENTED', `Deserialization of ${type.name} states is not supported here`);
      const b = builder as ObjectBuilder;
      return (r) => b.data.push(codec.deserialize(type, r));
    }
    case 'Int8':
    case 'Enum8':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushNumber((r.u8() << 24) >> 24))(builder as NumericBuilder);
    case 'UInt8':
    case 'Bool':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushNumber(r.u8()))(builder as NumericBuilder);
    case 'Int16':
    case 'Enum16':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushNumber(r.i16()))(builder as NumericBuilder);
    case 'UInt16':
    case 'Date':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushNumber(r.u16()))(builder as NumericBuilder);
    case 'Int32':
    case 'Date32':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushNumber(r.i32()))(builder as NumericBuilder);
    case 'UInt32':
    case 'DateTime':
    case 'IPv4':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushNumber(r.u32()))(builder as NumericBuilder);
    case 'Int64':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushBig(r.i64()))(builder as NumericBuilder);
    case 'UInt64':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushBig(r.u64()))(builder as NumericBuilder);
    case 'Float32':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushNumber(r.f32()))(builder as NumericBuilder);
    case 'Float64':
      return ((b: NumericBuilder) => (r: BinaryReader) => b.pushNumber(r.f64()))(builder as NumericBuilder);
  }
}
