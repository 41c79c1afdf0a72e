import * as A from 'apache-arrow';
import { Block, type Header } from '../core/block.js';
import type { DataType } from '../types/data-type.js';
import { decimalByteWidth } from '../types/data-type.js';
import type { ArrayColumn, Column, FixedColumn, NullableColumn, NumericColumn, StringColumn, TupleColumn } from '../columns/column.js';
import { materialize } from '../columns/ops.js';
import { readValue, type Value } from '../columns/values.js';
import { createBuilder } from '../columns/builder.js';
import { DbError } from '../errors/index.js';
import { formatValueText } from '../types/text-conversion.js';
import type { FormatOptions, InputFormat, InputReader, OutputFormat, OutputWriter, ResultStatistics } from './format.js';

/**
 * Arrow (file) and ArrowStream (IPC stream), out and in, as ClickHouse maps types: integers, floats, Bool,
 * String → Utf8, FixedString / UUID / IPv6 → FixedSizeBinary, Date / Date32 → Date32, DateTime → UInt32,
 * DateTime64 → Timestamp, Decimal → Decimal, Nullable → validity bitmap, Array → List, Tuple → Struct,
 * Map → Map. Other types travel as their text. Input is buffered whole and converted per batch.
 */

function arrowType(t: DataType): A.DataType {
  switch (t.kind) {
    case 'Nullable':
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return arrowType(t.inner);
    case 'Int8':
    case 'Enum8':
      return new A.Int8();
    case 'Int16':
    case 'Enum16':
      return new A.Int16();
    case 'Int32':
      return new A.Int32();
    case 'Int64':
      return new A.Int64();
    case 'UInt8':
      return new A.Uint8();
    case 'UInt16':
      return new A.Uint16();
    case 'UInt32':
    case 'DateTime':
    case 'IPv4':
      return new A.Uint32();
    case 'UInt64':
      return new A.Uint64();
    case 'Float32':
      return new A.Float32();
    case 'Float64':
      return new A.Float64();
    case 'Bool':
      return new A.Bool();
    case 'Date':
    case 'Date32':
      return new A.DateDay();
    case 'DateTime64':
      return new A.Timestamp(t.precision <= 0 ? A.TimeUnit.SECOND : t.precision <= 3 ? A.TimeUnit.MILLISECOND : t.precision <= 6 ? A.TimeUnit.MICROSECOND : A.TimeUnit.NANOSECOND, t.timezone ?? null);
    case 'FixedString':
      return new A.FixedSizeBinary(t.n);
    case 'UUID':
    case 'IPv6':
      return new A.FixedSizeBinary(16);
    case 'Decimal':
      return new A.Decimal(t.scale, t.precision, decimalByteWidth(t.precision) === 32 ? 256 : 128);
    case 'Array':
      return new A.List(new A.Field('item', arrowType(t.element), t.element.kind === 'Nullable'));
    case 'Tuple':
      return new A.Struct(t.elements.map((e, i) => new A.Field(t.names?.[i] ?? String(i + 1), arrowType(e), e.kind === 'Nullable')));
    case 'Map':
      return new A.Map_(
        new A.Field(
          'entries',
          new A.Struct([new A.Field('key', arrowType(t.key), false), new A.Field('value', arrowType(t.value), t.value.kind === 'Nullable')] as never[]),
          false,
        ),
      );
    default:
      return new A.Utf8();
  }
}

function validity(nulls: Uint8Array): Uint8Array {
  const bits = new Uint8Array((nulls.length + 7) >> 3);
  for (let i = 0; i < nulls.length; i++) if (!nulls[i]) bits[i >> 3]! |= 1 << (i & 7);
  return bits;
}

function toArrowData(t: DataType, col: Column, tz: string, nulls?: Uint8Array): A.Data {
  col = materialize(col);
  const type = arrowType(t);
  const length = col.length;
  const nullBitmap = nulls ? validity(nulls) : undefined;
  switch (t.kind) {
    case 'Nullable': {
      const c = col as NullableColumn;
      return toArrowData(t.inner, c.inner, tz, c.nulls);
    }
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return toArrowData(t.inner, col, tz, nulls);
    case 'String': {
      const c = col as StringColumn;
      return A.makeData({ type: type as A.Utf8, length, nullBitmap, valueOffsets: new Int32Array(c.offsets.buffer, c.offsets.byteOffset, c.offsets.length), data: c.chars });
    }
    case 'FixedString':
    case 'UUID':
    case 'IPv6':
      return A.makeData({ type: type as A.FixedSizeBinary, length, nullBitmap, data: (col as FixedColumn).data });
    case 'Bool':
      return A.makeData({ type: type as A.Bool, length, nullBitmap, data: validity((col as NumericColumn<Uint8Array>).data.map((x) => (x ? 0 : 1))) });
    case 'Date':
      return A.makeData({ type: type as A.DateDay, length, nullBitmap, data: Int32Array.from((col as NumericColumn).data as Uint16Array) });
    case 'DateTime64':
      return A.makeData({ type: type as A.Timestamp, length, nullBitmap, data: BigInt64Array.from((col as NumericColumn<Float64Array>).data, (x) => BigInt(Math.round(x))) });
    case 'Decimal': {
      const w = decimalByteWidth(t.precision) === 32 ? 8 : 4;
      const words = new Uint32Array(length * w);
      for (let i = 0; i < length; i++) {
        let v = BigInt.asUintN(w * 32, readValue(t, col, i) as bigint);
        for (let k = 0; k < w; k++) {
          words[i * w + k] = Number(v & 0xffffffffn);
          v >>= 32n;
        }
      }
      return A.makeData({ type: type as A.Decimal, length, nullBitmap, data: words });
    }
    case 'Array': {
      const c = col as ArrayColumn;
      const child = toArrowData(t.element, c.inner, tz);
      return A.makeData({ type: type as A.List, length, nullBitmap, valueOffsets: new Int32Array(c.offsets.buffer, c.offsets.byteOffset, c.offsets.length), child });
    }
    case 'Map': {
      const c = col as ArrayColumn;
      const inner = materialize(c.inner) as TupleColumn;
      const entries = A.makeData({
        type: (type as A.Map_).children[0]!.type as A.Struct,
        length: inner.length,
        children: [toArrowData(t.key, inner.columns[0]!, tz), toArrowData(t.value, inner.columns[1]!, tz)],
      });
      return A.makeData({ type: type as A.Map_, length, nullBitmap, valueOffsets: new Int32Array(c.offsets.buffer, c.offsets.byteOffset, c.offsets.length), child: entries });
    }
    case 'Tuple': {
      const c = col as TupleColumn;
      return A.makeData({ type: type as A.Struct, length, nullBitmap, children: t.elements.map((e, i) => toArrowData(e, c.columns[i]!, tz)) });
    }
    default: {
      if (type instanceof A.Utf8) {
        const parts = Array.from({ length }, (_, i) => formatValueText(t, col, i, tz));
        const vec = A.vectorFromArray(parts, new A.Utf8());
        return nullBitmap ? A.makeData({ ...vec.data[0]!, type: new A.Utf8(), nullBitmap, length } as never) : vec.data[0]!;
      }
      return A.makeData({ type: type as A.Int32, length, nullBitmap, data: (col as NumericColumn).data as Int32Array });
    }
  }
}

export function arrowSchema(header: Header): A.Schema {
  return new A.Schema(header.map((c) => new A.Field(c.name, arrowType(c.type), c.type.kind === 'Nullable')));
}

export function blockToRecordBatch(schema: A.Schema, block: Block, tz: string): A.RecordBatch {
  const children = block.header.map((c, k) => toArrowData(c.type, block.columns[k]!, tz));
  return new A.RecordBatch(schema, A.makeData({ type: new A.Struct(schema.fields), length: block.rows, children }));
}

/** Batches are collected and serialised at the end (apache-arrow's writer exposes no synchronous drain). */
class ArrowWriter implements OutputWriter {
  private readonly schema: A.Schema;
  private readonly batches: A.RecordBatch[] = [];

  constructor(
    header: Header,
    private readonly options: FormatOptions,
    private readonly sink: (chunk: Uint8Array) => void,
    private readonly stream: boolean,
  ) {
    this.schema = arrowSchema(header);
  }

  writePrefix(): void {}

  writeBlock(block: Block): void {
    if (block.rows) this.batches.push(blockToRecordBatch(this.schema, block, this.options.timezone));
  }

  writeSuffix(_stats: ResultStatistics): void {
    this.sink(A.tableToIPC(new A.Table(this.schema, this.batches), this.stream ? 'stream' : 'file'));
  }
}

/** Converts one Arrow column into a Hadron column of `type` (values through the builder). */
function fromArrow(type: DataType, vector: A.Vector): Column {
  const b = createBuilder(type, Math.max(16, vector.length));
  for (let i = 0; i < vector.length; i++) b.push(arrowValue(type, vector.get(i)));
  return b.build();
}

function arrowValue(t: DataType, v: unknown): Value {
  if (v === null || v === undefined) return t.kind === 'Nullable' ? null : arrowValue(t, defaultFor(t));
  switch (t.kind) {
    case 'Nullable':
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return arrowValue(t.inner, v);
    case 'String':
    case 'FixedString':
      return v instanceof Uint8Array ? v : String(v);
    case 'Bool':
      return Boolean(v);
    case 'Date':
    case 'Date32':
      return typeof v === 'number' && Math.abs(v) > 1e7 ? Math.floor(v / 86400000) : Number(v);
    case 'DateTime':
      return typeof v === 'bigint' ? Number(v) : Number(v);
    case 'DateTime64':
      return Number(v);
    case 'UUID':
      return v instanceof Uint8Array ? Array.from(v, (x) => x.toString(16).padStart(2, '0')).join('').replace(/^(.{8})(.{4})(.{4})(.{4})/, '$1-$2-$3-$4-') : String(v);
    case 'Decimal':
      return decimalValue(v);
    case 'Array':
      return Array.from(v as Iterable<unknown>, (x) => arrowValue(t.element, x));
    case 'Tuple': {
      const row = v as { toArray?: () => unknown[] } & Record<string, unknown>;
      const items = t.names ? t.names.map((n) => row[n]) : typeof row.toArray === 'function' ? row.toArray() : Object.values(row);
      return t.elements.map((e, i) => arrowValue(e, items[i]));
    }
    case 'Map': {
      const entries: [Value, Value][] = [];
      for (const [k, val] of v as Iterable<[unknown, unknown]>) entries.push([arrowValue(t.key, k), arrowValue(t.value, val)]);
      return entries;
    }
    default:
      return v as Value;
  }
}

function decimalValue(v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (v instanceof Uint32Array) {
    let x = 0n;
    for (let k = v.length - 1; k >= 0; k--) x = (x << 32n) | BigInt(v[k]!);
    return BigInt.asIntN(v.length * 32, x);
  }
  return BigInt(String(v));
}

function defaultFor(t: DataType): unknown {
  return t.kind === 'String' || t.kind === 'FixedString' ? '' : t.kind === 'Array' || t.kind === 'Map' ? [] : 0;
}

class ArrowReader implements InputReader {
  private readonly parts: Uint8Array[] = [];
  constructor(private readonly header: Header) {}
  push(chunk: Uint8Array): Block[] {
    this.parts.push(new Uint8Array(chunk));
    return [];
  }
  end(): Block[] {
    let reader: A.RecordBatchReader;
    try {
      reader = A.RecordBatchReader.from(Buffer.concat(this.parts));
    } catch (e) {
      throw new DbError('INCORRECT_DATA', `Error while reading Arrow data: ${(e as Error).message}`);
    }
    const out: Block[] = [];
    try {
      for (const batch of reader) {
        const columns = this.header.map((c) => {
          const v = batch.getChild(c.name);
          if (!v) throw new DbError('THERE_IS_NO_COLUMN', `Column '${c.name}' is not presented in input data`);
          return fromArrow(c.type, v);
        });
        out.push(new Block(this.header, columns, batch.numRows));
      }
    } catch (e) {
      if (e instanceof DbError) throw e;
      throw new DbError('INCORRECT_DATA', `Error while reading Arrow data: ${(e as Error).message}`);
    }
    return out;
  }
}

export const arrowOutputs: OutputFormat[] = [
  { name: 'Arrow', contentType: 'application/octet-stream', createWriter: (h, o, s) => new ArrowWriter(h, o, s, false) },
  { name: 'ArrowStream', contentType: 'application/octet-stream', createWriter: (h, o, s) => new ArrowWriter(h, o, s, true) },
];

export const arrowInputs: InputFormat[] = [
  { name: 'Arrow', createReader: (h) => new ArrowReader(h) },
  { name: 'ArrowStream', createReader: (h) => new ArrowReader(h) },
];
