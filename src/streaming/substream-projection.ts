import { Block, type Header } from '../core/block.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import { concatColumns, takeColumn } from '../columns/ops.js';
import { makeGroupIndex, type GroupIndex } from '../exec/operators/aggregate.js';
import type { PlanNode } from '../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../exec/query-context.js';

/**
 * The SELECT list of a non-aggregating streaming query with `PARTITION BY` (Proton's substreams): stateful
 * functions such as `lag()` keep their state per substream, so each substream gets its own compiled copy of the
 * expressions. Rows keep their order.
 */
export class SubstreamProjectionNode implements PlanNode {
  readonly children: PlanNode[];
  readonly unbounded: boolean;

  constructor(
    readonly input: PlanNode,
    private readonly keys: readonly CompiledExpr[],
    /** Compiles a fresh copy of the projection (new function state). */
    private readonly compile: () => CompiledExpr[],
    readonly header: Header,
  ) {
    this.children = [input];
    this.unbounded = !!input.unbounded;
  }

  describe(): string {
    return `SubstreamProjection (by ${this.keys.map((k) => k.name).join(', ')}: ${this.header.map((c) => c.name).join(', ')})`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const index: GroupIndex = makeGroupIndex(this.keys.map((k) => k.type));
    const perSubstream: CompiledExpr[][] = [];
    for await (const block of this.input.run(ctx)) {
      checkCancelled(ctx);
      const rows = block.rows;
      if (!rows) continue;
      const ids = new Uint32Array(rows);
      index.assign(this.keys.map((k) => k.eval(block, ctx.fn)), rows, ids);
      while (perSubstream.length < index.size) perSubstream.push(this.compile());
      // Rows of each substream, in order; then every substream's results put back in the block's row order.
      const rowsOf = new Map<number, number[]>();
      for (let i = 0; i < rows; i++) {
        const list = rowsOf.get(ids[i]!);
        if (list) list.push(i);
        else rowsOf.set(ids[i]!, [i]);
      }
      if (rowsOf.size === 1) {
        yield new Block(this.header, perSubstream[ids[0]!]!.map((e) => e.eval(block, ctx.fn)), rows);
        continue;
      }
      const parts: ReturnType<CompiledExpr['eval']>[][] = [];
      const position = new Uint32Array(rows);
      let at = 0;
      for (const [g, list] of rowsOf) {
        const idx = Uint32Array.from(list);
        const sub = new Block(block.header, block.columns.map((c) => takeColumn(c, idx)), idx.length);
        parts.push(perSubstream[g]!.map((e) => e.eval(sub, ctx.fn)));
        for (const r of list) position[r] = at++;
      }
      const columns = this.header.map((_, j) => takeColumn(concatColumns(parts.map((p) => p[j]!)), position));
      yield new Block(this.header, columns, rows);
    }
  }
}
