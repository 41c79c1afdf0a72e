import { BigNumColumn, type Column, NumericColumn, type NumericArray } from '../../columns/column.js';
import { physicalOf } from '../../columns/physical.js';
import { DbError } from '../../errors/index.js';
import { type DataType, decimalType, isFloat, isInteger, T } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor, AggregateStates } from '../function.js';
import { float64ToInt64, isBigArray, toBigInts, toFloat64 } from '../core/columns.js';
import { allKernel, bytesF64, f64Bytes, groupKernel, growFloat64, numericArg } from './columnar.js';
import { decodeState, encodeState } from './state-codec.js';

const CATEGORY = 'Aggregate';
const SAFE = 9007199254740991;

/** The largest magnitude a value of an integer type can have, for the cheap exactness bound. */
function maxAbsOf(t: DataType): number {
  switch (t.kind) {
    case 'Int8':
    case 'UInt8':
    case 'Bool':
      return 255;
    case 'Int16':
    case 'UInt16':
      return 65535;
    case 'Int32':
    case 'UInt32':
    case 'Date':
    case 'DateTime':
      return 4294967295;
    default:
      return Infinity;
  }
}

/**
 * Sums of integers and decimals: doubles while every group's total provably stays below 2^53 (tracked with
 * a global bound on the sum of absolute values), then exact bigints. Floats always sum in doubles.
 */
export class SumStates implements AggregateStates {
  acc: Float64Array = new Float64Array(16);
  /** exact mode: bigint totals once doubles could lose precision */
  big: bigint[] | undefined;
  bound = 0;
  constructor(
    readonly argType: DataType,
    readonly resultType: DataType,
    readonly floating: boolean,
    /** sumWithOverflow / Int64 results: wrap to this many bits (0 = no wrap, decimals) */
    readonly wrapBits: number,
    readonly signedWrap: boolean,
  ) {}

  resize(groups: number): void {
    if (groups > this.acc.length) this.acc = growFloat64(this.acc, groups);
    if (this.big) while (this.big.length < groups) this.big.push(0n);
  }

  private toBig(): bigint[] {
    if (!this.big) {
      const b: bigint[] = new Array(this.acc.length);
      for (let g = 0; g < this.acc.length; g++) b[g] = BigInt(this.acc[g]!);
      this.big = b;
    }
    return this.big;
  }

  /** Input as doubles, or undefined when only the exact path will do. */
  private doubles(col: Column, rows: number): { data: NumericArray; isConst: boolean } | undefined {
    const a = numericArg(col);
    if (!a) return undefined;
    if (this.floating) return isBigArray(a.data) ? { data: toFloat64(a.data).data, isConst: a.isConst } : a;
    if (this.big) return undefined;
    let data = a.data;
    if (isBigArray(data)) {
      const c = toFloat64(data);
      if (!c.exact) return undefined;
      data = c.data;
    }
    const n = a.isConst ? 1 : rows;
    const weight = a.isConst ? rows : 1;
    const maxAbs = maxAbsOf(this.argType);
    // Small types: a bound from the type alone never gets near 2^53; wider ones measure the block.
    if (maxAbs <= 65535 && this.bound + rows * maxAbs < SAFE) {
      this.bound += rows * maxAbs;
      return { data, isConst: a.isConst };
    }
    const blockAbs = allKernel('sumAbs', data)(data, n, 0) * weight;
    if (this.bound + blockAbs >= SAFE) return undefined;
    this.bound += blockAbs;
    return { data, isConst: a.isConst };
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const col = args[0]!;
    const d = this.doubles(col, rows);
    if (d) {
      if (d.isConst) {
        const v = Number(d.data[0]);
        const acc = this.acc;
        for (let i = 0; i < rows; i++) acc[groupIds[i]!]! += v;
      } else groupKernel('sum', d.data)(this.acc, groupIds, d.data, rows, EMPTY);
      return;
    }
    const big = this.toBig();
    const vals = exactValues(col, rows);
    for (let i = 0; i < rows; i++) big[groupIds[i]!]! += vals(i);
  }

  addAll(args: Column[], rows: number): void {
    this.resize(1);
    const col = args[0]!;
    const d = this.doubles(col, rows);
    if (d) {
      this.acc[0]! += d.isConst ? Number(d.data[0]) * rows : allKernel('sum', d.data)(d.data, rows, 0);
      return;
    }
    const big = this.toBig();
    const vals = exactValues(col, rows);
    let s = 0n;
    for (let i = 0; i < rows; i++) s += vals(i);
    big[0]! += s;
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    this.resize(dst + 1);
    this.mergeState(dst, (other as SumStates).getState(src));
  }

  finalize(groups: number): Column {
    this.resize(groups);
    const p = physicalOf(this.resultType);
    if (this.floating) {
      if (p.layout === 'numeric' && p.ctor === Float64Array) return new NumericColumn(this.acc.slice(0, groups));
      const out = new (p.layout === 'numeric' ? p.ctor : Float64Array)(groups);
      (out as Float64Array).set(this.acc.subarray(0, groups));
      return new NumericColumn(out);
    }
    const totals = (g: number): bigint => this.wrap(this.big ? this.big[g]! : BigInt(this.acc[g]!));
    if (p.layout === 'bignum') {
      const out: bigint[] = new Array(groups);
      for (let g = 0; g < groups; g++) out[g] = totals(g);
      return new BigNumColumn(out);
    }
    if (p.layout !== 'numeric') throw new Error('unexpected sum result layout');
    const out = new p.ctor(groups);
    if (isBigArray(out)) {
      if (!this.big && float64ToInt64(this.acc.subarray(0, groups), out)) {
        if (this.wrapBits && this.wrapBits < 64) for (let g = 0; g < groups; g++) out[g] = totals(g);
        return new NumericColumn(out);
      }
      for (let g = 0; g < groups; g++) out[g] = totals(g);
    } else {
      for (let g = 0; g < groups; g++) (out as Float64Array)[g] = Number(totals(g));
    }
    return new NumericColumn(out);
  }

  private wrap(v: bigint): bigint {
    if (!this.wrapBits) return v;
    return this.signedWrap ? BigInt.asIntN(this.wrapBits, v) : BigInt.asUintN(this.wrapBits, v);
  }

  getState(group: number): unknown {
    this.resize(group + 1);
    if (this.floating) return this.acc[group]!;
    return this.big ? this.big[group]! : BigInt(this.acc[group]!);
  }

  mergeState(group: number, state: unknown): void {
    this.resize(group + 1);
    if (this.floating) {
      this.acc[group]! += state as number;
      return;
    }
    const v = state as bigint;
    if (!this.big) {
      const a = this.acc[group]! + Number(v);
      const mag = Math.abs(Number(v));
      if (this.bound + mag < SAFE && Number.isSafeInteger(Number(v))) {
        this.bound += mag;
        this.acc[group] = a;
        return;
      }
    }
    this.toBig()[group]! += v;
  }

  serializeState(group: number): Uint8Array {
    return this.floating ? f64Bytes(this.getState(group) as number) : encodeState(this.getState(group));
  }

  deserializeState(bytes: Uint8Array): unknown {
    return this.floating ? bytesF64(bytes)[0] : decodeState(bytes);
  }
}

const EMPTY = new Uint8Array(0);

type SumCountKernel = (sums: Float64Array, counts: Float64Array, ids: Uint32Array, data: NumericArray, n: number) => void;
const sumCountKernels = new Map<string, SumCountKernel>();
/** sums[g] += x; counts[g] += 1 in one pass (one random access per array per row). */
function sumCountKernel(data: NumericArray): SumCountKernel {
  const key = data.constructor.name;
  let k = sumCountKernels.get(key);
  if (!k) {
    k = new Function('sums', 'counts', 'ids', 'data', 'n', 'for (let i = 0; i < n; i++) { const g = ids[i]; sums[g] += data[i]; counts[g] += 1; }') as SumCountKernel;
    sumCountKernels.set(key, k);
  }
  return k;
}

/** Exact per-row bigints of an integer or decimal column. */
function exactValues(col: Column, rows: number): (i: number) => bigint {
  if (col.kind === 'const') {
    const v = toBigInts(col.inner)[0]!;
    return () => v;
  }
  const vals = toBigInts(col);
  void rows;
  return (i) => vals[i]!;
}

/** sum's result type: Int64 / UInt64 / Float64, Decimal128(S) (Decimal256 for wider), 128/256-bit kept. */
export function sumResultType(t: DataType): DataType {
  if (isFloat(t)) return T.Float64;
  if (t.kind === 'Decimal') return decimalType(t.precision > 38 ? 76 : 38, t.scale);
  if (t.kind === 'Int128' || t.kind === 'Int256' || t.kind === 'UInt128' || t.kind === 'UInt256') return t;
  if (t.kind.startsWith('UInt') || t.kind === 'Bool') return T.UInt64;
  if (isInteger(t)) return T.Int64;
  if (t.kind === 'Interval') return t;
  throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of argument for aggregate function sum`);
}

function checkNumeric(name: string, argTypes: readonly DataType[], count = 1): DataType {
  if (argTypes.length !== count) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires ${count} argument${count > 1 ? 's' : ''}`);
  const t = argTypes[0]!;
  if (!(isInteger(t) || isFloat(t) || t.kind === 'Decimal' || t.kind === 'Bool' || t.kind === 'Interval')) {
    throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of argument for aggregate function ${name}`);
  }
  return t;
}

export const sum: AggregateFunctionDescriptor = {
  name: 'sum',
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Sum of the values (Int64/UInt64/Float64/Decimal128 result)',
  syntax: 'sum(x)',
  resolve(_p, argTypes) {
    const t = checkNumeric('sum', argTypes);
    const rt = sumResultType(t);
    const floating = isFloat(t) || t.kind === 'Interval';
    const bits = rt.kind === 'Int64' || rt.kind === 'UInt64' ? 64 : rt.kind.endsWith('128') ? 128 : rt.kind.endsWith('256') ? 256 : 0;
    return { returnType: rt, createStates: () => new SumStates(t, rt, floating, bits, rt.kind.startsWith('Int')) };
  },
};

export const sumWithOverflow: AggregateFunctionDescriptor = {
  name: 'sumWithOverflow',
  category: CATEGORY,
  description: 'Sum in the argument type, wrapping on overflow',
  syntax: 'sumWithOverflow(x)',
  resolve(_p, argTypes) {
    const t = checkNumeric('sumWithOverflow', argTypes);
    const floating = isFloat(t);
    const bits = t.kind === 'Decimal' ? 0 : t.kind === 'Bool' ? 8 : Number(/(\d+)$/.exec(t.kind)?.[1] ?? 64);
    return { returnType: t, createStates: () => new SumStates(t, t, floating, floating ? 0 : bits, !t.kind.startsWith('UInt')) };
  },
};

/** avg: a sum and a count per group, both doubles; decimals are averaged as their real values. */
export class AvgStates implements AggregateStates {
  sums: Float64Array = new Float64Array(16);
  counts: Float64Array = new Float64Array(16);
  constructor(readonly scale: number) {}

  resize(groups: number): void {
    if (groups > this.sums.length) {
      this.sums = growFloat64(this.sums, groups);
      this.counts = growFloat64(this.counts, groups);
    }
  }

  private data(col: Column): { data: NumericArray; isConst: boolean } {
    const a = numericArg(col);
    if (!a) {
      // Decimal128/256 and big integers
      const vals = toBigInts(col.kind === 'const' ? col.inner : col).map((v) => Number(v));
      return { data: Float64Array.from(vals), isConst: col.kind === 'const' };
    }
    if (isBigArray(a.data)) return { data: toFloat64(a.data).data, isConst: a.isConst };
    return a;
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const { data, isConst } = this.data(args[0]!);
    const k = 1 / 10 ** this.scale;
    if (isConst) {
      const v = Number(data[0]) * k;
      for (let i = 0; i < rows; i++) {
        const g = groupIds[i]!;
        this.sums[g]! += v;
        this.counts[g]!++;
      }
      return;
    }
    if (this.scale === 0) sumCountKernel(data)(this.sums, this.counts, groupIds, data, rows);
    else {
      const d = data as Float64Array;
      for (let i = 0; i < rows; i++) this.sums[groupIds[i]!]! += d[i]! * k;
      groupKernel('count', data)(this.counts, groupIds, data, rows, EMPTY);
    }
  }

  addAll(args: Column[], rows: number): void {
    this.resize(1);
    const { data, isConst } = this.data(args[0]!);
    const k = 1 / 10 ** this.scale;
    this.sums[0]! += (isConst ? Number(data[0]) * rows : allKernel('sum', data)(data, rows, 0)) * k;
    this.counts[0]! += rows;
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    const o = other as AvgStates;
    this.resize(dst + 1);
    this.sums[dst]! += o.sums[src]!;
    this.counts[dst]! += o.counts[src]!;
  }

  finalize(groups: number): Column {
    this.resize(groups);
    const out = new Float64Array(groups);
    for (let g = 0; g < groups; g++) out[g] = this.sums[g]! / this.counts[g]!;
    return new NumericColumn(out);
  }

  getState(group: number): unknown {
    this.resize(group + 1);
    return [this.sums[group]!, this.counts[group]!];
  }

  mergeState(group: number, state: unknown): void {
    const [s, c] = state as [number, number];
    this.resize(group + 1);
    this.sums[group]! += s;
    this.counts[group]! += c;
  }

  serializeState(group: number): Uint8Array {
    this.resize(group + 1);
    return f64Bytes(this.sums[group]!, this.counts[group]!);
  }

  deserializeState(bytes: Uint8Array): unknown {
    const f = bytesF64(bytes);
    return [f[0]!, f[1]!];
  }
}

export const avg: AggregateFunctionDescriptor = {
  name: 'avg',
  aliases: ['mean'],
  caseInsensitive: true,
  category: CATEGORY,
  description: 'Arithmetic mean (Float64); nan for no rows',
  syntax: 'avg(x)',
  resolve(_p, argTypes) {
    const t = checkNumeric('avg', argTypes);
    return { returnType: T.Float64, createStates: () => new AvgStates(t.kind === 'Decimal' ? t.scale : 0) };
  },
};

/** avgWeighted(x, weight). */
export const avgWeighted: AggregateFunctionDescriptor = {
  name: 'avgWeighted',
  category: CATEGORY,
  description: 'Weighted arithmetic mean',
  syntax: 'avgWeighted(x, weight)',
  resolve(_p, argTypes) {
    if (argTypes.length !== 2) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Aggregate function avgWeighted requires 2 arguments');
    const sx = argTypes[0]!.kind === 'Decimal' ? (argTypes[0] as { scale: number }).scale : 0;
    const sw = argTypes[1]!.kind === 'Decimal' ? (argTypes[1] as { scale: number }).scale : 0;
    return {
      returnType: T.Float64,
      createStates: () => new WeightedAvgStates(sx, sw),
    };
  },
};

class WeightedAvgStates extends AvgStates {
  constructor(
    readonly sx: number,
    readonly sw: number,
  ) {
    super(0);
  }
  override add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const x = toNumbers(args[0]!, rows, this.sx);
    const w = toNumbers(args[1]!, rows, this.sw);
    for (let i = 0; i < rows; i++) {
      const g = groupIds[i]!;
      this.sums[g]! += x(i) * w(i);
      this.counts[g]! += w(i);
    }
  }
  override addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }
}

/** Per-row doubles of a numeric column (decimals divided by their scale). */
export function toNumbers(col: Column, rows: number, scale = 0): (i: number) => number {
  const k = 1 / 10 ** scale;
  const a = numericArg(col);
  if (!a) {
    const vals = toBigInts(col.kind === 'const' ? col.inner : col).map((v) => Number(v) * k);
    return col.kind === 'const' ? () => vals[0]! : (i) => vals[i]!;
  }
  const d = isBigArray(a.data) ? toFloat64(a.data).data : (a.data as Float64Array);
  void rows;
  if (a.isConst) {
    const v = Number(d[0]) * k;
    return () => v;
  }
  return scale ? (i) => d[i]! * k : (i) => d[i]!;
}
