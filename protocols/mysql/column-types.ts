import type { DataType } from '../../src/types/data-type.js';
import { Charset, ColumnFlag, FieldType } from './mysql-constants.js';

/** How one Hadron type looks to a MySQL client: the column definition fields and the SQL type name. */
export interface MysqlColumnType {
  readonly fieldType: number;
  readonly flags: number;
  readonly length: number;
  readonly decimals: number;
  readonly charset: number;
  /** The type as MySQL prints it (`SHOW COLUMNS`, information_schema): `int unsigned`, `decimal(10,2)`. */
  readonly sqlName: string;
}

/** Strips Nullable / LowCardinality / SimpleAggregateFunction: what the values are. */
export function valueType(t: DataType): DataType {
  for (;;) {
    if (t.kind === 'Nullable' || t.kind === 'LowCardinality' || t.kind === 'SimpleAggregateFunction') t = t.inner;
    else return t;
  }
}

function isNullableType(t: DataType): boolean {
  if (t.kind === 'Nullable') return true;
  if (t.kind === 'LowCardinality') return isNullableType(t.inner);
  return t.kind === 'Nothing';
}

const BIN = Charset.BINARY;
const TEXT = Charset.UTF8MB4_GENERAL_CI;

function numeric(fieldType: number, length: number, sqlName: string, unsigned: boolean, decimals = 0): Omit<MysqlColumnType, 'flags'> & { flags: number } {
  return {
    fieldType,
    flags: ColumnFlag.NUM | (unsigned ? ColumnFlag.UNSIGNED : 0),
    length,
    decimals,
    charset: BIN,
    sqlName: unsigned ? `${sqlName} unsigned` : sqlName,
  };
}

function text(sqlName: string, length: number, fieldType: number = FieldType.VAR_STRING, flags = 0): MysqlColumnType {
  return { fieldType, flags, length, decimals: 0, charset: TEXT, sqlName };
}

function baseColumnType(t: DataType): MysqlColumnType {
  switch (t.kind) {
    case 'Int8':
      return numeric(FieldType.TINY, 4, 'tinyint', false);
    case 'UInt8':
      return numeric(FieldType.TINY, 3, 'tinyint', true);
    case 'Bool':
      return { fieldType: FieldType.TINY, flags: ColumnFlag.NUM, length: 1, decimals: 0, charset: BIN, sqlName: 'tinyint(1)' };
    case 'Int16':
      return numeric(FieldType.SHORT, 6, 'smallint', false);
    case 'UInt16':
      return numeric(FieldType.SHORT, 5, 'smallint', true);
    case 'Int32':
      return numeric(FieldType.LONG, 11, 'int', false);
    case 'UInt32':
      return numeric(FieldType.LONG, 10, 'int', true);
    case 'Int64':
      return numeric(FieldType.LONGLONG, 20, 'bigint', false);
    case 'UInt64':
      return numeric(FieldType.LONGLONG, 20, 'bigint', true);
    case 'Interval':
      return numeric(FieldType.LONGLONG, 20, 'bigint', false);
    case 'Int128':
    case 'UInt128':
      return numeric(FieldType.NEWDECIMAL, 40, 'decimal(39,0)', t.kind === 'UInt128');
    case 'Int256':
    case 'UInt256':
      return numeric(FieldType.NEWDECIMAL, 65, 'decimal(65,0)', t.kind === 'UInt256');
    case 'Float32':
      return numeric(FieldType.FLOAT, 12, 'float', false, 31);
    case 'Float64':
      return numeric(FieldType.DOUBLE, 22, 'double', false, 31);
    case 'Decimal':
      return numeric(FieldType.NEWDECIMAL, t.precision + 2, `decimal(${t.precision},${t.scale})`, false, t.scale);
    case 'Date':
    case 'Date32':
      return { fieldType: FieldType.DATE, flags: ColumnFlag.BINARY, length: 10, decimals: 0, charset: BIN, sqlName: 'date' };
    case 'DateTime':
      return { fieldType: FieldType.DATETIME, flags: ColumnFlag.BINARY, length: 19, decimals: 0, charset: BIN, sqlName: 'datetime' };
    case 'DateTime64': {
      const p = Math.min(t.precision, 6);
      return { fieldType: FieldType.DATETIME, flags: ColumnFlag.BINARY, length: p ? 20 + p : 19, decimals: p, charset: BIN, sqlName: p ? `datetime(${p})` : 'datetime' };
    }
    case 'String':
      return text('text', 65535 * 4, FieldType.BLOB);
    case 'FixedString':
      return text(`char(${t.n})`, t.n * 4, FieldType.STRING);
    case 'UUID':
      return text('char(36)', 36 * 4, FieldType.STRING);
    case 'IPv4':
      return text('varchar(15)', 15 * 4);
    case 'IPv6':
      return text('varchar(39)', 39 * 4);
    case 'Enum8':
    case 'Enum16': {
      const values = [...t.values].sort((a, b) => a[1] - b[1]).map(([n]) => `'${n.replace(/'/g, "''")}'`);
      const longest = t.values.reduce((m, [n]) => Math.max(m, n.length), 1);
      return text(`enum(${values.join(',')})`, longest * 4, FieldType.STRING, ColumnFlag.ENUM);
    }
    case 'Nothing':
      return { fieldType: FieldType.NULL, flags: 0, length: 0, decimals: 0, charset: BIN, sqlName: 'null' };
    default:
      // Array, Map, Tuple, AggregateFunction: ClickHouse's text form.
      return text('text', 65535 * 4, FieldType.BLOB);
  }
}

export function mysqlColumnType(t: DataType): MysqlColumnType {
  const base = baseColumnType(valueType(t));
  if (isNullableType(t)) return base;
  return { ...base, flags: base.flags | ColumnFlag.NOT_NULL };
}
