import { Block, type Header } from '../core/block.js';
import {
  ArrayBuilder,
  BigNumBuilder,
  type ColumnBuilder,
  createBuilder,
  FixedBuilder,
  NothingBuilder,
  NullableBuilder,
  NumericBuilder,
  ObjectBuilder,
  StringBuilder,
  TupleBuilder,
} from '../columns/builder.js';

/**
 * Column builders for one block of parsed input, with rollback: an incremental parser that runs out of
 * bytes in the middle of a row truncates the builders back to the last whole row and waits for more input.
 */
export class BlockAccumulator {
  builders: ColumnBuilder[];
  rows = 0;

  constructor(
    readonly header: Header,
    private readonly capacity = 1024,
  ) {
    this.builders = header.map((c) => createBuilder(c.type, capacity));
  }

  /** Forgets everything after the first `rows` rows. */
  rollback(rows: number): void {
    for (const b of this.builders) truncateBuilder(b, rows);
    this.rows = rows;
  }

  /** The rows so far as a Block; starts a fresh set of builders. */
  take(): Block {
    const block = new Block(
      this.header,
      this.builders.map((b) => b.build()),
      this.rows,
    );
    this.builders = this.header.map((c) => createBuilder(c.type, this.capacity));
    this.rows = 0;
    return block;
  }
}

/** Truncates a builder to `rows` rows (rows already pushed beyond that are dropped). */
export function truncateBuilder(b: ColumnBuilder, rows: number): void {
  // Composite builders may hold children pushed for a row they have not closed yet: always recurse.
  if (b instanceof NumericBuilder) {
    if (b.length <= rows) return;
    // pushDefault relies on zeroed storage past `length`
    if (b.data instanceof BigInt64Array || b.data instanceof BigUint64Array) b.data.fill(0n, rows, b.length);
    else b.data.fill(0, rows, b.length);
    b.length = rows;
  } else if (b instanceof FixedBuilder) {
    if (b.length <= rows) return;
    b.data.fill(0, rows * b.width, b.length * b.width);
    b.length = rows;
  } else if (b instanceof StringBuilder || b instanceof NothingBuilder) {
    if (b.length > rows) b.length = rows;
  } else if (b instanceof NullableBuilder) {
    if (b.length > rows) b.length = rows;
    truncateBuilder(b.inner, rows);
  } else if (b instanceof ArrayBuilder) {
    const keep = b.length > rows ? b.offsets[rows]! : b.offsets[b.length]!;
    truncateBuilder(b.inner, keep);
    if (b.length > rows) b.length = rows;
  } else if (b instanceof TupleBuilder) {
    const keep = Math.min(rows, b.length);
    for (const e of b.elements) truncateBuilder(e, keep);
    b.length = keep;
  } else if (b instanceof BigNumBuilder || b instanceof ObjectBuilder) {
    if (b.data.length > rows) b.data.length = rows;
  } else {
    throw new Error(`cannot truncate builder ${String((b as object).constructor.name)}`);
  }
}

/**
 * Bytes that arrived but were not consumed yet (a partial row). `append` joins a new chunk to what is left.
 */
export class PendingBytes {
  buf: Uint8Array = new Uint8Array(0);
  start = 0;

  append(chunk: Uint8Array): void {
    const rest = this.buf.length - this.start;
    if (rest === 0) {
      this.buf = chunk;
      this.start = 0;
      return;
    }
    if (chunk.length === 0) return;
    const next = new Uint8Array(rest + chunk.length);
    next.set(this.buf.subarray(this.start));
    next.set(chunk, rest);
    this.buf = next;
    this.start = 0;
  }

  get available(): number {
    return this.buf.length - this.start;
  }
}
