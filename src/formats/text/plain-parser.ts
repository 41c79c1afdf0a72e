import type { DataType } from '../../types/data-type.js';
import { DbError } from '../../errors/index.js';
import type { ErrorName } from '../../errors/error-codes.js';
import {
  type ColumnBuilder,
  FixedBuilder,
  NullableBuilder,
  NumericBuilder,
  StringBuilder,
} from '../../columns/builder.js';
import { parseValueText } from '../../types/text-conversion.js';
import { daysFromCivil, fromLocalSeconds, isUtc } from '../../types/time.js';

/**
 * Parses the plain text of one value (already unescaped / unquoted by the format) straight from bytes into
 * a builder. Numbers, dates and date-times are parsed without making strings; the long tail decodes the
 * text and goes through parseValueText.
 */
export type PlainParser = (buf: Uint8Array, start: number, end: number) => void;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export function bytesToText(buf: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  return ascii ? latin1.decode(buf.subarray(start, end)) : utf8.decode(buf.subarray(start, end));
}

export function parseFailure(type: DataType, buf: Uint8Array, start: number, end: number, name: ErrorName = 'CANNOT_PARSE_TEXT'): DbError {
  const text = bytesToText(buf, start, Math.min(end, start + 100));
  return new DbError(name, `Cannot parse input: cannot parse '${text}' as ${type.name}`);
}

const INT_RANGES: Record<string, [number, number]> = {
  Int8: [-128, 127],
  Int16: [-32768, 32767],
  Int32: [-2147483648, 2147483647],
  UInt8: [0, 255],
  UInt16: [0, 65535],
  UInt32: [0, 4294967295],
  Date: [0, 65535],
  Enum8: [-128, 127],
  Enum16: [-32768, 32767],
};

/** An integer from ASCII digits with an optional sign; NaN when the bytes are not one (or exceed 2^53). */
export function parseIntBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && (buf[i] === 0x2d || buf[i] === 0x2b)) {
    neg = buf[i] === 0x2d;
    i++;
  }
  if (i >= end || end - i > 16) return Number.NaN;
  let v = 0;
  for (; i < end; i++) {
    const d = buf[i]! - 48;
    if (d < 0 || d > 9) return Number.NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** A float: exact fast path for `[-]digits[.digits]` with ≤ 15 significant digits, else parseFloat. */
export function parseFloatBytes(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  if (i < end && (buf[i] === 0x2d || buf[i] === 0x2b)) {
    neg = buf[i] === 0x2d;
    i++;
  }
  let v = 0;
  let digits = 0;
  let frac = 0;
  let seenDot = false;
  let ok = i < end;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      digits++;
      if (seenDot) frac++;
    } else if (c === 0x2e && !seenDot) seenDot = true;
    else {
      ok = false;
      break;
    }
  }
  if (ok && digits > 0 && digits <= 15) {
    const r = frac ? v / POW10[frac]! : v;
    return neg ? -r : r;
  }
  return parseFloatText(bytesToText(buf, start, end));
}

export function parseFloatText(s: string): number {
  const t = s.trim().toLowerCase();
  if (t === 'nan' || t === '+nan' || t === '-nan') return Number.NaN;
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return Number.NaN;
  return Number(t);
}

/** `YYYY-MM-DD` at `start` → days since epoch; NaN if the bytes are not that shape. */
function parseDateBytes(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 10 || buf[start + 4] !== 0x2d || buf[start + 7] !== 0x2d) return Number.NaN;
  const y = d4(buf, start);
  const m = d2(buf, start + 5);
  const d = d2(buf, start + 8);
  if (y !== y || m !== m || d !== d || m < 1 || m > 12 || d < 1 || d > 31) return Number.NaN;
  return daysFromCivil(y, m, d);
}

function d2(b: Uint8Array, p: number): number {
  const a = b[p]! - 48;
  const c = b[p + 1]! - 48;
  return a >= 0 && a <= 9 && c >= 0 && c <= 9 ? a * 10 + c : Number.NaN;
}

function d4(b: Uint8Array, p: number): number {
  return d2(b, p) * 100 + d2(b, p + 2);
}

/** Local `YYYY-MM-DD hh:mm:ss` (or `T` separator) → local seconds; NaN if not that shape. */
function parseLocalDateTimeBytes(buf: Uint8Array, start: number, end: number): number {
  if (end - start !== 19) return Number.NaN;
  const days = parseDateBytes(buf, start, start + 10);
  const sep = buf[start + 10];
  if (days !== days || (sep !== 0x20 && sep !== 0x54) || buf[start + 13] !== 0x3a || buf[start + 16] !== 0x3a) return Number.NaN;
  const h = d2(buf, start + 11);
  const mi = d2(buf, start + 14);
  const s = d2(buf, start + 17);
  if (h !== h || mi !== mi || s !== s || h > 23 || mi > 59 || s > 59) return Number.NaN;
  return days * 86400 + h * 3600 + mi * 60 + s;
}

export interface PlainParserOptions {
  readonly tz: string;
}

/** A parser for values of `type` (not Nullable: the format handles NULL markers) into `builder`. */
export function bindPlainParser(type: DataType, builder: ColumnBuilder, o: PlainParserOptions): PlainParser {
  switch (type.kind) {
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return bindPlainParser(type.inner, builder, o);
    case 'Nullable': {
      // Reached only for values inside text that is not NULL.
      const b = builder as NullableBuilder;
      const inner = bindPlainParser(type.inner, b.inner, o);
      return (buf, s, e) => {
        b.markNotNull();
        inner(buf, s, e);
      };
    }
    case 'String': {
      const b = builder as StringBuilder;
      return (buf, s, e) => b.pushBytes(buf, s, e);
    }
    case 'FixedString': {
      const b = builder as FixedBuilder;
      return (buf, s, e) => {
        if (e - s > type.n) throw new DbError('TOO_LARGE_STRING_SIZE', `Too large value for FixedString(${type.n})`);
        b.pushBytes(buf, s, e);
      };
    }
    case 'Int8':
    case 'Int16':
    case 'Int32':
    case 'UInt8':
    case 'UInt16':
    case 'UInt32': {
      const b = builder as NumericBuilder;
      const [lo, hi] = INT_RANGES[type.kind]!;
      return (buf, s, e) => {
        const v = parseIntBytes(buf, s, e);
        if (v !== v) throw parseFailure(type, buf, s, e);
        // ClickHouse wraps out-of-range integers in text input; keep the bits the way it does.
        b.pushNumber(v < lo || v > hi ? wrap(v, lo, hi) : v);
      };
    }
    case 'Int64':
    case 'UInt64': {
      const b = builder as NumericBuilder;
      return (buf, s, e) => {
        const v = e - s <= 15 ? parseIntBytes(buf, s, e) : Number.NaN;
        if (v === v && (v >= 0 || type.kind === 'Int64')) b.pushBig(BigInt(v));
        else b.push(parseValueText(type, bytesToText(buf, s, e), o.tz));
      };
    }
    case 'Float32':
    case 'Float64': {
      const b = builder as NumericBuilder;
      return (buf, s, e) => {
        const v = parseFloatBytes(buf, s, e);
        if (v !== v && !isNanText(buf, s, e)) throw parseFailure(type, buf, s, e, 'CANNOT_PARSE_NUMBER');
        b.pushNumber(v);
      };
    }
    case 'Bool': {
      const b = builder as NumericBuilder;
      return (buf, s, e) => {
        const t = bytesToText(buf, s, e).toLowerCase();
        if (t === 'true' || t === '1' || t === 't' || t === 'yes' || t === 'y' || t === 'on' || t === 'enable' || t === 'enabled') b.pushNumber(1);
        else if (t === 'false' || t === '0' || t === 'f' || t === 'no' || t === 'n' || t === 'off' || t === 'disable' || t === 'disabled') b.pushNumber(0);
        else throw parseFailure(type, buf, s, e, 'CANNOT_PARSE_BOOL');
      };
    }
    case 'Date': {
      const b = builder as NumericBuilder;
      return (buf, s, e) => {
        const days = e - s === 10 ? parseDateBytes(buf, s, e) : Number.NaN;
        if (days === days) b.pushNumber(Math.max(0, Math.min(65535, days)));
        else b.push(parseValueText(type, bytesToText(buf, s, e), o.tz));
      };
    }
    case 'DateTime': {
      const b = builder as NumericBuilder;
      const tz = type.timezone ?? o.tz;
      const utc = isUtc(tz);
      return (buf, s, e) => {
        const local = parseLocalDateTimeBytes(buf, s, e);
        if (local === local) {
          const t = utc ? local : fromLocalSeconds(local, tz);
          b.pushNumber(t < 0 ? 0 : t > 4294967295 ? 4294967295 : t);
          return;
        }
        const n = parseIntBytes(buf, s, e);
        if (n === n && e - s > 4) b.pushNumber(n < 0 ? 0 : n > 4294967295 ? 4294967295 : n);
        else b.push(parseValueText(type, bytesToText(buf, s, e), o.tz));
      };
    }
    default:
      return (buf, s, e) => builder.push(parseValueText(type, bytesToText(buf, s, e), o.tz));
  }
}

function isNanText(buf: Uint8Array, s: number, e: number): boolean {
  const t = bytesToText(buf, s, e).trim().toLowerCase();
  return t === 'nan' || t === '-nan' || t === '+nan';
}

function wrap(v: number, lo: number, hi: number): number {
  const span = hi - lo + 1;
  return ((((v - lo) % span) + span) % span) + lo;
}
