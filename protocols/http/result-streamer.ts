import type { FormatOptions, OutputWriter } from '../../src/formats/format.js';
import type { QueryResult } from '../../src/server/session-api.js';
import { resolveOutputFormat, type OutputFormatLookup } from './output-formats.js';
import { ClientGoneError, type ResponseOutput } from './response-output.js';

/** Formats a query's result blocks into the response as they arrive. */
export interface StreamResultArgs {
  readonly result: QueryResult;
  readonly output: ResponseOutput;
  readonly formats: OutputFormatLookup;
  readonly formatName: string;
  /** Session and query settings together, for the format (format_csv_delimiter, …). */
  readonly settings: ReadonlyMap<string, string>;
  readonly signal: AbortSignal;
}

export async function streamResult(a: StreamResultArgs): Promise<void> {
  const { result, output } = a;
  const format = resolveOutputFormat(a.formats, a.formatName);
  output.setHeader('Content-Type', format.contentType);
  output.setHeader('X-ClickHouse-Format', format.name);
  const options: FormatOptions = { timezone: result.timezone, settings: a.settings };
  const writer = format.createWriter(result.header, options, (chunk) => output.write(chunk));
  writer.writePrefix();
  if (result.isStreaming) output.beginStreaming();

  const it = result.blocks[Symbol.asyncIterator]();
  let exhausted = false;
  // A query that ignores its signal must not keep this request hanging after the client left.
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new ClientGoneError());
    if (a.signal.aborted) onAbort();
    else a.signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    while (true) {
      const next = await Promise.race([it.next(), aborted]);
      if (next.done === true) {
        exhausted = true;
        break;
      }
      writer.writeBlock(next.value);
      await output.blockDone(result.isStreaming);
    }
  } finally {
    if (onAbort !== undefined) a.signal.removeEventListener('abort', onAbort);
    if (!exhausted) void Promise.resolve(it.return?.()).catch(() => undefined);
  }

  writeResultEnd(writer, result);
}

/** After the last block: totals, extremes and the format's suffix with the query's statistics. */
export function writeResultEnd(writer: OutputWriter, result: QueryResult): void {
  const totals = result.totals();
  if (totals !== undefined) writer.writeTotals?.(totals);
  const extremes = result.extremes();
  if (extremes !== undefined) writer.writeExtremes?.(extremes.min, extremes.max);
  const p = result.progress;
  writer.writeSuffix({
    elapsedSeconds: Number(process.hrtime.bigint() - p.startNs) / 1e9,
    rowsRead: p.readRows,
    bytesRead: p.readBytes,
    rowsBeforeLimitAtLeast: result.rowsBeforeLimit(),
  });
}
