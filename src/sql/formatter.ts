import type { AlterCommand, ColumnDef, CreateTableStatement, Expr, QualifiedName, Query, Statement } from './ast.js';
import { QueryFormatter } from './format-query.js';
import { formatType, quoteColumnName, quoteIdentifier, quoteName, quoteString } from './quote.js';

/**
 * AST → SQL text: canonical, one line, and re-parseable to the same tree (positions aside). Used for
 * SHOW CREATE, EXPLAIN SYNTAX, persisted view definitions and column DEFAULT expressions.
 */

const qf = new QueryFormatter();

export function formatExpr(e: Expr): string {
  return qf.ex.item(e);
}

export function formatQuery(q: Query): string {
  return qf.query(q);
}

function name(n: QualifiedName): string {
  return (n.database !== undefined ? quoteName(n.database) + '.' : '') + quoteName(n.name);
}

function withFormat(s: string, st: { format?: string }): string {
  return st.format !== undefined ? `${s} FORMAT ${quoteIdentifier(st.format)}` : s;
}

export function formatColumn(c: ColumnDef): string {
  let s = c.name.includes('.') ? c.name.split('.').map(quoteIdentifier).join('.') : quoteColumnName(c.name);
  if (c.type) s += ' ' + formatType(c.type);
  if (c.nullable === true) s += ' NULL';
  if (c.nullable === false) s += ' NOT NULL';
  if (c.defaultKind) s += ` ${c.defaultKind}${c.defaultExpr ? ' ' + formatExpr(c.defaultExpr) : ''}`;
  if (c.comment !== undefined) s += ` COMMENT ${quoteString(c.comment)}`;
  if (c.codec !== undefined) s += ` CODEC(${c.codec})`;
  if (c.ttl) s += ` TTL ${formatExpr(c.ttl)}`;
  return s;
}

function keyList(exprs: Expr[]): string {
  if (exprs.length === 1 && exprs[0]!.alias === undefined) return formatExpr(exprs[0]!);
  return exprs.length === 0 ? 'tuple()' : `(${exprs.map(formatExpr).join(', ')})`;
}

type Storage = Pick<CreateTableStatement, 'engine' | 'orderBy' | 'partitionBy' | 'primaryKey' | 'sampleBy' | 'ttl' | 'settings'>;

function storage(st: Storage): string {
  const p: string[] = [];
  if (st.engine) p.push(`ENGINE = ${quoteIdentifier(st.engine.name)}${st.engine.args.length ? `(${qf.list(st.engine.args)})` : ''}`);
  if (st.partitionBy) p.push(`PARTITION BY ${formatExpr(st.partitionBy)}`);
  if (st.primaryKey) p.push(`PRIMARY KEY ${keyList(st.primaryKey)}`);
  if (st.orderBy) p.push(`ORDER BY ${keyList(st.orderBy)}`);
  if (st.sampleBy) p.push(`SAMPLE BY ${formatExpr(st.sampleBy)}`);
  if (st.ttl) p.push(`TTL ${st.ttl.map(formatExpr).join(', ')}`);
  if (st.settings) p.push(`SETTINGS ${qf.settings(st.settings)}`);
  return p.join(' ');
}

function alterCommand(c: AlterCommand): string {
  switch (c.kind) {
    case 'add_column':
      return `ADD COLUMN ${c.ifNotExists ? 'IF NOT EXISTS ' : ''}${formatColumn(c.column)}${c.after !== undefined ? ` AFTER ${quoteIdentifier(c.after)}` : c.first ? ' FIRST' : ''}`;
    case 'drop_column':
      return `DROP COLUMN ${c.ifExists ? 'IF EXISTS ' : ''}${quoteIdentifier(c.name)}`;
    case 'modify_column':
      return `MODIFY COLUMN ${c.ifExists ? 'IF EXISTS ' : ''}${formatColumn(c.column)}`;
    case 'rename_column':
      return `RENAME COLUMN ${c.ifExists ? 'IF EXISTS ' : ''}${quoteIdentifier(c.from)} TO ${quoteIdentifier(c.to)}`;
    case 'comment_column':
      return `COMMENT COLUMN ${quoteIdentifier(c.name)} ${quoteString(c.comment)}`;
    case 'modify_setting':
      return `MODIFY SETTING ${qf.settings(c.settings)}`;
    case 'reset_setting':
      return `RESET SETTING ${c.names.map(quoteIdentifier).join(', ')}`;
    case 'modify_ttl':
      return `MODIFY TTL ${c.ttl.map(formatExpr).join(', ')}`;
    case 'remove_ttl':
      return 'REMOVE TTL';
    case 'modify_order_by':
      return `MODIFY ORDER BY ${keyList(c.orderBy)}`;
    case 'modify_comment':
      return `MODIFY COMMENT ${quoteString(c.comment)}`;
    case 'delete':
      return `DELETE WHERE ${formatExpr(c.where)}`;
    case 'update':
      return `UPDATE ${c.assignments.map((a) => `${quoteIdentifier(a.column)} = ${formatExpr(a.expr)}`).join(', ')} WHERE ${formatExpr(c.where)}`;
    case 'drop_partition':
      return `DROP PARTITION ${formatExpr(c.partition)}`;
    case 'modify_query':
      return `MODIFY QUERY ${formatQuery(c.query)}`;
    case 'other':
      return c.text;
  }
}

function createTable(st: CreateTableStatement): string {
  let s = `CREATE ${st.orReplace ? 'OR REPLACE ' : ''}${st.temporary ? 'TEMPORARY ' : ''}${st.objectKind} ${st.ifNotExists ? 'IF NOT EXISTS ' : ''}${name(st.table)}`;
  const elems: string[] = st.columns.map(formatColumn);
  for (const i of st.indexes ?? []) {
    elems.push(`INDEX ${quoteIdentifier(i.name)} ${formatExpr(i.expr)} TYPE ${i.type}${i.granularity !== undefined ? ` GRANULARITY ${i.granularity}` : ''}`);
  }
  for (const c of st.constraints ?? []) elems.push(`CONSTRAINT ${quoteIdentifier(c.name)} CHECK ${formatExpr(c.check)}`);
  for (const p of st.projections ?? []) elems.push(`PROJECTION ${quoteIdentifier(p.name)} (${formatQuery(p.query)})`);
  if (elems.length) s += ` (${elems.join(', ')})`;
  if (st.asTable) s += ` AS ${name(st.asTable)}`;
  if (st.asTableFunction) s += ` AS ${qf.from(st.asTableFunction)}`;
  const store = storage(st);
  if (store) s += ' ' + store;
  if (st.asSelect) s += ` AS ${formatQuery(st.asSelect)}`;
  if (st.comment !== undefined) s += ` COMMENT ${quoteString(st.comment)}`;
  return s;
}

export function formatStatement(st: Statement): string {
  switch (st.kind) {
    case 'select':
    case 'set_operation':
      return formatQuery(st);
    case 'insert': {
      let s = 'INSERT INTO ';
      s += st.tableFunction ? `FUNCTION ${qf.from(st.tableFunction)}` : name(st.target!);
      if (st.columns) {
        const cols = st.columns.map((c) => (c === '*' ? (st.columnsExcept ? `* EXCEPT (${st.columnsExcept.map(quoteIdentifier).join(', ')})` : c) : c.split('.').map(quoteIdentifier).join('.')));
        s += ` (${cols.join(', ')})`;
      }
      if (st.infile !== undefined) s += ` FROM INFILE ${quoteString(st.infile)}${st.compression !== undefined ? ` COMPRESSION ${quoteString(st.compression)}` : ''}`;
      if (st.settings) s += ` SETTINGS ${qf.settings(st.settings)}`;
      if (st.select) s += ` ${formatQuery(st.select)}`;
      if (st.format === 'Values' && !st.select) s += ' VALUES';
      else if (st.format !== undefined) s += ` FORMAT ${quoteIdentifier(st.format)}`;
      return s;
    }
    case 'create_database': {
      let s = `CREATE DATABASE ${st.ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(st.name)}`;
      if (st.engine) s += ` ENGINE = ${quoteIdentifier(st.engine.name)}${st.engine.args.length ? `(${qf.list(st.engine.args)})` : ''}`;
      if (st.comment !== undefined) s += ` COMMENT ${quoteString(st.comment)}`;
      return s;
    }
    case 'create_table':
      return createTable(st);
    case 'create_view': {
      let s = `CREATE ${st.orReplace ? 'OR REPLACE ' : ''}${st.materialized ? 'MATERIALIZED ' : ''}VIEW ${st.ifNotExists ? 'IF NOT EXISTS ' : ''}${name(st.view)}`;
      if (st.target) s += ` INTO ${name(st.target)}`;
      if (st.columns?.length) s += ` (${st.columns.map(formatColumn).join(', ')})`;
      const store = storage(st);
      if (store) s += ' ' + store;
      if (st.populate) s += ' POPULATE';
      s += ` AS ${formatQuery(st.query)}`;
      if (st.comment !== undefined) s += ` COMMENT ${quoteString(st.comment)}`;
      return s;
    }
    case 'create_function': {
      let s = `CREATE ${st.orReplace ? 'OR REPLACE ' : ''}${st.aggregate ? 'AGGREGATE ' : ''}${st.language === 'REMOTE' ? 'REMOTE ' : ''}FUNCTION ${st.ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteIdentifier(st.name)}`;
      if (st.lambda) return `${s} AS ${formatExpr(st.lambda)}`;
      s += `(${(st.args ?? []).map((a) => `${quoteIdentifier(a.name)} ${formatType(a.type)}`).join(', ')})`;
      if (st.returns) s += ` RETURNS ${formatType(st.returns)}`;
      if (st.language !== undefined && st.language !== 'REMOTE') {
        const body = st.body ?? '';
        s += ` LANGUAGE ${st.language} AS ${body.includes('$$') ? quoteString(body) : `$$${body}$$`}`;
      }
      for (const [k, v] of Object.entries(st.options ?? {})) s += ` ${k.toUpperCase()} ${qf.ex.literal(v, undefined)}`;
      return s;
    }
    case 'drop': {
      const target = st.objectKind === 'DATABASE' || st.objectKind === 'FUNCTION' ? quoteIdentifier(st.target.name) : name(st.target);
      return `DROP ${st.temporary ? 'TEMPORARY ' : ''}${st.objectKind} ${st.ifExists ? 'IF EXISTS ' : ''}${target}${st.sync ? ' SYNC' : ''}${st.settings ? ` SETTINGS ${qf.settings(st.settings)}` : ''}`;
    }
    case 'truncate':
      return `TRUNCATE ${st.objectKind ? st.objectKind + ' ' : ''}${st.ifExists ? 'IF EXISTS ' : ''}${name(st.target)}`;
    case 'rename':
      if (st.exchange) return `EXCHANGE ${st.objectKind === 'DICTIONARY' ? 'DICTIONARIES' : 'TABLES'} ${st.pairs.map((p) => `${name(p.from)} AND ${name(p.to)}`).join(', ')}`;
      return `RENAME ${st.objectKind} ${st.ifExists ? 'IF EXISTS ' : ''}${st.pairs.map((p) => `${name(p.from)} TO ${name(p.to)}`).join(', ')}`;
    case 'alter':
      return `ALTER ${st.objectKind} ${name(st.target)} ${st.commands.map(alterCommand).join(', ')}${st.settings ? ` SETTINGS ${qf.settings(st.settings)}` : ''}`;
    case 'delete':
      return `DELETE FROM ${name(st.target)} WHERE ${formatExpr(st.where)}`;
    case 'use':
      return `USE ${quoteIdentifier(st.database)}`;
    case 'set':
      return `SET ${qf.settings(st.settings)}`;
    case 'show':
      return withFormat(formatShow(st), st);
    case 'describe': {
      const s = withFormat(`DESCRIBE ${st.from.kind === 'subquery' && st.from.alias === undefined ? '' : 'TABLE '}${qf.from(st.from)}`, st);
      return st.settings ? `${s} SETTINGS ${qf.settings(st.settings)}` : s;
    }
    case 'exists': {
      const target = st.objectKind === 'DATABASE' ? quoteIdentifier(st.target.name) : name(st.target);
      return withFormat(`EXISTS ${st.temporary ? 'TEMPORARY ' : ''}${st.objectKind ? st.objectKind + ' ' : ''}${target}`, st);
    }
    case 'kill_query':
      return withFormat(`KILL QUERY WHERE ${formatExpr(st.where)}${st.mode ? ' ' + st.mode : ''}`, st);
    case 'optimize': {
      let s = `OPTIMIZE TABLE ${name(st.target)}`;
      if (st.partition) s += ` PARTITION ${formatExpr(st.partition)}`;
      if (st.final) s += ' FINAL';
      if (st.deduplicate) s += ' DEDUPLICATE';
      return s;
    }
    case 'explain': {
      let s = `EXPLAIN ${st.explainKind}`;
      if (st.options) s += ' ' + qf.settings(st.options);
      return withFormat(`${s} ${formatStatement(st.statement)}`, st);
    }
    case 'recover':
      return `RECOVER FROM ${quoteString(st.queryId)}`;
    case 'unsubscribe':
      return `UNSUBSCRIBE TO ${quoteString(st.queryId)}`;
    case 'system':
      return st.command;
  }
}

function formatShow(st: Extract<Statement, { kind: 'show' }>): string {
  let s = 'SHOW ';
  switch (st.what) {
    case 'CREATE': {
      s += 'CREATE ';
      if (st.createKind) s += st.createKind + ' ';
      return s + (st.createKind === 'DATABASE' ? quoteIdentifier(st.target!.name) : name(st.target!));
    }
    case 'COLUMNS':
    case 'INDEX':
      s += `${st.full ? 'FULL ' : ''}${st.what} FROM ${quoteIdentifier(st.from!.name)}`;
      if (st.from!.database !== undefined) s += ` FROM ${quoteIdentifier(st.from!.database)}`;
      break;
    default:
      s += st.what;
      if (st.from) s += ` FROM ${quoteIdentifier(st.from.name)}`;
  }
  if (st.like !== undefined) s += ` ${st.notLike ? 'NOT ' : ''}${st.ilike ? 'ILIKE' : 'LIKE'} ${quoteString(st.like)}`;
  if (st.where) s += ` WHERE ${formatExpr(st.where)}`;
  if (st.limit) s += ` LIMIT ${formatExpr(st.limit)}`;
  return s;
}
