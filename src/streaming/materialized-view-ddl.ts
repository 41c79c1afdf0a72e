import type { CreateViewStatement, Query } from '../sql/ast.js';
import { formatQuery, formatStatement } from '../sql/index.js';
import { DbError } from '../errors/index.js';
import { Catalog } from '../catalog/catalog.js';
import type { ColumnMeta, TableEntry } from '../catalog/table-entry.js';
import { dateTime64Type } from '../types/data-type.js';
import { isUnbounded } from '../planner/plan-node.js';
import { settingBool } from '../exec/query-context.js';
import type { InterpreterContext } from '../server/interpreters/interpreter-context.js';
import { valueToSettingText } from '../server/setting-text.js';
import { checkSetting } from '../server/settings.js';
import { checkMaterializedViewPlan } from './materialized-view-runner.js';
import { materializedViewsOf, tablesReadBy, type MaterializedViews } from './materialized-views.js';

const RESERVED_TIME = '_tp_time';
const READY_TIMEOUT_MS = 30_000;

function views(ctx: InterpreterContext): MaterializedViews {
  const mv = materializedViewsOf(ctx.catalog);
  if (!mv) throw new DbError('NOT_IMPLEMENTED', 'Materialized views need a running engine');
  return mv;
}

/** The settings a materialized view's query runs with: its own SETTINGS clause, always as a streaming query. */
export function materializedViewSettings(query: Query, base: ReadonlyMap<string, string> = new Map()): Map<string, string> {
  const m = new Map(base);
  for (const [k, v] of Object.entries(query.settings ?? {})) m.set(k, valueToSettingText(v));
  m.set('query_mode', 'streaming');
  return m;
}

/**
 * `CREATE MATERIALIZED VIEW [IF NOT EXISTS] mv [INTO target] AS SELECT …` (Proton): the query must be a
 * streaming query; without INTO the view gets its own stream storage (the query's columns plus `_tp_time`).
 * The view starts at once and runs in the background until dropped, across restarts.
 */
export async function createMaterializedView(ctx: InterpreterContext, st: CreateViewStatement, database: string): Promise<void> {
  const mvs = views(ctx);
  const name = st.view.name;
  if (st.populate) throw new DbError('NOT_IMPLEMENTED', "POPULATE is not supported: a materialized view over a stream reads history with SETTINGS seek_to = 'earliest'");
  for (const k of Object.keys(st.query.settings ?? {})) checkSetting(k);
  const { QueryPlanner } = await import('../planner/select-planner.js');
  const node = await new QueryPlanner({ ...ctx.planner, settings: materializedViewSettings(st.query, ctx.settings) }).plan(st.query);
  if (!isUnbounded(node)) throw new DbError('INCORRECT_QUERY', "Materialized view doesn't support historical select query");
  checkMaterializedViewPlan(node);
  for (const [d, n] of tablesReadBy(st.query, database)) {
    if (d === database && n === name) throw new DbError('INCORRECT_QUERY', `MaterializedView ${database}.${name} cannot select from itself`);
  }
  const names = new Set<string>();
  for (const c of node.header) {
    if (names.has(c.name)) throw new DbError('DUPLICATE_COLUMN', `Column ${c.name} appears twice in the materialized view's query: give it an alias`);
    names.add(c.name);
  }
  let target: TableEntry | undefined;
  if (st.target) {
    const tdb = st.target.database ?? ctx.currentDatabase;
    if (tdb === database && st.target.name === name) throw new DbError('BAD_ARGUMENTS', `Materialized view ${database}.${name} cannot point to itself`);
    target = ctx.catalog.table(tdb, st.target.name);
    if (!target) throw new DbError('UNKNOWN_TABLE', `Target stream ${tdb}.${st.target.name} does not exist`);
    if (!target.storage || target.kind === 'materialized_view') {
      throw new DbError('NOT_IMPLEMENTED', `MaterializedView doesn't support target storage is ${target.engine}`);
    }
    for (const c of node.header) {
      if (!target.columns.some((t) => t.name === c.name)) {
        throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `Column ${c.name} of the materialized view's query is not in target ${tdb}.${target.name}: the query's columns are written by name`);
      }
    }
  }
  const columns: ColumnMeta[] = node.header.map((c) => ({ name: c.name, type: c.type, hidden: c.name.startsWith('_tp_') }));
  if (!target && !names.has(RESERVED_TIME)) {
    columns.push({ name: RESERVED_TIME, type: dateTime64Type(3, 'UTC'), defaultKind: 'DEFAULT', defaultExpr: "now64(3, 'UTC')", hidden: true });
  }
  const entry: TableEntry = {
    database,
    name,
    uuid: Catalog.newUuid(),
    kind: 'materialized_view',
    engine: 'MaterializedView',
    engineArgs: [],
    columns,
    orderBy: target ? [] : [RESERVED_TIME],
    primaryKey: [],
    ttl: [],
    settings: {},
    comment: st.comment ?? '',
    viewQuery: formatQuery(st.query),
    target: target ? { database: target.database, name: target.name } : undefined,
    createQuery: formatStatement({ ...st, ifNotExists: false, orReplace: false }),
    metadataModificationTimeMs: Date.now(),
  };
  if (!target) entry.storage = await ctx.createStorage(entry);
  await ctx.catalog.saveTable(entry);
  // Like Proton, CREATE returns once the background query runs (and, from 'latest', once its start is durable).
  const runner = mvs.start(entry);
  let timer: NodeJS.Timeout | undefined;
  try {
    // Bounded: a view whose source never reports a position still gets created (it shows in system.materialized_views).
    await Promise.race([runner.ready, new Promise<void>((resolve) => (timer = setTimeout(resolve, READY_TIMEOUT_MS)))]);
  } catch (e) {
    await mvs.drop(entry);
    await ctx.catalog.removeTable(entry.database, entry.name);
    await entry.storage?.drop();
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/** DROP of a materialized view: its background query stops and its checkpoint goes (the caller drops storage). */
export async function dropMaterializedView(ctx: InterpreterContext, entry: TableEntry): Promise<void> {
  await materializedViewsOf(ctx.catalog)?.drop(entry);
}

/**
 * Proton refuses to drop or rename a stream or view that views or materialized views read or write into
 * (HAVE_DEPENDENT_OBJECTS) unless `enable_dependency_check = false`.
 */
export function checkNoDependentViews(ctx: InterpreterContext, entries: readonly TableEntry[]): void {
  if (!settingBool(ctx.settings, 'enable_dependency_check', true)) return;
  const mvs = materializedViewsOf(ctx.catalog);
  if (!mvs) return;
  const dropping = new Set(entries.map((e) => `${e.database}.${e.name}`));
  for (const e of entries) {
    // ClickHouse tables keep ClickHouse's behaviour: plain views over them do not block a DROP or RENAME.
    const deps = mvs
      .dependents(e.database, e.name)
      .filter((d) => !dropping.has(`${d.view.database}.${d.view.name}`) && (e.kind !== 'table' || d.view.kind === 'materialized_view'));
    if (deps.length) {
      throw new DbError(
        'HAVE_DEPENDENT_OBJECTS',
        `Cannot drop or rename ${e.database}.${e.name}, because some tables depend on it: ${deps.map((d) => `${d.view.database}.${d.view.name}`).join(', ')}`,
      );
    }
  }
}
