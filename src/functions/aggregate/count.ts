import { type Column, NumericColumn } from '../../columns/column.js';
import { T } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor, AggregateStates } from '../function.js';
import { float64ToInt64 } from '../core/columns.js';
import { bytesF64, f64Bytes, growFloat64 } from './columnar.js';

/**
 * count(), count(x) (non-NULL rows of x), count(*). Counts are doubles (exact to 2^53) in one Float64Array
 * indexed by group id; NULL handling is done here so no column is filtered.
 */
export class CountStates implements AggregateStates {
  counts: Float64Array = new Float64Array(16);

  resize(groups: number): void {
    if (groups > this.counts.length) this.counts = growFloat64(this.counts, groups);
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const c = this.counts;
    const nulls = nullMap(args);
    if (nulls === 'all') return;
    if (nulls) {
      for (let i = 0; i < rows; i++) if (nulls[i] === 0) c[groupIds[i]!]!++;
      return;
    }
    for (let i = 0; i < rows; i++) c[groupIds[i]!]!++;
  }

  addAll(args: Column[], rows: number): void {
    this.resize(1);
    const nulls = nullMap(args);
    if (nulls === 'all') return;
    if (nulls) {
      let n = 0;
      for (let i = 0; i < rows; i++) if (nulls[i] === 0) n++;
      this.counts[0]! += n;
    } else this.counts[0]! += rows;
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    this.resize(dst + 1);
    this.counts[dst]! += (other as CountStates).counts[src] ?? 0;
  }

  finalize(groups: number): Column {
    this.resize(groups);
    const out = new BigUint64Array(groups);
    float64ToInt64(this.counts.subarray(0, groups), out);
    return new NumericColumn(out);
  }

  getState(group: number): unknown {
    this.resize(group + 1);
    return this.counts[group]!;
  }

  mergeState(group: number, state: unknown): void {
    this.resize(group + 1);
    this.counts[group]! += state as number;
  }

  serializeState(group: number): Uint8Array {
    this.resize(group + 1);
    return f64Bytes(this.counts[group]!);
  }

  deserializeState(bytes: Uint8Array): unknown {
    return bytesF64(bytes)[0] ?? 0;
  }
}

/** The null map of count's argument: undefined (no NULLs possible), 'all' (a NULL constant), or per row. */
function nullMap(args: Column[]): Uint8Array | 'all' | undefined {
  const a = args[0];
  if (!a) return undefined;
  if (a.kind === 'nullable') return a.nulls;
  if (a.kind === 'const' && a.inner.kind === 'nullable') return a.inner.nulls[0] ? 'all' : undefined;
  if (a.kind === 'nothing' || (a.kind === 'const' && a.inner.kind === 'nothing')) return 'all';
  return undefined;
}

export const count: AggregateFunctionDescriptor = {
  name: 'count',
  caseInsensitive: true,
  handlesNulls: true,
  nullResultNotNullable: true,
  category: 'Aggregate',
  description: 'Number of rows, or of rows where the argument is not NULL',
  syntax: 'count(), count(*), count(x), count(DISTINCT x)',
  returnedValue: 'UInt64',
  resolve(_params, argTypes) {
    if (argTypes.length > 1) {
      // count(a, b): rows where no argument is NULL — ClickHouse counts rows; keep the first argument's NULLs
    }
    return { returnType: T.UInt64, createStates: () => new CountStates() };
  },
};
