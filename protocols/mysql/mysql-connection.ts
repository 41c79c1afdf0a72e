import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { Block, type Header } from '../../src/core/block.js';
import { columnFromValues } from '../../src/columns/builder.js';
import type { Value } from '../../src/columns/values.js';
import { DbError } from '../../src/errors/index.js';
import type { QueryResult, Session, SessionFactory } from '../../src/server/session-api.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { T } from '../../src/types/data-type.js';
import { Capability, Command, ServerStatus } from './mysql-constants.js';
import { classify, CompatError, likeToRegExp, rewriteExpressions, type CompatAction, type CompatContext, type ProcessRow, type SetAssignment } from './mysql-compat.js';
import { ProtocolError, writeDbError, writeErrPacket, type MysqlErrorCode } from './mysql-errors.js';
import { MysqlVariables, type VariableValue } from './mysql-variables.js';
import type { UserSecret } from './mysql-auth.js';
import { connectionPhase } from './connection-phase.js';
import { MalformedPacketError, PayloadReader, type PacketWriter } from './packet-codec.js';
import { PacketChannel } from './packet-channel.js';
import { bindStatement, parseExecuteHead, prepareStatement, readParams, type PreparedStatement } from './prepared-statements.js';
import { writeColumnDefinitions, writeEnd, writeEof, writeOk, writeResultHeader } from './result-packets.js';
import { writeBinaryRows, writeTextRows } from './row-encoders.js';
import { splitStatements } from './sql-scanner.js';
import { buildTable, infoSchemaTables, rewriteInfoSchema, SOURCE_QUERIES, type InfoSchemaTable } from './information-schema.js';

/** What a connection needs from its listener. */
export interface ConnectionHost {
  readonly engine: SessionFactory;
  readonly logger: Logger;
  readonly serverVersion: string;
  readonly port: number;
  readonly hostname: string;
  readonly maxPacketSize: number;
  userSecret(user: string): UserSecret | undefined;
  connection(id: number): MysqlConnection | undefined;
  processList(): ProcessRow[];
  closed(conn: MysqlConnection): void;
}

/** Flush to the socket once this many bytes of rows are buffered. */
const FLUSH_BYTES = 256 * 1024;

/**
 * One client connection: handshake and authentication, then one command at a time (COM_QUERY,
 * COM_STMT_*, …) over a Session. Results go to the socket block by block, waiting for the socket to drain.
 */
export class MysqlConnection {
  private readonly channel: PacketChannel;
  private capabilities = 0;
  private session: Session | undefined;
  private variables: MysqlVariables;
  private readonly userVariables = new Map<string, VariableValue>();
  private readonly statements = new Map<number, PreparedStatement>();
  private nextStatementId = 1;
  private queryCounter = 0;
  private engineQueries = 0;
  private currentQueryId: string | undefined;
  private currentQuery: AbortController | undefined;
  private readonly closeController = new AbortController();
  command = 'Connect';
  info: string | null = null;
  commandStartMs = Date.now();
  user = '';

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly host: ConnectionHost,
  ) {
    this.channel = new PacketChannel(socket, host.maxPacketSize, () => this.onClose());
    this.variables = this.newVariables();
  }

  get address(): string {
    return `${this.socket.remoteAddress ?? ''}:${this.socket.remotePort ?? ''}`;
  }

  get database(): string {
    return this.session?.currentDatabase() ?? '';
  }

  private newVariables(): MysqlVariables {
    return new MysqlVariables({ version: this.host.serverVersion, timezone: this.host.engine.serverInfo.timezone, port: this.host.port, hostname: this.host.hostname });
  }

  /** Runs the connection to its end. */
  async run(): Promise<void> {
    try {
      if (await this.handshake()) {
        for (;;) {
          const p = await this.channel.next();
          if (!p) break;
          if (!(await this.dispatch(p.payload))) break;
        }
      }
    } catch (e) {
      this.host.logger.debug({ err: e, connection: this.id }, 'MySQL connection failed');
    } finally {
      this.close();
    }
  }

  /** KILL QUERY from another connection. */
  cancelQuery(): boolean {
    if (!this.currentQueryId) return false;
    this.host.engine.cancelQuery(this.currentQueryId);
    this.currentQuery?.abort(new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled'));
    return true;
  }

  /** KILL CONNECTION: cancels the running query and closes the socket. */
  kill(): void {
    this.cancelQuery();
    this.channel.destroy();
  }

  close(): void {
    this.channel.end();
  }

  // ------------------------------------------------------------------ output

  private onClose(): void {
    this.closeController.abort(new DbError('QUERY_WAS_CANCELLED', 'Client disconnected'));
    this.currentQuery?.abort(new DbError('QUERY_WAS_CANCELLED', 'Client disconnected'));
    for (const s of this.statements.values()) s.longData.clear();
    this.statements.clear();
    this.session?.close();
    this.host.closed(this);
  }

  private writer(): PacketWriter {
    return this.channel.writer();
  }

  private send(w: PacketWriter): Promise<void> {
    return this.channel.send(w);
  }

  private get deprecateEof(): boolean {
    return (this.capabilities & Capability.DEPRECATE_EOF) !== 0;
  }

  private status(more = false): number {
    return (this.variables.autocommit ? ServerStatus.AUTOCOMMIT : 0) | (more ? ServerStatus.MORE_RESULTS_EXISTS : 0);
  }

  private async sendOk(info: { affectedRows?: number; more?: boolean } = {}): Promise<void> {
    const w = this.writer();
    writeOk(w, { affectedRows: info.affectedRows, status: this.status(info.more) });
    await this.send(w);
  }

  private async sendError(code: MysqlErrorCode, message: string): Promise<void> {
    const w = this.writer();
    writeErrPacket(w, code, message);
    await this.send(w);
  }

  private async sendDbError(e: unknown): Promise<void> {
    const w = this.writer();
    if (e instanceof CompatError) writeErrPacket(w, e.code, e.message);
    else if (e instanceof MalformedPacketError) writeErrPacket(w, ProtocolError.MALFORMED_PACKET, e.message);
    else writeDbError(w, e);
    await this.send(w);
  }

  // ------------------------------------------------------------------ handshake

  private async handshake(): Promise<boolean> {
    const est = await connectionPhase({
      channel: this.channel,
      engine: this.host.engine,
      serverVersion: this.host.serverVersion,
      connectionId: this.id,
      address: this.socket.remoteAddress,
      userSecret: (user) => this.host.userSecret(user),
    });
    if (!est) return false;
    this.session = est.session;
    this.capabilities = est.capabilities;
    this.user = est.user;
    this.command = 'Sleep';
    await this.sendOk();
    return true;
  }

  // ------------------------------------------------------------------ commands

  /** Handles one command; false ends the connection. */
  private async dispatch(payload: Buffer): Promise<boolean> {
    if (payload.length === 0) {
      await this.sendError(ProtocolError.MALFORMED_PACKET, 'Malformed communication packet: empty command');
      return true;
    }
    const cmd = payload[0]!;
    this.commandStartMs = Date.now();
    try {
      switch (cmd) {
        case Command.QUIT:
          return false;
        case Command.PING:
          await this.sendOk();
          return true;
        case Command.INIT_DB: {
          const db = payload.toString('utf8', 1);
          await this.runToOk(`USE \`${db.replace(/`/g, '``')}\``);
          return true;
        }
        case Command.QUERY:
          await this.query(payload.toString('utf8', 1));
          return true;
        case Command.FIELD_LIST:
          await this.fieldList(new PayloadReader(payload.subarray(1)));
          return true;
        case Command.STATISTICS: {
          const w = this.writer();
          w.begin().restString(`Uptime: ${Math.floor(process.uptime())}  Threads: ${this.host.processList().length}  Questions: ${this.queryCounter}  Slow queries: 0  Opens: 0  Open tables: 0  Queries per second avg: 0`).end();
          await this.send(w);
          return true;
        }
        case Command.PROCESS_KILL: {
          const r = new PayloadReader(payload.subarray(1));
          await this.kill_(r.u32('connection id'), false);
          return true;
        }
        case Command.RESET_CONNECTION:
          this.variables = this.newVariables();
          this.userVariables.clear();
          this.statements.clear();
          await this.sendOk();
          return true;
        case Command.SET_OPTION: {
          const option = new PayloadReader(payload.subarray(1)).u16('option');
          if (option === 0) this.capabilities |= Capability.MULTI_STATEMENTS;
          else this.capabilities &= ~Capability.MULTI_STATEMENTS;
          const w = this.writer();
          if (this.deprecateEof) writeOk(w, { status: this.status() });
          else writeEof(w, this.status());
          await this.send(w);
          return true;
        }
        case Command.STMT_PREPARE:
          await this.prepare(payload.toString('utf8', 1));
          return true;
        case Command.STMT_EXECUTE:
          await this.execute(payload);
          return true;
        case Command.STMT_SEND_LONG_DATA: {
          const r = new PayloadReader(payload.subarray(1));
          const stmt = this.statements.get(r.u32('statement id'));
          const param = r.u16('parameter id');
          if (stmt && param < stmt.paramCount) {
            const chunks = stmt.longData.get(param) ?? [];
            chunks.push(Buffer.from(r.rest()));
            stmt.longData.set(param, chunks);
          }
          return true; // no response
        }
        case Command.STMT_CLOSE: {
          const r = new PayloadReader(payload.subarray(1));
          this.statements.delete(r.u32('statement id'));
          return true; // no response
        }
        case Command.STMT_RESET: {
          const r = new PayloadReader(payload.subarray(1));
          const id = r.u32('statement id');
          const stmt = this.statements.get(id);
          if (!stmt) await this.sendError(ProtocolError.UNKNOWN_STATEMENT, `Unknown prepared statement handler (${id}) given to mysqld_stmt_reset`);
          else {
            stmt.longData.clear();
            await this.sendOk();
          }
          return true;
        }
        default:
          await this.sendError(ProtocolError.UNKNOWN_COMMAND, `Unknown command 0x${cmd.toString(16).padStart(2, '0')}`);
          return true;
      }
    } catch (e) {
      await this.sendDbError(e);
      return true;
    } finally {
      this.command = 'Sleep';
      this.info = null;
    }
  }

  private compatContext(): CompatContext {
    return {
      variables: this.variables,
      userVariables: this.userVariables,
      connectionId: this.id,
      database: this.database,
      user: this.session?.user ?? this.user,
      processList: () => this.host.processList(),
    };
  }

  private async query(sql: string): Promise<void> {
    const statements = this.capabilities & Capability.MULTI_STATEMENTS && sql.includes(';') ? splitStatements(sql) : [sql];
    if (statements.length === 0) {
      await this.sendError({ errno: 1065, sqlState: '42000' }, 'Query was empty');
      return;
    }
    for (let i = 0; i < statements.length; i++) {
      const more = i < statements.length - 1;
      const ok = await this.runStatement(statements[i]!, undefined, false, more);
      if (!ok) return;
    }
  }

  /** Runs one statement and sends its response; false when it failed (an ERR was sent). */
  private async runStatement(sql: string, params: Map<string, string> | undefined, binary: boolean, more: boolean): Promise<boolean> {
    this.command = 'Query';
    this.info = sql;
    this.queryCounter++;
    let action: CompatAction;
    try {
      action = classify(sql, this.compatContext());
    } catch (e) {
      await this.sendDbError(e);
      return false;
    }
    try {
      switch (action.kind) {
        case 'ok':
          await this.sendOk({ more });
          return true;
        case 'error':
          await this.sendError(action.code, action.message);
          return false;
        case 'rows':
          await this.sendLocalRows(action.header, action.rows, binary, more);
          return true;
        case 'kill':
          return await this.kill_(action.connectionId, action.queryOnly, more);
        case 'set':
          await this.applySet(action.assignments, action.engineSql, params);
          await this.sendOk({ more });
          return true;
        case 'engine_rows': {
          const rows = await this.collectRows(action.sql, params);
          const out = action.transform(rows);
          await this.sendLocalRows(out.header, out.rows, binary, more);
          return true;
        }
        case 'engine':
          return await this.runEngine(await this.withInfoSchema(action.sql), params, binary, more);
      }
    } catch (e) {
      await this.sendDbError(e);
      return false;
    }
  }

  private async execEngine(sql: string, params: Map<string, string> | undefined): Promise<QueryResult> {
    const session = this.session!;
    const controller = new AbortController();
    const onClose = () => controller.abort(this.closeController.signal.reason);
    this.closeController.signal.addEventListener('abort', onClose, { once: true });
    const queryId = `mysql-${this.id}-${++this.engineQueries}`;
    this.currentQueryId = queryId;
    this.currentQuery = controller;
    this.host.logger.debug({ queryId, connection: this.id, sql }, 'MySQL query');
    try {
      return await session.execute({ sql, params, queryId, signal: controller.signal });
    } finally {
      this.closeController.signal.removeEventListener('abort', onClose);
    }
  }

  private endQuery(): void {
    this.currentQueryId = undefined;
    this.currentQuery = undefined;
  }

  /** Runs an engine statement and streams its result (text or binary rows). */
  private async runEngine(sql: string, params: Map<string, string> | undefined, binary: boolean, more: boolean): Promise<boolean> {
    try {
      const result = await this.execEngine(sql, params);
      if (!result.hasResultSet || result.header.length === 0) {
        for await (const _ of result.blocks) {
          /* drives DDL / INSERT */
        }
        await this.sendOk({ affectedRows: result.progress.writtenRows, more });
        return true;
      }
      const w = this.writer();
      writeResultHeader(w, result.header, this.database, this.deprecateEof, this.status(more));
      const tz = result.timezone;
      try {
        for await (const block of result.blocks) {
          if (binary) writeBinaryRows(w, block, tz);
          else writeTextRows(w, block, tz);
          // A streaming query's rows go out as each block comes, not when 256 KiB have gathered.
          if (result.isStreaming || w.length >= FLUSH_BYTES) await this.send(w);
          if (this.channel.isClosed) throw new DbError('QUERY_WAS_CANCELLED', 'Client disconnected');
        }
      } catch (e) {
        // An error after rows started: the rows already built, then ERR (clients accept ERR inside a result set).
        writeDbError(w, e);
        await this.send(w);
        return false;
      }
      writeEnd(w, this.deprecateEof, this.status(more));
      await this.send(w);
      return true;
    } finally {
      this.endQuery();
    }
  }

  /** Queries over MySQL's INFORMATION_SCHEMA read MySQL-shaped tables built from the system tables. */
  private async withInfoSchema(sql: string): Promise<string> {
    const tables = infoSchemaTables(sql);
    if (!tables.size) return sql;
    const derived = new Map<InfoSchemaTable, string>();
    for (const t of tables) derived.set(t, buildTable(t, await this.collectRows(SOURCE_QUERIES[t])));
    return rewriteInfoSchema(sql, derived);
  }

  private async collectRows(sql: string, params?: Map<string, string>): Promise<Value[][]> {
    try {
      const result = await this.execEngine(sql, params);
      const rows: Value[][] = [];
      for await (const b of result.blocks) rows.push(...b.toRows());
      return rows;
    } finally {
      this.endQuery();
    }
  }

  private async runToOk(sql: string): Promise<void> {
    try {
      const result = await this.execEngine(sql, undefined);
      for await (const _ of result.blocks) {
        /* drain */
      }
      await this.sendOk();
    } finally {
      this.endQuery();
    }
  }

  private async sendLocalRows(header: Header, rows: Value[][], binary: boolean, more: boolean): Promise<void> {
    const columns = header.map((c, i) => columnFromValues(c.type, rows.map((r) => r[i] ?? null)));
    const block = new Block(header, columns, rows.length);
    const w = this.writer();
    writeResultHeader(w, header, this.database, this.deprecateEof, this.status(more));
    if (binary) writeBinaryRows(w, block, this.host.engine.serverInfo.timezone);
    else writeTextRows(w, block, this.host.engine.serverInfo.timezone);
    writeEnd(w, this.deprecateEof, this.status(more));
    await this.send(w);
  }

  private async applySet(assignments: readonly SetAssignment[], engineSql: string | undefined, params: Map<string, string> | undefined): Promise<void> {
    const values: VariableValue[] = [];
    for (const a of assignments) values.push(await this.evaluate(a.expr, params));
    // Only after every value evaluated: a failing SET changes nothing.
    if (engineSql) {
      const result = await this.execEngine(engineSql, params);
      try {
        for await (const _ of result.blocks) {
          /* drain */
        }
      } finally {
        this.endQuery();
      }
    }
    assignments.forEach((a, i) => {
      const v = values[i]!;
      if (a.target === 'user') this.userVariables.set(a.name.toLowerCase(), v);
      else if (/^default$/i.test(a.expr.trim())) this.variables.set(a.name, this.newVariables().get(a.name));
      else this.variables.set(a.name, v);
    });
  }

  /** The value of a SET expression: literals directly, anything else through the engine. */
  private async evaluate(expr: string, params: Map<string, string> | undefined): Promise<VariableValue> {
    const e = expr.trim();
    if (/^-?\d+$/.test(e)) return Number(e);
    if (/^'(?:[^'\\]|\\.|'')*'$/.test(e) || /^"(?:[^"\\]|\\.|"")*"$/.test(e)) {
      return e.slice(1, -1).replace(/''/g, "'").replace(/""/g, '"').replace(/\\(.)/g, '$1');
    }
    if (/^(null)$/i.test(e)) return null;
    if (/^(default)$/i.test(e)) return null;
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(e)) return e; // ON, OFF, utf8mb4, READ-COMMITTED words
    const rows = await this.collectRows(`SELECT ${rewriteExpressions(e, this.compatContext())}`, params);
    const v = rows[0]?.[0] ?? null;
    if (v === null) return null;
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    if (typeof v === 'boolean') return v ? 1 : 0;
    return String(v);
  }

  private async kill_(id: number, queryOnly: boolean, more = false): Promise<boolean> {
    const target = this.host.connection(id);
    if (!target) {
      await this.sendError(ProtocolError.NO_SUCH_THREAD, `Unknown thread id: ${id}`);
      return false;
    }
    if (queryOnly) target.cancelQuery();
    else if (target === this) {
      this.cancelQuery();
      setImmediate(() => this.channel.destroy());
    } else target.kill();
    await this.sendOk({ more });
    return true;
  }

  private async fieldList(r: PayloadReader): Promise<void> {
    const table = r.nulString('table');
    const wildcard = r.remaining ? r.restString() : '';
    const rows = await this.collectRows(`DESCRIBE TABLE \`${table.replace(/`/g, '``')}\``);
    let header: Header = rows.map((row) => ({ name: String(row[0]), type: parseDataType(String(row[1])) }));
    if (wildcard) {
      const re = likeToRegExp(wildcard);
      header = header.filter((c) => re.test(c.name));
    }
    const w = this.writer();
    writeColumnDefinitions(w, header, this.database, true);
    writeEnd(w, this.deprecateEof, this.status());
    await this.send(w);
  }

  // ------------------------------------------------------------------ prepared statements

  private async prepare(sql: string): Promise<void> {
    const id = this.nextStatementId++;
    const stmt = prepareStatement(id, sql);
    if (stmt.paramCount > 65535) throw new DbError('TOO_MANY_ARGUMENTS_FOR_FUNCTION', 'Prepared statement has more than 65535 parameters');
    this.statements.set(id, stmt);
    const w = this.writer();
    w.begin().u8(0).u32(id).u16(0).u16(stmt.paramCount).u8(0).u16(0).end();
    if (stmt.paramCount > 0) {
      writeColumnDefinitions(w, Array.from({ length: stmt.paramCount }, () => ({ name: '?', type: T.String })), '');
      if (!this.deprecateEof) writeEof(w, this.status());
    }
    await this.send(w);
  }

  private async execute(payload: Buffer): Promise<void> {
    const head = parseExecuteHead(payload);
    const stmt = this.statements.get(head.statementId);
    if (!stmt) {
      await this.sendError(ProtocolError.UNKNOWN_STATEMENT, `Unknown prepared statement handler (${head.statementId}) given to mysqld_stmt_execute`);
      return;
    }
    const params = readParams(head.reader, stmt);
    stmt.longData.clear();
    const bound = bindStatement(stmt, params);
    await this.runStatement(bound.sql, bound.params, true, false);
  }
}
