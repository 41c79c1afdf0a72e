import type { Block, Header } from '../core/block.js';

/**
 * What the engine needs from a table's storage. Streams and MergeTree tables are a write-ahead log in front
 * of immutable columnar parts; Memory tables keep blocks in memory.
 */

/** A pruning hint: only rows with min <= column <= max can match (values in the column's storage unit). */
export interface RangeHint {
  readonly column: string;
  readonly min?: number;
  readonly max?: number;
}

export interface ReadOptions {
  /** Columns to read, by name, in this order. */
  readonly columns: readonly string[];
  /** Ranges that let storage skip partitions and granules; rows outside may still be returned (the filter runs after). */
  readonly ranges?: readonly RangeHint[];
  /** ReplacingMergeTree `FINAL`: merge on read, one row per sorting key. */
  readonly final?: boolean;
  readonly signal?: AbortSignal;
  /** Rows per block to aim for. */
  readonly blockRows?: number;
}

export interface InsertResult {
  /** Sequence numbers assigned to the rows: [firstSn, lastSn]. */
  readonly firstSn: bigint;
  readonly lastSn: bigint;
  readonly rows: number;
}

export interface StorageStats {
  readonly rows: number;
  readonly bytes: number;
  readonly parts: number;
  /** Rows still only in the log, not yet committed to parts. */
  readonly logRows: number;
}

export interface PartInfo {
  readonly name: string;
  readonly partition: string;
  readonly rows: number;
  readonly bytesOnDisk: number;
  readonly minSn: bigint;
  readonly maxSn: bigint;
  readonly level: number;
  readonly modificationTimeMs: number;
  readonly active: boolean;
}

/** Where an unbounded read starts. `time` is a value of the stream's time column, in its storage unit (ticks for DateTime64). */
export type TailStart = { kind: 'latest' } | { kind: 'earliest' } | { kind: 'time'; value: number } | { kind: 'sn'; sn: number };

/** How far an unbounded read has got: every row up to sequence number `sn` has been returned. */
export interface TailPosition {
  readonly sn: number;
  readonly history: boolean;
  readonly appendTimeMs?: number;
}

export interface TailOptions {
  readonly columns: readonly string[];
  readonly start: TailStart;
  /** Pruning hints for the history part. */
  readonly ranges?: readonly RangeHint[];
  readonly signal: AbortSignal;
  /** Called before each block is returned, with the position that block brings the read to. */
  readonly onPosition?: (pos: TailPosition) => void;
}

export interface TableStorage {
  /** Every physical column the storage holds, in table order. */
  readonly header: Header;
  /** Appends rows; resolves once they are durable per the table's durability setting. */
  insert(block: Block): Promise<InsertResult>;
  /** A bounded read of everything acknowledged so far: parts plus the log tail, no duplicates, no gaps. */
  read(options: ReadOptions): AsyncIterable<Block>;
  /** An unbounded read (streams): history from `start`, then every row appended later, until the signal aborts. */
  tail?(options: TailOptions): AsyncIterable<Block>;
  truncate(): Promise<void>;
  /** Stops background work and deletes the data. */
  drop(): Promise<void>;
  /** Stops background work, flushing what must be flushed; the data stays. */
  close(): Promise<void>;
  /** Merges parts (all of a partition's with `final`), applying ReplacingMergeTree dedup and TTL. */
  optimize(final: boolean): Promise<void>;
  /** Deletes rows matching a predicate (ALTER … DELETE). `predicate` returns a mask of rows to delete. */
  deleteWhere(predicate: (block: Block) => Uint8Array): Promise<number>;
  /** Column changes: the engine gives the new header and how to compute values for added/modified columns. */
  alterColumns(newHeader: Header, convert: (block: Block) => Block): Promise<void>;
  stats(): StorageStats;
  parts(): PartInfo[];
}
