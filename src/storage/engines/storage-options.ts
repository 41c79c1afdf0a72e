import type { Block, Header } from '../../core/block.js';
import type { Durability, WalLogger } from '../log/log-record.js';
import type { PartCodec } from '../parts/part-compression.js';
import type { PartitionFn } from '../parts/partitioning.js';
import type { KeyCompaction } from '../parts/key-compaction.js';

/**
 * TTL: the engine compiles the table's TTL expression into `expired`, which marks (1) the rows past their TTL.
 * It receives a block with `columns` (in that order; default: every column). Applied during merges and
 * every `intervalMs` to each part: a part whose rows all expired is dropped, a partly expired one rewritten.
 */
export interface TtlSpec {
  readonly columns?: readonly string[];
  readonly expired: (block: Block) => Uint8Array;
  readonly intervalMs?: number;
}

export interface StreamStorageOptions {
  /** The stream's own directory (log/, parts/, checkpoint.json, schema.json live inside). */
  readonly dir: string;
  readonly header: Header;
  /** ORDER BY as physical column names (default: the time column when present, else insertion order). */
  readonly sortKey?: readonly string[];
  /** Event-time column for log record min/max and the minmax index (default `_tp_time`). */
  readonly timeColumn?: string;
  /** PARTITION BY (default: one partition, `all`). */
  readonly partitionOf?: PartitionFn;
  /** ReplacingMergeTree: merges and FINAL keep one row per sorting key. */
  readonly replacing?: { readonly versionColumn?: string };
  /** Key-value streams (versioned_kv, changelog_kv): parts keep one state per key when the sort key is the key. */
  readonly keyed?: KeyCompaction;
  readonly ttl?: TtlSpec;
  /** `fsync` (default): insert resolves after the log record is fdatasynced. */
  readonly durability?: Durability;
  readonly commit?: {
    /** Commit the log tail to parts at least this often (default 1000 ms). */
    readonly intervalMs?: number;
    /** ... or as soon as this many rows wait (default 100_000). */
    readonly rows?: number;
    /** Rows per committed part batch (default 1_048_576). */
    readonly maxBatchRows?: number;
    /** Disable the background committer (tests; close() and mutations still commit). */
    readonly enabled?: boolean;
  };
  readonly merge?: {
    readonly enabled?: boolean;
    /** How often to look for merges (default 1000 ms). */
    readonly intervalMs?: number;
    /** A merge takes between minParts and maxParts adjacent parts (defaults 4 and 10). */
    readonly minParts?: number;
    readonly maxParts?: number;
    /** Background merges produce parts up to this many rows (default 4M; merges run in memory); OPTIMIZE FINAL has no limit. */
    readonly maxRows?: number;
  };
  readonly log?: {
    readonly segmentBytes?: number;
    readonly retentionMs?: number;
    readonly retentionBytes?: number;
    readonly cacheBytes?: number;
  };
  readonly parts?: {
    readonly granuleRows?: number;
    readonly blockRows?: number;
    readonly codec?: PartCodec;
  };
  readonly logger?: WalLogger;
}
