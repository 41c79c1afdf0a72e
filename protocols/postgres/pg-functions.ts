import { columnFromValues } from '../../src/columns/builder.js';
import { materialize } from '../../src/columns/ops.js';
import { columnValues, type Value } from '../../src/columns/values.js';
import type { FunctionContext, ScalarFunction } from '../../src/functions/function.js';
import type { FunctionRegistry } from '../../src/functions/registry.js';
import { checkArgCount } from '../../src/functions/core/args.js';
import { T, nullableType, type DataType } from '../../src/types/data-type.js';
import { pgTypeByOid } from '../../src/catalog/system/pg-types.js';
import { pgDatabaseOid, procOid, tableOid } from '../../src/catalog/system/pg-catalog.js';
import type { Engine } from '../../src/server/engine.js';
import type { ServerFacts } from '../../src/functions/function.js';
import type { TableEntry } from '../../src/catalog/table-entry.js';

/**
 * Postgres system functions that catalog queries call (psql, pgjdbc), as ordinary scalar functions over
 * their arguments. Visibility and privilege checks are true: every schema is on the search path and Hadron
 * users may read every table.
 */

function rowFunction(name: string, min: number, max: number, returnType: DataType, description: string, f: (args: Value[], ctx: FunctionContext) => Value): ScalarFunction {
  return {
    name,
    category: 'Postgres compatibility',
    description,
    syntax: `${name}(…)`,
    resolve(args, ctx) {
      checkArgCount(name, args, min, max);
      return {
        returnType,
        execute(cols, rows) {
          const values = cols.map((c, i) => columnValues(args[i]!.type, materialize(c)));
          const out: Value[] = new Array<Value>(rows);
          for (let r = 0; r < rows; r++) out[r] = f(values.map((v) => v[r]!), ctx);
          return columnFromValues(returnType, out);
        },
      };
    },
  };
}

const TYPE_DISPLAY: Readonly<Record<string, string>> = {
  bool: 'boolean', int2: 'smallint', int4: 'integer', int8: 'bigint', float4: 'real', float8: 'double precision', varchar: 'character varying',
  timestamp: 'timestamp without time zone', timestamptz: 'timestamp with time zone', bpchar: 'character', interval: 'interval',
};

/** format_type(type_oid, typmod) as Postgres prints it. */
export function formatType(oid: number, typmod: number): string {
  const t = pgTypeByOid(oid);
  if (!t) return '???';
  if (t.elementOid !== undefined) return formatType(t.elementOid, typmod) + '[]';
  const base = TYPE_DISPLAY[t.name] ?? t.name;
  if (t.name === 'numeric' && typmod >= 4) return `numeric(${(typmod - 4) >> 16},${(typmod - 4) & 0xffff})`;
  if ((t.name === 'varchar' || t.name === 'bpchar') && typmod >= 4) return `${base}(${typmod - 4})`;
  return base;
}

const truthy = (): Value => true;

export function pgFunctions(registry: FunctionRegistry): ScalarFunction[] {
  const out: ScalarFunction[] = [
    rowFunction('pg_table_is_visible', 1, 1, T.Bool, 'Whether the table is on the search path (always true)', truthy),
    rowFunction('pg_type_is_visible', 1, 1, T.Bool, 'Whether the type is on the search path (always true)', truthy),
    rowFunction('pg_function_is_visible', 1, 1, T.Bool, 'Whether the function is on the search path (always true)', truthy),
    rowFunction('has_table_privilege', 2, 3, T.Bool, 'Whether the user may use the table (always true)', truthy),
    rowFunction('has_schema_privilege', 2, 3, T.Bool, 'Whether the user may use the schema (always true)', truthy),
    rowFunction('has_database_privilege', 2, 3, T.Bool, 'Whether the user may use the database (always true)', truthy),
    rowFunction('pg_get_userbyid', 1, 1, T.String, 'The name of the role with this OID (the current user)', (_a, ctx) => ctx.currentUser),
    rowFunction('pg_encoding_to_char', 1, 1, T.String, 'The name of an encoding number', (a) => (Number(a[0]) === 0 ? 'SQL_ASCII' : 'UTF8')),
    rowFunction('pg_get_expr', 2, 3, T.String, 'The text of a stored expression', (a) => a[0] ?? null),
    rowFunction('format_type', 2, 2, T.String, 'The SQL name of a type given its OID and type modifier', (a) => formatType(Number(a[0] ?? 0), a[1] === null || a[1] === undefined ? -1 : Number(a[1]))),
    rowFunction('current_setting', 1, 2, T.String, 'The value of a setting', (a, ctx) => ctx.settings.get(String(a[0])) ?? ''),
    rowFunction('quote_ident', 1, 1, T.String, 'Quotes an identifier when needed', (a) => {
      const s = String(a[0]);
      return /^[a-z_][a-z0-9_$]*$/.test(s) ? s : '"' + s.replace(/"/g, '""') + '"';
    }),
    rowFunction('array_upper', 2, 2, T.Int32, 'The upper bound of an array dimension', (a) => (Array.isArray(a[0]) && (a[0] as Value[]).length ? (a[0] as Value[]).length : null)),
    rowFunction('array_lower', 2, 2, T.Int32, 'The lower bound of an array dimension', (a) => (Array.isArray(a[0]) && (a[0] as Value[]).length ? 1 : null)),
    rowFunction('pg_postmaster_start_time', 0, 0, T.String, 'When the server started', (_a, ctx) => new Date(ctx.server.startTimeMs).toISOString()),
  ];
  out.push(
    rowFunction('array_to_string', 2, 3, T.String, 'Joins array elements (as text) with a separator; NULL elements are skipped or replaced by the third argument', (a) => {
      const arr = a[0];
      if (arr === null || arr === undefined) return null;
      if (!Array.isArray(arr)) return String(arr);
      return arr.filter((x) => x !== null || a[2] != null).map((x) => (x === null ? String(a[2]) : String(x))).join(String(a[1] ?? ''));
    }),
  );
  const byOid = () => {
    const m = new Map<number, { syntax: string; name: string }>();
    for (const f of registry.list()) m.set(procOid(f.name), { syntax: f.syntax, name: f.name });
    return m;
  };
  let procs: Map<number, { syntax: string; name: string }> | undefined;
  const proc = (oid: Value) => (procs ??= byOid()).get(Number(oid));
  out.push(
    rowFunction('pg_get_function_result', 1, 1, T.String, 'The result type of a function (Hadron functions are polymorphic: anyelement)', (a) => (proc(a[0]) ? 'anyelement' : null)),
    rowFunction('pg_get_function_arguments', 1, 1, T.String, 'The argument list of a function, from its documented syntax', (a) => {
      const p = proc(a[0]);
      if (!p) return null;
      const m = /\((.*)\)\s*$/.exec(p.syntax);
      return m ? m[1]! : '';
    }),
  );
  return out;
}

/**
 * The function registry is shared by every engine in the process; functions that read the catalog find their
 * engine through the query's ServerFacts, which belong to exactly one engine.
 */
const enginesByFacts = new WeakMap<ServerFacts, Engine>();

function tableOfOid(ctx: FunctionContext, oid: Value): TableEntry | undefined {
  const engine = enginesByFacts.get(ctx.server);
  if (!engine || oid === null) return undefined;
  const n = Number(oid);
  for (const db of engine.catalog.databases.values()) for (const t of db.tables.values()) if (tableOid(t.database, t.name) === n) return t;
  return undefined;
}

/** pg_size_pretty: bytes, kB, MB, GB, TB with Postgres' rounding (switch units at 10240). */
export function sizePretty(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  let u = 0;
  while (Math.abs(size) >= 10 * 1024 - 0.5 && u < units.length - 1) {
    size = size / 1024;
    u++;
  }
  return `${Math.round(size)} ${units[u]}`;
}

function catalogFunctions(): ScalarFunction[] {
  const tableBytes = (a: Value[], ctx: FunctionContext): Value => {
    const t = tableOfOid(ctx, a[0]!);
    return t ? BigInt(t.storage?.stats().bytes ?? 0) : null;
  };
  return [
    rowFunction('obj_description', 1, 2, nullableType(T.String), 'The comment of a table (by OID)', (a, ctx) => tableOfOid(ctx, a[0]!)?.comment || null),
    rowFunction('col_description', 2, 2, nullableType(T.String), 'The comment of a table column (by table OID and attribute number)', (a, ctx) => {
      const t = tableOfOid(ctx, a[0]!);
      const col = t?.columns.filter((c) => !c.hidden)[Number(a[1]) - 1];
      return col?.comment || null;
    }),
    rowFunction('shobj_description', 2, 2, nullableType(T.String), 'The comment of a shared object (databases)', (a, ctx) => {
      const engine = enginesByFacts.get(ctx.server);
      for (const d of engine?.catalog.databases.values() ?? []) if (d.comment && Number(a[0]) >= 0 && d.name && pgDatabaseOid(d.name) === Number(a[0])) return d.comment;
      return null;
    }),
    rowFunction('pg_table_size', 1, 1, nullableType(T.Int64), 'Bytes a table takes on disk', tableBytes),
    rowFunction('pg_relation_size', 1, 2, nullableType(T.Int64), 'Bytes a table takes on disk', tableBytes),
    rowFunction('pg_total_relation_size', 1, 1, nullableType(T.Int64), 'Bytes a table takes on disk, indexes included', tableBytes),
    rowFunction('pg_database_size', 1, 1, T.Int64, 'Bytes the tables of a database take on disk', (a, ctx) => {
      const engine = enginesByFacts.get(ctx.server);
      const db = engine?.catalog.databases.get(String(a[0]) === 'public' ? 'default' : String(a[0]));
      let total = 0;
      for (const t of db?.tables.values() ?? []) total += t.storage?.stats().bytes ?? 0;
      return BigInt(total);
    }),
    rowFunction('pg_size_pretty', 1, 1, T.String, 'A byte count in human units (kB, MB, …)', (a) => sizePretty(Number(a[0]))),
  ];
}

let registered = false;

/** Registers the Postgres functions once per process, and the engine whose catalog they read. */
export function registerPgFunctions(engine: Engine): void {
  enginesByFacts.set(engine.serverFacts, engine);
  if (registered) return;
  registered = true;
  const registry = engine.registry;
  for (const f of [...pgFunctions(registry), ...catalogFunctions()]) if (!registry.getScalar(f.name)) registry.registerScalar(f);
}

