import { deserialize } from 'node:v8';
import {
  ArrayColumn,
  BigNumColumn,
  type Column,
  FixedColumn,
  NothingColumn,
  NullableColumn,
  NumericColumn,
  type NumericArray,
  ObjectColumn,
  StringColumn,
  TupleColumn,
} from '../../columns/column.js';
import { DbError } from '../../errors/index.js';
import { align, ARRAY_KINDS, ColumnTag } from './column-codec-format.js';

/**
 * Decodes the column encoding with a bounds check on every read: a truncated or corrupted buffer raises
 * CORRUPTED_DATA naming the field, never a RangeError or a column that lies about its length. Numeric data is
 * viewed in place when aligned (the result then shares memory with the input, which must not be reused).
 */

const MAX_DEPTH = 32;

function corrupt(what: string, pos: number): DbError {
  return new DbError('CORRUPTED_DATA', `Corrupted column data: ${what} at byte ${pos}`);
}

class ColumnReader {
  private readonly view: DataView;
  /** Padding is relative to where the encoding starts. */
  private readonly base: number;
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    if (end > buf.length || start > end || start < 0) throw corrupt('range outside the buffer', start);
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
    this.base = start;
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) throw corrupt(`${what} runs past the end (${n} bytes needed, ${this.end - this.pos} left)`, this.pos);
  }
  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }
  u32(what: string): number {
    this.need(4, what);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  pad(to: number): void {
    this.pos = Math.min(this.base + align(this.pos - this.base, to), this.end + 1);
  }
  /** A view (or an aligned copy) of `n` elements of `ctor` at the current position. */
  typed<A extends NumericArray>(ctor: { new (b: ArrayBufferLike, o: number, n: number): A; new (n: number): A; BYTES_PER_ELEMENT: number }, n: number, what: string): A {
    const bytes = n * ctor.BYTES_PER_ELEMENT;
    this.need(bytes, what);
    const abs = this.buf.byteOffset + this.pos;
    let out: A;
    if (abs % ctor.BYTES_PER_ELEMENT === 0) {
      out = new ctor(this.buf.buffer, abs, n);
    } else {
      out = new ctor(n);
      new Uint8Array(out.buffer).set(this.buf.subarray(this.pos, this.pos + bytes));
    }
    this.pos += bytes;
    return out;
  }
  bytes(n: number, what: string): Uint8Array {
    this.need(n, what);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }

  offsets(n: number, limit: number | undefined, what: string): Uint32Array {
    const o = this.typed(Uint32Array, n + 1, what);
    if (o[0] !== 0) throw corrupt(`${what} do not start at 0`, this.pos);
    let prev = 0;
    for (let i = 1; i <= n; i++) {
      const v = o[i]!;
      if (v < prev) throw corrupt(`${what} decrease at row ${i - 1}`, this.pos);
      prev = v;
    }
    if (limit !== undefined && prev !== limit) throw corrupt(`${what} end at ${prev}, expected ${limit}`, this.pos);
    return o;
  }

  column(depth: number): Column {
    if (depth > MAX_DEPTH) throw corrupt('nesting too deep', this.pos);
    const tag = this.u8('column tag');
    switch (tag) {
      case ColumnTag.Numeric: {
        const kind = this.u8('numeric kind');
        const ctor = ARRAY_KINDS[kind];
        if (!ctor) throw corrupt(`unknown numeric kind ${kind}`, this.pos - 1);
        const n = this.u32('numeric length');
        this.pad(8);
        return new NumericColumn(this.typed(ctor as unknown as Float64ArrayConstructor, n, 'numeric data'));
      }
      case ColumnTag.BigNum: {
        const signed = this.u8('bignum sign') === 1;
        const n = this.u32('bignum length');
        this.pad(8);
        this.need(n * 32, 'bignum data');
        const out: bigint[] = new Array(n);
        for (let i = 0; i < n; i++) {
          const p = this.pos + i * 32;
          let x = 0n;
          for (let k = 3; k >= 0; k--) x = (x << 64n) | this.view.getBigUint64(p + k * 8, true);
          out[i] = signed ? BigInt.asIntN(256, x) : x;
        }
        this.pos += n * 32;
        return new BigNumColumn(out);
      }
      case ColumnTag.String: {
        const n = this.u32('string length');
        const chars = this.u32('string byte count');
        const width = this.u8('string length width');
        if (width !== 1 && width !== 2 && width !== 4) throw corrupt(`string length width ${width}`, this.pos - 1);
        this.pad(width);
        const lengths: ArrayLike<number> =
          width === 1 ? this.bytes(n, 'string lengths') : width === 2 ? this.typed(Uint16Array, n, 'string lengths') : this.typed(Uint32Array, n, 'string lengths');
        const offsets = new Uint32Array(n + 1);
        let at = 0;
        for (let i = 0; i < n; i++) {
          at += lengths[i]!;
          offsets[i + 1] = at;
        }
        if (at !== chars) throw corrupt(`string lengths add up to ${at}, expected ${chars}`, this.pos);
        return new StringColumn(this.bytes(chars, 'string bytes'), offsets);
      }
      case ColumnTag.Fixed: {
        const width = this.u32('fixed width');
        const n = this.u32('fixed length');
        return new FixedColumn(this.bytes(n * width, 'fixed data'), width);
      }
      case ColumnTag.Nullable: {
        const n = this.u32('nullable length');
        const nulls = this.bytes(n, 'null map');
        const inner = this.column(depth + 1);
        if (inner.length !== n) throw corrupt(`nullable inner has ${inner.length} rows, expected ${n}`, this.pos);
        return new NullableColumn(nulls, inner);
      }
      case ColumnTag.Array: {
        const n = this.u32('array length');
        this.pad(4);
        const offsets = this.offsets(n, undefined, 'array offsets');
        const inner = this.column(depth + 1);
        if (inner.length !== offsets[n]) throw corrupt(`array inner has ${inner.length} rows, offsets end at ${offsets[n]}`, this.pos);
        return new ArrayColumn(offsets, inner);
      }
      case ColumnTag.Tuple: {
        const rows = this.u32('tuple rows');
        const count = this.u32('tuple element count');
        if (count > 65536) throw corrupt(`tuple of ${count} elements`, this.pos);
        const cols: Column[] = [];
        for (let k = 0; k < count; k++) {
          const c = this.column(depth + 1);
          if (c.length !== rows) throw corrupt(`tuple element ${k} has ${c.length} rows, expected ${rows}`, this.pos);
          cols.push(c);
        }
        return new TupleColumn(cols, rows);
      }
      case ColumnTag.Object: {
        const n = this.u32('object length');
        const len = this.u32('object byte length');
        const b = this.bytes(len, 'object data');
        let data: unknown;
        try {
          data = deserialize(b);
        } catch (e) {
          throw corrupt(`object data does not deserialize (${(e as Error).message})`, this.pos);
        }
        if (!Array.isArray(data) || data.length !== n) throw corrupt(`object data is not an array of ${n} values`, this.pos);
        return new ObjectColumn(data as unknown[]);
      }
      case ColumnTag.Nothing:
        return new NothingColumn(this.u32('nothing rows'));
      default:
        throw corrupt(`unknown column tag ${tag}`, this.pos - 1);
    }
  }
}

export interface DecodedColumns {
  readonly rows: number;
  readonly columns: Column[];
}

/** Decodes a block encoding from buf[start, end). Every column must have exactly `rows` rows. */
export function decodeColumns(buf: Uint8Array, start = 0, end = buf.length): DecodedColumns {
  const r = new ColumnReader(buf, start, end);
  const rows = r.u32('block rows');
  const count = r.u32('block column count');
  if (count > 65536) throw corrupt(`block of ${count} columns`, start + 4);
  const columns: Column[] = [];
  for (let k = 0; k < count; k++) {
    const c = r.column(0);
    if (c.length !== rows) throw corrupt(`column ${k} has ${c.length} rows, expected ${rows}`, r.pos);
    columns.push(c);
  }
  if (r.pos !== end) throw corrupt(`${end - r.pos} trailing bytes after the block`, r.pos);
  return { rows, columns };
}

/** Decodes one column encoding occupying buf[start, end) exactly. */
export function decodeColumn(buf: Uint8Array, start = 0, end = buf.length): Column {
  const r = new ColumnReader(buf, start, end);
  const c = r.column(0);
  if (r.pos !== end) throw corrupt(`${end - r.pos} trailing bytes after the column`, r.pos);
  return c;
}
