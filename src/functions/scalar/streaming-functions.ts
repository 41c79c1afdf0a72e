import { ArrayColumn, type Column, NumericColumn } from '../../columns/column.js';
import { concatColumns, constColumn, defaultColumn, materialize, sliceColumn, takeColumn } from '../../columns/ops.js';
import { DbError } from '../../errors/index.js';
import type { Expr } from '../../sql/ast.js';
import { arrayType, type DataType, dateTimeType, type IntervalUnit, isInteger, T } from '../../types/data-type.js';
import { checkTimezone } from '../../types/time.js';
import type { ArgumentInfo, FunctionContext, FunctionState, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constArg, constString } from '../core/args.js';
import { castColumn } from '../core/cast.js';
import { timeArgOf, timeValues } from '../core/time-input.js';
import { leastSupertype } from '../core/type-rules.js';

/**
 * Proton's streaming scalar functions. `lag` / `lags` are stateful: the history lives in the resolved
 * function, which the expression compiler creates once per compiled expression of one query, so each call
 * site of each query lags over the rows in the order they flow through it (across blocks).
 */

const CATEGORY = 'Streaming';
/** Proton caps lag offsets at 2^30. */
const MAX_OFFSET = 2 ** 30;

/** A constant integer argument in [1, 2^30] (Proton's bounds for lag offsets). */
function offsetArg(name: string, args: readonly ArgumentInfo[], i: number, what = 'offset'): number {
  const a = args[i]!;
  if (!isInteger(a.type)) {
    throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${a.type.name} of argument ${i + 1} of function ${name} - should be an integer`);
  }
  if (!a.constant) throw new DbError('ILLEGAL_COLUMN', `Invalid ${what} of function ${name}: only a constant ${what} is supported`);
  const v = Number(a.constant.value);
  if (!Number.isInteger(v) || v < 1 || v > MAX_OFFSET) {
    throw new DbError('ARGUMENT_OUT_OF_BOUND', `Invalid ${what}: ${String(a.constant.value)} in function ${name}, expected [1, ${MAX_OFFSET}]`);
  }
  return v;
}

/**
 * The last `depth` values seen by one call site: a small materialized column of the result type, so a block's
 * lagged values are one gather (`takeColumn`) over [defaults, history, current block]. Registered with the
 * query's function states, so checkpointed queries keep it across RECOVER and restarts.
 */
class History implements FunctionState {
  private tail: Column;
  constructor(
    readonly type: DataType,
    readonly depth: number,
    ctx: FunctionContext,
  ) {
    this.tail = defaultColumn(type, 0);
    ctx.functionStates?.push(this);
  }

  /** Appends the block's values; returns [history before the block + block, length of the history part]. */
  push(cur: Column): { all: Column; before: number } {
    const before = this.tail.length;
    const all = before ? concatColumns([this.tail, cur]) : cur;
    this.tail = lastRows(all, this.depth);
    return { all, before };
  }

  snapshot(): Column {
    return this.tail;
  }

  restore(values: Column): void {
    this.tail = lastRows(materialize(values), this.depth);
  }
}

/** The last `n` rows of `c` (c itself when it has no more), copied: the history holds neither the whole block nor memory a later operator may reuse. */
function lastRows(c: Column, n: number): Column {
  const total = c.length;
  if (total <= n) return c;
  const idx = new Uint32Array(n);
  for (let k = 0; k < n; k++) idx[k] = total - n + k;
  return takeColumn(c, idx);
}

/** The default values for `rows` rows: the given default argument cast to the element type, or the type's default. */
function defaults(cols: Column[], at: number, argTypes: readonly DataType[], type: DataType, rows: number, ctx: FunctionContext): Column {
  const d = cols[at];
  if (!d) {
    // An enum's default is its first value (as in ClickHouse), not 0.
    const first = type.kind === 'Enum8' || type.kind === 'Enum16' ? type.values[0] : undefined;
    return first ? materialize(constColumn(type, first[1], rows)) : defaultColumn(type, rows);
  }
  return sliceColumn(materialize(castColumn(d, argTypes[at]!, type, ctx)), 0, rows);
}

const lag: ScalarFunction = {
  name: 'lag',
  nonDeterministic: true,
  handlesNulls: true,
  category: CATEGORY,
  description:
    'The value of x `offset` rows earlier in the order rows flow through the query (across blocks; in a streaming query, across emits). Rows before the first get `default` (the type\'s default when omitted). Without OVER this is Proton\'s streaming lag; lag(…) OVER (…) is the window function.',
  syntax: 'lag(x[, offset[, default]])',
  arguments: '`offset`: a constant integer in [1, 2^30], 1 when omitted. `default`: a value of a type compatible with x.',
  returnedValue: 'The common type of x and default.',
  examples: 'SELECT number, lag(number) FROM numbers(3) → (0, 0), (1, 0), (2, 1)',
  resolve(args, ctx): ResolvedFunction {
    checkArgCount('lag', args, 1, 3);
    return lagBy(args, args.length > 1 ? offsetArg('lag', args, 1) : 1, ctx);
  },
};

/** x `offset` rows back (across blocks), or the default of argument 3 (the type's default when omitted). */
function lagBy(args: readonly ArgumentInfo[], offset: number, ctx: FunctionContext): ResolvedFunction {
  const argTypes = args.map((a) => a.type);
  const rt = args.length > 2 ? leastSupertype([argTypes[0]!, argTypes[2]!]) : argTypes[0]!;
  const history = new History(rt, offset, ctx);
  return {
    returnType: rt,
    execute(cols, rows) {
      if (rows === 0) return defaultColumn(rt, 0);
      const cur = materialize(castColumn(cols[0]!, argTypes[0]!, rt, ctx));
      const { all, before } = history.push(cur);
      // Rows 0 .. missing-1 have no row `offset` back: they take the default.
      const missing = Math.min(rows, Math.max(0, offset - before));
      const idx = new Uint32Array(rows);
      if (missing === 0) {
        for (let i = 0; i < rows; i++) idx[i] = before + i - offset;
        return takeColumn(all, idx);
      }
      const src = concatColumns([defaults(cols, 2, argTypes, rt, missing, ctx), all]);
      for (let i = 0; i < rows; i++) idx[i] = i < missing ? i : missing + before + i - offset;
      return takeColumn(src, idx);
    },
  };
}

/**
 * `neighbor` in a streaming query (Proton's __streaming_neighbor): the rows flow on without end, so only earlier
 * rows can be reached, across blocks, like lag. The planner substitutes it for the per-block neighbor in
 * streaming SELECTs (see streamingFunctionLookup).
 */
export const streamingNeighbor: ScalarFunction = {
  name: 'neighbor',
  nonDeterministic: true,
  handlesNulls: true,
  category: CATEGORY,
  description: 'In a streaming query: the value of x `-offset` rows earlier in the order rows flow through the query (across blocks), as lag(x, -offset, default).',
  syntax: 'neighbor(x, offset[, default])',
  arguments: '`offset`: a constant integer in [-2^30, -1].',
  returnedValue: 'The common type of x and default.',
  resolve(args, ctx): ResolvedFunction {
    checkArgCount('neighbor', args, 2, 3);
    const a = args[1]!;
    if (!isInteger(a.type) || !a.constant) {
      throw new DbError('ILLEGAL_COLUMN', 'Invalid offset of function neighbor in a streaming query: only a constant integer offset is supported');
    }
    const v = Number(a.constant.value);
    if (!Number.isInteger(v) || v >= 0 || v < -MAX_OFFSET) {
      throw new DbError('ARGUMENT_OUT_OF_BOUND', `Invalid offset: ${String(a.constant.value)} in function neighbor, expected [${-MAX_OFFSET}, -1]`);
    }
    return lagBy(args, -v, ctx);
  },
};

const lags: ScalarFunction = {
  name: 'lags',
  nonDeterministic: true,
  handlesNulls: true,
  category: CATEGORY,
  description:
    'An array of the values of x from `from_offset` to `to_offset` rows earlier, nearest first, in the order rows flow through the query. Missing rows get `default` (the type\'s default when omitted).',
  syntax: 'lags(x, from_offset, to_offset[, default])',
  arguments: '`from_offset` ≤ `to_offset`: constant integers in [1, 2^30].',
  returnedValue: 'Array of the common type of x and default, to_offset - from_offset + 1 elements.',
  examples: 'SELECT lags(number, 1, 2) FROM numbers(3) → [0,0], [0,0], [1,0]',
  resolve(args, ctx): ResolvedFunction {
    checkArgCount('lags', args, 3, 4);
    const from = offsetArg('lags', args, 1);
    const to = offsetArg('lags', args, 2, 'end offset');
    if (to < from) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Invalid offsets of function lags: the end offset ${to} is before the begin offset ${from}`);
    const count = to - from + 1;
    const argTypes = args.map((a) => a.type);
    const elem = args.length > 3 ? leastSupertype([argTypes[0]!, argTypes[3]!]) : argTypes[0]!;
    const rt = arrayType(elem);
    const history = new History(elem, to, ctx);
    return {
      returnType: rt,
      execute(cols, rows) {
        if (rows === 0) return new ArrayColumn(new Uint32Array(1), defaultColumn(elem, 0));
        const cur = materialize(castColumn(cols[0]!, argTypes[0]!, elem, ctx));
        const { all, before } = history.push(cur);
        // src = [row defaults (rows), history + block]; element k of row i is `from + k` rows back.
        const src = concatColumns([defaults(cols, 3, argTypes, elem, rows, ctx), all]);
        const idx = new Uint32Array(rows * count);
        const offsets = new Uint32Array(rows + 1);
        let n = 0;
        for (let i = 0; i < rows; i++) {
          const at = before + i - from;
          for (let k = 0; k < count; k++) {
            const v = at - k;
            idx[n++] = v >= 0 ? rows + v : i;
          }
          offsets[i + 1] = n;
        }
        return new ArrayColumn(offsets, takeColumn(src, idx));
      },
    };
  },
};

// ------------------------------------------------------------------ date_diff_within

/** Ticks per unit at a scale of 10^9 (nanoseconds), for the fixed-length interval units. */
const UNIT_NANOS: Partial<Record<IntervalUnit, number>> = {
  Nanosecond: 1,
  Microsecond: 1e3,
  Millisecond: 1e6,
  Second: 1e9,
  Minute: 60e9,
  Hour: 3600e9,
  Day: 86400e9,
  Week: 604800e9,
};

/** The finest scale (ticks per second) an interval unit needs: 1e9 for ns, 1e6 for µs, 1e3 for ms, else 1. */
function unitScale(unit: IntervalUnit): number {
  return unit === 'Nanosecond' ? 1e9 : unit === 'Microsecond' ? 1e6 : unit === 'Millisecond' ? 1e3 : 1;
}

const dateDiffWithin: ScalarFunction = {
  name: 'date_diff_within',
  category: CATEGORY,
  description:
    'Whether two times are at most `interval` apart: |t1 - t2| <= interval. Proton uses it in the ON clause of stream-to-stream range joins; Hadron also evaluates it anywhere.',
  syntax: 'date_diff_within(interval, t1, t2)',
  arguments: '`interval`: a positive constant interval of a fixed length (`10s`, `2m`, `INTERVAL 1 HOUR`, `500ms`). `t1`, `t2`: Date, Date32, DateTime or DateTime64.',
  returnedValue: 'Bool.',
  examples: "SELECT date_diff_within(10s, toDateTime('2024-01-01 00:00:00'), toDateTime('2024-01-01 00:00:10')) → true",
  resolve(args, ctx): ResolvedFunction {
    if (args.length === 1) {
      throw new DbError(
        'NUMBER_OF_ARGUMENTS_DOESNT_MATCH',
        'Function date_diff_within takes 3 arguments; the one-argument form date_diff_within(interval) is only allowed in the ON clause of a join of two streams (it compares their _tp_time)',
      );
    }
    checkArgCount('date_diff_within', args, 3);
    const it = args[0]!.type;
    if (it.kind !== 'Interval') {
      throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `First argument of function date_diff_within shall be a time interval (examples: 1s, 2m), got ${it.name}`);
    }
    const nanos = UNIT_NANOS[it.unit];
    if (nanos === undefined) {
      throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `First argument of function date_diff_within shall be an interval of a fixed length (nanoseconds to weeks), got ${it.name}`);
    }
    const amount = Number(constArg('date_diff_within', args, 0));
    if (!(amount > 0)) throw new DbError('BAD_ARGUMENTS', `First argument of function date_diff_within shall be a positive time interval, got ${amount}`);
    const a = timeArgOf('date_diff_within', args[1]!.type, ctx.timezone, 1);
    const b = timeArgOf('date_diff_within', args[2]!.type, ctx.timezone, 2);
    // Compare in integer ticks of the finest scale involved (exact within the doubles DateTime64 is held in).
    const scale = Math.max(a.scale, b.scale, unitScale(it.unit));
    const fa = a.kind === 'date' ? 86400 * scale : scale / a.scale;
    const fb = b.kind === 'date' ? 86400 * scale : scale / b.scale;
    const limit = (amount * nanos * scale) / 1e9;
    return {
      returnType: T.Bool,
      execute(cols, rows) {
        const x = timeValues(cols[1]!);
        const y = timeValues(cols[2]!);
        const out = new Uint8Array(rows);
        const xd = x.data;
        const yd = y.data;
        for (let i = 0; i < rows; i++) {
          const d = xd[x.isConst ? 0 : i]! * fa - yd[y.isConst ? 0 : i]! * fb;
          out[i] = (d < 0 ? -d : d) <= limit ? 1 : 0;
        }
        return new NumericColumn(out);
      },
    };
  },
};

/**
 * Proton's join shorthand `date_diff_within(10s)` means `date_diff_within(10s, left._tp_time, right._tp_time)`:
 * returns that expansion for a call with one argument (for the join planner), else undefined.
 */
export function expandDateDiffWithin(e: Expr, leftQualifier: string, rightQualifier: string, timeColumn = '_tp_time'): Expr | undefined {
  if (e.kind !== 'function' || e.name.toLowerCase() !== 'date_diff_within' || e.args.length !== 1) return undefined;
  return {
    ...e,
    args: [e.args[0]!, { kind: 'identifier', parts: [leftQualifier, timeColumn] }, { kind: 'identifier', parts: [rightQualifier, timeColumn] }],
  };
}

// ------------------------------------------------------------------ earliest_timestamp

const earliestTimestamp: ScalarFunction = {
  name: 'earliest_timestamp',
  aliases: ['earliest_ts'],
  caseInsensitive: true,
  // Constant (Proton marks it non-deterministic and rewrites the predicate to seek_to='earliest'): folded to the
  // epoch, `_tp_time >= earliest_ts()` is a time bound the planner already turns into a read from the beginning.
  category: CATEGORY,
  description: "The earliest time, 1970-01-01 00:00:00: `WHERE _tp_time >= earliest_timestamp()` reads a stream from its beginning",
  syntax: 'earliest_timestamp([timezone])',
  returnedValue: 'DateTime.',
  examples: "SELECT earliest_ts() → '1970-01-01 00:00:00'",
  resolve(args) {
    checkArgCount('earliest_timestamp', args, 0, 1);
    if (args.length === 1 && args[0]!.type.kind !== 'String' && args[0]!.type.kind !== 'FixedString') {
      throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', 'Arguments of function earliest_timestamp should be string or fixed_string');
    }
    const rt = args.length === 1 ? dateTimeType(checkTimezone(constString('earliest_timestamp', args, 0))) : dateTimeType();
    return { returnType: rt, execute: (_cols, rows) => constColumn(rt, 0, rows) };
  },
};

/** Proton's `monotonic(start)`: start, start + 1, … across the rows of one query (a stateful counter). */
const monotonic: ScalarFunction = {
  name: 'monotonic',
  caseInsensitive: true,
  nonDeterministic: true,
  category: 'Streaming',
  description: 'An increasing Int64 sequence starting at the constant integer argument, continuing across the blocks of one query (stateful: a SUBSCRIBE or materialized view checkpoint keeps the count).',
  syntax: 'monotonic(start)',
  resolve(args, ctx) {
    checkArgCount('monotonic', args, 1, 1);
    const a = args[0]!;
    if (!isInteger(a.type)) throw new DbError('BAD_ARGUMENTS', `Function monotonic requires integer argumengt but given ${a.type.name}`);
    if (!a.constant) throw new DbError('BAD_ARGUMENTS', 'Function monotonic requires constant argument');
    let next = BigInt(a.constant.value as number | bigint);
    // The next value is the state a checkpointed query (SUBSCRIBE, a materialized view) saves and restores.
    ctx.functionStates?.push({
      type: T.Int64,
      snapshot: () => new NumericColumn(BigInt64Array.of(next)),
      restore: (values) => {
        const data = (materialize(values) as NumericColumn).data;
        if (data.length) next = BigInt(data[0]!);
      },
    });
    return {
      returnType: T.Int64,
      execute(_cols, rows) {
        const out = new BigInt64Array(rows);
        for (let i = 0; i < rows; i++) out[i] = next++;
        return new NumericColumn(out);
      },
    };
  },
};

export const streamingFunctions: ScalarFunction[] = [lag, lags, dateDiffWithin, earliestTimestamp, monotonic];
