import type { DataType } from '../types/data-type.js';
import { DbError } from '../errors/index.js';
import type { Column } from './column.js';

/**
 * Hadron's row-at-a-time value representation, used by slow paths (row-wise function fallbacks, text
 * parsers, tests). By type:
 *   Int8..Int32, UInt8..UInt32, Float32/64, Enum8/16 (the number), IPv4 (uint32)       number
 *   Date / Date32 (days since 1970-01-01), DateTime (seconds), DateTime64 (ticks of 10^-p s),
 *   Interval (count of units)                                                             number
 *   Int64, UInt64, Int128..UInt256, Decimal (the scaled integer)                           bigint
 *   Bool                                                                                   boolean
 *   String, FixedString (bytes as UTF-8 text), UUID (canonical text)                      string
 *   IPv6                                                                                   Uint8Array(16)
 *   Nullable: null or the inner value; Array and Tuple: Value[]; Map: [key, value][]
 *   AggregateFunction: the state object
 */
export type Value = null | boolean | number | bigint | string | Uint8Array | Value[] | object;

const HEX = '0123456789abcdef';

export function uuidToString(b: Uint8Array, at = 0): string {
  let s = '';
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) s += '-';
    const x = b[at + i]!;
    s += HEX[x >> 4]! + HEX[x & 15]!;
  }
  return s;
}

export function uuidFromString(s: string): Uint8Array {
  const hex = s.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new DbError('CANNOT_PARSE_UUID', `Cannot parse uuid ${s}`);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Converts a row value into what the physical column stores (number, bigint or bytes). */
export function valueToStorage(type: DataType, v: Value): number | bigint | Uint8Array {
  switch (type.kind) {
    case 'Int64':
    case 'UInt64':
    case 'Int128':
    case 'Int256':
    case 'UInt128':
    case 'UInt256':
      return typeof v === 'bigint' ? v : BigInt(typeof v === 'boolean' ? Number(v) : Math.trunc(Number(v)));
    case 'Decimal':
      if (typeof v === 'bigint') return v;
      return BigInt(Math.round(Number(v) * 10 ** type.scale));
    case 'Bool':
      return v === true || v === 1 || v === 1n ? 1 : 0;
    case 'UUID':
      return typeof v === 'string' ? uuidFromString(v) : (v as Uint8Array);
    case 'IPv6':
      return v as Uint8Array;
    case 'FixedString': {
      const bytes = typeof v === 'string' ? new TextEncoder().encode(v) : (v as Uint8Array);
      if (bytes.length > type.n) throw new DbError('TOO_LARGE_STRING_SIZE', `String too long for type FixedString(${type.n})`);
      return bytes;
    }
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return valueToStorage(type.inner, v);
    default:
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'boolean') return v ? 1 : 0;
      return v as number;
  }
}

/** Reads row i of a column as a Value, according to its type. */
export function readValue(type: DataType, col: Column, i: number): Value {
  switch (col.kind) {
    case 'const':
      return readValue(type, col.inner, 0);
    case 'nullable':
      if (col.nulls[i]) return null;
      return readValue(type.kind === 'Nullable' ? type.inner : type, col.inner, i);
    case 'numeric': {
      const x = col.data[i]!;
      if (type.kind === 'Bool') return x !== 0;
      if (typeof x === 'bigint') return x;
      if (type.kind === 'Decimal') return BigInt(x);
      return x;
    }
    case 'bignum':
      return col.data[i]!;
    case 'string':
      return col.stringAt(i);
    case 'fixed': {
      const base = type.kind === 'LowCardinality' ? type.inner : type;
      if (base.kind === 'UUID') return uuidToString(col.data, i * 16);
      if (base.kind === 'IPv6') return col.data.slice(i * 16, i * 16 + 16);
      return new TextDecoder().decode(col.bytesAt(i));
    }
    case 'array': {
      const start = col.offsets[i]!;
      const end = col.offsets[i + 1]!;
      const out: Value[] = [];
      if (type.kind === 'Map') {
        const t = col.inner as import('./column.js').TupleColumn;
        for (let j = start; j < end; j++) out.push([readValue(type.key, t.columns[0]!, j), readValue(type.value, t.columns[1]!, j)]);
        return out;
      }
      const et = type.kind === 'Array' ? type.element : type;
      for (let j = start; j < end; j++) out.push(readValue(et, col.inner, j));
      return out;
    }
    case 'tuple': {
      const ets = type.kind === 'Tuple' ? type.elements : [];
      return col.columns.map((c, k) => readValue(ets[k] ?? type, c, i));
    }
    case 'object':
      return col.data[i] as Value;
    case 'nothing':
      return null;
  }
}

/** All values of a column, for tests and small results. */
export function columnValues(type: DataType, col: Column): Value[] {
  const out: Value[] = new Array(col.length);
  for (let i = 0; i < col.length; i++) out[i] = readValue(type, col, i);
  return out;
}
