import { Block, concatBlocks, type Header } from '../../core/block.js';
import type { CompiledExpr } from '../../analyzer/compiled-expr.js';
import type { Column } from '../../columns/column.js';
import { concatColumns, materialize, sliceColumn, takeColumn } from '../../columns/ops.js';
import type { AggregateFunction } from '../../functions/function.js';
import type { ResolvedWindowFunction } from '../../functions/window/window-function.js';
import type { WindowFrameBound } from '../../sql/ast.js';
import type { DataType } from '../../types/data-type.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { DbError } from '../../errors/index.js';
import { checkCancelled, type QueryContext } from '../query-context.js';
import { columnComparator, type SortKey } from './sort.js';

export interface WindowFrame {
  readonly type: 'ROWS' | 'RANGE';
  readonly start: WindowFrameBound['kind'];
  readonly startOffset: number;
  readonly end: WindowFrameBound['kind'];
  readonly endOffset: number;
}

/** One `f(...) OVER (...)` call: either a window-only function or an aggregate over the frame. */
export interface WindowCall {
  readonly name: string;
  readonly type: DataType;
  readonly args: readonly CompiledExpr[];
  readonly windowFn?: ResolvedWindowFunction;
  readonly aggregate?: AggregateFunction;
}

/** Calls sharing one window (PARTITION BY / ORDER BY / frame). */
export interface WindowGroup {
  readonly partitionBy: readonly CompiledExpr[];
  readonly orderBy: readonly { expr: CompiledExpr; descending: boolean; nullsFirst: boolean }[];
  readonly frame?: WindowFrame;
  readonly calls: readonly WindowCall[];
}

/**
 * Window functions: gathers its input, and per window sorts by (partition, order) keys, finds partitions,
 * peer groups and frames, and appends one column per call. Rows come out in window order.
 */
export class WindowNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  constructor(
    readonly input: PlanNode,
    readonly groups: readonly WindowGroup[],
  ) {
    this.children = [input];
    this.header = [...input.header, ...groups.flatMap((g) => g.calls.map((c) => ({ name: c.name, type: c.type })))];
  }
  describe(): string {
    return `Window (${this.groups.flatMap((g) => g.calls.map((c) => c.name)).join(', ')})`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const blocks: Block[] = [];
    for await (const b of this.input.run(ctx)) if (b.rows) blocks.push(b.materialized());
    let block = concatBlocks(this.input.header, blocks);
    if (!block.rows) return;
    let cols: Column[] = [...block.columns];
    for (const g of this.groups) {
      checkCancelled(ctx);
      const current = new Block(this.header.slice(0, cols.length), cols, block.rows);
      const { perm, partStart, peerStart, peerEnd } = this.arrange(current, g, ctx);
      cols = cols.map((c) => takeColumn(c, perm));
      const sorted = new Block(current.header, cols, block.rows);
      for (const call of g.calls) cols.push(this.compute(sorted, call, g, partStart, peerStart, peerEnd, ctx));
    }
    block = new Block(this.header, cols, block.rows);
    for (let i = 0; i < block.rows; i += ctx.blockRows) yield block.slice(i, i + ctx.blockRows);
  }

  private arrange(block: Block, g: WindowGroup, ctx: QueryContext) {
    const n = block.rows;
    const pcols = g.partitionBy.map((e) => materialize(e.eval(block, ctx.fn)));
    const ocols = g.orderBy.map((o) => materialize(o.expr.eval(block, ctx.fn)));
    const keys: SortKey[] = [];
    const tmpCols = [...pcols, ...ocols];
    const tmpHeader = [...g.partitionBy.map((e, i) => ({ name: `p${i}`, type: e.type })), ...g.orderBy.map((o, i) => ({ name: `o${i}`, type: o.expr.type }))];
    g.partitionBy.forEach((_, i) => keys.push({ column: i, descending: false, nullsFirst: false }));
    g.orderBy.forEach((o, i) => keys.push({ column: pcols.length + i, descending: o.descending, nullsFirst: o.nullsFirst }));
    const cmps = keys.map((k) => columnComparator(tmpCols[k.column]!, tmpHeader[k.column]!.type, k.nullsFirst, k.descending));
    const perm = new Uint32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    if (cmps.length) {
      perm.sort((a, b) => {
        for (const c of cmps) {
          const r = c(a, b);
          if (r) return r;
        }
        return 0;
      });
    }
    const partCmps = cmps.slice(0, pcols.length);
    const orderCmps = cmps.slice(pcols.length);
    const partStart = new Uint32Array(n);
    const peerStart = new Uint32Array(n);
    const peerEnd = new Uint32Array(n);
    let ps = 0;
    let peer = 0;
    for (let i = 0; i < n; i++) {
      if (i > 0 && partCmps.some((c) => c(perm[i - 1]!, perm[i]!) !== 0)) {
        ps = i;
        peer = i;
      } else if (i > 0 && (orderCmps.length === 0 ? false : orderCmps.some((c) => c(perm[i - 1]!, perm[i]!) !== 0))) {
        peer = i;
      }
      partStart[i] = ps;
      peerStart[i] = peer;
    }
    for (let i = n - 1; i >= 0; i--) {
      const last = i === n - 1 || partStart[i + 1] !== partStart[i] || peerStart[i + 1] !== peerStart[i];
      peerEnd[i] = last ? i + 1 : peerEnd[i + 1]!;
    }
    return { perm, partStart, peerStart, peerEnd };
  }

  private compute(
    block: Block,
    call: WindowCall,
    g: WindowGroup,
    partStart: Uint32Array,
    peerStart: Uint32Array,
    peerEnd: Uint32Array,
    ctx: QueryContext,
  ): Column {
    const n = block.rows;
    const args = call.args.map((a) => materialize(a.eval(block, ctx.fn)));
    const out: Column[] = [];
    let s = 0;
    while (s < n) {
      let e = s + 1;
      while (e < n && partStart[e] === partStart[s]) e++;
      const rows = e - s;
      const pArgs = args.map((a) => sliceColumn(a, s, e));
      const pPeerStart = Uint32Array.from(peerStart.subarray(s, e), (x) => x - s);
      const pPeerEnd = Uint32Array.from(peerEnd.subarray(s, e), (x) => x - s);
      const { frameStart, frameEnd } = frames(rows, pPeerStart, pPeerEnd, g);
      if (call.windowFn) {
        out.push(call.windowFn.compute({ rows, args: pArgs, peerStart: pPeerStart, peerEnd: pPeerEnd, frameStart, frameEnd }));
      } else {
        out.push(aggregateOverFrames(call.aggregate!, pArgs, rows, frameStart, frameEnd));
      }
      s = e;
    }
    return concatColumns(out);
  }
}

function frames(rows: number, peerStart: Uint32Array, peerEnd: Uint32Array, g: WindowGroup): { frameStart: Uint32Array; frameEnd: Uint32Array } {
  const frameStart = new Uint32Array(rows);
  const frameEnd = new Uint32Array(rows);
  const f = g.frame;
  for (let i = 0; i < rows; i++) {
    if (!f) {
      // Default: RANGE UNBOUNDED PRECEDING .. CURRENT ROW with ORDER BY (peers included), else the whole partition.
      frameStart[i] = 0;
      frameEnd[i] = g.orderBy.length ? peerEnd[i]! : rows;
      continue;
    }
    const bound = (kind: WindowFrameBound['kind'], off: number, isStart: boolean): number => {
      switch (kind) {
        case 'unbounded_preceding':
          return 0;
        case 'unbounded_following':
          return rows;
        case 'current_row':
          return f.type === 'RANGE' ? (isStart ? peerStart[i]! : peerEnd[i]!) : isStart ? i : i + 1;
        case 'preceding':
          if (f.type === 'RANGE') throw new DbError('NOT_IMPLEMENTED', 'RANGE frames with offsets are not supported yet');
          return Math.max(0, isStart ? i - off : i - off + 1);
        case 'following':
          if (f.type === 'RANGE') throw new DbError('NOT_IMPLEMENTED', 'RANGE frames with offsets are not supported yet');
          return Math.min(rows, isStart ? i + off : i + off + 1);
      }
    };
    frameStart[i] = bound(f.start, f.startOffset, true);
    frameEnd[i] = Math.max(frameStart[i]!, bound(f.end, f.endOffset, false));
  }
  return { frameStart, frameEnd };
}

/** Aggregates over each row's frame; frames that only grow (the common case) are computed incrementally. */
function aggregateOverFrames(fn: AggregateFunction, args: Column[], rows: number, frameStart: Uint32Array, frameEnd: Uint32Array): Column {
  const results: Column[] = [];
  let growing = true;
  for (let i = 1; i < rows; i++) if (frameStart[i] !== frameStart[0] || frameEnd[i]! < frameEnd[i - 1]!) growing = false;
  if (growing) {
    const states = fn.createStates();
    states.resize(1);
    let added = frameStart[0] ?? 0;
    let lastEnd = -1;
    let last: Column | undefined;
    for (let i = 0; i < rows; i++) {
      const end = frameEnd[i]!;
      if (end > added) {
        states.addAll(args.map((a) => sliceColumn(a, added, end)), end - added);
        added = end;
      }
      if (end !== lastEnd || !last) {
        last = states.finalize(1);
        lastEnd = end;
      }
      results.push(last);
    }
  } else {
    for (let i = 0; i < rows; i++) {
      const states = fn.createStates();
      states.resize(1);
      const s = frameStart[i]!;
      const e = frameEnd[i]!;
      if (e > s) states.addAll(args.map((a) => sliceColumn(a, s, e)), e - s);
      results.push(states.finalize(1));
    }
  }
  return concatColumns(results);
}
