import type { TypeAst, TypeArg } from '../sql/ast.js';
import { DbError } from '../errors/index.js';
import { parseTypeAst } from './type-parser.js';
import {
  type DataType,
  type IntervalUnit,
  T,
  aggregateFunctionType,
  arrayType,
  dateTime64Type,
  dateTimeType,
  decimalType,
  enumType,
  fixedStringType,
  intervalType,
  lowCardinalityType,
  mapType,
  nullableType,
  simpleAggregateFunctionType,
  tupleType,
} from './data-type.js';

/**
 * Type names are matched case-insensitively so that Proton's lower-case spelling (`int32`, `string`,
 * `datetime64(3)`) and SQL-standard aliases (`BIGINT`, `VARCHAR(255)`, `DOUBLE`) resolve to the same
 * canonical ClickHouse types.
 */
const SIMPLE_ALIASES: Record<string, DataType> = {
  int8: T.Int8,
  int16: T.Int16,
  int32: T.Int32,
  int64: T.Int64,
  int128: T.Int128,
  int256: T.Int256,
  uint8: T.UInt8,
  uint16: T.UInt16,
  uint32: T.UInt32,
  uint64: T.UInt64,
  uint128: T.UInt128,
  uint256: T.UInt256,
  float32: T.Float32,
  float64: T.Float64,
  bool: T.Bool,
  boolean: T.Bool,
  string: T.String,
  uuid: T.UUID,
  date: T.Date,
  date32: T.Date32,
  ipv4: T.IPv4,
  ipv6: T.IPv6,
  nothing: T.Nothing,
  // SQL-standard and MySQL aliases ClickHouse accepts.
  tinyint: T.Int8,
  int1: T.Int8,
  byte: T.Int8,
  smallint: T.Int16,
  int2: T.Int16,
  int: T.Int32,
  uint: T.UInt32, // Proton
  integer: T.Int32,
  int4: T.Int32,
  mediumint: T.Int32,
  bigint: T.Int64,
  float: T.Float32,
  real: T.Float32,
  single: T.Float32,
  double: T.Float64,
  float8: T.Float64,
  varchar: T.String,
  char: T.String,
  character: T.String,
  text: T.String,
  tinytext: T.String,
  mediumtext: T.String,
  longtext: T.String,
  blob: T.String,
  tinyblob: T.String,
  mediumblob: T.String,
  longblob: T.String,
  bytea: T.String,
  nvarchar: T.String,
  nchar: T.String,
  varbinary: T.String,
  binary: T.String,
  clob: T.String,
  inet4: T.IPv4,
  inet6: T.IPv6,
};

const INTERVAL_UNITS: IntervalUnit[] = [
  'Nanosecond',
  'Microsecond',
  'Millisecond',
  'Second',
  'Minute',
  'Hour',
  'Day',
  'Week',
  'Month',
  'Quarter',
  'Year',
];

const cache = new Map<string, DataType>();

/** Parses a type from its text (`Nullable(String)`, `array(int32)`) into a canonical DataType. */
export function parseDataType(text: string): DataType {
  let t = cache.get(text);
  if (t) return t;
  t = dataTypeFromAst(parseTypeAst(text));
  if (cache.size < 10_000) cache.set(text, t);
  return t;
}

function typeArg(a: TypeArg | undefined, outer: string): DataType {
  if (!a || a.kind !== 'type') throw new DbError('UNKNOWN_TYPE', `${outer} expects a data type argument`);
  return dataTypeFromAst(a.type);
}

function numArg(a: TypeArg | undefined, outer: string, fallback?: number): number {
  if (!a) {
    if (fallback !== undefined) return fallback;
    throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `${outer} expects a numeric argument`);
  }
  if (a.kind !== 'number') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `${outer} expects a numeric argument`);
  return a.value;
}

function strArg(a: TypeArg | undefined): string | undefined {
  if (!a) return undefined;
  if (a.kind === 'string') return a.value;
  throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', 'expected a string argument (a timezone name)');
}

function noArgs(ast: TypeAst, t: DataType): DataType {
  // VARCHAR(255), CHAR(10), INT(11), TINYINT(1): SQL-style display widths are accepted and ignored.
  if (ast.args.length && !ast.args.every((a) => a.kind === 'number')) {
    throw new DbError('DATA_TYPE_CANNOT_HAVE_ARGUMENTS', `Data type ${t.name} cannot have arguments`);
  }
  return t;
}

/** Proton spells multi-word type families in snake_case: `low_cardinality`, `fixed_string`, `aggregate_function`. */
export function dataTypeFromAst(ast: TypeAst): DataType {
  const lower = ast.name.toLowerCase().replace(/_/g, '');
  const args = ast.args;
  const simple = SIMPLE_ALIASES[lower];
  if (simple) {
    if (lower === 'bigint' && args.length) return noArgs(ast, T.Int64);
    return noArgs(ast, simple);
  }
  switch (lower) {
    case 'decimal':
    case 'numeric':
    case 'dec': {
      const p = numArg(args[0], 'Decimal', 10);
      const s = numArg(args[1], 'Decimal', 0);
      return checkedDecimal(p, s);
    }
    case 'decimal32':
      return checkedDecimal(9, numArg(args[0], 'Decimal32'));
    case 'decimal64':
      return checkedDecimal(18, numArg(args[0], 'Decimal64'));
    case 'decimal128':
      return checkedDecimal(38, numArg(args[0], 'Decimal128'));
    case 'decimal256':
      return checkedDecimal(76, numArg(args[0], 'Decimal256'));
    case 'fixedstring': {
      const n = numArg(args[0], 'FixedString');
      if (!(n >= 1 && n <= 0xffffff && Number.isInteger(n)))
        throw new DbError('ARGUMENT_OUT_OF_BOUND', 'FixedString size must be a positive integer');
      return fixedStringType(n);
    }
    case 'datetime':
    case 'timestamp':
      if (args.length && args[0]!.kind === 'number') return dateTime64Type(args[0].value, strArg(args[1]));
      return dateTimeType(strArg(args[0]));
    case 'datetime32':
      return dateTimeType(strArg(args[0]));
    case 'datetime64': {
      const p = numArg(args[0], 'DateTime64', 3);
      if (p < 0 || p > 9) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Scale ${p} is out of bounds (max scale: 9)`);
      return dateTime64Type(p, strArg(args[1]));
    }
    case 'enum8':
    case 'enum16':
    case 'enum': {
      const values: [string, number][] = [];
      let next = 1;
      for (const a of args) {
        if (a.kind !== 'enum' && a.kind !== 'string') throw new DbError('UNEXPECTED_AST_STRUCTURE', 'Enum elements must be string literals');
        const name = a.kind === 'enum' ? a.name : a.value;
        const v = a.kind === 'enum' && a.value !== undefined ? a.value : next;
        values.push([name, v]);
        next = v + 1;
      }
      if (!values.length) throw new DbError('EMPTY_DATA_PASSED', 'Enum cannot be empty');
      const kind = lower === 'enum16' || (lower === 'enum' && values.some(([, v]) => v < -128 || v > 127)) ? 'Enum16' : 'Enum8';
      const [lo, hi] = kind === 'Enum8' ? [-128, 127] : [-32768, 32767];
      for (const [n, v] of values) {
        if (v < lo || v > hi) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Value ${v} for element '${n}' exceeds range of ${kind}`);
      }
      return enumType(kind, values);
    }
    case 'nullable':
      return nullableOf(typeArg(args[0], 'Nullable'));
    case 'lowcardinality':
      return lowCardinalityType(typeArg(args[0], 'LowCardinality'));
    case 'array':
      return arrayType(typeArg(args[0], 'Array'));
    case 'map':
      if (args.length !== 2) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Map data type family must have two arguments: key and value types');
      return mapType(typeArg(args[0], 'Map'), typeArg(args[1], 'Map'));
    case 'tuple': {
      const elements = args.map((a) => typeArg(a, 'Tuple'));
      const names = args.map((a) => (a.kind === 'type' ? (a.name ?? '') : ''));
      return tupleType(elements, names.every((n) => n) ? names : undefined);
    }
    case 'nested': {
      // Nested(a T, b U) is sugar for Array(Tuple(a T, b U)).
      const elements = args.map((a) => typeArg(a, 'Nested'));
      const names = args.map((a) => (a.kind === 'type' ? (a.name ?? '') : ''));
      return arrayType(tupleType(elements, names));
    }
    case 'aggregatefunction':
    case 'simpleaggregatefunction': {
      const fnArg = args[0];
      if (!fnArg || fnArg.kind !== 'type') throw new DbError('BAD_ARGUMENTS', `${ast.name} expects a function name`);
      const fn = fnArg.type;
      const params = fn.args.map((a) => (a.kind === 'number' ? a.value : a.kind === 'string' ? a.value : 0));
      const rest = args.slice(1).map((a) => typeArg(a, ast.name));
      if (lower === 'simpleaggregatefunction') return simpleAggregateFunctionType(fn.name, rest[0] ?? T.Nothing);
      return aggregateFunctionType(fn.name, params, rest);
    }
  }
  if (lower.startsWith('interval')) {
    const unit = INTERVAL_UNITS.find((u) => u.toLowerCase() === lower.slice('interval'.length));
    if (unit) return intervalType(unit);
  }
  throw new DbError('UNKNOWN_TYPE', `Unknown data type family: ${ast.name}`);
}

function nullableOf(inner: DataType): DataType {
  if (inner.kind === 'Array' || inner.kind === 'Map' || inner.kind === 'Tuple' || inner.kind === 'LowCardinality' || inner.kind === 'Nullable') {
    throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Nested type ${inner.name} cannot be inside Nullable type`);
  }
  return nullableType(inner);
}

function checkedDecimal(p: number, s: number) {
  if (!(p >= 1 && p <= 76)) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Precision ${p} is out of bounds (precision range: [1, 76])`);
  if (!(s >= 0 && s <= p)) throw new DbError('ARGUMENT_OUT_OF_BOUND', `Scale ${s} is out of bounds (max scale: ${p})`);
  return decimalType(p, s);
}

/** Names for system.data_type_families: every family and alias Hadron accepts. */
export function dataTypeFamilies(): { name: string; caseInsensitive: boolean; aliasTo: string }[] {
  const canonical = [
    'Int8', 'Int16', 'Int32', 'Int64', 'Int128', 'Int256', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'UInt128', 'UInt256',
    'Float32', 'Float64', 'Decimal', 'Decimal32', 'Decimal64', 'Decimal128', 'Decimal256', 'Bool', 'String', 'FixedString',
    'UUID', 'Date', 'Date32', 'DateTime', 'DateTime32', 'DateTime64', 'Enum8', 'Enum16', 'Enum', 'IPv4', 'IPv6', 'Nullable',
    'LowCardinality', 'Array', 'Map', 'Tuple', 'Nested', 'Nothing', 'AggregateFunction', 'SimpleAggregateFunction',
    ...INTERVAL_UNITS.map((u) => `Interval${u}`),
  ];
  const out = canonical.map((name) => ({ name, caseInsensitive: false, aliasTo: '' }));
  const canonicalLower = new Set(canonical.map((c) => c.toLowerCase()));
  for (const [alias, t] of Object.entries(SIMPLE_ALIASES)) {
    if (canonicalLower.has(alias)) continue;
    out.push({ name: alias.toUpperCase(), caseInsensitive: true, aliasTo: t.name });
  }
  for (const a of ['NUMERIC', 'DEC', 'TIMESTAMP']) out.push({ name: a, caseInsensitive: true, aliasTo: a === 'TIMESTAMP' ? 'DateTime' : 'Decimal' });
  return out;
}
