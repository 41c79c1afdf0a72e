import { NumericColumn, type Column } from '../columns/column.js';
import { physicalOf } from '../columns/physical.js';
import { createBuilder } from '../columns/builder.js';
import { materialize } from '../columns/ops.js';
import { readValue, type Value } from '../columns/values.js';
import { DbError } from '../errors/index.js';
import type { DataType } from '../types/data-type.js';

/**
 * Columns to JavaScript and back, as Proton's V8 adapter maps them (src/V8/Utils.cpp): numbers (all integer
 * and float widths, Decimal) are JS numbers, bool is boolean, String / FixedString / UUID / Enum are strings,
 * Date, Date32, DateTime and DateTime64 are JS Date objects, Array(T) is an array, NULL is null. A result
 * declared as a Tuple is an object with the element names as properties (or an array for an unnamed tuple).
 *
 * Columns travel to the sandbox in a compact encoding (typed arrays, one string array); the sandbox builds
 * the JS values inside the UDF's own realm.
 */
export type EncodedColumn =
  | { readonly t: 'f64' | 'date'; readonly v: Float64Array; readonly nulls?: Uint8Array }
  | { readonly t: 'bool'; readonly v: Uint8Array; readonly nulls?: Uint8Array }
  | { readonly t: 'str'; readonly v: string[]; readonly nulls?: Uint8Array }
  | { readonly t: 'arr'; readonly off: Uint32Array; readonly inner: EncodedColumn; readonly nulls?: Uint8Array };

/** How the sandbox checks and reduces one result value (sandbox-bootstrap.ts `norm`). */
export type ResultSpec =
  | { readonly t: 'num'; readonly nullable?: boolean; readonly boolOk?: boolean }
  | { readonly t: 'bool' | 'str' | 'date'; readonly nullable?: boolean }
  | { readonly t: 'arr'; readonly e: ResultSpec; readonly nullable?: boolean }
  | { readonly t: 'tup'; readonly es: ResultSpec[]; readonly names?: string[]; readonly nullable?: boolean };

const NUMERIC = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Int128', 'Int256', 'UInt128', 'UInt256', 'Float32', 'Float64', 'Decimal']);
const TEXT = new Set(['String', 'FixedString', 'UUID', 'Enum8', 'Enum16']);
const DATES = new Set(['Date', 'Date32', 'DateTime', 'DateTime64']);

export function isNumericType(t: DataType): boolean {
  return NUMERIC.has(t.kind);
}

function unsupported(t: DataType, what: string): DbError {
  return new DbError('NOT_IMPLEMENTED', `JavaScript UDF does not support data type ${t.name} as ${what}`);
}

/** Throws NOT_IMPLEMENTED when a type cannot be passed to a JavaScript UDF. */
export function checkArgumentType(t: DataType): void {
  if (t.kind === 'Nullable' || t.kind === 'LowCardinality') return checkArgumentType(t.inner);
  if (t.kind === 'Array') return checkArgumentType(t.element);
  if (NUMERIC.has(t.kind) || TEXT.has(t.kind) || DATES.has(t.kind) || t.kind === 'Bool') return;
  throw unsupported(t, 'an argument');
}

export function resultSpec(t: DataType): ResultSpec {
  if (t.kind === 'Nullable') return { ...resultSpec(t.inner), nullable: true };
  if (t.kind === 'LowCardinality') return resultSpec(t.inner);
  if (NUMERIC.has(t.kind)) return t.kind === 'UInt8' ? { t: 'num', boolOk: true } : { t: 'num' };
  if (t.kind === 'Bool') return { t: 'bool' };
  if (TEXT.has(t.kind)) return { t: 'str' };
  if (DATES.has(t.kind)) return { t: 'date' };
  if (t.kind === 'Array') return { t: 'arr', e: resultSpec(t.element) };
  if (t.kind === 'Tuple') return { t: 'tup', es: t.elements.map(resultSpec), names: t.names ? [...t.names] : undefined };
  throw unsupported(t, 'the return type');
}

function msPerUnit(t: DataType): number {
  switch (t.kind) {
    case 'Date':
    case 'Date32':
      return 86400000;
    case 'DateTime':
      return 1000;
    case 'DateTime64':
      return 10 ** (3 - t.precision);
    default:
      return 1;
  }
}

/** A column (of `type`) in the sandbox's encoding. */
export function encodeColumn(input: Column, type: DataType): EncodedColumn {
  const col = materialize(input);
  if (col.kind === 'nullable') {
    const inner = encodeColumn(col.inner, type.kind === 'Nullable' ? type.inner : type);
    return { ...inner, nulls: col.nulls.slice() };
  }
  const t = type.kind === 'Nullable' || type.kind === 'LowCardinality' ? type.inner : type;
  const n = col.length;
  if (t.kind === 'Array' && col.kind === 'array') {
    return { t: 'arr', off: Uint32Array.from(col.offsets.subarray(0, n + 1)), inner: encodeColumn(col.inner, t.element) };
  }
  if (t.kind === 'Bool') {
    const v = new Uint8Array(n);
    for (let i = 0; i < n; i++) v[i] = readValue(t, col, i) ? 1 : 0;
    return { t: 'bool', v };
  }
  if (NUMERIC.has(t.kind) || DATES.has(t.kind)) {
    const v = new Float64Array(n);
    const scale = t.kind === 'Decimal' ? 10 ** t.scale : 1;
    if (col.kind === 'numeric' && !col.isBig && scale === 1) v.set(col.data as Float64Array);
    else for (let i = 0; i < n; i++) v[i] = Number(readValue(t, col, i)) / scale;
    if (DATES.has(t.kind)) {
      const unit = msPerUnit(t);
      if (unit !== 1) for (let i = 0; i < n; i++) v[i] = v[i]! * unit;
      return { t: 'date', v };
    }
    return { t: 'f64', v };
  }
  if (TEXT.has(t.kind)) {
    const v: string[] = new Array<string>(n);
    if (t.kind === 'Enum8' || t.kind === 'Enum16') for (let i = 0; i < n; i++) v[i] = t.byValue.get(readValue(t, col, i) as number) ?? '';
    else for (let i = 0; i < n; i++) v[i] = readValue(t, col, i) as string;
    return { t: 'str', v };
  }
  throw unsupported(t, 'an argument');
}

function toValue(t: DataType, v: unknown): Value {
  if (v === null || v === undefined) return null;
  switch (t.kind) {
    case 'Nullable':
    case 'LowCardinality':
      return toValue(t.inner, v);
    case 'Array':
      return (v as unknown[]).map((e) => toValue(t.element, e));
    case 'Tuple':
      return (v as unknown[]).map((e, i) => toValue(t.elements[i]!, e));
    case 'Date':
    case 'Date32':
    case 'DateTime':
      return Math.floor((v as number) / msPerUnit(t));
    case 'DateTime64':
      return t.precision >= 3 ? Math.round((v as number) * 10 ** (t.precision - 3)) : Math.floor((v as number) / 10 ** (3 - t.precision));
    case 'Enum8':
    case 'Enum16': {
      const n = t.byName.get(v as string);
      if (n === undefined) throw new DbError('TYPE_MISMATCH', `JavaScript UDF returned '${String(v)}', not a value of ${t.name}`);
      return n;
    }
    case 'Bool':
      return v === true;
    case 'Int64':
    case 'UInt64':
    case 'Int128':
    case 'UInt128':
    case 'Int256':
    case 'UInt256':
    case 'Decimal':
      return Number.isFinite(v) ? (v as number) : 0;
    default:
      return v as Value;
  }
}

const PLAIN_NUMBERS = new Set(['Int8', 'Int16', 'Int32', 'UInt8', 'UInt16', 'UInt32', 'Float32', 'Float64']);

/** A result column from the values the sandbox returned (already checked against the type's ResultSpec). */
export function decodeColumn(type: DataType, values: ArrayLike<unknown>): Column {
  if (PLAIN_NUMBERS.has(type.kind)) {
    // The typed array converts as the column type does (Float32 rounding, integer wrap-around).
    const p = physicalOf(type);
    if (p.layout === 'numeric') {
      const data = new p.ctor(values.length) as Float64Array;
      for (let i = 0; i < values.length; i++) data[i] = values[i] as number;
      return new NumericColumn(data);
    }
  }
  const b = createBuilder(type, Math.max(16, values.length));
  for (let i = 0; i < values.length; i++) b.push(toValue(type, values[i]));
  return b.build();
}
