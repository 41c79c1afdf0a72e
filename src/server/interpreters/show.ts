import type { DescribeStatement, ExistsStatement, ShowStatement } from '../../sql/ast.js';
import { DbError } from '../../errors/index.js';
import { Block } from '../../core/block.js';
import { columnFromValues } from '../../columns/builder.js';
import type { Value } from '../../columns/values.js';
import { T } from '../../types/data-type.js';
import { planFrom } from '../../planner/from-planner.js';
import { QueryPlanner } from '../../planner/select-planner.js';
import { quoteString } from '../../sql/index.js';
import { renderCreateQuery } from '../../catalog/show-create.js';
import { typeNameFor } from '../../types/dialect.js';
import { rowsResult, type InterpreterContext, type StatementResult } from './interpreter-context.js';
import { createQueryOf, userDefinedFunctionsOf } from '../../udf/index.js';

function likeClause(st: ShowStatement, column: string): string {
  if (st.like === undefined) return '';
  return ` AND ${column} ${st.notLike ? 'NOT ' : ''}${st.ilike ? 'ILIKE' : 'LIKE'} ${quoteString(st.like)}`;
}

/** SHOW statements that are queries over system tables, as ClickHouse rewrites them. */
export function showAsQuery(ctx: InterpreterContext, st: ShowStatement): string | undefined {
  const limit = st.limit ? ` LIMIT ${(st.limit as { value?: unknown }).value ?? ''}` : '';
  switch (st.what) {
    case 'DATABASES':
      return `SELECT name FROM system.databases WHERE 1${likeClause(st, 'name')} ORDER BY name${limit}`;
    case 'TABLES':
    case 'STREAMS':
    case 'VIEWS':
    case 'DICTIONARIES': {
      const db = st.from?.name ?? ctx.currentDatabase;
      ctx.catalog.database(db);
      const engineFilter =
        // Proton's SHOW STREAMS is its SHOW TABLES: every stream, view and table of the database.
        st.what === 'STREAMS' ? '' : st.what === 'VIEWS' ? " AND engine IN ('View', 'MaterializedView')" : st.what === 'DICTIONARIES' ? ' AND 0' : '';
      return `SELECT name FROM system.tables WHERE database = ${quoteString(db)}${engineFilter}${likeClause(st, 'name')} ORDER BY name${limit}`;
    }
    case 'PROCESSLIST':
      return 'SELECT * FROM system.processes';
    case 'SETTINGS':
      return `SELECT name, type, value FROM system.settings WHERE 1${likeClause(st, 'name')}`;
    case 'FUNCTIONS':
      return `SELECT name FROM system.functions WHERE 1${likeClause(st, 'name')} ORDER BY name`;
    case 'ENGINES':
      return 'SELECT name FROM system.table_engines';
    case 'COLUMNS': {
      if (!st.from) throw new DbError('SYNTAX_ERROR', 'SHOW COLUMNS needs FROM table');
      const db = st.from.database ?? ctx.currentDatabase;
      return `SELECT name AS field, type, startsWith(type, 'Nullable') ? 'YES' : 'NO' AS null, '' AS key, default_expression AS default, '' AS extra FROM system.columns WHERE database = ${quoteString(db)} AND table = ${quoteString(st.from.name)}${likeClause(st, 'name')} ORDER BY position`;
    }
    case 'USERS':
      return 'SELECT name FROM system.users';
    default:
      return undefined;
  }
}

export async function showCreate(ctx: InterpreterContext, st: ShowStatement): Promise<StatementResult> {
  const target = st.target!;
  let text: string;
  if (st.createKind === 'DATABASE') {
    const db = ctx.catalog.database(target.name);
    text = `CREATE DATABASE ${db.name}\nENGINE = ${db.engine}`;
  } else if (st.createKind === 'FUNCTION') {
    const def = userDefinedFunctionsOf(ctx.catalog).get(target.name);
    if (!def) throw new DbError('UNKNOWN_FUNCTION', `User-defined function '${target.name}' doesn't exist`);
    text = createQueryOf(def);
  } else {
    const db = target.database ?? ctx.currentDatabase;
    const entry = ctx.temporaryTables.get(target.name) ?? ctx.catalog.requireTable(db, target.name);
    text = renderCreateQuery(entry);
  }
  const header = [{ name: 'statement', type: T.String }];
  return rowsResult(header, [new Block(header, [columnFromValues(T.String, [text])], 1)]);
}

export async function describe(ctx: InterpreterContext, st: DescribeStatement): Promise<StatementResult> {
  let rows: Value[][];
  if (st.from.kind === 'table' && !(st.from.database === undefined && false)) {
    const db = st.from.database ?? ctx.currentDatabase;
    const entry = ctx.temporaryTables.get(st.from.name) ?? ctx.catalog.table(db, st.from.name);
    if (entry) {
      const all = ctx.settings.get('describe_include_reserved') === '1' || ctx.settings.get('asterisk_include_reserved_columns') === '1';
      rows = entry.columns
        .filter((c) => all || !c.hidden)
        .map((c) => [c.name, typeNameFor(c.type.name, ctx.settings), c.defaultKind ?? '', c.defaultExpr ?? '', c.comment ?? '', c.codec ?? '', '']);
    } else {
      const planned = await planFrom(st.from, ctx.planner, new Map(), (q, c) => new QueryPlanner(ctx.planner).plan(q, c, false));
      rows = planned.node.header.map((c) => [c.name, typeNameFor(c.type.name, ctx.settings), '', '', '', '', '']);
    }
  } else {
    const planned = await planFrom(st.from, ctx.planner, new Map(), (q, c) => new QueryPlanner(ctx.planner).plan(q, c, false));
    rows = planned.node.header.map((c) => [c.name, typeNameFor(c.type.name, ctx.settings), '', '', '', '', '']);
  }
  const names = ['name', 'type', 'default_type', 'default_expression', 'comment', 'codec_expression', 'ttl_expression'];
  const header = names.map((name) => ({ name, type: T.String }));
  return rowsResult(header, [new Block(header, names.map((_, i) => columnFromValues(T.String, rows.map((r) => r[i]!))), rows.length)]);
}

export async function exists(ctx: InterpreterContext, st: ExistsStatement): Promise<StatementResult> {
  let found: boolean;
  if (st.objectKind === 'DATABASE') found = ctx.catalog.databases.has(st.target.name);
  else {
    const db = st.target.database ?? ctx.currentDatabase;
    found = !!(ctx.temporaryTables.get(st.target.name) ?? ctx.catalog.table(db, st.target.name));
    if (st.objectKind === 'VIEW' && found) found = ctx.catalog.table(db, st.target.name)?.kind === 'view';
  }
  const header = [{ name: 'result', type: T.UInt8 }];
  return rowsResult(header, [new Block(header, [columnFromValues(T.UInt8, [found ? 1 : 0])], 1)]);
}
