import { type Column, ConstColumn, NumericColumn } from '../../columns/column.js';
import { physicalOf } from '../../columns/physical.js';
import { DbError } from '../../errors/index.js';
import {
  type DataType,
  dateTime64Type,
  dateTimeType,
  intervalType,
  type IntervalUnit,
  isFloat,
  isInteger,
  T,
} from '../../types/data-type.js';
import { civilFromDays, daysFromCivil, daysInMonth, fromLocalSeconds, tzOffsetSeconds } from '../../types/time.js';
import type { ArgumentInfo, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constString, illegalType } from '../core/args.js';
import { toFloat64 } from '../core/columns.js';

const CATEGORY = 'Dates and Times';

export const UNIT_SECONDS: Record<string, number> = {
  Second: 1,
  Minute: 60,
  Hour: 3600,
  Day: 86400,
  Week: 604800,
};
const SUBSECOND_PRECISION: Record<string, number> = { Millisecond: 3, Microsecond: 6, Nanosecond: 9 };

/** Maps unit spellings used by dateDiff/date_add/toStartOfInterval ('day', 'dd', 'd', 'days' …) to a unit. */
export function parseUnit(text: string): IntervalUnit {
  const s = text.toLowerCase().replace(/s$/, '');
  switch (s) {
    case 'nanosecond':
    case 'n':
    case 'ns':
      return 'Nanosecond';
    case 'microsecond':
    case 'mcs':
    case 'u':
    case 'us':
      return 'Microsecond';
    case 'millisecond':
    case 'ms':
      return 'Millisecond';
    case 'second':
    case 'ss':
    case 's':
    case 'sec':
      return 'Second';
    case 'minute':
    case 'mi':
    case 'n_':
    case 'm':
    case 'min':
      return 'Minute';
    case 'hour':
    case 'hh':
    case 'h':
      return 'Hour';
    case 'day':
    case 'dd':
    case 'd':
      return 'Day';
    case 'week':
    case 'wk':
    case 'ww':
    case 'w':
      return 'Week';
    case 'month':
    case 'mm':
      return 'Month';
    case 'quarter':
    case 'qq':
    case 'q':
      return 'Quarter';
    case 'year':
    case 'yyyy':
    case 'yy':
    case 'y':
      return 'Year';
  }
  throw new DbError('BAD_ARGUMENTS', `Invalid unit ${text}`);
}

/** Adds `months` calendar months to a civil date, clamping the day to the month's length. */
export function addMonthsToDays(days: number, months: number): number {
  const { y, m, d } = civilFromDays(days);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total - ny * 12 + 1;
  return daysFromCivil(ny, nm, Math.min(d, daysInMonth(ny, nm)));
}

function monthsOf(unit: IntervalUnit): number {
  return unit === 'Month' ? 1 : unit === 'Quarter' ? 3 : unit === 'Year' ? 12 : 0;
}

/** The result type of `t + INTERVAL n unit`. */
export function intervalResultType(t: DataType, unit: IntervalUnit): DataType {
  const sub = SUBSECOND_PRECISION[unit];
  switch (t.kind) {
    case 'Date':
    case 'Date32':
      if (sub !== undefined) return dateTime64Type(sub);
      if (unit === 'Second' || unit === 'Minute' || unit === 'Hour') return dateTimeType();
      return t;
    case 'DateTime':
      if (sub !== undefined) return dateTime64Type(sub, t.timezone);
      return t;
    case 'DateTime64':
      if (sub !== undefined && sub > t.precision) return dateTime64Type(sub, t.timezone);
      return t;
    default:
      throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of first argument: must be Date, Date32, DateTime or DateTime64`);
  }
}

/**
 * `time ± amount unit` over columns [time, amount]. Day and larger units move along the local calendar
 * (keeping wall-clock time across DST changes, as ClickHouse does); smaller units add seconds.
 */
export function addIntervalResolved(timeType: DataType, unit: IntervalUnit, sign: 1 | -1, tz: string): ResolvedFunction {
  const rt = intervalResultType(timeType, unit);
  const zone = (timeType.kind === 'DateTime' || timeType.kind === 'DateTime64' ? timeType.timezone : undefined) ?? tz;
  const p = physicalOf(rt);
  if (p.layout !== 'numeric') throw new Error('unexpected layout');
  const inScale = timeType.kind === 'DateTime64' ? 10 ** timeType.precision : 1;
  const outScale = rt.kind === 'DateTime64' ? 10 ** rt.precision : 1;
  const months = monthsOf(unit);
  const isDayIn = timeType.kind === 'Date' || timeType.kind === 'Date32';
  const isDayOut = rt.kind === 'Date' || rt.kind === 'Date32';
  const sub = SUBSECOND_PRECISION[unit];
  return {
    returnType: rt,
    execute(cols: Column[], rows: number): Column {
      const [tc, ac] = cols as [Column, Column];
      const tConst = tc.kind === 'const';
      const aConst = ac.kind === 'const';
      const n = tConst && aConst ? 1 : rows;
      const tInner = tConst ? tc.inner : tc;
      const aInner = aConst ? ac.inner : ac;
      if (tInner.kind !== 'numeric' || aInner.kind !== 'numeric') throw new Error('expected numeric columns');
      const t = toFloat64(tInner.data).data;
      const a = toFloat64(aInner.data).data;
      const out = new p.ctor(n) as Float64Array;
      for (let i = 0; i < n; i++) {
        const tv = t[tConst ? 0 : i]!;
        const amount = Math.trunc(a[aConst ? 0 : i]!) * sign;
        let r: number;
        if (isDayIn) {
          if (months) r = addMonthsToDays(tv, amount * months);
          else if (unit === 'Day' || unit === 'Week') r = tv + amount * (unit === 'Week' ? 7 : 1);
          else {
            // Date + time unit → DateTime(64) at local midnight
            const base = fromLocalSeconds(tv * 86400, zone);
            r = sub !== undefined ? base * outScale + amount : base + amount * UNIT_SECONDS[unit]!;
          }
          if (isDayOut) r = r | 0;
        } else {
          // seconds (or ticks) since epoch
          const ticks = tv;
          const secs = Math.floor(ticks / inScale);
          const frac = ticks - secs * inScale;
          if (months || unit === 'Day' || unit === 'Week') {
            const off = tzOffsetSeconds(zone, secs);
            const local = secs + off;
            const days = Math.floor(local / 86400);
            const sod = local - days * 86400;
            const nd = months ? addMonthsToDays(days, amount * months) : days + amount * (unit === 'Week' ? 7 : 1);
            const ns = fromLocalSeconds(nd * 86400 + sod, zone);
            r = ns * outScale + frac * (outScale / inScale);
          } else if (sub !== undefined) {
            const factor = outScale / inScale;
            r = ticks * factor + amount * (outScale / 10 ** sub);
          } else {
            r = (ticks / inScale) * outScale + amount * UNIT_SECONDS[unit]! * outScale;
          }
        }
        out[i] = r;
      }
      const res = new NumericColumn(out);
      return tConst && aConst ? new ConstColumn(res, rows) : res;
    },
  };
}

function checkAmount(name: string, t: DataType): void {
  if (!isInteger(t) && !isFloat(t) && t.kind !== 'Bool' && t.kind !== 'Interval') throw illegalType(name, t, 1);
}

function addFunction(unit: IntervalUnit, sign: 1 | -1): ScalarFunction {
  const name = `${sign > 0 ? 'add' : 'subtract'}${unit}s`;
  return {
    name,
    category: CATEGORY,
    description: `${sign > 0 ? 'Adds' : 'Subtracts'} a number of ${unit.toLowerCase()}s ${sign > 0 ? 'to' : 'from'} a date or date with time`,
    syntax: `${name}(date, n)`,
    resolve(args, ctx) {
      checkArgCount(name, args, 2);
      checkAmount(name, args[1]!.type);
      return addIntervalResolved(args[0]!.type, unit, sign, ctx.timezone);
    },
  };
}

const UNITS: IntervalUnit[] = ['Nanosecond', 'Microsecond', 'Millisecond', 'Second', 'Minute', 'Hour', 'Day', 'Week', 'Month', 'Quarter', 'Year'];

function toIntervalFunction(unit: IntervalUnit): ScalarFunction {
  const name = `toInterval${unit}`;
  const rt = intervalType(unit);
  return {
    name,
    category: CATEGORY,
    description: `Makes an Interval${unit} of n ${unit.toLowerCase()}s (what INTERVAL n ${unit.toUpperCase()} means)`,
    syntax: `${name}(n)`,
    resolve(args) {
      checkArgCount(name, args, 1);
      checkAmount(name, args[0]!.type);
      return {
        returnType: rt,
        execute(cols, rows) {
          const c = cols[0]!;
          const inner = c.kind === 'const' ? c.inner : c;
          if (inner.kind !== 'numeric') throw new Error('expected numeric');
          const d = toFloat64(inner.data).data;
          const out = Float64Array.from(d, (x) => Math.trunc(x));
          const res = new NumericColumn(out);
          return c.kind === 'const' ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

/** date_add(unit, n, date) / date_add(date, INTERVAL) / dateAdd('day', 1, d) and the subtracting forms. */
function dateAddFunction(name: 'dateAdd' | 'dateSub', sign: 1 | -1): ScalarFunction {
  return {
    name,
    aliases: sign > 0 ? ['date_add', 'DATE_ADD', 'timestampAdd', 'timestamp_add', 'TIMESTAMP_ADD'] : ['date_sub', 'DATE_SUB', 'timestampSub', 'timestamp_sub', 'TIMESTAMP_SUB'],
    caseInsensitive: true,
    category: CATEGORY,
    description: `${sign > 0 ? 'Adds' : 'Subtracts'} a time interval ${sign > 0 ? 'to' : 'from'} a date or date with time`,
    syntax: `${name}(unit, n, date) | ${name}(date, INTERVAL n unit)`,
    resolve(args: readonly ArgumentInfo[], ctx) {
      checkArgCount(name, args, 2, 3);
      if (args.length === 2) {
        const [d, i] = args as [ArgumentInfo, ArgumentInfo];
        const interval = i.type.kind === 'Interval' ? i : d.type.kind === 'Interval' ? d : undefined;
        const date = interval === i ? d : i;
        if (!interval || interval.type.kind !== 'Interval') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Function ${name} expects an Interval argument`);
        const r = addIntervalResolved(date.type, interval.type.unit, sign, ctx.timezone);
        const swap = interval === d;
        return { returnType: r.returnType, execute: (cols, rows, e) => r.execute(swap ? [cols[1]!, cols[0]!] : cols, rows, e) };
      }
      const unit = parseUnit(constString(name, args, 0));
      checkAmount(name, args[1]!.type);
      const r = addIntervalResolved(args[2]!.type, unit, sign, ctx.timezone);
      return { returnType: r.returnType, execute: (cols, rows, e) => r.execute([cols[2]!, cols[1]!], rows, e) };
    },
  };
}

export const dateArithFunctions: ScalarFunction[] = [
  ...UNITS.map((u) => addFunction(u, 1)),
  ...UNITS.map((u) => addFunction(u, -1)),
  ...UNITS.map(toIntervalFunction),
  dateAddFunction('dateAdd', 1),
  dateAddFunction('dateSub', -1),
];

export { T };
