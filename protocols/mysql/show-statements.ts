import type { Header } from '../../src/core/block.js';
import type { Value } from '../../src/columns/values.js';
import { T, nullableType } from '../../src/types/data-type.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { mysqlColumnType } from './column-types.js';
import { Charset, ColumnFlag } from './mysql-constants.js';
import { likeToRegExp, NS, quoteIdent, S, sqlString, strHeader, type CompatAction, type CompatContext, type Words } from './compat-common.js';

/** MySQL's SHOW statements, answered from the session's variables or rewritten over the system tables. */

/** `LIKE 'p'` or `WHERE cond` after a SHOW; undefined when neither. */
function filterClause(w: Words): { like?: string; where?: string } | undefined {
  if (w.accept('LIKE')) {
    const p = w.string();
    return p === undefined ? undefined : { like: p };
  }
  if (w.accept('WHERE')) return { where: w.rest() };
  return {};
}

function filterRows(rows: Value[][], like: string | undefined): Value[][] {
  if (like === undefined) return rows;
  const re = likeToRegExp(like);
  return rows.filter((r) => re.test(String(r[0])));
}

/** Local rows filtered by a WHERE clause: run by the engine over a VALUES table. */
function rowsAction(header: Header, rows: Value[][], filter: { like?: string; where?: string }): CompatAction {
  if (filter.where === undefined) return { kind: 'rows', header, rows: filterRows(rows, filter.like) };
  const structure = header.map((c) => `${quoteIdent(c.name)} ${c.type.kind === 'Nullable' ? 'Nullable(String)' : 'String'}`).join(', ');
  const tuples = rows.map((r) => `(${r.map((v) => (v === null ? 'NULL' : sqlString(String(v)))).join(', ')})`);
  if (!tuples.length) return { kind: 'rows', header, rows: [] };
  return { kind: 'engine', sql: `SELECT * FROM values(${sqlString(structure)}, ${tuples.join(', ')}) WHERE ${filter.where}` };
}

function engineFiltered(sql: string, nameColumn: string, filter: { like?: string; where?: string }, orderBy: string): string {
  let out = sql;
  if (filter.like !== undefined) out += ` AND ${nameColumn} ILIKE ${sqlString(filter.like)}`;
  out += ` ORDER BY ${orderBy}`;
  if (filter.where !== undefined) out = `SELECT * FROM (${out}) WHERE ${filter.where}`;
  return out;
}

const COLLATIONS: [string, string, number, string][] = [
  ['utf8mb4_general_ci', 'utf8mb4', 45, 'Yes'],
  ['utf8mb4_bin', 'utf8mb4', 46, ''],
  ['utf8mb4_0900_ai_ci', 'utf8mb4', 255, ''],
  ['utf8mb3_general_ci', 'utf8mb3', 33, 'Yes'],
  ['utf8mb3_bin', 'utf8mb3', 83, ''],
  ['latin1_swedish_ci', 'latin1', 8, 'Yes'],
  ['ascii_general_ci', 'ascii', 11, 'Yes'],
  ['binary', 'binary', 63, 'Yes'],
];

const CHARSETS: [string, string, string, number][] = [
  ['utf8mb4', 'UTF-8 Unicode', 'utf8mb4_general_ci', 4],
  ['utf8mb3', 'UTF-8 Unicode', 'utf8mb3_general_ci', 3],
  ['latin1', 'cp1252 West European', 'latin1_swedish_ci', 1],
  ['ascii', 'US ASCII', 'ascii_general_ci', 1],
  ['binary', 'Binary pseudo charset', 'binary', 1],
];

const STATUS = (ctx: CompatContext): [string, string][] => [
  ['Aborted_clients', '0'],
  ['Bytes_received', '0'],
  ['Bytes_sent', '0'],
  ['Connections', String(ctx.connectionId)],
  ['Questions', '0'],
  ['Ssl_cipher', ''],
  ['Threads_connected', String(ctx.processList().length)],
  ['Threads_running', String(ctx.processList().filter((p) => p.command === 'Query').length)],
  ['Uptime', String(Math.floor(process.uptime()))],
];

export function show(w: Words, ctx: CompatContext): CompatAction | undefined {
  w.accept('SHOW');
  const full = w.accept('FULL');
  const scope = w.accept('GLOBAL') || w.accept('SESSION') || w.accept('LOCAL');
  if (w.accept('VARIABLES')) {
    const f = filterClause(w);
    if (!f) return undefined;
    return rowsAction(strHeader('Variable_name', 'Value'), ctx.variables.list(), f);
  }
  if (w.accept('STATUS')) {
    const f = filterClause(w);
    if (!f) return undefined;
    return rowsAction(strHeader('Variable_name', 'Value'), STATUS(ctx), f);
  }
  if (scope) return undefined;
  if (w.accept('DATABASES') || w.accept('SCHEMAS')) {
    const f = filterClause(w);
    if (!f) return undefined;
    return { kind: 'engine', sql: engineFiltered('SELECT name AS `Database` FROM system.databases WHERE 1', 'name', f, 'name') };
  }
  if (w.accept('TABLE', 'STATUS')) {
    let db = ctx.database;
    if (w.accept('FROM') || w.accept('IN')) db = w.ident() ?? db;
    const f = filterClause(w);
    if (!f) return undefined;
    const sql =
      'SELECT name AS Name, engine AS Engine, toUInt64(10) AS Version, \'Dynamic\' AS Row_format, total_rows AS Rows, toUInt64(0) AS Avg_row_length, ' +
      'total_bytes AS Data_length, toUInt64(0) AS Max_data_length, toUInt64(0) AS Index_length, toUInt64(0) AS Data_free, ' +
      'CAST(NULL AS Nullable(UInt64)) AS Auto_increment, metadata_modification_time AS Create_time, CAST(NULL AS Nullable(DateTime)) AS Update_time, ' +
      "CAST(NULL AS Nullable(DateTime)) AS Check_time, 'utf8mb4_general_ci' AS Collation, CAST(NULL AS Nullable(UInt64)) AS Checksum, '' AS Create_options, comment AS Comment " +
      `FROM system.tables WHERE database = ${sqlString(db)}`;
    return { kind: 'engine', sql: engineFiltered(sql, 'name', f, 'name') };
  }
  if (w.accept('TABLES')) {
    let db = ctx.database;
    if (w.accept('FROM') || w.accept('IN')) db = w.ident() ?? db;
    const f = filterClause(w);
    if (!f) return undefined;
    const col = quoteIdent(`Tables_in_${db}`);
    const type = full ? ", multiIf(engine IN ('View', 'MaterializedView'), 'VIEW', is_temporary = 1, 'LOCAL TEMPORARY', 'BASE TABLE') AS Table_type" : '';
    return { kind: 'engine', sql: engineFiltered(`SELECT name AS ${col}${type} FROM system.tables WHERE database = ${sqlString(db)}`, 'name', f, 'name') };
  }
  if (w.accept('COLUMNS') || w.accept('FIELDS')) {
    if (!(w.accept('FROM') || w.accept('IN'))) return undefined;
    const t = w.qualified();
    if (!t) return undefined;
    let db = t.db ?? ctx.database;
    if (w.accept('FROM') || w.accept('IN')) db = w.ident() ?? db;
    const f = filterClause(w);
    if (!f || f.where !== undefined) return undefined;
    return showColumns(db, t.name, full, f.like);
  }
  if (w.accept('INDEX') || w.accept('INDEXES') || w.accept('KEYS')) {
    const header: Header = [
      ...strHeader('Table'), { name: 'Non_unique', type: T.Int64 }, ...strHeader('Key_name'), { name: 'Seq_in_index', type: T.Int64 },
      ...strHeader('Column_name', 'Collation'), { name: 'Cardinality', type: nullableType(T.Int64) }, { name: 'Sub_part', type: NS },
      { name: 'Packed', type: NS }, ...strHeader('Null', 'Index_type', 'Comment', 'Index_comment', 'Visible'), { name: 'Expression', type: NS },
    ];
    return { kind: 'rows', header, rows: [] };
  }
  if (w.accept('WARNINGS') || w.accept('ERRORS')) {
    return { kind: 'rows', header: [{ name: 'Level', type: S }, { name: 'Code', type: T.UInt32 }, { name: 'Message', type: S }], rows: [] };
  }
  if (w.accept('COUNT')) {
    // SHOW COUNT(*) WARNINGS | ERRORS
    const what = w.t.find((t) => t.kind === 'word' && /^(warnings|errors)$/i.test(t.text))?.text.toLowerCase() ?? 'warnings';
    return { kind: 'rows', header: [{ name: `@@session.${what === 'errors' ? 'error' : 'warning'}_count`, type: T.Int64 }], rows: [[0n]] };
  }
  if (w.accept('ENGINES') || w.accept('STORAGE', 'ENGINES')) {
    return {
      kind: 'engine',
      sql: "SELECT name AS Engine, if(name = 'Stream', 'DEFAULT', 'YES') AS Support, concat(name, ' table engine') AS Comment, 'NO' AS Transactions, 'NO' AS XA, 'NO' AS Savepoints FROM system.table_engines",
    };
  }
  if (w.accept('COLLATION')) {
    const f = filterClause(w);
    if (!f) return undefined;
    const header: Header = [...strHeader('Collation', 'Charset'), { name: 'Id', type: T.UInt64 }, ...strHeader('Default', 'Compiled'), { name: 'Sortlen', type: T.UInt32 }, ...strHeader('Pad_attribute')];
    return rowsAction(header, COLLATIONS.map(([c, cs, id, d]) => [c, cs, BigInt(id), d, 'Yes', 1, 'PAD SPACE']), f);
  }
  if (w.accept('CHARACTER', 'SET') || w.accept('CHARSET')) {
    const f = filterClause(w);
    if (!f) return undefined;
    const header: Header = [...strHeader('Charset', 'Description', 'Default collation'), { name: 'Maxlen', type: T.UInt32 }];
    return rowsAction(header, CHARSETS.map((r) => [...r]), f);
  }
  if (w.accept('PROCESSLIST')) {
    const header: Header = [
      { name: 'Id', type: T.UInt64 }, ...strHeader('User', 'Host'), { name: 'db', type: NS }, ...strHeader('Command'),
      { name: 'Time', type: T.Int32 }, { name: 'State', type: NS }, { name: 'Info', type: NS },
    ];
    return {
      kind: 'rows',
      header,
      rows: ctx.processList().map((p) => [BigInt(p.id), p.user, p.host, p.db, p.command, p.timeSec, p.command === 'Query' ? 'executing' : '', p.info === null ? null : full ? p.info : p.info.slice(0, 100)]),
    };
  }
  if (w.accept('GRANTS')) {
    return { kind: 'rows', header: strHeader(`Grants for ${ctx.user}@%`), rows: [[`GRANT ALL PRIVILEGES ON *.* TO \`${ctx.user}\`@\`%\``]] };
  }
  if (w.accept('CREATE', 'TABLE') || w.accept('CREATE', 'VIEW')) {
    const t = w.qualified();
    if (!t) return undefined;
    const target = `${t.db ? quoteIdent(t.db) + '.' : ''}${quoteIdent(t.name)}`;
    return {
      kind: 'engine_rows',
      sql: `SHOW CREATE TABLE ${target}`,
      transform: (rows) => ({ header: strHeader('Table', 'Create Table'), rows: rows.map((r) => [t.name, String(r[0])]) }),
    };
  }
  if (w.accept('CREATE', 'DATABASE') || w.accept('CREATE', 'SCHEMA')) {
    const db = w.ident();
    if (db === undefined) return undefined;
    return { kind: 'rows', header: strHeader('Database', 'Create Database'), rows: [[db, `CREATE DATABASE ${quoteIdent(db)}`]] };
  }
  if (w.accept('PLUGINS')) {
    return {
      kind: 'rows',
      header: strHeader('Name', 'Status', 'Type', 'Library', 'License'),
      rows: [
        ['mysql_native_password', 'ACTIVE', 'AUTHENTICATION', '', 'Apache-2.0'],
        ['caching_sha2_password', 'ACTIVE', 'AUTHENTICATION', '', 'Apache-2.0'],
      ],
    };
  }
  return undefined;
}

/** `SHOW [FULL] COLUMNS FROM t`: the engine's DESCRIBE with MySQL's column names and type names. */
function showColumns(db: string, table: string, full: boolean, like: string | undefined): CompatAction {
  return {
    kind: 'engine_rows',
    sql: `DESCRIBE TABLE ${quoteIdent(db)}.${quoteIdent(table)}`,
    transform: (rows) => describeToShowColumns(rows, full, like),
  };
}

/** The MySQL spelling of a ClickHouse type name, whether it is nullable and whether it is text. */
function mysqlTypeOf(typeName: string): { sqlName: string; nullable: boolean; text: boolean } {
  try {
    const t = parseDataType(typeName);
    const m = mysqlColumnType(t);
    return { sqlName: m.sqlName, nullable: (m.flags & ColumnFlag.NOT_NULL) === 0, text: m.charset !== Charset.BINARY };
  } catch {
    return { sqlName: typeName, nullable: false, text: false };
  }
}

function describeToShowColumns(rows: Value[][], full: boolean, like: string | undefined): { header: Header; rows: Value[][] } {
  const header: Header = full
    ? [...strHeader('Field', 'Type'), { name: 'Collation', type: NS }, ...strHeader('Null', 'Key'), { name: 'Default', type: NS }, ...strHeader('Extra', 'Privileges', 'Comment')]
    : [...strHeader('Field', 'Type', 'Null', 'Key'), { name: 'Default', type: NS }, ...strHeader('Extra')];
  const out: Value[][] = [];
  for (const r of filterRows(rows, like)) {
    const [name, type, defaultKind, defaultExpr, comment] = r.map((v) => (v === null ? '' : String(v)));
    const t = mysqlTypeOf(type!);
    const dflt = defaultKind === 'DEFAULT' && defaultExpr ? defaultExpr : null;
    const extra = defaultKind === 'MATERIALIZED' || defaultKind === 'ALIAS' ? `${defaultKind} ${defaultExpr}` : '';
    if (full) out.push([name!, t.sqlName, t.text ? 'utf8mb4_general_ci' : null, t.nullable ? 'YES' : 'NO', '', dflt, extra, 'select,insert,update,references', comment!]);
    else out.push([name!, t.sqlName, t.nullable ? 'YES' : 'NO', '', dflt, extra]);
  }
  return { header, rows: out };
}
