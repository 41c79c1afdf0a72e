import { Block, type Header } from '../core/block.js';
import type { Column } from '../columns/column.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import type { AggregateStates } from '../functions/function.js';
import type { FunctionContext } from '../functions/function.js';
import { makeGroupIndex, type AggregateSpec, type GroupIndex } from '../exec/operators/aggregate.js';
import { takeColumn } from '../columns/ops.js';
import { retractingStates, type Deltas, type RetractingStates } from './changelog/retracting-states.js';
import { deltaAt } from './changelog/latest-per-key.js';
import { isEmitVersion } from './emit-version.js';
import { readValue } from '../columns/values.js';
import { valueKey } from '../analyzer/in-set.js';

const FIRST_ROW = new Uint32Array(1);

/** A GroupTable's state as plain data (materialized-view checkpoints): keys and serialized states in group-id order. */
export interface GroupTableSnapshot {
  readonly rows: number;
  readonly groups: number;
  /** Key columns, `groups` rows each (none without GROUP BY keys). */
  readonly keys: readonly Column[];
  /** Per aggregate, per group: AggregateStates.serializeState. */
  readonly states: readonly (readonly Uint8Array[])[];
  /** Over a changelog: each group's net row count. */
  readonly net?: Float64Array;
  /** Groups changed since the last emission (EMIT CHANGELOG): they emit at the next tick after a restore too. */
  readonly changed?: Uint8Array;
}

/**
 * The aggregation state of one streaming GROUP BY (or of one window of it): a typed hash from keys to dense
 * group ids plus columnar per-group states. Unlike the bounded AggregateNode it can be finalized any number of
 * times while rows keep arriving.
 */
export class GroupTable {
  private readonly index: GroupIndex | undefined;
  /** The keys that vary within this table (hashed); the others are constant (a window's start and end). */
  private readonly hashed: readonly CompiledExpr[];
  /** For each constant key position: its one-row value, taken from the first block. */
  private constants: (Column | undefined)[] = [];
  readonly states: AggregateStates[];
  private ids = new Uint32Array(0);
  /** Groups touched since the last `takeChanged` (EMIT ON UPDATE). */
  private changed: Uint8Array = new Uint8Array(0);
  rows = 0;

  constructor(
    readonly keys: readonly CompiledExpr[],
    readonly aggregates: readonly AggregateSpec[],
    private readonly trackChanges = false,
    /**
     * Key positions known to be constant within the table (window_start / window_end of one window): they are
     * not hashed, so `GROUP BY k, window_start` hashes k alone (a typed hash instead of a composite key).
     */
    private readonly constantKeys: readonly boolean[] = [],
    /**
     * Over a changelog: each row's `_tp_delta` (+1 / −1). States then retract, and a group whose rows have all
     * been retracted disappears from the results.
     */
    private readonly delta?: CompiledExpr,
  ) {
    this.hashed = keys.filter((_, i) => !constantKeys[i]);
    this.index = this.hashed.length ? makeGroupIndex(this.hashed.map((k) => k.type)) : undefined;
    // emit_version() counts emissions, not rows: nothing to retract.
    this.states = aggregates.map((a) => (delta && !isEmitVersion(a.fn) ? retractingStates(a) : a.fn.createStates()));
    if (!this.index) for (const s of this.states) s.resize(1);
  }

  /** Changelog input: the net number of rows in each group (+1s minus −1s). */
  private net = new Float64Array(0);

  /** Whether a group has rows (always, unless rows were retracted). */
  present(group: number): boolean {
    return !this.delta || !this.keys.length || this.net[group]! > 0;
  }

  private addNet(groupIds: Uint32Array, rows: number, deltas: Deltas): void {
    if (this.net.length < this.groups) {
      const n = new Float64Array(Math.max(this.groups, this.net.length * 2, 16));
      n.set(this.net);
      this.net = n;
    }
    for (let i = 0; i < rows; i++) this.net[groupIds[i]!]! += deltas(i);
  }

  get groups(): number {
    return this.index ? this.index.size : this.rows > 0 ? 1 : 0;
  }

  add(block: Block, fn: FunctionContext): void {
    const rows = block.rows;
    if (!rows) return;
    if (this.rows === 0 && this.hashed.length < this.keys.length) {
      this.constants = this.keys.map((k, i) => (this.constantKeys[i] ? takeColumn(k.eval(block, fn), FIRST_ROW) : undefined));
    }
    this.rows += rows;
    if (this.ids.length < rows) this.ids = new Uint32Array(Math.max(rows, this.ids.length * 2));
    if (!this.index && !this.delta) {
      for (let j = 0; j < this.aggregates.length; j++) this.states[j]!.addAll(this.aggregates[j]!.args.map((a) => a.eval(block, fn)), rows);
      if (this.trackChanges) this.markChanged(new Uint32Array(1), 1);
      return;
    }
    const groupIds = this.ids.subarray(0, rows);
    if (this.index) this.index.assign(this.hashed.map((k) => k.eval(block, fn)), rows, groupIds);
    else groupIds.fill(0);
    const groups = this.index ? this.index.size : 1;
    const deltas = this.delta ? deltaAt(this.delta.eval(block, fn)) : undefined;
    for (let j = 0; j < this.aggregates.length; j++) {
      const args = this.aggregates[j]!.args.map((a) => a.eval(block, fn));
      const st = this.states[j]!;
      st.resize(groups);
      if (deltas && 'addDeltas' in st) (st as RetractingStates).addDeltas(groupIds, args, rows, deltas);
      else st.add(groupIds, args, rows);
    }
    if (deltas) this.addNet(groupIds, rows, deltas);
    if (this.trackChanges) this.markChanged(groupIds, rows);
  }

  private markChanged(ids: Uint32Array, rows: number): void {
    const n = this.groups;
    if (this.changed.length < n) {
      const c = new Uint8Array(Math.max(n, this.changed.length * 2));
      c.set(this.changed);
      this.changed = c;
    }
    for (let i = 0; i < rows; i++) this.changed[ids[i]!] = 1;
  }

  /** Key columns of every group, in key order (constant keys repeated). */
  private keyColumns(groups: number): Column[] {
    const hashed = this.index ? this.index.keyColumns() : [];
    if (hashed.length === this.keys.length) return hashed;
    let h = 0;
    const zeros = new Uint32Array(groups);
    return this.keys.map((_, i) => (this.constantKeys[i] ? takeColumn(this.constants[i]!, zeros) : hashed[h++]!));
  }

  /** Current results of every group, row = group id (retracted groups included): key columns then aggregates. */
  finalizeAll(header: Header): Block {
    const rows = this.index ? this.groups : 1;
    const aggCols = this.states.map((s) => s.finalize(rows));
    return new Block(header, [...(this.keys.length ? this.keyColumns(rows) : []), ...aggCols], rows);
  }

  /**
   * Current results of every group. As in Proton, a group whose rows have all been retracted stays, with the
   * aggregates of no rows (count 0, avg nan); only EMIT CHANGELOG retracts it (see `present`).
   */
  finalize(header: Header): Block {
    return this.finalizeAll(header);
  }

  /** Groups changed since the last call, cleared (EMIT CHANGELOG / ON UPDATE). */
  takeChanged(): Uint8Array {
    const out = this.changed.slice(0, this.groups);
    this.changed.fill(0);
    return out;
  }

  /**
   * Substreams: results of every group whose substream (the key columns at `positions`) had a group changed
   * since the last call.
   */
  finalizeChangedSubstreams(header: Header, positions: readonly number[]): Block {
    const all = this.finalizeAll(header);
    const changed = this.takeChanged();
    const keyOf = (r: number): string => positions.map((p) => String(valueKey(readValue(header[p]!.type, all.columns[p]!, r)))).join('\u0001');
    const touched = new Set<string>();
    for (let g = 0; g < all.rows; g++) if (changed[g]) touched.add(keyOf(g));
    const mask = new Uint8Array(all.rows);
    let n = 0;
    for (let g = 0; g < all.rows; g++) if (touched.has(keyOf(g))) (mask[g] = 1), n++;
    return n === all.rows ? all : all.filter(mask, n);
  }

  /** Results of the groups changed since the last call only. */
  finalizeChanged(header: Header): Block {
    const all = this.finalizeAll(header);
    const mask = this.changed.subarray(0, all.rows);
    let n = 0;
    for (let i = 0; i < mask.length; i++) n += mask[i]!;
    const out = n === all.rows ? all : all.filter(mask.slice(), n);
    this.changed.fill(0);
    return out;
  }

  /** Materialized views: the whole state as plain data, for a checkpoint. */
  snapshot(): GroupTableSnapshot {
    const groups = this.groups;
    return {
      rows: this.rows,
      groups,
      keys: this.keys.length && groups ? this.keyColumns(groups) : [],
      states: this.states.map((s) => Array.from({ length: groups }, (_, g) => s.serializeState(g))),
      net: this.delta ? Float64Array.from({ length: groups }, (_, g) => this.net[g] ?? 0) : undefined,
      changed: this.trackChanges ? Uint8Array.from({ length: groups }, (_, g) => this.changed[g] ?? 0) : undefined,
    };
  }

  /** Materialized views: loads a checkpoint's state into this (empty) table. */
  restore(snap: GroupTableSnapshot): void {
    const groups = snap.groups;
    let ids: Uint32Array;
    if (groups && this.hashed.length < this.keys.length) {
      this.constants = snap.keys.map((c, i) => (this.constantKeys[i] ? takeColumn(c, FIRST_ROW) : undefined));
    }
    if (this.index) {
      ids = new Uint32Array(groups);
      if (groups) this.index.assign(snap.keys.filter((_, i) => !this.constantKeys[i]), groups, ids);
      for (const s of this.states) s.resize(this.index.size);
    } else ids = new Uint32Array(groups);
    for (let j = 0; j < this.states.length; j++) {
      const s = this.states[j]!;
      const saved = snap.states[j]!;
      for (let g = 0; g < groups; g++) s.mergeState(ids[g]!, s.deserializeState(saved[g]!));
    }
    if (this.delta && snap.net) {
      this.addNet(ids, groups, (g) => snap.net![g]!);
    }
    this.rows += snap.rows;
    if (this.trackChanges && snap.changed) {
      const pending = Uint32Array.from(ids.filter((_, g) => snap.changed![g] === 1));
      this.markChanged(pending, pending.length);
    }
  }
}
