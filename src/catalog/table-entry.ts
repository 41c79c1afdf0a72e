import type { DataType } from '../types/data-type.js';
import type { TableStorage } from '../storage/table-storage.js';

export type TableKind = 'stream' | 'table' | 'view' | 'materialized_view' | 'random_stream' | 'external_stream';

export interface ColumnMeta {
  readonly name: string;
  readonly type: DataType;
  readonly defaultKind?: 'DEFAULT' | 'MATERIALIZED' | 'ALIAS' | 'EPHEMERAL';
  /** SQL text of the default expression. */
  readonly defaultExpr?: string;
  readonly comment?: string;
  readonly codec?: string;
  /** Reserved Proton columns (`_tp_time`, `_tp_sn`) are hidden from `SELECT *`. */
  readonly hidden?: boolean;
}

/** Everything the catalog knows of a table, stream or view. Persisted as JSON (types as canonical names). */
export interface TableEntry {
  readonly database: string;
  readonly name: string;
  readonly uuid: string;
  readonly kind: TableKind;
  /** ClickHouse engine name shown in system.tables: Stream, MergeTree, ReplacingMergeTree, Memory, View, MaterializedView. */
  readonly engine: string;
  readonly engineArgs: readonly string[];
  readonly columns: readonly ColumnMeta[];
  readonly orderBy: readonly string[];
  readonly partitionBy?: string;
  readonly primaryKey: readonly string[];
  readonly ttl: readonly string[];
  readonly settings: Readonly<Record<string, string>>;
  readonly comment: string;
  /** For views and materialized views: the SELECT as SQL text. */
  readonly viewQuery?: string;
  /** For materialized views: the target table, if `INTO`/`TO` was given. */
  readonly target?: { readonly database: string; readonly name: string };
  /** The CREATE statement as SHOW CREATE prints it. */
  readonly createQuery: string;
  readonly metadataModificationTimeMs: number;
  /** Set for tables with data (not views). */
  storage?: TableStorage;
  /** Temporary tables live in a session, never on disk. */
  readonly temporary?: boolean;
}

export interface DatabaseEntry {
  readonly name: string;
  readonly engine: string;
  readonly uuid: string;
  readonly comment: string;
  readonly tables: Map<string, TableEntry>;
  /** system and information_schema are built in and read-only. */
  readonly builtin: boolean;
}
