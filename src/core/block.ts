import type { DataType } from '../types/data-type.js';
import type { Column } from '../columns/column.js';
import { columnByteSize, concatColumns, filterColumn, materialize, sliceColumn, takeColumn } from '../columns/ops.js';
import { columnValues, type Value } from '../columns/values.js';
import { createBuilder } from '../columns/builder.js';

export interface ColumnInfo {
  readonly name: string;
  readonly type: DataType;
}

/** Names and types of a Block's columns: what a query returns or a table holds. */
export type Header = readonly ColumnInfo[];

/**
 * A batch of rows as columns: the unit every operator, format and protocol exchanges.
 * Columns may be ConstColumn; call `materialized()` before handing a block to code that indexes raw arrays.
 */
export class Block {
  constructor(
    readonly header: Header,
    readonly columns: Column[],
    readonly rows: number,
  ) {}

  static empty(header: Header): Block {
    return new Block(header, header.map((c) => emptyColumn(c.type)), 0);
  }

  get byteSize(): number {
    let s = 0;
    for (const c of this.columns) s += columnByteSize(c);
    return s;
  }

  column(name: string): Column | undefined {
    const i = this.header.findIndex((c) => c.name === name);
    return i < 0 ? undefined : this.columns[i];
  }

  materialized(): Block {
    if (!this.columns.some((c) => c.kind === 'const')) return this;
    return new Block(this.header, this.columns.map(materialize), this.rows);
  }

  filter(mask: Uint8Array, count: number): Block {
    if (count === this.rows) return this;
    return new Block(
      this.header,
      this.columns.map((c) => filterColumn(c, mask, count)),
      count,
    );
  }

  take(idx: Uint32Array | Int32Array): Block {
    return new Block(
      this.header,
      this.columns.map((c) => takeColumn(c, idx)),
      idx.length,
    );
  }

  slice(start: number, end: number): Block {
    end = Math.min(end, this.rows);
    if (start === 0 && end === this.rows) return this;
    return new Block(
      this.header,
      this.columns.map((c) => sliceColumn(c, start, end)),
      Math.max(0, end - start),
    );
  }

  /** Rows as arrays of values: for tests and small metadata results only. */
  toRows(): Value[][] {
    const cols = this.columns.map((c, i) => columnValues(this.header[i]!.type, c));
    const out: Value[][] = [];
    for (let r = 0; r < this.rows; r++) out.push(cols.map((c) => c[r]!));
    return out;
  }
}

export function concatBlocks(header: Header, blocks: Block[]): Block {
  if (blocks.length === 1) return blocks[0]!;
  if (blocks.length === 0) return Block.empty(header);
  const rows = blocks.reduce((s, b) => s + b.rows, 0);
  return new Block(
    header,
    header.map((_, i) => concatColumns(blocks.map((b) => b.columns[i]!))),
    rows,
  );
}

function emptyColumn(type: DataType): Column {
  return createBuilder(type, 1).build();
}
