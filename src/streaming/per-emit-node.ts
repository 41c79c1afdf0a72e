import type { Block, Header } from '../core/block.js';
import type { PlanNode } from '../planner/plan-node.js';
import type { QueryContext } from '../exec/query-context.js';

/** One block handed to an operator as its whole input. */
class OneBlockSource implements PlanNode {
  readonly children = [];
  block: Block | undefined;
  constructor(readonly header: Header) {}
  describe(): string {
    return 'EmittedBlock';
  }
  async *run(): AsyncIterable<Block> {
    if (this.block) yield this.block;
  }
}

/**
 * Runs a bounded operator (ORDER BY, LIMIT BY) over each block of an unbounded input separately: a streaming
 * aggregation emits each result as one block, so the operator applies per emission, as Proton's do.
 */
export class PerEmitNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  private readonly source: OneBlockSource;
  private readonly inner: PlanNode;

  constructor(
    readonly input: PlanNode,
    makeInner: (source: PlanNode) => PlanNode,
  ) {
    this.children = [input];
    this.source = new OneBlockSource(input.header);
    this.inner = makeInner(this.source);
    this.header = this.inner.header;
  }

  describe(): string {
    return `PerEmit (${this.inner.describe()})`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    for await (const block of this.input.run(ctx)) {
      if (!block.rows) continue;
      this.source.block = block;
      for await (const out of this.inner.run(ctx)) if (out.rows) yield out;
      this.source.block = undefined;
    }
  }
}
