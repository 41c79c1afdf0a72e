import { columnValues } from '../../src/columns/values.js';
import { DbError } from '../../src/errors/index.js';
import { ProtocolViolation } from './codec.js';
import { backend } from './messages.js';
import { textEncoder } from './pg-values.js';
import { copyLine } from './copy-format.js';
import type { CopyOptions, Shim } from './statement-shims.js';
import type { QueryExecutor } from './query-executor.js';
import { PgStateError } from './sqlstate.js';

/**
 * The COPY sub-protocol. TO STDOUT streams the query's rows block by block as CopyData; FROM STDIN hands the
 * client's CopyData to the engine as an INSERT … FORMAT TabSeparated / CSV body, so rows are parsed and
 * appended as they arrive.
 */
export class CopyRunner {
  constructor(private readonly x: QueryExecutor) {}

  async run(shim: Extract<Shim, { kind: 'copy_out' | 'copy_in' }>): Promise<void> {
    if (shim.options.format === 'binary') throw new PgStateError('0A000', 'NOT_IMPLEMENTED', 'COPY BINARY is not supported; use text or CSV');
    if (shim.kind === 'copy_out') await this.copyOut(shim.query, shim.options);
    else await this.copyIn(shim.table, shim.columns, shim.options);
  }

  private async copyOut(query: string, o: CopyOptions): Promise<void> {
    const running = await this.x.sql.startEngine(query, undefined, []);
    const conn = this.x.conn;
    try {
      const shape = running.shape;
      if (!shape) throw new DbError('BAD_ARGUMENTS', 'COPY query must have a result set');
      const header = shape.header;
      const tz = this.x.engine.timezone;
      const encoders = header.map((c) => textEncoder(c.type, tz));
      conn.send(backend.copyOutResponse(header.length));
      if (o.header) conn.send(backend.copyData(Buffer.from(copyLine(header.map((c) => c.name), o))));
      let rows = 0;
      for (let b = await running.nextBlock(); b; b = await running.nextBlock()) {
        const m = b.materialized();
        const cols = m.columns.map((c, i) => columnValues(header[i]!.type, c));
        const fields: (string | null)[] = new Array<string | null>(cols.length);
        // One CopyData per row, as Postgres sends them (psycopg reads a row per message).
        for (let r = 0; r < m.rows; r++) {
          for (let c = 0; c < cols.length; c++) {
            const v = encoders[c]!(cols[c]![r]!);
            fields[c] = v === null ? null : v.toString('utf8');
          }
          const wait = conn.send(backend.copyData(Buffer.from(copyLine(fields, o))));
          if (wait) await wait;
        }
        rows += m.rows;
      }
      conn.send(backend.copyDone());
      conn.send(backend.commandComplete(`COPY ${rows}`));
    } finally {
      await running.close();
    }
  }

  private async copyIn(table: string, columns: string[], o: CopyOptions): Promise<void> {
    if (o.format === 'text' && o.delimiter !== '\t') throw new PgStateError('0A000', 'NOT_IMPLEMENTED', 'COPY FROM in text format supports only the tab delimiter');
    const format = o.format === 'csv' ? (o.header ? 'CSVWithNames' : 'CSV') : 'TabSeparated';
    const cols = columns.length ? ` (${columns.map((c) => '`' + c.replace(/`/g, '\\`') + '`').join(', ')})` : '';
    // Postgres clients write timestamps with UTC offsets (psycopg, pgjdbc): parse them best effort.
    const settings = new Map<string, string>([['date_time_input_format', 'best_effort']]);
    if (o.format === 'csv' && o.delimiter !== ',') settings.set('format_csv_delimiter', o.delimiter);
    const conn = this.x.conn;
    let inCopy = false;
    let finished = false;
    const chunks = async function* (): AsyncIterable<Uint8Array> {
      for (;;) {
        const m = await conn.next();
        if (!m) throw new DbError('QUERY_WAS_CANCELLED', 'connection closed during COPY');
        if (m.kind === 'CopyData') {
          // Postgres' text format ends with an optional `\.` line.
          yield m.data;
        } else if (m.kind === 'CopyDone') {
          finished = true;
          return;
        } else if (m.kind === 'CopyFail') {
          finished = true;
          throw new PgStateError('57014', 'QUERY_WAS_CANCELLED', `COPY from stdin failed: ${m.message}`);
        } else if (m.kind === 'Flush' || m.kind === 'Sync') {
          continue;
        } else throw new ProtocolViolation(`unexpected message type ${m.kind} during COPY from stdin`);
      }
    };
    const running = await this.x.session.execute({
      sql: `INSERT INTO ${table}${cols} FORMAT ${format}`,
      settings,
      signal: conn.closing.signal,
      input: (target) => {
        inCopy = true;
        conn.send(backend.copyInResponse(target.header.length));
        void conn.flush();
        return { kind: 'bytes', chunks: stripEndMarker(chunks()) };
      },
    });
    try {
      for await (const _ of running.blocks) {
        /* INSERT has no rows */
      }
    } finally {
      if (inCopy && !finished) await this.skipCopyData();
    }
    conn.send(backend.commandComplete(`COPY ${running.progress.writtenRows}`));
  }

  /** After a failed COPY FROM STDIN: drop the client's remaining CopyData up to CopyDone / CopyFail. */
  private async skipCopyData(): Promise<void> {
    for (;;) {
      const m = await this.x.conn.next();
      if (!m || m.kind === 'CopyDone' || m.kind === 'CopyFail') return;
    }
  }
}

/** Drops a final `\.` end-of-data line (sent by older clients in text mode). */
async function* stripEndMarker(src: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  let held: Uint8Array | undefined;
  for await (const c of src) {
    if (held) yield held;
    held = c;
  }
  if (!held) return;
  const s = Buffer.from(held);
  const text = s.toString('latin1');
  const m = /(^|\n)\\\.\r?\n?$/.exec(text);
  yield m ? s.subarray(0, m.index + m[1]!.length) : s;
}
