import type { Block, Header } from '../core/block.js';
import { DbError } from '../errors/index.js';
import type { ErrorName } from '../errors/error-codes.js';
import { NeedMoreData } from '../types/serializations/buffer.js';
import type { InputReader } from './format.js';
import { BlockAccumulator, PendingBytes } from './block-accumulator.js';

/**
 * Drives a row-oriented input format over bytes that arrive in chunks. Subclasses parse one row at a time
 * from `buf[pos..end)` into `this.acc`; when the bytes end inside a row they throw NeedMoreData (only when
 * `final` is false), the partial row is rolled back, and parsing resumes from the row's start when more bytes
 * arrive. A row that needs many chunks is retried only when the buffered bytes have doubled.
 */
export abstract class RowInputReader implements InputReader {
  protected readonly pending = new PendingBytes();
  protected acc: BlockAccumulator;
  /** Rows parsed so far (for `at row N` in errors). */
  protected rowNumber = 0;
  private headerDone = false;
  private retryAt = 0;

  constructor(
    header: Header,
    protected readonly blockRows: number,
  ) {
    this.acc = new BlockAccumulator(header, Math.min(Math.max(16, blockRows), 1024));
  }

  /** Parses a format prefix (names / types lines); returns the position after it. */
  protected readHeader(_buf: Uint8Array, pos: number, _end: number, _final: boolean): number {
    return pos;
  }

  /**
   * Parses at most one row; returns the new position. Increments `acc.rows` when it completed a row (it may
   * also just skip whitespace or delimiters and return a larger position without one).
   */
  protected abstract readRow(buf: Uint8Array, pos: number, end: number, final: boolean): number;

  push(chunk: Uint8Array): Block[] {
    this.pending.append(chunk);
    if (this.pending.available < this.retryAt || this.pending.available === 0) return [];
    return this.drain(false);
  }

  end(): Block[] {
    const out = this.drain(true);
    if (this.acc.rows > 0) out.push(this.acc.take());
    return out;
  }

  private drain(final: boolean): Block[] {
    const out: Block[] = [];
    const buf = this.pending.buf;
    const end = buf.length;
    let pos = this.pending.start;
    let rowStart = pos;
    try {
      if (!this.headerDone) {
        pos = this.readHeader(buf, pos, end, final);
        this.headerDone = true;
        rowStart = pos;
      }
      while (pos < end) {
        rowStart = pos;
        const before = this.acc.rows;
        pos = this.readRow(buf, pos, end, final);
        if (this.acc.rows > before) {
          this.rowNumber++;
          if (this.acc.rows >= this.blockRows) out.push(this.acc.take());
        } else if (pos === rowStart) break;
      }
      this.retryAt = 0;
    } catch (e) {
      if (!(e instanceof NeedMoreData) || final) throw this.withRow(e);
      this.acc.rollback(this.acc.rows);
      pos = rowStart;
      const have = end - rowStart;
      this.retryAt = Math.max(e.needed - rowStart, have >= 1 << 16 ? have * 2 : 0);
    }
    this.pending.start = pos;
    return out;
  }

  /** Adds `(at row N)` to parse errors, as ClickHouse does. */
  private withRow(e: unknown): unknown {
    if (!(e instanceof DbError) || / \(at row \d+\)/.test(e.message)) return e;
    return new DbError(e.errorName as ErrorName, `${e.message}: (at row ${this.rowNumber + 1})`);
  }
}
