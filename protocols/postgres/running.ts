import { Block, type Header } from '../../src/core/block.js';
import { columnFromValues } from '../../src/columns/builder.js';
import type { Value } from '../../src/columns/values.js';
import { ResultShape } from './result-writer.js';

/** A statement being executed: its result shape (none for statements without rows) and its blocks. */
export interface Running {
  readonly shape?: ResultShape;
  /** An unbounded streaming query: each block's rows are flushed to the client as soon as they are encoded. */
  readonly streaming?: boolean;
  nextBlock(): Promise<Block | undefined>;
  tag(rows: number): string;
  close(): Promise<void>;
}

/** An empty query string (EmptyQueryResponse instead of CommandComplete). */
export const EMPTY: Running = { nextBlock: async () => undefined, tag: () => '', close: async () => {} };

/** A statement answered with a command tag only. */
export function noRows(tag: string): Running {
  return { nextBlock: async () => undefined, tag: () => tag, close: async () => {} };
}

/** A result computed by the protocol (SHOW, recognised catalog queries). */
export function staticRows(header: Header, rows: Value[][], formats: readonly number[], tz: string, tag: (rows: number) => string): Running {
  let sent = false;
  return {
    shape: new ResultShape(header, formats, tz),
    nextBlock: async () => {
      if (sent) return undefined;
      sent = true;
      return new Block(header, header.map((c, i) => columnFromValues(c.type, rows.map((r) => r[i] ?? null))), rows.length);
    },
    tag,
    close: async () => {},
  };
}
