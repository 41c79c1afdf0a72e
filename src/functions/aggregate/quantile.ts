import { type Column } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import { type Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { arrayType, type DataType, isFloat, isInteger, T } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor, AggregateStates } from '../function.js';
import { isBigArray, toFloat64, toBigInts } from '../core/columns.js';
import { numericArg } from './columnar.js';
import { decodeState, encodeState } from './state-codec.js';

const CATEGORY = 'Aggregate';

/**
 * Quantiles keep every value per group (a number[]) and compute at finalize:
 *  - interpolated (quantile, quantileTDigest, quantileTiming, median): ClickHouse's reservoir sampler is
 *    exact below 8192 values and interpolates linearly between neighbours: index = level × (n − 1).
 *  - exact (quantileExact, medianExact): the element at floor(level × n) after sorting (no interpolation).
 *  - exactLow / exactHigh: the lower / upper median element.
 */
type Method = 'interpolated' | 'exact' | 'exactLow' | 'exactHigh' | 'exactInclusive' | 'exactExclusive';

function levelsOf(name: string, params: readonly Value[], many: boolean): number[] {
  const ls = params.length ? params.map((p) => Number(p)) : [0.5];
  if (!many && ls.length > 1) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} takes one parameter (the level)`);
  for (const l of ls) if (!(l >= 0 && l <= 1)) throw new DbError('PARAMETER_OUT_OF_BOUND', `Quantile level is out of range [0..1]`);
  return ls;
}

export function quantileOf(sorted: ArrayLike<number>, level: number, method: Method): number {
  const n = sorted.length;
  if (!n) return NaN;
  switch (method) {
    case 'interpolated': {
      const idx = Math.max(0, Math.min(n - 1, level * (n - 1)));
      const lo = Math.floor(idx);
      const frac = idx - lo;
      const a = sorted[lo]!;
      if (frac === 0 || lo + 1 >= n) return a;
      return a + (sorted[lo + 1]! - a) * frac;
    }
    case 'exact': {
      const k = level < 1 ? Math.floor(level * n) : n - 1;
      return sorted[Math.min(k, n - 1)]!;
    }
    case 'exactLow': {
      const k = level < 1 ? Math.max(0, Math.ceil(level * n) - 1) : n - 1;
      return sorted[k]!;
    }
    case 'exactHigh': {
      const k = level < 1 ? Math.floor(level * n) : n - 1;
      return sorted[Math.min(k, n - 1)]!;
    }
    case 'exactInclusive': {
      const h = level * (n - 1);
      const lo = Math.floor(h);
      return lo + 1 < n ? sorted[lo]! + (h - lo) * (sorted[lo + 1]! - sorted[lo]!) : sorted[n - 1]!;
    }
    case 'exactExclusive': {
      const h = level * (n + 1) - 1;
      if (h <= 0) return sorted[0]!;
      if (h >= n - 1) return sorted[n - 1]!;
      const lo = Math.floor(h);
      return sorted[lo]! + (h - lo) * (sorted[lo + 1]! - sorted[lo]!);
    }
  }
}

class QuantileStates implements AggregateStates {
  values: number[][] = [];
  weights: number[][] | undefined;
  constructor(
    readonly method: Method,
    readonly levels: number[],
    readonly many: boolean,
    readonly returnType: DataType,
    readonly weighted: boolean,
    readonly scale: number,
  ) {
    if (weighted) this.weights = [];
  }

  resize(groups: number): void {
    while (this.values.length < groups) {
      this.values.push([]);
      this.weights?.push([]);
    }
  }

  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const xs = numbersOf(args[0]!, rows, this.scale);
    const vals = this.values;
    for (let i = 0; i < rows; i++) {
      const x = xs(i);
      if (x !== x && !this.weighted) continue; // NaN values are ignored
      vals[groupIds[i]!]!.push(x);
    }
    if (this.weights) {
      const ws = numbersOf(args[1]!, rows);
      for (let i = 0; i < rows; i++) this.weights[groupIds[i]!]!.push(ws(i));
    }
  }

  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }

  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    this.mergeState(dst, (other as QuantileStates).getState(src));
  }

  finalize(groups: number): Column {
    this.resize(groups);
    const b = createBuilder(this.returnType, groups);
    for (let g = 0; g < groups; g++) {
      const results = this.compute(g);
      b.push(this.many ? results.map((r) => this.out(r)) : this.out(results[0]!));
    }
    return b.build();
  }

  private out(x: number): Value {
    const t = this.returnType.kind === 'Array' ? this.returnType.element : this.returnType;
    if (t.kind === 'Decimal') return Number.isFinite(x) ? BigInt(Math.round(x * 10 ** this.scale)) : 0n;
    if (t.kind === 'Int64' || t.kind === 'UInt64') return Number.isFinite(x) ? BigInt(Math.round(x)) : 0n;
    if (isInteger(t) || t.kind === 'Date' || t.kind === 'DateTime' || t.kind === 'Date32') return Number.isFinite(x) ? Math.round(x) : 0;
    if (t.kind === 'DateTime64') return Math.round(x);
    return x;
  }

  private compute(g: number): number[] {
    const vals = this.values[g]!;
    if (this.weights) {
      // quantileExactWeighted: cumulative weights over distinct sorted values
      const ws = this.weights[g]!;
      const pairs = vals.map((v, i) => [v, ws[i]!] as [number, number]).filter(([, w]) => w > 0);
      const merged = new Map<number, number>();
      for (const [v, w] of pairs) merged.set(v, (merged.get(v) ?? 0) + w);
      const sorted = [...merged.entries()].sort((a, b) => a[0] - b[0]);
      const total = sorted.reduce((s, [, w]) => s + w, 0);
      return this.levels.map((level) => {
        if (!sorted.length) return NaN;
        const threshold = Math.ceil(total * level);
        let acc = 0;
        for (const [v, w] of sorted) {
          acc += w;
          if (acc >= threshold) return v;
        }
        return sorted[sorted.length - 1]![0];
      });
    }
    const sorted = Float64Array.from(vals).sort();
    return this.levels.map((l) => quantileOf(sorted, l, this.method));
  }

  getState(group: number): unknown {
    this.resize(group + 1);
    return { v: this.values[group]!.slice(), w: this.weights?.[group]!.slice() };
  }

  mergeState(group: number, state: unknown): void {
    const s = state as { v: number[]; w?: number[] };
    this.resize(group + 1);
    const into = this.values[group]!;
    for (const x of s.v) into.push(x);
    if (this.weights && s.w) for (const x of s.w) this.weights[group]!.push(x);
  }

  serializeState(group: number): Uint8Array {
    return encodeState(this.getState(group));
  }

  deserializeState(bytes: Uint8Array): unknown {
    return decodeState(bytes);
  }
}

function numbersOf(col: Column, rows: number, scale = 0): (i: number) => number {
  if (scale) {
    const k = 10 ** scale;
    const vals = toBigInts(col.kind === 'const' ? col.inner : col).map((v) => Number(v) / k);
    return col.kind === 'const' ? () => vals[0]! : (i) => vals[i]!;
  }
  const a = numericArg(col);
  if (a) {
    const d = isBigArray(a.data) ? toFloat64(a.data).data : (a.data as Float64Array);
    if (a.isConst) {
      const v = Number(d[0]);
      return () => v;
    }
    return (i) => d[i]!;
  }
  const vals = toBigInts(col.kind === 'const' ? col.inner : col).map(Number);
  void rows;
  return col.kind === 'const' ? () => vals[0]! : (i) => vals[i]!;
}

function valueType(name: string, t: DataType, method: Method): DataType {
  if (!(isInteger(t) || isFloat(t) || t.kind === 'Decimal' || t.kind === 'Date' || t.kind === 'Date32' || t.kind === 'DateTime' || t.kind === 'DateTime64' || t.kind === 'Bool')) {
    throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of argument for aggregate function ${name}`);
  }
  const dateLike = t.kind === 'Date' || t.kind === 'Date32' || t.kind === 'DateTime' || t.kind === 'DateTime64';
  if (dateLike) return t;
  if (method === 'interpolated' || method === 'exactInclusive' || method === 'exactExclusive') return T.Float64;
  return t.kind === 'Bool' ? T.UInt8 : t;
}

function quantileFunction(name: string, method: Method, many: boolean, weighted = false, fixedLevel?: number, aliases: string[] = []): AggregateFunctionDescriptor {
  return {
    name,
    aliases,
    category: CATEGORY,
    description: `${many ? 'Quantiles' : fixedLevel === 0.5 ? 'Median' : 'Quantile'} of the values (${method === 'interpolated' ? 'linear interpolation between neighbours' : 'an element of the sorted values'}${weighted ? ', weighted' : ''})`,
    syntax: many ? `${name}(level1, level2, …)(x${weighted ? ', weight' : ''})` : fixedLevel !== undefined && !name.startsWith('quantile') ? `${name}(x${weighted ? ', weight' : ''})` : `${name}(level)(x${weighted ? ', weight' : ''})`,
    // Proton's quantile(x, level): the level after the arguments.
    ...(many || fixedLevel !== undefined ? {} : { constantArgsFrom: weighted ? 2 : 1 }),
    resolve(params, argTypes) {
      if (argTypes.length !== (weighted ? 2 : 1)) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires ${weighted ? 2 : 1} argument(s)`);
      const levels = fixedLevel !== undefined && !params.length ? [fixedLevel] : levelsOf(name, params, many);
      const t = argTypes[0]!;
      const el = valueType(name, t, method);
      const scale = t.kind === 'Decimal' ? t.scale : 0;
      const returnType = many ? arrayType(el) : el;
      return { returnType, createStates: () => new QuantileStates(method, levels, many, returnType, weighted, scale) };
    },
  };
}

export const quantileFunctions: AggregateFunctionDescriptor[] = [
  quantileFunction('quantile', 'interpolated', false),
  quantileFunction('quantileDeterministic', 'interpolated', false),
  quantileFunction('quantileTDigest', 'interpolated', false),
  quantileFunction('quantileTiming', 'interpolated', false),
  quantileFunction('quantileBFloat16', 'interpolated', false),
  quantileFunction('quantileExact', 'exact', false),
  quantileFunction('quantileExactLow', 'exactLow', false),
  quantileFunction('quantileExactHigh', 'exactHigh', false),
  quantileFunction('quantileExactInclusive', 'exactInclusive', false),
  quantileFunction('quantileExactExclusive', 'exactExclusive', false),
  quantileFunction('quantileExactWeighted', 'exact', false, true),
  quantileFunction('quantileTDigestWeighted', 'exact', false, true),
  quantileFunction('quantiles', 'interpolated', true),
  quantileFunction('quantilesDeterministic', 'interpolated', true),
  quantileFunction('quantilesTDigest', 'interpolated', true),
  quantileFunction('quantilesTiming', 'interpolated', true),
  quantileFunction('quantilesExact', 'exact', true),
  quantileFunction('quantilesExactLow', 'exactLow', true),
  quantileFunction('quantilesExactHigh', 'exactHigh', true),
  quantileFunction('quantilesExactWeighted', 'exact', true, true),
  quantileFunction('median', 'interpolated', false, false, 0.5),
  quantileFunction('medianDeterministic', 'interpolated', false, false, 0.5),
  quantileFunction('medianTDigest', 'interpolated', false, false, 0.5),
  quantileFunction('medianTiming', 'interpolated', false, false, 0.5),
  quantileFunction('medianExact', 'exact', false, false, 0.5),
  quantileFunction('medianExactLow', 'exactLow', false, false, 0.5),
  quantileFunction('medianExactHigh', 'exactHigh', false, false, 0.5),
  quantileFunction('medianExactWeighted', 'exact', false, true, 0.5),
  // Proton's percentile shorthands
  quantileFunction('p90', 'interpolated', false, false, 0.9),
  quantileFunction('p95', 'interpolated', false, false, 0.95),
  quantileFunction('p99', 'interpolated', false, false, 0.99),
];
