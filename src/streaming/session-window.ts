import { Block, concatBlocks, type Header } from '../core/block.js';
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

/**
 * `session(s, [time,] timeout [, max_length])`: marks rows for session windowing. Sessions depend on every
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
 * PARTITION BY). Per key, an event at least `timeout` after the key's last event, or at/after the session's
 * start + max_length, closes the session and opens a new one at that event. A closed session is emitted with
 * window_end = last event + timeout, or start + max_length when that bound closed it (Proton's results).
 * Over a bounded input, sessions still open at the end are emitted too.
 */
export class SessionAggregateNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  private emitVersion = 0;
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
    // Per key: the open session (instance id into `states`), its start and last event time.
    let open = new Int32Array(64).fill(-1);
    let start = new Float64Array(64);
    let last = new Float64Array(64);
    const states: AggregateStates[] = this.aggregates.map((a) => a.fn.createStates());
    let instances = 0;
    const instanceKey: number[] = [];
    const closed: { instance: number; start: number; end: number }[] = [];
    let keyIds = new Uint32Array(0);
    const pump = new InputPump(this.input.run(ctx));
    try {
      for (;;) {
        const got = await pump.next(this.timeoutMs ?? Infinity);
        checkCancelled(ctx);
        if (got === TICK) {
          // EMIT … TIMEOUT: no event for a while, so every open session ends.
          for (let k = 0; k < open.length; k++) {
            if (open[k]! < 0) continue;
            closed.push({ instance: open[k]!, start: start[k]!, end: Math.min(last[k]! + w.timeout, start[k]! + w.maxLength) });
            open[k] = -1;
          }
        } else if (got === undefined) {
          if (!this.streaming) {
            for (let k = 0; k < open.length; k++) {
              if (open[k]! < 0) continue;
              closed.push({ instance: open[k]!, start: start[k]!, end: Math.min(last[k]! + w.timeout, start[k]! + w.maxLength) });
            }
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
            const o2 = new Int32Array(n).fill(-1);
            o2.set(open);
            open = o2;
            const s2 = new Float64Array(n);
            s2.set(start);
            start = s2;
            const l2 = new Float64Array(n);
            l2.set(last);
            last = l2;
          }
          const times = eventTimes(block.columns[timeIdx]!, rows);
          const target = new Uint32Array(rows);
          for (let r = 0; r < rows; r++) {
            const k = ids[r]!;
            const t = times[r]!;
            let inst = open[k]!;
            if (inst >= 0) {
              if (t >= start[k]! + w.maxLength) {
                closed.push({ instance: inst, start: start[k]!, end: start[k]! + w.maxLength });
                inst = -1;
              } else if (t - last[k]! >= w.timeout) {
                closed.push({ instance: inst, start: start[k]!, end: last[k]! + w.timeout });
                inst = -1;
              }
            }
            if (inst < 0) {
              inst = instances++;
              instanceKey.push(k);
              open[k] = inst;
              start[k] = t;
              last[k] = t;
            } else if (t > last[k]!) last[k] = t;
            else if (t < start[k]!) start[k] = t;
            target[r] = inst;
          }
          for (let j = 0; j < this.aggregates.length; j++) {
            states[j]!.resize(instances);
            states[j]!.add(target, this.aggregates[j]!.args.map((a) => a.eval(block, ctx.fn)), rows);
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
    for (const a of this.aggregates) if (isEmitVersion(a.fn)) a.fn.emitVersion.value = this.emitVersion;
    this.emitVersion++;
    const n = closed.length;
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
    return concatBlocks(this.header, [out]);
  }
}
