import type { Block } from '../../src/core/block.js';
import type { Column } from '../../src/columns/column.js';
import type { DataType } from '../../src/types/data-type.js';
import { formatValueText } from '../../src/types/text-conversion.js';
import { valueType } from './column-types.js';
import type { PacketWriter } from './packet-codec.js';

/**
 * Rows of a Block as MySQL text rows (every value a length-encoded string, NULL = 0xFB) and binary rows
 * (COM_STMT_EXECUTE results: 0x00, NULL bitmap, values in their column type's binary form).
 */

type ValueWriter = (w: PacketWriter, row: number) => void;

interface ColumnAccess {
  /** Non-null for Nullable columns: 1 = NULL. */
  readonly nulls: Uint8Array | undefined;
  readonly inner: Column;
  readonly type: DataType;
  /** True when every value is NULL (type Nothing). */
  readonly allNull: boolean;
}

function access(type: DataType, col: Column): ColumnAccess {
  const vt = valueType(type);
  if (col.kind === 'nullable') return { nulls: col.nulls, inner: col.inner, type: vt, allNull: vt.kind === 'Nothing' };
  return { nulls: undefined, inner: col, type: vt, allNull: vt.kind === 'Nothing' || col.kind === 'nothing' };
}

function textWriter(a: ColumnAccess, tz: string): ValueWriter {
  const { inner, type } = a;
  if (inner.kind === 'string') {
    return (w, r) => {
      const s = inner.offsets[r]!;
      const e = inner.offsets[r + 1]!;
      w.lenencBytes(inner.chars.subarray(s, e));
    };
  }
  if (inner.kind === 'numeric') {
    const data = inner.data;
    switch (type.kind) {
      case 'Int8': case 'Int16': case 'Int32': case 'UInt8': case 'UInt16': case 'UInt32': case 'Int64': case 'UInt64': case 'Interval':
        return (w, r) => w.lenencString(String(data[r]!));
      case 'Bool':
        return (w, r) => w.lenencString(data[r] ? '1' : '0');
      default:
        break;
    }
  }
  return (w, r) => w.lenencString(formatValueText(type, inner, r, tz));
}

/** Writes rows [0, block.rows) as text-row packets. */
export function writeTextRows(w: PacketWriter, block: Block, tz: string): void {
  const b = block.materialized();
  const cols = b.header.map((c, i) => access(c.type, b.columns[i]!));
  const writers = cols.map((a) => textWriter(a, tz));
  const n = cols.length;
  for (let r = 0; r < b.rows; r++) {
    w.begin();
    for (let c = 0; c < n; c++) {
      const a = cols[c]!;
      if (a.allNull || (a.nulls && a.nulls[r])) w.nullValue();
      else writers[c]!(w, r);
    }
    w.end();
  }
}

/** `YYYY-MM-DD[ hh:mm:ss[.ffffff]]` → the binary DATE / DATETIME form (length byte + fields). */
function writeBinaryDateTime(w: PacketWriter, text: string): void {
  const m = /^(-?\d{1,4})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?)?/.exec(text);
  if (!m) {
    w.u8(0);
    return;
  }
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (m[4] === undefined) {
    w.u8(4).u16(y).u8(mo).u8(d);
    return;
  }
  const h = Number(m[4]);
  const mi = Number(m[5]);
  const s = Number(m[6]);
  const micros = m[7] ? Number(m[7].padEnd(6, '0').slice(0, 6)) : 0;
  if (micros) w.u8(11).u16(y).u8(mo).u8(d).u8(h).u8(mi).u8(s).u32(micros);
  else w.u8(7).u16(y).u8(mo).u8(d).u8(h).u8(mi).u8(s);
}

function binaryWriter(a: ColumnAccess, tz: string): ValueWriter {
  const { inner, type } = a;
  if (inner.kind === 'numeric') {
    const data = inner.data;
    switch (type.kind) {
      case 'Int8': case 'UInt8':
        return (w, r) => w.u8(Number(data[r]!) & 0xff);
      case 'Bool':
        return (w, r) => w.u8(data[r] ? 1 : 0);
      case 'Int16': case 'UInt16':
        return (w, r) => w.u16(Number(data[r]!) & 0xffff);
      case 'Int32':
        return (w, r) => w.i32(Number(data[r]!));
      case 'UInt32':
        return (w, r) => w.u32(Number(data[r]!));
      case 'Int64': case 'Interval':
        return (w, r) => w.i64(BigInt(data[r]!));
      case 'UInt64':
        return (w, r) => w.u64(BigInt(data[r]!));
      case 'Float32':
        return (w, r) => w.f32(Number(data[r]!));
      case 'Float64':
        return (w, r) => w.f64(Number(data[r]!));
      default:
        break;
    }
  }
  switch (type.kind) {
    case 'Date': case 'Date32': case 'DateTime': case 'DateTime64':
      return (w, r) => writeBinaryDateTime(w, formatValueText(type, inner, r, tz));
    default:
      break;
  }
  return textWriter(a, tz);
}

/** Writes rows as binary-row packets (the prepared-statement result encoding). */
export function writeBinaryRows(w: PacketWriter, block: Block, tz: string): void {
  const b = block.materialized();
  const cols = b.header.map((c, i) => access(c.type, b.columns[i]!));
  const writers = cols.map((a) => binaryWriter(a, tz));
  const n = cols.length;
  const bitmapLen = (n + 7 + 2) >> 3;
  const bitmap = new Uint8Array(bitmapLen);
  for (let r = 0; r < b.rows; r++) {
    bitmap.fill(0);
    for (let c = 0; c < n; c++) {
      const a = cols[c]!;
      if (a.allNull || (a.nulls && a.nulls[r])) bitmap[(c + 2) >> 3]! |= 1 << ((c + 2) & 7);
    }
    w.begin().u8(0).bytes(bitmap);
    for (let c = 0; c < n; c++) {
      const bit = (c + 2) & 7;
      if (bitmap[(c + 2) >> 3]! & (1 << bit)) continue;
      writers[c]!(w, r);
    }
    w.end();
  }
}
