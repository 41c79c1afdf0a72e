import { DbError } from '../../src/errors/index.js';
import { quoteString, tokenize, type Token } from '../../src/sql/index.js';
import { arrayLiteral } from './param-binding.js';

const PG_TEXT_OID = 25;

/**
 * Postgres-dialect SQL → the engine's SQL, token by token (the text between tokens is kept, so positions in
 * error messages stay close). What Postgres clients send that the engine's ClickHouse dialect lacks:
 *   `$n` bind parameters → literals;  'it''s\x' standard strings → escaped literals;  E'…' → '…';
 *   `OPERATOR(pg_catalog.~)` → `~`;  `COLLATE x` dropped;  `LIMIT ALL` dropped;  `pg_catalog.f(` → `f(`;
 *   `'t'::regclass` → the table's OID;  `::int8`, `::oid`, `::float4`, `::name`, `::timestamptz`, `::json`,
 *   `::numeric`, `::text[]` … → engine types;  `version()`, `current_schema[()]`, `current_schemas(b)`,
 *   `current_database()`, `current_user`, `session_user`, `pg_backend_pid()` → session values;  `public.t` → `default.t`.
 */

export interface RewriteContext {
  /** Literals for `$1`, `$2`, …; undefined: placeholders are not allowed (simple query). */
  readonly params?: readonly string[];
  /** The current Hadron database. */
  readonly database: string;
  readonly user: string;
  readonly serverVersion: string;
  /** This connection's backend process id, for pg_backend_pid(). */
  readonly backendPid: number;
  /** OID of a table by (possibly schema-qualified) name, for `'name'::regclass`. */
  regclass(name: string): number | undefined;
}

/** The schema name a Hadron database is shown as (`default` is Postgres' `public`). */
export function schemaOf(database: string): string {
  return database === 'default' ? 'public' : database;
}

export function databaseOf(schema: string): string {
  return schema === 'public' ? 'default' : schema;
}

const TYPE_MAP: Readonly<Record<string, string>> = {
  int8: 'Int64',
  int4: 'Int32',
  int2: 'Int16',
  int: 'Int32',
  integer: 'Int32',
  bigint: 'Int64',
  smallint: 'Int16',
  oid: 'UInt32',
  regproc: 'String',
  regtype: 'String',
  regnamespace: 'String',
  regrole: 'String',
  name: 'String',
  text: 'String',
  varchar: 'String',
  bpchar: 'String',
  char: 'String',
  json: 'String',
  jsonb: 'String',
  float4: 'Float32',
  float8: 'Float64',
  real: 'Float32',
  timestamptz: "DateTime64(6, 'UTC')",
  timestamp: 'DateTime64(6)',
  bool: 'Bool',
  boolean: 'Bool',
  numeric: 'Decimal(38, 10)',
  decimal: 'Decimal(38, 10)',
  bytea: 'String',
  date: 'Date',
  uuid: 'UUID',
};

/** Canonical Postgres-style text of a raw standard string token: no backslash escapes, '' is a quote. */
function standardString(raw: string): string {
  return raw.slice(1, -1).replace(/''/g, "'");
}

export function rewriteSql(sql: string, ctx: RewriteContext): string {
  let tokens: Token[];
  try {
    tokens = tokenize(sql);
  } catch {
    return sql; // the engine reports the syntax error
  }
  let out = '';
  let pos = 0;
  const emit = (from: number, to: number, text: string) => {
    out += sql.slice(pos, from) + text;
    pos = to;
  };
  const word = (i: number, w?: string) => {
    const t = tokens[i];
    return !!t && t.type === 'word' && (w === undefined || t.upper === w);
  };
  const op = (i: number, v: string) => {
    const t = tokens[i];
    return !!t && t.type === 'op' && t.value === v;
  };
  // Select lists per parenthesis depth: Postgres names a `t.col` item `col`, the engine `t.col`.
  const levels: { inSelect: boolean; names: Set<string> }[] = [{ inSelect: false, names: new Set() }];
  const itemEnd = (k: number) => {
    const a = tokens[k];
    return !a || (a.type === 'op' && (a.value === ',' || a.value === ';' || a.value === ')')) || (a.type === 'word' && a.upper === 'FROM');
  };
  let strippedAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prevDot = op(i - 1, '.') && i !== strippedAt;
    const level = levels[levels.length - 1]!;
    if (t.type === 'op' && t.value === '(') levels.push({ inSelect: false, names: new Set() });
    else if (t.type === 'op' && t.value === ')' && levels.length > 1) levels.pop();
    else if (t.type === 'word' && t.upper === 'SELECT') levels[levels.length - 1] = { inSelect: true, names: new Set() };
    else if (t.type === 'word' && t.upper === 'FROM') level.inSelect = false;
    else if (level.inSelect && (t.type === 'word' || t.type === 'quoted') && !prevDot && op(i + 1, '.') && (tokens[i + 2]?.type === 'word' || tokens[i + 2]?.type === 'quoted') && itemEnd(i + 3)) {
      const before = tokens[i - 1];
      const starts = before && ((before.type === 'word' && (before.upper === 'SELECT' || before.upper === 'DISTINCT')) || (before.type === 'op' && before.value === ','));
      const col = tokens[i + 2]!;
      if (starts && !level.names.has(col.value) && col.value !== '*') {
        level.names.add(col.value);
        emit(col.end, col.end, ' AS `' + col.value.replace(/`/g, '\\`') + '`');
      }
    }
    if (t.type === 'placeholder') {
      const n = Number(t.value.slice(1));
      const lit = ctx.params?.[n - 1];
      if (lit === undefined) throw new DbError('BAD_ARGUMENTS', `there is no parameter ${t.value}`);
      emit(t.start, t.end, lit);
      continue;
    }
    if (t.type === 'string') {
      const prev = tokens[i - 1];
      const eString = prev && prev.type === 'word' && prev.upper === 'E' && prev.end === t.start;
      const raw = sql.slice(t.start, t.end);
      if (!eString && raw.includes('\\')) emit(t.start, t.end, quoteString(standardString(raw)));
      continue;
    }
    if (t.type === 'word' && t.upper === 'E' && tokens[i + 1]?.type === 'string' && tokens[i + 1]!.start === t.end) {
      emit(t.start, t.end, '');
      continue;
    }
    if (t.type === 'op' && t.value === '::') {
      // ::pg_catalog.regtype → ::regtype
      const qualified = word(i + 1, 'PG_CATALOG') && op(i + 2, '.') && !!tokens[i + 3];
      if (qualified) tokens.splice(i + 1, 2);
      const next = tokens[i + 1];
      if (next && (next.type === 'word' || next.type === 'quoted')) {
        const name = next.value.toLowerCase();
        const array = op(i + 2, '[') && op(i + 3, ']');
        const end = array ? tokens[i + 3]!.end : next.end;
        if (name === 'regclass') {
          const prev = tokens[i - 1];
          if (prev?.type === 'string') {
            const oid = ctx.regclass(prev.value);
            if (oid === undefined) throw new DbError('UNKNOWN_TABLE', `relation "${prev.value}" does not exist`);
            out += sql.slice(pos, prev.start) + String(oid);
            pos = next.end;
            i++;
            continue;
          }
          emit(t.start, next.end, '::UInt32');
          i++;
          continue;
        }
        if (name === 'regproc' && tokens[i - 1]?.type === 'string' && tokens[i - 1]!.value.startsWith('pg_catalog.')) {
          // 'pg_catalog.array_in'::regproc compares with pg_type.typinput, which holds unqualified names.
          const prev = tokens[i - 1]!;
          out += sql.slice(pos, prev.start) + quoteString(prev.value.slice('pg_catalog.'.length));
          pos = prev.end;
        }
        const mapped = TYPE_MAP[name];
        if (mapped && !array && !(name === 'numeric' && op(i + 2, '(')) && !(name === 'varchar' && op(i + 2, '('))) {
          emit(t.start, end, '::' + (array ? `Array(${mapped})` : mapped));
          i += array ? 3 : 1;
          continue;
        }
        if (array && tokens[i - 1]?.type === 'string' && tokens[i - 1]!.value.trim().startsWith('{')) {
          // '{1,2}'::int4[]: Postgres' array text becomes an array of strings the cast converts.
          const prev = tokens[i - 1]!;
          out += sql.slice(pos, prev.start) + arrayLiteral(PG_TEXT_OID, prev.value);
          pos = prev.end;
        }
        if (mapped && array) {
          emit(t.start, end, `::Array(${mapped})`);
          i += 3;
          continue;
        }
        if (array) {
          emit(t.start, end, `::Array(${next.value})`);
          i += 3;
          continue;
        }
        if (qualified) emit(t.start, next.end, '::' + sql.slice(next.start, next.end));
      }
      continue;
    }
    if (t.type !== 'word') continue;
    // OPERATOR(pg_catalog.~)
    if (t.upper === 'OPERATOR' && op(i + 1, '(')) {
      let j = i + 2;
      if (word(j, 'PG_CATALOG') && op(j + 1, '.')) j += 2;
      const o = tokens[j];
      if (o?.type === 'op' && op(j + 1, ')')) {
        emit(t.start, tokens[j + 1]!.end, ` ${o.value} `);
        i = j + 1;
        continue;
      }
    }
    if (t.upper === 'COLLATE') {
      let j = i + 1;
      if ((tokens[j]?.type === 'word' || tokens[j]?.type === 'quoted') && op(j + 1, '.')) j += 2;
      const c = tokens[j];
      if (c && (c.type === 'word' || c.type === 'quoted')) {
        emit(t.start, c.end, '');
        i = j;
        continue;
      }
    }
    if (t.upper === 'LIMIT' && word(i + 1, 'ALL')) {
      emit(t.start, tokens[i + 1]!.end, '');
      i++;
      continue;
    }
    if (t.upper === 'PG_CATALOG' && op(i + 1, '.') && word(i + 2) && op(i + 3, '(') && !prevDot) {
      emit(t.start, tokens[i + 2]!.start, '');
      strippedAt = i + 2;
      i++;
      continue;
    }
    if (t.upper === 'PUBLIC' && op(i + 1, '.') && (word(i + 2) || tokens[i + 2]?.type === 'quoted') && !op(i + 3, '(') && !prevDot) {
      emit(t.start, t.end, 'default');
      continue;
    }
    if (prevDot) continue;
    // A select-list item on its own gets Postgres' column name (`SELECT version()` → column "version").
    const alias = (lastIdx: number) => {
      const before = tokens[i === strippedAt ? i - 3 : i - 1];
      const after = tokens[lastIdx + 1];
      const itemStart = !before || (before.type === 'word' && before.upper === 'SELECT') || (before.type === 'op' && before.value === ',');
      const itemEnd = !after || (after.type === 'op' && (after.value === ',' || after.value === ';')) || (after.type === 'word' && after.upper === 'FROM');
      return itemStart && itemEnd ? ` AS ${t.value.toLowerCase()}` : '';
    };
    const call = op(i + 1, '(');
    const emptyCall = call && op(i + 2, ')');
    if (emptyCall && t.upper === 'VERSION') {
      emit(t.start, tokens[i + 2]!.end, quoteString(`PostgreSQL ${ctx.serverVersion} (Hadron) on x86_64-pc-linux-gnu, compiled by TypeScript, 64-bit`) + alias(i + 2));
      i += 2;
      continue;
    }
    if (t.upper === 'CURRENT_SCHEMA' && (emptyCall || !call)) {
      emit(t.start, emptyCall ? tokens[i + 2]!.end : t.end, quoteString(schemaOf(ctx.database)) + alias(emptyCall ? i + 2 : i));
      if (emptyCall) i += 2;
      continue;
    }
    if (t.upper === 'PG_BACKEND_PID' && emptyCall) {
      emit(t.start, tokens[i + 2]!.end, `toInt32(${ctx.backendPid})` + alias(i + 2));
      i += 2;
      continue;
    }
    if (t.upper === 'CURRENT_DATABASE' && emptyCall) {
      emit(t.start, tokens[i + 2]!.end, quoteString(schemaOf(ctx.database)) + alias(i + 2));
      i += 2;
      continue;
    }
    if (t.upper === 'CURRENT_SCHEMAS' && call && op(i + 3, ')')) {
      emit(t.start, tokens[i + 3]!.end, `['pg_catalog', ${quoteString(schemaOf(ctx.database))}]` + alias(i + 3));
      i += 3;
      continue;
    }
    if ((t.upper === 'CURRENT_USER' || t.upper === 'SESSION_USER') && (!call || emptyCall)) {
      emit(t.start, emptyCall ? tokens[i + 2]!.end : t.end, quoteString(ctx.user) + alias(emptyCall ? i + 2 : i));
      if (emptyCall) i += 2;
      continue;
    }
  }
  return out + sql.slice(pos);
}

/** The highest `$n` in a statement (how many parameters it takes). */
export function countPlaceholders(sql: string): number {
  let max = 0;
  try {
    for (const t of tokenize(sql)) if (t.type === 'placeholder') max = Math.max(max, Number(t.value.slice(1)));
  } catch {
    return 0;
  }
  return max;
}
