import type { TypeAst, TypeArg } from './ast.js';

/** Quoting for SQL text the formatter writes: strings, identifiers and types. */

/** `'it\'s'`: ClickHouse's string literal escaping (backslash escapes, control characters spelled out). */
export function quoteString(s: string): string {
  let out = "'";
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let rep: string | undefined;
    if (c === 39) rep = "\\'";
    else if (c === 92) rep = '\\\\';
    else if (c < 32 || c === 127) {
      rep =
        c === 10 ? '\\n' : c === 9 ? '\\t' : c === 13 ? '\\r' : c === 0 ? '\\0' : c === 8 ? '\\b' : c === 12 ? '\\f' : c === 11 ? '\\v'
          : '\\x' + c.toString(16).padStart(2, '0').toUpperCase();
    }
    if (rep !== undefined) {
      out += s.slice(start, i) + rep;
      start = i + 1;
    }
  }
  return out + s.slice(start) + "'";
}

/**
 * Words that cannot be written bare where an identifier is expected without changing the parse; such
 * identifiers are printed with backticks.
 */
const RESERVED = new Set([
  'ALL', 'AND', 'ANTI', 'ANY', 'ARRAY', 'AS', 'ASC', 'ASOF', 'BETWEEN', 'BY', 'CASE', 'CAST', 'CROSS', 'DESC', 'DISTINCT',
  'ELSE', 'EMIT', 'END', 'EXCEPT', 'EXISTS', 'FALSE', 'FINAL', 'FORMAT', 'FROM', 'FULL', 'GLOBAL', 'GROUP', 'HAVING',
  'ILIKE', 'IN', 'INF', 'INFINITY', 'INNER', 'INTERSECT', 'INTERVAL', 'INTO', 'IS', 'JOIN', 'LEFT', 'LIKE', 'LIMIT',
  'NAN', 'NOT', 'NULL', 'NULLS', 'OFFSET', 'ON', 'OR', 'ORDER', 'OUTER', 'OVER', 'PARTITION', 'PREWHERE', 'QUALIFY',
  'RIGHT', 'SAMPLE', 'SELECT', 'SEMI', 'SETTINGS', 'SHUFFLE', 'THEN', 'TOP', 'TOTALS', 'TRUE', 'UNION', 'USING', 'WHEN',
  'WHERE', 'WINDOW', 'WITH', 'COLLATE', 'PASTE', 'LATEST', 'FILTER', 'DIV', 'MOD', 'REGEXP',
  'LATEST', 'VALUES', 'FETCH', 'COLUMNS', 'APPLY', 'REPLACE',
]);

/** An identifier, in backticks only when needed. */
export function quoteIdentifier(name: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name.toUpperCase())) return name;
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/** Words that start a table element in CREATE, so a column with that name needs quoting there. */
const TABLE_ELEMENT_WORDS = new Set(['INDEX', 'CONSTRAINT', 'PROJECTION', 'PRIMARY']);

/** A column name in a column definition. */
export function quoteColumnName(name: string): string {
  return TABLE_ELEMENT_WORDS.has(name.toUpperCase()) ? backQuote(name) : quoteIdentifier(name);
}

/**
 * A database, table or view name where the grammar expects a name (after FROM, INTO, TABLE, a dot…):
 * keywords are fine there, so only names that are not plain words get backticks.
 */
export function quoteName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : backQuote(name);
}

/** An identifier always in backticks (SHOW CREATE style). */
export function backQuote(name: string): string {
  return '`' + name.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/** A type in canonical spelling: `Nullable(Int32)`, `DateTime64(3, 'UTC')`, `Tuple(a Int32, b String)`. */
export function formatType(t: TypeAst): string {
  if (t.args.length === 0) return t.name;
  return `${t.name}(${t.args.map(formatTypeArg).join(', ')})`;
}

function formatTypeArg(a: TypeArg): string {
  switch (a.kind) {
    case 'type':
      return a.name !== undefined ? `${quoteIdentifier(a.name)} ${formatType(a.type)}` : formatType(a.type);
    case 'number':
      return String(a.value);
    case 'string':
      return quoteString(a.value);
    case 'enum':
      return a.value === undefined ? quoteString(a.name) : `${quoteString(a.name)} = ${a.value}`;
  }
}
