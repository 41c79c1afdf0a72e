import { Block, type Header } from '../../core/block.js';
import type { CompiledExpr } from '../../analyzer/compiled-expr.js';
import type { Column } from '../../columns/column.js';
import { isUnbounded, type PlanNode } from '../../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../query-context.js';
import { DbError } from '../../errors/index.js';
import { baseType } from '../../types/data-type.js';

/** Turns a predicate column into a 0/1 mask: non-zero and not NULL passes. */
export function predicateMask(col: Column, rows: number): { mask: Uint8Array; count: number } | 'all' | 'none' {
  if (col.kind === 'const') {
    const m = predicateMask(col.inner, 1);
    if (m === 'all' || m === 'none') return m;
    return m.count ? 'all' : 'none';
  }
  const mask = new Uint8Array(rows);
  let count = 0;
  if (col.kind === 'numeric') {
    const d = col.data as Float64Array;
    if (typeof (d as unknown as BigInt64Array)[0] === 'bigint') {
      const b = col.data as BigInt64Array;
      for (let i = 0; i < rows; i++) if (b[i] !== 0n) (mask[i] = 1), count++;
    } else {
      for (let i = 0; i < rows; i++) if (d[i] !== 0) (mask[i] = 1), count++;
    }
  } else if (col.kind === 'nullable') {
    const inner = predicateMask(col.inner, rows);
    if (inner === 'none') return 'none';
    for (let i = 0; i < rows; i++) {
      const pass = !col.nulls[i] && (inner === 'all' || inner.mask[i]);
      if (pass) (mask[i] = 1), count++;
    }
  } else if (col.kind === 'nothing') {
    return 'none';
  } else {
    throw new Error(`Illegal type of filter column`);
  }
  if (count === rows) return 'all';
  if (count === 0) return 'none';
  return { mask, count };
}

export class FilterNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  /** Over a stream (through windows and other operators), where empty blocks carry signals. */
  private readonly streaming: boolean;
  constructor(
    readonly input: PlanNode,
    readonly predicate: CompiledExpr,
    readonly label = 'Filter',
  ) {
    this.children = [input];
    this.header = input.header;
    this.streaming = isUnbounded(input);
    const t = baseType(predicate.type);
    if (!/^(U?Int(8|16|32|64)|Bool|Float(32|64)|Nothing)$/.test(t.kind)) {
      throw new DbError('ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER', `Illegal type ${predicate.type.name} of column ${predicate.name} for filter. Must be UInt8 or Nullable(UInt8).`);
    }
  }
  describe(): string {
    return `${this.label} (${this.predicate.name})`;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    for await (const block of this.input.run(ctx)) {
      checkCancelled(ctx);
      if (block.rows === 0) {
        // Streaming sources send an empty block as a signal (end of backfill): pass it on.
        if (this.streaming || ctx.progress.backfillsDone) yield block;
        continue;
      }
      const m = predicateMask(this.predicate.eval(block, ctx.fn), block.rows);
      if (m === 'none') {
        // Over a stream the block still moved the watermark below (a WHERE on window_end drops every row of a
        // block whose events close windows): an empty block lets the aggregation above close them now.
        if (this.streaming) yield Block.empty(this.header);
        continue;
      }
      if (m === 'all') yield block;
      else yield block.filter(m.mask, m.count);
    }
  }
}

/** Computes expressions over each block: the projection step. */
export class ExpressionNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  constructor(
    readonly input: PlanNode,
    readonly exprs: readonly CompiledExpr[],
    readonly names: readonly string[],
    readonly label = 'Expression',
  ) {
    this.children = [input];
    this.header = exprs.map((e, i) => ({ name: names[i]!, type: e.type }));
  }
  describe(): string {
    return `${this.label} (${this.names.join(', ')})`;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    for await (const block of this.input.run(ctx)) {
      if (block.rows === 0) continue;
      const cols = this.exprs.map((e) => e.eval(block, ctx.fn));
      yield new Block(this.header, cols, block.rows);
    }
  }
}

/** Keeps a subset of columns by index (drops ORDER BY helper columns after sorting). */
export class SelectColumnsNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  constructor(
    readonly input: PlanNode,
    readonly indices: readonly number[],
  ) {
    this.children = [input];
    this.header = indices.map((i) => input.header[i]!);
  }
  describe(): string {
    return `Project (${this.header.map((c) => c.name).join(', ')})`;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    for await (const block of this.input.run(ctx)) {
      yield new Block(this.header, this.indices.map((i) => block.columns[i]!), block.rows);
    }
  }
}
