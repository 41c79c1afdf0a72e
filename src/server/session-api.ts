import type { Block, Header } from '../core/block.js';

/**
 * The Session API: the one door every protocol goes through. A protocol authenticates, opens a Session,
 * hands it SQL text (plus parameters, settings, a query id, an AbortSignal and, for INSERT, a source of data)
 * and gets back a QueryResult whose blocks it encodes. Protocols never look into SQL semantics.
 */

export type ProtocolInterface = 'http' | 'tcp' | 'postgres' | 'mysql' | 'rest';

export interface ClientInfo {
  readonly interface: ProtocolInterface;
  readonly address?: string;
  readonly clientName?: string;
  readonly httpUserAgent?: string;
}

/** Data for an INSERT: bytes in a named format (HTTP bodies) or ready Blocks (native protocol). */
export type InsertInput =
  | { readonly kind: 'bytes'; readonly chunks: AsyncIterable<Uint8Array> }
  | { readonly kind: 'blocks'; readonly blocks: AsyncIterable<Block> };

export interface InsertTarget {
  /** The columns the data must carry, in order. */
  readonly header: Header;
  /** The format named by the INSERT (`FORMAT X` or `VALUES` → 'Values'), if any. */
  readonly format?: string;
  /** The statement carries its data inline (`VALUES (1)`, `FORMAT CSV 1,2`): nothing more is expected. */
  readonly hasInlineData: boolean;
}

/** A table the client sends along with the query (native protocol Data packets, HTTP multipart). */
export interface ExternalTable {
  readonly name: string;
  readonly header: Header;
  readonly blocks: readonly Block[];
}

export interface QueryRequest {
  readonly sql: string;
  readonly queryId?: string;
  /** Values of `{name:Type}` parameters, as text. */
  readonly params?: ReadonlyMap<string, string>;
  /** Settings for this query only (HTTP parameters, native Query packet settings). */
  readonly settings?: ReadonlyMap<string, string>;
  readonly signal?: AbortSignal;
  /**
   * Called for an INSERT once the target is known and the inline data (after VALUES / FORMAT X in the SQL)
   * has been consumed, so the protocol can tell the client the header (native) and return the rest of the
   * data. Absent: only the inline data is inserted.
   */
  readonly input?: (target: InsertTarget) => InsertInput | Promise<InsertInput>;
  /**
   * Ignore data written inline after `INSERT … VALUES` / `FORMAT X`: old native clients (before revision
   * 54415) send it in the query text but also parse it themselves and send it as blocks.
   */
  readonly ignoreInlineData?: boolean;
  /** Tables visible to this query only, by name (before temporary and catalog tables). */
  readonly externalTables?: readonly ExternalTable[];
  /** The format when the query has no FORMAT clause (HTTP `default_format`): only reported back. */
  readonly defaultFormat?: string;
  /** HTTP GET and `readonly` users: only reading statements are allowed. */
  readonly readonlyRequest?: boolean;
}

/** Counters a protocol reads to send progress (native Progress packets, HTTP progress headers, summary). */
export interface QueryProgress {
  readRows: number;
  readBytes: number;
  totalRowsToRead: number;
  writtenRows: number;
  writtenBytes: number;
  resultRows: number;
  resultBytes: number;
  /** Streaming: events dropped because their window had already been emitted (late beyond the watermark). */
  lateEvents: number;
  /** Streaming: sources that have finished reading history (a global aggregation emits at once then). */
  backfillsDone?: number;
  readonly startNs: bigint;
}

export interface QueryResult {
  readonly queryId: string;
  /** Result columns; empty for statements that return no rows. */
  readonly header: Header;
  /** False for DDL, SET, INSERT and other statements that answer with nothing. */
  readonly hasResultSet: boolean;
  /** The query's own `FORMAT X`, which wins over the protocol's default. */
  readonly format?: string;
  /** True for unbounded streaming queries: blocks keep coming until the signal aborts. */
  readonly isStreaming: boolean;
  /** Result blocks, produced lazily: consuming drives execution. Errors are thrown from the iterator as DbError. */
  readonly blocks: AsyncIterable<Block>;
  /** `WITH TOTALS` result, available once `blocks` is exhausted. */
  totals(): Block | undefined;
  /** `extremes = 1` min/max rows, available once `blocks` is exhausted. */
  extremes(): { min: Block; max: Block } | undefined;
  /** Rows before LIMIT, for JSON's rows_before_limit_at_least. */
  rowsBeforeLimit(): number | undefined;
  readonly progress: QueryProgress;
  /** Session state changes the protocol may report (HTTP X-ClickHouse-Timezone after SET session_timezone…). */
  readonly timezone: string;
}

export interface Session {
  readonly id: string;
  readonly user: string;
  currentDatabase(): string;
  /** Session-level settings as text. */
  settings(): ReadonlyMap<string, string>;
  execute(request: QueryRequest): Promise<QueryResult>;
  close(): void;
}

export interface Credentials {
  readonly user: string;
  readonly password: string;
  /**
   * SHA-256 of the password, when a protocol's challenge–response proved the client knows it and the
   * plaintext never crossed the wire (MySQL caching_sha2_password); checked instead of `password`.
   */
  readonly passwordSha256?: Uint8Array;
}

export interface SessionFactory {
  /** Checks credentials (DbError AUTHENTICATION_FAILED, code 516, on failure) and opens a session. */
  openSession(credentials: Credentials, client: ClientInfo, options?: { database?: string; sessionId?: string }): Session;
  /** Facts the protocols report (version, timezone, display name). */
  readonly serverInfo: { version: string; revision: number; displayName: string; timezone: string; versionMajor: number; versionMinor: number; versionPatch: number };
  /** Kills a running query by id (native Cancel for another connection, Postgres CancelRequest). */
  cancelQuery(queryId: string): boolean;
}
