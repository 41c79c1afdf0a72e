import { Block, concatBlocks, type Header } from '../core/block.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import { makeGroupIndex, type AggregateSpec } from '../exec/operators/aggregate.js';
import { predicateMask } from '../exec/operators/filter.js';
import type { PlanNode } from '../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../exec/query-context.js';
import { GroupTable, type GroupTableSnapshot } from './group-table.js';
import { eventTimes } from './time-window-node.js';
import { InputPump, TICK } from './input-pump.js';
import type { WatermarkClock } from './watermark.js';
import { isEmitVersion } from './emit-version.js';
import { DbError } from '../errors/index.js';
import { NumericColumn } from '../columns/column.js';
import { takeColumn } from '../columns/ops.js';
import { columnFromValues } from '../columns/builder.js';
import { simpleType } from '../types/data-type.js';
import { DELTA_COLUMN } from './stream-mode.js';
import { customEmission, hasCustomEmit } from '../udf/custom-emit.js';
import type { SessionSnapshot } from './session-window.js';

/** A streaming aggregation's state as plain data (materialized-view checkpoints). */
export interface AggregateCheckpoint {
  readonly emitVersion: number;
  /** Global aggregation: the one state table. */
  readonly global?: GroupTableSnapshot;
  /**
   * Windowed aggregation: the state of each window not yet emitted and closed, by window end (and, windows per
   * substream, by the partition's position in `substreams.partitions`).
   */
  readonly windows?: readonly { readonly end: number; readonly part?: number; readonly table: GroupTableSnapshot }[];
  /** Windows per substream (PARTITION BY): the partitions seen, each one's watermark and emission count. */
  readonly substreams?: SubstreamsSnapshot;
  /**
   * EMIT CHANGELOG: the results last emitted (row = group id) and which groups were present then, so that the
   * first emission after a restore retracts what was emitted before it.
   */
  readonly emitted?: { readonly block: Block; readonly present: Uint8Array };
  /** Session windows: the open sessions and the keys seen. */
  readonly sessions?: SessionSnapshot;
}

/** What checkpoints (SUBSCRIBE, materialized views) need of a streaming aggregation: this node or SessionAggregateNode. */
export interface CheckpointedAggregate {
  readonly keys: readonly CompiledExpr[];
  /** Called right after each input block has been added to the state. */
  onInput?: () => void;
  /** The state to start from. */
  restoreFrom?: AggregateCheckpoint;
  /** True while an emission is on its way to the consumer. */
  readonly emitting: boolean;
  /** The current state (between blocks, when not emitting). */
  snapshotState(): AggregateCheckpoint;
  /** Tumble / hop windows: their watermark clock, checkpointed with the state. */
  readonly windowed?: { readonly clock: WatermarkClock };
}

export interface SubstreamsSnapshot {
  /** The partition keys, one row per partition, in partition-id order. */
  readonly partitions: Block;
  /** Per partition: the largest event time seen (its watermark before the delay). */
  readonly maxTime: readonly number[];
  /** Per partition: how many windows it has emitted (`emit_version()`). */
  readonly versions: readonly number[];
}

/** Aggregation over a changelog input, and EMIT CHANGELOG. */
export interface ChangelogOptions {
  /** The input's `_tp_delta`: rows with −1 retract. */
  readonly delta?: CompiledExpr;
  /** EMIT CHANGELOG: emit −1 / +1 pairs per changed group, with a `_tp_delta` column. */
  readonly emit?: boolean;
}

/** How soon a global aggregation restored from a checkpoint emits first (ms). */
const RESTORED_FIRST_EMIT_MS = 500;

/**
 * Proton's stream sources wake every record_consume_timeout_ms (100 ms) when idle, and a periodic emission fires
 * on the first block or wake-up at or after its deadline, that block included. A global aggregation keeps that
 * grace: a block arriving within 100 ms after the deadline joins the emission, as in Proton, instead of starting
 * the next period.
 */
const IDLE_WAKE_MS = 100;

/** When a streaming aggregation emits (Proton's EMIT clause, resolved by the planner). */
export interface EmitPolicy {
  /** Emit every this many ms of processing time (global aggregation: 2000 by default; windows: only with PERIODIC). */
  readonly periodicMs?: number;
  /** EMIT ON UPDATE: after each block, the groups it changed. */
  readonly onUpdate?: boolean;
  /** EMIT … AND TIMEOUT: with no new event for this long, every open window is emitted and closed. */
  readonly timeoutMs?: number;
  /**
   * Global aggregation by substream (PARTITION BY): the positions of the partition keys among the keys; each
   * emission holds every group of the substreams changed since the last one.
   */
  readonly substreamKeys?: readonly number[];
  /**
   * The input is another global aggregation's emissions: emit as soon as one has arrived, as Proton's
   * periodic tick runs through both aggregations at once, instead of up to a period later.
   */
  readonly afterInput?: boolean;
}

export interface WindowedOptions {
  readonly clock: WatermarkClock;
  /** Index of `window_end` in the input header: windows close when the watermark reaches it. */
  readonly windowEndColumn: number;
  /**
   * PARTITION BY (Proton's substreams): each partition has its own watermark, from its own events, so one
   * partition's late data is not another's and a quiet partition's windows wait for its own events.
   */
  readonly substreams?: { readonly keys: readonly CompiledExpr[]; readonly time: CompiledExpr };
}

/**
 * Streaming GROUP BY. Without windows it keeps one state table and emits the whole current result
 * periodically (or the changed groups on update). Over tumble/hop windows it keeps one state table per window
 * and emits a window's groups once, when the watermark passes its end, then frees that state: memory is
 * bounded by the windows the watermark has not yet passed.
 */
export class StreamingAggregateNode implements PlanNode, CheckpointedAggregate {
  readonly children: PlanNode[];
  readonly header: Header;
  /** Emissions so far (emit_version()). */
  emitVersion = 0;
  /** Materialized views: called right after each input block has been added to the state (the source positions that cover the state are noted then). */
  onInput?: () => void;
  /** Materialized views: the state to start from (a checkpoint); a restored global aggregation emits it at its first tick. */
  restoreFrom?: AggregateCheckpoint;
  /** True from an emission until the consumer asks for more: a checkpoint taken meanwhile could miss rows not yet written. */
  emitting = false;
  private live: { global?: GroupTable; windows?: Map<number, GroupTable>; substreams?: () => AggregateCheckpoint } = {};

  constructor(
    readonly input: PlanNode,
    readonly keys: readonly CompiledExpr[],
    readonly aggregates: readonly AggregateSpec[],
    readonly emit: EmitPolicy,
    readonly having?: CompiledExpr,
    readonly windowed?: WindowedOptions,
    readonly changelogOptions: ChangelogOptions = {},
  ) {
    this.children = [input];
    this.resultHeader = [...keys.map((k) => ({ name: k.name, type: k.type })), ...aggregates.map((a) => ({ name: a.name, type: a.fn.returnType }))];
    this.header = changelogOptions.emit ? [...this.resultHeader, { name: DELTA_COLUMN, type: simpleType('Int8') }] : this.resultHeader;
    this.changelog = !!changelogOptions.emit;
    this.windowKeys = windowed ? keys.map((k) => k.name === 'window_start' || k.name === 'window_end') : [];
  }

  /** ON UPDATE: the changed groups, or with substreams every group of the changed substreams. */
  private changedResults(table: GroupTable): Block {
    const sub = this.emit.substreamKeys;
    return sub?.length ? table.finalizeChangedSubstreams(this.header, sub) : table.finalizeChanged(this.header);
  }

  /** EMIT CHANGELOG: the output is a changelog (see isChangelogPlan). */
  readonly changelog: boolean;

  /** Keys then aggregates (the header without EMIT CHANGELOG's `_tp_delta`). */
  private readonly resultHeader: Header;
  /** EMIT CHANGELOG: the results last emitted, row = group id, and which of them were present. */
  private emitted?: { block: Block; present: Uint8Array };

  /**
   * EMIT CHANGELOG: for each group changed since the last emission, −1 with its previous result (if it had
   * one) and +1 with its new result (unless all its rows have been retracted).
   */
  private changelogEmission(table: GroupTable, ctx: QueryContext): Block {
    const cur = table.finalizeAll(this.resultHeader);
    const changed = table.takeChanged();
    const prev = this.emitted;
    const present = new Uint8Array(cur.rows);
    const retract: number[] = [];
    const insert: number[] = [];
    for (let g = 0; g < cur.rows; g++) {
      present[g] = table.present(g) ? 1 : 0;
      if (!changed[g]) continue;
      if (prev && g < prev.block.rows && prev.present[g]) retract.push(g);
      if (present[g]) insert.push(g);
    }
    this.emitted = { block: cur, present };
    const part = (b: Block, rows: number[], delta: number): Block => {
      const idx = Uint32Array.from(rows);
      const taken = this.applyHaving(new Block(this.resultHeader, b.columns.map((c) => takeColumn(c, idx)), idx.length), ctx);
      return new Block(this.header, [...taken.columns, new NumericColumn(new Int8Array(taken.rows).fill(delta))], taken.rows);
    };
    const parts: Block[] = [];
    if (prev && retract.length) parts.push(part(prev.block, retract, -1));
    if (insert.length) parts.push(part(cur, insert, 1));
    return concatBlocks(this.header, parts);
  }

  /** Windowed: the keys that are constant within one window's table (window_start, window_end). */
  private readonly windowKeys: readonly boolean[];

  describe(): string {
    const how = this.windowed
      ? 'windows, on watermark'
      : this.emit.onUpdate
        ? 'on update'
        : `every ${this.emit.periodicMs} ms${this.emit.afterInput ? ' and after each emission of its input' : ''}`;
    return `StreamingAggregating (keys: ${this.keys.map((k) => k.name).join(', ') || '∅'}; ${this.aggregates.map((a) => a.name).join(', ')}; emit ${how})`;
  }

  /** Tells emit_version() calls the number of the emission about to be finalized. */
  private stampVersion(version = this.emitVersion): void {
    for (const a of this.aggregates) if (isEmitVersion(a.fn)) a.fn.emitVersion.value = version;
  }

  private applyHaving(block: Block, ctx: QueryContext): Block {
    if (!this.having || !block.rows) return block;
    const m = predicateMask(this.having.eval(block, ctx.fn), block.rows);
    if (m === 'all') return block;
    if (m === 'none') return block.slice(0, 0);
    return block.filter(m.mask, m.count);
  }

  /** Materialized views: the current state (call between blocks, when `emitting` is false). */
  snapshotState(): AggregateCheckpoint {
    const { global, windows, substreams } = this.live;
    if (substreams) return substreams();
    return {
      emitVersion: this.emitVersion,
      global: global?.snapshot(),
      windows: windows ? [...windows].map(([end, t]) => ({ end, table: t.snapshot() })) : undefined,
      emitted: this.emitted,
    };
  }

  private *emission(out: Block): Generator<Block> {
    this.emitting = true;
    try {
      yield out;
    } finally {
      this.emitting = false;
    }
  }

  run(ctx: QueryContext): AsyncIterable<Block> {
    if (this.windowed?.substreams) return this.runSubstreams(ctx, this.windowed, this.windowed.substreams);
    return this.windowed ? this.runWindowed(ctx, this.windowed) : this.runGlobal(ctx);
  }

  /**
   * Windows per substream (PARTITION BY): state per (partition, window), a watermark per partition. A row is late
   * when its window has closed in its own partition; a partition's windows close when its own watermark passes
   * them. Emits after the watermark, plus PERIODIC (windows changed since the last tick) and TIMEOUT.
   */
  private async *runSubstreams(ctx: QueryContext, w: WindowedOptions, sub: NonNullable<WindowedOptions['substreams']>): AsyncIterable<Block> {
    const partitions = makeGroupIndex(sub.keys.map((k) => k.type));
    let maxTime = new Float64Array(16).fill(-Infinity);
    // (partition, window end) → state; the key is `${partition}:${end}`.
    const windows = new Map<string, { part: number; end: number; table: GroupTable }>();
    const dirty = new Set<string>();
    const partVersions: number[] = [];
    const restored = this.restoreFrom?.substreams;
    if (restored) {
      // A fresh index numbers the saved partitions (distinct keys, in id order) 0, 1, … again.
      const n = restored.partitions.rows;
      if (n) partitions.assign(restored.partitions.columns, n, new Uint32Array(n));
      maxTime = new Float64Array(Math.max(16, n)).fill(-Infinity);
      maxTime.set(restored.maxTime);
      partVersions.push(...restored.versions);
      for (const w0 of this.restoreFrom?.windows ?? []) {
        const table = new GroupTable(this.keys, this.aggregates, false, this.windowKeys, this.changelogOptions.delta);
        table.restore(w0.table);
        windows.set(`${w0.part}:${w0.end}`, { part: w0.part ?? 0, end: w0.end, table });
      }
      this.emitVersion = this.restoreFrom!.emitVersion;
    }
    const partitionHeader = sub.keys.map((k, i) => ({ name: `p${i}`, type: k.type }));
    this.live = {
      substreams: () => ({
        emitVersion: this.emitVersion,
        windows: [...windows.values()].map((e) => ({ end: e.end, part: e.part, table: e.table.snapshot() })),
        substreams: {
          partitions: new Block(partitionHeader, partitions.size ? partitions.keyColumns() : partitionHeader.map((h) => columnFromValues(h.type, [])), partitions.size),
          maxTime: Array.from(maxTime.subarray(0, partitions.size)),
          versions: Array.from({ length: partitions.size }, (_, p) => partVersions[p] ?? 0),
        },
      }),
    };
    const delay = w.clock.delay;
    const pump = new InputPump(this.input.run(ctx));
    const period = this.emit.periodicMs ?? Infinity;
    const timeout = this.emit.timeoutMs ?? Infinity;
    let due = Date.now() + period;
    let lastEvent = Date.now();
    const emit = (keys: Iterable<string>, close: boolean): Block | undefined => {
      const chosen = [...keys].map((k) => [k, windows.get(k)!] as const).filter(([, e]) => e !== undefined);
      chosen.sort((a, b) => a[1].end - b[1].end || a[1].part - b[1].part);
      const parts = chosen.map(([k, e]) => {
        dirty.delete(k);
        if (close) windows.delete(k);
        // emit_version() counts each substream's own emissions, one per window.
        const v = partVersions[e.part] ?? 0;
        partVersions[e.part] = v + 1;
        this.stampVersion(v);
        return this.applyHaving(e.table.finalize(this.header), ctx);
      });
      this.emitVersion++;
      if (!parts.length) return undefined;
      const out = parts.length === 1 ? parts[0]! : concatBlocks(this.header, parts);
      return out.rows ? out : undefined;
    };
    let ids = new Uint32Array(0);
    try {
      for (;;) {
        const got = await pump.next(Math.min(due, lastEvent + timeout) - Date.now());
        checkCancelled(ctx);
        if (got === TICK) {
          const t = Date.now();
          if (t >= lastEvent + timeout) {
            lastEvent = t;
            const out = emit(windows.keys(), true);
            if (out) yield* this.emission(out);
          }
          if (t >= due) {
            due = t + period;
            const out = dirty.size ? emit(dirty, false) : undefined;
            if (out) yield* this.emission(out);
          }
          continue;
        }
        if (got === undefined) break;
        lastEvent = Date.now();
        const rows = got.rows;
        if (!rows) continue;
        if (ids.length < rows) ids = new Uint32Array(rows);
        const part = ids.subarray(0, rows);
        partitions.assign(sub.keys.map((k) => k.eval(got, ctx.fn)), rows, part);
        if (maxTime.length < partitions.size) {
          const grown = new Float64Array(Math.max(partitions.size, maxTime.length * 2)).fill(-Infinity);
          grown.set(maxTime);
          maxTime = grown;
        }
        const ends = eventTimes(got.columns[w.windowEndColumn]!, rows);
        const times = eventTimes(sub.time.eval(got, ctx.fn), rows);
        // Rows whose window closed in their partition before this block are late; the rest go to their window.
        const byWindow = new Map<string, number[]>();
        const touchedParts = new Set<number>();
        let late = 0;
        for (let r = 0; r < rows; r++) {
          const p = part[r]!;
          if (ends[r]! <= maxTime[p]! - delay) {
            late++;
            continue;
          }
          const key = `${p}:${ends[r]}`;
          const list = byWindow.get(key);
          if (list) list.push(r);
          else byWindow.set(key, [r]);
        }
        w.clock.lateEvents += late;
        ctx.progress.lateEvents += late;
        for (const [key, list] of byWindow) {
          let e = windows.get(key);
          if (!e) {
            const r0 = list[0]!;
            windows.set(key, (e = { part: part[r0]!, end: ends[r0]!, table: new GroupTable(this.keys, this.aggregates, false, this.windowKeys, this.changelogOptions.delta) }));
          }
          const mask = new Uint8Array(rows);
          for (const r of list) mask[r] = 1;
          e.table.add(list.length === rows ? got : got.filter(mask, list.length), ctx.fn);
          dirty.add(key);
        }
        for (let r = 0; r < rows; r++) {
          const p = part[r]!;
          if (times[r]! > maxTime[p]!) maxTime[p] = times[r]!;
          touchedParts.add(p);
        }
        this.onInput?.();
        const closing: string[] = [];
        for (const [key, e] of windows) if (touchedParts.has(e.part) && e.end <= maxTime[e.part]! - delay) closing.push(key);
        if (closing.length) {
          const out = emit(closing, true);
          if (out) yield* this.emission(out);
        }
      }
    } finally {
      pump.close();
    }
  }

  private async *runGlobal(ctx: QueryContext): AsyncIterable<Block> {
    const emitChangelog = !!this.changelogOptions.emit;
    const table = new GroupTable(this.keys, this.aggregates, !!this.emit.onUpdate || emitChangelog, [], this.changelogOptions.delta);
    // A JavaScript UDA with has_customized_emit decides itself when its groups emit (src/udf/custom-emit.ts).
    const custom = hasCustomEmit(table);
    const pump = new InputPump(this.input.run(ctx));
    // ON UPDATE alone emits after each block; with PERIODIC it batches the changed groups per tick.
    const onUpdate = !!this.emit.onUpdate;
    const period = this.emit.periodicMs ?? (onUpdate ? Infinity : 2000);
    let dirty = false;
    if (this.restoreFrom?.global) {
      table.restore(this.restoreFrom.global);
      this.emitVersion = this.restoreFrom.emitVersion;
      if (emitChangelog && this.restoreFrom.emitted) this.emitted = { ...this.restoreFrom.emitted };
      // Groups that changed after the last emission before the checkpoint: they emit at the first tick.
      if (this.restoreFrom.global.changed?.includes(1)) dirty = true;
    }
    this.live = { global: table };
    // A restored query first looks soon, not a whole period later, and emits if the events that arrived while
    // it was down (replayed from its checkpointed offsets) changed the restored state. An unchanged state was
    // already emitted before the checkpoint, so it is not repeated.
    let due = Date.now() + (this.restoreFrom?.global ? Math.min(period, RESTORED_FIRST_EMIT_MS) : period);
    let backfills = ctx.progress.backfillsDone ?? 0;
    try {
      for (;;) {
        const got = await pump.next(due + IDLE_WAKE_MS - Date.now());
        checkCancelled(ctx);
        // A source finished its backfill: show the result over history now, not a period later.
        const backfilled = got !== TICK && got !== undefined && (ctx.progress.backfillsDone ?? 0) > backfills;
        if (backfilled) backfills = ctx.progress.backfillsDone!;
        if (custom) {
          if (got === undefined) break;
          if (got === TICK) continue;
          table.add(got, ctx.fn);
          this.onInput?.();
          const out = customEmission(table, this.header);
          if (out?.rows) yield* this.emission(out);
          continue;
        }
        if (got === TICK || (got !== undefined && (Date.now() >= due || (backfilled && table.rows + got.rows > 0)))) {
          if (got !== TICK && got !== undefined) {
            table.add(got, ctx.fn);
            this.onInput?.();
            if (got.rows) dirty = true;
          }
          if (dirty) {
            dirty = false;
            this.stampVersion();
            const out = emitChangelog ? this.changelogEmission(table, ctx) : this.applyHaving(onUpdate ? this.changedResults(table) : table.finalize(this.header), ctx);
            this.emitVersion++;
            if (out.rows) yield* this.emission(out);
          }
          // The period counts from the end of this emission: a large result takes a while to finalize and send,
          // and emitting again right away would only resend it.
          due = Date.now() + period;
          continue;
        }
        if (got === undefined) break;
        table.add(got, ctx.fn);
        this.onInput?.();
        // An empty block (a source's signal) changes nothing.
        if (!got.rows) continue;
        dirty = true;
        // Emit once the blocks already queued (the rest of the inner emission) are in.
        if (this.emit.afterInput && !onUpdate) due = Math.min(due, Date.now());
        if (onUpdate && period === Infinity) {
          dirty = false;
          this.stampVersion();
          const out = emitChangelog ? this.changelogEmission(table, ctx) : this.applyHaving(this.changedResults(table), ctx);
          this.emitVersion++;
          if (out.rows) yield* this.emission(out);
        }
      }
      // The input ended (a bounded source below, or LIMIT): the final result.
      if (dirty) {
        this.stampVersion();
        const out = emitChangelog ? this.changelogEmission(table, ctx) : this.applyHaving(table.finalize(this.header), ctx);
        this.emitVersion++;
        if (out.rows) yield* this.emission(out);
      }
    } finally {
      pump.close();
    }
  }

  private async *runWindowed(ctx: QueryContext, w: WindowedOptions): AsyncIterable<Block> {
    const windows = new Map<number, GroupTable>();
    for (const w0 of this.restoreFrom?.windows ?? []) {
      const t = new GroupTable(this.keys, this.aggregates, !!this.emit.onUpdate, this.windowKeys, this.changelogOptions.delta);
      t.restore(w0.table);
      windows.set(w0.end, t);
    }
    if (this.restoreFrom) this.emitVersion = this.restoreFrom.emitVersion;
    this.live = { windows };
    const pump = new InputPump(this.input.run(ctx));
    const period = this.emit.periodicMs ?? Infinity;
    const timeout = this.emit.timeoutMs ?? Infinity;
    let due = Date.now() + period;
    let lastEvent = Date.now();
    // Windows changed since the last periodic emission (EMIT PERIODIC emits only those).
    const dirty = new Set<number>();
    const onUpdate = !!this.emit.onUpdate;
    /** Emits windows (in window order): every group, or with `changedOnly` the groups changed since last time. */
    const emitWindows = (ends: Iterable<number>, close: boolean, changedOnly: boolean): Block | undefined => {
      const parts: Block[] = [];
      this.stampVersion();
      for (const end of [...ends].sort((a, b) => a - b)) {
        const t = windows.get(end);
        if (!t) continue;
        parts.push(this.applyHaving(changedOnly ? t.finalizeChanged(this.header) : t.finalize(this.header), ctx));
        dirty.delete(end);
        if (close) windows.delete(end);
      }
      this.emitVersion++;
      if (!parts.length) return undefined;
      const out = parts.length === 1 ? parts[0]! : concatBlocks(this.header, parts);
      return out.rows ? out : undefined;
    };
    try {
      for (;;) {
        const now = Date.now();
        const got = await pump.next(Math.min(due, lastEvent + timeout) - now);
        checkCancelled(ctx);
        if (got === TICK) {
          const t = Date.now();
          if (t >= lastEvent + timeout) {
            // EMIT … TIMEOUT: nothing arrived for a while, so every open window is final.
            lastEvent = t;
            const out = windows.size ? emitWindows(windows.keys(), true, onUpdate) : undefined;
            if (out) yield* this.emission(out);
          }
          if (t >= due) {
            // EMIT PERIODIC: the windows that changed since the last tick (ON UPDATE: their changed groups).
            due = t + period;
            const out = dirty.size ? emitWindows(dirty, false, onUpdate) : undefined;
            if (out) yield* this.emission(out);
          }
          continue;
        }
        if (got === undefined) break;
        lastEvent = Date.now();
        const touched = this.addToWindows(got, w, windows, ctx);
        this.onInput?.();
        for (const end of touched) dirty.add(end);
        const wm = w.clock.watermark;
        const closing: number[] = [];
        for (const end of windows.keys()) if (end <= wm) closing.push(end);
        if (onUpdate && period === Infinity) {
          // EMIT ON UPDATE: after each block, the groups it changed in every window it touched.
          const out = emitWindows(touched, false, true);
          for (const end of closing) windows.delete(end);
          if (out) yield* this.emission(out);
          continue;
        }
        if (closing.length) {
          // A window the watermark passed is final: emitted whole (ON UPDATE: only changes not yet emitted).
          const out = onUpdate ? emitWindows(closing.filter((e) => dirty.has(e)), true, true) : emitWindows(closing, true, false);
          for (const end of closing) windows.delete(end);
          if (out) yield* this.emission(out);
        }
      }
    } finally {
      pump.close();
    }
  }

  /** Adds the block's rows to their windows' tables; returns the window ends it touched. */
  private addToWindows(block: Block, w: WindowedOptions, windows: Map<number, GroupTable>, ctx: QueryContext): Set<number> {
    const rows = block.rows;
    const touched = new Set<number>();
    if (!rows) return touched;
    const ends = eventTimes(block.columns[w.windowEndColumn]!, rows);
    const first = ends[0]!;
    let same = true;
    for (let i = 1; i < rows; i++) if (ends[i] !== first) (same = false);
    const tableFor = (end: number): GroupTable => {
      touched.add(end);
      let t = windows.get(end);
      if (!t) windows.set(end, (t = new GroupTable(this.keys, this.aggregates, !!this.emit.onUpdate, this.windowKeys, this.changelogOptions.delta)));
      return t;
    };
    if (same) {
      tableFor(first).add(block, ctx.fn);
      return touched;
    }
    const byEnd = new Map<number, number[]>();
    for (let i = 0; i < rows; i++) {
      const e = ends[i]!;
      const list = byEnd.get(e);
      if (list) list.push(i);
      else byEnd.set(e, [i]);
    }
    for (const [end, list] of byEnd) {
      const mask = new Uint8Array(rows);
      for (const i of list) mask[i] = 1;
      tableFor(end).add(block.filter(mask, list.length), ctx.fn);
    }
    return touched;
  }
}
