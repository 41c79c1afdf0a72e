import { ArrayColumn, type Column, ConstColumn } from '../../columns/column.js';
import { concatColumns, defaultColumn, materialize, takeColumn } from '../../columns/ops.js';
import type { DataType } from '../../types/data-type.js';

/** An Array (or Map) argument as a plain ArrayColumn of `rows` rows. */
export function arrayArg(col: Column, rows: number): ArrayColumn {
  if (col.kind === 'const') {
    const inner = col.inner as ArrayColumn;
    return materialize(new ConstColumn(inner, rows)) as ArrayColumn;
  }
  if (col.kind !== 'array') throw new Error(`expected an array column, got ${col.kind}`);
  return col;
}

/** For each element of an ArrayColumn, the row it belongs to. */
export function rowOfElements(a: ArrayColumn, rows: number): Uint32Array {
  const base = a.offsets[0]!;
  const out = new Uint32Array(a.offsets[rows]! - base);
  for (let i = 0; i < rows; i++) out.fill(i, a.offsets[i]! - base, a.offsets[i + 1]! - base);
  return out;
}

/** Offsets rebased to start at 0 (slices of columns may start elsewhere). */
export function rebasedOffsets(a: ArrayColumn): Uint32Array {
  const base = a.offsets[0]!;
  if (base === 0) return a.offsets;
  return a.offsets.map((o) => o - base);
}

/**
 * Gathers elements by index from `inner`; `-1` picks the element type's default (out-of-range
 * arrayElement, arrayFirst with no match).
 */
export function takeOrDefault(inner: Column, elementType: DataType, idx: Int32Array): Column {
  let missing = false;
  for (let i = 0; i < idx.length; i++) if (idx[i]! < 0) missing = true;
  if (!missing) return takeColumn(inner, idx);
  const withDefault = concatColumns([inner, defaultColumn(elementType, 1)]);
  const at = inner.length;
  const fixed = new Uint32Array(idx.length);
  for (let i = 0; i < idx.length; i++) fixed[i] = idx[i]! < 0 ? at : idx[i]!;
  return takeColumn(withDefault, fixed);
}

/** An ArrayColumn from per-row element index lists into `inner`. */
export function arrayFromIndices(inner: Column, offsets: Uint32Array, idx: Uint32Array): ArrayColumn {
  return new ArrayColumn(offsets, takeColumn(inner, idx));
}
