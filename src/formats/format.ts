import type { Block, Header } from '../core/block.js';

/** Settings and facts a format needs (ClickHouse's FormatSettings). */
export interface FormatOptions {
  /** Timezone used to print/parse DateTime values whose type has none (server or session timezone). */
  readonly timezone: string;
  /** All query settings as text (format_csv_delimiter, output_format_json_quote_64bit_integers, …). */
  readonly settings: ReadonlyMap<string, string>;
}

/** End-of-result facts some formats print (JSON's `statistics`, `rows_before_limit_at_least`). */
export interface ResultStatistics {
  readonly elapsedSeconds: number;
  readonly rowsRead: number;
  readonly bytesRead: number;
  readonly rowsBeforeLimitAtLeast?: number;
}

/** Writes one result. Output goes to `sink` in chunks as blocks arrive, so results stream. */
export interface OutputWriter {
  writePrefix(): void;
  writeBlock(block: Block): void;
  /** WITH TOTALS row(s) and extremes, for formats that show them. */
  writeTotals?(block: Block): void;
  writeExtremes?(min: Block, max: Block): void;
  writeSuffix(stats: ResultStatistics): void;
  /** Called instead of writeSuffix when the query fails after output began (mid-stream errors). */
  writeException?(message: string): void;
}

export interface OutputFormat {
  readonly name: string;
  readonly contentType: string;
  /** Formats that cannot stream (e.g. Parquet, Pretty width calculation per block is fine) buffer in the writer. */
  createWriter(header: Header, options: FormatOptions, sink: (chunk: Uint8Array) => void): OutputWriter;
}

/**
 * Parses input incrementally: `push` bytes as they arrive from the network and get back whole blocks of
 * up to `blockRows` rows; `end` flushes the rest. Errors are DbError (CANNOT_PARSE_TEXT and friends) naming
 * the row and column.
 */
export interface InputReader {
  push(chunk: Uint8Array): Block[];
  /** Flushes the rest; formats that can only parse the whole input (Parquet) resolve asynchronously. */
  end(): Block[] | Promise<Block[]>;
}

export interface InputFormat {
  readonly name: string;
  /** `header` is the target table's columns in the order the data carries them. */
  createReader(header: Header, options: FormatOptions & { readonly blockRows: number }): InputReader;
}
