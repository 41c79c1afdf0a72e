import type { Expr, FromItem, TableFunctionRef } from '../sql/ast.js';
import { DbError } from '../errors/index.js';
import { Scope } from '../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../analyzer/expression-compiler.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import { baseType, removeLowCardinality, type DataType } from '../types/data-type.js';
import type { PlanNode } from '../planner/plan-node.js';
import { msToTimeValue } from './seek-to.js';
import { TimeWindowNode } from './time-window-node.js';
import { SessionWindowNode, type SessionConditions } from './session-window.js';

/** Milliseconds per unit of the fixed-length interval units (calendar units have no fixed length). */
export const FIXED_INTERVAL_MS: Readonly<Record<string, number>> = {
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
  const per = FIXED_INTERVAL_MS[t.unit];
  if (per === undefined) throw new DbError('NOT_IMPLEMENTED', `${what}: calendar intervals (${t.unit}) are not supported for windows yet`);
  const ms = Number(c.constant.value) * per;
  if (!(ms > 0)) throw new DbError('BAD_ARGUMENTS', `${what} must be positive`);
  return ms;
}

const CALENDAR_MONTHS: Readonly<Record<string, number>> = { Month: 1, Quarter: 3, Year: 12 };

/** A constant calendar interval (`1M`, `INTERVAL 1 QUARTER`, `1y`) in months, or undefined for fixed-length ones. */
function intervalMonths(env: CompileEnv, scope: Scope, e: Expr): number | undefined {
  const c = compileExpression(env, scope, e);
  const t = removeLowCardinality(c.type);
  if (!c.constant || t.kind !== 'Interval') return undefined;
  const per = CALENDAR_MONTHS[t.unit];
  if (per === undefined) return undefined;
  const n = Number(c.constant.value) * per;
  if (!(n > 0) || !Number.isInteger(n)) throw new DbError('BAD_ARGUMENTS', 'The window size must be a positive whole number of months');
  return n;
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
  if (!['DateTime', 'DateTime64'].includes(timeType.kind)) {
    throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `The time column of ${fn.name} must be a DateTime or DateTime64, got ${time.type.name}`);
  }
  return { time, timeType, rest: args };
}

/** Milliseconds → units of the time column (ticks for DateTime64, seconds for DateTime). */
export function toTimeUnits(timeType: DataType, ms: number): number {
  return msToTimeValue(timeType, ms);
}

/**
 * Plans `tumble(s, [time,] size)`, `hop(s, [time,] step, size)` or `session(s, [time,] timeout [, max_length]
 * [, start_cond, end_cond | [start_cond, end_cond)])` over its planned source.
 */
export function planWindowTableFunction(fn: TableFunctionRef, input: PlanNode, scope: Scope, cenv: CompileEnv): TimeWindowNode | SessionWindowNode {
  const name = fn.name.toLowerCase();
  const { time, timeType, rest } = windowTimeArgs(fn, cenv, scope);
  if (name === 'session') return planSession(input, scope, cenv, time, timeType, rest);
  const want = name === 'tumble' ? 1 : 2;
  if (rest.length < want || rest.length > want + 1) {
    throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', name === 'tumble' ? 'tumble(stream, [time_column,] window_size [, timezone])' : 'hop(stream, [time_column,] hop_interval, window_size [, timezone])');
  }
  const months = name === 'tumble' ? intervalMonths(cenv, scope, rest[0]!) : undefined;
  if (months !== undefined) return new TimeWindowNode(input, 'tumble', time, timeType, 0, 0, months);
  const size = toTimeUnits(timeType, intervalMs(cenv, scope, rest[want - 1]!, 'The window size'));
  const step = name === 'hop' ? toTimeUnits(timeType, intervalMs(cenv, scope, rest[0]!, 'The hop interval')) : size;
  if (step > size) throw new DbError('BAD_ARGUMENTS', 'The hop interval must not be larger than the window size');
  if (!(step >= 1)) throw new DbError('BAD_ARGUMENTS', `The window interval is finer than the time column's precision (${timeType.name})`);
  return new TimeWindowNode(input, name === 'tumble' ? 'tumble' : 'hop', time, timeType, size, step);
}

function planSession(input: PlanNode, scope: Scope, cenv: CompileEnv, time: CompiledExpr, timeType: DataType, rest: Expr[]): SessionWindowNode {
  const usage = 'session(stream, [time_column,] timeout [, max_session_length] [, start_condition, end_condition])';
  if (!rest.length) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', usage);
  const timeoutMs = intervalMs(cenv, scope, rest[0]!, 'The session timeout');
  let i = 1;
  // Proton's default maximum session length is 5 × the timeout (SESSION_SIZE_MULTIPLIER).
  const maxMs = rest[i] && isIntervalExpr(rest[i]!) ? intervalMs(cenv, scope, rest[i++]!, 'The maximum session length') : timeoutMs * 5;
  if (maxMs < timeoutMs) throw new DbError('BAD_ARGUMENTS', 'The maximum session length must not be smaller than the session timeout');
  let conditions: SessionConditions | undefined;
  const range = rest[i];
  if (range && range.kind === 'function' && range.name === '__sessionRange') {
    // `[start, end)` and friends: the parser's __sessionRange(start, end, startInclusive, endInclusive).
    const [start, end, si, ei] = range.args as [Expr, Expr, Expr, Expr];
    const flag = (e: Expr): boolean => e.kind === 'literal' && (e.value === true || e.value === 1);
    conditions = { start: compileExpression(cenv, scope, start), end: compileExpression(cenv, scope, end), startInclusive: flag(si), endInclusive: flag(ei) };
    i++;
  } else if (range) {
    if (!rest[i + 1]) throw new DbError('MISSING_SESSION_KEY', 'session window requires both start and end predictions or none, but only start or end prediction is specified');
    conditions = { start: compileExpression(cenv, scope, rest[i]!), end: compileExpression(cenv, scope, rest[i + 1]!), startInclusive: true, endInclusive: true };
    i += 2;
  }
  if (i !== rest.length) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', usage);
  return new SessionWindowNode(input, time, timeType, toTimeUnits(timeType, timeoutMs), toTimeUnits(timeType, maxMs), conditions);
}

/** The source's columns (also under the function's alias) plus window_start and window_end. */
export function windowScope(node: TimeWindowNode | SessionWindowNode, inner: Scope, alias: string | undefined): Scope {
  const width = node.input.header.length;
  const type = node.timeType;
  const qualifiers = alias ? [alias] : [];
  return new Scope([
    ...inner.columns.map((c) => (alias ? { ...c, qualifiers: [...c.qualifiers, alias] } : c)),
    ...['window_start', 'window_end'].map((n, i) => ({ name: n, shortName: n, type, index: width + i, qualifiers, onUse: () => (node.windowReferenced = true) })),
  ]);
}
