import { columnFromValues, columnValues, ConstColumn, type Column, type Value } from '../../src/columns/index.js';
import { parseDataType } from '../../src/types/type-factory.js';
import type { DataType } from '../../src/types/data-type.js';
import type { ArgumentInfo, ExecuteContext, FunctionContext } from '../../src/functions/function.js';
import { defaultRegistry } from '../../src/functions/index.js';

export const ctx: ExecuteContext = {
  timezone: 'UTC',
  queryStartMs: Date.UTC(2024, 0, 15, 10, 30, 0),
  currentUser: 'default',
  currentDatabase: 'default',
  settings: new Map(),
  server: { version: '24.1.1', revision: 54466, displayName: 'hadron', hostName: 'localhost', startTimeMs: 0, serverTimezone: 'UTC' },
  lambdas: [],
};

export function withTz(tz: string): ExecuteContext {
  return { ...ctx, timezone: tz };
}

/** An argument: a column of values of a type, or a constant. */
export interface Arg {
  type: string | DataType;
  values?: Value[];
  const?: Value;
}

export function col(type: string, ...values: Value[]): Arg {
  return { type, values };
}
export function lit(type: string, value: Value): Arg {
  return { type, const: value };
}

function typeOf(a: Arg): DataType {
  return typeof a.type === 'string' ? parseDataType(a.type) : a.type;
}

/** Resolves `name` through the registry over the arguments and returns [result type name, values]. */
export function call(name: string, args: Arg[], c: ExecuteContext = ctx): { type: string; values: Value[] } {
  const reg = defaultRegistry();
  const rows = Math.max(1, ...args.map((a) => (a.values ? a.values.length : 1)));
  const infos: ArgumentInfo[] = args.map((a) => ({ type: typeOf(a), constant: a.values ? undefined : { value: a.const ?? null } }));
  const resolved = reg.resolveScalar(name, infos, c as FunctionContext);
  const cols: Column[] = args.map((a) => {
    const t = typeOf(a);
    if (a.values) return columnFromValues(t, a.values);
    return new ConstColumn(columnFromValues(t, [a.const ?? null]), rows);
  });
  const out = resolved.execute(cols, rows, c);
  if (out.length !== rows) throw new Error(`result has ${out.length} rows, expected ${rows}`);
  return { type: resolved.returnType.name, values: columnValues(resolved.returnType, out) };
}

/** Values only. */
export function fn(name: string, ...args: Arg[]): Value[] {
  return call(name, args).values;
}

/** Result type name only. */
export function typeOfCall(name: string, ...args: Arg[]): string {
  return call(name, args).type;
}

/** Evaluates with all-constant args and returns the single value. */
export function one(name: string, ...args: Arg[]): Value {
  return call(name, args).values[0]!;
}

/** Runs an aggregate over columns (all rows in group ids given, default one group) and returns finalized values. */
export function agg(name: string, params: Value[], args: Arg[], groupIds?: number[]): { type: string; values: Value[] } {
  const reg = defaultRegistry();
  const types = args.map(typeOf);
  const f = reg.resolveAggregate(name, params, types, ctx as FunctionContext);
  const rows = Math.max(0, ...args.map((a) => (a.values ? a.values.length : 0)));
  const cols: Column[] = args.map((a, k) => (a.values ? columnFromValues(types[k]!, a.values) : new ConstColumn(columnFromValues(types[k]!, [a.const ?? null]), rows)));
  const states = f.createStates();
  const groups = groupIds ? Math.max(0, ...groupIds) + 1 : 1;
  states.resize(groups);
  if (groupIds) states.add(Uint32Array.from(groupIds), cols, rows);
  else if (rows) states.addAll(cols, rows);
  return { type: f.returnType.name, values: columnValues(f.returnType, states.finalize(groups)) };
}
