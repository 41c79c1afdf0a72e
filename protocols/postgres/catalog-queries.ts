import type { Value } from '../../src/columns/values.js';
import type { Header } from '../../src/core/block.js';
import type { Engine } from '../../src/server/engine.js';
import type { TableEntry } from '../../src/catalog/table-entry.js';
import { tokenize, type Token } from '../../src/sql/index.js';
import { T, arrayType, nullableType, type DataType } from '../../src/types/data-type.js';
import { formatPgType, tableOid } from '../../src/catalog/system/pg-catalog.js';

/**
 * Client catalog queries the engine cannot run as written (correlated subqueries over pg_catalog), each
 * recognised by its shape and answered from the catalog. The compatibility table, one entry per query:
 *
 *  - psql `\d name`, column list: `SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
 *    (SELECT pg_get_expr(d.adbin …) FROM pg_attrdef d WHERE … correlated), a.attnotnull, (SELECT c.collname …
 *    correlated) …, FROM pg_catalog.pg_attribute a WHERE a.attrelid = '<oid>' AND a.attnum > 0 …`: each
 *    select-list item is matched by its text (a.attname, format_type, the attrdef and collation subqueries,
 *    attnotnull, attidentity, attgenerated, attstorage, attcompression, attstattarget, col_description).
 *  - psql `\du`: `SELECT r.rolname, … ARRAY(SELECT b.rolname FROM pg_auth_members m … WHERE m.member = r.oid)
 *    … FROM pg_catalog.pg_roles r WHERE r.rolname !~ '^pg_'`: the configured users, no memberships.
 *  - psql `\dT`: types outside pg_catalog (correlated EXISTS over pg_type): none, all types are built in.
 *  - Any query without UNION that inner-joins one of those empty catalogs (pgjdbc getPrimaryKeys and
 *    getIndexInfo, which read pg_index through derived tables and composite-type expressions): zero rows.
 *  - Footer queries of psql `\d` over catalogs Hadron keeps empty (no indexes, constraints, triggers,
 *    row-security policies, extended statistics, publications or inheritance): pg_policy, pg_statistic_ext,
 *    pg_publication, pg_trigger, pg_inherits, pg_constraint, pg_index: zero rows, columns named like the
 *    query's select list.
 */

export interface CatalogEnv {
  readonly engine: Engine;
  readonly database: string;
  readonly user: string;
}

export interface CatalogAnswer {
  readonly header: Header;
  readonly rows: Value[][];
}

const EMPTY_CATALOGS = ['pg_policy', 'pg_statistic_ext', 'pg_publication', 'pg_publication_rel', 'pg_trigger', 'pg_inherits', 'pg_constraint', 'pg_index', 'pg_rewrite', 'pg_foreign_table', 'pg_partitioned_table', 'pg_sequence', 'pg_extension'];

interface SelectItem {
  readonly text: string;
  readonly name: string;
}

/** The top-level select list of a query (text and output name of each item), and the FROM clause text. */
function selectList(sql: string, tokens: Token[]): { items: SelectItem[]; from: string } | undefined {
  if (tokens[0]?.upper !== 'SELECT') return undefined;
  let depth = 0;
  const items: SelectItem[] = [];
  let start = 1;
  let fromIdx = -1;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'op' && (t.value === '(' || t.value === '[')) depth++;
    else if (t.type === 'op' && (t.value === ')' || t.value === ']')) depth--;
    else if (depth === 0 && ((t.type === 'op' && t.value === ',') || (t.type === 'word' && t.upper === 'FROM'))) {
      items.push(item(sql, tokens.slice(start, i)));
      start = i + 1;
      if (t.type === 'word') {
        fromIdx = i;
        break;
      }
    }
  }
  if (fromIdx < 0) return undefined;
  return { items, from: sql.slice(tokens[fromIdx]!.start) };
}

function item(sql: string, toks: Token[]): SelectItem {
  const text = toks.length ? sql.slice(toks[0]!.start, toks[toks.length - 1]!.end) : '';
  const last = toks[toks.length - 1];
  const beforeLast = toks[toks.length - 2];
  return { text: text.replace(/\s+/g, ' '), name: outputName(toks, last, beforeLast) };
}

/** Postgres' name for a select item: its alias, a column's name, a function's name, `case`, else ?column?. */
function outputName(toks: Token[], last: Token | undefined, beforeLast: Token | undefined): string {
  if (!last) return '?column?';
  if (beforeLast?.type === 'word' && beforeLast.upper === 'AS') return last.value;
  const isName = (t: Token) => t.type === 'word' || t.type === 'quoted';
  if (toks.every((t, k) => (k % 2 === 0 ? isName(t) : t.type === 'op' && t.value === '.'))) return last.value;
  if (toks[0]?.type === 'word' && toks[0].upper === 'CASE' && last.type === 'word' && last.upper === 'END') return 'case';
  const paren = toks.findIndex((t) => t.type === 'op' && t.value === '(');
  if (paren > 0 && last.type === 'op' && last.value === ')' && toks.slice(0, paren).every((t, k) => (k % 2 === 0 ? isName(t) : t.type === 'op' && t.value === '.'))) {
    return toks[paren - 1]!.value;
  }
  return '?column?';
}

function tableByOid(engine: Engine, oid: number): TableEntry | undefined {
  for (const db of engine.catalog.databases.values()) for (const t of db.tables.values()) if (tableOid(t.database, t.name) === oid) return t;
  return undefined;
}

type ColumnFn = (c: TableEntry['columns'][number], attnum: number) => Value;

/** psql `\d` column-list items, by their text (whitespace collapsed). */
const ATTRIBUTE_ITEMS: readonly { match: RegExp; type: DataType; value: ColumnFn }[] = [
  { match: /^a\.attname$/, type: T.String, value: (c) => c.name },
  { match: /^pg_catalog\.format_type\(a\.atttypid, a\.atttypmod\)$/, type: T.String, value: (c) => formatPgType(c.type) },
  { match: /^\(SELECT pg_catalog\.pg_get_expr\(d\.adbin, d\.adrelid, true\) FROM pg_catalog\.pg_attrdef d/, type: nullableType(T.String), value: (c) => c.defaultExpr ?? null },
  { match: /^a\.attnotnull$/, type: T.Bool, value: (c) => c.type.kind !== 'Nullable' },
  { match: /^\(SELECT c\.collname FROM pg_catalog\.pg_collation c, pg_catalog\.pg_type t/, type: nullableType(T.String), value: () => null },
  { match: /^a\.attidentity$/, type: T.String, value: () => '' },
  { match: /^a\.attgenerated$/, type: T.String, value: () => '' },
  { match: /^a\.attstorage$/, type: T.String, value: () => 'p' },
  { match: /^a\.attcompression AS attcompression$/, type: T.String, value: () => '' },
  { match: /^CASE WHEN a\.attstattarget=-1 THEN NULL ELSE a\.attstattarget END AS attstattarget$/, type: nullableType(T.Int32), value: () => null },
  { match: /^pg_catalog\.col_description\(a\.attrelid, a\.attnum\)$/, type: nullableType(T.String), value: (c) => c.comment || null },
];

function psqlDescribeColumns(env: CatalogEnv, items: SelectItem[], from: string): CatalogAnswer | undefined {
  const m = /^FROM pg_catalog\.pg_attribute a\s+WHERE a\.attrelid = '(\d+)' AND a\.attnum > 0 AND NOT a\.attisdropped\s+ORDER BY a\.attnum;?\s*$/.exec(from);
  if (!m) return undefined;
  const cols = items.map((it) => ATTRIBUTE_ITEMS.find((a) => a.match.test(it.text)));
  if (cols.some((c) => !c)) return undefined;
  const table = tableByOid(env.engine, Number(m[1]));
  const visible = table ? table.columns.filter((c) => !c.hidden) : [];
  const header = items.map((it, i) => ({ name: it.name, type: cols[i]!.type }));
  return { header, rows: visible.map((c, k) => cols.map((a) => a!.value(c, k + 1))) };
}

type TableFn = (t: TableEntry) => Value;

/** psql `\d` relation details (the `\d+` variant reads reloptions through unnest, which the engine lacks). */
const RELATION_ITEMS: readonly { match: RegExp; type: DataType; value: TableFn }[] = [
  { match: /^c\.relchecks$/, type: T.Int16, value: () => 0 },
  { match: /^c\.relkind$/, type: T.String, value: (t) => (t.kind === 'view' ? 'v' : t.kind === 'materialized_view' ? 'm' : t.kind === 'external_stream' ? 'f' : 'r') },
  { match: /^c\.(relhasindex|relhasrules|relhastriggers|relrowsecurity|relforcerowsecurity|relispartition)$/, type: T.Bool, value: () => false },
  { match: /^false AS relhasoids$/, type: T.Bool, value: () => false },
  { match: /^''$|^pg_catalog\.array_to_string\(c\.reloptions/, type: T.String, value: () => '' },
  { match: /^c\.reltablespace$/, type: T.UInt32, value: () => 0 },
  { match: /^CASE WHEN c\.reloftype = 0 THEN '' ELSE/, type: T.String, value: () => '' },
  { match: /^c\.relpersistence$/, type: T.String, value: (t) => (t.temporary ? 't' : 'p') },
  { match: /^c\.relreplident$/, type: T.String, value: () => 'd' },
  { match: /^am\.amname$/, type: nullableType(T.String), value: (t) => (t.kind === 'view' ? null : 'heap') },
];

function psqlDescribeRelation(env: CatalogEnv, items: SelectItem[], from: string): CatalogAnswer | undefined {
  const m = /^FROM pg_catalog\.pg_class c\s+LEFT JOIN pg_catalog\.pg_class tc ON \(c\.reltoastrelid = tc\.oid\)\s+LEFT JOIN pg_catalog\.pg_am am ON \(c\.relam = am\.oid\)\s+WHERE c\.oid = '(\d+)';?\s*$/.exec(from);
  if (!m) return undefined;
  const cols = items.map((it) => RELATION_ITEMS.find((a) => a.match.test(it.text)));
  if (cols.some((c) => !c)) return undefined;
  const table = tableByOid(env.engine, Number(m[1]));
  const header = items.map((it, i) => ({ name: it.name, type: cols[i]!.type }));
  return { header, rows: table ? [cols.map((a) => a!.value(table))] : [] };
}

/** psql `\du`: roles with a correlated ARRAY(SELECT … pg_auth_members) column; Hadron's users, no memberships. */
const ROLE_ITEMS: readonly { match: RegExp; type: DataType; value: (user: string) => Value }[] = [
  { match: /^r\.rolname$/, type: T.String, value: (u) => u },
  { match: /^r\.(rolsuper|rolinherit|rolcreaterole|rolcreatedb|rolcanlogin|rolbypassrls)$/, type: T.Bool, value: () => true },
  { match: /^r\.rolreplication$/, type: T.Bool, value: () => false },
  { match: /^r\.rolconnlimit$/, type: T.Int32, value: () => -1 },
  { match: /^r\.rolvaliduntil$/, type: nullableType(T.String), value: () => null },
  { match: /^ARRAY\(SELECT b\.rolname FROM pg_catalog\.pg_auth_members m/, type: arrayType(T.String), value: () => [] },
  { match: /^pg_catalog\.shobj_description\(r\.oid, 'pg_authid'\) AS description$/, type: nullableType(T.String), value: () => null },
];

function psqlRoles(env: CatalogEnv, items: SelectItem[], from: string): CatalogAnswer | undefined {
  if (!/^FROM pg_catalog\.pg_roles r\s+WHERE r\.rolname !~ '\^pg_'\s+ORDER BY 1;?\s*$/.test(from)) return undefined;
  const cols = items.map((it) => ROLE_ITEMS.find((a) => a.match.test(it.text)));
  if (cols.some((c) => !c)) return undefined;
  const users = env.engine.config.users?.length ? env.engine.config.users.map((u) => u.name) : ['default'];
  return { header: items.map((it, i) => ({ name: it.name, type: cols[i]!.type })), rows: [...users].sort().map((u) => cols.map((c) => c!.value(u))) };
}

/** psql `\dT`: user-defined types outside pg_catalog; every Hadron type lives in pg_catalog, so none. */
function psqlUserTypes(items: SelectItem[], from: string): CatalogAnswer | undefined {
  if (!/^FROM pg_catalog\.pg_type t\s+LEFT JOIN pg_catalog\.pg_namespace n ON n\.oid = t\.typnamespace\s+WHERE \(t\.typrelid = 0 OR \(SELECT c\.relkind = 'c'/.test(from)) return undefined;
  if (!/n\.nspname <> 'pg_catalog'/.test(from)) return undefined;
  return { header: items.map((it) => ({ name: it.name, type: nullableType(T.String) })), rows: [] };
}

function emptyCatalogQuery(items: SelectItem[], from: string): CatalogAnswer | undefined {
  const fromTables = [...from.matchAll(/pg_catalog\.(pg_\w+)\b(?!\s*\()/g)].map((x) => x[1]!);
  if (!fromTables.some((t) => EMPTY_CATALOGS.includes(t))) return undefined;
  // Only when every relation read is an empty catalog or pg_class/pg_namespace joined to one.
  if (!fromTables.every((t) => EMPTY_CATALOGS.includes(t) || t === 'pg_class' || t === 'pg_namespace' || t === 'pg_roles' || t === 'pg_attribute')) return undefined;
  return { header: items.map((it) => ({ name: it.name, type: nullableType(T.String) })), rows: [] };
}

/**
 * Queries that inner-join an empty catalog (pgjdbc's getPrimaryKeys and getIndexInfo join pg_index inside a
 * derived table): no rows, whatever else they compute. Queries with UNION are left to the other entries.
 */
function innerJoinsEmptyCatalog(sql: string, items: SelectItem[]): CatalogAnswer | undefined {
  if (/\bUNION\b/i.test(sql)) return undefined;
  const inner = new RegExp(`(?:^|[^T]\\s+)JOIN\\s+pg_catalog\\.(${EMPTY_CATALOGS.join('|')})\\b|,\\s*pg_catalog\\.(${EMPTY_CATALOGS.join('|')})\\b`, 'i');
  const m = inner.exec(sql.replace(/\bLEFT\s+(OUTER\s+)?JOIN\b/gi, 'LEFT_JOIN'));
  if (!m) return undefined;
  return { header: items.map((it) => ({ name: it.name, type: nullableType(T.String) })), rows: [] };
}

/**
 * Correlated subqueries over pg_catalog whose value Hadron's catalog fixes, replaced by that value so the rest
 * of the query runs as real SQL: `(SELECT c.relkind = 'c' FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid)`
 * (pgjdbc getTypeInfo, psql \\dT) is false, as no pg_type row is a composite type (typrelid is always 0);
 * pgjdbc's search-path ranking derived table becomes the one schema on the path.
 */
const FIXED_SUBQUERIES: readonly [RegExp, string][] = [
  [/\(\s*SELECT\s+c\.relkind\s*=\s*'c'\s+FROM\s+pg_catalog\.pg_class\s+c\s+WHERE\s+c\.oid\s*=\s*t\.typrelid\s*\)/gi, 'false'],
  // pgjdbc's TypeInfoCache ranks schemas by their place on the search path through generate_series over
  // current_schemas(false); that path is just the current schema, at rank 1.
  [
    /\(\s*select\s+ns\.oid\s+as\s+nspoid,\s*ns\.nspname,\s*r\.r\s+from\s+pg_namespace\s+as\s+ns\s+join\s*\(\s*select\s+s\.r,\s*\(current_schemas\(false\)\)\[s\.r\]\s+as\s+nspname\s+from\s+generate_series\(1,\s*array_upper\(current_schemas\(false\),\s*1\)\)\s+as\s+s\(r\)\s*\)\s+as\s+r\s+using\s*\(\s*nspname\s*\)\s*\)/gi,
    '(SELECT oid AS nspoid, nspname, toInt32(1) AS r FROM pg_catalog.pg_namespace WHERE nspname = current_schema())',
  ],
];

export function replaceFixedSubqueries(sql: string): string {
  if (!sql.includes('pg_catalog')) return sql;
  for (const [re, value] of FIXED_SUBQUERIES) sql = sql.replace(re, value);
  return sql;
}

export function answerCatalogQuery(sql: string, env: CatalogEnv, _params?: readonly string[]): CatalogAnswer | undefined {
  if (!/pg_catalog\./.test(sql)) return undefined;
  let tokens: Token[];
  try {
    // Only the structure matters here: Postgres' `&` (bitwise and, in pgjdbc's getIndexInfo) is not in the
    // engine's lexer, so it is read as another binary operator.
    tokens = tokenize(sql.includes('&') ? sql.replace(/&/g, '+') : sql);
  } catch {
    return undefined;
  }
  const list = selectList(sql, tokens);
  if (!list) return undefined;
  return (
    psqlDescribeColumns(env, list.items, list.from) ??
    psqlDescribeRelation(env, list.items, list.from) ??
    psqlRoles(env, list.items, list.from) ??
    psqlUserTypes(list.items, list.from) ??
    emptyCatalogQuery(list.items, list.from) ??
    innerJoinsEmptyCatalog(sql, list.items)
  );
}
