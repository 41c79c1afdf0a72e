import { randomUUID } from 'node:crypto';
import type { Query } from '../sql/ast.js';
import { parseStatement } from '../sql/index.js';
import { DbError } from '../errors/index.js';
import { Block, concatBlocks } from '../core/block.js';
import type { TableEntry } from '../catalog/table-entry.js';
import type { FunctionContext } from '../functions/function.js';
import type { QueryContext } from '../exec/query-context.js';
import { settingNumber } from '../exec/query-context.js';
import { QueryPlanner } from '../planner/select-planner.js';
import { collectBlocks, type PlanNode } from '../planner/plan-node.js';
import type { PlannerEnv } from '../planner/planner-env.js';
import { systemTable } from '../catalog/system/system-tables.js';
import type { MaterializedViewHost } from '../streaming/materialized-view-runner.js';
import { newProgress } from './query-registry.js';
import { SessionImpl } from './session.js';
import { materializedViewSettings } from '../streaming/materialized-view-ddl.js';
import type { InterpreterContext } from './interpreters/interpreter-context.js';
import { completeBlock } from './interpreters/insert.js';
import type { Engine } from './engine.js';

/** How the engine plans and writes for its materialized views (a background session per view). */
export function createMaterializedViewHost(engine: Engine): MaterializedViewHost {
  const contexts = new WeakMap<TableEntry, InterpreterContext>();
  const fnContext = (database: string, settings: ReadonlyMap<string, string>): FunctionContext => ({
    timezone: settings.get('session_timezone') || engine.timezone,
    queryStartMs: Date.now(),
    currentUser: 'default',
    currentDatabase: database,
    settings,
    server: engine.serverFacts,
    functionStates: [],
  });
  return {
    dataDir: engine.config.dataDir,

    async plan(entry, signal) {
      const query = parseStatement(entry.viewQuery ?? '') as Query;
      if (query.kind !== 'select' && query.kind !== 'set_operation') throw new DbError('INCORRECT_QUERY', `Materialized view ${entry.database}.${entry.name} has no SELECT`);
      const settings = materializedViewSettings(query);
      const session = new SessionImpl(engine, 'default', { interface: 'http', clientName: 'materialized view' }, entry.database);
      const fn = fnContext(entry.database, settings);
      const ctx: QueryContext = {
        queryId: `.inner.query-id.from-${entry.uuid}-${randomUUID()}`,
        signal,
        progress: newProgress(),
        fn,
        settings,
        deadlineMs: Infinity,
        blockRows: Math.max(1, Math.min(settingNumber(settings, 'max_block_size', 65409), 1 << 20)),
        startMs: Date.now(),
        maxMemory: 0,
        rssAtStart: 0,
      };
      const planner: PlannerEnv = {
        functions: engine.functions,
        fnCtx: fn,
        params: new Map(),
        settings,
        currentDatabase: entry.database,
        lookupTable: (db, name) => engine.catalog.table(db ?? entry.database, name),
        databaseExists: (name) => engine.catalog.databases.has(name),
        systemTable: (db, name) => systemTable(engine.systemContext(session, settings), db, name),
        runToBlock: async (node: PlanNode) => concatBlocks(node.header, await collectBlocks(node, ctx)),
        parseQuery: (sql) => parseStatement(sql) as Query,
      };
      contexts.set(entry, {
        sql: entry.viewQuery ?? '',
        request: { sql: entry.viewQuery ?? '' },
        query: ctx,
        fn,
        functions: engine.functions,
        catalog: engine.catalog,
        planner,
        settings,
        currentDatabase: entry.database,
        createStorage: (e) => engine.createStorage(e),
        setDatabase: () => undefined,
        setSettings: () => undefined,
        temporaryTables: new Map(),
      });
      const node = await new QueryPlanner(planner).plan(query);
      return { node, ctx };
    },

    target(entry) {
      if (!entry.target) return entry;
      const t = engine.catalog.table(entry.target.database, entry.target.name);
      if (!t?.storage) throw new DbError('UNKNOWN_TABLE', `Target stream ${entry.target.database}.${entry.target.name} of materialized view ${entry.database}.${entry.name} does not exist`);
      return t;
    },

    async write(view, target, block) {
      const ictx = contexts.get(view);
      if (!ictx) throw new DbError('LOGICAL_ERROR', `Materialized view ${view.database}.${view.name} writes before its query was planned`);
      if (!target.storage) throw new DbError('UNKNOWN_TABLE', `Table ${target.database}.${target.name} no longer exists`);
      // Columns matched by name; target columns the query does not produce get their defaults (_tp_time).
      const known = new Set(target.columns.map((c) => c.name));
      const keep = block.header.map((c, i) => (known.has(c.name) ? i : -1)).filter((i) => i >= 0);
      const supplied = keep.length === block.header.length ? block : new Block(keep.map((i) => block.header[i]!), keep.map((i) => block.columns[i]!), block.rows);
      // A fresh query time per write: `_tp_time DEFAULT now64(3)` stamps each emission when it is written.
      const full = completeBlock({ ...ictx, fn: { ...ictx.fn, queryStartMs: Date.now() } }, target, supplied, new Set());
      await target.storage.insert(full);
      ictx.query.progress.writtenRows += full.rows;
    },
  };
}
