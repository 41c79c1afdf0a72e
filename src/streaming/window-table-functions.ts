import type { Expr, FromItem, TableFunctionRef } from '../sql/ast.js';
import { DbError } from '../errors/index.js';
import type { Scope } from '../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../analyzer/expression-compiler.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import { baseType, removeLowCardinality, type DataType } from '../types/data-type.js';
import type { PlanNode } from '../planner/plan-node.js';
import { msToTimeValue } from './seek-to.js';

const UNIT_MS: Record<string, number> = {
  Nanosecond: 1e-6,
  Microsecond: 1e-3,
  Millisecond: 1,
  Second: 1000,
  Minute: 60_000,
  Hour: 3_600_000,
  Day: 86_400_000,
  Week: 7 * 86_400_000,
};

export function isIntervalExpr(e: Expr): boolean {
  return e.kind === 'function' && /^toInterval/i.test(e.name);
}

/** A constant interval (`5s`, `INTERVAL 5 SECOND`) in milliseconds. */
export function intervalMs(env: CompileEnv, scope: Scope, e: Expr, what: string): number {
  const c = compileExpression(env, scope, e);
  const t = removeLowCardinality(c.type);
  if (!c.constant || t.kind !== 'Interval') throw new DbError('BAD_ARGUMENTS', `${what} must be a constant interval such as 5s or INTERVAL 5 SECOND`);
  const per = UNIT_MS[t.unit];
  if (per === undefined) throw new DbError('NOT_IMPLEMENTED', `${what}: calendar intervals (${t.unit}) are not supported for windows yet`);
  const ms = Number(c.constant.value) * per;
  if (!(ms > 0)) throw new DbError('BAD_ARGUMENTS', `${what} must be positive`);
  return ms;
}

/** The stream (or subquery, or `table(s)`) a window function reads, as a FROM item. */
export function windowSourceItem(fn: TableFunctionRef): FromItem {
  const a = fn.args[0];
  if (!a) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Table function ${fn.name} requires a stream`);
  if (a.kind === 'identifier') return a.parts.length > 1 ? { kind: 'table', database: a.parts[0], name: a.parts.slice(1).join('.') } : { kind: 'table', name: a.parts[0]! };
  if (a.kind === 'subquery') return { kind: 'subquery', query: a.query };
  if (a.kind === 'function') return { kind: 'table_function', name: a.name, args: a.args };
  throw new DbError('BAD_ARGUMENTS', `The first argument of ${fn.name} must be a stream, a table function or a subquery`);
}

export interface WindowArgs {
  time: CompiledExpr;
  timeType: DataType;
  /** The remaining arguments after the optional time column. */
  rest: Expr[];
}

/** `fn(source, [time_expr,] …)`: the event-time expression (default `_tp_time`) and the other arguments. */
export function windowTimeArgs(fn: TableFunctionRef, env: CompileEnv, scope: Scope): WindowArgs {
  const args = fn.args.slice(1);
  let timeExpr: Expr = { kind: 'identifier', parts: ['_tp_time'] };
  if (args.length && !isIntervalExpr(args[0]!) && args[0]!.kind !== 'literal' && !(args[0]!.kind === 'function' && args[0]!.name.toLowerCase() === 'array')) {
    timeExpr = args.shift()!;
  }
  const time = compileExpression(env, scope, timeExpr);
  const timeType = baseType(removeLowCardinality(time.type));
  if (!['DateTime', 'DateTime64', 'Date', 'Date32'].includes(timeType.kind)) {
    throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `The time column of ${fn.name} must be a Date, DateTime or DateTime64, got ${time.type.name}`);
  }
  return { time, timeType, rest: args };
}

/** Milliseconds → units of the time column (ticks for DateTime64, seconds for DateTime). */
export function toTimeUnits(timeType: DataType, ms: number): number {
  return msToTimeValue(timeType, ms);
}

export type { PlanNode };
