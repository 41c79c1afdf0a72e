import { type Column, NumericColumn } from '../../columns/column.js';
import { createBuilder } from '../../columns/builder.js';
import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import { type DataType, isFloat, isInteger, T, tupleType } from '../../types/data-type.js';
import type { AggregateFunctionDescriptor, AggregateStates } from '../function.js';
import { bytesF64, f64Bytes, growFloat64 } from './columnar.js';
import { toNumbers } from './sum-avg.js';
import { keyOfValue } from './combinators.js';
import { objectAggregate } from './object-states.js';

const CATEGORY = 'Aggregate';

/**
 * Moments per group, columnar: count, means and co-moments (Welford's update, Chan's merge), so variance,
 * standard deviation, covariance and correlation are numerically stable and mergeable.
 */
class MomentStates implements AggregateStates {
  n: Float64Array = new Float64Array(16);
  mx: Float64Array = new Float64Array(16);
  my: Float64Array = new Float64Array(16);
  m2x: Float64Array = new Float64Array(16);
  m2y: Float64Array = new Float64Array(16);
  cxy: Float64Array = new Float64Array(16);
  constructor(
    readonly two: boolean,
    readonly result: (n: number, m2x: number, m2y: number, cxy: number, mx: number, my: number) => number,
    readonly scales: [number, number],
  ) {}
  resize(groups: number): void {
    if (groups > this.n.length) {
      this.n = growFloat64(this.n, groups);
      this.mx = growFloat64(this.mx, groups);
      this.my = growFloat64(this.my, groups);
      this.m2x = growFloat64(this.m2x, groups);
      this.m2y = growFloat64(this.m2y, groups);
      this.cxy = growFloat64(this.cxy, groups);
    }
  }
  add(groupIds: Uint32Array, args: Column[], rows: number): void {
    const xs = toNumbers(args[0]!, rows, this.scales[0]);
    const ys = this.two ? toNumbers(args[1]!, rows, this.scales[1]) : xs;
    for (let i = 0; i < rows; i++) this.push(groupIds[i]!, xs(i), ys(i));
  }
  private push(g: number, x: number, y: number): void {
    const n = ++this.n[g]!;
    const dx = x - this.mx[g]!;
    this.mx[g]! += dx / n;
    this.m2x[g]! += dx * (x - this.mx[g]!);
    if (this.two) {
      const dy = y - this.my[g]!;
      this.my[g]! += dy / n;
      this.m2y[g]! += dy * (y - this.my[g]!);
      this.cxy[g]! += dx * (y - this.my[g]!);
    }
  }
  addAll(args: Column[], rows: number): void {
    this.resize(1);
    this.add(new Uint32Array(rows), args, rows);
  }
  mergeFrom(other: AggregateStates, src: number, dst: number): void {
    this.mergeState(dst, (other as MomentStates).getState(src));
  }
  finalize(groups: number): Column {
    this.resize(groups);
    const out = new Float64Array(groups);
    for (let g = 0; g < groups; g++) out[g] = this.result(this.n[g]!, this.m2x[g]!, this.m2y[g]!, this.cxy[g]!, this.mx[g]!, this.my[g]!);
    return new NumericColumn(out);
  }
  getState(group: number): unknown {
    this.resize(group + 1);
    return [this.n[group]!, this.mx[group]!, this.my[group]!, this.m2x[group]!, this.m2y[group]!, this.cxy[group]!];
  }
  mergeState(group: number, state: unknown): void {
    this.resize(group + 1);
    const [nb, mxb, myb, m2xb, m2yb, cxyb] = state as number[];
    const na = this.n[group]!;
    if (!nb) return;
    const n = na + nb!;
    const dx = mxb! - this.mx[group]!;
    const dy = myb! - this.my[group]!;
    this.m2x[group]! += m2xb! + (dx * dx * na * nb!) / n;
    this.m2y[group]! += m2yb! + (dy * dy * na * nb!) / n;
    this.cxy[group]! += cxyb! + (dx * dy * na * nb!) / n;
    this.mx[group]! += (dx * nb!) / n;
    this.my[group]! += (dy * nb!) / n;
    this.n[group] = n;
  }
  serializeState(group: number): Uint8Array {
    return f64Bytes(...(this.getState(group) as number[]));
  }
  deserializeState(bytes: Uint8Array): unknown {
    return Array.from(bytesF64(bytes));
  }
}

function checkNumbers(name: string, argTypes: readonly DataType[], count: number): [number, number] {
  if (argTypes.length !== count) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', `Aggregate function ${name} requires ${count} argument(s)`);
  for (const t of argTypes) {
    if (!(isInteger(t) || isFloat(t) || t.kind === 'Decimal' || t.kind === 'Bool')) throw new DbError('ILLEGAL_TYPE_OF_ARGUMENT', `Illegal type ${t.name} of argument for aggregate function ${name}`);
  }
  const sc = (t: DataType | undefined) => (t && t.kind === 'Decimal' ? t.scale : 0);
  return [sc(argTypes[0]), sc(argTypes[1])];
}

function moment(name: string, description: string, two: boolean, result: MomentStates['result'], aliases: string[] = []): AggregateFunctionDescriptor {
  return {
    name,
    aliases,
    caseInsensitive: aliases.some((a) => a === a.toUpperCase()),
    category: CATEGORY,
    description,
    syntax: two ? `${name}(x, y)` : `${name}(x)`,
    resolve(_p, argTypes) {
      const scales = checkNumbers(name, argTypes, two ? 2 : 1);
      return { returnType: T.Float64, createStates: () => new MomentStates(two, result, scales) };
    },
  };
}

const varPop = (n: number, m2: number) => (n ? m2 / n : NaN);
const varSamp = (n: number, m2: number) => (n > 1 ? m2 / (n - 1) : NaN);

const simpleLinearRegression: AggregateFunctionDescriptor = {
  name: 'simpleLinearRegression',
  category: CATEGORY,
  description: 'Least-squares line y = k·x + b, as a tuple (k, b)',
  syntax: 'simpleLinearRegression(x, y)',
  resolve(_p, argTypes) {
    const scales = checkNumbers('simpleLinearRegression', argTypes, 2);
    const rt = tupleType([T.Float64, T.Float64], ['k', 'b']);
    return {
      returnType: rt,
      createStates: () => {
        const inner = new MomentStates(true, () => 0, scales);
        return new (class extends MomentStates {
          override finalize(groups: number): Column {
            this.resize(groups);
            const b = createBuilder(rt, groups);
            for (let g = 0; g < groups; g++) {
              const k = this.cxy[g]! / this.m2x[g]!;
              b.push([k, this.my[g]! - k * this.mx[g]!]);
            }
            return b.build();
          }
        })(true, inner.result, scales);
      },
    };
  },
};

const entropy: AggregateFunctionDescriptor = {
  name: 'entropy',
  category: CATEGORY,
  description: 'Shannon entropy (bits) of the value distribution',
  syntax: 'entropy(x)',
  resolve(_p, argTypes) {
    if (argTypes.length < 1) throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Aggregate function entropy requires an argument');
    return objectAggregate<Map<string, number>>(T.Float64, argTypes, {
      create: () => new Map(),
      add(s, v) {
        const k = v.length === 1 ? keyOfValue(v[0]!) : v.map(keyOfValue).join('\u0001');
        s.set(k, (s.get(k) ?? 0) + 1);
        return s;
      },
      merge(into, from) {
        for (const [k, c] of from) into.set(k, (into.get(k) ?? 0) + c);
        return into;
      },
      finalize(s) {
        let total = 0;
        for (const c of s.values()) total += c;
        let h = 0;
        for (const c of s.values()) {
          const p = c / total;
          h -= p * Math.log2(p);
        }
        return h;
      },
    });
  },
};

function higherMoment(name: string, description: string, compute: (xs: number[]) => number): AggregateFunctionDescriptor {
  return {
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(x)`,
    resolve(_p, argTypes) {
      checkNumbers(name, argTypes, 1);
      return objectAggregate<number[]>(T.Float64, argTypes, {
        create: () => [],
        add(s, v) {
          s.push(Number(v[0]));
          return s;
        },
        merge: (into, from) => into.concat(from),
        finalize: (s) => compute(s),
      });
    },
  };
}

function centralMoments(xs: number[]): { n: number; m2: number; m3: number; m4: number } {
  const n = xs.length;
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const x of xs) {
    const d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  return { n, m2: m2 / n, m3: m3 / n, m4: m4 / n };
}

export const statisticsFunctions: AggregateFunctionDescriptor[] = [
  moment('varPop', 'Population variance', false, (n, m2) => varPop(n, m2), ['VAR_POP', 'varPopStable']),
  moment('varSamp', 'Sample variance (nan for fewer than two values)', false, (n, m2) => varSamp(n, m2), ['VAR_SAMP', 'varSampStable']),
  moment('stddevPop', 'Population standard deviation', false, (n, m2) => Math.sqrt(varPop(n, m2)), ['STDDEV_POP', 'stddevPopStable']),
  moment('stddevSamp', 'Sample standard deviation', false, (n, m2) => Math.sqrt(varSamp(n, m2)), ['STDDEV_SAMP', 'stddevSampStable']),
  moment('covarPop', 'Population covariance', true, (n, _a, _b, c) => (n ? c / n : NaN), ['COVAR_POP', 'covarPopStable']),
  moment('covarSamp', 'Sample covariance', true, (n, _a, _b, c) => (n > 1 ? c / (n - 1) : NaN), ['COVAR_SAMP', 'covarSampStable']),
  moment('corr', 'Pearson correlation coefficient', true, (n, a, b, c) => (n > 1 ? c / Math.sqrt(a * b) : NaN), ['corrStable']),
  simpleLinearRegression,
  entropy,
  higherMoment('skewPop', 'Population skewness', (xs) => { const m = centralMoments(xs); return m.m3 / Math.pow(m.m2, 1.5); }),
  higherMoment('skewSamp', 'Sample skewness', (xs) => { const m = centralMoments(xs); const n = m.n; return (m.m3 / Math.pow((m.m2 * n) / (n - 1), 1.5)); }),
  higherMoment('kurtPop', 'Population kurtosis', (xs) => { const m = centralMoments(xs); return m.m4 / (m.m2 * m.m2); }),
  higherMoment('kurtSamp', 'Sample kurtosis', (xs) => { const m = centralMoments(xs); const n = m.n; const v = (m.m2 * n) / (n - 1); return m.m4 / (v * v); }),
];

export type { Value };
