import { Block, type Header } from '../../../src/core/block.js';
import { columnFromValues } from '../../../src/columns/index.js';
import { DbError, errorNameOf, type ErrorName } from '../../../src/errors/index.js';
import type {
  ClientInfo, Credentials, InsertInput, QueryProgress, QueryRequest, QueryResult, Session, SessionFactory,
} from '../../../src/server/session-api.js';
import { parseDataType } from '../../../src/types/type-factory.js';

/**
 * A stand-in engine for protocol tests. It understands a tiny language:
 *   SELECT 1 | SELECT number FROM numbers(N) | SELECT getSetting('x') | SELECT param('x') | SELECT currentDatabase()
 *   SELECT fail(code) (throws at the first block) | SELECT fail_after(n) (n blocks, then throws 395)
 *   SELECT missing (throws UNKNOWN_TABLE from execute) | SELECT sleep(ms) | SELECT sleep_fail(ms) | SELECT stream (a block every 10 ms until aborted)
 *   SELECT big_string(n) | SELECT temp_tables | SET x = v | USE db | CREATE TEMPORARY TABLE t
 *   INSERT INTO t … FORMAT X / VALUES (data through request.input, counted)
 * and records what it was asked.
 */
export interface RecordedQuery {
  readonly sql: string;
  readonly queryId?: string;
  readonly settings: Record<string, string>;
  readonly params: Record<string, string>;
  readonly readonlyRequest: boolean;
  readonly defaultFormat?: string;
  readonly sessionId: string;
  readonly user: string;
  readonly database: string;
}

export interface RecordedInsert {
  readonly sql: string;
  readonly format?: string;
  readonly inline: string;
  bytes: number;
  text: string;
  chunks: number;
  done: boolean;
}

const UInt8 = parseDataType('UInt8');
const UInt64 = parseDataType('UInt64');
const StringType = parseDataType('String');

function newProgress(): QueryProgress {
  return {
    readRows: 0, readBytes: 0, totalRowsToRead: 0, writtenRows: 0, writtenBytes: 0, resultRows: 0, resultBytes: 0, lateEvents: 0,
    startNs: process.hrtime.bigint(),
  };
}

function errorByCode(code: number, message: string): DbError {
  return new DbError(errorNameOf(code) as ErrorName, message);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class FakeEngine implements SessionFactory {
  readonly serverInfo = {
    version: '24.8.1.1', revision: 54470, displayName: 'hadron-test', timezone: 'UTC',
    versionMajor: 24, versionMinor: 8, versionPatch: 1,
  };
  readonly queries: RecordedQuery[] = [];
  readonly inserts: RecordedInsert[] = [];
  readonly aborted: string[] = [];
  /** Result blocks handed out so far (all queries). */
  blocksProduced = 0;
  opened = 0;
  closed = 0;
  private nextSession = 1;

  constructor(readonly users: Map<string, string> = new Map([['default', ''], ['alice', 'secret']])) {}

  openSession(credentials: Credentials, _client: ClientInfo, options?: { database?: string; sessionId?: string }): Session {
    const expected = this.users.get(credentials.user);
    if (expected === undefined || expected !== credentials.password) {
      throw new DbError('AUTHENTICATION_FAILED',
        `${credentials.user}: Authentication failed: password is incorrect, or there is no user with such name`);
    }
    this.opened++;
    return new FakeSession(this, options?.sessionId ?? `s${this.nextSession++}`, credentials.user, options?.database ?? 'default');
  }

  cancelQuery(_queryId: string): boolean {
    return false;
  }
}

class FakeSession implements Session {
  private readonly sessionSettings = new Map<string, string>();
  private readonly tempTables: string[] = [];
  private isClosed = false;

  constructor(
    private readonly engine: FakeEngine,
    readonly id: string,
    readonly user: string,
    private database: string,
  ) {}

  currentDatabase(): string {
    return this.database;
  }

  settings(): ReadonlyMap<string, string> {
    return this.sessionSettings;
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.engine.closed++;
  }

  async execute(request: QueryRequest): Promise<QueryResult> {
    if (this.isClosed) throw new DbError('LOGICAL_ERROR', 'session is closed');
    this.engine.queries.push({
      sql: request.sql,
      queryId: request.queryId,
      settings: Object.fromEntries(request.settings ?? []),
      params: Object.fromEntries(request.params ?? []),
      readonlyRequest: request.readonlyRequest === true,
      defaultFormat: request.defaultFormat,
      sessionId: this.id,
      user: this.user,
      database: this.database,
    });
    let sql = request.sql.trim();
    if (sql.length > 1 << 20) throw new DbError('SYNTAX_ERROR', 'Syntax error: failed at position 1: unknown statement');
    if (!/^INSERT\b/i.test(sql)) sql = sql.replace(/\s+/g, ' ');
    let format: string | undefined;
    const fm = /^(SELECT[\s\S]*?)\s+FORMAT\s+(\w+)\s*;?$/i.exec(sql);
    if (fm !== null) {
      sql = fm[1];
      format = fm[2];
    }
    const progress = newProgress();
    const base = { queryId: request.queryId ?? 'generated', format, progress, timezone: this.sessionSettings.get('session_timezone') ?? 'UTC' };
    const rows = (header: Header, blocks: () => AsyncGenerator<Block>, isStreaming = false): QueryResult => ({
      ...base, header, hasResultSet: true, isStreaming, blocks: counting(blocks(), progress, this.engine),
      totals: () => undefined, extremes: () => undefined, rowsBeforeLimit: () => undefined,
    });
    const nothing = (run: () => Promise<void> = async () => undefined): QueryResult => ({
      ...base, header: [], hasResultSet: false, isStreaming: false,
      blocks: (async function* () { await run(); })(),
      totals: () => undefined, extremes: () => undefined, rowsBeforeLimit: () => undefined,
    });
    const one = (name: string, type = StringType, values: unknown[]): QueryResult => {
      const header = [{ name, type }];
      return rows(header, async function* () { yield new Block(header, [columnFromValues(type, values as never[])], values.length); });
    };
    let m: RegExpExecArray | null;

    if (/^INSERT\b/i.test(sql)) {
      if (request.readonlyRequest === true) throw new DbError('READONLY', 'Cannot execute query in readonly mode');
      if (/^INSERT INTO missing\b/i.test(sql)) throw new DbError('UNKNOWN_TABLE', 'Table default.missing does not exist');
      return nothing(() => this.insert(request, sql));
    }
    if (/^(CREATE|DROP|ALTER)\b/i.test(sql) && request.readonlyRequest === true) {
      throw new DbError('READONLY', 'Cannot execute query in readonly mode');
    }
    if (/^SELECT 1$/i.test(sql)) return one('1', UInt8, [1]);
    if ((m = /^SELECT number FROM numbers\((\d+)\)$/i.exec(sql)) !== null) {
      const n = Number(m[1]);
      const header = [{ name: 'number', type: UInt64 }];
      return rows(header, async function* () {
        for (let start = 0; start < n; start += 65536) {
          const count = Math.min(65536, n - start);
          const data = new BigUint64Array(count);
          for (let i = 0; i < count; i++) data[i] = BigInt(start + i);
          yield new Block(header, [columnFromValues(UInt64, Array.from(data))], count);
        }
      });
    }
    if ((m = /^SELECT getSetting\('(\w+)'\)$/i.exec(sql)) !== null) {
      const name = m[1];
      return one('value', StringType, [request.settings?.get(name) ?? this.sessionSettings.get(name) ?? '']);
    }
    if ((m = /^SELECT param\('(\w+)'\)$/i.exec(sql)) !== null) return one('value', StringType, [request.params?.get(m[1]) ?? '']);
    if (/^SELECT currentDatabase\(\)$/i.test(sql)) return one('db', StringType, [this.database]);
    if (/^SELECT temp_tables$/i.test(sql)) return one('name', StringType, [this.tempTables.join(',')]);
    if ((m = /^SELECT big_string\((\d+)\)$/i.exec(sql)) !== null) return one('s', StringType, ['x'.repeat(Number(m[1]))]);
    if (/^SELECT missing$/i.test(sql)) throw new DbError('UNKNOWN_TABLE', 'Table default.missing does not exist');
    if ((m = /^SELECT fail\((\d+)\)$/i.exec(sql)) !== null) {
      const code = Number(m[1]);
      return rows([{ name: 'x', type: UInt8 }], async function* () {
        throw errorByCode(code, `Failing on purpose with code ${code}`);
      });
    }
    if ((m = /^SELECT fail_after\((\d+)\)$/i.exec(sql)) !== null) {
      const n = Number(m[1]);
      const header = [{ name: 'n', type: UInt64 }];
      return rows(header, async function* () {
        for (let b = 0; b < n; b++) {
          yield new Block(header, [columnFromValues(UInt64, Array.from({ length: 1000 }, (_, i) => BigInt(b * 1000 + i)))], 1000);
          await sleep(1);
        }
        throw new DbError('FUNCTION_THROW_IF_VALUE_IS_NON_ZERO', 'Value passed to \'throwIf\' function is non-zero');
      });
    }
    if ((m = /^SELECT sleep(_fail)?\((\d+)\)$/i.exec(sql)) !== null) {
      const fails = m[1] !== undefined;
      const ms = Number(m[2]);
      const header = [{ name: 'x', type: UInt8 }];
      const signal = request.signal;
      return rows(header, async function* () {
        const until = Date.now() + ms;
        while (Date.now() < until) {
          if (signal?.aborted === true) throw new DbError('QUERY_WAS_CANCELLED', 'cancelled');
          await sleep(Math.min(10, until - Date.now()));
          progress.readRows += 100;
          progress.readBytes += 800;
        }
        if (fails) throw new DbError('TIMEOUT_EXCEEDED', 'Timeout exceeded: elapsed 0.2 seconds');
        yield new Block(header, [columnFromValues(UInt8, [1])], 1);
      });
    }
    if (/^SELECT stream$/i.test(sql)) {
      const header = [{ name: 'n', type: UInt64 }];
      const signal = request.signal;
      const engine = this.engine;
      const queryId = request.queryId ?? '';
      return rows(header, async function* () {
        let i = 0;
        try {
          while (signal?.aborted !== true) {
            yield new Block(header, [columnFromValues(UInt64, [BigInt(i++)])], 1);
            await sleep(10);
          }
        } finally {
          if (signal?.aborted === true) engine.aborted.push(queryId);
        }
      }, true);
    }
    if ((m = /^SET\s+(\w+)\s*=\s*(.+)$/i.exec(sql)) !== null) {
      const name = m[1];
      const value = m[2].trim().replace(/^'(.*)'$/, '$1');
      return nothing(async () => { this.sessionSettings.set(name, value); });
    }
    if ((m = /^USE\s+(\w+)$/i.exec(sql)) !== null) {
      const db = m[1];
      return nothing(async () => { this.database = db; });
    }
    if ((m = /^CREATE TEMPORARY TABLE (\w+)/i.exec(sql)) !== null) {
      const t = m[1];
      return nothing(async () => { this.tempTables.push(t); });
    }
    throw new DbError('SYNTAX_ERROR', `Syntax error: failed at position 1 ('${sql.slice(0, 20)}'): unknown statement`);
  }

  private async insert(request: QueryRequest, sql: string): Promise<void> {
    const fm = /\bFORMAT\s+(\w+)([\s\S]*)$/i.exec(sql);
    const vm = /\bVALUES\b([\s\S]*)$/i.exec(sql);
    const format = fm?.[1] ?? (vm !== null ? 'Values' : undefined);
    const inline = fm !== null ? fm[2].replace(/^[ \t]*\r?\n?/, '') : vm?.[1] ?? '';
    const record: RecordedInsert = { sql: request.sql, format, inline, bytes: 0, text: '', chunks: 0, done: false };
    this.engine.inserts.push(record);
    if (request.input === undefined) {
      record.done = true;
      return;
    }
    const input: InsertInput = await request.input({ header: [{ name: 'x', type: StringType }], format, hasInlineData: false });
    if (input.kind !== 'bytes') throw new DbError('LOGICAL_ERROR', 'expected bytes');
    const decoder = new TextDecoder();
    for await (const chunk of input.chunks) {
      record.bytes += chunk.length;
      record.chunks++;
      if (record.text.length < 1 << 20) record.text += decoder.decode(chunk, { stream: true });
    }
    record.done = true;
  }
}

async function* counting(blocks: AsyncGenerator<Block>, progress: QueryProgress, engine: FakeEngine): AsyncGenerator<Block> {
  for await (const b of blocks) {
    engine.blocksProduced++;
    progress.readRows += b.rows;
    progress.resultRows += b.rows;
    yield b;
  }
}
