import { type Column, ConstColumn, NothingColumn, NullableColumn } from '../../columns/column.js';
import { countMask, filterColumn } from '../../columns/ops.js';
import { canBeInsideNullable, type DataType, nullableType, T } from '../../types/data-type.js';
import type { AggregateFunction, AggregateFunctionDescriptor, AggregateStates } from '../function.js';

/** Keeps rows whose mask byte is set, in every argument column and in the group ids. */
export function filterRows(
  groupIds: Uint32Array,
  args: Column[],
  mask: Uint8Array,
  count = countMask(mask),
): { groupIds: Uint32Array; args: Column[]; rows: number } {
  const ids = new Uint32Array(count);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) ids[k++] = groupIds[i]!;
  const cols = args.map((c) => (c.kind === 'const' ? new ConstColumn(c.inner, count) : filterColumn(c, mask, count)));
  return { groupIds: ids, args: cols, rows: count };
}

/**
 * ClickHouse's AggregateFunctionNull: rows where any Nullable argument is NULL are skipped; the nested
 * function sees the inner (non-Nullable) columns. The result is Nullable, NULL for groups that saw no
 * row, unless the function sets `nullResultNotNullable` (count, uniq …).
 */
export function withAggregateNulls(desc: AggregateFunctionDescriptor): AggregateFunctionDescriptor {
  if (desc.handlesNulls) return desc;
  const resolveInner = desc.resolve.bind(desc);
  return {
    ...desc,
    resolve(params, argTypes, ctx): AggregateFunction {
      const nullable = argTypes.map((t) => t.kind === 'Nullable' || t.kind === 'Nothing');
      if (!nullable.some(Boolean)) return resolveInner(params, argTypes, ctx);
      const onlyNulls = argTypes.some((t) => t.kind === 'Nothing' || (t.kind === 'Nullable' && t.inner.kind === 'Nothing'));
      const stripped = argTypes.map((t) => (t.kind === 'Nullable' ? t.inner : t)).map((t) => (t.kind === 'Nothing' ? T.UInt8 : t));
      const nested = resolveInner(params, stripped, ctx);
      const wrapResult = !desc.nullResultNotNullable && canBeInsideNullable(nested.returnType);
      const returnType = wrapResult ? nullableType(nested.returnType) : onlyNulls && !desc.nullResultNotNullable ? nullableType(T.Nothing) : nested.returnType;
      return {
        returnType: onlyNulls && !desc.nullResultNotNullable ? nullableType(T.Nothing) : returnType,
        createStates: () => new NullStates(nested.createStates(), nullable, wrapResult, onlyNulls),
      };
    },
  };
}

class NullStates implements AggregateStates {
  has = new Uint8Array(16);
  groups = 0;
  constructor(
    readonly nested: AggregateStates,
    readonly nullableArgs: readonly boolean[],
    readonly wrapResult: boolean,
    readonly onlyNulls: boolean,
  ) {}

  resize(groups: number): void {
    if (groups > this.has.length) {
      const next = new Uint8Array(Math.max(groups, this.has.length * 2));
      next.set(this.has);
      this.has = next;
    }
    if (groups > this.groups) this.groups = groups;
    this.nested.resize(groups);
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    if (this.onlyNulls) return;
    let mask: Uint8Array | undefined;
    const inner: Column[] = new Array(args.length);
    for (let k = 0; k < args.length; k++) {
      const c = args[k]!;
      if (!this.nullableArgs[k]) {
        inner[k] = c;
        continue;
      }
      if (c.kind === 'const') {
        if (c.inner.kind === 'nullable') {
          if (c.inner.nulls[0]) return;
          inner[k] = new ConstColumn(c.inner.inner, c.rows);
        } else inner[k] = c;
        continue;
      }
      if (c.kind !== 'nullable') {
        inner[k] = c;
        continue;
      }
      const nulls = c.nulls;
      for (let i = 0; i < rows; i++) {
        if (nulls[i]) {
          if (!mask) {
            mask = new Uint8Array(rows).fill(1);
          }
          mask[i] = 0;
        }
      }
      inner[k] = c.inner;
    }
    const has = this.has;
    if (!mask) {
      for (let i = 0; i < rows; i++) has[groupIds[i]!] = 1;
      this.nested.add(groupIds, inner, rows);
      return;
    }
    const f = filterRows(groupIds, inner, mask);
    for (let i = 0; i < f.rows; i++) has[f.groupIds[i]!] = 1;
    if (f.rows) this.nested.add(f.groupIds, f.args, f.rows);
  }

  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    const o = other as NullStates;
    this.resize(dst + 1);
    if (o.has[src]) {
      this.has[dst] = 1;
      this.nested.mergeFrom(o.nested, src, dst);
    }
  }

  finalize(groups: number): Column {
    this.resize(groups);
    if (this.onlyNulls && this.wrapResult) return new NullableColumn(new Uint8Array(groups).fill(1), new NothingColumn(groups));
    const res = this.nested.finalize(groups);
    if (!this.wrapResult) return res;
    const nulls = new Uint8Array(groups);
    for (let g = 0; g < groups; g++) nulls[g] = this.has[g] ? 0 : 1;
    return new NullableColumn(nulls, res);
  }

  getState(group: number): unknown {
    this.resize(group + 1);
    return { has: this.has[group] === 1, nested: this.nested.getState(group) };
  }

  mergeState(group: number, state: unknown): void {
    const s = state as { has: boolean; nested: unknown };
    this.resize(group + 1);
    if (!s.has) return;
    this.has[group] = 1;
    this.nested.mergeState(group, s.nested);
  }

  serializeState(group: number): Uint8Array {
    this.resize(group + 1);
    const inner = this.nested.serializeState(group);
    const out = new Uint8Array(inner.length + 1);
    out[0] = this.has[group]!;
    out.set(inner, 1);
    return out;
  }

  deserializeState(bytes: Uint8Array): unknown {
    return { has: bytes[0] === 1, nested: this.nested.deserializeState(bytes.subarray(1)) };
  }
}

export type { DataType };
