import { ArrayColumn, type Column, ConstColumn, NullableColumn, ObjectColumn } from '../../columns/column.js';
import { ArrayBuilder, createBuilder } from '../../columns/builder.js';
import { defaultColumn, materialize, takeColumn } from '../../columns/ops.js';
import { readValue, type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import {
  aggregateFunctionType,
  arrayType,
  canBeInsideNullable,
  type DataType,
  nullableType,
  simpleAggregateFunctionType,
} from '../../types/data-type.js';
import type { AggregateFunction, AggregateFunctionDescriptor, AggregateStates } from '../function.js';
import { filterRows } from './null-wrapper.js';
import { cloneState, decodeState, encodeState } from './state-codec.js';

/** An aggregate function combinator (ClickHouse's IAggregateFunctionCombinator): `sumIf`, `uniqMerge` … */
export interface Combinator {
  readonly name: string;
  /** Suffixes in ClickHouse and Proton spelling. */
  readonly suffixes: readonly string[];
  wrap(base: AggregateFunctionDescriptor, name: string): AggregateFunctionDescriptor;
}

function describe(base: AggregateFunctionDescriptor, name: string, what: string): Omit<AggregateFunctionDescriptor, 'resolve'> {
  return { name, category: base.category, description: `${base.name} ${what}`, handlesNulls: true, constantArgsFrom: base.constantArgsFrom };
}

// ------------------------------------------------------------------ -If

const ifCombinator: Combinator = {
  name: 'If',
  suffixes: ['If', '_if'],
  wrap(base, name) {
    return {
      ...describe(base, name, 'over the rows where the last argument (a condition) is true'),
      resolve(params, argTypes, ctx) {
        if (argTypes.length < 1) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires at least one argument`);
        const cond = argTypes[argTypes.length - 1]!;
        const c = cond.kind === 'Nullable' ? cond.inner : cond;
        if (!['UInt8', 'Bool', 'Nothing'].includes(c.kind) && !/^U?Int/.test(c.kind)) {
          throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${cond.name} of last argument for aggregate function with If suffix`);
        }
        const nested = base.resolve(params, argTypes.slice(0, -1), ctx);
        return { returnType: nested.returnType, createStates: () => new IfStates(nested.createStates()) };
      },
    };
  },
};

/**
 * States of a combinator that wraps one nested aggregate: everything goes to `nested` unless the combinator
 * overrides it (`-If` filters rows in `add`, `-Merge` merges state columns, `-State` finalizes to states …).
 */
abstract class DelegatingStates implements AggregateStates {
  constructor(readonly nested: AggregateStates) {}
  resize(groups: number): void {
    this.nested.resize(groups);
  }
  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    this.nested.add(groupIds, args, rows);
  }
  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }
  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    this.nested.mergeFrom((other as DelegatingStates).nested, src, dst);
  }
  finalize(groups: number): Column {
    return this.nested.finalize(groups);
  }
  getState(group: number): unknown {
    return this.nested.getState(group);
  }
  mergeState(group: number, state: unknown): void {
    this.nested.mergeState(group, state);
  }
  serializeState(group: number): Uint8Array {
    return this.nested.serializeState(group);
  }
  deserializeState(bytes: Uint8Array): unknown {
    return this.nested.deserializeState(bytes);
  }
}

class IfStates extends DelegatingStates {
  override add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const condCol = args[args.length - 1]!;
    const rest = args.slice(0, -1);
    const mask = conditionMask(condCol, rows);
    if (mask === true) return this.nested.add(groupIds, rest, rows);
    if (mask === false) return;
    const f = filterRows(groupIds, rest, mask);
    if (f.rows) this.nested.add(f.groupIds, f.args, f.rows);
  }
}

/** 1 for rows where the condition column is true and not NULL; `true`/`false` when constant. */
export function conditionMask(col: Column, rows: number): Uint8Array | boolean {
  if (col.kind === 'const') {
    const inner = col.inner;
    if (inner.kind === 'nullable') {
      if (inner.nulls[0]) return false;
      return conditionMask(new ConstColumn(inner.inner, rows), rows);
    }
    if (inner.kind === 'numeric') return Number(inner.data[0]) !== 0;
    if (inner.kind === 'nothing') return false;
    return false;
  }
  if (col.kind === 'nullable') {
    const m = conditionMask(col.inner, rows);
    const out = m === true ? new Uint8Array(rows).fill(1) : m === false ? new Uint8Array(rows) : m.slice();
    for (let i = 0; i < rows; i++) if (col.nulls[i]) out[i] = 0;
    return out;
  }
  if (col.kind === 'numeric') {
    const d = col.data;
    if (d instanceof Uint8Array) return d;
    const out = new Uint8Array(rows);
    if (d instanceof BigInt64Array || d instanceof BigUint64Array) for (let i = 0; i < rows; i++) out[i] = d[i] !== 0n ? 1 : 0;
    else for (let i = 0; i < rows; i++) out[i] = (d as Float64Array)[i] !== 0 ? 1 : 0;
    return out;
  }
  if (col.kind === 'nothing') return false;
  throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', 'Illegal condition column for an aggregate function with If suffix');
}

// ------------------------------------------------------------------ -Distinct

const distinctCombinator: Combinator = {
  name: 'Distinct',
  suffixes: ['Distinct', '_distinct'],
  wrap(base, name) {
    return {
      ...describe(base, name, 'over distinct argument values'),
      resolve(params, argTypes, ctx) {
        const nested = base.resolve(params, argTypes, ctx);
        return { returnType: nested.returnType, createStates: () => new DistinctStates(nested, argTypes) };
      },
    };
  },
};

/** Keeps each group's distinct argument tuples; feeds them to a fresh nested state at finalize. */
class DistinctStates implements AggregateStates {
  sets: Map<string, Value[]>[] = [];
  constructor(
    readonly nested: AggregateFunction,
    readonly argTypes: readonly DataType[],
  ) {}
  resize(groups: number): void {
    while (this.sets.length < groups) this.sets.push(new Map());
  }
  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const n = args.length;
    for (let i = 0; i < rows; i++) {
      const vals: Value[] = new Array(n);
      for (let k = 0; k < n; k++) vals[k] = readValue(this.argTypes[k]!, args[k]!, i);
      const key = keyOf(vals);
      const set = this.sets[groupIds[i]!]!;
      if (!set.has(key)) set.set(key, vals);
    }
  }
  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }
  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    this.resize(dst + 1);
    const into = this.sets[dst]!;
    for (const [k, v] of (other as DistinctStates).sets[src]!) if (!into.has(k)) into.set(k, v);
  }
  finalize(groups: number): Column {
    this.resize(groups);
    const states = this.nested.createStates();
    states.resize(groups);
    const builders = this.argTypes.map((t) => createBuilder(t, 64));
    const ids: number[] = [];
    for (let g = 0; g < groups; g++) {
      for (const vals of this.sets[g]!.values()) {
        for (let k = 0; k < vals.length; k++) builders[k]!.push(vals[k]!);
        ids.push(g);
      }
    }
    if (ids.length) states.add(Uint32Array.from(ids), builders.map((b) => b.build()), ids.length);
    return states.finalize(groups);
  }
  getState(group: number): unknown {
    this.resize(group + 1);
    return [...this.sets[group]!.entries()];
  }
  mergeState(group: number, state: unknown): void {
    this.resize(group + 1);
    const into = this.sets[group]!;
    for (const [k, v] of state as [string, Value[]][]) if (!into.has(k)) into.set(k, cloneState(v));
  }
  serializeState(group: number): Uint8Array {
    return encodeState(this.getState(group));
  }
  deserializeState(bytes: Uint8Array): unknown {
    return decodeState(bytes);
  }
}

/** A string key identifying a tuple of values (for Distinct and exact set functions). */
export function keyOf(vals: readonly Value[]): string {
  if (vals.length === 1) return keyOfValue(vals[0]!);
  let s = '';
  for (const v of vals) s += keyOfValue(v) + '\u0001';
  return s;
}

export function keyOfValue(v: Value): string {
  switch (typeof v) {
    case 'string':
      return 's' + v;
    case 'number':
      return 'n' + (Object.is(v, -0) ? '0' : String(v));
    case 'bigint':
      return 'n' + v.toString();
    case 'boolean':
      return v ? 'n1' : 'n0';
    default:
      if (v === null) return 'N';
      if (v instanceof Uint8Array) return 'b' + Buffer.from(v).toString('latin1');
      if (Array.isArray(v)) return '[' + v.map(keyOfValue).join('\u0002') + ']';
      return 'o' + JSON.stringify(v);
  }
}

// ------------------------------------------------------------------ -OrNull / -OrDefault

function orFill(kind: 'OrNull' | 'OrDefault'): Combinator {
  return {
    name: kind,
    suffixes: kind === 'OrNull' ? ['OrNull', '_or_null'] : ['OrDefault', '_or_default'],
    wrap(base, name) {
      return {
        ...describe(base, name, kind === 'OrNull' ? 'returning NULL when there is nothing to aggregate' : 'returning the default value when there is nothing to aggregate'),
        resolve(params, argTypes, ctx) {
          const nested = base.resolve(params, argTypes, ctx);
          const inner = nested.returnType.kind === 'Nullable' ? nested.returnType.inner : nested.returnType;
          const returnType =
            kind === 'OrNull' ? (canBeInsideNullable(inner) ? nullableType(inner) : nested.returnType) : nested.returnType;
          const condIsLast = /(If|_if)$/.test(base.name);
          return { returnType, createStates: () => new OrFillStates(nested.createStates(), kind, returnType, nested.returnType, condIsLast) };
        },
      };
    },
  };
}

class OrFillStates implements AggregateStates {
  has = new Uint8Array(16);
  constructor(
    readonly nested: AggregateStates,
    readonly kind: 'OrNull' | 'OrDefault',
    readonly returnType: DataType,
    readonly nestedType: DataType,
    /** the nested function is an -If: only rows whose condition holds count as input */
    readonly condIsLast = false,
  ) {}
  resize(groups: number): void {
    if (groups > this.has.length) {
      const next = new Uint8Array(Math.max(groups, this.has.length * 2));
      next.set(this.has);
      this.has = next;
    }
    this.nested.resize(groups);
  }
  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const cond = this.condIsLast ? conditionMask(args[args.length - 1]!, rows) : true;
    if (cond === true) for (let i = 0; i < rows; i++) this.has[groupIds[i]!] = 1;
    else if (cond !== false) for (let i = 0; i < rows; i++) if (cond[i]) this.has[groupIds[i]!] = 1;
    this.nested.add(groupIds, args, rows);
  }
  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }
  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    const o = other as OrFillStates;
    this.resize(dst + 1);
    if (o.has[src]) this.has[dst] = 1;
    this.nested.mergeFrom(o.nested, src, dst);
  }
  finalize(groups: number): Column {
    this.resize(groups);
    const res = this.nested.finalize(groups);
    if (this.kind === 'OrNull') {
      if (this.returnType.kind !== 'Nullable') return res;
      const nulls = new Uint8Array(groups);
      for (let g = 0; g < groups; g++) nulls[g] = this.has[g] ? 0 : 1;
      if (res.kind === 'nullable') {
        for (let g = 0; g < groups; g++) nulls[g]! |= res.nulls[g]!;
        return new NullableColumn(nulls, res.inner);
      }
      return new NullableColumn(nulls, res);
    }
    // OrDefault: replace empty groups by the type's default
    let allHave = true;
    for (let g = 0; g < groups; g++) if (!this.has[g]) allHave = false;
    if (allHave) return res;
    const b = createBuilder(this.returnType, groups);
    for (let g = 0; g < groups; g++) {
      if (this.has[g]) b.push(readValue(this.returnType, res, g));
      else b.pushDefault();
    }
    return b.build();
  }
  getState(group: number): unknown {
    this.resize(group + 1);
    return { has: this.has[group] === 1, nested: this.nested.getState(group) };
  }
  mergeState(group: number, state: unknown): void {
    const s = state as { has: boolean; nested: unknown };
    this.resize(group + 1);
    if (s.has) this.has[group] = 1;
    this.nested.mergeState(group, s.nested);
  }
  serializeState(group: number): Uint8Array {
    return encodeState({ has: this.has[group] === 1, nested: this.nested.serializeState(group) });
  }
  deserializeState(bytes: Uint8Array): unknown {
    const s = decodeState(bytes) as { has: boolean; nested: Uint8Array };
    return { has: s.has, nested: this.nested.deserializeState(s.nested) };
  }
}

// ------------------------------------------------------------------ -State / -SimpleState / -Merge

const stateCombinator: Combinator = {
  name: 'State',
  suffixes: ['State', '_state'],
  wrap(base, name) {
    return {
      ...describe(base, name, 'returning the intermediate state (AggregateFunction type)'),
      resolve(params, argTypes, ctx) {
        const nested = base.resolve(params, argTypes, ctx);
        const returnType = aggregateFunctionType(
          base.name,
          params.map((p) => (typeof p === 'number' || typeof p === 'string' ? p : Number(p))),
          argTypes,
        );
        return { returnType, createStates: () => new StateStates(nested.createStates()) };
      },
    };
  },
};

class StateStates extends DelegatingStates {
  override addAll(args: Column[], rows: number): void {
    this.nested.addAll(args, rows);
  }
  override finalize(groups: number): Column {
    this.nested.resize(groups);
    const out: unknown[] = new Array(groups);
    for (let g = 0; g < groups; g++) out[g] = this.nested.getState(g);
    return new ObjectColumn(out);
  }
}

const simpleStateCombinator: Combinator = {
  name: 'SimpleState',
  suffixes: ['SimpleState', '_simple_state'],
  wrap(base, name) {
    return {
      ...describe(base, name, 'returning the final value typed SimpleAggregateFunction'),
      resolve(params, argTypes, ctx) {
        const nested = base.resolve(params, argTypes, ctx);
        return { returnType: simpleAggregateFunctionType(base.name, nested.returnType), createStates: () => nested.createStates() };
      },
    };
  },
};

const mergeCombinator: Combinator = {
  name: 'Merge',
  suffixes: ['Merge', '_merge'],
  wrap(base, name) {
    return {
      ...describe(base, name, 'merging intermediate states (AggregateFunction type) into the final value'),
      resolve(_params, argTypes, ctx) {
        const t = argTypes[0];
        if (argTypes.length !== 1 || !t || t.kind !== 'AggregateFunction') {
          throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t?.name ?? 'Nothing'} of argument for aggregate function ${name}, expected AggregateFunction(${base.name}, ...)`);
        }
        const nested = base.resolve(t.params, t.args, ctx);
        return { returnType: nested.returnType, createStates: () => new MergeStates(nested.createStates()) };
      },
    };
  },
};

class MergeStates extends DelegatingStates {
  override add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const col = args[0]!;
    const data = col.kind === 'const' ? null : col.kind === 'object' ? col.data : null;
    const constState = col.kind === 'const' && col.inner.kind === 'object' ? col.inner.data[0] : undefined;
    for (let i = 0; i < rows; i++) {
      const s = data ? data[i] : constState;
      if (s !== undefined && s !== null) this.nested.mergeState(groupIds[i]!, s);
    }
  }
}

// ------------------------------------------------------------------ -Array

const arrayCombinator: Combinator = {
  name: 'Array',
  suffixes: ['Array', '_array'],
  wrap(base, name) {
    return {
      ...describe(base, name, 'over the elements of array arguments'),
      resolve(params, argTypes, ctx) {
        const elems = argTypes.map((t) => {
          if (t.kind !== 'Array') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of argument for aggregate function ${name}, must be Array`);
          return t.element;
        });
        const nested = base.resolve(params, elems, ctx);
        return { returnType: nested.returnType, createStates: () => new ArrayStates(nested.createStates()) };
      },
    };
  },
};

class ArrayStates extends DelegatingStates {
  override add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const arrays = args.map((c) => materialize(c) as ArrayColumn);
    const first = arrays[0]!;
    for (const a of arrays) {
      for (let i = 0; i < rows; i++) {
        if (a.offsets[i + 1]! - a.offsets[i]! !== first.offsets[i + 1]! - first.offsets[i]!) {
          throw new DbError('SIZES_OF_ARRAYS_DONT_MATCH', 'All arrays must be of the same size for aggregate function with Array suffix');
        }
      }
    }
    const total = first.offsets[rows]! - first.offsets[0]!;
    const ids = new Uint32Array(total);
    for (let i = 0; i < rows; i++) ids.fill(groupIds[i]!, first.offsets[i]! - first.offsets[0]!, first.offsets[i + 1]! - first.offsets[0]!);
    if (total) this.nested.add(ids, arrays.map((a) => a.inner), total);
  }
}

// ------------------------------------------------------------------ -ForEach

const forEachCombinator: Combinator = {
  name: 'ForEach',
  suffixes: ['ForEach', '_for_each'],
  wrap(base, name) {
    return {
      ...describe(base, name, 'applied to array elements position by position, returning an array'),
      resolve(params, argTypes, ctx) {
        const elems = argTypes.map((t) => {
          if (t.kind !== 'Array') throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of argument for aggregate function ${name}, must be Array`);
          return t.element;
        });
        const nested = base.resolve(params, elems, ctx);
        return { returnType: arrayType(nested.returnType), createStates: () => new ForEachStates(nested.createStates(), nested.returnType) };
      },
    };
  },
};

/** Nested group id per (group, position). */
class ForEachStates implements AggregateStates {
  slots: number[][] = [];
  next = 0;
  constructor(
    readonly nested: AggregateStates,
    readonly elemType: DataType,
  ) {}
  resize(groups: number): void {
    while (this.slots.length < groups) this.slots.push([]);
  }
  private slot(g: number, pos: number): number {
    const s = this.slots[g]!;
    while (s.length <= pos) s.push(this.next++);
    this.nested.resize(this.next);
    return s[pos]!;
  }
  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const arrays = args.map((c) => materialize(c) as ArrayColumn);
    const first = arrays[0]!;
    const base = first.offsets[0]!;
    const total = first.offsets[rows]! - base;
    const ids = new Uint32Array(total);
    for (let i = 0; i < rows; i++) {
      const g = groupIds[i]!;
      for (let j = first.offsets[i]!; j < first.offsets[i + 1]!; j++) ids[j - base] = this.slot(g, j - first.offsets[i]!);
    }
    if (total) this.nested.add(ids, arrays.map((a) => a.inner), total);
  }
  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }
  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    const o = other as ForEachStates;
    this.resize(dst + 1);
    const from = o.slots[src] ?? [];
    for (let p = 0; p < from.length; p++) this.nested.mergeFrom(o.nested, from[p]!, this.slot(dst, p));
  }
  finalize(groups: number): Column {
    this.resize(groups);
    this.nested.resize(this.next);
    const all = this.nested.finalize(this.next);
    const b = new ArrayBuilder(createBuilder(this.elemType, 16));
    const idx: number[] = [];
    const offsets = new Uint32Array(groups + 1);
    for (let g = 0; g < groups; g++) {
      for (const id of this.slots[g]!) idx.push(id);
      offsets[g + 1] = idx.length;
    }
    void b;
    return new ArrayColumn(offsets, this.next ? takeColumn(all, Uint32Array.from(idx)) : defaultColumn(this.elemType, 0));
  }
  getState(group: number): unknown {
    this.resize(group + 1);
    return this.slots[group]!.map((id) => this.nested.getState(id));
  }
  mergeState(group: number, state: unknown): void {
    this.resize(group + 1);
    (state as unknown[]).forEach((s, p) => this.nested.mergeState(this.slot(group, p), s));
  }
  serializeState(group: number): Uint8Array {
    return encodeState(this.slots[group]!.map((id) => this.nested.serializeState(id)));
  }
  deserializeState(bytes: Uint8Array): unknown {
    return (decodeState(bytes) as Uint8Array[]).map((b) => this.nested.deserializeState(b));
  }
}

/** Matched longest-suffix-first by the registry. */
export const COMBINATORS: readonly Combinator[] = [
  simpleStateCombinator,
  orFill('OrDefault'),
  orFill('OrNull'),
  forEachCombinator,
  distinctCombinator,
  stateCombinator,
  mergeCombinator,
  arrayCombinator,
  ifCombinator,
];
