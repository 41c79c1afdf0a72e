import { Block, type Header } from '../core/block.js';
import type { Column } from '../columns/column.js';
import { takeColumn } from '../columns/ops.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import { makeGroupIndex, type AggregateSpec, type GroupIndex } from '../exec/operators/aggregate.js';
import type { AggregateStates } from '../functions/function.js';
import { predicateMask } from '../exec/operators/filter.js';
import type { PlanNode } from '../planner/plan-node.js';
import { checkCancelled, type QueryContext } from '../exec/query-context.js';
import type { DataType } from '../types/data-type.js';
import { eventTimes, timeColumn } from './time-window-node.js';
import { InputPump, TICK } from './input-pump.js';
import { isEmitVersion } from './emit-version.js';

export interface SessionConditions {
  readonly start: CompiledExpr;
  readonly end: CompiledExpr;
  /** `[`: the starting row belongs to the session; `(`: it only opens it. */
  readonly startInclusive: boolean;
  /** `]`: the ending row belongs to the session; `)`: it only closes it. */
  readonly endInclusive: boolean;
}

/**
 * `session(s, [time,] timeout [, max_length] [, start_cond, end_cond | [start_cond, end_cond)])`: marks rows for session windowing. Sessions depend on every
 * earlier event of their key, so the windows are formed by SessionAggregateNode; here `window_start` and
 * `window_end` carry the event time as placeholders.
 */
export class SessionWindowNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  /** Set when the query references window_start or window_end (Proton requires one of them). */
  windowReferenced = false;
  constructor(
    readonly input: PlanNode,
    readonly time: CompiledExpr,
    readonly timeType: DataType,
    /** Idle timeout and maximum session length, in the time column's unit. */
    readonly timeout: number,
    readonly maxLength: number,
    /** Proton's start/end conditions: a session opens only at a row where `start` holds and ends at one where `end` does. */
    readonly conditions?: SessionConditions,
  ) {
    this.children = [input];
    this.header = [...input.header, { name: 'window_start', type: timeType }, { name: 'window_end', type: timeType }];
  }
  describe(): string {
    return `SessionWindow (${this.time.name}, timeout ${this.timeout}, max ${this.maxLength})`;
  }
  async *run(ctx: QueryContext): AsyncIterable<Block> {
    for await (const block of this.input.run(ctx)) {
      if (!block.rows) continue;
      const times = eventTimes(this.time.eval(block, ctx.fn), block.rows);
      const col = timeColumn(this.timeType, times.slice());
      yield new Block(this.header, [...block.columns, col, col], block.rows);
    }
  }
}

/**
 * GROUP BY window_start, window_end over session windows, per key (the other GROUP BY keys and the query's
 * PARTITION BY), with Proton's rules (SessionWindowHelper): per key and in arrival order, an event at or after
 * the session's start + max_length closes it with window_end = start + max_length; one at or after the last
 * event + timeout closes it with window_end = that; an event matching the end condition closes it (kept with
 * `]`). A closing event opens the next session when it matches the start condition (always, without
 * conditions). Kept events extend window_end to just past the latest one. `EMIT … TIMEOUT` and the end of a
 * bounded input close every open session where it stands.
 */
export class SessionAggregateNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  /** Emissions per key, for emit_version(). */
  private readonly emitted = new Map<number, number>();
  constructor(
    readonly input: PlanNode,
    readonly keys: readonly CompiledExpr[],
    readonly aggregates: readonly AggregateSpec[],
    readonly window: SessionWindowNode,
    readonly having: CompiledExpr | undefined,
    readonly streaming: boolean,
    readonly timeoutMs?: number,
  ) {
    this.children = [input];
    this.header = [...keys.map((k) => ({ name: k.name, type: k.type })), ...aggregates.map((a) => ({ name: a.name, type: a.fn.returnType }))];
  }

  describe(): string {
    return `SessionAggregating (keys: ${this.keys.map((k) => k.name).join(', ')}; ${this.aggregates.map((a) => a.name).join(', ')})`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const w = this.window;
    const timeIdx = this.input.header.findIndex((c) => c.name === 'window_start');
    const windowKey = this.keys.map((k) => (k.name === 'window_start' ? 'start' : k.name === 'window_end' ? 'end' : undefined));
    const partKeys = this.keys.filter((_, i) => !windowKey[i]);
    const keyIndex: GroupIndex | undefined = partKeys.length ? makeGroupIndex(partKeys.map((k) => k.type)) : undefined;
    // Per key: the open session (instance id into `states`, -1 when none), its window and deadlines.
    let open = new Int32Array(64).fill(-1);
    let winStart: Float64Array = new Float64Array(64);
    let winEnd: Float64Array = new Float64Array(64);
    let timeoutAt: Float64Array = new Float64Array(64);
    let maxAt: Float64Array = new Float64Array(64);
    const states: AggregateStates[] = this.aggregates.map((a) => a.fn.createStates());
    let instances = 0;
    const instanceKey: number[] = [];
    const closed: { instance: number; start: number; end: number }[] = [];
    let keyIds = new Uint32Array(0);
    const cond = w.conditions;
    const pump = new InputPump(this.input.run(ctx));
    const closeAll = (): void => {
      for (let k = 0; k < open.length; k++) {
        const inst = open[k]!;
        if (inst < 0) continue;
        if (Number.isFinite(winStart[k]!)) closed.push({ instance: inst, start: winStart[k]!, end: winEnd[k]! });
        open[k] = -1;
      }
    };
    try {
      for (;;) {
        const got = await pump.next(this.timeoutMs ?? Infinity);
        checkCancelled(ctx);
        if (got === TICK) {
          // EMIT … TIMEOUT: no event for a while, so every open session ends where its last event is.
          closeAll();
        } else if (got === undefined) {
          if (!this.streaming) {
            closeAll();
            const out = this.emit(closed, instanceKey, keyIndex, states, windowKey, ctx);
            if (out) yield out;
          }
          return;
        } else {
          const block = got;
          const rows = block.rows;
          if (!rows) continue;
          if (keyIds.length < rows) keyIds = new Uint32Array(rows);
          const ids = keyIds.subarray(0, rows);
          if (keyIndex) keyIndex.assign(partKeys.map((k) => k.eval(block, ctx.fn)), rows, ids);
          else ids.fill(0);
          const size = keyIndex ? keyIndex.size : 1;
          if (open.length < size) {
            const n = Math.max(size, open.length * 2);
            const grow = (a: Float64Array): Float64Array => {
              const b = new Float64Array(n);
              b.set(a);
              return b;
            };
            const o2 = new Int32Array(n).fill(-1);
            o2.set(open);
            open = o2;
            winStart = grow(winStart);
            winEnd = grow(winEnd);
            timeoutAt = grow(timeoutAt);
            maxAt = grow(maxAt);
          }
          const times = eventTimes(block.columns[timeIdx]!, rows);
          const startOk = cond ? predicateMask(cond.start.eval(block, ctx.fn), rows) : 'all';
          const endOk = cond ? predicateMask(cond.end.eval(block, ctx.fn), rows) : 'none';
          const isStart = (r: number): boolean => startOk === 'all' || (startOk !== 'none' && startOk.mask[r] === 1);
          const isEnd = (r: number): boolean => endOk !== 'none' && (endOk === 'all' || endOk.mask[r] === 1);
          // Rows kept in a session go to its instance; rows outside any session are dropped.
          const target = new Uint32Array(rows);
          const keep = new Uint8Array(rows);
          let kept = 0;
          const keepRow = (r: number, k: number, t: number): void => {
            if (!Number.isFinite(winStart[k]!)) winStart[k] = t;
            if (t >= winEnd[k]!) {
              winEnd[k] = t + 1;
              timeoutAt[k] = t + w.timeout;
            }
            target[r] = open[k]!;
            keep[r] = 1;
            kept++;
          };
          const openSession = (r: number, k: number, t: number): void => {
            open[k] = instances++;
            instanceKey.push(k);
            winStart[k] = Infinity;
            winEnd[k] = -Infinity;
            timeoutAt[k] = t + w.timeout;
            maxAt[k] = t + w.maxLength;
            if (!cond || cond.startInclusive) keepRow(r, k, t);
          };
          const close = (k: number, end: number): void => {
            if (Number.isFinite(winStart[k]!)) closed.push({ instance: open[k]!, start: winStart[k]!, end });
            open[k] = -1;
          };
          for (let r = 0; r < rows; r++) {
            const k = ids[r]!;
            const t = times[r]!;
            if (open[k]! >= 0) {
              // Proton's order: the maximum length, then the idle timeout, then the end condition.
              if (t >= maxAt[k]!) close(k, maxAt[k]!);
              else if (t >= timeoutAt[k]!) close(k, timeoutAt[k]!);
              else if (isEnd(r)) {
                if (cond!.endInclusive) keepRow(r, k, t);
                else if (t > winEnd[k]!) winEnd[k] = t;
                close(k, winEnd[k]!);
                continue;
              } else {
                keepRow(r, k, t);
                continue;
              }
            }
            if (isStart(r)) openSession(r, k, t);
          }
          if (instances) {
            const sub = kept === rows ? block : block.filter(keep, kept);
            const subTarget = kept === rows ? target : target.filter((_, i) => keep[i] === 1);
            for (let j = 0; j < this.aggregates.length; j++) {
              states[j]!.resize(instances);
              if (kept) states[j]!.add(subTarget, this.aggregates[j]!.args.map((a) => a.eval(sub, ctx.fn)), kept);
            }
          }
        }
        if (closed.length) {
          const out = this.emit(closed, instanceKey, keyIndex, states, windowKey, ctx);
          closed.length = 0;
          if (out) yield out;
        }
      }
    } finally {
      pump.close();
    }
  }

  private emit(
    closed: { instance: number; start: number; end: number }[],
    instanceKey: number[],
    keyIndex: GroupIndex | undefined,
    states: AggregateStates[],
    windowKey: ('start' | 'end' | undefined)[],
    ctx: QueryContext,
  ): Block | undefined {
    if (!closed.length) return undefined;
    const n = closed.length;
    // emit_version() counts the emissions of each key (Proton's per-substream versions).
    const versions = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const k = instanceKey[closed[i]!.instance]!;
      versions[i] = this.emitted.get(k) ?? 0;
      this.emitted.set(k, versions[i]! + 1);
    }
    for (const a of this.aggregates) if (isEmitVersion(a.fn)) a.fn.emitVersion.perRow = versions;
    const keyCols = keyIndex ? keyIndex.keyColumns() : [];
    const take = Uint32Array.from(closed, (c) => instanceKey[c.instance]!);
    const starts = Float64Array.from(closed, (c) => c.start);
    const ends = Float64Array.from(closed, (c) => c.end);
    let p = 0;
    const columns: Column[] = this.keys.map((_, i) => {
      const wk = windowKey[i];
      if (wk === 'start') return timeColumn(this.window.timeType, starts);
      if (wk === 'end') return timeColumn(this.window.timeType, ends);
      return takeColumn(keyCols[p++]!, take);
    });
    for (let j = 0; j < this.aggregates.length; j++) {
      const one = this.aggregates[j]!.fn.createStates();
      one.resize(n);
      for (let i = 0; i < n; i++) one.mergeFrom(states[j]!, closed[i]!.instance, i);
      columns.push(one.finalize(n));
    }
    let out = new Block(this.header, columns, n);
    if (this.having) {
      const m = predicateMask(this.having.eval(out, ctx.fn), n);
      if (m === 'none') return undefined;
      if (m !== 'all') out = out.filter(m.mask, m.count);
    }
    return out;
  }
}
