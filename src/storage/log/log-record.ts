import type { Block } from '../../core/block.js';

/** One write-ahead-log record as readers see it: a Block and the sequence numbers of its rows. */
export interface LogRecord {
  /** Sequence number of the block's first row; row i has firstSn + i. */
  readonly firstSn: number;
  readonly lastSn: number;
  readonly block: Block;
  readonly schemaVersion: number;
  readonly appendTimeMs: number;
  /** Min/max of the event-time column over the whole record (NaN when absent). */
  readonly minTime: number;
  readonly maxTime: number;
}

export type Durability = 'fsync' | 'none';

export interface WalOptions {
  readonly dir: string;
  /** The header of records written with a schema version (columns are stored without names or types). */
  readonly headerOf: (schemaVersion: number) => import('../../core/block.js').Header;
  /** Schema version stamped on new records. */
  readonly schemaVersion?: number;
  /** Event-time column whose min/max go into record headers (default `_tp_time` when present). */
  readonly timeColumn?: string;
  /** `fsync` (default): an append resolves after fdatasync; `none`: after the write reaches the OS. */
  readonly durability?: Durability;
  /** Roll to a new segment past this size (default 64 MiB). */
  readonly segmentBytes?: number;
  /** Sparse index granularity (default 64 KiB). */
  readonly indexIntervalBytes?: number;
  /** Recently appended records kept decoded in memory for the committer and tailing readers (default 128 MiB). */
  readonly cacheBytes?: number;
  /** The first sequence number to assign when the log is empty (from the committed checkpoint). */
  readonly startSn?: number;
  /** Delete committed segments older than this (Proton's logstore_retention_ms); negative = keep. */
  readonly retentionMs?: number;
  /** Delete the oldest committed segments while the log is larger (logstore_retention_bytes); negative = keep. */
  readonly retentionBytes?: number;
  readonly logger?: WalLogger;
}

export interface WalLogger {
  warn(msg: string): void;
}

export interface AppendResult {
  readonly firstSn: number;
  readonly lastSn: number;
}
