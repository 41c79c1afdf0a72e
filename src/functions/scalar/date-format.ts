import { DbError } from '../../errors/index.js';
import { type DataType, dateTime64Type, dateTimeType, nullableType, T } from '../../types/data-type.js';
import { civilFromDays, daysFromCivil, daysInMonth, fromLocal, tzOffsetSeconds } from '../../types/time.js';
import type { ScalarFunction } from '../function.js';
import { checkArgCount, constNumber, constString, illegalType } from '../core/args.js';
import { rowwise } from '../core/rowwise.js';
import { timeArgOf, tzArgument } from '../core/time-input.js';
import { isoDow, isoWeek } from './dates.js';

const CATEGORY = 'Dates and Times';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const p2 = (n: number) => (n < 10 ? '0' + n : String(n));
const p3 = (n: number) => String(n).padStart(3, '0');

interface Parts {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  days: number;
  /** fractional digits (for %f) */
  frac: string;
  offset: number;
  tz: string;
}

/** formatDateTime's MySQL-style specifiers, as ClickHouse implements them (%M is the minute). */
export function formatWithPattern(pattern: string, p: Parts): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c !== '%' || i + 1 >= pattern.length) {
      out += c;
      continue;
    }
    const f = pattern[++i]!;
    const h12 = p.h % 12 === 0 ? 12 : p.h % 12;
    switch (f) {
      case 'a':
        out += WEEKDAYS[isoDow(p.days) - 1]!.slice(0, 3);
        break;
      case 'b':
        out += MONTHS[p.m - 1]!.slice(0, 3);
        break;
      case 'c':
        out += p2(p.m);
        break;
      case 'C':
        out += p2(Math.floor(p.y / 100));
        break;
      case 'd':
        out += p2(p.d);
        break;
      case 'D':
        out += `${p2(p.m)}/${p2(p.d)}/${p2(p.y % 100)}`;
        break;
      case 'e':
        out += String(p.d).padStart(2, ' ');
        break;
      case 'f':
        out += p.frac || '000000';
        break;
      case 'F':
        out += `${String(p.y).padStart(4, '0')}-${p2(p.m)}-${p2(p.d)}`;
        break;
      case 'g':
        out += p2(isoWeek(p.days).year % 100);
        break;
      case 'G':
        out += String(isoWeek(p.days).year);
        break;
      case 'h':
      case 'I':
        out += p2(h12);
        break;
      case 'H':
        out += p2(p.h);
        break;
      case 'i':
        out += p2(p.mi);
        break;
      case 'j':
        out += p3(p.days - daysFromCivil(p.y, 1, 1) + 1);
        break;
      case 'k':
        out += String(p.h).padStart(2, ' ');
        break;
      case 'l':
        out += String(h12).padStart(2, ' ');
        break;
      case 'm':
        out += p2(p.m);
        break;
      case 'M':
        out += p2(p.mi);
        break;
      case 'n':
        out += '\n';
        break;
      case 'p':
        out += p.h < 12 ? 'AM' : 'PM';
        break;
      case 'Q':
        out += String(Math.floor((p.m - 1) / 3) + 1);
        break;
      case 'r':
        out += `${p2(h12)}:${p2(p.mi)} ${p.h < 12 ? 'AM' : 'PM'}`;
        break;
      case 'R':
        out += `${p2(p.h)}:${p2(p.mi)}`;
        break;
      case 's':
      case 'S':
        out += p2(p.s);
        break;
      case 't':
        out += '\t';
        break;
      case 'T':
        out += `${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}`;
        break;
      case 'u':
        out += String(isoDow(p.days));
        break;
      case 'V':
        out += p2(isoWeek(p.days).week);
        break;
      case 'w':
        out += String(isoDow(p.days) % 7);
        break;
      case 'W':
        out += WEEKDAYS[isoDow(p.days) - 1]!;
        break;
      case 'y':
        out += p2(p.y % 100);
        break;
      case 'Y':
        out += String(p.y);
        break;
      case 'z': {
        const o = p.offset;
        const sign = o < 0 ? '-' : '+';
        const a = Math.abs(o);
        out += `${sign}${p2(Math.floor(a / 3600))}${p2(Math.floor((a % 3600) / 60))}`;
        break;
      }
      case 'Z':
        out += p.tz;
        break;
      case '%':
        out += '%';
        break;
      default:
        throw new DbError('BAD_ARGUMENTS', `Wrong syntax '${pattern}': unknown format specifier %${f}`);
    }
  }
  return out;
}

function partsOf(v: number, t: DataType, tz: string): Parts {
  const a = timeArgOf('formatDateTime', t, tz);
  const zone = a.tz;
  if (a.kind === 'date') {
    const { y, m, d } = civilFromDays(v);
    return { y, m, d, h: 0, mi: 0, s: 0, days: v, frac: '', offset: 0, tz: zone };
  }
  const secs = Math.floor(v / a.scale);
  const fracTicks = v - secs * a.scale;
  const off = tzOffsetSeconds(zone, secs);
  const local = secs + off;
  const days = Math.floor(local / 86400);
  const sod = local - days * 86400;
  const { y, m, d } = civilFromDays(days);
  const frac = a.kind === 'datetime64' ? String(Math.round(fracTicks)).padStart(a.precision, '0').padEnd(6, '0') : '';
  return { y, m, d, h: Math.floor(sod / 3600), mi: Math.floor((sod % 3600) / 60), s: sod % 60, days, frac, offset: off, tz: zone };
}

const formatDateTime: ScalarFunction = rowwise({
  name: 'formatDateTime',
  aliases: ['DATE_FORMAT', 'formatDateTimeInJodaSyntax_'],
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Formats a date or time with MySQL-style % specifiers',
  syntax: "formatDateTime(t, format[, timezone])",
  examples: "formatDateTime(toDateTime('2020-01-02 03:04:05'), '%Y-%m-%d %H:%M:%S') = '2020-01-02 03:04:05'",
  minArgs: 2,
  maxArgs: 3,
  bind(args, ctx) {
    const t = args[0]!.type;
    constString('formatDateTime', args, 1);
    const tz = tzArgument('formatDateTime', args, 2);
    let tt = t;
    if (tz && t.kind === 'DateTime') tt = dateTimeType(tz);
    if (tz && t.kind === 'DateTime64') tt = dateTime64Type(t.precision, tz);
    timeArgOf('formatDateTime', tt, ctx.timezone);
    return { returnType: T.String, row: (v) => formatWithPattern(String(v[1]), partsOf(v[0] as number, tt, ctx.timezone)) };
  },
});

// ------------------------------------------------------------------ best-effort parsing

const MONTH_ABBR = new Map(MONTHS.map((m, i) => [m.slice(0, 3).toLowerCase(), i + 1]));
const WEEKDAY_ABBR = new Set(WEEKDAYS.map((w) => w.slice(0, 3).toLowerCase()));

export interface BestEffort {
  /** UTC seconds */
  secs: number;
  /** fractional digits as text */
  frac: string;
}

/**
 * parseDateTimeBestEffort: ISO 8601 (with T, Z, offsets, fractions), RFC 1123 / 822, `YYYY-MM-DD hh:mm:ss`,
 * `DD/MM/YYYY` (`MM/DD/YYYY` with usFirst), `DD.MM.YYYY`, month names, AM/PM, unix timestamps, compact
 * `YYYYMMDD[hhmmss]`. Returns null when the text cannot be read.
 */
export function parseBestEffort(text: string, tz: string, usFirst = false): BestEffort | null {
  const s = text.trim();
  if (!s) return null;
  if (/^\d{10}(\.\d+)?$/.test(s) || (/^\d{1,13}$/.test(s) && s.length !== 8 && s.length !== 12 && s.length !== 14 && s.length !== 6)) {
    const [i, f] = s.split('.');
    return { secs: Number(i), frac: f ?? '' };
  }
  let y = -1, mo = -1, d = -1, h = 0, mi = 0, sec = 0;
  let frac = '';
  let offset: number | undefined;
  let pm: boolean | undefined;
  const compact = /^(\d{4})(\d{2})(\d{2})(?:[T ]?(\d{2})(\d{2})(\d{2})?)?(Z)?$/.exec(s) ?? (/^\d{6}$/.test(s) ? /^(\d{2})(\d{2})(\d{2})()()()()$/.exec('20' + s) : null);
  if (compact) {
    y = +compact[1]!;
    mo = +compact[2]!;
    d = +compact[3]!;
    if (compact[4]) {
      h = +compact[4];
      mi = +compact[5]!;
      sec = compact[6] ? +compact[6] : 0;
    }
    if (compact[7]) offset = 0;
  } else {
    const toks = (s.match(/\d+|[A-Za-z]+|[+-]|[:/.\-,]|\s+/g) ?? []).filter((t) => !/^\s+$/.test(t) && t !== ',');
    let i = 0;
    const numsDate: number[] = [];
    let sepDate = '';
    while (i < toks.length) {
      const t = toks[i]!;
      if (/^\d+$/.test(t)) {
        // time hh:mm[:ss[.frac]]
        if (toks[i + 1] === ':' && /^\d+$/.test(toks[i + 2] ?? '')) {
          h = +t;
          mi = +toks[i + 2]!;
          i += 3;
          if (toks[i] === ':' && /^\d+$/.test(toks[i + 1] ?? '')) {
            sec = +toks[i + 1]!;
            i += 2;
            if ((toks[i] === '.' || toks[i] === ',') && /^\d+$/.test(toks[i + 1] ?? '')) {
              frac = toks[i + 1]!;
              i += 2;
            }
          }
          continue;
        }
        if (t.length === 4 && numsDate.length === 0) {
          y = +t;
          i++;
          if (['-', '/', '.'].includes(toks[i] ?? '')) {
            sepDate = toks[i]!;
            i++;
            const mt = toks[i] ?? '';
            if (/^\d+$/.test(mt)) mo = +mt;
            else if (MONTH_ABBR.has(mt.slice(0, 3).toLowerCase())) mo = MONTH_ABBR.get(mt.slice(0, 3).toLowerCase())!;
            else return null;
            i++;
            if (toks[i] === sepDate) {
              i++;
              if (!/^\d+$/.test(toks[i] ?? '')) return null;
              d = +toks[i]!;
              i++;
            } else d = 1;
          }
          continue;
        }
        numsDate.push(+t);
        i++;
        if (['/', '.', '-'].includes(toks[i] ?? '') && /^\d+$/.test(toks[i + 1] ?? '')) {
          sepDate = toks[i]!;
          i++;
        }
        continue;
      }
      if (/^[A-Za-z]+$/.test(t)) {
        const l = t.toLowerCase();
        if (l === 't') {
          i++;
          continue;
        }
        if (l === 'z' || l === 'utc' || l === 'gmt' || l === 'ut') {
          offset = 0;
          i++;
          continue;
        }
        if (l === 'am' || l === 'pm') {
          pm = l === 'pm';
          i++;
          continue;
        }
        if (MONTH_ABBR.has(l.slice(0, 3)) && (l.length === 3 || MONTHS.some((m) => m.toLowerCase() === l))) {
          mo = MONTH_ABBR.get(l.slice(0, 3))!;
          i++;
          if (toks[i] === '-' || toks[i] === '.' || toks[i] === '/') i++;
          continue;
        }
        if (WEEKDAY_ABBR.has(l.slice(0, 3))) {
          i++;
          continue;
        }
        return null;
      }
      if ((t === '+' || t === '-') && /^\d+$/.test(toks[i + 1] ?? '') && (h || mi || sec || y >= 0 || numsDate.length)) {
        const digits = toks[i + 1]!;
        let hh: number;
        let mm = 0;
        if (digits.length === 4) {
          hh = +digits.slice(0, 2);
          mm = +digits.slice(2);
          i += 2;
        } else {
          hh = +digits;
          i += 2;
          if (toks[i] === ':' && /^\d+$/.test(toks[i + 1] ?? '')) {
            mm = +toks[i + 1]!;
            i += 2;
          }
        }
        if (t === '-' && y < 0 && numsDate.length && mo < 0 && d < 0) {
          // it was a date separator after all
          numsDate.push(+digits);
          continue;
        }
        offset = (t === '-' ? -1 : 1) * (hh * 3600 + mm * 60);
        continue;
      }
      i++;
    }
    // assign loose date numbers
    if (numsDate.length) {
      if (y < 0 && mo > 0) {
        // "3 Feb 2020" / "Feb 3 2020"
        for (const n of numsDate) {
          if (n > 31 || (d >= 0 && y < 0)) y = y < 0 ? n : y;
          else if (d < 0) d = n;
        }
      } else if (y < 0 && numsDate.length >= 3) {
        const [a, b, c] = numsDate as [number, number, number];
        if (a > 31) {
          y = a;
          mo = b;
          d = c;
        } else if (usFirst) {
          mo = a;
          d = b;
          y = c;
        } else {
          d = a;
          mo = b;
          y = c;
        }
        if (y < 100) y += y < 70 ? 2000 : 1900;
      } else if (y >= 0 && mo > 0 && d < 0) d = numsDate[0]!;
      else if (y >= 0 && mo < 0 && numsDate.length >= 2) {
        mo = numsDate[0]!;
        d = numsDate[1]!;
      } else if (y < 0 && numsDate.length === 2 && mo < 0) {
        return null;
      }
    }
  }
  if (pm !== undefined) {
    if (h === 12) h = pm ? 12 : 0;
    else if (pm) h += 12;
  }
  if (y < 0 && mo < 0 && d < 0) {
    // only a time: today's date is not known here; ClickHouse uses 2000-01-01? It uses the current date.
    return null;
  }
  if (mo < 1 || mo > 12) return null;
  if (d < 1) d = 1;
  if (y < 0) return null;
  if (d > daysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) return null;
  const secs = offset !== undefined ? daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset : fromLocal(y, mo, d, h, mi, sec, tz);
  return { secs, frac };
}

function bestEffortFunction(name: string, variant: '' | 'OrNull' | 'OrZero', dt64: boolean, usFirst: boolean): ScalarFunction {
  return rowwise({
    name,
    category: CATEGORY,
    description: `Parses a date and time in many common formats into ${dt64 ? 'DateTime64' : 'DateTime'}${variant ? ` (${variant === 'OrNull' ? 'NULL' : 'zero'} when it cannot)` : ''}${usFirst ? ', preferring MM/DD for ambiguous dates' : ''}`,
    syntax: dt64 ? `${name}(s[, precision[, timezone]])` : `${name}(s[, timezone])`,
    minArgs: 1,
    maxArgs: dt64 ? 3 : 2,
    bind(args, ctx) {
      if (args[0]!.type.kind !== 'String' && args[0]!.type.kind !== 'FixedString') throw illegalType(name, args[0]!.type);
      const precision = dt64 ? (args.length > 1 ? constNumber(name, args, 1) : 3) : 0;
      const tz = tzArgument(name, args, dt64 ? 2 : 1);
      const base = dt64 ? dateTime64Type(precision, tz) : dateTimeType(tz);
      const returnType = variant === 'OrNull' ? nullableType(base) : base;
      const zone = tz ?? ctx.timezone;
      const scale = 10 ** precision;
      return {
        returnType,
        row(v) {
          const r = parseBestEffort(String(v[0]), zone, usFirst);
          if (!r) {
            if (variant === 'OrNull') return null;
            if (variant === 'OrZero') return 0;
            throw new DbError('CANNOT_PARSE_DATETIME', `Cannot read DateTime: unexpected text '${String(v[0])}' in function ${name}`);
          }
          if (!dt64) return Math.max(0, r.secs);
          return r.secs * scale + (r.frac ? +r.frac.slice(0, precision).padEnd(precision, '0') : 0);
        },
      };
    },
  });
}

export const dateFormatFunctions: ScalarFunction[] = [
  formatDateTime,
  ...(['', 'OrNull', 'OrZero'] as const).flatMap((v) => [
    bestEffortFunction(`parseDateTimeBestEffort${v}`, v, false, false),
    bestEffortFunction(`parseDateTime32BestEffort${v}`, v, false, false),
    bestEffortFunction(`parseDateTimeBestEffortUS${v}`, v, false, true),
    bestEffortFunction(`parseDateTime64BestEffort${v}`, v, true, false),
    bestEffortFunction(`parseDateTime64BestEffortUS${v}`, v, true, true),
  ]),
  // Proton's to_time is its name for parseDateTime64BestEffortUSOrZero.
  bestEffortFunction('to_time', 'OrZero', true, true),
];
