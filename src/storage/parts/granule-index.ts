import type { Column } from '../../columns/column.js';
import type { RangeHint } from '../table-storage.js';

/**
 * Per-granule min/max of numeric columns (the sort key and the time column): the sparse primary / minmax index
 * that lets a range filter skip granules. `null` min/max marks a granule without comparable values (all NULL or
 * NaN): no row of it can satisfy a range.
 */
export interface GranuleMinMax {
  readonly column: string;
  readonly min: (number | null)[];
  readonly max: (number | null)[];
}

/** True when the column's physical layout can be indexed (numbers, possibly Nullable). */
export function indexable(col: Column): boolean {
  return col.kind === 'numeric' || (col.kind === 'nullable' && col.inner.kind === 'numeric');
}

/** Appends min/max of rows [start, end) of each granule of `granuleRows` to `into`. */
export function appendGranuleMinMax(col: Column, rows: number, granuleRows: number, into: GranuleMinMax): void {
  const nulls = col.kind === 'nullable' ? col.nulls : undefined;
  const inner = col.kind === 'nullable' ? col.inner : col;
  if (inner.kind !== 'numeric') return;
  const d = inner.data;
  const big = d instanceof BigInt64Array || d instanceof BigUint64Array;
  for (let g = 0; g < rows; g += granuleRows) {
    const end = Math.min(rows, g + granuleRows);
    let lo = Infinity;
    let hi = -Infinity;
    if (big) {
      for (let i = g; i < end; i++) {
        if (nulls && nulls[i]) continue;
        const v = Number(d[i]!);
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      // Number(bigint) rounds to nearest: widen by one ulp so the bounds stay conservative.
      if (lo <= hi && !Number.isSafeInteger(lo)) lo -= Math.abs(lo) * 2 ** -52;
      if (lo <= hi && !Number.isSafeInteger(hi)) hi += Math.abs(hi) * 2 ** -52;
    } else {
      const f = d as Float64Array;
      for (let i = g; i < end; i++) {
        if (nulls && nulls[i]) continue;
        const v = f[i]!;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    into.min.push(lo <= hi ? lo : null);
    into.max.push(lo <= hi ? hi : null);
  }
}

/**
 * Which granules may hold rows matching every hint on an indexed column (1 = read). Hints on columns without an
 * index are ignored. Returns undefined when every granule must be read.
 */
export function selectGranules(index: readonly GranuleMinMax[], granules: number, ranges: readonly RangeHint[] | undefined): Uint8Array | undefined {
  if (!ranges || ranges.length === 0) return undefined;
  let mask: Uint8Array | undefined;
  for (const r of ranges) {
    const ix = index.find((x) => x.column === r.column);
    if (!ix || (r.min === undefined && r.max === undefined)) continue;
    mask ??= new Uint8Array(granules).fill(1);
    for (let g = 0; g < granules; g++) {
      if (!mask[g]) continue;
      const lo = ix.min[g];
      const hi = ix.max[g];
      if (lo === null || hi === null || lo === undefined || hi === undefined) {
        mask[g] = 0;
        continue;
      }
      if ((r.min !== undefined && hi < r.min) || (r.max !== undefined && lo > r.max)) mask[g] = 0;
    }
  }
  return mask;
}
