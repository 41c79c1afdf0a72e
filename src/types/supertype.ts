import { DbError } from '../errors/index.js';
import {
  type DataType,
  T,
  arrayType,
  baseType,
  dateTime64Type,
  decimalType,
  isInteger,
  isUnsigned,
  mapType,
  nullableType,
  removeLowCardinality,
  tupleType,
} from './data-type.js';

/**
 * The least common type of several types (ClickHouse's getLeastSupertype): used for UNION branches, array
 * literals, if/multiIf branches, IN sets and join keys. Throws NO_COMMON_TYPE when there is none.
 */
export function leastSupertype(types: readonly DataType[]): DataType {
  const ts = types.map(removeLowCardinality);
  if (ts.length === 0) return T.Nothing;
  const nonNothing = ts.filter((t) => baseType(t).kind !== 'Nothing');
  const anyNullable = ts.some((t) => t.kind === 'Nullable');
  if (nonNothing.length === 0) return anyNullable ? nullableType(T.Nothing) : T.Nothing;
  const bases = nonNothing.map((t) => (t.kind === 'Nullable' ? t.inner : t));
  let result = supertypeOfNonNullable(bases);
  if (anyNullable) result = result.kind === 'Nullable' || !canWrapNullable(result) ? result : nullableType(result);
  return result;
}

function canWrapNullable(t: DataType): boolean {
  return !['Array', 'Map', 'Tuple', 'Nullable', 'LowCardinality'].includes(t.kind);
}

function noCommon(types: readonly DataType[]): never {
  throw new DbError(
    'NO_COMMON_TYPE',
    `There is no supertype for types ${types.map((t) => t.name).join(', ')} because some of them are not compatible`,
  );
}

const INT_BITS: Record<string, number> = {
  Int8: 8, Int16: 16, Int32: 32, Int64: 64, Int128: 128, Int256: 256,
  UInt8: 8, UInt16: 16, UInt32: 32, UInt64: 64, UInt128: 128, UInt256: 256, Bool: 8,
};

function intType(signed: boolean, bits: number): DataType {
  const name = `${signed ? 'Int' : 'UInt'}${bits}` as keyof typeof T;
  return T[name];
}

function supertypeOfNonNullable(types: readonly DataType[]): DataType {
  const first = types[0]!;
  if (types.every((t) => t.name === first.name)) return first;
  const kinds = new Set(types.map((t) => t.kind));

  if (kinds.has('Array')) {
    if (!types.every((t) => t.kind === 'Array')) noCommon(types);
    return arrayType(leastSupertype(types.map((t) => (t.kind === 'Array' ? t.element : t))));
  }
  if (kinds.has('Map')) {
    if (!types.every((t) => t.kind === 'Map')) noCommon(types);
    const maps = types as readonly Extract<DataType, { kind: 'Map' }>[];
    return mapType(leastSupertype(maps.map((m) => m.key)), leastSupertype(maps.map((m) => m.value)));
  }
  if (kinds.has('Tuple')) {
    const tuples = types as readonly Extract<DataType, { kind: 'Tuple' }>[];
    if (!types.every((t) => t.kind === 'Tuple') || !tuples.every((t) => t.elements.length === tuples[0]!.elements.length)) noCommon(types);
    return tupleType(tuples[0]!.elements.map((_, i) => leastSupertype(tuples.map((t) => t.elements[i]!))), tuples[0]!.names);
  }
  if ([...kinds].every((k) => k === 'String' || k === 'FixedString')) return T.String;
  if ([...kinds].every((k) => k === 'Enum8' || k === 'Enum16')) return kinds.has('Enum16') ? T.Int16 : T.Int8;

  // Dates and times: Date < DateTime < DateTime64.
  if ([...kinds].every((k) => k === 'Date' || k === 'Date32' || k === 'DateTime' || k === 'DateTime64')) {
    if (kinds.has('DateTime64')) {
      const p = Math.max(...types.map((t) => (t.kind === 'DateTime64' ? t.precision : 0)));
      const tz = types.find((t) => (t.kind === 'DateTime64' || t.kind === 'DateTime') && t.timezone) as { timezone?: string } | undefined;
      return dateTime64Type(p, tz?.timezone);
    }
    if (kinds.has('DateTime')) return types.find((t) => t.kind === 'DateTime')!;
    return kinds.has('Date32') ? T.Date32 : T.Date;
  }

  // Numbers.
  const numeric = [...kinds].every((k) => k in INT_BITS || k === 'Float32' || k === 'Float64' || k === 'Decimal');
  if (!numeric) noCommon(types);
  if (kinds.has('Decimal')) {
    const decs = types.filter((t) => t.kind === 'Decimal') as Extract<DataType, { kind: 'Decimal' }>[];
    if (kinds.has('Float32') || kinds.has('Float64')) return T.Float64;
    const scale = Math.max(...decs.map((d) => d.scale));
    let intDigits = Math.max(...decs.map((d) => d.precision - d.scale));
    for (const t of types) if (t.kind !== 'Decimal') intDigits = Math.max(intDigits, Math.ceil(INT_BITS[t.kind]! * 0.302) + 1);
    return decimalType(Math.min(76, intDigits + scale), scale);
  }
  if (kinds.has('Float64') || kinds.has('Float32')) {
    const maxIntBits = Math.max(0, ...types.filter((t) => t.kind in INT_BITS).map((t) => INT_BITS[t.kind]!));
    if (kinds.has('Float64') || maxIntBits > 16) return maxIntBits > 32 ? noCommonIfBig(types, maxIntBits) : T.Float64;
    return T.Float32;
  }
  const ints = types.filter(isInteger).concat(types.filter((t) => t.kind === 'Bool'));
  const anySigned = ints.some((t) => !isUnsigned(t) && t.kind !== 'Bool');
  const maxSigned = Math.max(0, ...ints.filter((t) => !isUnsigned(t) && t.kind !== 'Bool').map((t) => INT_BITS[t.kind]!));
  const maxUnsigned = Math.max(0, ...ints.filter((t) => isUnsigned(t) || t.kind === 'Bool').map((t) => INT_BITS[t.kind]!));
  if (!anySigned) return intType(false, maxUnsigned);
  // Mixed signedness: a signed type wider than every unsigned one.
  let bits = Math.max(maxSigned, maxUnsigned < maxSigned ? 0 : maxUnsigned * 2);
  if (bits > 256) noCommon(types);
  bits = [8, 16, 32, 64, 128, 256].find((b) => b >= bits)!;
  return intType(true, bits);
}

function noCommonIfBig(types: readonly DataType[], bits: number): DataType {
  if (bits >= 64) return T.Float64;
  return noCommon(types);
}
