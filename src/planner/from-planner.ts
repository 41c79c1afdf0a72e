import type { Expr, FromItem, JoinRef, Query, TableFunctionRef, TableRef } from '../sql/ast.js';
import { DbError } from '../errors/index.js';
import { Scope, type ScopeColumn } from '../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../analyzer/expression-compiler.js';
import { exprName } from '../analyzer/column-name.js';
import { baseType, nullableType, type DataType } from '../types/data-type.js';
import { settingBool } from '../exec/query-context.js';
import { BlocksSource, NumbersSource, OneRowSource } from '../exec/operators/sources.js';
import { Block } from '../core/block.js';
import { columnFromValues } from '../columns/builder.js';
import { parseStructure } from '../types/structure.js';
import { leastSupertype } from '../types/supertype.js';
import { ArrayJoinNode } from '../exec/operators/array-join.js';
import { HashJoinNode } from '../exec/operators/join.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import type { PlanNode } from './plan-node.js';
import type { PlannerEnv } from './planner-env.js';
import { PruningScan } from './pruning-scan.js';
import type { Value } from '../columns/values.js';
import type { TableEntry } from '../catalog/table-entry.js';
import { StreamingScan } from '../streaming/stream-scan.js';
import { DELTA_COLUMN, IMPLICIT_DELTA, isKeyed, streamModeOf } from '../streaming/stream-mode.js';
import { KeyedStreamScan } from '../streaming/changelog/keyed-stream-scan.js';
import { ChangelogConvertNode } from '../streaming/changelog/changelog-convert.js';
import { LatestPerKeyNode } from '../streaming/changelog/latest-per-key.js';
import { parseSeekTo } from '../streaming/seek-to.js';
import { externalReadStorage } from '../external/index.js';
import { planWindowTableFunction, windowScope, windowSourceItem } from '../streaming/window-table-functions.js';
import { planDedup } from '../streaming/dedup.js';
import { planRandomStream } from '../streaming/random-stream.js';
import { planStreamingJoin } from '../streaming/join/plan-streaming-join.js';
import { identifiersOf } from '../analyzer/identifiers.js';
import { callsAggregates } from './collect.js';

export interface PlannedFrom {
  node: PlanNode;
  scope: Scope;
}

/** Plans a subquery; `historical` (inside table()) reads the streams it names as bounded tables. */
export type PlanQueryFn = (q: Query, ctes: ReadonlyMap<string, Query>, historical?: boolean) => Promise<PlanNode>;

const emptySubqueries = { get: () => undefined };

export function constantArgs(env: PlannerEnv, args: readonly Expr[]): Value[] {
  const cenv: CompileEnv = { functions: env.functions, fnCtx: env.fnCtx, params: env.params, subqueries: emptySubqueries };
  const scope = new Scope([]);
  return args.map((a) => {
    if (a.kind === 'identifier') return a.parts.join('.');
    const c = compileExpression(cenv, scope, a);
    if (!c.constant) throw new DbError('BAD_ARGUMENTS', `Argument ${exprName(a)} of a table function must be constant`);
    return c.constant.value;
  });
}

function scopeFor(node: PlanNode, qualifiers: string[], hiddenNames: ReadonlySet<string> = new Set(), onUse?: (name: string) => void): Scope {
  return new Scope(
    node.header.map((c, index) => ({
      name: c.name,
      shortName: c.name,
      type: c.type,
      index,
      qualifiers,
      hidden: hiddenNames.has(c.name),
      onUse: onUse ? () => onUse(c.name) : undefined,
    })),
  );
}

export async function planFrom(item: FromItem, env: PlannerEnv, ctes: ReadonlyMap<string, Query>, planQuery: PlanQueryFn): Promise<PlannedFrom> {
  switch (item.kind) {
    case 'table':
      return planTable(item, env, ctes, planQuery);
    case 'table_function':
      return planTableFunction(item, env, ctes, planQuery);
    case 'subquery': {
      const node = await planQuery(item.query, ctes);
      // A changelog's `_tp_delta` passes through a subquery that did not select it: usable above, not in `*`.
      const hidden = IMPLICIT_DELTA.has(node) ? new Set([DELTA_COLUMN]) : undefined;
      return { node, scope: scopeFor(node, item.alias ? [item.alias] : [], hidden) };
    }
    case 'join':
      return planJoin(item, env, ctes, planQuery);
    case 'array_join': {
      const left = item.left ? await planFrom(item.left, env, ctes, planQuery) : { node: new OneRowSource(), scope: Scope.fromHeader(new OneRowSource().header) };
      const cenv: CompileEnv = { functions: env.functions, fnCtx: env.fnCtx, params: env.params, subqueries: emptySubqueries };
      const arrays: CompiledExpr[] = [];
      const names: string[] = [];
      for (const e of item.exprs) {
        arrays.push(compileExpression(cenv, left.scope, { ...e, alias: undefined }));
        names.push(e.alias ?? exprName(e));
      }
      const node = new ArrayJoinNode(left.node, arrays, names, item.isLeft);
      const width = left.node.header.length;
      // Element columns come first in the scope so that an un-aliased `ARRAY JOIN arr` shadows `arr`.
      const elementCols: ScopeColumn[] = names.map((n, i) => {
        const src = item.exprs[i]!;
        const qualifiers = src.kind === 'identifier' && !src.alias ? (left.scope.resolve(src.parts)?.qualifiers ?? []) : [];
        return { name: n, shortName: n, type: node.header[width + i]!.type, index: width + i, qualifiers };
      });
      return { node, scope: new Scope([...elementCols, ...left.scope.columns]) };
    }
  }
}

/** A stream read directly (not through table()) is unbounded unless the query asks for query_mode='table'. */
function readsAsStream(entry: TableEntry, env: PlannerEnv, historical: boolean): boolean {
  if (historical || (env.settings.get('query_mode') ?? '').toLowerCase() === 'table') return false;
  return entry.kind === 'stream' || entry.kind === 'external_stream' || (entry.kind === 'materialized_view' && !!entry.storage);
}

/**
 * As Proton's TableFunctionHist: table() reads a CTE or a view as the bounded rows of its query, which an
 * aggregation does not have (its result over a stream is a sequence of emissions), so it is refused.
 */
function refuseAggregatingSource(ref: TableRef, env: PlannerEnv, ctes: ReadonlyMap<string, Query>): void {
  const cte = !ref.database ? ctes.get(ref.name) : undefined;
  const entry = cte ? undefined : env.lookupTable(ref.database, ref.name);
  const query = cte ?? (entry?.kind === 'view' && entry.viewQuery ? env.parseQuery(entry.viewQuery) : undefined);
  if (!query || !aggregates(query, env)) return;
  const what = cte ? 'subquery' : 'view';
  throw new DbError('BAD_ARGUMENTS', `table function only can be applied to ${what} on non-aggregation query '${ref.database ? `${ref.database}.` : ''}${ref.name}'`);
}

function aggregates(q: Query, env: PlannerEnv): boolean {
  if (q.kind === 'set_operation') return aggregates(q.left, env) || aggregates(q.right, env);
  if (q.kind !== 'select') return false;
  if (q.groupBy?.length || q.groupByAll) return true;
  return callsAggregates(q, env.functions);
}

async function planTable(item: TableRef, env: PlannerEnv, ctes: ReadonlyMap<string, Query>, planQuery: PlanQueryFn, historical = false): Promise<PlannedFrom> {
  const alias = item.alias;
  if (!item.database && ctes.has(item.name)) {
    const node = await planQuery(ctes.get(item.name)!, ctes, historical);
    return { node, scope: scopeFor(node, [alias ?? item.name]) };
  }
  const db = item.database ?? env.currentDatabase;
  const sys = env.systemTable(db, item.name);
  if (sys) return { node: sys, scope: scopeFor(sys, [alias ?? item.name, `${db}.${item.name}`]) };
  const entry = env.lookupTable(item.database, item.name);
  if (!entry && item.database && !env.databaseExists(item.database)) throw new DbError('UNKNOWN_DATABASE', `Database ${item.database} does not exist`);
  if (!entry) {
    if (!item.database && item.name === 'one') return { node: new OneRowSource(), scope: Scope.fromHeader(new OneRowSource().header) };
    throw new DbError('UNKNOWN_TABLE', `Table ${db}.${item.name} does not exist`);
  }
  const qualifiers = [alias ?? item.name, `${entry.database}.${entry.name}`];
  if (entry.kind === 'view' || (entry.kind === 'materialized_view' && !entry.storage)) {
    if (entry.kind === 'materialized_view' && entry.target) {
      return planTable({ kind: 'table', database: entry.target.database, name: entry.target.name, alias: alias ?? item.name }, env, ctes, planQuery, historical);
    }
    const node = await planQuery(env.parseQuery(entry.viewQuery ?? 'SELECT 1'), new Map(), historical);
    return { node, scope: scopeFor(node, qualifiers, IMPLICIT_DELTA.has(node) ? new Set([DELTA_COLUMN]) : undefined) };
  }
  if (entry.kind === 'random_stream') {
    const historicalRead = historical || (env.settings.get('query_mode') ?? '').toLowerCase() === 'table';
    const node = planRandomStream(entry, env, undefined, !historicalRead);
    const hidden = settingBool(env.settings, 'asterisk_include_reserved_columns', false) ? new Set<string>() : node.hiddenColumns;
    return { node, scope: scopeFor(node, qualifiers, hidden, (n) => node.used.add(n)) };
  }
  if (!entry.storage) throw new DbError('UNKNOWN_TABLE', `Table ${entry.database}.${entry.name} has no storage`);
  if (item.final && !entry.engine.endsWith('MergeTree') && entry.engine !== 'Stream') {
    throw new DbError('ILLEGAL_FINAL', `Storage ${entry.engine} doesn't support FINAL`);
  }
  const header = entry.columns.filter((c) => c.defaultKind !== 'ALIAS' && c.defaultKind !== 'EPHEMERAL').map((c) => ({ name: c.name, type: c.type }));
  const hiddenCols = new Set(entry.columns.filter((c) => c.hidden || c.defaultKind === 'MATERIALIZED').map((c) => c.name));
  if (settingBool(env.settings, 'asterisk_include_reserved_columns', false)) hiddenCols.clear();
  const mode = streamModeOf(entry);
  const keyed = isKeyed(mode.mode);
  const keyColumns = [...mode.primaryKey, mode.versionColumn, DELTA_COLUMN];
  // Kafka external streams: a query's `shards` and per-partition `seek_to` offsets (src/external).
  const storage = entry.kind === 'external_stream' ? externalReadStorage(entry.storage, env.settings) : entry.storage;
  if (readsAsStream(entry, env, historical)) {
    const scan = new StreamingScan(`${entry.database}.${entry.name}`, storage, header);
    const time = header.find((c) => c.name === '_tp_time');
    const seekTo = env.settings.get('seek_to') ?? '';
    if (time) scan.start = parseSeekTo(seekTo, time.type, env.fnCtx.timezone, Date.now());
    else if (seekTo === 'earliest') scan.start = { kind: 'earliest' };
    scan.changelog = mode.mode === 'changelog';
    if (!keyed) return { node: scan, scope: scopeFor(scan, qualifiers, hiddenCols, (n) => scan.used.add(n)) };
    // Key-value streams always backfill their current state (Proton's STREAMING_CONCAT), unless seek_to says otherwise.
    if (!seekTo) scan.start = { kind: 'earliest' };
    for (const c of keyColumns) scan.used.add(c);
    let node: PlanNode = new KeyedStreamScan(
      scan,
      mode.primaryKey,
      mode.versionColumn,
      DELTA_COLUMN,
      mode.mode === 'changelog_kv',
    );
    if (mode.mode === 'versioned_kv') node = new ChangelogConvertNode(node, mode.primaryKey, mode.versionColumn, false);
    return { node, scope: scopeFor(node, qualifiers, hiddenCols, (n) => scan.used.add(n)) };
  }
  const scan = new PruningScan(`${entry.database}.${entry.name}`, storage, header, !!item.final);
  const hidden = new Set(entry.columns.filter((c) => c.hidden || c.defaultKind === 'MATERIALIZED').map((c) => c.name));
  if (settingBool(env.settings, 'asterisk_include_reserved_columns', false)) hidden.clear();
  if (keyed) {
    // A key-value stream's history is each key's latest live row (merge on read; changelog_kv collapses).
    for (const c of keyColumns) scan.used.add(c);
    const collapse = mode.mode === 'changelog_kv';
    const node = new LatestPerKeyNode(scan, mode.primaryKey, mode.versionColumn, DELTA_COLUMN, collapse);
    return { node, scope: scopeFor(node, qualifiers, hidden, (n) => scan.used.add(n)) };
  }
  return { node: scan, scope: scopeFor(scan, qualifiers, hidden, (n) => scan.used.add(n)) };
}

/**
 * `changelog(stream, key…[, version, drop_late_rows])`: the stream's rows as a changelog keyed by the given
 * columns (a versioned_kv stream is keyed already). Adds `_tp_delta`.
 */
async function planChangelog(item: TableFunctionRef, env: PlannerEnv, ctes: ReadonlyMap<string, Query>, planQuery: PlanQueryFn): Promise<PlannedFrom> {
  const inner = await planFrom(windowSourceItem(item), env, ctes, planQuery);
  let args = item.args.slice(1);
  const last = args[args.length - 1];
  const dropLate = last?.kind === 'literal' && typeof last.value === 'boolean' ? last.value : undefined;
  if (dropLate !== undefined) args = args.slice(0, -1);
  const names = args.map((a) => {
    if (a.kind !== 'identifier') throw new DbError('BAD_ARGUMENTS', 'changelog() takes column names as key columns and version column');
    return a.parts[a.parts.length - 1]!;
  });
  // `changelog(s, k) AS b`: columns answer to b.x as well.
  const alias = item.alias;
  const qualify = (cols: readonly ScopeColumn[]): ScopeColumn[] => (alias ? cols.map((c) => ({ ...c, qualifiers: [...c.qualifiers, alias] })) : [...cols]);
  if (inner.node instanceof ChangelogConvertNode) {
    if (names.length) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'changelog() over a versioned_kv stream takes no key columns: the stream has its primary key');
    inner.node.tracking = true;
    return { node: inner.node, scope: new Scope(qualify(withDeltaVisible(inner.scope).columns)) };
  }
  if (inner.scope.columns.some((c) => c.name === DELTA_COLUMN)) throw new DbError('NOT_IMPLEMENTED', "`changelog` table function doesn't support changelog stream yet");
  if (!names.length) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'changelog(stream, key_col…[, version_col, drop_late_rows]) needs key columns');
  const keys = dropLate ? names.slice(0, -1) : names;
  // The key columns must be read even if the query does not name them.
  for (const n of names) inner.scope.resolve([n]);
  const node = new ChangelogConvertNode(inner.node, keys, dropLate ? names[names.length - 1] : undefined, true);
  const delta = { name: DELTA_COLUMN, shortName: DELTA_COLUMN, type: node.header[node.header.length - 1]!.type, index: node.header.length - 1, qualifiers: inner.scope.columns[0]?.qualifiers ?? [] };
  return { node, scope: new Scope(qualify([...inner.scope.columns, delta])) };
}

function withDeltaVisible(scope: Scope): Scope {
  return new Scope(scope.columns.map((c) => (c.name === DELTA_COLUMN ? { ...c, hidden: false } : c)));
}

async function planTableFunction(item: TableFunctionRef, env: PlannerEnv, ctes: ReadonlyMap<string, Query>, planQuery: PlanQueryFn): Promise<PlannedFrom> {
  const name = item.name.toLowerCase();
  const qualifiers = item.alias ? [item.alias] : [];
  const num = (v: Value): number => {
    const n = typeof v === 'bigint' ? Number(v) : Number(v);
    if (!Number.isFinite(n) || n < 0) throw new DbError('BAD_ARGUMENTS', `Table function ${item.name} expects non-negative numbers`);
    return n;
  };
  switch (name) {
    case 'numbers':
    case 'numbers_mt': {
      const a = constantArgs(env, item.args);
      const node = a.length >= 2 ? new NumbersSource(num(a[0]!), num(a[1]!), 'number', false, a[2] !== undefined ? num(a[2]) : 1) : new NumbersSource(0, a.length ? num(a[0]!) : Infinity);
      return { node, scope: scopeFor(node, qualifiers) };
    }
    case 'zeros':
    case 'zeros_mt': {
      const a = constantArgs(env, item.args);
      const node = new NumbersSource(0, a.length ? num(a[0]!) : Infinity, 'zero', true);
      return { node, scope: scopeFor(node, qualifiers) };
    }
    case 'table': {
      const target = item.args[0];
      if (!target || target.kind !== 'identifier') throw new DbError('BAD_ARGUMENTS', 'table() expects a stream or table name');
      const parts = target.parts;
      const ref: TableRef = parts.length > 1 ? { kind: 'table', database: parts[0], name: parts.slice(1).join('.'), alias: item.alias } : { kind: 'table', name: parts[0]!, alias: item.alias };
      refuseAggregatingSource(ref, env, ctes);
      return planTable(ref, env, ctes, planQuery, true);
    }
    case 'tumble':
    case 'hop':
    case 'session': {
      const inner = await planFrom(windowSourceItem(item), env, ctes, planQuery);
      const cenv: CompileEnv = { functions: env.functions, fnCtx: env.fnCtx, params: env.params, subqueries: emptySubqueries };
      const node = planWindowTableFunction(item, inner.node, inner.scope, cenv);
      return { node, scope: windowScope(node, inner.scope, item.alias) };
    }
    case 'changelog':
      return planChangelog(item, env, ctes, planQuery);
    case 'dedup': {
      const inner = await planFrom(windowSourceItem(item), env, ctes, planQuery);
      const cenv: CompileEnv = { functions: env.functions, fnCtx: env.fnCtx, params: env.params, subqueries: emptySubqueries };
      const node = planDedup(inner.node, inner.scope, item.args.slice(1), cenv);
      return { node, scope: inner.scope };
    }
    case 'values': {
      const node = valuesTable(env, item);
      return { node, scope: scopeFor(node, qualifiers) };
    }
    case 'view': {
      const q = item.args[0];
      if (!q || q.kind !== 'subquery') throw new DbError('BAD_ARGUMENTS', 'view() expects a subquery');
      const node = await planQuery(q.query, ctes);
      return { node, scope: scopeFor(node, qualifiers) };
    }
  }
  const custom = env.tableFunction?.(item, (e) => constantArgs(env, [e])[0]);
  if (custom) return { node: custom, scope: scopeFor(custom, qualifiers) };
  throw new DbError('UNKNOWN_FUNCTION', `Unknown table function ${item.name}`);
}

/**
 * `VALUES('a UInt8, b String', (1, 'x'), …)` or `VALUES((1, 'x'), …)` (columns c1…cN, types inferred as the
 * common type of each column's values).
 */
function valuesTable(env: PlannerEnv, item: TableFunctionRef): PlanNode {
  const cenv: CompileEnv = { functions: env.functions, fnCtx: env.fnCtx, params: env.params, subqueries: emptySubqueries };
  const empty = new Scope([]);
  let args = item.args;
  let declared: { name: string; type: DataType }[] | undefined;
  const first = args[0];
  if (first && first.kind === 'literal' && typeof first.value === 'string' && args.length > 1) {
    declared = parseStructure(first.value);
    args = args.slice(1);
  }
  const rows: Expr[][] = args.map((a) => (a.kind === 'function' && a.name.toLowerCase() === 'tuple' && (declared ? declared.length > 1 : true) ? a.args : [a]));
  const width = declared?.length ?? Math.max(0, ...rows.map((r) => r.length));
  if (!width || rows.some((r) => r.length !== width)) throw new DbError('BAD_ARGUMENTS', 'Table function VALUES needs rows of the same number of values');
  const types = declared?.map((d) => d.type) ?? Array.from({ length: width }, (_, c) => leastSupertype(rows.map((r) => compileExpression(cenv, empty, r[c]!).type)));
  const names = declared?.map((d) => d.name) ?? Array.from({ length: width }, (_, c) => `c${c + 1}`);
  const header = names.map((name, c) => ({ name, type: types[c]! }));
  const columns = header.map((h, c) =>
    columnFromValues(
      h.type,
      rows.map((r) => {
        const v = compileExpression(cenv, empty, { kind: 'function', name: 'CAST', args: [r[c]!, { kind: 'literal', value: h.type.name }] });
        if (!v.constant) throw new DbError('BAD_ARGUMENTS', 'Table function VALUES takes constant values only');
        return v.constant.value;
      }),
    ),
  );
  const block = new Block(header, columns, rows.length);
  return new BlocksSource(header, () => [block], 'Values');
}

/** Splits `a AND b AND …` into conjuncts. */
function conjuncts(e: Expr): Expr[] {
  if (e.kind === 'function' && e.name.toLowerCase() === 'and') return e.args.flatMap(conjuncts);
  return [e];
}

function refersOnlyTo(e: Expr, scope: Scope): boolean {
  return identifiersOf(e).every((parts) => scope.resolveQuiet(parts) !== undefined);
}

async function planJoin(item: JoinRef, env: PlannerEnv, ctes: ReadonlyMap<string, Query>, planQuery: PlanQueryFn): Promise<PlannedFrom> {
  const left = await planFrom(item.left, env, ctes, planQuery);
  const right = await planFrom(item.right, env, ctes, planQuery);
  const joinUseNulls = settingBool(env.settings, 'join_use_nulls', false);
  const kind = item.joinKind;
  const leftOuterNullable = joinUseNulls && (kind === 'RIGHT' || kind === 'FULL');
  const rightOuterNullable = joinUseNulls && (kind === 'LEFT' || kind === 'FULL');
  const canNull = (t: DataType) => !['Array', 'Map', 'Tuple', 'Nullable', 'LowCardinality'].includes(t.kind);
  const leftHeader = left.node.header;
  const rightHeader = right.node.header;
  const leftNames = new Set(leftHeader.map((c) => c.name));
  const rightQualifier = item.right.alias ?? (item.right.kind === 'table' ? item.right.name : '');
  const usingSet = new Set(item.using ?? []);

  const columns: ScopeColumn[] = [];
  const header = [];
  const leftNullable: boolean[] = [];
  const rightNullable: boolean[] = [];
  for (const c of left.scope.columns) {
    const nl = leftOuterNullable && canNull(c.type);
    leftNullable[c.index] = nl;
  }
  for (let i = 0; i < leftHeader.length; i++) {
    const t = leftHeader[i]!.type;
    header.push({ name: leftHeader[i]!.name, type: leftNullable[i] ? nullableType(t) : t });
  }
  for (const c of left.scope.columns) columns.push({ ...c, type: header[c.index]!.type });
  const width = leftHeader.length;
  for (let i = 0; i < rightHeader.length; i++) {
    const rc = rightHeader[i]!;
    const nl = rightOuterNullable && canNull(rc.type);
    rightNullable[i] = nl;
    const clash = leftNames.has(rc.name);
    const name = clash ? `${rightQualifier || 'right'}.${rc.name}` : rc.name;
    header.push({ name, type: nl ? nullableType(rc.type) : rc.type });
  }
  for (const c of right.scope.columns) {
    const clash = leftNames.has(c.name);
    columns.push({
      ...c,
      name: clash ? `${rightQualifier || 'right'}.${c.name}` : c.name,
      index: width + c.index,
      type: header[width + c.index]!.type,
      // USING columns show once, from the left side.
      hidden: c.hidden || usingSet.has(c.shortName),
    });
  }
  const scope = new Scope(columns);

  const cenvLeft: CompileEnv = { functions: env.functions, fnCtx: env.fnCtx, params: env.params, subqueries: emptySubqueries };
  const leftKeys: CompiledExpr[] = [];
  const rightKeys: CompiledExpr[] = [];
  const residual: Expr[] = [];
  if (item.using) {
    for (const name of item.using) {
      leftKeys.push(compileExpression(cenvLeft, left.scope, { kind: 'identifier', parts: [name] }));
      rightKeys.push(compileExpression(cenvLeft, right.scope, { kind: 'identifier', parts: [name] }));
    }
  } else if (item.on) {
    for (const c of conjuncts(item.on)) {
      if (c.kind === 'function' && c.name.toLowerCase() === 'equals' && c.args.length === 2) {
        const [a, b] = c.args as [Expr, Expr];
        if (refersOnlyTo(a, left.scope) && refersOnlyTo(b, right.scope) && !refersOnlyTo(a, right.scope)) {
          leftKeys.push(compileExpression(cenvLeft, left.scope, a));
          rightKeys.push(compileExpression(cenvLeft, right.scope, b));
          continue;
        }
        if (refersOnlyTo(b, left.scope) && refersOnlyTo(a, right.scope)) {
          leftKeys.push(compileExpression(cenvLeft, left.scope, b));
          rightKeys.push(compileExpression(cenvLeft, right.scope, a));
          continue;
        }
      }
      residual.push(c);
    }
    if (!leftKeys.length && kind !== 'CROSS' && !item.comma && !(kind === 'INNER' && residual.length)) {
      throw new DbError('INVALID_JOIN_ON_EXPRESSION', `Cannot determine join keys in JOIN ON expression ${exprName(item.on)}`);
    }
  }
  // Key types must agree for hashing: compare as their common base.
  for (let i = 0; i < leftKeys.length; i++) {
    const lt = baseType(leftKeys[i]!.type);
    const rt = baseType(rightKeys[i]!.type);
    if (lt.kind !== rt.kind && !(isNumericKind(lt) && isNumericKind(rt))) {
      throw new DbError('TYPE_MISMATCH', `Type mismatch of columns to JOIN by: ${leftKeys[i]!.name} ${lt.name} at left, ${rightKeys[i]!.name} ${rt.name} at right`);
    }
  }
  // A join with a streaming side runs as a streaming join (stream ⋈ table keeps the hash join below).
  const streaming = planStreamingJoin({ item, settings: env.settings, cenv: cenvLeft, left, right, leftKeys, rightKeys, residual, header, leftNullable, rightNullable });
  if (streaming) return { node: streaming, scope: streamingJoinScope(columns, streaming, item.left.kind === 'join') };
  if (item.strictness !== 'ASOF') rejectMixedInequalities(residual, leftKeys.length, left.scope, right.scope);
  const residualExpr: Expr | undefined = residual.length === 0 ? undefined : residual.length === 1 ? residual[0] : { kind: 'function', name: 'and', args: residual };
  const node = new HashJoinNode(left.node, right.node, {
    // An INNER join without equalities (`ON a.x = b.x OR …`) runs as a nested loop filtered by the condition.
    kind: item.comma || (kind === 'INNER' && !leftKeys.length) ? 'CROSS' : kind,
    strictness: item.strictness ?? 'ALL',
    leftKeys,
    rightKeys,
    header,
    leftNullable,
    rightNullable,
    residual: residualExpr ? compileExpression(cenvLeft, scope, residualExpr) : undefined,
    usingColumns: item.using?.map((n) => [left.scope.resolveQuiet([n])!.index, right.scope.resolveQuiet([n])!.index] as const),
  });
  return { node, scope };
}

/**
 * What `*` shows over a streaming join, as in Proton: no side's `_tp_delta`, and one `_tp_delta` at the
 * end when the join emits a changelog (the node writes its delta into every side's delta column). A
 * chain of three or more tables (Proton rewrites it into nested subqueries listing every column) also
 * shows each table's `_tp_time`.
 */
function streamingJoinScope(columns: readonly ScopeColumn[], join: PlanNode, chained: boolean): Scope {
  const out: ScopeColumn[] = [];
  let delta: ScopeColumn | undefined;
  for (const c of columns) {
    if (c.shortName === DELTA_COLUMN) {
      delta ??= c;
      out.push({ ...c, hidden: true });
    } else if (chained && c.shortName === '_tp_time') out.push({ ...c, hidden: false });
    else out.push(c);
  }
  if (delta && (join as { changelog?: boolean }).changelog === true) out.push({ ...delta, name: DELTA_COLUMN, shortName: DELTA_COLUMN, qualifiers: [], hidden: false });
  return new Scope(out);
}

const INEQUALITIES = new Set(['less', 'greater', 'lessorequals', 'greaterorequals', 'notequals']);

/**
 * A hash join takes equalities as keys and one-side conditions as filters; an inequality between
 * the two sides beside its keys is refused as ClickHouse 22 (Proton's base) does, error 403. Only
 * a streaming range join gives such a condition a meaning; without keys the join runs as a
 * filtered nested loop instead.
 */
function rejectMixedInequalities(residual: readonly Expr[], keyCount: number, left: Scope, right: Scope): void {
  if (!keyCount) return;
  for (const c of residual) {
    if (c.kind !== 'function' || !INEQUALITIES.has(c.name.toLowerCase())) continue;
    if (refersOnlyTo(c, left) || refersOnlyTo(c, right)) continue;
    throw new DbError('INVALID_JOIN_ON_EXPRESSION', `Unsupported JOIN ON conditions. Unexpected '${exprName(c)}': an inequality between the two sides needs a streaming range join`);
  }
}

function isNumericKind(t: DataType): boolean {
  return /^(U?Int\d+|Float\d+|Bool|Decimal)$/.test(t.kind);
}
