import { DbError } from '../errors/index.js';

/**
 * Calendar and timezone arithmetic shared by date functions and by text formats. Offsets come from Intl
 * and are cached per timezone per hour, so per-row conversions cost a Map lookup, not an Intl call.
 */

/** Days since 1970-01-01 → civil date (proleptic Gregorian). Howard Hinnant's algorithm. */
export function civilFromDays(days: number): { y: number; m: number; d: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: m <= 2 ? y + 1 : y, m, d };
}

export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Universal', 'Zulu', 'UCT', 'Etc/Universal', 'Etc/Zulu']);

export function isUtc(tz: string): boolean {
  return UTC_NAMES.has(tz);
}

const validated = new Map<string, boolean>();
/** Throws BAD_ARGUMENTS for an unknown timezone name. */
export function checkTimezone(tz: string): string {
  let ok = validated.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    validated.set(tz, ok);
  }
  if (!ok) throw new DbError('BAD_ARGUMENTS', `Invalid time zone: ${tz}`);
  return tz;
}

interface TzCache {
  fmt: Intl.DateTimeFormat;
  /** hour bucket (utcSeconds / 3600) → offset seconds */
  offsets: Map<number, number>;
}
const tzCaches = new Map<string, TzCache>();

function tzCache(tz: string): TzCache {
  let c = tzCaches.get(tz);
  if (!c) {
    checkTimezone(tz);
    c = {
      fmt: new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      }),
      offsets: new Map(),
    };
    tzCaches.set(tz, c);
  }
  return c;
}

/** Offset of `tz` from UTC in seconds at the instant `utcSeconds` (local = utc + offset). */
export function tzOffsetSeconds(tz: string, utcSeconds: number): number {
  if (UTC_NAMES.has(tz)) return 0;
  const c = tzCache(tz);
  const bucket = Math.floor(utcSeconds / 900);
  let off = c.offsets.get(bucket);
  if (off === undefined) {
    const t = bucket * 900;
    const parts = c.fmt.formatToParts(new Date(t * 1000));
    let y = 0,
      mo = 0,
      d = 0,
      h = 0,
      mi = 0,
      s = 0;
    for (const p of parts) {
      switch (p.type) {
        case 'year':
          y = +p.value;
          break;
        case 'month':
          mo = +p.value;
          break;
        case 'day':
          d = +p.value;
          break;
        case 'hour':
          h = +p.value;
          break;
        case 'minute':
          mi = +p.value;
          break;
        case 'second':
          s = +p.value;
          break;
      }
    }
    off = daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - t;
    if (c.offsets.size > 200_000) c.offsets.clear();
    c.offsets.set(bucket, off);
  }
  return off;
}

export interface LocalTime {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  /** Days since epoch of the local date. */
  days: number;
  /** 1 = Monday … 7 = Sunday (ISO). */
  dow: number;
}

/** Breaks a UTC instant (seconds) into local calendar fields in `tz`. */
export function toLocal(utcSeconds: number, tz: string): LocalTime {
  const local = utcSeconds + tzOffsetSeconds(tz, utcSeconds);
  const days = Math.floor(local / 86400);
  const sod = local - days * 86400;
  const { y, m, d } = civilFromDays(days);
  const h = Math.floor(sod / 3600);
  const mi = Math.floor((sod % 3600) / 60);
  const s = Math.floor(sod % 60);
  const dow = ((((days + 3) % 7) + 7) % 7) + 1; // 1970-01-01 was a Thursday
  return { y, m, d, h, mi, s, days, dow };
}

/** Local seconds since epoch (wall clock as if UTC) → UTC seconds, choosing the earlier instant in a fold. */
export function fromLocalSeconds(localSeconds: number, tz: string): number {
  if (UTC_NAMES.has(tz)) return localSeconds;
  let off = tzOffsetSeconds(tz, localSeconds);
  let utc = localSeconds - off;
  const off2 = tzOffsetSeconds(tz, utc);
  if (off2 !== off) {
    utc = localSeconds - off2;
    off = off2;
  }
  return utc;
}

export function fromLocal(y: number, m: number, d: number, h: number, mi: number, s: number, tz: string): number {
  return fromLocalSeconds(daysFromCivil(y, m, d) * 86400 + h * 3600 + mi * 60 + s, tz);
}

/** Local date (days since epoch) of a UTC instant in `tz`. */
export function localDays(utcSeconds: number, tz: string): number {
  return Math.floor((utcSeconds + tzOffsetSeconds(tz, utcSeconds)) / 86400);
}

/** The server's default timezone: HADRON_TZ / TZ, else the system's. */
export function systemTimezone(): string {
  const env = process.env['TZ'];
  if (env && env.length && !env.startsWith(':')) {
    try {
      return checkTimezone(env);
    } catch {
      /* fall through */
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

export function formatDate(days: number): string {
  const { y, m, d } = civilFromDays(days);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

export function formatDateTime(utcSeconds: number, tz: string): string {
  const t = toLocal(utcSeconds, tz);
  return `${String(t.y).padStart(4, '0')}-${pad2(t.m)}-${pad2(t.d)} ${pad2(t.h)}:${pad2(t.mi)}:${pad2(t.s)}`;
}

/** DateTime64 ticks (10^-precision s) → text with `precision` fractional digits. */
export function formatDateTime64(ticks: number, precision: number, tz: string): string {
  const scale = 10 ** precision;
  const secs = Math.floor(ticks / scale);
  const frac = ticks - secs * scale;
  const base = formatDateTime(secs, tz);
  return precision === 0 ? base : `${base}.${String(Math.round(frac)).padStart(precision, '0')}`;
}
