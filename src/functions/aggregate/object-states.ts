import type { Column } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { readValue, type Value } from '../../columns/values.js';
import type { DataType } from '../../types/data-type.js';
import type { AggregateFunction, AggregateStates } from '../function.js';
import { cloneState, decodeState, encodeState } from './state-codec.js';

/**
 * The long tail of aggregates: one JS state object per group. Fine for functions whose per-row work is
 * large anyway (quantiles, groupArray, topK, uniq over strings); the hot ones are columnar.
 */
export interface RowAggregateImpl<S> {
  create(): S;
  /** Adds row `row`; `values` are the row's argument values. Returns the (possibly new) state. */
  add(state: S, values: readonly Value[]): S;
  merge(into: S, from: S): S;
  finalize(state: S): Value;
}

export class ObjectStates<S> implements AggregateStates {
  states: S[] = [];
  constructor(
    readonly impl: RowAggregateImpl<S>,
    readonly argTypes: readonly DataType[],
    readonly returnType: DataType,
  ) {}

  resize(groups: number): void {
    while (this.states.length < groups) this.states.push(this.impl.create());
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const n = args.length;
    const values: Value[] = new Array(n);
    const constVals: (Value | undefined)[] = args.map((c, k) => (c.kind === 'const' ? readValue(this.argTypes[k]!, c.inner, 0) : undefined));
    const isConst = args.map((c) => c.kind === 'const');
    for (let i = 0; i < rows; i++) {
      for (let k = 0; k < n; k++) values[k] = isConst[k] ? constVals[k]! : readValue(this.argTypes[k]!, args[k]!, i);
      const g = groupIds[i]!;
      this.states[g] = this.impl.add(this.states[g]!, values);
    }
  }

  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    const o = other as ObjectStates<S>;
    this.resize(dst + 1);
    this.states[dst] = this.impl.merge(this.states[dst]!, o.states[src]!);
  }

  finalize(groups: number): Column {
    this.resize(groups);
    const b = createBuilder(this.returnType, groups);
    for (let g = 0; g < groups; g++) b.push(this.impl.finalize(this.states[g]!));
    return b.build();
  }

  getState(group: number): unknown {
    this.resize(group + 1);
    return cloneState(this.states[group]);
  }

  mergeState(group: number, state: unknown): void {
    this.resize(group + 1);
    this.states[group] = this.impl.merge(this.states[group]!, cloneState(state as S));
  }

  serializeState(group: number): Uint8Array {
    this.resize(group + 1);
    return encodeState(this.states[group]);
  }

  deserializeState(bytes: Uint8Array): unknown {
    return decodeState(bytes);
  }
}

/** An AggregateFunction over ObjectStates. */
export function objectAggregate<S>(returnType: DataType, argTypes: readonly DataType[], impl: RowAggregateImpl<S>): AggregateFunction {
  return { returnType, createStates: () => new ObjectStates(impl, argTypes, returnType) };
}
