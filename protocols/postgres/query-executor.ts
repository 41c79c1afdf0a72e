import { Block, type Header } from '../../src/core/block.js';
import { toDbError } from '../../src/errors/index.js';
import type { Engine } from '../../src/server/engine.js';
import type { Session } from '../../src/server/session-api.js';
import { splitStatements } from '../../src/sql/index.js';
import { T } from '../../src/types/data-type.js';
import { PG } from '../../src/catalog/system/pg-types.js';
import { ProtocolViolation } from './codec.js';
import { backend, errorResponse, type FrontendMessage } from './messages.js';
import { errorFieldsOf, PgStateError } from './sqlstate.js';
import type { PgParameters } from './pg-parameters.js';
import { ResultShape } from './result-writer.js';
import { classify, type Shim } from './statement-shims.js';
import { countPlaceholders } from './dialect-rewrite.js';
import { bindLiterals } from './param-binding.js';
import { CopyRunner } from './copy-runner.js';
import type { PgConnection } from './connection.js';
import { PgSettings } from './pg-settings.js';
import { EngineStatements } from './engine-statements.js';
import { EMPTY, noRows, staticRows, type Running } from './running.js';

export type { Running } from './running.js';

interface Prepared {
  readonly sql: string;
  readonly paramTypes: number[];
}

interface Portal {
  readonly statement: Prepared;
  readonly literals: string[];
  readonly resultFormats: number[];
  running?: Running;
  pending?: { block: Block; offset: number };
  rows: number;
  done: boolean;
  /** SQL cursors declared WITH HOLD survive the end of the transaction. */
  hold?: boolean;
}

/** Handles the messages of an authenticated connection: simple and extended query, COPY, transactions. */
export class QueryExecutor {
  private txStatus: 'I' | 'T' | 'E' = 'I';
  private skipping = false;
  private readonly statements = new Map<string, Prepared>();
  private readonly portals = new Map<string, Portal>();
  private readonly settings: PgSettings;
  /** Statements that reach the engine. */
  readonly sql: EngineStatements;

  constructor(
    readonly conn: PgConnection,
    readonly session: Session,
    readonly engine: Engine,
    readonly params: PgParameters,
  ) {
    this.settings = new PgSettings(this);
    this.sql = new EngineStatements(conn, session, engine);
  }

  cancelRunning(): void {
    this.sql.cancelRunning();
  }

  closeAll(keepHeld = false): void {
    for (const [name, p] of this.portals) {
      if (keepHeld && p.hold) continue;
      void p.running?.close();
      this.portals.delete(name);
    }
  }

  private async sendError(e: unknown): Promise<void> {
    if (e instanceof ProtocolViolation) throw e;
    const err = toDbError(e);
    this.conn.send(errorResponse(errorFieldsOf(err)));
    if (this.txStatus === 'T') this.txStatus = 'E';
  }

  async handle(m: FrontendMessage): Promise<void> {
    if (this.skipping && m.kind !== 'Sync') return;
    switch (m.kind) {
      case 'Query':
        await this.simpleQuery(m.sql);
        this.conn.send(backend.readyForQuery(this.txStatus));
        await this.conn.flush();
        return;
      case 'Sync':
        this.skipping = false;
        if (this.txStatus === 'I') this.closeAll(true);
        this.conn.send(backend.readyForQuery(this.txStatus));
        await this.conn.flush();
        return;
      case 'Flush':
        await this.conn.flush();
        return;
      case 'CopyData':
      case 'CopyDone':
      case 'CopyFail':
        return; // left over from a failed COPY FROM STDIN
      case 'Password':
        throw new ProtocolViolation('unexpected password message');
      case 'Terminate':
        return;
    }
    try {
      switch (m.kind) {
        case 'Parse': {
          const n = Math.max(countPlaceholders(m.sql), m.paramTypes.length);
          const types = Array.from({ length: n }, (_, i) => m.paramTypes[i] ?? 0);
          this.statements.set(m.name, { sql: m.sql, paramTypes: types });
          this.conn.send(backend.parseComplete());
          return;
        }
        case 'Bind': {
          const st = this.statements.get(m.statement);
          if (!st) throw new PgStateError('26000', 'BAD_ARGUMENTS', `prepared statement "${m.statement}" does not exist`);
          if (m.params.length !== st.paramTypes.length) {
            throw new PgStateError('08P01', 'BAD_ARGUMENTS', `bind message supplies ${m.params.length} parameters, but prepared statement "${m.statement}" requires ${st.paramTypes.length}`);
          }
          const literals = bindLiterals(st.paramTypes, m.paramFormats, m.params);
          const old = this.portals.get(m.portal);
          if (old) await old.running?.close();
          this.portals.set(m.portal, { statement: st, literals, resultFormats: m.resultFormats, rows: 0, done: false });
          this.conn.send(backend.bindComplete());
          return;
        }
        case 'Describe': {
          if (m.target === 'S') {
            const st = this.statements.get(m.name);
            if (!st) throw new PgStateError('26000', 'BAD_ARGUMENTS', `prepared statement "${m.name}" does not exist`);
            this.conn.send(backend.parameterDescription(st.paramTypes.map((t) => t || PG.text.oid)));
            const header = await this.describeStatement(st);
            this.conn.send(header ? new ResultShape(header, [], this.engine.timezone).rowDescription() : backend.noData());
            return;
          }
          const portal = this.requirePortal(m.name);
          const running = await this.startPortal(portal);
          this.conn.send(running.shape ? running.shape.rowDescription() : backend.noData());
          return;
        }
        case 'Execute':
          await this.executePortal(this.requirePortal(m.portal), m.maxRows);
          return;
        case 'Close':
          if (m.target === 'S') this.statements.delete(m.name);
          else {
            await this.portals.get(m.name)?.running?.close();
            this.portals.delete(m.name);
          }
          this.conn.send(backend.closeComplete());
          return;
      }
    } catch (e) {
      await this.sendError(e);
      this.skipping = true;
      // As PostgreSQL does, the error goes out at once: a client that sent Execute + Flush (pg-cursor reading a
      // streaming query that was just cancelled) waits for it before it sends Sync.
      await this.conn.flush();
    }
  }

  private requirePortal(name: string): Portal {
    const p = this.portals.get(name);
    if (!p) throw new PgStateError('34000', 'BAD_ARGUMENTS', `portal "${name}" does not exist`);
    return p;
  }

  // ------------------------------------------------------------ simple query

  private async simpleQuery(sql: string): Promise<void> {
    let statements: string[];
    try {
      statements = splitStatements(sql);
    } catch {
      statements = [sql];
    }
    if (!statements.length) {
      this.conn.send(backend.emptyQuery());
      return;
    }
    for (const st of statements) {
      try {
        const shim = classify(st);
        if (shim.kind === 'copy_out' || shim.kind === 'copy_in') {
          this.checkNotAborted(shim);
          await new CopyRunner(this).run(shim);
          continue;
        }
        const running = await this.start(st, undefined, [], shim);
        if (running.shape) this.conn.send(running.shape.rowDescription());
        const rows = await this.stream(running, 0, undefined);
        this.conn.send(running === EMPTY ? backend.emptyQuery() : backend.commandComplete(running.tag(rows.rows)));
      } catch (e) {
        await this.sendError(e);
        return;
      }
    }
  }

  // ------------------------------------------------------------ extended query

  private async startPortal(portal: Portal): Promise<Running> {
    if (!portal.running) portal.running = await this.start(portal.statement.sql, portal.literals, portal.resultFormats);
    return portal.running;
  }

  private async executePortal(portal: Portal, maxRows: number): Promise<void> {
    const running = await this.startPortal(portal);
    if (portal.done) {
      this.conn.send(backend.commandComplete(running.tag(0)));
      return;
    }
    const limit = maxRows > 0 ? maxRows : 0;
    const r = await this.stream(running, limit, portal);
    portal.rows += r.rows;
    if (r.suspended) {
      this.conn.send(backend.portalSuspended());
      return;
    }
    portal.done = true;
    this.conn.send(running === EMPTY ? backend.emptyQuery() : backend.commandComplete(running.tag(portal.rows)));
  }

  /** Sends DataRows until the blocks end or `limit` rows (0 = no limit) went out. */
  private async stream(running: Running, limit: number, portal: Portal | undefined): Promise<{ rows: number; suspended: boolean }> {
    let rows = 0;
    const shape = running.shape;
    try {
      for (;;) {
        let block: Block | undefined;
        let offset = 0;
        if (portal?.pending) {
          ({ block, offset } = portal.pending);
          portal.pending = undefined;
        } else block = await running.nextBlock();
        if (!block) break;
        if (!shape) continue;
        let end = block.rows;
        if (limit > 0 && rows + (end - offset) > limit) end = offset + (limit - rows);
        // Large blocks go out in slices so memory stays bounded and the socket's backpressure is honoured.
        for (let from = offset; from < end; from += 8192) {
          const wait = this.conn.send(shape.dataRows(block, from, Math.min(end, from + 8192)));
          if (wait) await wait;
        }
        rows += end - offset;
        // A streaming query's rows go out as they come, not when 64 KiB have gathered.
        if (running.streaming) await this.conn.flush();
        if (limit > 0 && rows >= limit) {
          if (end < block.rows && portal) portal.pending = { block, offset: end };
          return { rows, suspended: true };
        }
      }
    } catch (e) {
      await running.close();
      throw e;
    }
    await running.close();
    return { rows, suspended: false };
  }

  // ------------------------------------------------------------ statements

  private checkNotAborted(shim: Shim): void {
    if (this.txStatus === 'E' && shim.kind !== 'commit' && shim.kind !== 'rollback') {
      throw new PgStateError('25P02', 'BAD_ARGUMENTS', 'current transaction is aborted, commands ignored until end of transaction block');
    }
  }

  /** The result header of a prepared statement (Describe S). */
  private async describeStatement(st: Prepared): Promise<Header | undefined> {
    const shim = classify(st.sql);
    if (shim.kind === 'show') return [{ name: shim.name, type: T.String }];
    if (shim.kind !== 'engine') return undefined;
    return this.sql.describe(st.sql, st.paramTypes.length);
  }

  /** Starts one statement (shim, recognised catalog query, or engine SQL with bound literals). */
  async start(sql: string, params: string[] | undefined, formats: readonly number[], shim: Shim = classify(sql)): Promise<Running> {
    this.checkNotAborted(shim);
    switch (shim.kind) {
      case 'empty':
        return EMPTY;
      case 'begin':
        this.txStatus = 'T';
        return noRows('BEGIN');
      case 'commit': {
        const tag = this.txStatus === 'E' ? 'ROLLBACK' : 'COMMIT';
        this.txStatus = 'I';
        return noRows(tag);
      }
      case 'rollback':
        this.txStatus = 'I';
        return noRows('ROLLBACK');
      case 'noop':
        return noRows(shim.tag);
      case 'set':
        await this.settings.set(shim.name, shim.value);
        return noRows('SET');
      case 'reset':
        await this.settings.reset(shim.name);
        return noRows('RESET');
      case 'discard':
        await this.settings.reset('ALL');
        this.statements.clear();
        return noRows('DISCARD ALL');
      case 'show': {
        const rows = this.settings.show(shim.name);
        return staticRows(rows.header, rows.rows, formats, this.engine.timezone, () => 'SHOW');
      }
      case 'copy_in':
      case 'copy_out':
        throw new PgStateError('0A000', 'NOT_IMPLEMENTED', 'COPY is supported in the simple query protocol only');
      case 'declare': {
        const old = this.portals.get(shim.name);
        if (old) throw new PgStateError('42P03', 'BAD_ARGUMENTS', `cursor "${shim.name}" already exists`);
        const running = await this.sql.startEngine(shim.query, params, shim.binary ? [1] : []);
        this.portals.set(shim.name, { statement: { sql: shim.query, paramTypes: [] }, literals: [], resultFormats: [], running, rows: 0, done: false, hold: shim.hold });
        return noRows('DECLARE CURSOR');
      }
      case 'fetch':
        return this.fetchCursor(shim.name, shim.count, shim.move);
      case 'close_cursor':
        if (shim.name === 'ALL') this.closeAll();
        else {
          const p = this.portals.get(shim.name);
          if (!p) throw new PgStateError('34000', 'BAD_ARGUMENTS', `cursor "${shim.name}" does not exist`);
          await p.running?.close();
          this.portals.delete(shim.name);
        }
        return noRows('CLOSE CURSOR');
      case 'engine':
        break;
    }
    return this.sql.start(sql, params, formats);
  }

  /** FETCH / MOVE: up to `count` rows of a declared cursor, as a result of their own. */
  private fetchCursor(name: string, count: number, move: boolean): Running {
    const portal = this.portals.get(name);
    if (!portal?.running) throw new PgStateError('34000', 'BAD_ARGUMENTS', `cursor "${name}" does not exist`);
    const source = portal.running;
    let taken = 0;
    return {
      shape: move ? undefined : source.shape,
      nextBlock: async () => {
        if (taken >= count || portal.done) return undefined;
        let block: Block | undefined;
        let offset = 0;
        if (portal.pending) {
          ({ block, offset } = portal.pending);
          portal.pending = undefined;
        } else block = await source.nextBlock();
        if (!block) {
          portal.done = true;
          return undefined;
        }
        const end = Math.min(block.rows, offset + (count - taken));
        if (end < block.rows) portal.pending = { block, offset: end };
        taken += end - offset;
        return offset === 0 && end === block.rows ? block : block.slice(offset, end);
      },
      tag: () => `${move ? 'MOVE' : 'FETCH'} ${taken}`,
      close: async () => {},
    };
  }

  /** Applies a ParameterStatus change to the client. */
  report(name: string, value: string): void {
    this.conn.send(backend.parameterStatus(name, value));
  }
}

