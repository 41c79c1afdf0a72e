import type { Block, Header } from '../core/block.js';
import type { QueryContext } from '../exec/query-context.js';

/** A step of a physical plan: immutable configuration plus `run`, which produces the step's blocks. */
export interface PlanNode {
  readonly header: Header;
  readonly children: readonly PlanNode[];
  /**
   * Set on sources that never end by themselves (a stream tailed from its log, a random stream): the query is a
   * streaming query, and operators above it emit incrementally instead of waiting for the end of input.
   */
  readonly unbounded?: boolean;
  /** One line for EXPLAIN. */
  describe(): string;
  run(ctx: QueryContext): AsyncIterable<Block>;
}

export function explainPlan(node: PlanNode, indent = 0): string[] {
  const lines = [`${'  '.repeat(indent)}${node.describe()}`];
  for (const c of node.children) lines.push(...explainPlan(c, indent + 1));
  return lines;
}

/** Runs a plan to completion and returns all blocks (subqueries, IN sets, join build sides). */
export async function collectBlocks(node: PlanNode, ctx: QueryContext): Promise<Block[]> {
  const out: Block[] = [];
  for await (const b of node.run(ctx)) if (b.rows > 0) out.push(b);
  return out;
}

/** True when the plan reads an unbounded source anywhere below it. */
export function isUnbounded(node: PlanNode): boolean {
  return node.unbounded === true || node.children.some(isUnbounded);
}
