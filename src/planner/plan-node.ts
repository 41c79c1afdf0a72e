import type { Block, Header } from '../core/block.js';
import type { QueryContext } from '../exec/query-context.js';

/** A step of a physical plan: immutable configuration plus `run`, which produces the step's blocks. */
export interface PlanNode {
  readonly header: Header;
  readonly children: readonly PlanNode[];
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
