import { type Column, NumericColumn } from '../../columns/column.js';
import { readValue } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { T, type DataType } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor, AggregateStates } from '../function.js';
import { isBigArray, toFloat64 } from '../core/columns.js';
import { keyOf, keyOfValue } from './combinators.js';
import { numericArg } from './columnar.js';
import { decodeState, encodeState } from './state-codec.js';
import { decodeUtf8 } from '../../columns/column.js';
import { NumberKeyTable } from '../../core/key-tables.js';

const CATEGORY = 'Aggregate';

/**
 * Exact distinct counting: one Set per group. Numbers go in as numbers (bigints beyond 2^53 as text),
 * strings as their text, tuples of arguments as a joined key. ClickHouse's approximate uniq variants are
 * exact for small cardinalities; here they are exact always.
 */
export class UniqStates implements AggregateStates {
  sets: Set<number | string>[] = [];
  /**
   * Without GROUP BY, numeric values go into a typed open-addressing table instead of a JS Set (the Set costs
   * an allocation-heavy insert per row); it is folded into `sets[0]` before any other use.
   */
  private single: NumberKeyTable | undefined;
  constructor(readonly argTypes: readonly DataType[]) {}

  private flush(): void {
    if (!this.single) return;
    this.resize(1);
    const into = this.sets[0]!;
    for (const k of this.single.keyList()) into.add(k);
    this.single = undefined;
  }

  resize(groups: number): void {
    while (this.sets.length < groups) this.sets.push(new Set());
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    this.flush();
    const sets = this.sets;
    if (args.length === 1) {
      const col = args[0]!;
      const a = numericArg(col);
      if (a) {
        let data = a.data;
        let exact = true;
        if (isBigArray(data)) {
          const c = toFloat64(data);
          exact = c.exact;
          if (exact) data = c.data;
        }
        if (exact) {
          const d = data as Float64Array;
          if (a.isConst) for (let i = 0; i < rows; i++) sets[groupIds[i]!]!.add(d[0]!);
          else for (let i = 0; i < rows; i++) sets[groupIds[i]!]!.add(d[i]!);
          return;
        }
      }
      const c = col.kind === 'const' ? col.inner : col;
      if (c.kind === 'string') {
        const { chars, offsets } = c;
        const isConst = col.kind === 'const';
        for (let i = 0; i < rows; i++) {
          const r = isConst ? 0 : i;
          sets[groupIds[i]!]!.add(decodeUtf8(chars, offsets[r]!, offsets[r + 1]!));
        }
        return;
      }
      const t = this.argTypes[0]!;
      for (let i = 0; i < rows; i++) {
        const v = readValue(t, col, i);
        sets[groupIds[i]!]!.add(typeof v === 'number' ? v : keyOfValue(v));
      }
      return;
    }
    const vals = new Array(args.length);
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < args.length; k++) vals[k] = readValue(this.argTypes[k]!, args[k]!, i);
      sets[groupIds[i]!]!.add(keyOf(vals));
    }
  }

  addAll(args: Column[], rows: number): void {
    this.resize(1);
    if (args.length === 1 && (this.single || this.sets[0]!.size === 0)) {
      const a = numericArg(args[0]!);
      if (a && !a.isConst && !isBigArray(a.data)) {
        const table = (this.single ??= new NumberKeyTable(1 << 16));
        const d = a.data as Float64Array;
        for (let i = 0; i < rows; i++) table.findOrInsert(d[i]!);
        return;
      }
    }
    this.flush();
    this.add(new Uint32Array(rows), args, rows);
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    this.flush();
    (other as UniqStates).flush();
    this.resize(dst + 1);
    const into = this.sets[dst]!;
    for (const v of (other as UniqStates).sets[src] ?? []) into.add(v);
  }

  finalize(groups: number): Column {
    if (this.single && groups === 1 && this.sets[0]!.size === 0) return new NumericColumn(BigUint64Array.of(BigInt(this.single.size)));
    this.flush();
    this.resize(groups);
    const out = new BigUint64Array(groups);
    for (let g = 0; g < groups; g++) out[g] = BigInt(this.sets[g]!.size);
    return new NumericColumn(out);
  }

  getState(group: number): unknown {
    this.flush();
    this.resize(group + 1);
    return [...this.sets[group]!];
  }

  mergeState(group: number, state: unknown): void {
    this.flush();
    this.resize(group + 1);
    const into = this.sets[group]!;
    for (const v of state as (number | string)[]) into.add(v);
  }

  serializeState(group: number): Uint8Array {
    return encodeState(this.getState(group));
  }

  deserializeState(bytes: Uint8Array): unknown {
    return decodeState(bytes);
  }
}

function uniqLike(name: string, description: string, aliases: string[] = []): AggregateFunctionDescriptor {
  return {
    name,
    aliases,
    nullResultNotNullable: true,
    category: CATEGORY,
    description,
    syntax: `${name}(x[, …])`,
    returnedValue: 'UInt64',
    resolve(_p, argTypes) {
      if (!argTypes.length) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires at least one argument`);
      return { returnType: T.UInt64, createStates: () => new UniqStates(argTypes) };
    },
  };
}

export const uniqFunctions: AggregateFunctionDescriptor[] = [
  uniqLike('uniqExact', 'Exact number of distinct values (of argument tuples)', ['unique_exact']),
  uniqLike('uniq', 'Number of distinct values (exact in Hadron; approximate in ClickHouse above ~65536)', ['unique']),
  uniqLike('uniqCombined', 'Number of distinct values (combined-estimator in ClickHouse; exact here)', ['unique_combined']),
  uniqLike('uniqCombined64', 'Number of distinct values (64-bit hash combined estimator in ClickHouse; exact here)', ['unique_combined64']),
  uniqLike('uniqHLL12', 'Number of distinct values (HyperLogLog in ClickHouse; exact here)', ['unique_hll12']),
  uniqLike('uniqTheta', 'Number of distinct values (Theta sketch in ClickHouse; exact here)', ['unique_theta']),
];
