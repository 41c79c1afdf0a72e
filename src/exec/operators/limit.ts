import { Block, type Header } from '../../core/block.js';
import type { PlanNode } from '../../planner/plan-node.js';
import type { QueryContext } from '../query-context.js';
import { readValue } from '../../columns/values.js';
import { valueKey } from '../../analyzer/in-set.js';
import { materialize } from '../../columns/ops.js';
import type { SortKey } from './sort.js';

/** LIMIT n OFFSET m: stops pulling from its input once satisfied, which ends unbounded sources. */
export class LimitNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  /** Rows seen before the limit applied (for JSON's rows_before_limit_at_least). */
  rowsBefore = 0;
  constructor(
    readonly input: PlanNode,
    readonly limit: number,
    readonly offset: number,
    /** WITH TIES: rows equal to the last one on these sort keys are kept too. */
    readonly ties?: readonly SortKey[],
  ) {
    this.children = [input];
    this.header = input.header;
  }
  describe(): string {
    return `Limit (${this.limit}${this.offset ? ` offset ${this.offset}` : ''}${this.ties ? ' with ties' : ''})`;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    let skip = this.offset;
    let left = this.limit;
    if (left <= 0) return;
    const tieCols = this.ties?.map((k) => k.column);
    /** After the limit is reached WITH TIES: the last row's key; rows equal to it still pass. */
    let tie: string | number | undefined;
    for await (const block of this.input.run(ctx)) {
      this.rowsBefore += block.rows;
      let b = block;
      if (tie !== undefined) {
        const key = rowKeyFn(b, tieCols!);
        let end = 0;
        while (end < b.rows && key(end) === tie) end++;
        if (end) yield b.slice(0, end);
        if (end < b.rows) return;
        continue;
      }
      if (skip > 0) {
        if (b.rows <= skip) {
          skip -= b.rows;
          continue;
        }
        b = b.slice(skip, b.rows);
        skip = 0;
      }
      if (b.rows >= left) {
        if (!tieCols?.length) {
          yield b.slice(0, left);
          return;
        }
        const key = rowKeyFn(b, tieCols);
        tie = key(left - 1);
        let end = left;
        while (end < b.rows && key(end) === tie) end++;
        yield b.slice(0, end);
        if (end < b.rows) return;
        continue;
      }
      left -= b.rows;
      yield b;
    }
  }
}

/** Row key over several columns, for DISTINCT and LIMIT BY. */
export function rowKeyFn(block: Block, indices: readonly number[]): (row: number) => string | number {
  const cols = indices.map((i) => materialize(block.columns[i]!));
  const types = indices.map((i) => block.header[i]!.type);
  if (cols.length === 1) {
    const c = cols[0]!;
    if (c.kind === 'numeric' && !(c.data instanceof BigInt64Array) && !(c.data instanceof BigUint64Array)) {
      const d = c.data as Float64Array;
      return (r) => d[r]!;
    }
    if (c.kind === 'string') return (r) => c.stringAt(r);
    return (r) => valueKey(readValue(types[0]!, c, r));
  }
  return (r) => {
    let k = '';
    for (let j = 0; j < cols.length; j++) k += String(valueKey(readValue(types[j]!, cols[j]!, r))) + '\u0002';
    return k;
  };
}

export class DistinctNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  constructor(
    readonly input: PlanNode,
    readonly columns: readonly number[],
  ) {
    this.children = [input];
    this.header = input.header;
  }
  describe(): string {
    return 'Distinct';
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const seen = new Set<string | number>();
    for await (const block of this.input.run(ctx)) {
      const key = rowKeyFn(block, this.columns);
      const mask = new Uint8Array(block.rows);
      let count = 0;
      for (let r = 0; r < block.rows; r++) {
        const k = key(r);
        if (!seen.has(k)) {
          seen.add(k);
          mask[r] = 1;
          count++;
        }
      }
      if (count) yield block.filter(mask, count);
    }
  }
}

/** LIMIT n [OFFSET m] BY cols: at most n rows per distinct value of cols. */
export class LimitByNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  constructor(
    readonly input: PlanNode,
    readonly limit: number,
    readonly offset: number,
    readonly columns: readonly number[],
  ) {
    this.children = [input];
    this.header = input.header;
  }
  describe(): string {
    return `LimitBy (${this.limit})`;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const counts = new Map<string | number, number>();
    for await (const block of this.input.run(ctx)) {
      const key = rowKeyFn(block, this.columns);
      const mask = new Uint8Array(block.rows);
      let count = 0;
      for (let r = 0; r < block.rows; r++) {
        const k = key(r);
        const c = counts.get(k) ?? 0;
        counts.set(k, c + 1);
        if (c >= this.offset && c < this.offset + this.limit) {
          mask[r] = 1;
          count++;
        }
      }
      if (count) yield block.filter(mask, count);
    }
  }
}

/** UNION ALL: the branches one after another, cast to a common header by the planner. */
export class UnionAllNode implements PlanNode {
  readonly header: Header;
  constructor(readonly children: PlanNode[]) {
    this.header = children[0]!.header;
  }
  describe(): string {
    return 'Union';
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    for (const c of this.children) {
      for await (const b of c.run(ctx)) yield new Block(this.header, b.columns, b.rows);
    }
  }
}

/** EXCEPT / INTERSECT (DISTINCT semantics unless ALL is given, as ClickHouse). */
export class SetOperationNode implements PlanNode {
  readonly header: Header;
  readonly children: PlanNode[];
  constructor(
    readonly left: PlanNode,
    readonly right: PlanNode,
    readonly op: 'EXCEPT' | 'INTERSECT',
    readonly distinct: boolean,
  ) {
    this.children = [left, right];
    this.header = left.header;
  }
  describe(): string {
    return this.op;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const all = this.header.map((_, i) => i);
    const rightKeys = new Set<string | number>();
    for await (const b of this.right.run(ctx)) {
      const key = rowKeyFn(b, all);
      for (let r = 0; r < b.rows; r++) rightKeys.add(key(r));
    }
    const emitted = new Set<string | number>();
    for await (const b of this.left.run(ctx)) {
      const key = rowKeyFn(b, all);
      const mask = new Uint8Array(b.rows);
      let count = 0;
      for (let r = 0; r < b.rows; r++) {
        const k = key(r);
        const inRight = rightKeys.has(k);
        if ((this.op === 'EXCEPT') === inRight) continue;
        if (this.distinct) {
          if (emitted.has(k)) continue;
          emitted.add(k);
        }
        mask[r] = 1;
        count++;
      }
      if (count) yield new Block(this.header, b.filter(mask, count).columns, count);
    }
  }
}
