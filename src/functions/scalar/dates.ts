import { type Column, ConstColumn, NumericColumn } from '../../columns/column.js';
import { physicalOf } from '../../columns/physical.js';
import { DbError } from '../../errors/index.js';
import { type DataType, dateTime64Type, dateTimeType, type IntervalUnit, T } from '../../types/data-type.js';
import { civilFromDays, daysFromCivil, fromLocalSeconds, isLeapYear, tzOffsetSeconds } from '../../types/time.js';
import type { ArgumentInfo, FunctionContext, ResolvedFunction, ScalarFunction } from '../function.js';
import { checkArgCount, constNumber, illegalType } from '../core/args.js';
import { float64ToInt64 } from '../core/columns.js';
import { timeArgOf, type TimeArg, timeValues, tzArgument } from '../core/time-input.js';
import { addMonthsToDays } from './date-arith.js';
import { castColumn } from '../core/cast.js';
import { isProtonDialect } from '../../types/dialect.js';

const CATEGORY = 'Dates and Times';

/**
 * Date transforms work on "local ticks": the value as wall-clock time in its timezone, counted in the
 * input's units (seconds for DateTime, 10^-p s for DateTime64, whole days × 86400 for Date).
 */
function localTicks(v: number, a: TimeArg): number {
  if (a.kind === 'date') return v * 86400;
  if (a.kind === 'datetime') return v + tzOffsetSeconds(a.tz, v);
  const secs = Math.floor(v / a.scale);
  return v + tzOffsetSeconds(a.tz, secs) * a.scale;
}

const floorDiv = (a: number, b: number) => Math.floor(a / b);

function localDaysOf(lt: number, a: TimeArg): number {
  return Math.floor(lt / a.scale / 86400);
}

/** What a transform's number means: a field, a day number, or local ticks to turn back into an instant. */
type OutKind = 'field' | 'days' | 'time';

interface Transform {
  readonly name: string;
  readonly description: string;
  readonly aliases?: readonly string[];
  readonly caseInsensitive?: boolean;
  readonly out: OutKind;
  /** Result type for a field transform, or undefined to derive (Date for 'days', the time type for 'time'). */
  readonly rt?: DataType;
  /** Date inputs are rejected (toHour(Date) …) when false. */
  readonly acceptsDate?: boolean;
  /** For 'time' results, DateTime64 inputs keep their precision; else the result is DateTime. */
  readonly keepsSubsecond?: boolean;
  fn(lt: number, a: TimeArg): number;
}

function timeTransform(t: Transform): ScalarFunction {
  return {
    name: t.name,
    aliases: t.aliases,
    caseInsensitive: t.caseInsensitive,
    category: CATEGORY,
    description: t.description,
    syntax: `${t.name}(date_or_datetime[, timezone])`,
    resolve(args, ctx) {
      checkArgCount(t.name, args, 1, 2);
      const tz = tzArgument(t.name, args, 1);
      const argType = args[0]!.type;
      const a = timeArgOf(t.name, argType, ctx.timezone);
      const arg: TimeArg = tz ? { ...a, tz } : a;
      if (arg.kind === 'date' && t.acceptsDate === false) throw illegalType(t.name, argType);
      let rt: DataType;
      if (t.out === 'field') rt = t.rt!;
      else if (t.out === 'days') rt = argType.kind === 'Date32' ? T.Date32 : T.Date;
      else if (arg.kind === 'datetime64' && t.keepsSubsecond !== false) rt = dateTime64Type(arg.precision, tz ?? (argType.kind === 'DateTime64' ? argType.timezone : undefined));
      else rt = dateTimeType(tz ?? (argType.kind === 'DateTime' || argType.kind === 'DateTime64' ? argType.timezone : undefined));
      const outScale = rt.kind === 'DateTime64' ? arg.scale : 1;
      const zone = arg.kind === 'date' ? (tz ?? ctx.timezone) : arg.tz;
      return {
        returnType: rt,
        execute(cols, rows) {
          const { data, isConst } = timeValues(cols[0]!);
          const n = isConst ? 1 : rows;
          const p = physicalOf(rt);
          if (p.layout !== 'numeric') throw new Error('unexpected layout');
          const tmp = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const lt = localTicks(data[i]!, arg);
            let r = t.fn(lt, arg);
            if (t.out === 'time') {
              // r is local ticks in the input's scale; bring to the output's scale, then to an instant
              const inScale = arg.scale;
              const secs = Math.floor(r / inScale);
              const frac = r - secs * inScale;
              r = fromLocalSeconds(secs, zone) * outScale + (outScale === inScale ? frac : 0);
            }
            tmp[i] = r;
          }
          let res: Column;
          if (p.ctor === BigUint64Array || p.ctor === BigInt64Array) {
            const out = new (p.ctor as BigInt64ArrayConstructor)(n);
            float64ToInt64(tmp, out);
            res = new NumericColumn(out);
          } else if (p.ctor === Float64Array) res = new NumericColumn(tmp);
          else {
            const out = new p.ctor(n);
            (out as Float64Array).set(tmp);
            res = new NumericColumn(out);
          }
          return isConst ? new ConstColumn(res, rows) : res;
        },
      };
    },
  };
}

// ------------------------------------------------------------------ calendar helpers

function ymd(lt: number, a: TimeArg) {
  return civilFromDays(localDaysOf(lt, a));
}
function secondOfDay(lt: number, a: TimeArg): number {
  const s = Math.floor(lt / a.scale);
  return s - Math.floor(s / 86400) * 86400;
}
/** ISO day of week, 1 = Monday … 7 = Sunday. */
export function isoDow(days: number): number {
  return ((((days + 3) % 7) + 7) % 7) + 1;
}
function dayOfYear(days: number): number {
  const { y } = civilFromDays(days);
  return days - daysFromCivil(y, 1, 1) + 1;
}

/** ISO 8601 week number and its year. */
export function isoWeek(days: number): { year: number; week: number } {
  const dow = isoDow(days);
  const thursday = days - dow + 4;
  const { y } = civilFromDays(thursday);
  const jan1 = daysFromCivil(y, 1, 1);
  return { year: y, week: Math.floor((thursday - jan1) / 7) + 1 };
}

/**
 * MySQL-compatible week numbers (toWeek modes 0-9): bit 0 = Monday first, bit 1 = range 1-53 (else 0-53),
 * bit 2 = week 1 is the first week with 4+ days (else the first week containing a first day).
 */
export function weekMode(days: number, mode: number): { year: number; week: number } {
  let wf = mode & 7;
  if (!(wf & 1)) wf ^= 4;
  const mondayFirst = (wf & 1) !== 0;
  let weekYear = (wf & 2) !== 0;
  const firstWeekday = (wf & 4) !== 0;
  const { y, m, d } = civilFromDays(days);
  let year = y;
  let firstDaynr = daysFromCivil(y, 1, 1);
  let weekday = calcWeekday(firstDaynr, !mondayFirst);
  if (m === 1 && d <= 7 - weekday) {
    if (!weekYear && ((firstWeekday && weekday !== 0) || (!firstWeekday && weekday >= 4))) return { year, week: 0 };
    weekYear = true;
    year--;
    const yd = isLeapYear(year) ? 366 : 365;
    firstDaynr -= yd;
    weekday = (weekday + 53 * 7 - yd) % 7;
  }
  let diff: number;
  if ((firstWeekday && weekday !== 0) || (!firstWeekday && weekday >= 4)) diff = days - (firstDaynr + (7 - weekday));
  else diff = days - (firstDaynr - weekday);
  if (weekYear && diff >= 52 * 7) {
    weekday = (weekday + (isLeapYear(year) ? 366 : 365)) % 7;
    if ((!firstWeekday && weekday < 4) || (firstWeekday && weekday === 0)) return { year: year + 1, week: 1 };
  }
  return { year, week: Math.floor(diff / 7) + 1 };
}

function calcWeekday(days: number, sundayFirst: boolean): number {
  const iso = isoDow(days); // 1..7 Monday..Sunday
  return sundayFirst ? iso % 7 : iso - 1;
}

// ------------------------------------------------------------------ transforms

const u8 = T.UInt8;
const u16 = T.UInt16;
const u32 = T.UInt32;

const TRANSFORMS: Transform[] = [
  { name: 'toYear', aliases: ['YEAR'], caseInsensitive: true, description: 'The year of a date or date with time', out: 'field', rt: u16, fn: (lt, a) => ymd(lt, a).y },
  { name: 'toQuarter', aliases: ['QUARTER'], caseInsensitive: true, description: 'The quarter (1-4)', out: 'field', rt: u8, fn: (lt, a) => Math.floor((ymd(lt, a).m - 1) / 3) + 1 },
  { name: 'toMonth', aliases: ['MONTH'], caseInsensitive: true, description: 'The month (1-12)', out: 'field', rt: u8, fn: (lt, a) => ymd(lt, a).m },
  { name: 'toDayOfMonth', aliases: ['DAY', 'DAYOFMONTH'], caseInsensitive: true, description: 'The day of the month (1-31)', out: 'field', rt: u8, fn: (lt, a) => ymd(lt, a).d },
  { name: 'toDayOfYear', aliases: ['DAYOFYEAR'], caseInsensitive: true, description: 'The day of the year (1-366)', out: 'field', rt: u16, fn: (lt, a) => dayOfYear(localDaysOf(lt, a)) },
  { name: 'toHour', aliases: ['HOUR'], caseInsensitive: true, description: 'The hour (0-23)', out: 'field', rt: u8, fn: (lt, a) => Math.floor(secondOfDay(lt, a) / 3600) },
  { name: 'toMinute', aliases: ['MINUTE'], caseInsensitive: true, description: 'The minute (0-59)', out: 'field', rt: u8, fn: (lt, a) => Math.floor((secondOfDay(lt, a) % 3600) / 60) },
  { name: 'toSecond', aliases: ['SECOND'], caseInsensitive: true, description: 'The second (0-59)', out: 'field', rt: u8, fn: (lt, a) => secondOfDay(lt, a) % 60 },
  { name: 'toMillisecond', aliases: ['MILLISECOND'], caseInsensitive: true, description: 'The millisecond of a DateTime64 (0-999)', out: 'field', rt: u16, fn: (lt, a) => Math.floor(((lt - Math.floor(lt / a.scale) * a.scale) * 1000) / a.scale) },
  { name: 'toISOWeek', description: 'ISO 8601 week number (1-53)', out: 'field', rt: u8, fn: (lt, a) => isoWeek(localDaysOf(lt, a)).week },
  { name: 'toISOYear', description: 'ISO 8601 week-numbering year', out: 'field', rt: u16, fn: (lt, a) => isoWeek(localDaysOf(lt, a)).year },
  { name: 'toYYYYMM', description: 'The year and month as a number YYYYMM', out: 'field', rt: u32, fn: (lt, a) => { const { y, m } = ymd(lt, a); return y * 100 + m; } },
  { name: 'toYYYYMMDD', description: 'The date as a number YYYYMMDD', out: 'field', rt: u32, fn: (lt, a) => { const { y, m, d } = ymd(lt, a); return y * 10000 + m * 100 + d; } },
  {
    name: 'toYYYYMMDDhhmmss',
    description: 'The date and time as a number YYYYMMDDhhmmss',
    out: 'field',
    rt: T.UInt64,
    fn: (lt, a) => {
      const { y, m, d } = ymd(lt, a);
      const s = secondOfDay(lt, a);
      return (y * 10000 + m * 100 + d) * 1000000 + Math.floor(s / 3600) * 10000 + Math.floor((s % 3600) / 60) * 100 + (s % 60);
    },
  },
  { name: 'toRelativeYearNum', description: 'Years since a fixed point in the past', out: 'field', rt: u16, fn: (lt, a) => ymd(lt, a).y },
  { name: 'toRelativeQuarterNum', description: 'Quarters since a fixed point in the past', out: 'field', rt: u32, fn: (lt, a) => { const { y, m } = ymd(lt, a); return y * 4 + Math.floor((m - 1) / 3); } },
  { name: 'toRelativeMonthNum', description: 'Months since a fixed point in the past', out: 'field', rt: u32, fn: (lt, a) => { const { y, m } = ymd(lt, a); return y * 12 + m; } },
  { name: 'toRelativeWeekNum', description: 'Weeks (Monday-based) since a fixed point in the past', out: 'field', rt: u32, fn: (lt, a) => floorDiv(localDaysOf(lt, a) + 3, 7) },
  { name: 'toRelativeDayNum', description: 'Days since 1970-01-01', out: 'field', rt: u32, fn: (lt, a) => localDaysOf(lt, a) },
  { name: 'toRelativeHourNum', description: 'Hours since a fixed point in the past', out: 'field', rt: u32, fn: (lt, a) => floorDiv(Math.floor(lt / a.scale), 3600) },
  { name: 'toRelativeMinuteNum', description: 'Minutes since a fixed point in the past', out: 'field', rt: u32, fn: (lt, a) => floorDiv(Math.floor(lt / a.scale), 60) },
  { name: 'toRelativeSecondNum', description: 'Seconds since a fixed point in the past', out: 'field', rt: u32, fn: (lt, a) => Math.floor(lt / a.scale) },
  // start-of transforms returning dates
  { name: 'toStartOfYear', description: 'The first day of the year', out: 'days', fn: (lt, a) => daysFromCivil(ymd(lt, a).y, 1, 1) },
  { name: 'toStartOfISOYear', description: 'The first day of the ISO year', out: 'days', fn: (lt, a) => { const d = localDaysOf(lt, a); const { year } = isoWeek(d); const j4 = daysFromCivil(year, 1, 4); return j4 - isoDow(j4) + 1; } },
  { name: 'toStartOfQuarter', description: 'The first day of the quarter', out: 'days', fn: (lt, a) => { const { y, m } = ymd(lt, a); return daysFromCivil(y, Math.floor((m - 1) / 3) * 3 + 1, 1); } },
  { name: 'toStartOfMonth', description: 'The first day of the month', out: 'days', fn: (lt, a) => { const { y, m } = ymd(lt, a); return daysFromCivil(y, m, 1); } },
  { name: 'toLastDayOfMonth', aliases: ['LAST_DAY'], description: 'The last day of the month', out: 'days', fn: (lt, a) => { const { y, m } = ymd(lt, a); return addMonthsToDays(daysFromCivil(y, m, 1), 1) - 1; } },
  { name: 'toMonday', description: 'The nearest Monday on or before the date', out: 'days', fn: (lt, a) => { const d = localDaysOf(lt, a); return d - isoDow(d) + 1; } },
  { name: 'toDateTimeStartOfDayDate', description: 'internal', out: 'days', fn: (lt, a) => localDaysOf(lt, a) },
  // start-of transforms returning times
  { name: 'toStartOfDay', description: 'Midnight at the start of the day', out: 'time', fn: (lt, a) => localDaysOf(lt, a) * 86400 * a.scale },
  { name: 'toStartOfHour', description: 'The start of the hour', out: 'time', acceptsDate: false, fn: (lt, a) => floorDiv(lt, 3600 * a.scale) * 3600 * a.scale },
  { name: 'toStartOfMinute', description: 'The start of the minute', out: 'time', acceptsDate: false, fn: (lt, a) => floorDiv(lt, 60 * a.scale) * 60 * a.scale },
  { name: 'toStartOfSecond', description: 'The start of the second (DateTime64)', out: 'time', acceptsDate: false, fn: (lt, a) => floorDiv(lt, a.scale) * a.scale },
  { name: 'toStartOfMillisecond', description: 'The start of the millisecond (DateTime64)', out: 'time', acceptsDate: false, fn: (lt, a) => (a.scale >= 1000 ? floorDiv(lt, a.scale / 1000) * (a.scale / 1000) : lt) },
  { name: 'toStartOfMicrosecond', description: 'The start of the microsecond (DateTime64)', out: 'time', acceptsDate: false, fn: (lt, a) => (a.scale >= 1e6 ? floorDiv(lt, a.scale / 1e6) * (a.scale / 1e6) : lt) },
  { name: 'toStartOfFiveMinutes', aliases: ['toStartOfFiveMinute'], description: 'The start of the five-minute interval', out: 'time', acceptsDate: false, fn: (lt, a) => floorDiv(lt, 300 * a.scale) * 300 * a.scale },
  { name: 'toStartOfTenMinutes', description: 'The start of the ten-minute interval', out: 'time', acceptsDate: false, fn: (lt, a) => floorDiv(lt, 600 * a.scale) * 600 * a.scale },
  { name: 'toStartOfFifteenMinutes', description: 'The start of the fifteen-minute interval', out: 'time', acceptsDate: false, fn: (lt, a) => floorDiv(lt, 900 * a.scale) * 900 * a.scale },
  { name: 'timeSlot', description: 'The start of the half-hour', out: 'time', acceptsDate: false, keepsSubsecond: false, fn: (lt, a) => floorDiv(lt, 1800 * a.scale) * 1800 * a.scale },
];

/** Functions with a mode argument: toDayOfWeek(t, mode), toWeek(t, mode), toYearWeek, toStartOfWeek. */
function modeTransform(name: string, description: string, out: OutKind, rt: DataType | undefined, fn: (lt: number, a: TimeArg, mode: number) => number, defaultMode = 0, aliases: string[] = []): ScalarFunction {
  return {
    name,
    aliases,
    caseInsensitive: aliases.length > 0,
    category: CATEGORY,
    description,
    syntax: `${name}(t[, mode[, timezone]])`,
    resolve(args, ctx) {
      checkArgCount(name, args, 1, 3);
      const mode = args.length > 1 ? constNumber(name, args, 1) : defaultMode;
      const inner = timeTransform({ name, description, out, rt, fn: (lt, a) => fn(lt, a, mode) });
      const rest: ArgumentInfo[] = [args[0]!, ...(args.length > 2 ? [args[2]!] : [])];
      const r = inner.resolve(rest, ctx);
      return { returnType: r.returnType, execute: (cols, rows, e) => r.execute([cols[0]!, ...(cols.length > 2 ? [cols[2]!] : [])], rows, e) };
    },
  };
}

const dayOfWeek = modeTransform('toDayOfWeek', 'Day of the week: mode 0 Monday=1…Sunday=7, 1 Monday=0…6, 2 Sunday=0…6, 3 Sunday=1…7', 'field', u8, (lt, a, mode) => {
  const iso = isoDow(localDaysOf(lt, a));
  switch (mode) {
    case 1:
      return iso - 1;
    case 2:
      return iso % 7;
    case 3:
      return (iso % 7) + 1;
    default:
      return iso;
  }
}, 0, ['DAYOFWEEK']);

const toWeek = modeTransform('toWeek', 'Week number per MySQL week mode (0-9)', 'field', u8, (lt, a, mode) => weekMode(localDaysOf(lt, a), mode).week, 0, ['WEEK']);
const toYearWeek = modeTransform('toYearWeek', 'Year and week number YYYYWW per MySQL week mode', 'field', u32, (lt, a, mode) => {
  const w = weekMode(localDaysOf(lt, a), mode | 2);
  return w.year * 100 + w.week;
}, 0, ['YEARWEEK']);
const toStartOfWeek = modeTransform('toStartOfWeek', 'The first day of the week (mode 0: Sunday, 1: Monday)', 'days', undefined, (lt, a, mode) => {
  const d = localDaysOf(lt, a);
  const iso = isoDow(d);
  return mode & 1 ? d - iso + 1 : d - (iso % 7);
});
const toLastDayOfWeek = modeTransform('toLastDayOfWeek', 'The last day of the week (mode 0: Saturday, 1: Sunday)', 'days', undefined, (lt, a, mode) => {
  const d = localDaysOf(lt, a);
  const iso = isoDow(d);
  return (mode & 1 ? d - iso + 1 : d - (iso % 7)) + 6;
});

// ------------------------------------------------------------------ toStartOfInterval / date_trunc

function startOfIntervalFn(unit: IntervalUnit, n: number): (lt: number, a: TimeArg) => number {
  switch (unit) {
    case 'Year':
      return (lt, a) => daysFromCivil(Math.floor((ymd(lt, a).y) / n) * n, 1, 1);
    case 'Quarter':
      return (lt, a) => {
        const { y, m } = ymd(lt, a);
        const q = Math.floor((y * 4 + Math.floor((m - 1) / 3)) / n) * n;
        return daysFromCivil(Math.floor(q / 4), (q % 4) * 3 + 1, 1);
      };
    case 'Month':
      return (lt, a) => {
        const { y, m } = ymd(lt, a);
        const k = Math.floor((y * 12 + m - 1) / n) * n;
        return daysFromCivil(Math.floor(k / 12), (k % 12) + 1, 1);
      };
    case 'Week':
      return (lt, a) => {
        const w = floorDiv(localDaysOf(lt, a) + 3, 7);
        return Math.floor(w / n) * n * 7 - 3;
      };
    case 'Day':
      return (lt, a) => Math.floor(localDaysOf(lt, a) / n) * n;
    default: {
      const unitTicks: Record<string, number> = { Hour: 3600, Minute: 60, Second: 1, Millisecond: 1e-3, Microsecond: 1e-6, Nanosecond: 1e-9 };
      const u = unitTicks[unit]!;
      return (lt, a) => {
        const step = Math.max(1, Math.round(u * n * a.scale));
        return floorDiv(lt, step) * step;
      };
    }
  }
}

const toStartOfInterval: ScalarFunction = {
  name: 'toStartOfInterval',
  aliases: ['time_bucket', 'TIME_BUCKET'],
  category: CATEGORY,
  description:
    'Rounds down to the start of the enclosing interval (INTERVAL n unit). With dialect = proton a DateTime64 rounded to seconds, minutes, hours or days gives a DateTime, as in Proton',
  syntax: 'toStartOfInterval(t, INTERVAL n unit[, timezone])',
  resolve(args, ctx) {
    checkArgCount('toStartOfInterval', args, 2, 3);
    const it = args[1]!.type;
    if (it.kind !== 'Interval') throw illegalType('toStartOfInterval', it, 1);
    const n = constNumber('toStartOfInterval', args, 1);
    if (n <= 0) throw new DbError('ARGUMENT_OUT_OF_BOUND', 'Value for second argument of function toStartOfInterval should be greater than zero');
    const unit = it.unit;
    const dayLike = unit === 'Day' || unit === 'Week' || unit === 'Month' || unit === 'Quarter' || unit === 'Year';
    const t = args[0]!.type;
    if (t.kind === 'DateTime64' && isProtonDialect(ctx.settings) && (unit === 'Second' || unit === 'Minute' || unit === 'Hour' || unit === 'Day')) {
      // Proton's to_start_of_interval gives a datetime (whole seconds) for these units, also of a datetime64.
      const seconds = dateTimeType(t.timezone);
      const inner = toStartOfInterval.resolve([{ ...args[0]!, type: seconds, constant: undefined }, ...args.slice(1)], ctx);
      return {
        returnType: inner.returnType,
        execute: (cols, rows, e) => inner.execute([castColumn(cols[0]!, t, seconds, ctx), ...cols.slice(1)], rows, e),
      };
    }
    const isDate = t.kind === 'Date' || t.kind === 'Date32';
    const transform = timeTransform({
      name: 'toStartOfInterval',
      description: '',
      out: dayLike && (isDate || unit !== 'Day') ? 'days' : 'time',
      fn: dayLike && !(isDate || unit !== 'Day') ? (lt, a) => startOfIntervalFn(unit, n)(lt, a) * 86400 * a.scale : startOfIntervalFn(unit, n),
      keepsSubsecond: !dayLike,
    });
    const rest: ArgumentInfo[] = [args[0]!, ...(args.length > 2 ? [args[2]!] : [])];
    const r = transform.resolve(rest, ctx);
    return { returnType: r.returnType, execute: (cols, rows, e) => r.execute([cols[0]!, ...(cols.length > 2 ? [cols[2]!] : [])], rows, e) };
  },
};

const dateTrunc: ScalarFunction = {
  name: 'dateTrunc',
  aliases: ['date_trunc', 'DATE_TRUNC'],
  caseInsensitive: true,
  category: CATEGORY,
  description: "Truncates a date or time to the given unit ('second' … 'year')",
  syntax: "dateTrunc(unit, t[, timezone])",
  resolve(args, ctx) {
    checkArgCount('dateTrunc', args, 2, 3);
    const unitName = String(args[0]!.constant?.value ?? '');
    const unit = parseUnitLoose(unitName);
    const t = args[1]!.type;
    const isDate = t.kind === 'Date' || t.kind === 'Date32';
    const dayLike = unit === 'Day' || unit === 'Week' || unit === 'Month' || unit === 'Quarter' || unit === 'Year';
    const transform = timeTransform({
      name: 'dateTrunc',
      description: '',
      out: isDate && dayLike ? 'days' : 'time',
      fn: isDate && dayLike ? startOfIntervalFn(unit, 1) : dayLike ? (lt, a) => startOfIntervalFn(unit, 1)(lt, a) * 86400 * a.scale : startOfIntervalFn(unit, 1),
    });
    const rest: ArgumentInfo[] = [args[1]!, ...(args.length > 2 ? [args[2]!] : [])];
    const r = transform.resolve(rest, ctx);
    return { returnType: r.returnType, execute: (cols, rows, e) => r.execute([cols[1]!, ...(cols.length > 2 ? [cols[2]!] : [])], rows, e) };
  },
};

function parseUnitLoose(s: string): IntervalUnit {
  const m: Record<string, IntervalUnit> = {
    nanosecond: 'Nanosecond', microsecond: 'Microsecond', millisecond: 'Millisecond', second: 'Second', minute: 'Minute', hour: 'Hour', day: 'Day', week: 'Week', month: 'Month', quarter: 'Quarter', year: 'Year',
  };
  const u = m[s.toLowerCase().replace(/s$/, '')];
  if (!u) throw new DbError('BAD_ARGUMENTS', `Unknown unit ${s} for function dateTrunc`);
  return u;
}

export const dateFunctions: ScalarFunction[] = [
  ...TRANSFORMS.filter((t) => t.description !== 'internal').map(timeTransform),
  dayOfWeek,
  toWeek,
  toYearWeek,
  toStartOfWeek,
  toLastDayOfWeek,
  toStartOfInterval,
  dateTrunc,
];

export type { FunctionContext, ResolvedFunction };
