import type { Column } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { readValue, type Value } from '../../columns/values.js';
import { valueKey } from '../../analyzer/in-set.js';
import type { AggregateFunction, AggregateStates } from '../../functions/function.js';
import type { AggregateSpec } from '../../exec/operators/aggregate.js';
import { baseType, type DataType } from '../../types/data-type.js';

/** Per-row `_tp_delta` values (+1 / −1). */
export type Deltas = (row: number) => number;

/**
 * Aggregate states over a changelog: rows arrive with +1 (add) or −1 (retract), and the result always equals
 * recomputing the aggregate over the rows currently present.
 */
export interface RetractingStates extends AggregateStates {
  addDeltas(groupIds: Uint32Array, args: Column[], rows: number, deltas: Deltas): void;
}

const PLUS: Deltas = () => 1;

/** The retracting states for one aggregate: a running sum for count/sum/avg, a multiset of arguments for the rest. */
export function retractingStates(spec: AggregateSpec): RetractingStates {
  const name = spec.name.slice(0, spec.name.indexOf('(')).trim().toLowerCase();
  const argTypes = spec.args.map((a) => a.type);
  const linear = linearKind(name, argTypes, spec.fn.returnType);
  if (linear) return new LinearStates(linear, spec.fn.returnType);
  // States that retract themselves (JavaScript UDAs: process(values, deltas)) get the deltas directly.
  const own = spec.fn.createStates();
  if (typeof (own as Partial<RetractingStates>).addDeltas === 'function') return own as RetractingStates;
  return new MultisetStates(spec.fn, argTypes);
}

type LinearKind = 'count' | 'sum' | 'avg';

const PLAIN_NUMBER = /^(U?Int(8|16|32|64)|Float(32|64))$/;

function linearKind(name: string, args: readonly DataType[], ret: DataType): LinearKind | undefined {
  if (name === 'count' && args.length <= 1 && args.every((t) => t.kind !== 'Nullable') && ret.kind === 'UInt64') return 'count';
  if ((name === 'sum' || name === 'avg') && args.length === 1 && PLAIN_NUMBER.test(args[0]!.kind)) {
    if (name === 'avg' && ret.kind === 'Float64') return 'avg';
    if (name === 'sum' && /^(U?Int64|Float64)$/.test(ret.kind)) return 'sum';
  }
  return undefined;
}

function numberReader(col: Column): (row: number) => number {
  if (col.kind === 'numeric') {
    const d = col.data;
    return d instanceof BigInt64Array || d instanceof BigUint64Array ? (r) => Number(d[r]!) : (r) => d[r] as number;
  }
  if (col.kind === 'const') {
    const v = numberReader(col.inner)(0);
    return () => v;
  }
  throw new Error(`unexpected ${col.kind} column in a linear aggregate`);
}

/** count / sum / avg: a running count and sum per group, retraction subtracts. */
class LinearStates implements RetractingStates {
  private counts = new Float64Array(0);
  private sums = new Float64Array(0);

  constructor(
    private readonly kind: LinearKind,
    private readonly returnType: DataType,
  ) {}

  resize(groups: number): void {
    if (this.counts.length >= groups) return;
    const n = Math.max(groups, this.counts.length * 2, 16);
    const c = new Float64Array(n);
    c.set(this.counts);
    const s = new Float64Array(n);
    s.set(this.sums);
    this.counts = c;
    this.sums = s;
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    this.addDeltas(groupIds, args, rows, PLUS);
  }

  addAll(args: Column[], rows: number): void {
    this.addDeltas(new Uint32Array(rows), args, rows, PLUS);
  }

  addDeltas(groupIds: Uint32Array, args: Column[], rows: number, deltas: Deltas): void {
    const counts = this.counts;
    if (this.kind === 'count') {
      for (let r = 0; r < rows; r++) counts[groupIds[r]!]! += deltas(r);
      return;
    }
    const sums = this.sums;
    const x = numberReader(args[0]!);
    for (let r = 0; r < rows; r++) {
      const g = groupIds[r]!;
      const d = deltas(r);
      counts[g]! += d;
      sums[g]! += d * x(r);
    }
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    const o = other as LinearStates;
    this.counts[dst]! += o.counts[src]!;
    this.sums[dst]! += o.sums[src]!;
  }

  finalize(groups: number): Column {
    const b = createBuilder(this.returnType, groups);
    const big = /Int64$/.test(baseType(this.returnType).kind);
    for (let g = 0; g < groups; g++) {
      const c = this.counts[g] ?? 0;
      const s = this.sums[g] ?? 0;
      const v = this.kind === 'count' ? c : this.kind === 'sum' ? s : c === 0 ? NaN : s / c;
      b.push(big ? BigInt(Math.round(v)) : v);
    }
    return b.build();
  }

  getState(group: number): unknown {
    return [this.counts[group] ?? 0, this.sums[group] ?? 0];
  }

  mergeState(group: number, state: unknown): void {
    const [c, s] = state as [number, number];
    this.counts[group]! += c;
    this.sums[group]! += s;
  }

  serializeState(group: number): Uint8Array {
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    v.setFloat64(0, this.counts[group] ?? 0, true);
    v.setFloat64(8, this.sums[group] ?? 0, true);
    return out;
  }

  deserializeState(bytes: Uint8Array): unknown {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return [v.getFloat64(0, true), v.getFloat64(8, true)];
  }
}

interface Entry {
  n: number;
  readonly values: Value[];
}

/**
 * Any other aggregate: each group keeps the multiset of its argument tuples (value → multiplicity), and a
 * result is computed afresh from the multiset with the aggregate's own states. Exact for every order-insensitive
 * aggregate (min, max, uniq, quantiles, top_k …) at the cost of keeping the distinct arguments.
 */
class MultisetStates implements RetractingStates {
  private groups: Map<string | number, Entry>[] = [];

  constructor(
    private readonly fn: AggregateFunction,
    private readonly argTypes: readonly DataType[],
  ) {}

  resize(groups: number): void {
    while (this.groups.length < groups) this.groups.push(new Map());
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    this.addDeltas(groupIds, args, rows, PLUS);
  }

  addAll(args: Column[], rows: number): void {
    this.addDeltas(new Uint32Array(rows), args, rows, PLUS);
  }

  addDeltas(groupIds: Uint32Array, args: Column[], rows: number, deltas: Deltas): void {
    const types = this.argTypes;
    for (let r = 0; r < rows; r++) {
      const values = args.map((c, j) => readValue(types[j]!, c, r));
      this.addValues(groupIds[r]!, values, deltas(r));
    }
  }

  private addValues(group: number, values: Value[], n: number): void {
    const m = this.groups[group]!;
    const key = values.length === 1 ? valueKey(values[0]!) : values.map((v) => String(valueKey(v))).join('\u0001');
    const e = m.get(key);
    if (!e) m.set(key, { n, values });
    else if ((e.n += n) === 0) m.delete(key);
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    for (const e of (other as MultisetStates).groups[src]!.values()) this.addValues(dst, e.values, e.n);
  }

  finalize(groups: number): Column {
    const inner = this.fn.createStates();
    inner.resize(Math.max(groups, 1));
    const builders = this.argTypes.map((t) => createBuilder(t));
    const ids: number[] = [];
    for (let g = 0; g < groups; g++) {
      for (const e of this.groups[g]?.values() ?? []) {
        for (let k = 0; k < e.n; k++) {
          for (let j = 0; j < builders.length; j++) builders[j]!.push(e.values[j]!);
          ids.push(g);
        }
      }
    }
    if (ids.length) inner.add(Uint32Array.from(ids), builders.map((b) => b.build()), ids.length);
    return inner.finalize(groups);
  }

  getState(group: number): unknown {
    return [...this.groups[group]!.values()].map((e) => ({ n: e.n, values: e.values }));
  }

  mergeState(group: number, state: unknown): void {
    for (const e of state as Entry[]) this.addValues(group, e.values, e.n);
  }

  serializeState(group: number): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.getState(group), encodeValue));
  }

  deserializeState(bytes: Uint8Array): unknown {
    return JSON.parse(new TextDecoder().decode(bytes), decodeValue);
  }
}

function encodeValue(_k: string, v: unknown): unknown {
  if (typeof v === 'bigint') return { $big: v.toString() };
  if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $num: String(v) };
  return v;
}

function decodeValue(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, string>;
    if ('$big' in o) return BigInt(o.$big!);
    if ('$bytes' in o) return new Uint8Array(Buffer.from(o.$bytes!, 'base64'));
    if ('$num' in o) return Number(o.$num);
  }
  return v;
}
