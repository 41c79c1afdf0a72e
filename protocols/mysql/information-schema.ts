import type { Value } from '../../src/columns/values.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { mysqlColumnType, valueType } from './column-types.js';
import { Charset, ColumnFlag } from './mysql-constants.js';
import { significant, tokenize, type Token } from './sql-scanner.js';

/**
 * MySQL's INFORMATION_SCHEMA.{SCHEMATA, TABLES, COLUMNS} as MySQL clients read them (Connector/J's
 * DatabaseMetaData queries them): uppercase column names, MySQL type names (`int unsigned`,
 * `decimal(10,2)`), built from the engine's system tables and substituted into the query as derived tables.
 */

type Col = readonly [name: string, type: string];

const SCHEMATA: readonly Col[] = [
  ['CATALOG_NAME', 'String'], ['SCHEMA_NAME', 'String'], ['DEFAULT_CHARACTER_SET_NAME', 'String'], ['DEFAULT_COLLATION_NAME', 'String'],
  ['SQL_PATH', 'Nullable(String)'], ['DEFAULT_ENCRYPTION', 'String'],
];

const TABLES: readonly Col[] = [
  ['TABLE_CATALOG', 'String'], ['TABLE_SCHEMA', 'String'], ['TABLE_NAME', 'String'], ['TABLE_TYPE', 'String'], ['ENGINE', 'String'],
  ['VERSION', 'UInt64'], ['ROW_FORMAT', 'String'], ['TABLE_ROWS', 'Nullable(UInt64)'], ['AVG_ROW_LENGTH', 'UInt64'], ['DATA_LENGTH', 'Nullable(UInt64)'],
  ['MAX_DATA_LENGTH', 'UInt64'], ['INDEX_LENGTH', 'UInt64'], ['DATA_FREE', 'UInt64'], ['AUTO_INCREMENT', 'Nullable(UInt64)'],
  ['CREATE_TIME', 'Nullable(String)'], ['UPDATE_TIME', 'Nullable(String)'], ['CHECK_TIME', 'Nullable(String)'], ['TABLE_COLLATION', 'String'],
  ['CHECKSUM', 'Nullable(UInt64)'], ['CREATE_OPTIONS', 'String'], ['TABLE_COMMENT', 'String'],
];

const COLUMNS: readonly Col[] = [
  ['TABLE_CATALOG', 'String'], ['TABLE_SCHEMA', 'String'], ['TABLE_NAME', 'String'], ['COLUMN_NAME', 'String'], ['ORDINAL_POSITION', 'UInt64'],
  ['COLUMN_DEFAULT', 'Nullable(String)'], ['IS_NULLABLE', 'String'], ['DATA_TYPE', 'String'], ['CHARACTER_MAXIMUM_LENGTH', 'Nullable(Int64)'],
  ['CHARACTER_OCTET_LENGTH', 'Nullable(Int64)'], ['NUMERIC_PRECISION', 'Nullable(UInt64)'], ['NUMERIC_SCALE', 'Nullable(UInt64)'],
  ['DATETIME_PRECISION', 'Nullable(UInt32)'], ['CHARACTER_SET_NAME', 'Nullable(String)'], ['COLLATION_NAME', 'Nullable(String)'],
  ['COLUMN_TYPE', 'String'], ['COLUMN_KEY', 'String'], ['EXTRA', 'String'], ['PRIVILEGES', 'String'], ['COLUMN_COMMENT', 'String'],
  ['GENERATION_EXPRESSION', 'String'], ['SRS_ID', 'Nullable(UInt32)'],
];

const SHAPES: Record<string, readonly Col[]> = { SCHEMATA, TABLES, COLUMNS };

/**
 * The derived tables' columns carry this prefix and references to them are renamed: in MySQL a select
 * alias never shadows a column (`CASE … DATA_TYPE … END AS DATA_TYPE, UPPER(DATA_TYPE)`), in ClickHouse
 * it does. Bare select items keep MySQL's names (`c_TABLE_NAME AS TABLE_NAME`).
 */
const INNER = 'c_';
const COLUMN_NAMES = new Set(Object.values(SHAPES).flatMap((cols) => cols.map(([n]) => n)));

export type InfoSchemaTable = 'SCHEMATA' | 'TABLES' | 'COLUMNS';

interface Reference {
  readonly start: number;
  readonly end: number;
  readonly table: InfoSchemaTable;
  /** The token after the reference is an alias (or AS): no alias of ours is added. */
  readonly aliased: boolean;
}

const NOT_ALIAS = new Set(['WHERE', 'ORDER', 'GROUP', 'HAVING', 'LIMIT', 'JOIN', 'LEFT', 'RIGHT', 'INNER', 'CROSS', 'FULL', 'ON', 'USING', 'UNION', 'SETTINGS', 'FORMAT', 'FINAL', 'SAMPLE', 'ARRAY', 'GLOBAL', 'ANY', 'ALL']);

function references(tokens: readonly Token[]): Reference[] {
  const sig = significant(tokens);
  const out: Reference[] = [];
  for (let k = 0; k + 2 < sig.length; k++) {
    const a = sig[k]!;
    const dot = sig[k + 1]!;
    const b = sig[k + 2]!;
    if ((a.kind === 'word' || a.kind === 'quoted_ident') && a.text.toUpperCase() === 'INFORMATION_SCHEMA' && dot.kind === 'punct' && dot.text === '.' && (b.kind === 'word' || b.kind === 'quoted_ident')) {
      const table = b.text.toUpperCase();
      if (!(table in SHAPES)) continue;
      const next = sig[k + 3];
      const aliased = !!next && (next.kind === 'word' || next.kind === 'quoted_ident') && !NOT_ALIAS.has(next.text.toUpperCase());
      out.push({ start: a.start, end: b.end, table: table as InfoSchemaTable, aliased });
    }
  }
  return out;
}

/** The INFORMATION_SCHEMA tables a query reads (empty for most queries). */
export function infoSchemaTables(sql: string): Set<InfoSchemaTable> {
  if (!/information_schema/i.test(sql)) return new Set();
  return new Set(references(tokenize(sql)).map((r) => r.table));
}

function lit(v: Value): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return `'${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function derivedTable(cols: readonly Col[], rows: Value[][]): string {
  const structure = cols.map(([n, t]) => `${INNER}${n} ${t}`).join(', ');
  const body = (rows.length ? rows : [cols.map(([, t]) => (t.startsWith('Nullable') ? null : t === 'String' ? '' : 0))]).map((r) => `(${r.map(lit).join(', ')})`).join(', ');
  return `(SELECT * FROM values('${structure}', ${body})${rows.length ? '' : ' WHERE 0'})`;
}

/** The engine queries whose rows feed each table. */
export const SOURCE_QUERIES: Record<InfoSchemaTable, string> = {
  SCHEMATA: 'SELECT name FROM system.databases ORDER BY name',
  TABLES: 'SELECT database, name, engine, comment, total_rows, total_bytes, is_temporary, toString(metadata_modification_time) FROM system.tables ORDER BY database, name',
  COLUMNS: 'SELECT database, table, name, type, position, default_kind, default_expression, comment FROM system.columns ORDER BY database, table, position',
};

const INT_PRECISION: Record<string, number> = { tinyint: 3, smallint: 5, mediumint: 7, int: 10, bigint: 19 };

function columnRow(r: Value[]): Value[] {
  const [db, table, name, typeName, position, defaultKind, defaultExpr, comment] = r.map((v) => (v === null ? '' : String(v)));
  let t;
  try {
    t = parseDataType(typeName!);
  } catch {
    t = undefined;
  }
  const m = t ? mysqlColumnType(t) : undefined;
  const columnType = m?.sqlName ?? 'text';
  const dataType = columnType.replace(/\(.*$/, '').replace(/ unsigned$/, '');
  const unsigned = columnType.endsWith(' unsigned');
  const base = t ? valueType(t) : undefined;
  let charLen: number | null = null;
  let precision: number | null = null;
  let scale: number | null = null;
  let dtPrecision: number | null = null;
  const isText = !!m && m.charset !== Charset.BINARY;
  if (isText) {
    const n = /\((\d+)\)/.exec(columnType);
    charLen = dataType === 'text' ? 65535 : dataType === 'enum' ? Math.floor(m.length / 4) : n ? Number(n[1]) : 65535;
  } else if (base?.kind === 'Decimal') {
    precision = base.precision;
    scale = base.scale;
  } else if (dataType in INT_PRECISION) {
    precision = dataType === 'bigint' && unsigned ? 20 : INT_PRECISION[dataType]!;
    scale = 0;
  } else if (dataType === 'float') precision = 12;
  else if (dataType === 'double') precision = 22;
  else if (dataType === 'datetime') dtPrecision = base?.kind === 'DateTime64' ? Math.min(base.precision, 6) : 0;
  const nullable = !m || (m.flags & ColumnFlag.NOT_NULL) === 0;
  return [
    'def', db, table, name, BigInt(Number(position) || 0), defaultKind === 'DEFAULT' ? defaultExpr : null, nullable ? 'YES' : 'NO', dataType,
    charLen, charLen === null ? null : charLen * 4, precision === null ? null : BigInt(precision), scale === null ? null : BigInt(scale), dtPrecision,
    isText ? 'utf8mb4' : null, isText ? 'utf8mb4_general_ci' : null, columnType, '', defaultKind === 'MATERIALIZED' || defaultKind === 'ALIAS' ? `${defaultKind} GENERATED` : '',
    'select,insert,update,references', comment, defaultKind === 'MATERIALIZED' || defaultKind === 'ALIAS' ? defaultExpr : '', null,
  ];
}

/** Derived-table SQL for one table from its source query's rows. */
export function buildTable(table: InfoSchemaTable, rows: Value[][]): string {
  switch (table) {
    case 'SCHEMATA':
      return derivedTable(SCHEMATA, rows.map((r) => ['def', r[0]!, 'utf8mb4', 'utf8mb4_general_ci', null, 'NO']));
    case 'TABLES':
      return derivedTable(
        TABLES,
        rows.map(([db, name, engine, comment, totalRows, totalBytes, temporary, created]) => {
          const view = engine === 'View' || engine === 'MaterializedView';
          const type = db === 'system' || String(db).toLowerCase() === 'information_schema' ? 'SYSTEM VIEW' : view ? 'VIEW' : Number(temporary) ? 'LOCAL TEMPORARY' : 'BASE TABLE';
          return ['def', db!, name!, type, engine!, 10, 'Dynamic', totalRows ?? null, 0, totalBytes ?? null, 0, 0, 0, null, created ?? null, null, null, 'utf8mb4_general_ci', null, '', comment ?? ''];
        }),
      );
    case 'COLUMNS':
      return derivedTable(COLUMNS, rows.map(columnRow));
  }
}

/**
 * Substitutes the derived tables into the query and renames references to their columns (MySQL's names
 * are case-insensitive and never shadowed by aliases; the engine's are case-sensitive and shadowed).
 */
export function rewriteInfoSchema(sql: string, derived: ReadonlyMap<InfoSchemaTable, string>): string {
  const { inner, cond } = splitHaving(sql);
  const rewritten = renameColumns(inner, derived);
  return cond === undefined ? rewritten : `SELECT * FROM (${rewritten}) WHERE ${cond}`;
}

function matchingParen(sig: readonly Token[], open: number): number {
  let depth = 0;
  for (let k = open; k < sig.length; k++) {
    if (sig[k]!.kind !== 'punct') continue;
    if (sig[k]!.text === '(') depth++;
    else if (sig[k]!.text === ')' && --depth === 0) return k;
  }
  return -1;
}

function renameColumns(sql: string, derived: ReadonlyMap<InfoSchemaTable, string>): string {
  const tokens = tokenize(sql);
  const refs = references(tokens);
  const edits: { start: number; end: number; text: string }[] = refs.map((r) => ({ start: r.start, end: r.end, text: `${derived.get(r.table)}${r.aliased ? '' : ` AS ${r.table}`}` }));
  const sig = significant(tokens).filter((t) => !refs.some((r) => t.start >= r.start && t.end <= r.end && !(t.start === r.start)));
  // Per parenthesis depth: are we inside a select list?
  const inSelect: boolean[] = [false];
  let depth = 0;
  const upper = (k: number) => (sig[k] ? sig[k]!.text.toUpperCase() : '');
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k]!;
    if (refs.some((r) => r.start === t.start)) continue;
    if (t.kind === 'punct' && t.text === '(') {
      inSelect[++depth] = false;
      continue;
    }
    if (t.kind === 'punct' && t.text === ')') {
      depth = Math.max(0, depth - 1);
      continue;
    }
    if (t.kind === 'word' && upper(k) === 'SELECT') inSelect[depth] = true;
    else if (t.kind === 'word' && upper(k) === 'FROM') inSelect[depth] = false;
    if (t.kind === 'punct' && t.text === '*' && inSelect[depth] && (upper(k - 1) === 'SELECT' || upper(k - 1) === ',') && refs.length === 1) {
      const cols = SHAPES[refs[0]!.table]!;
      edits.push({ start: t.start, end: t.end, text: cols.map(([n]) => `${INNER}${n} AS ${n}`).join(', ') });
      continue;
    }
    if (t.kind === 'word' && /^(UPPER|UCASE|LOWER|LCASE)$/.test(upper(k)) && sig[k + 1]?.text === '(') {
      // MySQL's UPPER / LOWER take numbers too (Connector/J wraps numeric CASEs in UPPER).
      const close = matchingParen(sig, k + 1);
      if (close > 0) {
        const fn = /^(UPPER|UCASE)$/.test(upper(k)) ? 'upperUTF8' : 'lowerUTF8';
        edits.push({ start: t.start, end: sig[k + 1]!.end, text: `${fn}(toString(` });
        edits.push({ start: sig[close]!.start, end: sig[close]!.end, text: '))' });
      }
      continue;
    }
    if (!(t.kind === 'word' || t.kind === 'quoted_ident') || !COLUMN_NAMES.has(t.text.toUpperCase())) continue;
    const prev = upper(k - 1);
    if (prev === 'AS') continue; // an alias keeps its name
    if (sig[k + 1]?.kind === 'punct' && sig[k + 1]!.text === '(') continue; // a function call
    const name = t.text.toUpperCase();
    const next = upper(k + 1);
    const bareItem = inSelect[depth] && (prev === 'SELECT' || prev === ',' || prev === 'DISTINCT') && (next === ',' || next === 'FROM' || next === '');
    edits.push({ start: t.start, end: t.end, text: bareItem ? `${INNER}${name} AS ${name}` : `${INNER}${name}` });
  }
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let pos = 0;
  for (const e of edits) {
    out += sql.slice(pos, e.start) + e.text;
    pos = e.end;
  }
  return out + sql.slice(pos);
}

/**
 * MySQL's `HAVING` without `GROUP BY` filters rows by select-list aliases (Connector/J's getTables does
 * this); the engine wants aggregation there, so the filter moves to an outer query:
 * `SELECT … FROM … WHERE … HAVING c ORDER BY o` → `SELECT * FROM (SELECT … FROM … WHERE … ORDER BY o) WHERE c`.
 */
function splitHaving(sql: string): { inner: string; cond?: string } {
  const sig = significant(tokenize(sql));
  let depth = 0;
  let having = -1;
  let condEnd = -1;
  let grouped = false;
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k]!;
    if (t.kind === 'punct' && t.text === '(') depth++;
    else if (t.kind === 'punct' && t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'word') {
      const w = t.text.toUpperCase();
      if (w === 'GROUP' && sig[k + 1]?.text.toUpperCase() === 'BY') grouped = true;
      else if (w === 'HAVING' && having < 0) having = k;
      else if (having >= 0 && condEnd < 0 && (w === 'ORDER' || w === 'LIMIT')) condEnd = k;
    } else if (depth === 0 && having >= 0 && condEnd < 0 && t.kind === 'punct' && t.text === ';') condEnd = k;
  }
  if (having < 0 || grouped) return { inner: sql };
  const h = sig[having]!;
  const condStart = sig[having + 1]?.start ?? h.end;
  const condStop = condEnd >= 0 ? sig[condEnd]!.start : sql.length;
  const rest = sql.slice(condStop).replace(/;\s*$/, '');
  return { inner: `${sql.slice(0, h.start)}${rest}`, cond: sql.slice(condStart, condStop) };
}
