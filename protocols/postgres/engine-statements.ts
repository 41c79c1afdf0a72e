import { randomUUID } from 'node:crypto';
import type { Header } from '../../src/core/block.js';
import { DbError } from '../../src/errors/index.js';
import type { Engine } from '../../src/server/engine.js';
import type { Session } from '../../src/server/session-api.js';
import { T } from '../../src/types/data-type.js';
import { pgCatalogOid, tableOid } from '../../src/catalog/system/pg-catalog.js';
import { ResultShape } from './result-writer.js';
import { commandTag } from './statement-shims.js';
import { rewriteSql, schemaOf, type RewriteContext } from './dialect-rewrite.js';
import { answerCatalogQuery, replaceFixedSubqueries, type CatalogEnv } from './catalog-queries.js';
import { PG_SERVER_VERSION } from './pg-parameters.js';
import { staticRows, type Running } from './running.js';
import type { PgConnection } from './connection.js';

const QUERY_WORDS = new Set(['SELECT', 'WITH', 'SHOW', 'DESCRIBE', 'DESC', 'EXPLAIN', 'VALUES', 'EXISTS', 'TABLE']);

/**
 * Statements that reach the engine: rewritten from the Postgres dialect with their bound literals, run
 * through the Session API (or answered from the catalog when recognised), with the running query's id kept
 * for CancelRequest.
 */
export class EngineStatements {
  private runningQueryId?: string;

  constructor(
    private readonly conn: PgConnection,
    private readonly session: Session,
    private readonly engine: Engine,
  ) {}

  cancelRunning(): void {
    if (this.runningQueryId) this.engine.cancelQuery(this.runningQueryId);
  }

  rewriteContext(params: readonly string[] | undefined): RewriteContext {
    const engine = this.engine;
    const database = this.session.currentDatabase();
    return {
      params,
      database,
      user: this.session.user,
      serverVersion: PG_SERVER_VERSION,
      backendPid: this.conn.backendPid,
      regclass: (name: string) => {
        const parts = name.split('.').map((p) => p.replace(/^"(.*)"$/, '$1'));
        const [schema, table] = parts.length > 1 ? [parts[0]!, parts[1]!] : [schemaOf(database), parts[0]!];
        if ((schema === 'pg_catalog' || parts.length === 1) && table.startsWith('pg_')) return pgCatalogOid(table);
        const db = schema === 'public' ? 'default' : schema;
        return engine.catalog.table(db, table) ? tableOid(db, table) : undefined;
      },
    };
  }

  catalogEnv(): CatalogEnv {
    return { engine: this.engine, database: this.session.currentDatabase(), user: this.session.user };
  }

  /** The result header of a statement, without running it to completion (Describe of a statement). */
  async describe(sql: string, paramCount: number): Promise<Header | undefined> {
    const catalog = answerCatalogQuery(sql, this.catalogEnv());
    if (catalog) return catalog.header;
    const first = /^\s*\(?\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase();
    if (!first || !QUERY_WORDS.has(first)) return undefined;
    const rewritten = rewriteSql(sql, this.rewriteContext(Array.from({ length: paramCount }, () => 'NULL')));
    const abort = new AbortController();
    const result = await this.session.execute({ sql: rewritten, signal: abort.signal });
    abort.abort(new DbError('QUERY_WAS_CANCELLED', 'described only'));
    const it = result.blocks[Symbol.asyncIterator]();
    try {
      await it.next();
    } catch {
      /* the query was only described */
    }
    await it.return?.();
    return result.hasResultSet ? result.header : undefined;
  }

  /** Starts a statement: a recognised catalog query, pg_cancel_backend, or engine SQL. */
  async start(sql: string, params: string[] | undefined, formats: readonly number[]): Promise<Running> {
    const catalog = answerCatalogQuery(sql, this.catalogEnv(), params);
    if (catalog) return staticRows(catalog.header, catalog.rows, formats, this.engine.timezone, (n) => `SELECT ${n}`);
    const cancel = /^\s*SELECT\s+(?:pg_catalog\.)?pg_(cancel|terminate)_backend\s*\(\s*(\$1|\d+)\s*\)\s*;?\s*$/i.exec(sql);
    if (cancel) {
      // Another connection's query is cancelled through this server's cancel keys, not the engine.
      const pid = Number(cancel[2] === '$1' ? params?.[0] : cancel[2]);
      const name = `pg_${cancel[1]!.toLowerCase()}_backend`;
      return staticRows([{ name, type: T.Bool }], [[this.conn.cancelBackend(pid)]], formats, this.engine.timezone, () => 'SELECT 1');
    }
    return this.startEngine(sql, params, formats);
  }

  async startEngine(sql: string, params: string[] | undefined, formats: readonly number[]): Promise<Running> {
    const rewritten = rewriteSql(replaceFixedSubqueries(sql), this.rewriteContext(params));
    const queryId = randomUUID();
    this.runningQueryId = queryId;
    const result = await this.session.execute({ sql: rewritten, queryId, signal: this.conn.closing.signal }).catch((e: unknown) => {
      this.runningQueryId = undefined;
      throw e;
    });
    const it = result.blocks[Symbol.asyncIterator]();
    const shape = result.hasResultSet ? new ResultShape(result.header, formats, result.timezone) : undefined;
    let closed = false;
    const close = async () => {
      if (closed) return;
      closed = true;
      if (this.runningQueryId === queryId) this.runningQueryId = undefined;
      await it.return?.();
    };
    return {
      shape,
      streaming: result.isStreaming,
      nextBlock: async () => {
        if (closed) return undefined;
        this.runningQueryId = queryId;
        const r = await it.next();
        return r.done ? undefined : r.value;
      },
      tag: (rows) => commandTag(sql, result.hasResultSet, rows, result.progress.writtenRows),
      close,
    };
  }
}
