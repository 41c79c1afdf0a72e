import type { Column } from '../../columns/column.js';

/** Compares row i with row j of the same column(s): negative, zero or positive. */
export type RowCompare = (i: number, j: number) => number;

function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const n = Math.min(ae - as, be - bs);
  for (let k = 0; k < n; k++) {
    const d = a[as + k]! - b[bs + k]!;
    if (d !== 0) return d;
  }
  return ae - as - (be - bs);
}

/**
 * Ascending comparator of one physical column: numbers numerically (NaN last), strings and fixed strings by
 * bytes, NULLs last, arrays and tuples lexicographically. Object columns compare equal.
 */
export function columnComparator(col: Column): RowCompare {
  switch (col.kind) {
    case 'numeric': {
      const d = col.data as Float64Array;
      return (i, j) => {
        const a = d[i]!;
        const b = d[j]!;
        if (a < b) return -1;
        if (a > b) return 1;
        if (a === b) return 0;
        return a !== a ? (b !== b ? 0 : 1) : -1; // NaN sorts last
      };
    }
    case 'bignum': {
      const d = col.data;
      return (i, j) => (d[i]! < d[j]! ? -1 : d[i]! > d[j]! ? 1 : 0);
    }
    case 'string': {
      const { chars, offsets } = col;
      return (i, j) => compareBytes(chars, offsets[i]!, offsets[i + 1]!, chars, offsets[j]!, offsets[j + 1]!);
    }
    case 'fixed': {
      const { data, width } = col;
      return (i, j) => compareBytes(data, i * width, i * width + width, data, j * width, j * width + width);
    }
    case 'nullable': {
      const nulls = col.nulls;
      const inner = columnComparator(col.inner);
      return (i, j) => {
        const ni = nulls[i]!;
        const nj = nulls[j]!;
        if (ni || nj) return ni - nj;
        return inner(i, j);
      };
    }
    case 'array': {
      const { offsets } = col;
      const inner = columnComparator(col.inner);
      return (i, j) => {
        const as = offsets[i]!;
        const ae = offsets[i + 1]!;
        const bs = offsets[j]!;
        const be = offsets[j + 1]!;
        const n = Math.min(ae - as, be - bs);
        for (let k = 0; k < n; k++) {
          const d = inner(as + k, bs + k);
          if (d !== 0) return d;
        }
        return ae - as - (be - bs);
      };
    }
    case 'tuple':
      return keyComparator(col.columns);
    case 'const':
      return () => 0;
    case 'object':
    case 'nothing':
      return () => 0;
  }
}

/** Lexicographic comparator over several key columns. */
export function keyComparator(cols: readonly Column[]): RowCompare {
  const cmps = cols.map(columnComparator);
  if (cmps.length === 0) return () => 0;
  if (cmps.length === 1) return cmps[0]!;
  if (cmps.length === 2) {
    const [a, b] = cmps as [RowCompare, RowCompare];
    return (i, j) => a(i, j) || b(i, j);
  }
  return (i, j) => {
    for (const c of cmps) {
      const d = c(i, j);
      if (d !== 0) return d;
    }
    return 0;
  };
}

/**
 * Integer keys (DateTime, ids): packs (key − min) · 2^b + row into one double and sorts with the native
 * comparator-free sort, several times faster than a comparator. Stable, since the row index breaks ties.
 * Returns null when the keys are not integers or the packing would not be exact (beyond 2^53).
 */
function packedIntegerSort(k: Float64Array, rows: number): Uint32Array | null {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < rows; i++) {
    const x = k[i]!;
    if (!Number.isInteger(x)) return null;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const bits = Math.max(1, Math.ceil(Math.log2(rows + 1)));
  const scale = 2 ** bits;
  if ((max - min + 1) * scale > Number.MAX_SAFE_INTEGER) return null;
  const packed = new Float64Array(rows);
  for (let i = 0; i < rows; i++) packed[i] = (k[i]! - min) * scale + i;
  packed.sort();
  const perm = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) perm[i] = packed[i]! % scale;
  return perm;
}

/** True when rows are already in ascending key order. */
export function isSorted(cmp: RowCompare, rows: number): boolean {
  for (let i = 1; i < rows; i++) if (cmp(i - 1, i) > 0) return false;
  return true;
}

/**
 * A stable ascending permutation of the rows by the key columns (ties keep their input order), or null when
 * the rows are already sorted.
 */
export function sortPermutation(keys: readonly Column[], rows: number): Uint32Array | null {
  const cmp = keyComparator(keys);
  if (isSorted(cmp, rows)) return null;
  const perm = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) perm[i] = i;
  const only = keys.length === 1 ? keys[0]! : undefined;
  if (only && only.kind === 'numeric' && !(only.data instanceof BigInt64Array || only.data instanceof BigUint64Array)) {
    // Monomorphic fast path: a Float64 copy of the key (exact for every non-64-bit numeric type).
    const k = Float64Array.from(only.data as Float64Array);
    const packed = packedIntegerSort(k, rows);
    if (packed) return packed;
    let hasNaN = false;
    for (let i = 0; i < rows; i++) if (k[i] !== k[i]) hasNaN = true;
    if (!hasNaN) return perm.sort((a, b) => k[a]! - k[b]! || a - b);
  }
  return perm.sort((a, b) => cmp(a, b) || a - b);
}
