import { type Column, NumericColumn } from '../../columns/column.js';
import { createBuilder, FixedBuilder, StringBuilder } from '../../columns/builder.js';
import { physicalOf } from '../../columns/physical.js';
import { readValue, type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import type { DataType } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor, AggregateStates } from '../function.js';
import { float64ToInt64, isBigArray, toFloat64 } from '../core/columns.js';
import { compareBytes, compareValues } from '../core/compare.js';
import { groupKernel, growFloat64, growUint8, numericArg } from './columnar.js';
import { decodeState, encodeState } from './state-codec.js';

const CATEGORY = 'Aggregate';

export type PickOp = 'min' | 'max' | 'any' | 'anyLast';

type Mode = 'f64' | 'big' | 'bytes' | 'value';

/**
 * One kept value per group chosen by min / max / first / last. Numbers live in a Float64Array (exact for
 * everything up to 53 bits; 64-bit inputs switch to bigints when a value is beyond that), strings as bytes
 * copied only when they win, anything else as row values.
 */
export class PickStates implements AggregateStates {
  mode: Mode;
  vals: Float64Array = new Float64Array(16);
  has: Uint8Array = new Uint8Array(16);
  big: bigint[] = [];
  bytes: (Uint8Array | undefined)[] = [];
  values: Value[] = [];

  constructor(
    readonly op: PickOp,
    readonly type: DataType,
  ) {
    const p = physicalOf(type);
    this.mode = p.layout === 'numeric' ? 'f64' : p.layout === 'string' || p.layout === 'fixed' ? 'bytes' : 'value';
  }

  resize(groups: number): void {
    if (groups > this.has.length) {
      this.has = growUint8(this.has, groups);
      this.vals = growFloat64(this.vals, groups);
    }
    if (this.mode === 'big') while (this.big.length < groups) this.big.push(0n);
  }

  private better(c: number): boolean {
    return this.op === 'min' ? c < 0 : this.op === 'max' ? c > 0 : this.op === 'anyLast';
  }

  private switchToBig(): void {
    this.mode = 'big';
    this.big = Array.from(this.vals, (v) => (Number.isFinite(v) ? BigInt(v) : 0n));
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const col = args[0]!;
    if (this.mode === 'f64') {
      const a = numericArg(col);
      if (a) {
        let data = a.data;
        let ok = true;
        if (isBigArray(data)) {
          const c = toFloat64(data);
          data = c.data;
          ok = c.exact;
        }
        if (ok) {
          if (a.isConst) {
            const v = Number(data[0]);
            for (let i = 0; i < rows; i++) this.offerNumber(groupIds[i]!, v);
          } else groupKernel(this.op, data)(this.vals, groupIds, data, rows, this.has);
          return;
        }
        this.switchToBig();
      }
    }
    if (this.mode === 'big') {
      const a = numericArg(col)!;
      const d = a.data as BigInt64Array;
      for (let i = 0; i < rows; i++) {
        const g = groupIds[i]!;
        const x = d[a.isConst ? 0 : i]!;
        const cur = this.big[g]!;
        if (this.has[g] && !(this.op === 'anyLast' || (this.op === 'min' && x < cur) || (this.op === 'max' && x > cur))) continue;
        this.big[g] = x;
        this.has[g] = 1;
      }
      return;
    }
    if (this.mode === 'bytes') {
      const c = col.kind === 'const' ? col.inner : col;
      const isConst = col.kind === 'const';
      let chars: Uint8Array;
      let start: (i: number) => number;
      let end: (i: number) => number;
      if (c.kind === 'string') {
        chars = c.chars;
        const o = c.offsets;
        start = (i) => o[i]!;
        end = (i) => o[i + 1]!;
      } else if (c.kind === 'fixed') {
        chars = c.data;
        const w = c.width;
        start = (i) => i * w;
        end = (i) => (i + 1) * w;
      } else throw new Error(`unexpected column ${c.kind} for ${this.type.name}`);
      for (let i = 0; i < rows; i++) {
        const g = groupIds[i]!;
        const r = isConst ? 0 : i;
        const s = start(r);
        const e = end(r);
        const cur = this.bytes[g];
        if (this.has[g]) {
          if (this.op === 'any') continue;
          if (this.op !== 'anyLast' && !this.better(compareBytes(chars, s, e, cur!, 0, cur!.length))) continue;
        }
        this.bytes[g] = chars.slice(s, e);
        this.has[g] = 1;
      }
      return;
    }
    for (let i = 0; i < rows; i++) {
      const g = groupIds[i]!;
      if (this.has[g] && this.op === 'any') continue;
      const v = readValue(this.type, col, i);
      if (!this.has[g] || this.op === 'anyLast' || this.better(compareValues(v, this.values[g]!))) {
        this.values[g] = v;
        this.has[g] = 1;
      }
    }
  }

  private offerNumber(g: number, v: number): void {
    if (!this.has[g] || this.op === 'anyLast' || (this.op === 'min' && v < this.vals[g]!) || (this.op === 'max' && v > this.vals[g]!)) {
      this.vals[g] = v;
      this.has[g] = 1;
    }
  }

  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    const o = other as PickStates;
    if (!o.has[src]) return;
    this.mergeState(dst, o.getState(src));
  }

  finalize(groups: number): Column {
    this.resize(groups);
    const p = physicalOf(this.type);
    if (this.mode === 'f64' && p.layout === 'numeric') {
      const out = new p.ctor(groups);
      if (isBigArray(out)) {
        if (!float64ToInt64(this.vals.subarray(0, groups), out)) for (let g = 0; g < groups; g++) out[g] = BigInt(Math.trunc(this.vals[g]!));
      } else (out as Float64Array).set(this.vals.subarray(0, groups));
      return new NumericColumn(out);
    }
    if (this.mode === 'big' && p.layout === 'numeric') {
      const out = new (p.ctor as BigInt64ArrayConstructor)(groups);
      for (let g = 0; g < groups; g++) out[g] = this.big[g]!;
      return new NumericColumn(out);
    }
    if (this.mode === 'bytes') {
      if (p.layout === 'fixed') {
        const b = new FixedBuilder(p.width, this.type, groups);
        for (let g = 0; g < groups; g++) {
          const v = this.bytes[g];
          if (v) b.pushBytes(v);
          else b.pushDefault();
        }
        return b.build();
      }
      const b = new StringBuilder(groups);
      for (let g = 0; g < groups; g++) {
        const v = this.bytes[g];
        if (v) b.pushBytes(v);
        else b.pushDefault();
      }
      return b.build();
    }
    const b = createBuilder(this.type, groups);
    for (let g = 0; g < groups; g++) {
      if (this.has[g]) b.push(this.values[g]!);
      else b.pushDefault();
    }
    return b.build();
  }

  getState(group: number): unknown {
    this.resize(group + 1);
    if (!this.has[group]) return { has: false };
    switch (this.mode) {
      case 'f64':
        return { has: true, n: this.vals[group]! };
      case 'big':
        return { has: true, b: this.big[group]! };
      case 'bytes':
        return { has: true, s: this.bytes[group]!.slice() };
      default:
        return { has: true, v: structuredClone(this.values[group]) };
    }
  }

  mergeState(group: number, state: unknown): void {
    const s = state as { has: boolean; n?: number; b?: bigint; s?: Uint8Array; v?: Value };
    this.resize(group + 1);
    if (!s.has) return;
    if (this.has[group] && this.op === 'any') return;
    if (s.n !== undefined) {
      if (this.mode === 'big') return this.mergeState(group, { has: true, b: BigInt(Math.trunc(s.n)) });
      this.offerNumber(group, s.n);
    } else if (s.b !== undefined) {
      if (this.mode === 'f64') this.switchToBig();
      const cur = this.big[group]!;
      if (!this.has[group] || this.op === 'anyLast' || this.better(s.b < cur ? -1 : s.b > cur ? 1 : 0)) {
        this.big[group] = s.b;
        this.has[group] = 1;
      }
    } else if (s.s !== undefined) {
      const cur = this.bytes[group];
      if (!this.has[group] || this.op === 'anyLast' || this.better(compareBytes(s.s, 0, s.s.length, cur!, 0, cur!.length))) {
        this.bytes[group] = s.s;
        this.has[group] = 1;
      }
    } else {
      if (!this.has[group] || this.op === 'anyLast' || this.better(compareValues(s.v!, this.values[group]!))) {
        this.values[group] = s.v!;
        this.has[group] = 1;
      }
    }
  }

  serializeState(group: number): Uint8Array {
    return encodeState(this.getState(group));
  }

  deserializeState(bytes: Uint8Array): unknown {
    return decodeState(bytes);
  }
}

function pick(op: PickOp, name: string, description: string, aliases: string[] = [], caseInsensitive = false): AggregateFunctionDescriptor {
  return {
    name,
    aliases,
    caseInsensitive,
    category: CATEGORY,
    description,
    syntax: `${name}(x)`,
    resolve(_p, argTypes) {
      if (argTypes.length !== 1) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires exactly one argument`);
      const t = argTypes[0]!;
      return { returnType: t, createStates: () => new PickStates(op, t) };
    },
  };
}

// ------------------------------------------------------------------ argMin / argMax

/** argMin(arg, val) / argMax: the arg of the row with the smallest / largest val. */
class ArgPickStates implements AggregateStates {
  keys: Float64Array = new Float64Array(16);
  keyValues: Value[] = [];
  has: Uint8Array = new Uint8Array(16);
  payload: Value[] = [];
  /** per group: the winning row of the current block (-1 none) */
  private blockRow: Int32Array = new Int32Array(16).fill(-1);
  readonly numericKey: boolean;
  constructor(
    readonly op: 'min' | 'max',
    readonly argType: DataType,
    readonly valType: DataType,
  ) {
    const p = physicalOf(valType);
    this.numericKey = p.layout === 'numeric' && p.ctor !== BigInt64Array && p.ctor !== BigUint64Array;
  }
  resize(groups: number): void {
    if (groups > this.has.length) {
      this.has = growUint8(this.has, groups);
      this.keys = growFloat64(this.keys, groups);
      const br = new Int32Array(this.has.length).fill(-1);
      br.set(this.blockRow);
      this.blockRow = br;
    }
  }
  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const [argCol, valCol] = args as [Column, Column];
    const touched: number[] = [];
    const br = this.blockRow;
    const min = this.op === 'min';
    const a = this.numericKey ? numericArg(valCol) : undefined;
    if (a) {
      const d = a.data as Float64Array;
      const keys = this.keys;
      const has = this.has;
      for (let i = 0; i < rows; i++) {
        const g = groupIds[i]!;
        const x = d[a.isConst ? 0 : i]!;
        if (!has[g] || (min ? x < keys[g]! : x > keys[g]!)) {
          keys[g] = x;
          has[g] = 1;
          if (br[g] === -1) touched.push(g);
          br[g] = i;
        }
      }
    } else {
      for (let i = 0; i < rows; i++) {
        const g = groupIds[i]!;
        const x = readValue(this.valType, valCol, i);
        if (x === null) continue;
        const c = this.has[g] ? compareValues(x, this.keyValues[g]!) : 0;
        if (!this.has[g] || (min ? c < 0 : c > 0)) {
          this.keyValues[g] = x;
          this.has[g] = 1;
          if (br[g] === -1) touched.push(g);
          br[g] = i;
        }
      }
    }
    for (const g of touched) {
      this.payload[g] = readValue(this.argType, argCol, br[g]!);
      br[g] = -1;
    }
  }
  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }
  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    this.mergeState(dst, (other as ArgPickStates).getState(src));
  }
  finalize(groups: number): Column {
    this.resize(groups);
    const b = createBuilder(this.argType, groups);
    for (let g = 0; g < groups; g++) {
      if (this.has[g]) b.push(this.payload[g]!);
      else b.pushDefault();
    }
    return b.build();
  }
  getState(group: number): unknown {
    this.resize(group + 1);
    if (!this.has[group]) return { has: false };
    return { has: true, key: this.numericKey ? this.keys[group]! : structuredClone(this.keyValues[group]!), arg: structuredClone(this.payload[group] ?? null) };
  }
  mergeState(group: number, state: unknown): void {
    const s = state as { has: boolean; key: Value; arg: Value };
    this.resize(group + 1);
    if (!s.has) return;
    const cur = this.numericKey ? this.keys[group]! : this.keyValues[group]!;
    const c = this.has[group] ? compareValues(s.key, cur) : 0;
    if (!this.has[group] || (this.op === 'min' ? c < 0 : c > 0)) {
      if (this.numericKey) this.keys[group] = s.key as number;
      else this.keyValues[group] = s.key;
      this.payload[group] = s.arg;
      this.has[group] = 1;
    }
  }
  serializeState(group: number): Uint8Array {
    return encodeState(this.getState(group));
  }
  deserializeState(bytes: Uint8Array): unknown {
    return decodeState(bytes);
  }
}

function argPick(op: 'min' | 'max', name: string): AggregateFunctionDescriptor {
  return {
    name,
    category: CATEGORY,
    description: `The value of arg at the row with the ${op === 'min' ? 'smallest' : 'largest'} val`,
    syntax: `${name}(arg, val)`,
    resolve(_p, argTypes) {
      if (argTypes.length !== 2) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires two arguments`);
      return { returnType: argTypes[0]!, createStates: () => new ArgPickStates(op, argTypes[0]!, argTypes[1]!) };
    },
  };
}

export const pickFunctions: AggregateFunctionDescriptor[] = [
  pick('min', 'min', 'The smallest value', [], true),
  pick('max', 'max', 'The largest value', [], true),
  pick('any', 'any', 'The first value encountered (NULLs skipped)', ['any_value', 'first_value', 'earliest']),
  pick('anyLast', 'anyLast', 'The last value encountered (NULLs skipped)', ['last_value', 'latest']),
  pick('any', 'anyHeavy', 'A frequently occurring value (heavy hitter); here the first value'),
  argPick('min', 'argMin'),
  argPick('max', 'argMax'),
];
