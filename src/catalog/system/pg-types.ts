import type { DataType } from '../../types/data-type.js';

/**
 * Postgres type OIDs and how each Hadron type is presented to Postgres clients (pg_type, pg_attribute and the
 * Postgres wire protocol all read this table). Nullable and LowCardinality are unwrapped; UInt64 and wider
 * integers become numeric.
 */

/** A Postgres type as the wire protocol names it. */
export interface PgType {
  readonly oid: number;
  readonly name: string;
  /** pg_type.typlen: fixed size or -1. */
  readonly size: number;
  /** The array type whose elements are this type (0: none). */
  readonly arrayOid: number;
  /** For array types, the element's OID. */
  readonly elementOid?: number;
}

const t = (oid: number, name: string, size: number, arrayOid: number): PgType => ({ oid, name, size, arrayOid });

export const PG = {
  bool: t(16, 'bool', 1, 1000),
  bytea: t(17, 'bytea', -1, 1001),
  name: t(19, 'name', 64, 1003),
  int8: t(20, 'int8', 8, 1016),
  int2: t(21, 'int2', 2, 1005),
  int4: t(23, 'int4', 4, 1007),
  regproc: t(24, 'regproc', 4, 1008),
  text: t(25, 'text', -1, 1009),
  oid: t(26, 'oid', 4, 1028),
  json: t(114, 'json', -1, 199),
  float4: t(700, 'float4', 4, 1021),
  float8: t(701, 'float8', 8, 1022),
  unknown: t(705, 'unknown', -2, 0),
  bpchar: t(1042, 'bpchar', -1, 1014),
  varchar: t(1043, 'varchar', -1, 1015),
  date: t(1082, 'date', 4, 1182),
  time: t(1083, 'time', 8, 1183),
  timestamp: t(1114, 'timestamp', 8, 1115),
  timestamptz: t(1184, 'timestamptz', 8, 1185),
  interval: t(1186, 'interval', 16, 1187),
  numeric: t(1700, 'numeric', -1, 1231),
  regclass: t(2205, 'regclass', 4, 2210),
  uuid: t(2950, 'uuid', 16, 2951),
  char: t(18, 'char', 1, 1002),
  regtype: t(2206, 'regtype', 4, 2211),
  jsonb: t(3802, 'jsonb', -1, 3807),
  inet: t(869, 'inet', -1, 1041),
} as const;

/** Every base type, with its array type derived (for pg_type and OID lookups). */
export const PG_TYPES: readonly PgType[] = (() => {
  const base = Object.values(PG).filter((x) => x.oid !== PG.unknown.oid);
  const arrays = base.filter((x) => x.arrayOid).map((x) => ({ oid: x.arrayOid, name: '_' + x.name, size: -1, arrayOid: 0, elementOid: x.oid }));
  return [...base, ...arrays];
})();

const BY_OID = new Map(PG_TYPES.map((x) => [x.oid, x]));
export function pgTypeByOid(oid: number): PgType | undefined {
  return BY_OID.get(oid);
}

/** Strips Nullable / LowCardinality / SimpleAggregateFunction wrappers. */
export function unwrap(type: DataType): DataType {
  while (type.kind === 'Nullable' || type.kind === 'LowCardinality' || type.kind === 'SimpleAggregateFunction') type = type.inner;
  return type;
}

/** The Postgres type a Hadron type is sent as. */
export function pgTypeOf(type: DataType): PgType {
  const b = unwrap(type);
  switch (b.kind) {
    case 'Bool':
      return PG.bool;
    case 'Int8':
    case 'UInt8':
    case 'Int16':
      return PG.int2;
    case 'UInt16':
    case 'Int32':
      return PG.int4;
    case 'UInt32':
    case 'Int64':
      return PG.int8;
    case 'UInt64':
    case 'Int128':
    case 'UInt128':
    case 'Int256':
    case 'UInt256':
    case 'Decimal':
      return PG.numeric;
    case 'Float32':
      return PG.float4;
    case 'Float64':
      return PG.float8;
    case 'String':
    case 'FixedString':
    case 'Enum8':
    case 'Enum16':
      return PG.text;
    case 'Date':
    case 'Date32':
      return PG.date;
    case 'DateTime':
    case 'DateTime64':
      return b.timezone ? PG.timestamptz : PG.timestamp;
    case 'UUID':
      return PG.uuid;
    case 'Array': {
      const el = unwrap(b.element);
      if (el.kind === 'Array' || el.kind === 'Tuple' || el.kind === 'Map') return PG.text;
      const e = pgTypeOf(el);
      const arr = BY_OID.get(e.arrayOid);
      return arr ?? PG.text;
    }
    default:
      if (b.name === 'JSON' || b.name.startsWith('Object(')) return PG.json;
      return PG.text;
  }
}

