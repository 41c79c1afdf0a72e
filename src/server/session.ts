import { randomUUID } from 'node:crypto';
import type { Query, Statement } from '../sql/ast.js';
import { formatExpr, formatStatement, parseStatement } from '../sql/index.js';
import { DbError, toDbError } from '../errors/index.js';
import { Block } from '../core/block.js';
import { columnFromValues } from '../columns/builder.js';
import { T } from '../types/data-type.js';
import type { FunctionContext } from '../functions/function.js';
import type { QueryContext } from '../exec/query-context.js';
import { settingNumber } from '../exec/query-context.js';
import { QueryPlanner, type QueryExtras } from '../planner/select-planner.js';
import { collectBlocks, explainPlan, isUnbounded, type PlanNode } from '../planner/plan-node.js';
import { concatBlocks } from '../core/block.js';
import type { PlannerEnv } from '../planner/planner-env.js';
import { systemTable } from '../catalog/system/system-tables.js';
import type { TableEntry } from '../catalog/table-entry.js';
import type { ClientInfo, QueryRequest, QueryResult, Session } from './session-api.js';
import { checkSetting } from './settings.js';
import { externalTableEntries } from './external-tables.js';
import { ExtremesTracker } from '../exec/extremes.js';
import { newProgress, type RunningQuery } from './query-registry.js';
import type { Engine } from './engine.js';
import { noResult, rowsResult, type InterpreterContext, type StatementResult } from './interpreters/interpreter-context.js';
import { alter, createFunction, createTable, createView, deleteRows, drop, rename, truncate } from './interpreters/ddl.js';
import { insert } from './interpreters/insert.js';
import { describe, exists, showAsQuery, showCreate } from './interpreters/show.js';
import { valueToSettingText } from './setting-text.js';
import { subscriptionsOf } from '../streaming/subscription.js';

const READ_ONLY_KINDS = new Set(['select', 'set_operation', 'show', 'describe', 'exists', 'explain', 'use', 'set']);

export class SessionImpl implements Session {
  readonly id: string;
  private database: string;
  private readonly sessionSettings = new Map<string, string>();
  readonly temporaryTables = new Map<string, TableEntry>();

  constructor(
    readonly engine: Engine,
    readonly user: string,
    readonly client: ClientInfo,
    database: string,
    id?: string,
  ) {
    this.id = id ?? randomUUID();
    this.database = database;
  }

  currentDatabase(): string {
    return this.database;
  }

  settings(): ReadonlyMap<string, string> {
    return this.sessionSettings;
  }

  close(): void {
    for (const t of this.temporaryTables.values()) void t.storage?.drop();
    this.temporaryTables.clear();
  }

  async execute(request: QueryRequest): Promise<QueryResult> {
    const queryId = request.queryId || randomUUID();
    const progress = newProgress();
    const controller = new AbortController();
    const onAbort = () => controller.abort(request.signal?.reason);
    if (request.signal) {
      if (request.signal.aborted) controller.abort(request.signal.reason);
      else request.signal.addEventListener('abort', onAbort, { once: true });
    }
    const running: RunningQuery = {
      queryId,
      user: this.user,
      query: request.sql.slice(0, 4096),
      startMs: Date.now(),
      address: this.client.address ?? '',
      interface: this.client.interface,
      progress,
      controller,
    };
    this.engine.queries.register(running);
    const finish = () => {
      // Anything still waiting below (a streaming read parked on the log after LIMIT ended the query) stops.
      if (!controller.signal.aborted) controller.abort(new DbError('QUERY_WAS_CANCELLED', 'Query finished'));
      this.engine.queries.unregister(queryId, running);
      request.signal?.removeEventListener('abort', onAbort);
    };
    try {
      const maxSize = settingNumber(this.mergedSettings(request.settings), 'max_query_size', 262144);
      let statement: Statement;
      statement = parseStatement(request.sql);
      if (statement.kind === 'recover') {
        // RECOVER FROM 'id' runs the recorded SUBSCRIBE statement again, under the original query id.
        finish();
        const re = await subscriptionsOf(this.engine).recoverRequest(statement.queryId, request);
        await this.engine.queries.whenCancelledEnded(re.request.queryId!, 10_000);
        return await new SessionImpl(this.engine, this.user, this.client, re.database).execute(re.request);
      }
      if (statement.kind !== 'insert' && request.sql.length > Math.max(maxSize, 262144) * 1024) {
        throw new DbError('QUERY_IS_TOO_LARGE', `Query is too large (${request.sql.length}). max_query_size = ${maxSize}`);
      }
      // CREATE … SETTINGS are the table's settings, not the query's.
      const stmtSettings = (statement.kind !== 'create_table' && statement.kind !== 'create_view' && 'settings' in statement && statement.settings) || undefined;
      const settings = this.mergedSettings(request.settings, stmtSettings as Record<string, unknown> | undefined);
      if ((settings.get('readonly') === '1' || request.readonlyRequest) && !READ_ONLY_KINDS.has(statement.kind)) {
        throw new DbError('READONLY', 'Cannot execute query in readonly mode');
      }
      const timezone = settings.get('session_timezone') || this.engine.timezone;
      const fn: FunctionContext = {
        timezone,
        queryStartMs: running.startMs,
        currentUser: this.user,
        currentDatabase: this.database,
        settings,
        server: this.engine.serverFacts,
        functionStates: [],
      };
      const maxTime = settingNumber(settings, 'max_execution_time', 0);
      if (settings.has('max_block_size') && settingNumber(settings, 'max_block_size', 1) <= 0) {
        throw new DbError('PARAMETER_OUT_OF_BOUND', 'Setting max_block_size cannot be zero');
      }
      const qctx: QueryContext = {
        queryId,
        signal: controller.signal,
        progress,
        fn,
        settings,
        deadlineMs: maxTime > 0 ? running.startMs + maxTime * 1000 : Infinity,
        blockRows: Math.max(1, Math.min(settingNumber(settings, 'max_block_size', 65409), 1 << 20)),
        startMs: running.startMs,
        maxMemory: settingNumber(settings, 'max_memory_usage', 0),
        // Reading RSS costs a system call: only queries with a memory limit need the baseline.
        rssAtStart: settingNumber(settings, 'max_memory_usage', 0) > 0 ? process.memoryUsage.rss() : 0,
      };
      const extras: QueryExtras = {};
      const external = request.externalTables?.length ? await externalTableEntries(request.externalTables) : undefined;
      const ictx = this.interpreterContext(request, qctx, fn, settings, external);
      const result = await this.dispatch(ictx, statement, extras);
      const format = 'format' in statement ? (statement.format as string | undefined) : undefined;
      const extremes = result.hasResultSet && settings.get('extremes') === '1' ? new ExtremesTracker(result.header) : undefined;
      const limited = result.hasResultSet ? this.withLimits(result.blocks, settings, qctx, finish, extremes) : drain(result.blocks, finish);
      return {
        queryId,
        header: result.header,
        hasResultSet: result.hasResultSet,
        format,
        isStreaming: !!result.isStreaming,
        blocks: limited,
        totals: () => (extras.totals && extras.projectTotals ? extras.projectTotals(extras.totals) : extras.totals),
        extremes: () => extremes?.result(),
        rowsBeforeLimit: () => extras.limitNode?.rowsBefore,
        progress,
        timezone,
      };
    } catch (e) {
      finish();
      throw toDbError(e);
    }
  }

  private mergedSettings(perQuery?: ReadonlyMap<string, string>, inQuery?: Record<string, unknown>): Map<string, string> {
    const m = new Map(this.sessionSettings);
    // Postgres and MySQL clients (psql, BI tools, ORMs) buffer whole result sets: stream reads are historical
    // there unless the session asks for query_mode = 'streaming'. Native, HTTP and REST stream.
    if (!m.has('query_mode') && (this.client.interface === 'postgres' || this.client.interface === 'mysql')) m.set('query_mode', 'table');
    for (const [k, v] of perQuery ?? []) m.set(k, v);
    for (const [k, v] of Object.entries(inQuery ?? {})) {
      checkSetting(k);
      m.set(k, valueToSettingText(v));
    }
    return m;
  }

  private async *withLimits(
    blocks: AsyncIterable<Block>,
    settings: ReadonlyMap<string, string>,
    ctx: QueryContext,
    finish: () => void,
    extremes?: ExtremesTracker,
  ): AsyncIterable<Block> {
    const maxRows = settingNumber(settings, 'max_result_rows', 0);
    const breakMode = settings.get('result_overflow_mode') === 'break';
    try {
      for await (const b of blocks) {
        if (ctx.signal.aborted) throw new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled');
        ctx.progress.resultRows += b.rows;
        ctx.progress.resultBytes += b.byteSize;
        if (maxRows > 0 && ctx.progress.resultRows > maxRows) {
          if (breakMode) {
            extremes?.add(b);
            yield b;
            return;
          }
          throw new DbError('TOO_MANY_ROWS_OR_BYTES', `Limit for result exceeded, max rows: ${maxRows}, current rows: ${ctx.progress.resultRows}`);
        }
        extremes?.add(b);
        yield b;
      }
    } catch (e) {
      throw toDbError(e);
    } finally {
      finish();
    }
  }

  private interpreterContext(
    request: QueryRequest,
    query: QueryContext,
    fn: FunctionContext,
    settings: ReadonlyMap<string, string>,
    external?: ReadonlyMap<string, TableEntry>,
  ): InterpreterContext {
    const engine = this.engine;
    const planner: PlannerEnv = {
      functions: engine.functions,
      fnCtx: fn,
      params: request.params ?? new Map(),
      settings,
      currentDatabase: this.database,
      lookupTable: (db, name) =>
        (db === undefined || db === '_temporary_and_external_tables' ? (external?.get(name) ?? this.temporaryTables.get(name)) : undefined) ??
        engine.catalog.table(db ?? this.database, name),
      databaseExists: (name) => engine.catalog.databases.has(name),
      systemTable: (db, name) => systemTable(engine.systemContext(this, settings), db, name),
      runToBlock: async (node: PlanNode) => concatBlocks(node.header, await collectBlocks(node, query)),
      parseQuery: (sql) => parseStatement(sql) as Query,
    };
    return {
      sql: request.sql,
      request,
      query,
      fn,
      functions: engine.functions,
      catalog: engine.catalog,
      planner,
      settings,
      currentDatabase: this.database,
      createStorage: (entry) => engine.createStorage(entry),
      setDatabase: (db) => (this.database = db),
      setSettings: (values) => {
        for (const [k, v] of values) this.sessionSettings.set(k, v);
      },
      temporaryTables: this.temporaryTables,
    };
  }

  private async dispatch(ctx: InterpreterContext, st: Statement, extras: QueryExtras): Promise<StatementResult> {
    switch (st.kind) {
      case 'select':
      case 'set_operation': {
        const node = await new QueryPlanner(ctx.planner, extras).plan(st);
        if (st.subscribe) {
          const sc = { queryId: ctx.query.queryId, sql: ctx.sql, database: ctx.currentDatabase, user: this.user, settings: ctx.settings, request: ctx.request, query: ctx.query };
          return { header: node.header, hasResultSet: true, blocks: await subscriptionsOf(this.engine).run(sc, node), isStreaming: isUnbounded(node) };
        }
        return { header: node.header, hasResultSet: true, blocks: node.run(ctx.query), isStreaming: isUnbounded(node) };
      }
      case 'insert':
        return insert(ctx, st);
      case 'create_database': {
        if (ctx.catalog.databases.has(st.name)) {
          if (st.ifNotExists) return noResult();
          throw new DbError('DATABASE_ALREADY_EXISTS', `Database ${st.name} already exists`);
        }
        await ctx.catalog.createDatabase(st.name, st.engine?.name ?? 'Atomic', st.comment ?? '');
        return noResult();
      }
      case 'create_table':
        return createTable(ctx, st);
      case 'create_view':
        return createView(ctx, st);
      case 'drop':
        return drop(ctx, st);
      case 'truncate':
        return truncate(ctx, st);
      case 'rename':
        return rename(ctx, st);
      case 'alter':
        return alter(ctx, st);
      case 'use':
        ctx.catalog.database(st.database);
        ctx.setDatabase(st.database);
        return noResult();
      case 'set': {
        const values = new Map<string, string>();
        for (const [k, v] of Object.entries(st.settings)) {
          checkSetting(k);
          values.set(k, valueToSettingText(v));
        }
        if (ctx.settings.get('readonly') === '1' && [...values.keys()].some((k) => k !== 'readonly' || values.get(k) !== '1')) {
          throw new DbError('READONLY', 'Cannot modify settings in readonly mode');
        }
        ctx.setSettings(values);
        return noResult();
      }
      case 'show': {
        if (st.what === 'CREATE') return showCreate(ctx, st);
        const sql = showAsQuery(ctx, st);
        if (!sql) throw new DbError('NOT_IMPLEMENTED', `SHOW ${st.what} is not supported yet`);
        const node = await new QueryPlanner(ctx.planner, extras).plan(parseStatement(sql) as Query);
        return { header: node.header, hasResultSet: true, blocks: node.run(ctx.query) };
      }
      case 'describe':
        return describe(ctx, st);
      case 'exists':
        return exists(ctx, st);
      case 'explain': {
        let lines: string[];
        if (st.explainKind === 'AST' || st.explainKind === 'SYNTAX') lines = formatStatement(st.statement).split('\n');
        else if (st.statement.kind === 'select' || st.statement.kind === 'set_operation') {
          lines = explainPlan(await new QueryPlanner(ctx.planner).plan(st.statement));
        } else throw new DbError('NOT_IMPLEMENTED', `EXPLAIN ${st.explainKind} of ${st.statement.kind} is not supported`);
        const header = [{ name: 'explain', type: T.String }];
        return rowsResult(header, [new Block(header, [columnFromValues(T.String, lines)], lines.length)]);
      }
      case 'kill_query': {
        const node = await new QueryPlanner(ctx.planner).plan(parseStatement(`SELECT query_id FROM system.processes WHERE ${formatExpr(st.where)}`) as Query);
        const ids: string[] = [];
        for await (const b of node.run(ctx.query)) for (const r of b.toRows()) ids.push(r[0] as string);
        for (const id of ids) if (id !== ctx.query.queryId) this.engine.queries.cancel(id);
        const header = [{ name: 'kill_status', type: T.String }, { name: 'query_id', type: T.String }];
        return rowsResult(header, [new Block(header, [columnFromValues(T.String, ids.map(() => 'finished')), columnFromValues(T.String, ids)], ids.length)]);
      }
      case 'optimize': {
        const entry = ctx.catalog.requireTable(st.target.database ?? ctx.currentDatabase, st.target.name);
        await entry.storage?.optimize(st.final);
        return noResult();
      }
      case 'delete': {
        const entry = ctx.catalog.requireTable(st.target.database ?? ctx.currentDatabase, st.target.name);
        await deleteRows(ctx, entry, st.where);
        return noResult();
      }
      case 'create_function':
        return createFunction(ctx, st);
      case 'unsubscribe':
        await subscriptionsOf(this.engine).unsubscribe(st.queryId, (id) => this.engine.queries.cancel(id));
        return noResult();
      case 'recover':
        throw new DbError('LOGICAL_ERROR', 'RECOVER is handled before dispatch');
      case 'system':
        return noResult();
    }
  }
}


async function* drain(blocks: AsyncIterable<Block>, finish: () => void): AsyncIterable<Block> {
  try {
    for await (const _ of blocks) {
      /* statements without a result set have nothing to yield */
    }
  } finally {
    finish();
  }
}

