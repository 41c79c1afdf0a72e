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
import type { AggregateCheckpoint, CheckpointedAggregate } from './streaming-aggregate.js';

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
 * A session aggregation's state between blocks, for SUBSCRIBE and materialized-view checkpoints: every substream
 * seen (its emissions count for emit_version()) and, for one with an open session, the session's window,
 * deadlines and groups with their aggregate states. Closed sessions have been emitted and are not part of it.
 */
export interface SessionSnapshot {
  /** The substreams' PARTITION BY keys, one row per substream in id order; absent without PARTITION BY (one substream). */
  readonly substreams?: Block;
  readonly substreamCount: number;
  /** The GROUP BY keys other than the window, one row per group in id order; absent when there are none (one group). */
  readonly groups?: Block;
  /** Per substream: 1 while a session is open. */
  readonly open: Uint8Array;
  /** Per substream: the window's start and end so far, the idle deadline and the maximum-length deadline. */
  readonly winStart: Float64Array;
  readonly winEnd: Float64Array;
  readonly timeoutAt: Float64Array;
  readonly maxAt: Float64Array;
  /** Per substream: sessions emitted so far. */
  readonly emitted: Float64Array;
  /** Per open session (substream order): the group ids it holds. */
  readonly sessionGroups: readonly Uint32Array[];
  /** Per aggregate, the serialized state of each group of each open session, in the order of `sessionGroups`. */
  readonly states: readonly (readonly Uint8Array[])[];
}

/** Slot compaction of session states: at least this many slots, and this many times the open sessions' slots. */
const COMPACT_MIN_SLOTS = 4096;
const COMPACT_RATIO = 4;

/** One session: its groups (group id → state slot), in arrival order. */
type SessionGroups = Map<number, number>;

/** Groups of one session to emit: a closed session's (its last emission), or an open one's as it stands. */
interface SessionEmission {
  readonly instance: number;
  readonly start: number;
  readonly end: number;
  /** Only these groups (ON UPDATE: the ones changed since the last emission); all when undefined. */
  readonly only?: ReadonlySet<number>;
  /** The session stays open: its states are kept. */
  readonly open?: boolean;
}

/**
 * GROUP BY window_start, window_end over session windows. Sessions are per substream (the query's PARTITION BY;
 * without one, a single session at a time over the whole stream, as Proton's SessionAggregatingTransform), and
 * the other GROUP BY keys group the rows inside each session. Proton's rules (SessionWindowHelper), per
 * substream and in arrival order: an event at or after the session's start + max_length closes it with
 * window_end = start + max_length; one at or after the last event + timeout closes it with window_end = that; an
 * event matching the end condition closes it (kept with `]`). A closing event opens the next session when it
 * matches the start condition (always, without conditions). Kept events extend window_end to just past the
 * latest one. `EMIT … TIMEOUT` and the end of a bounded input close every open session where it stands.
 * `EMIT PERIODIC` / `ON UPDATE` also emit open sessions as they stand (their window_end is just past the latest
 * event), as Proton's session aggregation does when a periodic watermark meets an active session.
 */
export class SessionAggregateNode implements PlanNode, CheckpointedAggregate {
  readonly children: PlanNode[];
  readonly header: Header;
  /** Emissions per substream, for emit_version(). */
  private readonly emitted = new Map<number, number>();
  /** Checkpoints: called right after each input block has been added to the state. */
  onInput?: () => void;
  /** Checkpoints: the state to start from. */
  restoreFrom?: AggregateCheckpoint;
  /** True from an emission until the consumer asks for more: a checkpoint taken meanwhile could miss rows not yet written. */
  emitting = false;
  private live: (() => SessionSnapshot) | undefined;
  constructor(
    readonly input: PlanNode,
    readonly keys: readonly CompiledExpr[],
    readonly aggregates: readonly AggregateSpec[],
    readonly window: SessionWindowNode,
    readonly having: CompiledExpr | undefined,
    readonly streaming: boolean,
    readonly timeoutMs?: number,
    /** The keys (by name) of the query's PARTITION BY: each substream has its own sessions. */
    readonly partitionNames: ReadonlySet<string> = new Set(),
    /** `EMIT PERIODIC i` / `EMIT ON UPDATE`: open sessions are emitted as they stand (window_end just past their latest event). */
    readonly emitOpen: { readonly periodicMs?: number; readonly onUpdate?: boolean } = {},
  ) {
    this.children = [input];
    this.header = [...keys.map((k) => ({ name: k.name, type: k.type })), ...aggregates.map((a) => ({ name: a.name, type: a.fn.returnType }))];
  }

  describe(): string {
    return `SessionAggregating (keys: ${this.keys.map((k) => k.name).join(', ')}; ${this.aggregates.map((a) => a.name).join(', ')})`;
  }

  /** Checkpoints: the current state (call between blocks, when `emitting` is false). */
  snapshotState(): AggregateCheckpoint {
    return { emitVersion: 0, sessions: this.live?.() };
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const w = this.window;
    const timeIdx = this.input.header.findIndex((c) => c.name === 'window_start');
    const windowKey = this.keys.map((k) => (k.name === 'window_start' ? 'start' : k.name === 'window_end' ? 'end' : undefined));
    const groupKeys = this.keys.filter((_, i) => !windowKey[i]);
    const subKeys = groupKeys.filter((k) => this.partitionNames.has(k.name));
    const groupIndex: GroupIndex | undefined = groupKeys.length ? makeGroupIndex(groupKeys.map((k) => k.type)) : undefined;
    const subIndex: GroupIndex | undefined = subKeys.length ? makeGroupIndex(subKeys.map((k) => k.type)) : undefined;
    // Per substream: the open session (instance id, -1 when none), its window and deadlines.
    let open = new Int32Array(64).fill(-1);
    let winStart: Float64Array = new Float64Array(64);
    let winEnd: Float64Array = new Float64Array(64);
    let timeoutAt: Float64Array = new Float64Array(64);
    let maxAt: Float64Array = new Float64Array(64);
    // The substream's watermark: its largest event time so far (Proton stamps a session's watermark per row).
    let latest: Float64Array = new Float64Array(64).fill(-Infinity);
    // Per session instance: its substream and its groups; the aggregate states are per (session, group) slot.
    let instanceSub: number[] = [];
    let instanceGroups: SessionGroups[] = [];
    let states: AggregateStates[] = this.aggregates.map((a) => a.fn.createStates());
    let slots = 0;
    const closed: SessionEmission[] = [];
    const periodMs = this.emitOpen.periodicMs ?? Infinity;
    const onUpdate = !!this.emitOpen.onUpdate;
    // EMIT PERIODIC / ON UPDATE: per substream, the groups of its open session changed since they were last emitted.
    const tracksChanges = onUpdate || periodMs !== Infinity;
    const changed = new Map<number, Set<number>>();
    /** A closing session: ON UPDATE emits only its groups changed since the last emission. */
    const closing = (k: number, end: number): SessionEmission => {
      const only = onUpdate ? (changed.get(k) ?? new Set<number>()) : undefined;
      changed.delete(k);
      return { instance: open[k]!, start: winStart[k]!, end, only };
    };
    /** The open sessions with changes, as they stand (ON UPDATE: only the changed groups). */
    const openChanges = (): SessionEmission[] => {
      const out: SessionEmission[] = [];
      for (const [k, groups] of changed) {
        if (open[k]! >= 0 && groups.size) out.push({ instance: open[k]!, start: winStart[k]!, end: winEnd[k]!, only: onUpdate ? groups : undefined, open: true });
      }
      changed.clear();
      return out;
    };
    let subIds = new Uint32Array(0);
    let groupIds = new Uint32Array(0);
    const cond = w.conditions;
    const grow = (size: number): void => {
      if (open.length >= size) return;
      const n = Math.max(size, open.length * 2);
      const widen = (a: Float64Array, fill = 0): Float64Array => {
        const b = new Float64Array(n).fill(fill);
        b.set(a);
        return b;
      };
      const o2 = new Int32Array(n).fill(-1);
      o2.set(open);
      open = o2;
      winStart = widen(winStart);
      winEnd = widen(winEnd);
      timeoutAt = widen(timeoutAt);
      maxAt = widen(maxAt);
      latest = widen(latest, -Infinity);
    };
    const newInstance = (k: number): number => {
      instanceSub.push(k);
      instanceGroups.push(new Map());
      return instanceSub.length - 1;
    };
    const slotOf = (inst: number, g: number): number => {
      const groups = instanceGroups[inst]!;
      let slot = groups.get(g);
      if (slot === undefined) groups.set(g, (slot = slots++));
      return slot;
    };
    const restored = this.restoreFrom?.sessions;
    if (restored) {
      if (subIndex && restored.substreams) subIndex.assign(restored.substreams.columns, restored.substreamCount, new Uint32Array(restored.substreamCount));
      if (groupIndex && restored.groups) groupIndex.assign(restored.groups.columns, restored.groups.rows, new Uint32Array(restored.groups.rows));
      grow(restored.substreamCount);
      let o = 0;
      let saved = 0;
      for (let k = 0; k < restored.substreamCount; k++) {
        if (restored.emitted[k]) this.emitted.set(k, restored.emitted[k]!);
        if (!restored.open[k]) continue;
        const inst = newInstance(k);
        open[k] = inst;
        winStart[k] = restored.winStart[k]!;
        winEnd[k] = restored.winEnd[k]!;
        timeoutAt[k] = restored.timeoutAt[k]!;
        maxAt[k] = restored.maxAt[k]!;
        // Not checkpointed itself: the open session's last event is a lower bound of the watermark.
        latest[k] = restored.winEnd[k]! - 1;
        for (const g of restored.sessionGroups[o++]!) {
          const slot = slotOf(inst, g);
          for (let j = 0; j < states.length; j++) {
            states[j]!.resize(slots);
            states[j]!.mergeState(slot, states[j]!.deserializeState(restored.states[j]![saved]!));
          }
          saved++;
        }
      }
    }
    this.live = (): SessionSnapshot => {
      const substreamCount = subIndex ? subIndex.size : 1;
      const isOpen = new Uint8Array(substreamCount);
      const sessionGroups: Uint32Array[] = [];
      const saved: Uint8Array[][] = states.map(() => []);
      for (let k = 0; k < substreamCount; k++) {
        const inst = open[k] ?? -1;
        if (inst < 0) continue;
        isOpen[k] = 1;
        const groups = instanceGroups[inst]!;
        sessionGroups.push(Uint32Array.from(groups.keys()));
        for (const slot of groups.values()) states.forEach((st, j) => saved[j]!.push(st.serializeState(slot)));
      }
      const pick = (a: Float64Array): Float64Array => a.slice(0, substreamCount);
      const keyBlock = (index: GroupIndex | undefined, keys: readonly CompiledExpr[]): Block | undefined =>
        index && index.size ? new Block(keys.map((k, i) => ({ name: `k${i}`, type: k.type })), index.keyColumns(), index.size) : undefined;
      return {
        substreams: keyBlock(subIndex, subKeys),
        substreamCount,
        groups: keyBlock(groupIndex, groupKeys),
        open: isOpen,
        winStart: pick(winStart),
        winEnd: pick(winEnd),
        timeoutAt: pick(timeoutAt),
        maxAt: pick(maxAt),
        emitted: Float64Array.from({ length: substreamCount }, (_, k) => this.emitted.get(k) ?? 0),
        sessionGroups,
        states: saved,
      };
    };
    // Emitted sessions leave their slots (and instance entries) behind: once they far outnumber the open
    // sessions' slots, the open ones move to fresh states, so memory follows the open sessions, not the history.
    const compact = (): void => {
      let live = 0;
      for (let k = 0; k < open.length; k++) if (open[k]! >= 0) live += instanceGroups[open[k]!]!.size;
      if (slots < COMPACT_MIN_SLOTS || slots < COMPACT_RATIO * live) return;
      const fresh = this.aggregates.map((a) => a.fn.createStates());
      for (const f of fresh) f.resize(live);
      const subs: number[] = [];
      const groupsOf: SessionGroups[] = [];
      let n = 0;
      for (let k = 0; k < open.length; k++) {
        const inst = open[k]!;
        if (inst < 0) continue;
        const groups = instanceGroups[inst]!;
        for (const [g, slot] of groups) {
          for (let j = 0; j < fresh.length; j++) fresh[j]!.mergeFrom(states[j]!, slot, n);
          groups.set(g, n++);
        }
        open[k] = subs.length;
        subs.push(k);
        groupsOf.push(groups);
      }
      states = fresh;
      slots = n;
      instanceSub = subs;
      instanceGroups = groupsOf;
    };
    const closeAll = (): void => {
      for (let k = 0; k < open.length; k++) {
        const inst = open[k]!;
        if (inst < 0) continue;
        if (Number.isFinite(winStart[k]!)) closed.push(closing(k, winEnd[k]!));
        open[k] = -1;
      }
    };
    const pump = new InputPump(this.input.run(ctx));
    const timeoutMs = this.timeoutMs ?? Infinity;
    let due = Date.now() + periodMs;
    let lastEvent = Date.now();
    try {
      for (;;) {
        const got = await pump.next(Math.min(due, lastEvent + timeoutMs) - Date.now());
        checkCancelled(ctx);
        let emitOpen = false;
        if (got === TICK) {
          const t = Date.now();
          if (t >= lastEvent + timeoutMs) {
            // EMIT … TIMEOUT: no event for a while, so every open session ends where its last event is.
            lastEvent = t;
            closeAll();
          }
          if (t >= due) {
            due = t + periodMs;
            emitOpen = true;
          }
        } else if (got === undefined) {
          if (!this.streaming) {
            closeAll();
            const out = this.emit(closed, instanceSub, instanceGroups, groupIndex, states, windowKey, ctx);
            if (out) yield out;
          }
          return;
        } else {
          const block = got;
          const rows = block.rows;
          if (!rows) continue;
          lastEvent = Date.now();
          if (subIds.length < rows) subIds = new Uint32Array(rows);
          if (groupIds.length < rows) groupIds = new Uint32Array(rows);
          const subs = subIds.subarray(0, rows);
          const gids = groupIds.subarray(0, rows);
          if (subIndex) subIndex.assign(subKeys.map((k) => k.eval(block, ctx.fn)), rows, subs);
          else subs.fill(0);
          if (groupIndex) groupIndex.assign(groupKeys.map((k) => k.eval(block, ctx.fn)), rows, gids);
          else gids.fill(0);
          grow(subIndex ? subIndex.size : 1);
          const times = eventTimes(block.columns[timeIdx]!, rows);
          const startOk = cond ? predicateMask(cond.start.eval(block, ctx.fn), rows) : 'all';
          const endOk = cond ? predicateMask(cond.end.eval(block, ctx.fn), rows) : 'none';
          const isStart = (r: number): boolean => startOk === 'all' || (startOk !== 'none' && startOk.mask[r] === 1);
          const isEnd = (r: number): boolean => endOk !== 'none' && (endOk === 'all' || endOk.mask[r] === 1);
          // Rows kept in a session go to their (session, group) slot; rows outside any session are dropped.
          const target = new Uint32Array(rows);
          const keep = new Uint8Array(rows);
          let kept = 0;
          const keepRow = (r: number, k: number, t: number): void => {
            if (!Number.isFinite(winStart[k]!)) winStart[k] = t;
            if (t >= winEnd[k]!) {
              winEnd[k] = t + 1;
              timeoutAt[k] = t + w.timeout;
            }
            target[r] = slotOf(open[k]!, gids[r]!);
            keep[r] = 1;
            kept++;
            if (tracksChanges) {
              let groups = changed.get(k);
              if (!groups) changed.set(k, (groups = new Set()));
              groups.add(gids[r]!);
            }
          };
          const openSession = (r: number, k: number, t: number): void => {
            open[k] = newInstance(k);
            winStart[k] = Infinity;
            winEnd[k] = -Infinity;
            timeoutAt[k] = t + w.timeout;
            maxAt[k] = t + w.maxLength;
            if (!cond || cond.startInclusive) keepRow(r, k, t);
          };
          const close = (k: number, end: number): void => {
            if (Number.isFinite(winStart[k]!)) closed.push(closing(k, end));
            open[k] = -1;
          };
          let late = 0;
          for (let r = 0; r < rows; r++) {
            const k = subs[r]!;
            const t = times[r]!;
            if (this.streaming) {
              // An event older than its substream's latest one is late, even within one block: dropped.
              if (t > latest[k]!) latest[k] = t;
              else if (t < latest[k]!) {
                late++;
                continue;
              }
            }
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
          ctx.progress.lateEvents += late;
          if (kept) {
            const sub = kept === rows ? block : block.filter(keep, kept);
            const subTarget = kept === rows ? target : target.filter((_, i) => keep[i] === 1);
            for (let j = 0; j < this.aggregates.length; j++) {
              states[j]!.resize(slots);
              states[j]!.add(subTarget, this.aggregates[j]!.args.map((a) => a.eval(sub, ctx.fn)), kept);
            }
          }
          this.onInput?.();
          // EMIT ON UPDATE (without PERIODIC): after each block.
          emitOpen = onUpdate && periodMs === Infinity;
        }
        const emissions = emitOpen ? [...closed, ...openChanges()] : closed;
        if (emissions.length) {
          const out = this.emit(emissions, instanceSub, instanceGroups, groupIndex, states, windowKey, ctx);
          closed.length = 0;
          compact();
          if (out) {
            this.emitting = true;
            try {
              yield out;
            } finally {
              this.emitting = false;
            }
          }
        }
      }
    } finally {
      pump.close();
    }
  }

  /** One row per group of each session emitted (closed ones in closing order, then open ones; groups in arrival order). */
  private emit(
    emissions: readonly SessionEmission[],
    instanceSub: readonly number[],
    instanceGroups: SessionGroups[],
    groupIndex: GroupIndex | undefined,
    states: AggregateStates[],
    windowKey: ('start' | 'end' | undefined)[],
    ctx: QueryContext,
  ): Block | undefined {
    if (!emissions.length) return undefined;
    const take: number[] = [];
    const slotList: number[] = [];
    const starts: number[] = [];
    const ends: number[] = [];
    const versions: number[] = [];
    for (const c of emissions) {
      if (c.only?.size === 0) {
        if (!c.open) instanceGroups[c.instance] = new Map();
        continue;
      }
      // emit_version() counts the emissions of each substream (Proton's per-substream versions).
      const k = instanceSub[c.instance]!;
      const v = this.emitted.get(k) ?? 0;
      this.emitted.set(k, v + 1);
      for (const [g, slot] of instanceGroups[c.instance]!) {
        if (c.only && !c.only.has(g)) continue;
        take.push(g);
        slotList.push(slot);
        starts.push(c.start);
        ends.push(c.end);
        versions.push(v);
      }
      // A closed session is emitted for the last time: its groups' states are no longer needed.
      if (!c.open) instanceGroups[c.instance] = new Map();
    }
    const n = take.length;
    if (!n) return undefined;
    for (const a of this.aggregates) if (isEmitVersion(a.fn)) a.fn.emitVersion.perRow = Float64Array.from(versions);
    const keyCols = groupIndex ? groupIndex.keyColumns() : [];
    const takeIds = Uint32Array.from(take);
    let p = 0;
    const columns: Column[] = this.keys.map((_, i) => {
      const wk = windowKey[i];
      if (wk === 'start') return timeColumn(this.window.timeType, Float64Array.from(starts));
      if (wk === 'end') return timeColumn(this.window.timeType, Float64Array.from(ends));
      return takeColumn(keyCols[p++]!, takeIds);
    });
    for (let j = 0; j < this.aggregates.length; j++) {
      const one = this.aggregates[j]!.fn.createStates();
      one.resize(n);
      for (let i = 0; i < n; i++) one.mergeFrom(states[j]!, slotList[i]!, i);
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
