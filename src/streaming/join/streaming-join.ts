import { Block, type Header } from '../../core/block.js';
import type { Column } from '../../columns/column.js';
import { NullableColumn, NumericColumn } from '../../columns/column.js';
import { materialize, takeColumn } from '../../columns/ops.js';
import type { CompiledExpr } from '../../analyzer/compiled-expr.js';
import { isUnbounded, type PlanNode } from '../../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../../exec/query-context.js';
import type { FunctionContext } from '../../functions/function.js';
import { toFloat64 } from '../../functions/core/columns.js';
import { gatherColumn, planGather, refRow, rowKeys, SideState, type JoinKey, type KeepPolicy } from './join-state.js';
import { mergeInputs } from './merge-inputs.js';

export type AsofOp = '<' | '<=' | '>' | '>=';

/** One input of a streaming join. */
export interface JoinSideSpec {
  /** Equality key expressions over this side's header, pairwise with the other side's. */
  readonly keys: readonly CompiledExpr[];
  /** Range joins: this side's time expression (DateTime seconds or DateTime64 ticks). */
  readonly time?: CompiledExpr;
  /** ASOF joins: this side's ASOF expression. */
  readonly asof?: CompiledExpr;
  /** Position of `_tp_delta` in this side's header, or -1. */
  readonly deltaAt: number;
  /** The side is a changelog: its rows carry `_tp_delta` and −1 rows retract. */
  readonly changelog: boolean;
  /** Columns that identify the row a −1 row retracts (the primary key when known). */
  readonly matchColumns: readonly number[];
}

/** `lower <(=) left.time - right.time <(=) upper`, in the time columns' unit; rows are bucketed by `bucket`. */
export interface RangeSpec {
  readonly lower: number;
  readonly upper: number;
  readonly lowerInclusive: boolean;
  readonly upperInclusive: boolean;
  readonly bucket: number;
}

/**
 * `lag_behind(lag, l.t, r.t)`: the two sides are merged in event-time order, block by block (a block's time is its
 * largest): a left block at t is joined once the right side has been seen at t − lag or later, a right block at t
 * once the left side has been seen at t or later; until then blocks wait (and are part of a checkpoint).
 */
export interface AlignSpec {
  readonly leftTime: CompiledExpr;
  readonly rightTime: CompiledExpr;
  /** In the time columns' unit. */
  readonly lag: number;
}

export interface StreamingJoinSpec {
  readonly kind: 'INNER' | 'LEFT';
  readonly strictness: 'ALL' | 'ASOF' | 'LATEST';
  readonly left: JoinSideSpec;
  readonly right: JoinSideSpec;
  readonly range?: RangeSpec;
  /** ASOF: `left.asof <op> right.asof` picks the closest right row. */
  readonly asofOp?: AsofOp;
  /** ASOF: versions kept per key on the right (keep_versions). */
  readonly keepVersions: number;
  /**
   * Both sides keep state and a new row on either side joins the other side's rows (stream ⋈ stream).
   * Otherwise (enrichment: append ⋈ versioned_kv / changelog, ASOF, LATEST) only left rows produce output and
   * right rows only update the right side's state.
   */
  readonly bidirectional: boolean;
  /** The right side is a table: it is read whole before the first left row is joined (ASOF against a table). */
  readonly rightFirst?: boolean;
  readonly align?: AlignSpec;
  /** The output is a changelog: `_tp_delta` carries the probing row's sign. */
  readonly emitChangelog: boolean;
  readonly header: Header;
  readonly leftNullable: readonly boolean[];
  readonly rightNullable: readonly boolean[];
}

/** Materialized views: the live rows of both sides (one block per time bucket) and the range watermarks. */
export interface JoinCheckpoint {
  readonly left: readonly { readonly bucket: number; readonly block: Block }[];
  readonly right: readonly { readonly bucket: number; readonly block: Block }[];
  readonly leftWatermark: number;
  readonly rightWatermark: number;
  /** lag_behind: rows waiting for the other side, and the latest time seen on each side. */
  readonly held?: { readonly left: readonly Block[]; readonly right: readonly Block[]; readonly seen: readonly [number, number] };
}

export interface JoinStats {
  leftRows: number;
  rightRows: number;
  lateRows: number;
  evictedRows: number;
}

/**
 * A join whose inputs are streams (Proton's streaming HashJoin). Blocks from both inputs are handled in
 * arrival order. Each side's rows are kept columnar (see SideState) and probed by the other side's new rows;
 * a range condition (`date_diff_within(10s, a.ts, b.ts)`, or `date_diff(...)` bounds) buckets the rows by
 * time, and buckets the combined watermark (the smaller of the two sides' largest buckets) has passed by one
 * bucket are dropped, so the state stays within the range. Changelog inputs retract: a −1 row removes its
 * earlier +1 row from the state and is joined with −1 in the output.
 */
export class StreamingJoinNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  readonly unbounded: boolean;
  readonly changelog: boolean;
  /** Materialized views: state to start from. */
  restoreFrom?: JoinCheckpoint;
  /** Checkpointed queries: told when a block of a side arrives (before it is handled). */
  onReceive?: (side: 0 | 1) => void;
  private processing = false;
  private buffered = 0;
  private outstanding = false;
  private live: JoinRuntime | undefined;

  /** True while the join handles a block or holds one it has received but not handled (no checkpoint then). */
  get busy(): boolean {
    return this.processing || this.buffered > 0;
  }

  /** True while a block the join emitted is on its way up: its consumer has not pulled the next one yet. */
  get emitting(): boolean {
    return this.outstanding;
  }

  private *emit(out: Iterable<Block>): Generator<Block> {
    for (const b of out) {
      if (!b.rows) continue;
      this.outstanding = true;
      try {
        yield b;
      } finally {
        this.outstanding = false;
      }
    }
  }

  constructor(
    readonly left: PlanNode,
    readonly right: PlanNode,
    readonly spec: StreamingJoinSpec,
  ) {
    this.children = [left, right];
    this.header = spec.header;
    this.changelog = spec.emitChangelog;
    this.unbounded = isUnbounded(left) || isUnbounded(right);
  }

  describe(): string {
    const s = this.spec;
    const on = s.left.keys.map((k, i) => `${k.name} = ${s.right.keys[i]!.name}`);
    if (s.range) on.push(`${s.range.lower} ${s.range.lowerInclusive ? '<=' : '<'} ${s.left.time!.name} - ${s.right.time!.name} ${s.range.upperInclusive ? '<=' : '<'} ${s.range.upper}`);
    if (s.asofOp) on.push(`${s.left.asof!.name} ${s.asofOp} ${s.right.asof!.name}`);
    const mode = s.bidirectional ? 'bidirectional' : 'enrichment';
    return `StreamingJoin (${s.kind} ${s.strictness} ON ${on.join(' AND ') || 'true'}; ${mode}${s.emitChangelog ? ', changelog' : ''})`;
  }

  /** Rows in the state and rows dropped so far (tests, benchmarks). */
  stats(): JoinStats | undefined {
    const r = this.live;
    if (!r) return undefined;
    return { leftRows: r.leftState.liveRows, rightRows: r.rightState.liveRows, lateRows: r.lateRows, evictedRows: r.evictedRows };
  }

  snapshotState(): JoinCheckpoint {
    const r = this.live;
    if (!r) return { left: [], right: [], leftWatermark: -Infinity, rightWatermark: -Infinity };
    return { left: r.leftState.liveBlocks(), right: r.rightState.liveBlocks(), leftWatermark: r.wm[0], rightWatermark: r.wm[1], held: r.heldState() };
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const rt = new JoinRuntime(this.spec, this.left.header, this.right.header, ctx.fn);
    this.live = rt;
    if (this.restoreFrom) rt.restore(this.restoreFrom);
    if (this.spec.rightFirst) {
      for await (const block of this.right.run(ctx)) {
        checkCancelled(ctx);
        if (block.rows) rt.onBlock(1, block);
      }
      for await (const block of this.left.run(ctx)) {
        checkCancelled(ctx);
        if (!block.rows) continue;
        for (const b of rt.onBlock(0, block)) if (b.rows) yield b;
      }
      return;
    }
    // Enrichment: the right side (a table of versions) is applied before left rows that arrived with it.
    for await (const { side, block } of mergeInputs(this.left.run(ctx), this.right.run(ctx), !this.spec.bidirectional, (n) => (this.buffered = n))) {
      this.processing = true;
      this.onReceive?.(side);
      checkCancelled(ctx);
      const out = block.rows ? (this.spec.align ? rt.onAligned(side, block) : rt.onBlock(side, block)) : [];
      this.processing = false;
      yield* this.emit(out);
    }
  }
}

interface Prepared {
  readonly block: Block;
  readonly keys: (JoinKey | undefined)[];
  readonly deltas?: ArrayLike<number>;
  readonly times?: Float64Array;
  readonly asof?: Float64Array;
}

function numbers(col: Column): Float64Array | undefined {
  const c = materialize(col);
  const inner = c.kind === 'nullable' ? c.inner : c;
  if (inner.kind !== 'numeric') return undefined;
  const d = toFloat64(inner.data).data;
  if (c.kind !== 'nullable') return d;
  const out = Float64Array.from(d);
  for (let i = 0; i < out.length; i++) if (c.nulls[i]) out[i] = NaN;
  return out;
}

/** The per-run state of a streaming join. */
export class JoinRuntime {
  readonly leftState: SideState;
  readonly rightState: SideState;
  /** Range joins: the largest bucket start each side has seen (-Infinity before its first row). */
  readonly wm: [number, number] = [-Infinity, -Infinity];
  combined = -Infinity;
  lateRows = 0;
  evictedRows = 0;

  constructor(
    readonly spec: StreamingJoinSpec,
    readonly leftHeader: Header,
    readonly rightHeader: Header,
    readonly fn: FunctionContext,
  ) {
    // LATEST keeps one row per key, except over a changelog, where a retraction brings back the key's previous live row.
    const rightKeep: KeepPolicy = spec.strictness === 'LATEST' ? (spec.right.changelog ? { kind: 'all' } : { kind: 'latest' }) : spec.strictness === 'ASOF' ? { kind: 'versions', n: Math.max(1, spec.keepVersions) } : { kind: 'all' };
    this.leftState = new SideState(leftHeader, { kind: 'all' }, spec.left.matchColumns);
    this.rightState = new SideState(rightHeader, rightKeep, spec.right.matchColumns);
  }

  private prepare(side: 0 | 1, block: Block): Prepared {
    const s = side === 0 ? this.spec.left : this.spec.right;
    const b = block.materialized();
    const keyCols = s.keys.map((k) => materialize(k.eval(b, this.fn)));
    const keys = rowKeys(keyCols, s.keys.map((k) => k.type), b.rows);
    let deltas: ArrayLike<number> | undefined;
    if (s.changelog && s.deltaAt >= 0) {
      const d = materialize(b.columns[s.deltaAt]!);
      if (d.kind === 'numeric') deltas = d.data as ArrayLike<number>;
    }
    const times = s.time ? numbers(s.time.eval(b, this.fn)) : undefined;
    const asof = s.asof ? numbers(s.asof.eval(b, this.fn)) : undefined;
    return { block: b, keys, deltas, times, asof };
  }

  restore(cp: JoinCheckpoint): void {
    for (const { bucket, block } of cp.left) {
      const p = this.prepare(0, block);
      this.leftState.add(p.block, p.keys, undefined, bucket, p.times, p.asof);
    }
    for (const { bucket, block } of cp.right) {
      const p = this.prepare(1, block);
      this.rightState.add(p.block, p.keys, undefined, bucket, p.times, p.asof);
    }
    this.wm[0] = cp.leftWatermark;
    this.wm[1] = cp.rightWatermark;
    this.updateCombined();
    if (cp.held) {
      for (const b of cp.held.left) this.enqueue(0, b);
      for (const b of cp.held.right) this.enqueue(1, b);
      this.seen[0] = Math.max(this.seen[0], cp.held.seen[0]);
      this.seen[1] = Math.max(this.seen[1], cp.held.seen[1]);
    }
  }

  /** lag_behind: blocks waiting per side, with their event time (the largest in the block: its watermark). */
  private readonly queues: [{ block: Block; time: number }[], { block: Block; time: number }[]] = [[], []];
  /** lag_behind: the latest event time seen on each side (waiting blocks included). */
  readonly seen: [number, number] = [-Infinity, -Infinity];

  private enqueue(side: 0 | 1, block: Block): void {
    const a = this.spec.align!;
    const b = block.materialized();
    const times = numbers((side === 0 ? a.leftTime : a.rightTime).eval(b, this.fn));
    let time = -Infinity;
    if (times) for (let i = 0; i < times.length; i++) if (times[i]! > time) time = times[i]!;
    if (time > this.seen[side]) this.seen[side] = time;
    this.queues[side].push({ block: b, time });
  }

  heldState(): JoinCheckpoint['held'] {
    if (!this.spec.align) return undefined;
    return { left: this.queues[0].map((q) => q.block), right: this.queues[1].map((q) => q.block), seen: [this.seen[0], this.seen[1]] };
  }

  /**
   * lag_behind: queues the block, then hands on, in event-time order, every waiting block the other side has
   * caught up with: a left block at t once the right side was seen at t − lag, a right block at t once the left
   * side was seen at t (left first on equal times). Like Proton, a block goes as a whole, at its watermark (its
   * largest time), so a changelog's −1 / +1 pair stays together.
   */
  onAligned(side: 0 | 1, block: Block): Block[] {
    const lag = this.spec.align!.lag;
    this.enqueue(side, block);
    const out: Block[] = [];
    for (;;) {
      const hl = this.queues[0][0]?.time ?? Infinity;
      const hr = this.queues[1][0]?.time ?? Infinity;
      if (hl === Infinity && hr === Infinity) break;
      let s: 0 | 1;
      if (hl <= hr) {
        if (this.seen[1] < hl - lag) break;
        s = 0;
      } else {
        if (this.seen[0] < hr) break;
        s = 1;
      }
      out.push(...this.onBlock(s, this.queues[s].shift()!.block));
    }
    return out;
  }

  onBlock(side: 0 | 1, block: Block): Block[] {
    const p = this.prepare(side, block);
    if (this.spec.range) return this.onRangeBlock(side, p);
    if (side === 1 && !this.spec.bidirectional) {
      this.applyToState(this.rightState, p, this.spec.strictness !== 'ASOF');
      return [];
    }
    const outerKeys = side === 1 && this.spec.kind === 'LEFT' && this.spec.emitChangelog && p.deltas ? this.rightKeyTransitions(p) : undefined;
    const out = this.probe(side, p, undefined);
    if (this.spec.bidirectional) this.applyToState(side === 0 ? this.leftState : this.rightState, p, true);
    if (!outerKeys) return out;
    // A changelog LEFT JOIN: the left rows of a key that gains its first right row were emitted with defaults,
    // which are retracted before the joined rows; those of a key that loses its last one get defaults again.
    const retract = this.leftOuterRows(outerKeys.gained, -1);
    const restore = this.leftOuterRows(outerKeys.lost, 1);
    return [...retract, ...out, ...restore];
  }

  /**
   * The keys of a right changelog block whose live right rows go from none to some (`gained`) or from some to
   * none (`lost`), comparing the state before the block with the state after it (row by row in between).
   */
  private rightKeyTransitions(p: Prepared): { gained: JoinKey[]; lost: JoinKey[] } {
    const before = new Map<JoinKey, number>();
    const count = new Map<JoinKey, number>();
    for (let r = 0; r < p.block.rows; r++) {
      const k = p.keys[r];
      if (k === undefined) continue;
      if (!before.has(k)) {
        const n = this.liveRefs(this.rightState, k).length;
        before.set(k, n);
        count.set(k, n);
      }
      const n = count.get(k)!;
      // A −1 retracts a row only when one is live (as applyToState).
      count.set(k, p.deltas![r]! < 0 ? Math.max(0, n - 1) : n + 1);
    }
    const gained: JoinKey[] = [];
    const lost: JoinKey[] = [];
    for (const [k, n] of before) {
      const after = count.get(k)!;
      if (n === 0 && after > 0) gained.push(k);
      else if (n > 0 && after === 0) lost.push(k);
    }
    return { gained, lost };
  }

  private liveRefs(state: SideState, k: JoinKey): number[] {
    const refs: number[] = [];
    for (const bucket of state.buckets.values()) for (const ref of bucket.index.get(k) ?? []) if (state.isAlive(ref)) refs.push(ref);
    return refs;
  }

  /** The live left rows of `keys`, each with the right side's defaults (NULLs) and `_tp_delta` = `delta`. */
  private leftOuterRows(keys: readonly JoinKey[], delta: 1 | -1): Block[] {
    const refs = keys.flatMap((k) => this.liveRefs(this.leftState, k));
    if (!refs.length) return [];
    const plan = planGather(this.leftState, refs);
    const columns = this.leftHeader.map((h, c) => gatherColumn(plan, c, h.type, false));
    const left: Prepared = { block: new Block(this.leftHeader, columns, refs.length), keys: [], deltas: new Int8Array(refs.length).fill(delta) };
    const rows = Int32Array.from(refs.keys());
    return [this.assemble(0, left, rows, new Float64Array(refs.length).fill(-1))];
  }

  /** Adds +1 rows to the state and retracts −1 rows, in row order (`retracts`: −1 rows remove their row). */
  private applyToState(state: SideState, p: Prepared, retracts: boolean): void {
    const { block, keys, deltas } = p;
    if (!deltas) {
      state.add(block, keys, undefined, 0, p.times, p.asof);
      return;
    }
    let pending: number[] = [];
    const flush = () => {
      if (pending.length) state.add(block, keys, Int32Array.from(pending), 0, p.times, p.asof);
      pending = [];
    };
    for (let r = 0; r < block.rows; r++) {
      if (deltas[r]! >= 0) {
        pending.push(r);
        continue;
      }
      if (!retracts) continue;
      flush();
      const k = keys[r];
      if (k !== undefined) state.retract(block, r, k);
    }
    flush();
  }

  /**
   * Joins the rows of `p` (from `side`) with the other side's state; `buckets` limits the buckets searched
   * (range joins) and `rows` the probing rows. Returns the joined block(s).
   */
  private probe(side: 0 | 1, p: Prepared, rows: Int32Array | undefined, bucketFor?: (row: number) => number): Block[] {
    const spec = this.spec;
    const other = side === 0 ? this.rightState : this.leftState;
    const probeIdx: number[] = [];
    const refs: number[] = [];
    const leftOuter = side === 0 && spec.kind === 'LEFT';
    const n = rows ? rows.length : p.block.rows;
    const range = spec.range;
    const otherBuckets = range ? [...other.buckets.values()] : other.buckets.size ? [...other.buckets.values()] : [];
    if (!range && !rows && spec.strictness === 'ALL' && otherBuckets.length <= 1) return this.probeAll(side, p, otherBuckets[0]?.index, leftOuter);
    for (let i = 0; i < n; i++) {
      const r = rows ? rows[i]! : i;
      const k = p.keys[r];
      let found = 0;
      if (k !== undefined) {
        if (range) {
          const t = p.times![r]!;
          const b = bucketFor!(r);
          for (const bucket of otherBuckets) {
            if (bucket.start < b - 2 * range.bucket || bucket.start > b + 2 * range.bucket) continue;
            const list = bucket.index.get(k);
            if (!list) continue;
            for (const ref of list) {
              const seg = other.segment(ref);
              const ot = seg.times![refRow(ref)]!;
              const diff = side === 0 ? t - ot : ot - t;
              if (range.lowerInclusive ? diff < range.lower : diff <= range.lower) continue;
              if (range.upperInclusive ? diff > range.upper : diff >= range.upper) continue;
              probeIdx.push(r);
              refs.push(ref);
              found++;
            }
          }
        } else if (side === 0 && spec.strictness === 'ASOF') {
          const ref = this.asofMatch(k, p.asof![r]!);
          if (ref >= 0) {
            probeIdx.push(r);
            refs.push(ref);
            found++;
          }
        } else {
          for (const bucket of otherBuckets) {
            const list = bucket.index.get(k);
            if (!list) continue;
            if (spec.strictness === 'LATEST' && side === 0) {
              for (let j = list.length - 1; j >= 0; j--) {
                if (!other.isAlive(list[j]!)) continue;
                probeIdx.push(r);
                refs.push(list[j]!);
                found++;
                break;
              }
              continue;
            }
            for (const ref of list) {
              probeIdx.push(r);
              refs.push(ref);
              found++;
            }
          }
        }
      }
      if (!found && leftOuter) {
        probeIdx.push(r);
        refs.push(-1);
      }
    }
    if (!probeIdx.length) return [];
    return [this.assemble(side, p, Int32Array.from(probeIdx), refs)];
  }

  /** The common case (no range, ALL, one bucket): every row of the key, into growing typed arrays. */
  private probeAll(side: 0 | 1, p: Prepared, index: Map<JoinKey, number[]> | undefined, leftOuter: boolean): Block[] {
    const n = p.block.rows;
    const keys = p.keys;
    let probeIdx = new Int32Array(Math.max(16, n));
    let refs = new Float64Array(probeIdx.length);
    let m = 0;
    const grow = (): void => {
      const pi = new Int32Array(probeIdx.length * 2);
      pi.set(probeIdx);
      const rf = new Float64Array(refs.length * 2);
      rf.set(refs);
      probeIdx = pi;
      refs = rf;
    };
    for (let r = 0; r < n; r++) {
      const k = keys[r];
      const list = k === undefined || !index ? undefined : index.get(k);
      if (list && list.length) {
        for (let j = 0; j < list.length; j++) {
          if (m === probeIdx.length) grow();
          probeIdx[m] = r;
          refs[m++] = list[j]!;
        }
      } else if (leftOuter) {
        if (m === probeIdx.length) grow();
        probeIdx[m] = r;
        refs[m++] = -1;
      }
    }
    if (!m) return [];
    return [this.assemble(side, p, probeIdx.subarray(0, m), refs.subarray(0, m))];
  }

  private asofMatch(k: JoinKey, v: number): number {
    if (Number.isNaN(v)) return -1;
    const op = this.spec.asofOp!;
    const st = this.rightState;
    let best = -1;
    let bestV = 0;
    for (const bucket of st.buckets.values()) {
      const list = bucket.index.get(k);
      if (!list) continue;
      for (let j = list.length - 1; j >= 0; j--) {
        const ref = list[j]!;
        if (!st.isAlive(ref)) continue;
        const rv = st.segment(ref).asof![refRow(ref)]!;
        if (Number.isNaN(rv)) continue;
        const ok = op === '<' ? v < rv : op === '<=' ? v <= rv : op === '>' ? v > rv : v >= rv;
        if (!ok) continue;
        const better = best < 0 || (op === '<' || op === '<=' ? rv < bestV : rv > bestV);
        if (better) {
          best = ref;
          bestV = rv;
        }
      }
    }
    return best;
  }

  private assemble(side: 0 | 1, p: Prepared, probeIdx: Int32Array, refs: ArrayLike<number>): Block {
    const spec = this.spec;
    const other = side === 0 ? this.rightState : this.leftState;
    const probeHeader = side === 0 ? this.leftHeader : this.rightHeader;
    const otherHeader = side === 0 ? this.rightHeader : this.leftHeader;
    const probeNullable = side === 0 ? spec.leftNullable : spec.rightNullable;
    const otherNullable = side === 0 ? spec.rightNullable : spec.leftNullable;
    const probeCols: Column[] = probeHeader.map((_, c) => {
      const taken = takeColumn(p.block.columns[c]!, probeIdx);
      return probeNullable[c] ? new NullableColumn(new Uint8Array(probeIdx.length), taken) : taken;
    });
    const lw = this.leftHeader.length;
    const plan = planGather(other, refs);
    const otherCols: Column[] = otherHeader.map((_, c) => gatherColumn(plan, c, spec.header[(side === 0 ? lw : 0) + c]!.type, otherNullable[c]!));
    const cols = side === 0 ? [...probeCols, ...otherCols] : [...otherCols, ...probeCols];
    if (spec.emitChangelog) {
      const d = new Int8Array(probeIdx.length);
      for (let i = 0; i < d.length; i++) d[i] = p.deltas ? (p.deltas[probeIdx[i]!]! < 0 ? -1 : 1) : 1;
      const put = (at: number) => {
        const t = spec.header[at]!.type;
        const col = new NumericColumn(Int8Array.from(d));
        cols[at] = t.kind === 'Nullable' ? new NullableColumn(new Uint8Array(d.length), col) : col;
      };
      if (spec.left.deltaAt >= 0) put(spec.left.deltaAt);
      if (spec.right.deltaAt >= 0) put(lw + spec.right.deltaAt);
    }
    return new Block(spec.header, cols, probeIdx.length);
  }

  private updateCombined(): void {
    if (this.wm[0] === -Infinity || this.wm[1] === -Infinity) return;
    this.combined = Math.min(this.wm[0], this.wm[1]);
  }

  /**
   * Range join (append ⋈ append): rows are split by time bucket; rows of a bucket the combined watermark has
   * passed by more than one bucket are late and dropped; the rest join the other side's rows in the buckets
   * within two buckets (then the exact range), and are added to this side's state. Afterwards buckets at or
   * before combined watermark − bucket are evicted on both sides.
   */
  private onRangeBlock(side: 0 | 1, p: Prepared): Block[] {
    const range = this.spec.range!;
    const B = range.bucket;
    const times = p.times!;
    const bucketOf = new Float64Array(p.block.rows);
    const groups = new Map<number, number[]>();
    for (let r = 0; r < p.block.rows; r++) {
      const t = times[r]!;
      if (Number.isNaN(t)) continue;
      const b = Math.floor(t / B) * B;
      bucketOf[r] = b;
      if (this.combined !== -Infinity && b + B < this.combined) {
        this.lateRows++;
        continue;
      }
      let g = groups.get(b);
      if (!g) groups.set(b, (g = []));
      g.push(r);
    }
    const own = side === 0 ? this.leftState : this.rightState;
    const out: Block[] = [];
    for (const [b, rows] of groups) {
      if (b > this.wm[side]) this.wm[side] = b;
      const idx = Int32Array.from(rows);
      out.push(...this.probe(side, p, idx, (r) => bucketOf[r]!));
      own.add(p.block, p.keys, idx, b, p.times, p.asof);
    }
    this.updateCombined();
    if (this.combined !== -Infinity) {
      const limit = this.combined - B;
      this.evictedRows += this.leftState.removeBucketsUpTo(limit) + this.rightState.removeBucketsUpTo(limit);
    }
    return out;
  }
}
