import type { Column } from '../columns/column.js';
import { readValue, uuidFromString, uuidToString, type Value } from '../columns/values.js';
import { DbError } from '../errors/index.js';
import { type DataType, type DecimalType } from './data-type.js';
import { parseDataType } from './type-factory.js';
import { daysFromCivil, formatDate, formatDateTime, formatDateTime64, fromLocal, daysInMonth } from './time.js';

/**
 * The plain text form of values (ClickHouse's serializeText / deserializeText), shared by toString, CAST,
 * toDate('…') and the text formats.
 *
 * Top level (`formatValueText`): the value exactly as ClickHouse prints it in TabSeparated *before* the
 * format's escaping: strings raw, numbers as ClickHouse prints them (shortest round-trip floats, `inf`,
 * `-inf`, `nan`, `1e21`), Decimal with exactly S fractional digits, Date `YYYY-MM-DD`, DateTime
 * `YYYY-MM-DD hh:mm:ss` in the type's timezone (else `tz`), DateTime64 with p fractional digits, Bool
 * `true`/`false`, Enum names, UUID / IPv4 / IPv6 canonical text, NULL as `\N`.
 *
 * Nested (inside Array / Tuple / Map, ClickHouse's serializeTextQuoted): strings, FixedString, Date,
 * DateTime, UUID, IPv4, IPv6 and Enum names are single-quoted with backslash escapes (`\'`, `\\`, `\n`,
 * `\t`, `\0`, `\b`, `\f`, `\r`); numbers, Bool and Decimal are bare; NULL is `NULL`; arrays `[1,2]`,
 * tuples `(1,'a')`, maps `{'k':1}` with no spaces.
 *
 * Formats apply their own escaping (TSV `\t`, CSV quoting, JSON) to the top-level string.
 */

export interface TextOptions {
  /** ClickHouse's output_format_decimal_trailing_zeros: print exactly S digits (true, as 18.16 does) or trim. */
  readonly decimalTrailingZeros?: boolean;
}

/** Text of row `row` of `col` (of type `type`); DateTime without a timezone prints in `tz`. */
export function formatValueText(type: DataType, col: Column, row: number, tz: string, opts?: TextOptions): string {
  if (col.kind === 'const') return formatValueText(type, col.inner, 0, tz, opts);
  if (col.kind === 'string') return col.stringAt(row);
  if (col.kind === 'numeric') {
    const x = col.data[row]!;
    switch (type.kind) {
      case 'Int8':
      case 'Int16':
      case 'Int32':
      case 'UInt8':
      case 'UInt16':
      case 'UInt32':
      case 'Int64':
      case 'UInt64':
        return String(x);
      default:
        break;
    }
  }
  return formatValue(type, readValue(type, col, row), tz, opts);
}

/** Text of a Value (see values.ts for the representation). */
export function formatValue(type: DataType, v: Value, tz: string, opts?: TextOptions): string {
  if (v === null || v === undefined) return '\\N';
  return formatInner(type, v, tz, false, opts);
}

/** Text of a Value as ClickHouse writes it inside an array or tuple (quoted). */
export function formatValueQuoted(type: DataType, v: Value, tz: string, opts?: TextOptions): string {
  if (v === null || v === undefined) return 'NULL';
  return formatInner(type, v, tz, true, opts);
}

function formatInner(type: DataType, v: Value, tz: string, quoted: boolean, opts?: TextOptions): string {
  switch (type.kind) {
    case 'Nullable':
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      if (v === null) return quoted ? 'NULL' : '\\N';
      return formatInner(type.inner, v, tz, quoted, opts);
    case 'Int8':
    case 'Int16':
    case 'Int32':
    case 'Int64':
    case 'Int128':
    case 'Int256':
    case 'UInt8':
    case 'UInt16':
    case 'UInt32':
    case 'UInt64':
    case 'UInt128':
    case 'UInt256':
      return String(v);
    case 'Float32':
      return formatFloat32(v as number);
    case 'Float64':
      return formatFloat64(v as number);
    case 'Bool':
      return v === true || v === 1 || v === 1n ? 'true' : 'false';
    case 'Decimal':
      return formatDecimal(toBig(v), type.scale, opts?.decimalTrailingZeros ?? true);
    case 'String':
    case 'FixedString':
      return quoted ? quoteString(v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)) : v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v);
    case 'UUID':
      return q(typeof v === 'string' ? v : uuidToString(v as Uint8Array), quoted);
    case 'Date':
    case 'Date32':
      return q(formatDate(v as number), quoted);
    case 'DateTime':
      return q(formatDateTime(v as number, type.timezone ?? tz), quoted);
    case 'DateTime64':
      return q(formatDateTime64(v as number, type.precision, type.timezone ?? tz), quoted);
    case 'Enum8':
    case 'Enum16': {
      const name = type.byValue.get(v as number);
      return q(name ?? String(v), quoted);
    }
    case 'IPv4':
      return q(formatIPv4(v as number), quoted);
    case 'IPv6':
      return q(formatIPv6(v as Uint8Array), quoted);
    case 'Interval':
      return String(v);
    case 'Nothing':
      return quoted ? 'NULL' : '\\N';
    case 'Array': {
      const items = v as Value[];
      let s = '[';
      for (let i = 0; i < items.length; i++) {
        if (i) s += ',';
        s += formatValueQuoted(type.element, items[i]!, tz, opts);
      }
      return s + ']';
    }
    case 'Tuple': {
      const items = v as Value[];
      let s = '(';
      for (let i = 0; i < type.elements.length; i++) {
        if (i) s += ',';
        s += formatValueQuoted(type.elements[i]!, items[i] ?? null, tz, opts);
      }
      return s + ')';
    }
    case 'Map': {
      const entries = v as [Value, Value][];
      let s = '{';
      for (let i = 0; i < entries.length; i++) {
        if (i) s += ',';
        s += formatValueQuoted(type.key, entries[i]![0], tz, opts) + ':' + formatValueQuoted(type.value, entries[i]![1], tz, opts);
      }
      return s + '}';
    }
    case 'AggregateFunction':
      return q('<AggregateFunction state>', quoted);
  }
}

function q(s: string, quoted: boolean): string {
  return quoted ? quoteString(s) : s;
}

function toBig(v: Value): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
}

/** `'…'` with ClickHouse's backslash escapes. */
export function quoteString(s: string): string {
  let out = "'";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    switch (c) {
      case 39:
        out += "\\'";
        break;
      case 92:
        out += '\\\\';
        break;
      case 10:
        out += '\\n';
        break;
      case 9:
        out += '\\t';
        break;
      case 13:
        out += '\\r';
        break;
      case 0:
        out += '\\0';
        break;
      case 8:
        out += '\\b';
        break;
      case 12:
        out += '\\f';
        break;
      default:
        out += s[i];
    }
  }
  return out + "'";
}

/** Float64 as ClickHouse prints it: shortest round-trip digits, exponent outside [1e-7, 1e21), `inf`, `nan`. */
export function formatFloat64(x: number): string {
  if (x !== x) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const s = String(x);
  const e = s.indexOf('e+');
  return e < 0 ? s : s.slice(0, e + 1) + s.slice(e + 2);
}

/** Float32: the shortest decimal that reads back as the same float32 (123456789 → 123456790). */
export function formatFloat32(x: number): string {
  if (x !== x || x === Infinity || x === -Infinity || x === 0) return formatFloat64(x);
  const f = Math.fround(x);
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return formatFloat64(d);
  }
  return formatFloat64(f);
}

export function formatDecimal(scaled: bigint, scale: number, trailingZeros = true): string {
  const neg = scaled < 0n;
  let digits = (neg ? -scaled : scaled).toString();
  if (scale === 0) return (neg ? '-' : '') + digits;
  if (digits.length <= scale) digits = '0'.repeat(scale - digits.length + 1) + digits;
  const intPart = digits.slice(0, digits.length - scale);
  let frac = digits.slice(digits.length - scale);
  if (!trailingZeros) frac = frac.replace(/0+$/, '');
  return (neg ? '-' : '') + intPart + (frac ? '.' + frac : '');
}

export function formatIPv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952 text; IPv4-mapped addresses as `::ffff:1.2.3.4`. */
export function formatIPv6(b: Uint8Array): string {
  let mapped = true;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) mapped = false;
  if (mapped && b[10] === 0xff && b[11] === 0xff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  const words: number[] = [];
  for (let i = 0; i < 16; i += 2) words.push((b[i]! << 8) | b[i + 1]!);
  // longest run of zero words (length >= 2)
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (w: number) => w.toString(16);
  if (bestStart < 0) return words.map(hex).join(':');
  const head = words.slice(0, bestStart).map(hex).join(':');
  const tail = words.slice(bestStart + bestLen).map(hex).join(':');
  return `${head}::${tail}`;
}

// ------------------------------------------------------------------ parsing

/**
 * Parses the plain text form of a value of `type` (strict: the whole text must be consumed). DateTime
 * without a timezone is read in `tz`. Throws DbError CANNOT_PARSE_TEXT / CANNOT_PARSE_NUMBER /
 * CANNOT_PARSE_DATE / CANNOT_PARSE_DATETIME / CANNOT_PARSE_UUID / CANNOT_PARSE_IPV4 / CANNOT_PARSE_IPV6.
 * `\N` and `NULL` parse to null for Nullable types.
 */
export function parseValueText(type: DataType, text: string, tz: string): Value {
  if (type.kind === 'Nullable') {
    if (text === '\\N' || text === 'NULL') return null;
    return parseValueText(type.inner, text, tz);
  }
  if (type.kind === 'LowCardinality' || type.kind === 'SimpleAggregateFunction') return parseValueText(type.inner, text, tz);
  if (type.kind === 'Array' || type.kind === 'Tuple' || type.kind === 'Map') {
    const p = new NestedParser(text, tz);
    p.skipWs();
    const v = p.parse(type);
    p.skipWs();
    if (p.pos !== text.length) throw parseError(text, type, p.pos);
    return v;
  }
  return parseScalarText(type, text, tz);
}

function parseError(text: string, type: DataType, pos: number): DbError {
  return new DbError(
    'CANNOT_PARSE_TEXT',
    `Cannot parse string '${text}' as ${type.name}: syntax error at position ${pos} (parsed just '${text.slice(0, pos)}')`,
  );
}

const INT_RANGES: Record<string, [bigint, number]> = {
  Int8: [8n, 1],
  Int16: [16n, 1],
  Int32: [32n, 1],
  Int64: [64n, 1],
  Int128: [128n, 1],
  Int256: [256n, 1],
  UInt8: [8n, 0],
  UInt16: [16n, 0],
  UInt32: [32n, 0],
  UInt64: [64n, 0],
  UInt128: [128n, 0],
  UInt256: [256n, 0],
};

/** Integer text → bigint; wraps like ClickHouse's readIntText (toInt8('300') = 44). */
export function parseIntegerText(text: string, type: DataType): bigint {
  let i = 0;
  const n = text.length;
  let neg = false;
  if (text[i] === '-' || text[i] === '+') {
    neg = text[i] === '-';
    i++;
  }
  const start = i;
  while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  if (i === start || i !== n) {
    throw new DbError(
      'CANNOT_PARSE_TEXT',
      `Cannot parse string '${text}' as ${type.name}: syntax error at position ${i === start ? 0 : i} (parsed just '${text.slice(0, i === start ? 0 : i)}')`,
    );
  }
  let v = BigInt(text.slice(start, i));
  if (neg) v = -v;
  const r = INT_RANGES[type.kind];
  if (r) v = r[1] ? BigInt.asIntN(Number(r[0]), v) : BigInt.asUintN(Number(r[0]), v);
  return v;
}

const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

export function parseFloatText(text: string, type: DataType = { kind: 'Float64', name: 'Float64' }): number {
  if (FLOAT_RE.test(text)) return Number(text);
  const l = text.toLowerCase();
  if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity') return Infinity;
  if (l === '-inf' || l === '-infinity') return -Infinity;
  if (l === 'nan' || l === '+nan' || l === '-nan') return NaN;
  let pos = 0;
  const m = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text);
  if (m) pos = m[0].length;
  throw new DbError(
    'CANNOT_PARSE_TEXT',
    `Cannot parse string '${text}' as ${type.name}: syntax error at position ${pos} (parsed just '${text.slice(0, pos)}')`,
  );
}

/** Decimal text → scaled bigint; extra fractional digits are truncated. */
export function parseDecimalText(text: string, type: DecimalType): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) {
    throw new DbError('CANNOT_PARSE_TEXT', `Cannot parse string '${text}' as ${type.name}: syntax error at position 0 (parsed just '')`);
  }
  let intDigits = m[2] ?? '';
  let frac = m[3] ?? '';
  const exp = m[4] ? parseInt(m[4], 10) : 0;
  if (exp > 0) {
    const take = frac.slice(0, exp).padEnd(exp, '0');
    intDigits += take;
    frac = frac.slice(exp);
  } else if (exp < 0) {
    const pad = intDigits.padStart(-exp, '0');
    frac = pad.slice(pad.length + exp) + frac;
    intDigits = pad.slice(0, pad.length + exp);
  }
  const fracScaled = frac.slice(0, type.scale).padEnd(type.scale, '0');
  let v = BigInt((intDigits || '0') + fracScaled);
  if (m[1] === '-') v = -v;
  const limit = 10n ** BigInt(type.precision);
  if (v >= limit || v <= -limit) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Decimal value is too big: ${text} for ${type.name}`);
  return v;
}

function parseBoolText(text: string): boolean {
  switch (text.toLowerCase()) {
    case 'true':
    case '1':
    case 't':
    case 'y':
    case 'yes':
    case 'on':
    case 'enable':
    case 'enabled':
      return true;
    case 'false':
    case '0':
    case 'f':
    case 'n':
    case 'no':
    case 'off':
    case 'disable':
    case 'disabled':
      return false;
  }
  throw new DbError('CANNOT_PARSE_BOOL', `Cannot parse boolean value here: '${text}'`);
}

interface DateParts {
  y: number;
  m: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  /** fractional digits as text */
  frac: string;
  hasTime: boolean;
  /** explicit offset in seconds (`Z`, `+05:30`) when the text carried one */
  offset?: number;
}

const DATE_RE = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?:\.(\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** `YYYY-MM-DD[ hh:mm:ss[.fff]]` (also `T` separator, `Z`/offset suffix, `YYYYMMDD`); null when it does not match. */
export function matchDateTimeText(text: string): DateParts | null {
  const m = DATE_RE.exec(text.trim());
  if (!m) return null;
  const y = +m[1]!;
  const mo = +m[2]!;
  const d = +m[3]!;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  const parts: DateParts = {
    y,
    m: mo,
    d,
    h: m[4] ? +m[4] : 0,
    mi: m[5] ? +m[5] : 0,
    s: m[6] ? +m[6] : 0,
    frac: m[7] ?? '',
    hasTime: m[4] !== undefined,
  };
  if (parts.h > 23 || parts.mi > 59 || parts.s > 60) return null;
  if (m[8]) {
    if (m[8] === 'Z') parts.offset = 0;
    else {
      const sign = m[8][0] === '-' ? -1 : 1;
      const digits = m[8].slice(1).replace(':', '');
      parts.offset = sign * (+digits.slice(0, 2) * 3600 + +digits.slice(2) * 60);
    }
  }
  return parts;
}

export function parseDateText(text: string, type: DataType = { kind: 'Date', name: 'Date' }): number {
  const p = matchDateTimeText(text);
  if (!p) {
    if (/^\d{1,5}$/.test(text) && type.kind !== 'Date32') return +text; // a day number
    throw new DbError('CANNOT_PARSE_DATE', `Cannot parse string '${text}' as ${type.name}: syntax error at position 0 (parsed just '')`);
  }
  return daysFromCivil(p.y, p.m, p.d);
}

/** DateTime text (or a unix timestamp) → UTC seconds. */
export function parseDateTimeText(text: string, tz: string, typeName = 'DateTime'): number {
  if (/^\d{1,10}$/.test(text) && text.length !== 8) return +text;
  const p = matchDateTimeText(text);
  if (!p) throw new DbError('CANNOT_PARSE_DATETIME', `Cannot parse string '${text}' as ${typeName}: syntax error at position 0 (parsed just '')`);
  if (p.offset !== undefined) return daysFromCivil(p.y, p.m, p.d) * 86400 + p.h * 3600 + p.mi * 60 + p.s - p.offset;
  return fromLocal(p.y, p.m, p.d, p.h, p.mi, p.s, tz);
}

/** DateTime64 text (or `seconds[.frac]`) → ticks of 10^-precision seconds. */
export function parseDateTime64Text(text: string, precision: number, tz: string, typeName = `DateTime64(${precision})`): number {
  const scale = 10 ** precision;
  const num = /^(-?\d+)(?:\.(\d+))?$/.exec(text);
  if (num && !(num[1]!.length === 8 && num[2] === undefined) && num[1]!.length !== 4) {
    const frac = (num[2] ?? '').slice(0, precision).padEnd(precision, '0');
    const secs = +num[1]!;
    return secs * scale + (secs < 0 ? -1 : 1) * (frac ? +frac : 0);
  }
  const p = matchDateTimeText(text);
  if (!p) throw new DbError('CANNOT_PARSE_DATETIME', `Cannot parse string '${text}' as ${typeName}: syntax error at position 0 (parsed just '')`);
  const secs =
    p.offset !== undefined
      ? daysFromCivil(p.y, p.m, p.d) * 86400 + p.h * 3600 + p.mi * 60 + p.s - p.offset
      : fromLocal(p.y, p.m, p.d, p.h, p.mi, p.s, tz);
  const frac = p.frac.slice(0, precision).padEnd(precision, '0');
  return secs * scale + (frac ? +frac : 0);
}

export function parseIPv4Text(text: string): number {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m || [m[1], m[2], m[3], m[4]].some((x) => +x! > 255)) {
    throw new DbError('CANNOT_PARSE_IPV4', `Cannot parse IPv4 ${text}`);
  }
  return ((+m[1]! << 24) | (+m[2]! << 16) | (+m[3]! << 8) | +m[4]!) >>> 0;
}

export function parseIPv6Text(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let s = text;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const v4 = parseIPv4Text(s);
    out[10] = 0xff;
    out[11] = 0xff;
    out[12] = v4 >>> 24;
    out[13] = (v4 >>> 16) & 255;
    out[14] = (v4 >>> 8) & 255;
    out[15] = v4 & 255;
    return out;
  }
  const fail = () => new DbError('CANNOT_PARSE_IPV6', `Cannot parse IPv6 ${text}`);
  let tailV4: number[] | null = null;
  const lastColon = s.lastIndexOf(':');
  if (lastColon >= 0 && s.indexOf('.', lastColon) >= 0) {
    const v4 = parseIPv4Text(s.slice(lastColon + 1));
    tailV4 = [(v4 >>> 16) & 0xffff, v4 & 0xffff];
    s = s.slice(0, lastColon + 1) + '0:0';
  }
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) throw fail();
  const parseGroups = (part: string): number[] => {
    if (part === '') return [];
    return part.split(':').map((g) => {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw fail();
      return parseInt(g, 16);
    });
  };
  let words: number[];
  if (dbl >= 0) {
    const head = parseGroups(s.slice(0, dbl));
    const tail = parseGroups(s.slice(dbl + 2));
    if (head.length + tail.length > 7) throw fail();
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    words = parseGroups(s);
    if (words.length !== 8) throw fail();
  }
  if (tailV4) {
    words[6] = tailV4[0]!;
    words[7] = tailV4[1]!;
  }
  for (let i = 0; i < 8; i++) {
    out[i * 2] = words[i]! >> 8;
    out[i * 2 + 1] = words[i]! & 255;
  }
  return out;
}

function parseScalarText(type: DataType, text: string, tz: string): Value {
  switch (type.kind) {
    case 'Int8':
    case 'Int16':
    case 'Int32':
    case 'UInt8':
    case 'UInt16':
    case 'UInt32':
      return Number(parseIntegerText(text, type));
    case 'Int64':
    case 'UInt64':
    case 'Int128':
    case 'Int256':
    case 'UInt128':
    case 'UInt256':
      return parseIntegerText(text, type);
    case 'Float32':
      return Math.fround(parseFloatText(text, type));
    case 'Float64':
      return parseFloatText(text, type);
    case 'Decimal':
      return parseDecimalText(text, type);
    case 'Bool':
      return parseBoolText(text);
    case 'String':
      return text;
    case 'FixedString': {
      const bytes = new TextEncoder().encode(text);
      if (bytes.length > type.n) throw new DbError('TOO_LARGE_STRING_SIZE', 'Too large value for FixedString(' + type.n + ')');
      return text;
    }
    case 'UUID':
      return uuidToString(uuidFromString(text));
    case 'Date':
    case 'Date32':
      return parseDateText(text, type);
    case 'DateTime':
      return parseDateTimeText(text, type.timezone ?? tz, type.name);
    case 'DateTime64':
      return parseDateTime64Text(text, type.precision, type.timezone ?? tz, type.name);
    case 'Enum8':
    case 'Enum16': {
      const v = type.byName.get(text);
      if (v !== undefined) return v;
      if (/^-?\d+$/.test(text) && type.byValue.has(+text)) return +text;
      throw new DbError('UNKNOWN_ELEMENT_OF_ENUM', `Unknown element '${text}' for enum`);
    }
    case 'IPv4':
      return parseIPv4Text(text);
    case 'IPv6':
      return parseIPv6Text(text);
    case 'Interval':
      return Number(parseIntegerText(text, { kind: 'Int64', name: 'Int64' }));
    case 'Nothing':
      return null;
    default:
      throw new DbError('CANNOT_PARSE_TEXT', `Cannot parse text as ${type.name}`);
  }
}

/** Reads the quoted (nested) text form: arrays, tuples, maps and their elements. */
class NestedParser {
  pos = 0;
  constructor(
    readonly text: string,
    readonly tz: string,
  ) {}

  skipWs(): void {
    const t = this.text;
    while (this.pos < t.length && (t[this.pos] === ' ' || t[this.pos] === '\t' || t[this.pos] === '\n' || t[this.pos] === '\r')) this.pos++;
  }

  fail(type: DataType): DbError {
    return parseError(this.text, type, this.pos);
  }

  expect(ch: string, type: DataType): void {
    this.skipWs();
    if (this.text[this.pos] !== ch) throw this.fail(type);
    this.pos++;
  }

  parse(type: DataType): Value {
    this.skipWs();
    switch (type.kind) {
      case 'Nullable': {
        if (this.text.startsWith('NULL', this.pos) || this.text.startsWith('null', this.pos)) {
          this.pos += 4;
          return null;
        }
        if (this.text.startsWith('\\N', this.pos)) {
          this.pos += 2;
          return null;
        }
        return this.parse(type.inner);
      }
      case 'LowCardinality':
        return this.parse(type.inner);
      case 'Array': {
        this.expect('[', type);
        const out: Value[] = [];
        this.skipWs();
        if (this.text[this.pos] === ']') {
          this.pos++;
          return out;
        }
        for (;;) {
          out.push(this.parse(type.element));
          this.skipWs();
          const c = this.text[this.pos];
          if (c === ',') this.pos++;
          else if (c === ']') {
            this.pos++;
            return out;
          } else throw this.fail(type);
        }
      }
      case 'Tuple': {
        this.expect('(', type);
        const out: Value[] = [];
        for (let i = 0; i < type.elements.length; i++) {
          if (i) this.expect(',', type);
          out.push(this.parse(type.elements[i]!));
        }
        this.skipWs();
        if (this.text[this.pos] === ',' && type.elements.length === 1) this.pos++;
        this.expect(')', type);
        return out;
      }
      case 'Map': {
        this.expect('{', type);
        const out: Value[] = [];
        this.skipWs();
        if (this.text[this.pos] === '}') {
          this.pos++;
          return out;
        }
        for (;;) {
          const k = this.parse(type.key);
          this.expect(':', type);
          const v = this.parse(type.value);
          out.push([k, v]);
          this.skipWs();
          const c = this.text[this.pos];
          if (c === ',') this.pos++;
          else if (c === '}') {
            this.pos++;
            return out;
          } else throw this.fail(type);
        }
      }
      default: {
        const t = this.text;
        if (t[this.pos] === "'" || t[this.pos] === '"') {
          const s = this.readQuoted(type);
          return parseScalarText(type, s, this.tz);
        }
        // bare token up to a delimiter
        const start = this.pos;
        while (this.pos < t.length && !',]}):'.includes(t[this.pos]!) && !(t[this.pos] === ' ' || t[this.pos] === '\t' || t[this.pos] === '\n')) this.pos++;
        const tok = t.slice(start, this.pos);
        if (tok === '') throw this.fail(type);
        return parseScalarText(type, tok, this.tz);
      }
    }
  }

  readQuoted(type: DataType): string {
    const t = this.text;
    const quote = t[this.pos]!;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= t.length) throw this.fail(type);
      const c = t[this.pos++]!;
      if (c === quote) {
        if (t[this.pos] === quote) {
          out += quote;
          this.pos++;
          continue;
        }
        return out;
      }
      if (c === '\\') {
        const e = t[this.pos++];
        out += unescapeChar(e);
        continue;
      }
      out += c;
    }
  }
}

export function unescapeChar(e: string | undefined): string {
  switch (e) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case '0':
      return '\0';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'a':
      return '\x07';
    case 'v':
      return '\v';
    case 'e':
      return '\x1b';
    case undefined:
      return '\\';
    default:
      return e;
  }
}

/** Parses text to a Value of the type named by `typeName` (CAST(x, 'T') with a textual type). */
export function parseValueTextAs(typeName: string, text: string, tz: string): Value {
  return parseValueText(parseDataType(typeName), text, tz);
}
