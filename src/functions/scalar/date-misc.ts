import { type Column, ConstColumn, NumericColumn } from '../../columns/column.js';
import { StringBuilder } from '../../columns/builder.js';
import { DbError } from '../../errors/index.js';
import { type DataType, dateTime64Type, dateTimeType, isFloat, isInteger, isStringLike, T } from '../../types/data-type.js';
import { civilFromDays, daysFromCivil, fromLocal, localDays, tzOffsetSeconds } from '../../types/time.js';
import { parseDateTimeText } from '../../types/text-conversion.js';
import type { ArgumentInfo, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constNumber, constString, illegalType } from '../core/args.js';
import { castColumn } from '../core/cast.js';
import { float64ToInt64, toFloat64 } from '../core/columns.js';
import { rowwise } from '../core/rowwise.js';
import { timeArgOf, timeValues, tzArgument } from '../core/time-input.js';
import { parseUnit } from './date-arith.js';
import { formatWithPattern } from './date-format.js';
import { isoDow } from './dates.js';

const CATEGORY = 'Dates and Times';

function constNumberColumn(data: Float64Array | Uint32Array | Uint16Array | Int32Array, rows: number): Column {
  return new ConstColumn(new NumericColumn(data), rows);
}

const now: ScalarFunction = {
  name: 'now',
  aliases: ['current_timestamp', 'CURRENT_TIMESTAMP', 'localtimestamp', 'LOCALTIMESTAMP'],
  caseInsensitive: true,
  nonDeterministic: true,
  category: CATEGORY,
  description: 'The time the query started, as DateTime (constant within a query)',
  syntax: 'now([timezone])',
  resolve(args, ctx) {
    checkArgCount('now', args, 0, 1);
    const tz = tzArgument('now', args, 0);
    return {
      returnType: dateTimeType(tz),
      execute: (_c, rows, e) => constNumberColumn(Uint32Array.of(Math.floor(e.queryStartMs / 1000)), rows),
    };
  },
};

const now64: ScalarFunction = {
  name: 'now64',
  nonDeterministic: true,
  category: CATEGORY,
  description: 'The time the query started, as DateTime64(precision) (default 3)',
  syntax: 'now64([precision[, timezone]])',
  resolve(args) {
    checkArgCount('now64', args, 0, 2);
    const p = args.length ? constNumber('now64', args, 0) : 3;
    if (p < 0 || p > 9) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Scale ${p} is out of bounds (max scale: 9)`);
    const tz = tzArgument('now64', args, 1);
    return {
      returnType: dateTime64Type(p, tz),
      execute: (_c, rows, e) => constNumberColumn(Float64Array.of(Math.floor(e.queryStartMs * 10 ** (p - 3))), rows),
    };
  },
};

function dayFunction(name: string, delta: number, aliases: string[]): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive: true,
    nonDeterministic: true,
    category: CATEGORY,
    description: delta === 0 ? "The current date in the session's timezone" : "Yesterday's date",
    syntax: `${name}()`,
    resolve(args, ctx) {
      checkArgCount(name, args, 0);
      return {
        returnType: T.Date,
        execute: (_c, rows, e) => constNumberColumn(Uint16Array.of(localDays(Math.floor(e.queryStartMs / 1000), ctx.timezone) + delta), rows),
      };
    },
  };
}

const toUnixTimestamp: ScalarFunction = {
  name: 'toUnixTimestamp',
  aliases: ['UNIX_TIMESTAMP'],
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Seconds since the epoch of a date, time, or a date-time string (read in the timezone)',
  syntax: 'toUnixTimestamp(x[, timezone])',
  resolve(args, ctx) {
    checkArgCount('toUnixTimestamp', args, 1, 2);
    const t = args[0]!.type;
    const tz = tzArgument('toUnixTimestamp', args, 1) ?? ctx.timezone;
    if (isStringLike(t)) {
      return rowwiseTimestamp(t, tz);
    }
    if (t.kind === 'DateTime') return { returnType: T.UInt32, execute: (cols) => cols[0]! };
    if (t.kind === 'Date' || t.kind === 'Date32' || t.kind === 'DateTime64' || isInteger(t) || isFloat(t)) {
      const c = { timezone: tz };
      return { returnType: T.UInt32, execute: (cols) => castColumn(cols[0]!, t, T.UInt32, c) };
    }
    throw illegalType('toUnixTimestamp', t);
  },
};

function rowwiseTimestamp(t: DataType, tz: string): ResolvedFunction {
  return {
    returnType: T.UInt32,
    execute(cols, rows) {
      const s = castColumn(cols[0]!, t, dateTimeType(tz), { timezone: tz });
      return s.length === rows || s.kind === 'const' ? s : s;
    },
  };
}

function toUnixTimestamp64(unit: 'Milli' | 'Micro' | 'Nano' | 'Second'): ScalarFunction {
  const name = `toUnixTimestamp64${unit}`;
  const p = unit === 'Milli' ? 3 : unit === 'Micro' ? 6 : unit === 'Nano' ? 9 : 0;
  return {
    name,
    category: CATEGORY,
    description: `A DateTime64 as ${unit.toLowerCase()}seconds since the epoch (Int64)`,
    syntax: `${name}(t)`,
    resolve(args) {
      checkArgCount(name, args, 1);
      const t = args[0]!.type;
      if (t.kind !== 'DateTime64' && t.kind !== 'DateTime') throw illegalType(name, t);
      const fromScale = t.kind === 'DateTime64' ? 10 ** t.precision : 1;
      const f = 10 ** p / fromScale;
      return {
        returnType: T.Int64,
        execute(cols, rows) {
          const { data, isConst } = timeValues(cols[0]!);
          const n = isConst ? 1 : rows;
          const tmp = new Float64Array(n);
          for (let i = 0; i < n; i++) tmp[i] = f >= 1 ? data[i]! * f : Math.floor(data[i]! * f);
          const out = new BigInt64Array(n);
          if (!float64ToInt64(tmp, out)) for (let i = 0; i < n; i++) out[i] = BigInt(Math.round(tmp[i]!));
          const res = new NumericColumn(out);
          return isConst ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

function fromUnixTimestamp64(unit: 'Milli' | 'Micro' | 'Nano' | 'Second'): ScalarFunction {
  const name = `fromUnixTimestamp64${unit}`;
  const p = unit === 'Milli' ? 3 : unit === 'Micro' ? 6 : unit === 'Nano' ? 9 : 0;
  return {
    name,
    category: CATEGORY,
    description: `Int64 ${unit.toLowerCase()}seconds since the epoch as DateTime64(${p})`,
    syntax: `${name}(n[, timezone])`,
    resolve(args, ctx) {
      checkArgCount(name, args, 1, 2);
      const t = args[0]!.type;
      if (!isInteger(t)) throw illegalType(name, t);
      const tz = tzArgument(name, args, 1);
      const rt = dateTime64Type(p, tz);
      return { returnType: rt, execute: (cols) => castColumn(cols[0]!, t, T.Float64, ctx) };
    },
  };
}

const fromUnixTimestamp: ScalarFunction = {
  name: 'fromUnixTimestamp',
  aliases: ['FROM_UNIXTIME'],
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Seconds since the epoch as DateTime; with a format string, formatted text',
  syntax: 'fromUnixTimestamp(n[, format[, timezone]])',
  resolve(args, ctx) {
    checkArgCount('fromUnixTimestamp', args, 1, 3);
    const t = args[0]!.type;
    if (!isInteger(t) && !isFloat(t) && t.kind !== 'DateTime') throw illegalType('fromUnixTimestamp', t);
    if (args.length === 1 || (args.length === 2 && args[1]!.constant && !String(args[1]!.constant.value).includes('%'))) {
      const tz = args.length === 2 ? tzArgument('fromUnixTimestamp', args, 1) : undefined;
      const rt = dateTimeType(tz);
      return { returnType: rt, execute: (cols) => castColumn(cols[0]!, t, rt, ctx) };
    }
    const pattern = constString('fromUnixTimestamp', args, 1);
    const tz = tzArgument('fromUnixTimestamp', args, 2) ?? ctx.timezone;
    return {
      returnType: T.String,
      execute(cols, rows) {
        const { data, isConst } = timeValues(castColumn(cols[0]!, t, T.Float64, ctx));
        const n = isConst ? 1 : rows;
        const b = new StringBuilder(n);
        for (let i = 0; i < n; i++) {
          const secs = Math.trunc(data[i]!);
          const off = tzOffsetSeconds(tz, secs);
          const local = secs + off;
          const days = Math.floor(local / 86400);
          const sod = local - days * 86400;
          const { y, m, d } = civilFromDays(days);
          b.pushString(formatWithPattern(pattern, { y, m, d, h: Math.floor(sod / 3600), mi: Math.floor((sod % 3600) / 60), s: sod % 60, days, frac: '', offset: off, tz }));
        }
        const res = b.build();
        return isConst ? new ConstColumn(res, rows) : res;
      },
    };
  },
};

// ------------------------------------------------------------------ dateDiff / age

interface Civil {
  y: number;
  m: number;
  d: number;
  sod: number;
  days: number;
  /** seconds since epoch (local wall clock) with fraction */
  local: number;
}

function civilOf(v: number, t: DataType, tz: string): Civil {
  const a = timeArgOf('dateDiff', t, tz);
  if (a.kind === 'date') {
    const { y, m, d } = civilFromDays(v);
    return { y, m, d, sod: 0, days: v, local: v * 86400 };
  }
  const secsF = v / a.scale;
  const secs = Math.floor(secsF);
  const local = secs + tzOffsetSeconds(a.tz, secs);
  const days = Math.floor(local / 86400);
  const { y, m, d } = civilFromDays(days);
  return { y, m, d, sod: local - days * 86400, days, local: local + (secsF - secs) };
}

function diffUnits(unit: string, a: Civil, b: Civil, relative: boolean): number {
  const u = parseUnit(unit);
  const monthsA = a.y * 12 + a.m - 1;
  const monthsB = b.y * 12 + b.m - 1;
  if (relative) {
    switch (u) {
      case 'Year':
        return b.y - a.y;
      case 'Quarter':
        return Math.floor(monthsB / 3) - Math.floor(monthsA / 3);
      case 'Month':
        return monthsB - monthsA;
      case 'Week':
        return Math.floor((b.days + 3) / 7) - Math.floor((a.days + 3) / 7);
      case 'Day':
        return b.days - a.days;
      case 'Hour':
        return Math.floor(b.local / 3600) - Math.floor(a.local / 3600);
      case 'Minute':
        return Math.floor(b.local / 60) - Math.floor(a.local / 60);
      case 'Second':
        return Math.floor(b.local) - Math.floor(a.local);
      case 'Millisecond':
        return Math.floor(b.local * 1e3) - Math.floor(a.local * 1e3);
      case 'Microsecond':
        return Math.round(b.local * 1e6) - Math.round(a.local * 1e6);
      default:
        return Math.round(b.local * 1e9) - Math.round(a.local * 1e9);
    }
  }
  // age: full units elapsed
  const sign = b.local >= a.local ? 1 : -1;
  const [lo, hi] = sign > 0 ? [a, b] : [b, a];
  const full = (months: number) => {
    let n = months;
    const loRest = lo.d * 86400 + lo.sod;
    const hiRest = hi.d * 86400 + hi.sod;
    if (n > 0 && hiRest < loRest) n--;
    return n;
  };
  let r: number;
  switch (u) {
    case 'Year':
      r = Math.floor(full(hi.y * 12 + hi.m - (lo.y * 12 + lo.m)) / 12);
      break;
    case 'Quarter':
      r = Math.floor(full(hi.y * 12 + hi.m - (lo.y * 12 + lo.m)) / 3);
      break;
    case 'Month':
      r = full(hi.y * 12 + hi.m - (lo.y * 12 + lo.m));
      break;
    case 'Week':
      r = Math.floor((hi.local - lo.local) / 604800);
      break;
    case 'Day':
      r = Math.floor((hi.local - lo.local) / 86400);
      break;
    case 'Hour':
      r = Math.floor((hi.local - lo.local) / 3600);
      break;
    case 'Minute':
      r = Math.floor((hi.local - lo.local) / 60);
      break;
    default:
      r = Math.floor(hi.local - lo.local);
  }
  return sign * r;
}

function dateDiffFunction(name: 'dateDiff' | 'age', relative: boolean, aliases: string[]): ScalarFunction {
  return rowwise({
    name,
    aliases,
    caseInsensitive: name === 'dateDiff',
    category: CATEGORY,
    description: relative
      ? "Number of unit boundaries crossed from start to end ('second' … 'year')"
      : 'Number of full units elapsed from start to end',
    syntax: `${name}(unit, start, end[, timezone])`,
    examples: "dateDiff('hour', toDateTime('2020-01-01 10:59:00'), toDateTime('2020-01-01 11:01:00')) = 1",
    minArgs: 3,
    maxArgs: 4,
    bind(args: readonly ArgumentInfo[], ctx) {
      const unit = constString(name, args, 0);
      parseUnit(unit);
      const tz = tzArgument(name, args, 3) ?? ctx.timezone;
      const ta = args[1]!.type;
      const tb = args[2]!.type;
      timeArgOf(name, ta, tz, 1);
      timeArgOf(name, tb, tz, 2);
      return {
        returnType: T.Int64,
        row: (v) => BigInt(diffUnits(unit, civilOf(v[1] as number, ta, tz), civilOf(v[2] as number, tb, tz), relative)),
      };
    },
  });
}

// ------------------------------------------------------------------ timezones

const toTimeZone: ScalarFunction = {
  name: 'toTimeZone',
  aliases: ['toTimezone'],
  category: CATEGORY,
  description: 'The same instant with another timezone attached (changes how it prints)',
  syntax: 'toTimeZone(t, timezone)',
  resolve(args) {
    checkArgCount('toTimeZone', args, 2);
    const t = args[0]!.type;
    const tz = tzArgument('toTimeZone', args, 1)!;
    if (t.kind === 'DateTime') return { returnType: dateTimeType(tz), execute: (cols) => cols[0]! };
    if (t.kind === 'DateTime64') return { returnType: dateTime64Type(t.precision, tz), execute: (cols) => cols[0]! };
    if (t.kind === 'Date' || t.kind === 'Date32') {
      const rt = dateTimeType(tz);
      return { returnType: rt, execute: (cols) => castColumn(cols[0]!, t, rt, { timezone: tz }) };
    }
    throw illegalType('toTimeZone', t);
  },
};

const timezoneOf: ScalarFunction = {
  name: 'timezoneOf',
  aliases: ['timeZoneOf'],
  category: CATEGORY,
  description: 'The timezone name of a DateTime value (its type\'s, else the session\'s)',
  syntax: 'timezoneOf(t)',
  resolve(args, ctx) {
    checkArgCount('timezoneOf', args, 1);
    const t = args[0]!.type;
    const a = timeArgOf('timezoneOf', t, ctx.timezone);
    return {
      returnType: T.String,
      execute(_c, rows) {
        const b = new StringBuilder(1);
        b.pushString(a.tz);
        return new ConstColumn(b.build(), rows);
      },
    };
  },
};

const timezoneOffset: ScalarFunction = rowwise({
  name: 'timezoneOffset',
  aliases: ['timeZoneOffset'],
  category: CATEGORY,
  description: 'Offset from UTC in seconds of the value\'s timezone at that instant',
  syntax: 'timezoneOffset(t)',
  minArgs: 1,
  bind(args, ctx) {
    const a = timeArgOf('timezoneOffset', args[0]!.type, ctx.timezone);
    return { returnType: T.Int32, row: (v) => tzOffsetSeconds(a.tz, Math.floor((v[0] as number) / a.scale)) };
  },
});

// ------------------------------------------------------------------ construction and names

const makeDate = rowwise({
  name: 'makeDate',
  aliases: ['MAKEDATE'],
  caseInsensitive: true,
  category: CATEGORY,
  description: 'A Date from year, month, day (or year, day of year)',
  syntax: 'makeDate(year, month, day) | makeDate(year, day_of_year)',
  minArgs: 2,
  maxArgs: 3,
  bind(args) {
    return {
      returnType: T.Date,
      row: (v) => {
        const y = Number(v[0]);
        if (v.length === 2) return daysFromCivil(y, 1, 1) + Number(v[1]) - 1;
        return daysFromCivil(y, Number(v[1]), Number(v[2]));
      },
    };
    void args;
  },
});

const makeDateTime = rowwise({
  name: 'makeDateTime',
  category: CATEGORY,
  description: 'A DateTime from year, month, day, hour, minute, second',
  syntax: 'makeDateTime(year, month, day, hour, minute, second[, timezone])',
  minArgs: 6,
  maxArgs: 7,
  bind(args, ctx) {
    const tz = tzArgument('makeDateTime', args, 6);
    return { returnType: dateTimeType(tz), row: (v) => fromLocal(Number(v[0]), Number(v[1]), Number(v[2]), Number(v[3]), Number(v[4]), Number(v[5]), tz ?? ctx.timezone) };
  },
});

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const monthName = rowwise({
  name: 'monthName',
  category: CATEGORY,
  description: 'The English name of the month',
  syntax: 'monthName(date)',
  minArgs: 1,
  bind(args, ctx) {
    const t = args[0]!.type;
    return { returnType: T.String, row: (v) => MONTHS[civilOf(v[0] as number, t, ctx.timezone).m - 1]! };
  },
});

const dateName = rowwise({
  name: 'dateName',
  category: CATEGORY,
  description: "A part of the date as text: 'year', 'quarter', 'month', 'week', 'dayofyear', 'day', 'weekday', 'hour', 'minute', 'second'",
  syntax: 'dateName(part, date[, timezone])',
  minArgs: 2,
  maxArgs: 3,
  bind(args, ctx) {
    const part = constString('dateName', args, 0).toLowerCase();
    const tz = tzArgument('dateName', args, 2) ?? ctx.timezone;
    const t = args[1]!.type;
    return {
      returnType: T.String,
      row(v) {
        const c = civilOf(v[1] as number, t, tz);
        switch (part) {
          case 'year':
            return String(c.y);
          case 'quarter':
            return String(Math.floor((c.m - 1) / 3) + 1);
          case 'month':
            return MONTHS[c.m - 1]!;
          case 'dayofyear':
            return String(c.days - daysFromCivil(c.y, 1, 1) + 1);
          case 'day':
            return String(c.d);
          case 'week':
            return String(Math.floor((c.days - daysFromCivil(c.y, 1, 1) + isoDow(daysFromCivil(c.y, 1, 1)) - 1) / 7) + 1);
          case 'weekday':
            return WEEKDAYS[isoDow(c.days) - 1]!;
          case 'hour':
            return String(Math.floor(c.sod / 3600));
          case 'minute':
            return String(Math.floor((c.sod % 3600) / 60));
          case 'second':
            return String(c.sod % 60);
          default:
            throw new DbError('BAD_ARGUMENTS', `Invalid date part ${part} for function dateName`);
        }
      },
    };
  },
});

/** Parses 'YYYY-MM-DD hh:mm:ss' in a timezone: the building block of toDateTime(string, tz). */
export function parseDateTimeIn(text: string, tz: string): number {
  return parseDateTimeText(text, tz);
}

export const dateMiscFunctions: ScalarFunction[] = [
  now,
  now64,
  dayFunction('today', 0, ['curdate', 'current_date', 'CURRENT_DATE']),
  dayFunction('yesterday', -1, []),
  toUnixTimestamp,
  toUnixTimestamp64('Milli'),
  toUnixTimestamp64('Micro'),
  toUnixTimestamp64('Nano'),
  toUnixTimestamp64('Second'),
  fromUnixTimestamp,
  fromUnixTimestamp64('Milli'),
  fromUnixTimestamp64('Micro'),
  fromUnixTimestamp64('Nano'),
  fromUnixTimestamp64('Second'),
  dateDiffFunction('dateDiff', true, ['date_diff', 'DATE_DIFF', 'timestampDiff', 'timestamp_diff', 'TIMESTAMP_DIFF']),
  dateDiffFunction('age', false, []),
  toTimeZone,
  timezoneOf,
  timezoneOffset,
  makeDate,
  makeDateTime,
  monthName,
  dateName,
];

export { toFloat64 };
