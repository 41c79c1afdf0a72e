import type { DataType } from '../types/data-type.js';
import { decimalByteWidth } from '../types/data-type.js';
import type { NumericArrayCtor } from './column.js';

/** How a DataType is laid out in memory. LowCardinality and SimpleAggregateFunction are stored as their inner type. */
export type Physical =
  | { layout: 'numeric'; ctor: NumericArrayCtor }
  | { layout: 'bignum' }
  | { layout: 'string' }
  | { layout: 'fixed'; width: number }
  | { layout: 'nullable'; inner: DataType }
  | { layout: 'array'; element: DataType }
  | { layout: 'tuple'; elements: readonly DataType[] }
  | { layout: 'object' }
  | { layout: 'nothing' };

export function physicalOf(t: DataType): Physical {
  switch (t.kind) {
    case 'Int8':
    case 'Enum8':
      return { layout: 'numeric', ctor: Int8Array };
    case 'UInt8':
    case 'Bool':
      return { layout: 'numeric', ctor: Uint8Array };
    case 'Int16':
    case 'Enum16':
      return { layout: 'numeric', ctor: Int16Array };
    case 'UInt16':
    case 'Date':
      return { layout: 'numeric', ctor: Uint16Array };
    case 'Int32':
    case 'Date32':
      return { layout: 'numeric', ctor: Int32Array };
    case 'UInt32':
    case 'DateTime':
    case 'IPv4':
      return { layout: 'numeric', ctor: Uint32Array };
    case 'Int64':
      return { layout: 'numeric', ctor: BigInt64Array };
    case 'UInt64':
      return { layout: 'numeric', ctor: BigUint64Array };
    case 'Float32':
      return { layout: 'numeric', ctor: Float32Array };
    case 'Float64':
    case 'DateTime64':
    case 'Interval':
      return { layout: 'numeric', ctor: Float64Array };
    case 'Decimal': {
      const w = decimalByteWidth(t.precision);
      if (w === 4) return { layout: 'numeric', ctor: Int32Array };
      if (w === 8) return { layout: 'numeric', ctor: BigInt64Array };
      return { layout: 'bignum' };
    }
    case 'Int128':
    case 'Int256':
    case 'UInt128':
    case 'UInt256':
      return { layout: 'bignum' };
    case 'String':
      return { layout: 'string' };
    case 'FixedString':
      return { layout: 'fixed', width: t.n };
    case 'UUID':
    case 'IPv6':
      return { layout: 'fixed', width: 16 };
    case 'Nullable':
      return { layout: 'nullable', inner: t.inner };
    case 'LowCardinality':
      return physicalOf(t.inner);
    case 'SimpleAggregateFunction':
      return physicalOf(t.inner);
    case 'Array':
      return { layout: 'array', element: t.element };
    case 'Map':
      return { layout: 'array', element: mapEntryType(t.key, t.value) };
    case 'Tuple':
      return { layout: 'tuple', elements: t.elements };
    case 'AggregateFunction':
      return { layout: 'object' };
    case 'Nothing':
      return { layout: 'nothing' };
  }
}

const mapEntryCache = new WeakMap<DataType, WeakMap<DataType, DataType>>();
/** Map(K, V) is stored as Array(Tuple(keys K, values V)), like ClickHouse. */
export function mapEntryType(key: DataType, value: DataType): DataType {
  let inner = mapEntryCache.get(key);
  if (!inner) mapEntryCache.set(key, (inner = new WeakMap()));
  let t = inner.get(value);
  if (!t) {
    t = Object.freeze({
      kind: 'Tuple' as const,
      name: `Tuple(keys ${key.name}, values ${value.name})`,
      elements: [key, value],
      names: ['keys', 'values'],
    });
    inner.set(value, t);
  }
  return t;
}
