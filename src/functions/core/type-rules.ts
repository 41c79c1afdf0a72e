import { DbError } from '../../errors/index.js';
import {
  arrayType,
  type DataType,
  dateTime64Type,
  dateTimeType,
  decimalByteWidth,
  decimalType,
  type DecimalType,
  intByteWidth,
  isFloat,
  isInteger,
  mapType,
  nullableType,
  T,
  tupleType,
} from '../../types/data-type.js';

/**
 * ClickHouse's number type rules (NumberTraits.h): result types of arithmetic and the least common
 * supertype used by if/multiIf/array/coalesce.
 */

const SIGNED_BY_SIZE: Record<number, DataType> = { 1: T.Int8, 2: T.Int16, 4: T.Int32, 8: T.Int64, 16: T.Int128, 32: T.Int256 };
const UNSIGNED_BY_SIZE: Record<number, DataType> = { 1: T.UInt8, 2: T.UInt16, 4: T.UInt32, 8: T.UInt64, 16: T.UInt128, 32: T.UInt256 };

/** Byte size of a number type as NumberTraits sees it (Bool = UInt8, Float32 = 4, Float64 = 8). */
export function numberSize(t: DataType): number {
  if (t.kind === 'Float32') return 4;
  if (t.kind === 'Float64') return 8;
  if (t.kind === 'Bool') return 1;
  return intByteWidth(t.kind);
}

export function isSignedNumber(t: DataType): boolean {
  return isFloat(t) || (isInteger(t) && !t.kind.startsWith('UInt')) || t.kind === 'Decimal';
}

/** Plain number types the arithmetic kernels accept (Bool counts as UInt8). */
export function isArithmeticNumber(t: DataType): boolean {
  return isInteger(t) || isFloat(t) || t.kind === 'Bool';
}

function nextSize(size: number): number {
  return size < 8 ? size * 2 : size;
}

/** NumberTraits::Construct<signed, floating, size>. */
export function constructNumber(signed: boolean, floating: boolean, size: number): DataType {
  if (floating) return size > 4 ? T.Float64 : T.Float32;
  return (signed ? SIGNED_BY_SIZE : UNSIGNED_BY_SIZE)[Math.min(size, 32)] ?? (signed ? T.Int64 : T.UInt64);
}

function bigSize(a: DataType, b: DataType): number {
  return Math.max(numberSize(a), numberSize(b));
}

/** plus / multiply: signed if either is, next size up (UInt8 + UInt8 → UInt16, 64-bit stays 64-bit). */
export function additionResultType(a: DataType, b: DataType): DataType {
  const floating = isFloat(a) || isFloat(b);
  const size = bigSize(a, b);
  return constructNumber(isSignedNumber(a) || isSignedNumber(b), floating, size > 8 ? size : nextSize(size));
}

/** minus: always signed. */
export function subtractionResultType(a: DataType, b: DataType): DataType {
  const floating = isFloat(a) || isFloat(b);
  const size = bigSize(a, b);
  return constructNumber(true, floating, size > 8 ? size : nextSize(size));
}

/** intDiv: signed if either is, the size of the dividend. */
export function intDivResultType(a: DataType, b: DataType): DataType {
  return constructNumber(isSignedNumber(a) || isSignedNumber(b), false, numberSize(a));
}

/** modulo: Float64 with floats; else the divisor's size, signed (one size up) when the dividend is. */
export function moduloResultType(a: DataType, b: DataType): DataType {
  if (isFloat(a) || isFloat(b)) return T.Float64;
  const signed = isSignedNumber(a);
  const size = numberSize(b);
  return constructNumber(signed, false, signed ? nextSize(size) : size);
}

export function negateResultType(a: DataType): DataType {
  if (isFloat(a)) return a;
  const signed = isSignedNumber(a);
  return constructNumber(true, false, signed ? numberSize(a) : nextSize(numberSize(a)));
}

export function absResultType(a: DataType): DataType {
  if (isFloat(a)) return a;
  return constructNumber(false, false, numberSize(a));
}

/** bitAnd/bitOr/bitXor: signed if either is, the larger size. */
export function bitResultType(a: DataType, b: DataType): DataType {
  return constructNumber(isSignedNumber(a) || isSignedNumber(b), false, bigSize(a, b));
}

// ------------------------------------------------------------------ decimals

export function maxPrecisionForWidth(width: number): number {
  return width === 4 ? 9 : width === 8 ? 18 : width === 16 ? 38 : 76;
}

/** An integer type seen as a Decimal (Int32 → Decimal(9, 0) width, Int64 → Decimal(18, 0) …). */
export function decimalOfInteger(t: DataType): DecimalType {
  const size = numberSize(t);
  const width = size <= 4 ? 4 : size;
  return decimalType(maxPrecisionForWidth(width), 0);
}

export function asDecimal(t: DataType): DecimalType | undefined {
  if (t.kind === 'Decimal') return t;
  if (isInteger(t) || t.kind === 'Bool') return decimalOfInteger(t);
  return undefined;
}

/** Result of decimal arithmetic: the wider storage at its maximum precision, with op-specific scale. */
export function decimalResultType(op: 'plus' | 'minus' | 'multiply' | 'divide' | 'intDiv' | 'modulo', a: DecimalType, b: DecimalType): DecimalType {
  const width = Math.max(decimalByteWidth(a.precision), decimalByteWidth(b.precision));
  const precision = maxPrecisionForWidth(width);
  let scale: number;
  switch (op) {
    case 'multiply':
      scale = a.scale + b.scale;
      break;
    case 'divide':
    case 'intDiv':
      scale = a.scale;
      break;
    default:
      scale = Math.max(a.scale, b.scale);
  }
  if (scale > precision) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Decimal result's scale ${scale} is out of bounds`);
  return decimalType(precision, scale);
}

// ------------------------------------------------------------------ least supertype

const INT_DIGITS: Record<string, number> = {
  Bool: 1, UInt8: 3, Int8: 3, UInt16: 5, Int16: 5, UInt32: 10, Int32: 10, UInt64: 20, Int64: 19,
  UInt128: 39, Int128: 39, UInt256: 77, Int256: 77,
};

function noSupertype(types: readonly DataType[], why = ''): DbError {
  return new DbError('NO_COMMON_TYPE', `There is no supertype for types ${types.map((t) => t.name).join(', ')}${why}`);
}

/** getLeastSupertype: the type every one of `types` converts to without loss (if/multiIf/array/coalesce). */
export function leastSupertype(types: readonly DataType[]): DataType {
  if (types.length === 0) return T.Nothing;
  const first = types[0]!;
  if (types.every((t) => t.name === first.name)) return first;
  // Nothing (NULL literals, empty arrays) unifies with anything.
  const nonNothing = types.filter((t) => t.kind !== 'Nothing');
  if (nonNothing.length === 0) return T.Nothing;
  if (nonNothing.length !== types.length) return leastSupertype(nonNothing);

  // LowCardinality is transparent.
  if (types.some((t) => t.kind === 'LowCardinality')) return leastSupertype(types.map((t) => (t.kind === 'LowCardinality' ? t.inner : t)));

  if (types.some((t) => t.kind === 'Nullable')) {
    const inners = types.map((t) => (t.kind === 'Nullable' ? t.inner : t));
    const s = leastSupertype(inners);
    if (s.kind === 'Nothing') return nullableType(T.Nothing);
    if (s.kind === 'Array' || s.kind === 'Map' || s.kind === 'Tuple') throw noSupertype(types);
    return nullableType(s);
  }

  if (types.every((t) => t.kind === 'Array')) {
    return arrayType(leastSupertype(types.map((t) => (t as { element: DataType }).element)));
  }
  if (types.some((t) => t.kind === 'Array')) throw noSupertype(types, ' because some of them are Array and some of them are not');

  if (types.every((t) => t.kind === 'Map')) {
    const ms = types as readonly { key: DataType; value: DataType }[];
    return mapType(leastSupertype(ms.map((m) => m.key)), leastSupertype(ms.map((m) => m.value)));
  }
  if (types.some((t) => t.kind === 'Map')) throw noSupertype(types, ' because some of them are Maps and some of them are not');

  if (types.every((t) => t.kind === 'Tuple')) {
    const ts = types as readonly { elements: readonly DataType[]; names?: readonly string[] }[];
    const n = ts[0]!.elements.length;
    if (!ts.every((t) => t.elements.length === n)) throw noSupertype(types, ' because Tuples have different sizes');
    const elements: DataType[] = [];
    for (let i = 0; i < n; i++) elements.push(leastSupertype(ts.map((t) => t.elements[i]!)));
    const names = ts[0]!.names;
    const sameNames = names && ts.every((t) => t.names && t.names.join('\0') === names.join('\0'));
    return tupleType(elements, sameNames ? names : undefined);
  }
  if (types.some((t) => t.kind === 'Tuple')) throw noSupertype(types, ' because some of them are Tuple and some of them are not');

  // strings
  if (types.every((t) => t.kind === 'String' || t.kind === 'FixedString')) {
    if (types.every((t) => t.kind === 'FixedString')) {
      const n = (types[0] as { n: number }).n;
      if (types.every((t) => (t as { n: number }).n === n)) return types[0]!;
    }
    return T.String;
  }
  if (types.some((t) => t.kind === 'String' || t.kind === 'FixedString')) {
    throw noSupertype(types, ' because some of them are String/FixedString and some of them are not');
  }

  // dates
  if (types.every((t) => t.kind === 'Date' || t.kind === 'Date32' || t.kind === 'DateTime' || t.kind === 'DateTime64')) {
    const dt64 = types.filter((t) => t.kind === 'DateTime64') as { precision: number; timezone?: string }[];
    if (dt64.length) {
      const p = Math.max(...dt64.map((t) => t.precision));
      return dateTime64Type(p, dt64[0]!.timezone);
    }
    const dts = types.filter((t) => t.kind === 'DateTime') as { timezone?: string }[];
    if (dts.length) return dateTimeType(dts.find((t) => t.timezone)?.timezone);
    if (types.some((t) => t.kind === 'Date32')) return T.Date32;
    return T.Date;
  }
  if (types.some((t) => t.kind === 'Date' || t.kind === 'Date32' || t.kind === 'DateTime' || t.kind === 'DateTime64')) {
    throw noSupertype(types, ' because some of them are Date/Date32/DateTime/DateTime64 and some of them are not');
  }

  // enums of the same definition handled above; an Enum with its values' numbers
  if (types.every((t) => t.kind === 'Enum8' || t.kind === 'Enum16')) {
    throw noSupertype(types);
  }

  if (types.every((t) => t.kind === 'UUID') || types.every((t) => t.kind === 'IPv4') || types.every((t) => t.kind === 'IPv6')) return first;
  if (types.every((t) => t.kind === 'Interval')) {
    if (types.every((t) => t.name === first.name)) return first;
    throw noSupertype(types);
  }

  // decimals
  if (types.some((t) => t.kind === 'Decimal')) {
    if (!types.every((t) => t.kind === 'Decimal' || isInteger(t) || t.kind === 'Bool')) {
      throw noSupertype(types, ' because some of them have no lossless conversion to Decimal');
    }
    let scale = 0;
    let intDigits = 0;
    let width = 4;
    for (const t of types) {
      if (t.kind === 'Decimal') {
        scale = Math.max(scale, t.scale);
        intDigits = Math.max(intDigits, t.precision - t.scale);
        width = Math.max(width, decimalByteWidth(t.precision));
      } else intDigits = Math.max(intDigits, INT_DIGITS[t.kind] ?? 3);
    }
    width = Math.max(width, decimalByteWidth(Math.min(76, intDigits + scale)));
    return decimalType(maxPrecisionForWidth(width), scale);
  }

  if (types.every((t) => isArithmeticNumber(t))) return numberSupertype(types);
  throw noSupertype(types);
}

/** Least supertype of plain numbers (Bool counts as UInt8). */
export function numberSupertype(types: readonly DataType[]): DataType {
  if (types.every((t) => t.kind === 'Bool')) return T.Bool;
  let maxBitsUnsigned = 0;
  let maxBitsSigned = 0;
  let maxBitsFloat = 0;
  for (const t of types) {
    const bits = numberSize(t) * 8;
    if (isFloat(t)) maxBitsFloat = Math.max(maxBitsFloat, bits);
    else if (isSignedNumber(t)) maxBitsSigned = Math.max(maxBitsSigned, bits);
    else maxBitsUnsigned = Math.max(maxBitsUnsigned, bits);
  }
  if (maxBitsFloat) {
    // Float32 only holds integers up to 16 bits exactly.
    const maxInt = Math.max(maxBitsSigned, maxBitsUnsigned);
    if (maxBitsFloat <= 32 && maxInt <= 16) return T.Float32;
    if (maxInt > 32 && maxInt >= 64) return T.Float64; // ClickHouse: no supertype with Int64; be lenient
    return T.Float64;
  }
  if (maxBitsSigned) {
    let bits = maxBitsSigned;
    if (maxBitsUnsigned >= bits) bits = maxBitsUnsigned * 2;
    if (bits > 256) throw noSupertype(types, ' because some of them are signed integers and some are unsigned integers, but there is no signed integer type, that can exactly represent all required unsigned integer values');
    return SIGNED_BY_SIZE[bits / 8]!;
  }
  return UNSIGNED_BY_SIZE[maxBitsUnsigned / 8]!;
}
