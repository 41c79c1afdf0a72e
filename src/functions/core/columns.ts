import {
  type Column,
  ConstColumn,
  NullableColumn,
  NumericColumn,
  type NumericArray,
  StringColumn,
  NothingColumn,
} from '../../columns/column.js';
import { materialize } from '../../columns/ops.js';
import { createBuilder } from '../../columns/builder.js';
import { readValue, type Value } from '../../columns/values.js';
import { type DataType, nullableType, T } from '../../types/data-type.js';

/** Column access helpers for function kernels. */

export const TWO32 = 4294967296;

export function isConst(col: Column): col is ConstColumn {
  return col.kind === 'const';
}

/** The one-row column behind a ConstColumn, else the column itself. */
export function constInner(col: Column): Column {
  return col.kind === 'const' ? col.inner : col;
}

export function numericData(col: Column): NumericArray {
  const c = materialize(col);
  if (c.kind !== 'numeric') throw new Error(`expected a numeric column, got ${c.kind}`);
  return c.data;
}

export function stringColumn(col: Column): StringColumn {
  const c = materialize(col);
  if (c.kind !== 'string') throw new Error(`expected a string column, got ${c.kind}`);
  return c;
}

export function isBigArray(a: NumericArray): a is BigInt64Array | BigUint64Array {
  return a instanceof BigInt64Array || a instanceof BigUint64Array;
}

/**
 * A numeric typed array as doubles. 64-bit integer arrays are converted through their 32-bit halves (no
 * BigInt); `exact` is false when some value is beyond ±2^53 and so was rounded.
 */
export function toFloat64(a: NumericArray): { data: Float64Array; exact: boolean } {
  if (a instanceof Float64Array) return { data: a, exact: true };
  const n = a.length;
  const out = new Float64Array(n);
  if (a instanceof BigInt64Array) {
    const w = new Int32Array(a.buffer, a.byteOffset, n * 2);
    const u = new Uint32Array(a.buffer, a.byteOffset, n * 2);
    let exact = true;
    for (let i = 0; i < n; i++) {
      const hi = w[2 * i + 1]!;
      if (hi > 0x1fffff || hi < -0x200000) exact = false;
      out[i] = hi * TWO32 + u[2 * i]!;
    }
    return { data: out, exact };
  }
  if (a instanceof BigUint64Array) {
    const u = new Uint32Array(a.buffer, a.byteOffset, n * 2);
    let exact = true;
    for (let i = 0; i < n; i++) {
      const hi = u[2 * i + 1]!;
      if (hi > 0x1fffff) exact = false;
      out[i] = hi * TWO32 + u[2 * i]!;
    }
    return { data: out, exact };
  }
  out.set(a as Float32Array);
  return { data: out, exact: true };
}

/**
 * Writes integral doubles into a 64-bit integer array through its 32-bit halves (wrapping like C++ for
 * unsigned). Returns false (leaving `out` partly written) when a value is not a safe integer.
 */
export function float64ToInt64(src: Float64Array, out: BigInt64Array | BigUint64Array): boolean {
  const n = src.length;
  const u = new Uint32Array(out.buffer, out.byteOffset, n * 2);
  const w = new Int32Array(out.buffer, out.byteOffset, n * 2);
  for (let i = 0; i < n; i++) {
    const d = src[i]!;
    if (!(d <= 9007199254740991 && d >= -9007199254740991) || d !== Math.floor(d)) return false;
    u[2 * i] = d >>> 0;
    w[2 * i + 1] = Math.floor(d / TWO32);
  }
  return true;
}

/** Row values of any column as bigints (slow path for 64..256-bit arithmetic). */
export function toBigInts(col: Column): bigint[] {
  const c = materialize(col);
  if (c.kind === 'bignum') return c.data;
  if (c.kind !== 'numeric') throw new Error(`expected a numeric column, got ${c.kind}`);
  const a = c.data;
  const out: bigint[] = new Array(a.length);
  if (isBigArray(a)) for (let i = 0; i < a.length; i++) out[i] = a[i]!;
  else for (let i = 0; i < a.length; i++) out[i] = BigInt(Math.trunc(a[i] as number));
  return out;
}

/** Null map of a column (undefined when it has no NULLs representation). */
export function nullMapOf(col: Column): Uint8Array | undefined {
  if (col.kind === 'nullable') return col.nulls;
  return undefined;
}

/** A ConstColumn of `rows` rows holding NULL of a Nullable type. */
export function constNull(type: DataType, rows: number): Column {
  const t = type.kind === 'Nullable' ? type : nullableType(type);
  const b = createBuilder(t, 1);
  b.pushDefault();
  return new ConstColumn(b.build(), rows);
}

/** NULL of type Nullable(Nothing) for `rows` rows. */
export function nothingNulls(rows: number): Column {
  return new ConstColumn(new NullableColumn(new Uint8Array([1]), new NothingColumn(1)), rows);
}

export const NULLABLE_NOTHING = nullableType(T.Nothing);

/** Builds a column of `type` from values (row-wise; slow paths only). */
export function buildColumn(type: DataType, values: readonly Value[]): Column {
  const b = createBuilder(type, Math.max(1, values.length));
  for (const v of values) b.push(v);
  return b.build();
}

/** Returns `col` unchanged, or a ConstColumn over its single row when every input was constant. */
export function constOf(col: Column, rows: number): Column {
  if (col.kind === 'const') return col.rows === rows ? col : new ConstColumn(col.inner, rows);
  return new ConstColumn(col, rows);
}

/** Reads one value of an argument column, const-aware. */
export function valueAt(type: DataType, col: Column, row: number): Value {
  return col.kind === 'const' ? readValue(type, col.inner, 0) : readValue(type, col, row);
}

export function numericColumn(data: NumericArray): NumericColumn {
  return new NumericColumn(data);
}

/** Every arg is a ConstColumn. */
export function allConst(cols: readonly Column[]): boolean {
  for (const c of cols) if (c.kind !== 'const') return false;
  return cols.length > 0;
}

/** Strips ConstColumn to one-row inner columns (for computing a constant result once). */
export function constInners(cols: readonly Column[]): Column[] {
  return cols.map((c) => (c.kind === 'const' ? c.inner : c));
}
