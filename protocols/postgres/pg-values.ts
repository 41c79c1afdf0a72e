import type { DataType } from '../../src/types/data-type.js';
import { PG, pgTypeByOid, pgTypeOf, unwrap, type PgType } from '../../src/catalog/system/pg-types.js';
import { formatDate, formatDateTime, formatDateTime64 } from '../../src/types/time.js';
import { formatDecimal, formatFloat32, formatFloat64, formatValue, formatIPv4, formatIPv6 } from '../../src/types/text-conversion.js';
import { uuidFromString, uuidToString, type Value } from '../../src/columns/values.js';

/** A value → its bytes in one wire format (null stays null). */
export type ValueEncoder = (v: Value) => Buffer | null;

const EPOCH_2000_DAYS = 10957;
const EPOCH_2000_US = 946684800000000n;

export function pgFloat(x: number, f32: boolean): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return f32 ? formatFloat32(x) : formatFloat64(x);
}

/** Postgres text of a non-null value of Hadron type `type` (already unwrapped). */
function textOf(type: DataType, v: Value, tz: string): string {
  switch (type.kind) {
    case 'Nullable':
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return textOf(type.inner, v, tz);
    case 'Bool':
      return v === true || v === 1 || v === 1n ? 't' : 'f';
    case 'Float32':
      return pgFloat(v as number, true);
    case 'Float64':
      return pgFloat(v as number, false);
    case 'Decimal':
      return formatDecimal(typeof v === 'bigint' ? v : BigInt(v as number), type.scale);
    case 'String':
    case 'FixedString':
      return v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v);
    case 'UUID':
      return typeof v === 'string' ? v : uuidToString(v as Uint8Array);
    case 'Date':
    case 'Date32':
      return formatDate(v as number);
    case 'DateTime':
      return type.timezone ? formatDateTime(v as number, 'UTC') + '+00' : formatDateTime(v as number, tz);
    case 'DateTime64':
      return type.timezone ? formatDateTime64(v as number, type.precision, 'UTC') + '+00' : formatDateTime64(v as number, type.precision, tz);
    case 'IPv4':
      return formatIPv4(v as number);
    case 'IPv6':
      return formatIPv6(v as Uint8Array);
    case 'Array': {
      const pg = pgTypeOf(type);
      if (pg === PG.text) return formatValue(type, v, tz);
      const items = v as Value[];
      return '{' + items.map((x) => (x === null ? 'NULL' : arrayItem(textOf(type.element, x, tz)))).join(',') + '}';
    }
    default:
      return formatValue(type, v, tz);
  }
}

function arrayItem(s: string): string {
  if (s === '' || /[{},"\\\s]/.test(s) || s.toUpperCase() === 'NULL') return '"' + s.replace(/[\\"]/g, (c) => '\\' + c) + '"';
  return s;
}

export function textEncoder(type: DataType, tz: string): ValueEncoder {
  return (v) => (v === null || v === undefined ? null : Buffer.from(textOf(type, v, tz), 'utf8'));
}

/** Microseconds since 2000-01-01 of a value's wall clock (timestamp) or instant (timestamptz). */
function micros(type: DataType, v: Value, tz: string): bigint {
  const text = type.kind === 'DateTime' || type.kind === 'DateTime64' ? textOf(type, v, tz).replace(/\+00$/, '') : '';
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d+))?$/.exec(text);
  if (!m) return 0n;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const frac = (m[7] ?? '').padEnd(6, '0').slice(0, 6);
  return BigInt(ms) * 1000n + BigInt(frac || '0') - EPOCH_2000_US;
}

/** The binary `numeric` encoding of a decimal text: base-10000 digits, weight, sign, display scale. */
export function numericBinary(text: string): Buffer {
  if (text === 'NaN' || text === 'nan') return Buffer.from([0, 0, 0, 0, 0xc0, 0, 0, 0]);
  let s = text;
  let sign = 0;
  if (s.startsWith('-')) {
    sign = 0x4000;
    s = s.slice(1);
  }
  const [intPart = '0', fracPart = ''] = s.split('.');
  const dscale = fracPart.length;
  const intDigits = intPart.replace(/^0+/, '');
  const padInt = intDigits.padStart(Math.ceil(intDigits.length / 4) * 4, '0');
  const padFrac = fracPart.padEnd(Math.ceil(fracPart.length / 4) * 4, '0');
  const groups: number[] = [];
  for (let i = 0; i < padInt.length; i += 4) groups.push(+padInt.slice(i, i + 4));
  for (let i = 0; i < padFrac.length; i += 4) groups.push(+padFrac.slice(i, i + 4));
  let weight = padInt.length / 4 - 1;
  while (groups.length && groups[0] === 0) {
    groups.shift();
    weight--;
  }
  while (groups.length && groups[groups.length - 1] === 0) groups.pop();
  if (!groups.length) {
    weight = 0;
    sign = 0;
  }
  const out = Buffer.alloc(8 + groups.length * 2);
  out.writeInt16BE(groups.length, 0);
  out.writeInt16BE(weight, 2);
  out.writeUInt16BE(sign, 4);
  out.writeInt16BE(dscale, 6);
  groups.forEach((g, i) => out.writeInt16BE(g, 8 + i * 2));
  return out;
}

function binaryOf(type: DataType, pg: PgType, v: Value, tz: string): Buffer {
  const b = unwrap(type);
  switch (pg.oid) {
    case PG.bool.oid:
      return Buffer.from([v === true || v === 1 || v === 1n ? 1 : 0]);
    case PG.int2.oid: {
      const out = Buffer.allocUnsafe(2);
      out.writeInt16BE(Number(v));
      return out;
    }
    case PG.int4.oid: {
      const out = Buffer.allocUnsafe(4);
      out.writeInt32BE(Number(v));
      return out;
    }
    case PG.int8.oid: {
      const out = Buffer.allocUnsafe(8);
      out.writeBigInt64BE(BigInt(v as number | bigint));
      return out;
    }
    case PG.float4.oid: {
      const out = Buffer.allocUnsafe(4);
      out.writeFloatBE(v as number);
      return out;
    }
    case PG.float8.oid: {
      const out = Buffer.allocUnsafe(8);
      out.writeDoubleBE(v as number);
      return out;
    }
    case PG.numeric.oid:
      return numericBinary(textOf(b, v, tz));
    case PG.date.oid: {
      const out = Buffer.allocUnsafe(4);
      out.writeInt32BE((v as number) - EPOCH_2000_DAYS);
      return out;
    }
    case PG.timestamp.oid:
    case PG.timestamptz.oid: {
      const out = Buffer.allocUnsafe(8);
      out.writeBigInt64BE(micros(b, v, tz));
      return out;
    }
    case PG.uuid.oid:
      return Buffer.from(typeof v === 'string' ? uuidFromString(v) : (v as Uint8Array));
    default:
      if (pg.elementOid !== undefined && b.kind === 'Array') {
        const el = pgTypeByOid(pg.elementOid)!;
        const items = v as Value[];
        const parts: Buffer[] = [];
        const head = Buffer.alloc(20);
        head.writeInt32BE(1, 0);
        head.writeInt32BE(items.some((x) => x === null) ? 1 : 0, 4);
        head.writeInt32BE(el.oid, 8);
        head.writeInt32BE(items.length, 12);
        head.writeInt32BE(1, 16);
        parts.push(items.length ? head : head.subarray(0, 12));
        if (!items.length) head.writeInt32BE(0, 0);
        for (const x of items) {
          const len = Buffer.allocUnsafe(4);
          if (x === null) {
            len.writeInt32BE(-1);
            parts.push(len);
          } else {
            const e = binaryOf(b.element, el, x, tz);
            len.writeInt32BE(e.length);
            parts.push(len, e);
          }
        }
        return Buffer.concat(parts);
      }
      return Buffer.from(textOf(b, v, tz), 'utf8');
  }
}

export function binaryEncoder(type: DataType, tz: string): ValueEncoder {
  const pg = pgTypeOf(type);
  return (v) => (v === null || v === undefined ? null : binaryOf(type, pg, v, tz));
}
