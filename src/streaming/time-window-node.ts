import { Block, type Header } from '../core/block.js';
import type { Column } from '../columns/column.js';
import { NumericColumn } from '../columns/column.js';
import { materialize, takeColumn } from '../columns/ops.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import { isUnbounded, type PlanNode } from '../planner/plan-node.js';
import type { QueryContext } from '../exec/query-context.js';
import type { DataType } from '../types/data-type.js';
import { assignHop, tumbleStart } from './window-assign.js';
import { WatermarkClock } from './watermark.js';
import { msToTimeValue, timeValueToMs } from './seek-to.js';

export type TimeWindowKind = 'tumble' | 'hop';

/** Event times of a block as Float64 (a DateTime64 column is Float64 ticks already; others are converted). */
export function eventTimes(col: Column, rows: number): Float64Array {
  const m = materialize(col);
  const data = (m as NumericColumn).data;
  if (data instanceof Float64Array) return data;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = Number(data[i]);
  return out;
}

/** The calendar window of `months` months (aligned to 1970-01, UTC) holding time value `t` of `type`. */
function calendarWindow(type: DataType, t: number, months: number): [number, number] {
  const d = new Date(timeValueToMs(type, t));
  const index = d.getUTCFullYear() * 12 + d.getUTCMonth() - 1970 * 12;
  const first = Math.floor(index / months) * months + 1970 * 12;
  const at = (m: number): number => msToTimeValue(type, Date.UTC(Math.floor(m / 12), m % 12, 1));
  return [at(first), at(first + months)];
}

/** A column of time values of `type` (same physical layout as the time column). */
export function timeColumn(type: DataType, values: Float64Array): Column {
  if (type.kind === 'DateTime') return new NumericColumn(Uint32Array.from(values));
  if (type.kind === 'Date') return new NumericColumn(Uint16Array.from(values));
  if (type.kind === 'Date32') return new NumericColumn(Int32Array.from(values));
  return new NumericColumn(values);
}

/**
 * `tumble(s, [time,] size)` / `hop(s, [time,] step, size)`: adds `window_start` and `window_end` to each row
 * (hop repeats a row once per window containing it). Over a streaming input it also drives the query's
 * watermark: each block advances the clock, and rows whose window the watermark has already passed are late
 * and dropped (counted in the clock), because their window has been emitted.
 */
export class TimeWindowNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;
  /** Set when the query references window_start or window_end (Proton requires one of them). */
  windowReferenced = false;
  readonly clock = new WatermarkClock();

  constructor(
    readonly input: PlanNode,
    readonly kind: TimeWindowKind,
    readonly time: CompiledExpr,
    readonly timeType: DataType,
    /** Window size and hop step in the time column's unit. */
    readonly size: number,
    readonly step: number,
    /** Calendar tumble windows (month, quarter, year): the window length in months, aligned to 1970-01 in UTC. */
    readonly months?: number,
  ) {
    this.children = [input];
    this.header = [...input.header, { name: 'window_start', type: timeType }, { name: 'window_end', type: timeType }];
  }

  describe(): string {
    return `${this.kind === 'tumble' ? 'TumbleWindow' : 'HopWindow'} (${this.time.name}, size ${this.months ? `${this.months} months` : this.size}${this.kind === 'hop' ? `, step ${this.step}` : ''})`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const streaming = isUnbounded(this.input);
    const clock = this.clock;
    for await (const block of this.input.run(ctx)) {
      const rows = block.rows;
      if (!rows) continue;
      const times = eventTimes(this.time.eval(block, ctx.fn), rows);
      const watermark = streaming && clock.dropsLate ? clock.watermark : -Infinity;
      let out: Block;
      const lateBefore = clock.lateEvents;
      if (this.kind === 'tumble') out = this.tumble(block, times, watermark);
      else out = this.hop(block, times, watermark);
      ctx.progress.lateEvents += clock.lateEvents - lateBefore;
      if (streaming) {
        let max = -Infinity;
        for (let i = 0; i < rows; i++) if (times[i]! > max) max = times[i]!;
        clock.observe(max);
      }
      if (out.rows) yield out;
    }
  }

  private tumble(block: Block, times: Float64Array, watermark: number): Block {
    const rows = block.rows;
    const size = this.size;
    const starts = new Float64Array(rows);
    const ends = new Float64Array(rows);
    let late = 0;
    let mask: Uint8Array | undefined;
    for (let i = 0; i < rows; i++) {
      if (this.months) {
        const [s, e] = calendarWindow(this.timeType, times[i]!, this.months);
        starts[i] = s;
        ends[i] = e;
      } else {
        const s = tumbleStart(times[i]!, size);
        starts[i] = s;
        ends[i] = s + size;
      }
      if (ends[i]! <= watermark) {
        mask ??= new Uint8Array(rows).fill(1);
        mask[i] = 0;
        late++;
      }
    }
    let out = new Block(this.header, [...block.columns, timeColumn(this.timeType, starts), timeColumn(this.timeType, ends)], rows);
    if (mask) {
      this.clock.lateEvents += late;
      out = out.filter(mask, rows - late);
    }
    return out;
  }

  private hop(block: Block, times: Float64Array, watermark: number): Block {
    const size = this.size;
    let late = 0;
    const keep = watermark === -Infinity ? undefined : (end: number) => (end > watermark ? true : (late++, false));
    const { rowOf, starts, count } = assignHop(times, block.rows, this.step, size, keep);
    this.clock.lateEvents += late;
    const ends = new Float64Array(count);
    for (let i = 0; i < count; i++) ends[i] = starts[i]! + size;
    const cols = block.columns.map((c) => takeColumn(c, rowOf));
    return new Block(this.header, [...cols, timeColumn(this.timeType, starts.slice()), timeColumn(this.timeType, ends)], count);
  }
}
