import type { LiteralValue } from '../sql/ast.js';
import { type DataType, T, arrayType, nullableType } from '../types/data-type.js';
import { leastSupertype } from '../types/supertype.js';
import type { Value } from '../columns/values.js';

/**
 * ClickHouse types a literal by its value: the smallest integer type that holds it, Float64, String,
 * Nullable(Nothing). A number spelled as a float (`1.0`, `1e3`, `2.`, `inf`; `text`, when known) is Float64
 * whatever its value, as ClickHouse's parser reads only digit strings (and hex / binary) as integers.
 */
export function literalType(v: LiteralValue, text?: string): DataType {
  if (v === null) return nullableType(T.Nothing);
  if (typeof v === 'boolean') return T.Bool;
  if (typeof v === 'string') return T.String;
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || Object.is(v, -0) || (text !== undefined && isFloatSpelling(text))) return T.Float64;
    return intLiteralType(BigInt(v));
  }
  if (typeof v === 'bigint') return intLiteralType(v);
  if (Array.isArray(v)) return arrayType(v.length ? leastSupertype(v.map((x) => literalType(x))) : T.Nothing);
  return T.String;
}

function isFloatSpelling(text: string): boolean {
  return /^-?0[xX]/.test(text) ? /[.pP]/.test(text) : /[.eEnN]/.test(text);
}

function intLiteralType(v: bigint): DataType {
  if (v >= 0n) {
    if (v < 256n) return T.UInt8;
    if (v < 65536n) return T.UInt16;
    if (v < 4294967296n) return T.UInt32;
    if (v < 18446744073709551616n) return T.UInt64;
    if (v < 2n ** 128n) return T.UInt128;
    return T.UInt256;
  }
  if (v >= -128n) return T.Int8;
  if (v >= -32768n) return T.Int16;
  if (v >= -2147483648n) return T.Int32;
  if (v >= -9223372036854775808n) return T.Int64;
  if (v >= -(2n ** 127n)) return T.Int128;
  return T.Int256;
}

/** The literal's value in Hadron's Value representation for `type` (see columns/values.ts). */
export function literalValue(v: LiteralValue, type: DataType): Value {
  if (v === null) return null;
  if (Array.isArray(v)) {
    const et = type.kind === 'Array' ? type.element : type;
    return v.map((x) => literalValue(x, et));
  }
  const k = type.kind === 'Nullable' ? type.inner.kind : type.kind;
  if (k === 'Int64' || k === 'UInt64' || k === 'Int128' || k === 'UInt128' || k === 'Int256' || k === 'UInt256') {
    return typeof v === 'bigint' ? v : BigInt(v as number);
  }
  if (typeof v === 'bigint') return Number(v);
  return v as Value;
}
