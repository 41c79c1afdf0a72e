import type { Block, Header } from '../../src/core/block.js';
import type { Column } from '../../src/columns/column.js';
import { readValue } from '../../src/columns/values.js';
import type { DataType } from '../../src/types/data-type.js';
import { pgTypeOf, unwrap } from '../../src/catalog/system/pg-types.js';
import { backend, type FieldDescription } from './messages.js';
import { binaryEncoder, pgFloat, textEncoder, type ValueEncoder } from './pg-values.js';

/** One encoded cell: ASCII text, bytes, or NULL. */
type Cell = string | Uint8Array | null;
type CellReader = (row: number) => Cell;

const TEXT_INTEGERS = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64']);

/** How one result's columns go over the wire: RowDescription fields and a value encoder per column. */
export class ResultShape {
  readonly fields: FieldDescription[];
  private readonly encoders: ValueEncoder[];

  constructor(
    readonly header: Header,
    formats: readonly number[],
    timezone: string,
  ) {
    this.fields = header.map((c, i) => {
      const pg = pgTypeOf(c.type);
      const format = formats.length === 0 ? 0 : formats.length === 1 ? formats[0]! : (formats[i] ?? 0);
      return { name: c.name, typeOid: pg.oid, typeSize: pg.size, typeModifier: typmodOf(c.type), format };
    });
    this.encoders = header.map((c, i) => (this.fields[i]!.format === 1 ? binaryEncoder(c.type, timezone) : textEncoder(c.type, timezone)));
  }

  rowDescription(): Buffer {
    return backend.rowDescription(this.fields);
  }

  /** A reader of column `i`'s cells: direct paths for plain numbers and strings, the value encoder otherwise. */
  private reader(i: number, col: Column): CellReader {
    const type: DataType = this.header[i]!.type;
    const binary = this.fields[i]!.format === 1;
    if (col.kind === 'nullable') {
      const inner = this.readerFor(i, unwrap(type), col.inner, binary);
      const nulls = col.nulls;
      return (r) => (nulls[r] ? null : inner(r));
    }
    return this.readerFor(i, type, col, binary);
  }

  private readerFor(i: number, type: DataType, col: Column, binary: boolean): CellReader {
    const b = unwrap(type);
    if (col.kind === 'string' && b.kind === 'String') return (r) => col.bytesAt(r);
    if (!binary && col.kind === 'numeric') {
      const data = col.data;
      if (TEXT_INTEGERS.has(b.kind)) return (r) => String(data[r]);
      if (b.kind === 'Float64') return (r) => pgFloat(data[r] as number, false);
      if (b.kind === 'Float32') return (r) => pgFloat(data[r] as number, true);
    }
    const enc = this.encoders[i]!;
    const full = this.header[i]!.type;
    return (r) => enc(readValue(full, col, r));
  }

  /** The DataRow messages for rows [from, to) of a block, written into one buffer. */
  dataRows(block: Block, from: number, to: number): Buffer {
    const b = block.materialized();
    const readers = b.columns.map((c, i) => this.reader(i, c));
    const n = readers.length;
    const cells: Cell[] = new Array<Cell>(n);
    let out = Buffer.allocUnsafe(Math.max(1024, (to - from) * (7 + n * 12)));
    let p = 0;
    for (let r = from; r < to; r++) {
      let len = 6;
      for (let c = 0; c < n; c++) {
        const v = readers[c]!(r);
        cells[c] = v;
        len += 4 + (v === null ? 0 : v.length);
      }
      if (p + len + 1 > out.length) {
        const grown = Buffer.allocUnsafe(Math.max(out.length * 2, p + len + 1));
        out.copy(grown, 0, 0, p);
        out = grown;
      }
      out[p] = 68; // 'D'
      out.writeInt32BE(len, p + 1);
      out.writeInt16BE(n, p + 5);
      p += 7;
      for (let c = 0; c < n; c++) {
        const v = cells[c]!;
        if (v === null) {
          out.writeInt32BE(-1, p);
          p += 4;
        } else if (typeof v === 'string') {
          out.writeInt32BE(v.length, p);
          out.write(v, p + 4, 'latin1');
          p += 4 + v.length;
        } else {
          out.writeInt32BE(v.length, p);
          out.set(v, p + 4);
          p += 4 + v.length;
        }
      }
    }
    return out.subarray(0, p);
  }
}

function typmodOf(type: Header[number]['type']): number {
  let t = type;
  while (t.kind === 'Nullable' || t.kind === 'LowCardinality') t = t.inner;
  if (t.kind === 'Decimal') return ((t.precision << 16) | t.scale) + 4;
  return -1;
}
