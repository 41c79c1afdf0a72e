import { Block, concatBlocks, type Header } from '../../core/block.js';
import type { Column } from '../../columns/column.js';
import { materialize } from '../../columns/ops.js';
import { readValue } from '../../columns/values.js';
import type { DataType } from '../../types/data-type.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { checkCancelled, settingNumber, type QueryContext } from '../query-context.js';
import { DbError } from '../../errors/index.js';

export interface SortKey {
  readonly column: number;
  readonly descending: boolean;
  /** NULLs (and NaNs) first; ClickHouse's default is last. */
  readonly nullsFirst: boolean;
}

type Cmp = (a: number, b: number) => number;

function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const n = la < lb ? la : lb;
  for (let i = 0; i < n; i++) {
    const d = a[as + i]! - b[bs + i]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

function compareValues(x: unknown, y: unknown): number {
  if (x === y) return 0;
  if (x === null) return 1;
  if (y === null) return -1;
  if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'string' && typeof y === 'string') return Buffer.compare(Buffer.from(x), Buffer.from(y));
  if (x instanceof Uint8Array && y instanceof Uint8Array) return Buffer.compare(x, y);
  if (Array.isArray(x) && Array.isArray(y)) {
    const n = Math.min(x.length, y.length);
    for (let i = 0; i < n; i++) {
      const c = compareValues(x[i], y[i]);
      if (c) return c;
    }
    return x.length - y.length;
  }
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}

/** A comparator of two rows of one column, ascending, NULLs/NaNs last (direction applied by the caller). */
export function columnComparator(col: Column, type: DataType, nullsFirst: boolean, descending: boolean): Cmp {
  const dir = descending ? -1 : 1;
  // NULL placement is independent of direction: undo `dir` for it.
  const nullOrder = nullsFirst ? -1 : 1;
  switch (col.kind) {
    case 'numeric': {
      const d = col.data;
      if (d instanceof BigInt64Array || d instanceof BigUint64Array) return (a, b) => (d[a]! < d[b]! ? -dir : d[a]! > d[b]! ? dir : 0);
      const f = d as Float64Array;
      return (a, b) => {
        const x = f[a]!;
        const y = f[b]!;
        if (x < y) return -dir;
        if (x > y) return dir;
        if (x === y) return 0;
        const xn = x !== x;
        const yn = y !== y;
        if (xn && yn) return 0;
        return xn ? nullOrder : -nullOrder;
      };
    }
    case 'string': {
      const { chars, offsets } = col;
      return (a, b) => dir * compareBytes(chars, offsets[a]!, offsets[a + 1]!, chars, offsets[b]!, offsets[b + 1]!);
    }
    case 'fixed': {
      const { data, width } = col;
      return (a, b) => dir * compareBytes(data, a * width, a * width + width, data, b * width, b * width + width);
    }
    case 'nullable': {
      const inner = columnComparator(col.inner, type.kind === 'Nullable' ? type.inner : type, nullsFirst, descending);
      const nulls = col.nulls;
      return (a, b) => {
        const na = nulls[a]!;
        const nb = nulls[b]!;
        if (na || nb) return na && nb ? 0 : na ? nullOrder : -nullOrder;
        return inner(a, b);
      };
    }
    default:
      return (a, b) => {
        const x = readValue(type, col, a);
        const y = readValue(type, col, b);
        if (x === null || y === null) return x === y ? 0 : x === null ? nullOrder : -nullOrder;
        return dir * compareValues(x, y);
      };
  }
}

export function sortPermutation(block: Block, keys: readonly SortKey[]): Uint32Array {
  const cmps = keys.map((k) =>
    columnComparator(materialize(block.columns[k.column]!), block.header[k.column]!.type, k.nullsFirst, k.descending),
  );
  const perm = new Uint32Array(block.rows);
  for (let i = 0; i < perm.length; i++) perm[i] = i;
  if (cmps.length === 1) {
    const c = cmps[0]!;
    return perm.sort(c);
  }
  return perm.sort((a, b) => {
    for (let i = 0; i < cmps.length; i++) {
      const r = cmps[i]!(a, b);
      if (r !== 0) return r;
    }
    return 0;
  });
}

/** ORDER BY: gathers its input, sorts it, emits it in blocks. `limit` bounds what is kept (top-N). */
export class SortNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  constructor(
    readonly input: PlanNode,
    readonly keys: readonly SortKey[],
    readonly limit?: number,
  ) {
    this.children = [input];
    this.header = input.header;
  }
  describe(): string {
    return `Sorting (${this.keys.map((k) => `${this.header[k.column]!.name} ${k.descending ? 'DESC' : 'ASC'}`).join(', ')})${this.limit !== undefined ? ` limit ${this.limit}` : ''}`;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const blocks: Block[] = [];
    let rows = 0;
    for await (const b of this.input.run(ctx)) {
      checkCancelled(ctx);
      if (!b.rows) continue;
      blocks.push(b.materialized());
      rows += b.rows;
      const maxRows = settingNumber(ctx.settings, 'max_rows_to_sort', 0);
      if (maxRows > 0 && rows > maxRows && ctx.settings.get('sort_overflow_mode') !== 'break') {
        throw new DbError('TOO_MANY_ROWS_OR_BYTES', `Limit for rows to sort exceeded: ${rows} rows, maximum: ${maxRows}`);
      }
      // Top-N: periodically shrink to the best `limit` rows.
      if (this.limit !== undefined && rows > Math.max(this.limit * 4, 65536)) {
        const all = concatBlocks(this.header, blocks);
        const perm = sortPermutation(all, this.keys).subarray(0, this.limit);
        blocks.length = 0;
        blocks.push(all.take(perm));
        rows = perm.length;
      }
    }
    if (!blocks.length) return;
    const all = concatBlocks(this.header, blocks);
    let perm = sortPermutation(all, this.keys);
    if (this.limit !== undefined) perm = perm.subarray(0, this.limit);
    const step = ctx.blockRows;
    for (let i = 0; i < perm.length; i += step) {
      checkCancelled(ctx);
      yield all.take(perm.subarray(i, i + step));
    }
  }
}
