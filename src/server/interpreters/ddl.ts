import type { ColumnDef, CreateFunctionStatement, CreateTableStatement, CreateViewStatement, DropStatement, Expr, RenameStatement, TruncateStatement, AlterStatement } from '../../sql/ast.js';
import { formatExpr, formatQuery, formatStatement } from '../../sql/index.js';
import { DbError } from '../../errors/index.js';
import { Catalog } from '../../catalog/catalog.js';
import type { ColumnMeta, TableEntry, TableKind } from '../../catalog/table-entry.js';
import { dataTypeFromAst } from '../../types/type-factory.js';
import { dateTime64Type, nullableType, simpleType } from '../../types/data-type.js';
import { noResult, type InterpreterContext, type StatementResult } from './interpreter-context.js';
import { Block } from '../../core/block.js';
import { Scope } from '../../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../../analyzer/expression-compiler.js';
import { predicateMask } from '../../exec/operators/filter.js';
import { materialize } from '../../columns/ops.js';
import { completeBlock } from './insert.js';
import { planRandomStream } from '../../streaming/random-stream.js';
import { checkNoDependentViews, createMaterializedView, dropMaterializedView } from '../../streaming/materialized-view-ddl.js';
import { definitionFromStatement, userDefinedFunctionsOf } from '../../udf/index.js';
import { DELTA_COLUMN, isKeyed, parseStreamMode } from '../../streaming/stream-mode.js';

const RESERVED_TIME = '_tp_time';

/** `CREATE [OR REPLACE] [AGGREGATE] FUNCTION [IF NOT EXISTS] …`: a JavaScript UDF / UDA or a SQL lambda (src/udf). */
export async function createFunction(ctx: InterpreterContext, st: CreateFunctionStatement): Promise<StatementResult> {
  await userDefinedFunctionsOf(ctx.catalog).create(definitionFromStatement(st), { orReplace: st.orReplace, ifNotExists: st.ifNotExists });
  return noResult();
}

function columnMeta(def: ColumnDef, nullableByDefault: boolean): ColumnMeta {
  if (!def.type && !def.defaultExpr) throw new DbError('BAD_ARGUMENTS', `Column ${def.name} needs a type or a default expression`);
  let type = def.type ? dataTypeFromAst(def.type) : undefined;
  if (!type) throw new DbError('NOT_IMPLEMENTED', `Column ${def.name}: type inference from DEFAULT is not supported yet; give a type`);
  if (def.nullable === true || (def.nullable === undefined && nullableByDefault)) type = nullableType(type);
  return {
    name: def.name,
    type,
    defaultKind: def.defaultKind,
    defaultExpr: def.defaultExpr ? formatExpr(def.defaultExpr) : undefined,
    comment: def.comment,
    codec: def.codec,
    hidden: def.name.startsWith('_tp_'),
  };
}

function exprsText(e: readonly Expr[] | undefined): string[] {
  if (!e) return [];
  // ORDER BY tuple(a, b) / (a, b) lists its elements.
  if (e.length === 1 && e[0]!.kind === 'function' && e[0]!.name.toLowerCase() === 'tuple') return e[0]!.args.map(formatExpr);
  return e.map(formatExpr);
}

function settingsText(s: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(s ?? {})) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

export async function createTable(ctx: InterpreterContext, st: CreateTableStatement): Promise<StatementResult> {
  const database = st.temporary ? '_temporary_and_external_tables' : (st.table.database ?? ctx.currentDatabase);
  if (!st.temporary) ctx.catalog.database(database);
  const existing = st.temporary ? ctx.temporaryTables.get(st.table.name) : ctx.catalog.table(database, st.table.name);
  if (existing) {
    if (st.ifNotExists) return noResult();
    if (!st.orReplace) throw new DbError('TABLE_ALREADY_EXISTS', `Table ${database}.${st.table.name} already exists`);
    await dropEntry(ctx, existing);
  }
  const isStream = st.objectKind === 'STREAM' || st.objectKind === 'RANDOM STREAM';
  const isRandom = st.objectKind === 'RANDOM STREAM';
  if (isRandom && st.asSelect) throw new DbError('INCORRECT_QUERY', 'A random stream generates its rows: it cannot be created AS SELECT');
  if (st.objectKind === 'EXTERNAL STREAM' || st.objectKind === 'EXTERNAL TABLE') {
    if (st.objectKind === 'EXTERNAL TABLE') throw new DbError('NOT_IMPLEMENTED', 'External tables are not supported yet');
    const { createExternalStream } = await import('../../external/create-external-stream.js');
    return createExternalStream(ctx, st, database, (c) => columnMeta(c, false), settingsText(st.settings as Record<string, unknown>));
  }
  let columns: ColumnMeta[];
  if (st.asTable) {
    const src = ctx.catalog.requireTable(st.asTable.database ?? ctx.currentDatabase, st.asTable.name);
    columns = [...src.columns];
  } else if (st.asSelect && !st.columns.length) {
    const { QueryPlanner } = await import('../../planner/select-planner.js');
    const node = await new QueryPlanner(ctx.planner).plan(st.asSelect);
    columns = node.header.map((c) => ({ name: c.name, type: c.type }));
  } else {
    const nullableDefault = ctx.settings.get('data_type_default_nullable') === '1';
    columns = st.columns.map((c) => columnMeta(c, nullableDefault));
  }
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new DbError('DUPLICATE_COLUMN', `Column ${c.name} already exists`);
    names.add(c.name);
  }
  if (!columns.length) throw new DbError('EMPTY_LIST_OF_COLUMNS_QUERIED', 'Table must have at least one column');
  if (isStream && !names.has(RESERVED_TIME)) {
    // Proton's event_time_column: _tp_time is computed from that expression of the row instead of ingest time.
    const eventTime = (st.settings as Record<string, unknown> | undefined)?.['event_time_column'];
    const defaultExpr = typeof eventTime === 'string' && eventTime.trim() ? `CAST(${eventTime}, 'DateTime64(3, \\'UTC\\')')` : "now64(3, 'UTC')";
    columns.push({ name: RESERVED_TIME, type: dateTime64Type(3, 'UTC'), defaultKind: 'DEFAULT', defaultExpr, hidden: true });
  }
  if (isStream && !isRandom) addModeColumns(st, columns, names);
  let engine: string;
  let kind: TableKind;
  const engineArgs = (st.engine?.args ?? []).map(formatExpr);
  if (isRandom) {
    // Proton's StorageRandom: no storage, rows are generated on read (src/streaming/random-stream.ts).
    engine = 'Random';
    kind = 'random_stream';
  } else if (isStream) {
    engine = 'Stream';
    kind = 'stream';
  } else {
    engine = st.engine?.name ?? 'MergeTree';
    kind = 'table';
    const known = ['MergeTree', 'ReplacingMergeTree', 'Memory', 'Log', 'TinyLog', 'StripeLog', 'SummingMergeTree', 'AggregatingMergeTree', 'Null'];
    const match = known.find((k) => k.toLowerCase() === engine.toLowerCase());
    if (!match) throw new DbError('UNKNOWN_STORAGE', `Unknown table engine ${engine}`);
    engine = match;
    if (engine.endsWith('MergeTree') && !st.orderBy && !st.primaryKey) {
      throw new DbError('BAD_ARGUMENTS', 'Table engine MergeTree requires ORDER BY or PRIMARY KEY clause');
    }
  }
  let orderBy = exprsText(st.orderBy ?? st.primaryKey);
  if (isRandom) orderBy = [];
  else if (isStream && !orderBy.length) orderBy = [RESERVED_TIME];
  const entry: TableEntry = {
    database,
    name: st.table.name,
    uuid: Catalog.newUuid(),
    kind,
    engine,
    engineArgs,
    columns,
    orderBy,
    partitionBy: st.partitionBy ? formatExpr(st.partitionBy) : undefined,
    primaryKey: isRandom ? [] : exprsText(st.primaryKey ?? st.orderBy),
    ttl: (st.ttl ?? []).map(formatExpr),
    settings: settingsText(st.settings as Record<string, unknown>),
    comment: st.comment ?? '',
    createQuery: formatStatement({ ...st, ifNotExists: false, orReplace: false }),
    metadataModificationTimeMs: Date.now(),
    temporary: st.temporary,
  };
  // A random stream is checked (settings, default expressions, generatable types) by planning a read of it.
  if (isRandom) planRandomStream(entry, ctx.planner, undefined, true);
  else entry.storage = await ctx.createStorage(entry);
  if (st.temporary) ctx.temporaryTables.set(entry.name, entry);
  else await ctx.catalog.saveTable(entry);
  if (st.asSelect) {
    const { insertSelect } = await import('./insert.js');
    await insertSelect(ctx, entry, entry.columns.filter((c) => !c.hidden).map((c) => c.name), st.asSelect);
  }
  return noResult();
}

export async function createView(ctx: InterpreterContext, st: CreateViewStatement): Promise<StatementResult> {
  const database = st.view.database ?? ctx.currentDatabase;
  ctx.catalog.database(database);
  const existing = ctx.catalog.table(database, st.view.name);
  if (existing) {
    if (st.ifNotExists) return noResult();
    if (!st.orReplace) throw new DbError('TABLE_ALREADY_EXISTS', `Table ${database}.${st.view.name} already exists`);
    await dropEntry(ctx, existing);
  }
  if (st.materialized) {
    await createMaterializedView(ctx, st, database);
    return noResult();
  }
  const { QueryPlanner } = await import('../../planner/select-planner.js');
  const node = await new QueryPlanner(ctx.planner).plan(st.query);
  const entry: TableEntry = {
    database,
    name: st.view.name,
    uuid: Catalog.newUuid(),
    kind: 'view',
    engine: 'View',
    engineArgs: [],
    columns: node.header.map((c) => ({ name: c.name, type: c.type })),
    orderBy: [],
    primaryKey: [],
    ttl: [],
    settings: {},
    comment: st.comment ?? '',
    viewQuery: formatQuery(st.query),
    createQuery: formatStatement({ ...st, ifNotExists: false, orReplace: false }),
    metadataModificationTimeMs: Date.now(),
  };
  await ctx.catalog.saveTable(entry);
  return noResult();
}

/** Changelog and key-value stream modes: the `_tp_delta` column, and checks of the primary key and version column. */
function addModeColumns(st: CreateTableStatement, columns: ColumnMeta[], names: Set<string>): void {
  const settings = (st.settings ?? {}) as Record<string, unknown>;
  const mode = parseStreamMode(settings['mode'] === undefined ? undefined : String(settings['mode']));
  if (mode === 'append') return;
  if (isKeyed(mode) && !st.primaryKey) throw new DbError('BAD_ARGUMENTS', `A stream in mode '${mode}' requires a PRIMARY KEY`);
  const version = settings['version_column'];
  if (version !== undefined) {
    const v = String(version);
    if (!names.has(v)) throw new DbError('UNKNOWN_IDENTIFIER', `Version column ${v} is not a column of the stream`);
    if (exprsText(st.primaryKey).includes(v)) throw new DbError('SYNTAX_ERROR', 'Version column as primary key is not supported in Changelog KV or Versioned KV stream');
  }
  if (!names.has(DELTA_COLUMN)) {
    columns.push({ name: DELTA_COLUMN, type: simpleType('Int8'), defaultKind: 'DEFAULT', defaultExpr: '1', hidden: true });
    names.add(DELTA_COLUMN);
  }
}

async function dropEntry(ctx: InterpreterContext, entry: TableEntry): Promise<void> {
  if (entry.kind === 'materialized_view') await dropMaterializedView(ctx, entry);
  if (entry.temporary) ctx.temporaryTables.delete(entry.name);
  else await ctx.catalog.removeTable(entry.database, entry.name);
  await entry.storage?.drop();
}

export async function drop(ctx: InterpreterContext, st: DropStatement): Promise<StatementResult> {
  if (st.objectKind === 'DATABASE') {
    if (!ctx.catalog.databases.has(st.target.name)) {
      if (st.ifExists) return noResult();
      throw new DbError('UNKNOWN_DATABASE', `Database ${st.target.name} does not exist`);
    }
    checkNoDependentViews(ctx, [...ctx.catalog.databases.get(st.target.name)!.tables.values()]);
    for (const t of ctx.catalog.databases.get(st.target.name)!.tables.values()) if (t.kind === 'materialized_view') await dropMaterializedView(ctx, t);
    const tables = await ctx.catalog.dropDatabase(st.target.name);
    for (const t of tables) await t.storage?.drop();
    if (ctx.currentDatabase === st.target.name) ctx.setDatabase('default');
    return noResult();
  }
  if (st.objectKind === 'FUNCTION') {
    await userDefinedFunctionsOf(ctx.catalog).drop(st.target.name, st.ifExists);
    return noResult();
  }
  const temp = !st.target.database ? ctx.temporaryTables.get(st.target.name) : undefined;
  if (temp) {
    await dropEntry(ctx, temp);
    return noResult();
  }
  const database = st.target.database ?? ctx.currentDatabase;
  const db = ctx.catalog.databases.get(database);
  const entry = db?.tables.get(st.target.name);
  if (!entry) {
    if (st.ifExists) return noResult();
    if (!db) throw new DbError('UNKNOWN_DATABASE', `Database ${database} does not exist`);
    throw new DbError('UNKNOWN_TABLE', `Table ${database}.${st.target.name} does not exist`);
  }
  checkNoDependentViews(ctx, [entry]);
  await dropEntry(ctx, entry);
  return noResult();
}

export async function truncate(ctx: InterpreterContext, st: TruncateStatement): Promise<StatementResult> {
  const database = st.target.database ?? ctx.currentDatabase;
  const entry = ctx.temporaryTables.get(st.target.name) ?? ctx.catalog.table(database, st.target.name);
  if (!entry) {
    if (st.ifExists) return noResult();
    throw new DbError('UNKNOWN_TABLE', `Table ${database}.${st.target.name} does not exist`);
  }
  await entry.storage?.truncate();
  return noResult();
}

export async function rename(ctx: InterpreterContext, st: RenameStatement): Promise<StatementResult> {
  for (const { from, to } of st.pairs) {
    const fromDb = from.database ?? ctx.currentDatabase;
    const toDb = to.database ?? ctx.currentDatabase;
    const entry = ctx.catalog.requireTable(fromDb, from.name);
    if (ctx.catalog.table(toDb, to.name)) throw new DbError('TABLE_ALREADY_EXISTS', `Table ${toDb}.${to.name} already exists`);
    // Views name what they read: renaming it would break them (Proton refuses too).
    checkNoDependentViews(ctx, [entry]);
    const moved: TableEntry = { ...entry, database: toDb, name: to.name, metadataModificationTimeMs: Date.now() };
    await ctx.catalog.saveTable(moved);
    await ctx.catalog.removeTable(fromDb, from.name);
  }
  return noResult();
}

export async function alter(ctx: InterpreterContext, st: AlterStatement): Promise<StatementResult> {
  const database = st.target.database ?? ctx.currentDatabase;
  let entry = ctx.catalog.requireTable(database, st.target.name);
  const before = entry;
  let dataChanged = false;
  const renames = new Map<string, string>();
  for (const cmd of st.commands) {
    switch (cmd.kind) {
      case 'modify_setting':
        entry = { ...entry, settings: { ...entry.settings, ...settingsText(cmd.settings as Record<string, unknown>) } };
        break;
      case 'reset_setting': {
        const s = { ...entry.settings };
        for (const n of cmd.names) delete s[n];
        entry = { ...entry, settings: s };
        break;
      }
      case 'modify_comment':
        entry = { ...entry, comment: cmd.comment };
        break;
      case 'comment_column':
        requireColumn(entry, cmd.name);
        entry = { ...entry, columns: entry.columns.map((c) => (c.name === cmd.name ? { ...c, comment: cmd.comment } : c)) };
        break;
      case 'modify_ttl':
        entry = { ...entry, ttl: cmd.ttl.map(formatExpr) };
        break;
      case 'remove_ttl':
        entry = { ...entry, ttl: [] };
        break;
      case 'add_column': {
        if (entry.columns.some((c) => c.name === cmd.column.name)) {
          if (cmd.ifNotExists) break;
          throw new DbError('DUPLICATE_COLUMN', `Cannot add column ${cmd.column.name}: column with this name already exists`);
        }
        const meta = columnMeta(cmd.column, false);
        const cols = [...entry.columns];
        const at = cmd.first ? 0 : cmd.after ? cols.findIndex((c) => c.name === cmd.after) + 1 : cols.filter((c) => !c.hidden).length;
        if (cmd.after && at === 0) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `Wrong column name. Cannot find column ${cmd.after} to insert after`);
        cols.splice(at, 0, meta);
        entry = { ...entry, columns: cols };
        dataChanged = true;
        break;
      }
      case 'drop_column': {
        if (!entry.columns.some((c) => c.name === cmd.name)) {
          if (cmd.ifExists) break;
          throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `Wrong column name. Cannot find column ${cmd.name} to drop`);
        }
        if (entry.orderBy.includes(cmd.name) || entry.primaryKey.includes(cmd.name) || cmd.name === RESERVED_TIME) {
          throw new DbError('ILLEGAL_COLUMN', `Trying to ALTER key column ${cmd.name}`);
        }
        entry = { ...entry, columns: entry.columns.filter((c) => c.name !== cmd.name) };
        dataChanged = true;
        break;
      }
      case 'modify_column': {
        const old = entry.columns.find((c) => c.name === cmd.column.name);
        if (!old) {
          if (cmd.ifExists) break;
          throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `There is no column ${cmd.column.name} in table`);
        }
        const meta = cmd.column.type ? columnMeta(cmd.column, false) : { ...old, defaultKind: cmd.column.defaultKind ?? old.defaultKind, defaultExpr: cmd.column.defaultExpr ? formatExpr(cmd.column.defaultExpr) : old.defaultExpr, comment: cmd.column.comment ?? old.comment };
        entry = { ...entry, columns: entry.columns.map((c) => (c.name === meta.name ? { ...meta, hidden: c.hidden } : c)) };
        dataChanged = dataChanged || meta.type.name !== old.type.name;
        break;
      }
      case 'rename_column': {
        if (!entry.columns.some((c) => c.name === cmd.from)) {
          if (cmd.ifExists) break;
          throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `Wrong column name. Cannot find column ${cmd.from} to rename`);
        }
        if (entry.columns.some((c) => c.name === cmd.to)) throw new DbError('DUPLICATE_COLUMN', `Cannot rename to ${cmd.to}: column with this name already exists`);
        if (entry.orderBy.includes(cmd.from)) throw new DbError('ILLEGAL_COLUMN', `Trying to ALTER RENAME key ${cmd.from} column`);
        entry = { ...entry, columns: entry.columns.map((c) => (c.name === cmd.from ? { ...c, name: cmd.to } : c)) };
        renames.set(cmd.to, cmd.from);
        dataChanged = true;
        break;
      }
      case 'delete': {
        await deleteRows(ctx, entry, cmd.where);
        break;
      }
      case 'update': {
        await updateRows(ctx, entry, cmd.assignments, cmd.where);
        break;
      }
      case 'other':
        // Skipping indexes and projections only make reads faster; Hadron has neither yet, so these are
        // accepted without effect (results are the same without them).
        if (/^\s*(ADD|DROP|MATERIALIZE|CLEAR)\s+(INDEX|PROJECTION)\b/i.test(cmd.text)) break;
        throw new DbError('NOT_IMPLEMENTED', `ALTER ${cmd.text.split(/\s+/).slice(0, 2).join(' ')} is not supported yet`);
      default:
        throw new DbError('NOT_IMPLEMENTED', `ALTER ${cmd.kind.replace(/_/g, ' ').toUpperCase()} is not supported yet`);
    }
  }
  if (dataChanged && entry.storage) {
    const newHeader = entry.columns.filter((c) => c.defaultKind !== 'ALIAS' && c.defaultKind !== 'EPHEMERAL').map((c) => ({ name: c.name, type: c.type }));
    const oldNames = new Set(before.columns.map((c) => c.name));
    const target = entry;
    await entry.storage.alterColumns(newHeader, (block) => {
      // Renamed columns keep their data; new ones get their default; changed types are CAST.
      const renamed = new Block(block.header.map((h) => ({ name: [...renames].find(([, from]) => from === h.name)?.[0] ?? h.name, type: h.type })), block.columns, block.rows);
      const completed = completeBlock(ctx, target, new Block(
        renamed.header.filter((h) => newHeader.some((n) => n.name === h.name)),
        renamed.columns.filter((_, i) => newHeader.some((n) => n.name === renamed.header[i]!.name)),
        renamed.rows,
      ), oldNames);
      return completed;
    });
  }
  if (entry.kind === 'random_stream') planRandomStream(entry, ctx.planner, undefined, true);
  await ctx.catalog.saveTable({ ...entry, metadataModificationTimeMs: Date.now() });
  return noResult();
}

function requireColumn(entry: TableEntry, name: string): void {
  if (!entry.columns.some((c) => c.name === name)) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `There is no column ${name} in table ${entry.database}.${entry.name}`);
}

/**
 * ALTER … UPDATE col = expr WHERE cond: a synchronous mutation that rewrites every part (and the log tail)
 * with `if(cond, CAST(expr, T), col)` for each assigned column.
 */
async function updateRows(ctx: InterpreterContext, entry: TableEntry, assignments: readonly { column: string; expr: Expr }[], where: Expr): Promise<void> {
  if (!entry.storage) throw new DbError('NOT_IMPLEMENTED', `Table ${entry.database}.${entry.name} does not support UPDATE`);
  const header = entry.storage.header;
  for (const a of assignments) {
    if (!header.some((c) => c.name === a.column)) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `There is no column ${a.column} in table ${entry.database}.${entry.name}`);
    if (entry.orderBy.includes(a.column) || entry.partitionBy?.includes(a.column)) {
      throw new DbError('CANNOT_UPDATE_COLUMN', `Cannot UPDATE key column \`${a.column}\``);
    }
  }
  const env: CompileEnv = { functions: ctx.functions, fnCtx: ctx.fn, params: ctx.planner.params, subqueries: { get: () => undefined } };
  const scope = Scope.fromHeader(header);
  const updates = new Map(
    assignments.map((a) => {
      const type = header.find((c) => c.name === a.column)!.type;
      const expr: Expr = {
        kind: 'function',
        name: 'if',
        args: [where, { kind: 'function', name: 'CAST', args: [a.expr, { kind: 'literal', value: type.name }] }, { kind: 'identifier', parts: [a.column] }],
      };
      return [a.column, compileExpression(env, scope, expr)] as const;
    }),
  );
  await entry.storage.alterColumns(header, (block) =>
    new Block(block.header, block.header.map((c, i) => (updates.has(c.name) ? materialize(updates.get(c.name)!.eval(block, ctx.fn)) : block.columns[i]!)), block.rows),
  );
}

/** ALTER … DELETE WHERE / DELETE FROM … WHERE: a synchronous mutation. */
export async function deleteRows(ctx: InterpreterContext, entry: TableEntry, where: Expr): Promise<number> {
  if (!entry.storage) throw new DbError('NOT_IMPLEMENTED', `Table ${entry.database}.${entry.name} does not support DELETE`);
  const header = entry.storage.header;
  const env: CompileEnv = { functions: ctx.functions, fnCtx: ctx.fn, params: ctx.planner.params, subqueries: { get: () => undefined } };
  const predicate = compileExpression(env, Scope.fromHeader(header), where);
  return entry.storage.deleteWhere((block) => {
    const m = predicateMask(predicate.eval(block, ctx.fn), block.rows);
    if (m === 'all') return new Uint8Array(block.rows).fill(1);
    if (m === 'none') return new Uint8Array(block.rows);
    return m.mask;
  });
}

