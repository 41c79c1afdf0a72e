import { Block } from '../../core/block.js';
import type { Column } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import type { DataType } from '../../types/data-type.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { DbError } from '../../errors/index.js';
import { StreamingScan } from '../stream-scan.js';
import { ChangelogConvertNode } from '../changelog/changelog-convert.js';
import { StreamingAggregateNode } from '../streaming-aggregate.js';
import { SessionAggregateNode } from '../session-window.js';
import { DedupNode } from '../dedup.js';
import { StreamingJoinNode } from './streaming-join.js';

export function collectNodes<T>(node: PlanNode, cls: abstract new (...a: never[]) => T, out: T[] = []): T[] {
  if (node instanceof cls) out.push(node);
  for (const c of node.children) collectNodes(c, cls, out);
  return out;
}

/** The stateful parts of a query over one streaming join, as a checkpoint captures them (SUBSCRIBE, materialized views). */
export interface JoinPlan {
  readonly join: StreamingJoinNode;
  /** The streams read by the join's left and right side. */
  readonly sides: readonly [readonly StreamingScan[], readonly StreamingScan[]];
  /** Every stream, left side first (the checkpoint's order). */
  readonly scans: readonly StreamingScan[];
  /** A global aggregation above the join, if any. */
  readonly aggregate?: StreamingAggregateNode;
  readonly converts: readonly ChangelogConvertNode[];
}

/**
 * The shapes over a join whose state a checkpoint captures exactly: one streaming join holding every stream of
 * the query, at most a global aggregation above it, no other stateful streaming operator. Anything else is
 * refused with `unsupported(what)`.
 */
export function joinPlanOf(node: PlanNode, unsupported: (what: string) => DbError): JoinPlan {
  const joins = collectNodes(node, StreamingJoinNode);
  if (joins.length !== 1) throw unsupported('more than one streaming join');
  const aggregates = collectNodes(node, StreamingAggregateNode);
  if (aggregates.length > 1) throw unsupported('more than one streaming aggregation');
  const aggregate = aggregates[0];
  if (aggregate && (aggregate.windowed || collectNodes(aggregate, StreamingJoinNode).length === 0)) throw unsupported('a windowed aggregation or one beside a streaming join');
  if (collectNodes(node, SessionAggregateNode).length) throw unsupported('session windows');
  if (collectNodes(node, DedupNode).length) throw unsupported('dedup()');
  const join = joins[0]!;
  const sides = [collectNodes(join.left, StreamingScan), collectNodes(join.right, StreamingScan)] as const;
  const scans = [...sides[0], ...sides[1]];
  if (collectNodes(node, StreamingScan).length !== scans.length) throw unsupported('streams outside the join');
  return { join, sides, scans, aggregate, converts: collectNodes(node, ChangelogConvertNode) };
}

/**
 * Per stream of a join, the position through which its events are in the join's state. Each tail reports
 * positions (non-history) before handing over the block they belong to; a side's positions are taken when a
 * block of that side reaches the join. The first position of a tail is blockless and reported before any of its
 * blocks: it covers the (empty or restored) state. While the join is not busy (`join.busy`), the taken
 * positions cover exactly what the join has handled.
 */
export class JoinPositions {
  /** Per scan: the position through which its events reached the join (-2: not known yet). */
  readonly taken: number[];
  private readonly reported: number[];
  private readonly started: boolean[];
  /** Told whenever a taken position may have moved. */
  onChange?: () => void;

  constructor(private readonly plan: JoinPlan) {
    const { scans, sides, join } = plan;
    this.reported = scans.map(() => -2);
    this.taken = scans.map(() => -2);
    this.started = scans.map(() => false);
    scans.forEach((scan, i) => {
      const outer = scan.onPosition;
      scan.onPosition = (p) => {
        outer?.(p);
        if (p.history) return;
        this.reported[i] = p.sn;
        if (!this.started[i]) {
          this.started[i] = true;
          if (this.taken[i]! < p.sn) this.taken[i] = p.sn;
          this.onChange?.();
        }
      };
    });
    join.onReceive = (side) => {
      const base = side === 0 ? 0 : sides[0].length;
      for (let j = 0; j < sides[side].length; j++) this.taken[base + j] = this.reported[base + j]!;
      this.onChange?.();
    };
  }

  /** Every tail has reported its first position. */
  get allStarted(): boolean {
    return this.started.every((s) => s);
  }

  /** Every stream has a known position. */
  get known(): boolean {
    return this.taken.every((t) => t >= -1);
  }

  /** Changes whenever a position moves (to tell whether a new checkpoint is worth taking). */
  get sum(): number {
    return this.taken.reduce((a, b) => a + b, 0);
  }

  sources(): { table: string; sn: number }[] {
    return this.plan.scans.map((s, i) => ({ table: s.tableName, sn: this.taken[i]! }));
  }

  /** Resumes every stream after its checkpointed position; `who` names the query in the error for a mismatch. */
  restore(sources: readonly { readonly table: string; readonly sn: number }[], who: string): void {
    const scans = this.plan.scans;
    if (sources.length !== scans.length || sources.some((s, i) => s.table !== scans[i]!.tableName)) {
      throw new DbError('LOGICAL_ERROR', `The checkpoint of ${who} does not match its query's streams`);
    }
    sources.forEach((s, i) => {
      scans[i]!.start = { kind: 'sn', sn: s.sn + 1 };
      this.taken[i] = s.sn;
      this.started[i] = false;
    });
  }
}

/** Changelog conversions' state (each key's latest row) for a checkpoint; unread columns as defaults. */
export function convertStates(converts: readonly ChangelogConvertNode[]): Block[] {
  return converts.map((c) => {
    const b = c.store?.rows() ?? Block.empty(c.input.header);
    // Columns the query does not read arrive as NothingColumn: checkpoint them as defaults.
    return new Block(b.header, b.columns.map((col, i) => (col.kind === 'nothing' ? defaultColumn(b.header[i]!.type, b.rows) : col)), b.rows);
  });
}

function defaultColumn(type: DataType, rows: number): Column {
  const b = createBuilder(type, rows);
  for (let i = 0; i < rows; i++) b.pushDefault();
  return b.build();
}
