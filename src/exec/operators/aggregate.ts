import { Block, type Header } from '../../core/block.js';
import type { CompiledExpr } from '../../analyzer/compiled-expr.js';
import { type Column, StringColumn } from '../../columns/column.js';
import { createBuilder, NumericBuilder, type ColumnBuilder } from '../../columns/builder.js';
import { materialize, takeColumn } from '../../columns/ops.js';
import { readValue } from '../../columns/values.js';
import type { AggregateFunction, AggregateStates } from '../../functions/function.js';
import { removeLowCardinality, type DataType } from '../../types/data-type.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { valueKey } from '../../analyzer/in-set.js';
import { BytesKeyTable, NumberKeyTable } from '../../core/key-tables.js';
import { checkCancelled, settingNumber, yieldToEventLoop, type QueryContext } from '../query-context.js';
import { DbError } from '../../errors/index.js';
import { predicateMask } from './filter.js';

export interface AggregateSpec {
  readonly name: string;
  readonly fn: AggregateFunction;
  readonly args: readonly CompiledExpr[];
}

export interface AggregateOptions {
  readonly withTotals: boolean;
  readonly modifier?: 'ROLLUP' | 'CUBE';
  /** GROUPING SETS: which keys each set keeps; only these groupings are emitted. */
  readonly groupingSets?: readonly (readonly boolean[])[];
  /** Receives the totals row when withTotals is set. */
  readonly onTotals?: (block: Block) => void;
  /** HAVING over the output; totals then cover only the groups that pass (totals_mode after_having). */
  readonly having?: CompiledExpr;
}

/** Maps each row's key to a dense group id and remembers each group's key values. */
export interface GroupIndex {
  size: number;
  assign(keys: Column[], rows: number, out: Uint32Array): void;
  keyColumns(): Column[];
}

const NUMERIC_KEY_KINDS = new Set(['UInt8', 'UInt16', 'UInt32', 'Int8', 'Int16', 'Int32', 'Float32', 'Float64', 'Date', 'Date32', 'DateTime', 'DateTime64', 'Enum8', 'Enum16', 'Bool', 'IPv4']);

export function makeGroupIndex(keyTypes: readonly DataType[]): GroupIndex {
  if (keyTypes.length === 1) {
    const t = removeLowCardinality(keyTypes[0]!);
    if (NUMERIC_KEY_KINDS.has(t.kind)) return numberGroupIndex(t);
    if (t.kind === 'String') return stringGroupIndex();
  }
  return genericGroupIndex(keyTypes);
}

function numberGroupIndex(type: DataType): GroupIndex {
  const table = new NumberKeyTable();
  const builder = createBuilder(type) as NumericBuilder;
  return {
    get size() {
      return table.size;
    },
    assign(keys, rows, out) {
      const d = (materialize(keys[0]!) as { data: Float64Array }).data;
      for (let i = 0; i < rows; i++) {
        const k = d[i]!;
        const before = table.size;
        const id = table.findOrInsert(k);
        if (table.size !== before) builder.pushNumber(k);
        out[i] = id;
      }
    },
    keyColumns: () => [builder.build()],
  };
}

function stringGroupIndex(): GroupIndex {
  const table = new BytesKeyTable();
  return {
    get size() {
      return table.size;
    },
    assign(keys, rows, out) {
      const c = materialize(keys[0]!) as StringColumn;
      const { chars, offsets } = c;
      for (let i = 0; i < rows; i++) out[i] = table.findOrInsert(chars, offsets[i]!, offsets[i + 1]!);
    },
    keyColumns: () => {
      const n = table.size;
      return [new StringColumn(table.arena.slice(0, table.offsets[n]!), table.offsets.slice(0, n + 1))];
    },
  };
}

function genericGroupIndex(keyTypes: readonly DataType[]): GroupIndex {
  const map = new Map<string | number, number>();
  const builders: ColumnBuilder[] = keyTypes.map((t) => createBuilder(t));
  return {
    get size() {
      return map.size;
    },
    assign(keys, rows, out) {
      const cols = keys.map(materialize);
      for (let i = 0; i < rows; i++) {
        let k: string | number;
        if (cols.length === 1) k = valueKey(readValue(keyTypes[0]!, cols[0]!, i));
        else {
          let s = '';
          for (let j = 0; j < cols.length; j++) s += String(valueKey(readValue(keyTypes[j]!, cols[j]!, i))) + '\u0002';
          k = s;
        }
        let id = map.get(k);
        if (id === undefined) {
          id = map.size;
          map.set(k, id);
          for (let j = 0; j < cols.length; j++) builders[j]!.push(readValue(keyTypes[j]!, cols[j]!, i));
        }
        out[i] = id;
      }
    },
    keyColumns: () => builders.map((b) => b.build()),
  };
}

/** GROUP BY: hash aggregation into columnar per-group states, then one finalize. */
export class AggregateNode implements PlanNode {
  readonly children: PlanNode[];
  readonly header: Header;

  constructor(
    readonly input: PlanNode,
    readonly keys: readonly CompiledExpr[],
    readonly aggregates: readonly AggregateSpec[],
    readonly options: AggregateOptions,
  ) {
    this.children = [input];
    this.header = [
      ...keys.map((k) => ({ name: k.name, type: k.type })),
      ...aggregates.map((a) => ({ name: a.name, type: a.fn.returnType })),
    ];
  }

  describe(): string {
    return `Aggregating (keys: ${this.keys.map((k) => k.name).join(', ') || '∅'}; ${this.aggregates.map((a) => a.name).join(', ')})`;
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const states = this.aggregates.map((a) => a.fn.createStates());

    if (this.keys.length === 0) {
      states.forEach((s) => s.resize(1));
      let n = 0;
      for await (const block of this.input.run(ctx)) {
        checkCancelled(ctx);
        if (!block.rows) continue;
        for (let j = 0; j < this.aggregates.length; j++) {
          states[j]!.addAll(this.aggregates[j]!.args.map((a) => a.eval(block, ctx.fn)), block.rows);
        }
        if (++n % 16 === 0) await yieldToEventLoop();
      }
      let block = new Block(this.header, states.map((s) => s.finalize(1)), 1);
      if (this.options.having) {
        const m = predicateMask(this.options.having.eval(block, ctx.fn), 1);
        if (m === 'none') block = block.slice(0, 0);
      }
      if (this.options.withTotals) this.options.onTotals?.(block.rows ? block : new Block(this.header, states.map((s) => s.finalize(1)), 1));
      if (block.rows) yield block;
      return;
    }

    const index = makeGroupIndex(this.keys.map((k) => k.type));
    const maxGroups = settingNumber(ctx.settings, 'max_rows_to_group_by', 0);
    let ids = new Uint32Array(0);
    let n = 0;
    for await (const block of this.input.run(ctx)) {
      checkCancelled(ctx);
      const rows = block.rows;
      if (!rows) continue;
      if (ids.length < rows) ids = new Uint32Array(rows);
      const groupIds = ids.subarray(0, rows);
      index.assign(this.keys.map((k) => k.eval(block, ctx.fn)), rows, groupIds);
      if (maxGroups > 0 && index.size > maxGroups && ctx.settings.get('group_by_overflow_mode') !== 'any') {
        throw new DbError('TOO_MANY_ROWS', `Limit for rows (controlled by 'max_rows_to_group_by' setting) exceeded: has ${index.size} rows, maximum: ${maxGroups}`);
      }
      for (let j = 0; j < this.aggregates.length; j++) {
        const args = this.aggregates[j]!.args.map((a) => a.eval(block, ctx.fn));
        states[j]!.resize(index.size);
        states[j]!.add(groupIds, args, rows);
      }
      if (++n % 8 === 0) await yieldToEventLoop();
    }

    const groups = index.size;
    const keyCols = index.keyColumns();
    const aggCols = states.map((s) => s.finalize(groups));
    const all = new Block(this.header, [...keyCols, ...aggCols], groups);
    let main = all;
    let passing: Uint8Array | undefined;
    if (this.options.having && groups) {
      const m = predicateMask(this.options.having.eval(main, ctx.fn), groups);
      passing = m === 'all' ? undefined : m === 'none' ? new Uint8Array(groups) : m.mask;
    }
    if (this.options.withTotals) {
      const totals = this.aggregates.map((a) => a.fn.createStates());
      for (let j = 0; j < totals.length; j++) {
        totals[j]!.resize(1);
        for (let g = 0; g < groups; g++) if (!passing || passing[g]) totals[j]!.mergeFrom(states[j]!, g, 0);
      }
      const keyDefaults = this.keys.map((k) => defaultOne(k.type));
      this.options.onTotals?.(new Block(this.header, [...keyDefaults, ...totals.map((s) => s.finalize(1))], 1));
    }
    if (passing) main = main.filter(passing, passing.reduce((a, b) => a + b, 0));
    if (this.options.groupingSets) {
      for (const keep of this.options.groupingSets) {
        yield keep.every(Boolean) ? main : this.regroup(all, states, [...keep], groups);
      }
      return;
    }
    const step = ctx.blockRows;
    for (let i = 0; i < main.rows; i += step) yield main.slice(i, i + step);

    if (this.options.modifier) {
      for (const subset of this.groupingSubsets()) {
        yield this.regroup(all, states, subset, groups);
      }
    }
  }

  /** ROLLUP: drop keys from the right one at a time; CUBE: every proper subset, larger first. */
  private groupingSubsets(): boolean[][] {
    const n = this.keys.length;
    const out: boolean[][] = [];
    if (this.options.modifier === 'ROLLUP') {
      for (let keep = n - 1; keep >= 0; keep--) out.push(this.keys.map((_, i) => i < keep));
    } else {
      for (let mask = (1 << n) - 2; mask >= 0; mask--) out.push(this.keys.map((_, i) => ((mask >> (n - 1 - i)) & 1) === 1));
    }
    return out;
  }

  /** Merges the main groups into coarser groups keyed by the kept keys; dropped keys show their default. */
  private regroup(main: Block, states: AggregateStates[], keep: boolean[], groups: number): Block {
    const keptIdx = keep.map((k, i) => (k ? i : -1)).filter((i) => i >= 0);
    const index = makeGroupIndex(keptIdx.map((i) => this.keys[i]!.type));
    const ids = new Uint32Array(groups);
    if (keptIdx.length) index.assign(keptIdx.map((i) => main.columns[i]!), groups, ids);
    const count = keptIdx.length ? index.size : 1;
    const merged = this.aggregates.map((a) => a.fn.createStates());
    for (let j = 0; j < merged.length; j++) {
      merged[j]!.resize(count);
      for (let g = 0; g < groups; g++) merged[j]!.mergeFrom(states[j]!, g, ids[g]!);
    }
    // Representative rows for key columns: first main group of each new group.
    const first = new Int32Array(count).fill(-1);
    for (let g = 0; g < groups; g++) if (first[ids[g]!]! < 0) first[ids[g]!] = g;
    const take = Uint32Array.from(first, (x) => Math.max(0, x));
    const keyCols = this.keys.map((k, i) => (keep[i] ? takeColumn(main.columns[i]!, take) : repeatDefault(k.type, count)));
    return new Block(this.header, [...keyCols, ...merged.map((s) => s.finalize(count))], count);
  }
}

function defaultOne(type: DataType): Column {
  const b = createBuilder(type, 1);
  b.pushDefault();
  return b.build();
}

function repeatDefault(type: DataType, n: number): Column {
  return takeColumn(defaultOne(type), new Uint32Array(n));
}

