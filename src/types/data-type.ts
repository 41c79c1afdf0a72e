/**
 * Data types are immutable descriptors (ClickHouse's IDataType): the column holds the data, the type says
 * what it means. `name` is the canonical spelling exactly as ClickHouse prints it.
 */

export type IntKind = 'Int8' | 'Int16' | 'Int32' | 'Int64' | 'UInt8' | 'UInt16' | 'UInt32' | 'UInt64';
export type BigIntKind = 'Int128' | 'Int256' | 'UInt128' | 'UInt256';
export type FloatKind = 'Float32' | 'Float64';
export type IntervalUnit =
  | 'Nanosecond'
  | 'Microsecond'
  | 'Millisecond'
  | 'Second'
  | 'Minute'
  | 'Hour'
  | 'Day'
  | 'Week'
  | 'Month'
  | 'Quarter'
  | 'Year';

interface Base<K extends string> {
  readonly kind: K;
  readonly name: string;
}

export type SimpleType = Base<
  IntKind | BigIntKind | FloatKind | 'Bool' | 'String' | 'UUID' | 'Date' | 'Date32' | 'IPv4' | 'IPv6' | 'Nothing'
>;
export interface DecimalType extends Base<'Decimal'> {
  readonly precision: number;
  readonly scale: number;
}
export interface FixedStringType extends Base<'FixedString'> {
  readonly n: number;
}
export interface DateTimeType extends Base<'DateTime'> {
  readonly timezone?: string;
}
export interface DateTime64Type extends Base<'DateTime64'> {
  readonly precision: number;
  readonly timezone?: string;
}
export interface EnumType extends Base<'Enum8' | 'Enum16'> {
  readonly values: readonly (readonly [string, number])[];
  readonly byName: ReadonlyMap<string, number>;
  readonly byValue: ReadonlyMap<number, string>;
}
export interface NullableType extends Base<'Nullable'> {
  readonly inner: DataType;
}
export interface LowCardinalityType extends Base<'LowCardinality'> {
  readonly inner: DataType;
}
export interface ArrayType extends Base<'Array'> {
  readonly element: DataType;
}
export interface MapType extends Base<'Map'> {
  readonly key: DataType;
  readonly value: DataType;
}
export interface TupleType extends Base<'Tuple'> {
  readonly elements: readonly DataType[];
  /** Present when every element is named: `Tuple(a Int32, b String)`. */
  readonly names?: readonly string[];
}
export interface IntervalType extends Base<'Interval'> {
  readonly unit: IntervalUnit;
}
/** The state of an aggregate function (`-State` combinator results, AggregatingMergeTree columns). */
export interface AggregateFunctionType extends Base<'AggregateFunction'> {
  readonly func: string;
  readonly params: readonly (number | string)[];
  readonly args: readonly DataType[];
}
export interface SimpleAggregateFunctionType extends Base<'SimpleAggregateFunction'> {
  readonly func: string;
  readonly inner: DataType;
}

export type DataType =
  | SimpleType
  | DecimalType
  | FixedStringType
  | DateTimeType
  | DateTime64Type
  | EnumType
  | NullableType
  | LowCardinalityType
  | ArrayType
  | MapType
  | TupleType
  | IntervalType
  | AggregateFunctionType
  | SimpleAggregateFunctionType;

export type TypeKind = DataType['kind'];

// ------------------------------------------------------------------ constructors (interned where cheap)

const simpleCache = new Map<string, SimpleType>();
function simple(kind: SimpleType['kind']): SimpleType {
  let t = simpleCache.get(kind);
  if (!t) {
    t = Object.freeze({ kind, name: kind });
    simpleCache.set(kind, t);
  }
  return t;
}

export const T = {
  Int8: simple('Int8'),
  Int16: simple('Int16'),
  Int32: simple('Int32'),
  Int64: simple('Int64'),
  Int128: simple('Int128'),
  Int256: simple('Int256'),
  UInt8: simple('UInt8'),
  UInt16: simple('UInt16'),
  UInt32: simple('UInt32'),
  UInt64: simple('UInt64'),
  UInt128: simple('UInt128'),
  UInt256: simple('UInt256'),
  Float32: simple('Float32'),
  Float64: simple('Float64'),
  Bool: simple('Bool'),
  String: simple('String'),
  UUID: simple('UUID'),
  Date: simple('Date'),
  Date32: simple('Date32'),
  IPv4: simple('IPv4'),
  IPv6: simple('IPv6'),
  Nothing: simple('Nothing'),
} as const;

export function simpleType(kind: SimpleType['kind']): SimpleType {
  return simple(kind);
}

function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function decimalType(precision: number, scale: number): DecimalType {
  return Object.freeze({ kind: 'Decimal', name: `Decimal(${precision}, ${scale})`, precision, scale });
}

export function fixedStringType(n: number): FixedStringType {
  return Object.freeze({ kind: 'FixedString', name: `FixedString(${n})`, n });
}

export function dateTimeType(timezone?: string): DateTimeType {
  return Object.freeze({ kind: 'DateTime', name: timezone ? `DateTime(${quote(timezone)})` : 'DateTime', timezone });
}

export function dateTime64Type(precision: number, timezone?: string): DateTime64Type {
  const name = timezone ? `DateTime64(${precision}, ${quote(timezone)})` : `DateTime64(${precision})`;
  return Object.freeze({ kind: 'DateTime64', name, precision, timezone });
}

export function enumType(kind: 'Enum8' | 'Enum16', values: readonly (readonly [string, number])[]): EnumType {
  const byName = new Map<string, number>();
  const byValue = new Map<number, string>();
  for (const [n, v] of values) {
    byName.set(n, v);
    byValue.set(v, n);
  }
  // ClickHouse prints (and compares) enum types with their elements ordered by value.
  const sorted = [...values].sort((a, b) => a[1] - b[1]);
  const name = `${kind}(${sorted.map(([n, v]) => `${quote(n)} = ${v}`).join(', ')})`;
  return Object.freeze({ kind, name, values, byName, byValue });
}

export function nullableType(inner: DataType): DataType {
  if (inner.kind === 'Nullable') return inner;
  return Object.freeze({ kind: 'Nullable', name: `Nullable(${inner.name})`, inner });
}

export function lowCardinalityType(inner: DataType): LowCardinalityType {
  return Object.freeze({ kind: 'LowCardinality', name: `LowCardinality(${inner.name})`, inner });
}

export function arrayType(element: DataType): ArrayType {
  return Object.freeze({ kind: 'Array', name: `Array(${element.name})`, element });
}

export function mapType(key: DataType, value: DataType): MapType {
  return Object.freeze({ kind: 'Map', name: `Map(${key.name}, ${value.name})`, key, value });
}

function needsQuoting(name: string): boolean {
  return !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name);
}

export function tupleType(elements: readonly DataType[], names?: readonly string[]): TupleType {
  const named = names && names.length === elements.length && names.every((n) => n.length > 0) ? names : undefined;
  const inner = elements
    .map((e, i) => (named ? `${needsQuoting(named[i]!) ? '`' + named[i] + '`' : named[i]} ${e.name}` : e.name))
    .join(', ');
  return Object.freeze({ kind: 'Tuple', name: `Tuple(${inner})`, elements, names: named });
}

export function intervalType(unit: IntervalUnit): IntervalType {
  return Object.freeze({ kind: 'Interval', name: `Interval${unit}`, unit });
}

export function aggregateFunctionType(
  func: string,
  params: readonly (number | string)[],
  args: readonly DataType[],
): AggregateFunctionType {
  const fn = params.length ? `${func}(${params.map((p) => (typeof p === 'string' ? quote(p) : String(p))).join(', ')})` : func;
  const name = `AggregateFunction(${[fn, ...args.map((a) => a.name)].join(', ')})`;
  return Object.freeze({ kind: 'AggregateFunction', name, func, params, args });
}

export function simpleAggregateFunctionType(func: string, inner: DataType): SimpleAggregateFunctionType {
  return Object.freeze({ kind: 'SimpleAggregateFunction', name: `SimpleAggregateFunction(${func}, ${inner.name})`, func, inner });
}

// ------------------------------------------------------------------ predicates

export function isNullable(t: DataType): t is NullableType {
  return t.kind === 'Nullable';
}

/** Strips Nullable and LowCardinality wrappers: the type the values really have. */
export function baseType(t: DataType): DataType {
  while (t.kind === 'Nullable' || t.kind === 'LowCardinality') t = t.inner;
  return t;
}

export function removeNullable(t: DataType): DataType {
  return t.kind === 'Nullable' ? t.inner : t;
}

/** Strips LowCardinality at any depth of Nullable, since Hadron stores LowCardinality columns fully materialised. */
export function removeLowCardinality(t: DataType): DataType {
  if (t.kind === 'LowCardinality') return removeLowCardinality(t.inner);
  if (t.kind === 'Nullable') {
    const inner = removeLowCardinality(t.inner);
    return inner === t.inner ? t : nullableType(inner);
  }
  return t;
}

export function canBeInsideNullable(t: DataType): boolean {
  return !['Array', 'Map', 'Tuple', 'Nullable', 'LowCardinality', 'AggregateFunction'].includes(t.kind);
}

const INT_KINDS = new Set<string>(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64']);
const BIG_INT_KINDS = new Set<string>(['Int128', 'Int256', 'UInt128', 'UInt256']);

export function isInteger(t: DataType): boolean {
  return INT_KINDS.has(t.kind) || BIG_INT_KINDS.has(t.kind);
}
export function isUnsigned(t: DataType): boolean {
  return t.kind.startsWith('UInt');
}
export function isFloat(t: DataType): boolean {
  return t.kind === 'Float32' || t.kind === 'Float64';
}
export function isNumber(t: DataType): boolean {
  return isInteger(t) || isFloat(t) || t.kind === 'Decimal' || t.kind === 'Bool';
}
export function isDateOrDateTime(t: DataType): boolean {
  return t.kind === 'Date' || t.kind === 'Date32' || t.kind === 'DateTime' || t.kind === 'DateTime64';
}
export function isStringLike(t: DataType): boolean {
  return t.kind === 'String' || t.kind === 'FixedString';
}

/** Byte width of one integer of this kind. */
export function intByteWidth(kind: string): number {
  switch (kind) {
    case 'Int8':
    case 'UInt8':
    case 'Bool':
      return 1;
    case 'Int16':
    case 'UInt16':
      return 2;
    case 'Int32':
    case 'UInt32':
      return 4;
    case 'Int64':
    case 'UInt64':
      return 8;
    case 'Int128':
    case 'UInt128':
      return 16;
    case 'Int256':
    case 'UInt256':
      return 32;
    default:
      return 0;
  }
}

/** Decimal(P, S) storage width in bytes, as ClickHouse chooses it. */
export function decimalByteWidth(precision: number): 4 | 8 | 16 | 32 {
  if (precision <= 9) return 4;
  if (precision <= 18) return 8;
  if (precision <= 38) return 16;
  return 32;
}
