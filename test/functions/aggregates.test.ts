import { describe, expect, it } from 'vitest';
import { agg, col, ctx, lit } from './helpers.js';
import { defaultRegistry } from '../../src/functions/index.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { columnFromValues, columnValues } from '../../src/columns/index.js';
import type { Value } from '../../src/columns/values.js';

const nums = (...xs: number[]) => col('UInt8', ...xs);

describe('basic aggregates (values checked against ClickHouse)', () => {
  const x = col('UInt64', ...Array.from({ length: 10 }, (_, i) => BigInt(i)));
  const y = col('UInt8', 0, 1, 2, 0, 1, 2, 0, 1, 2, 0);
  it('count, sum, avg, min, max, any, anyLast', () => {
    expect(agg('count', [], [col('Nullable(UInt8)', 1, null, 2)]).values).toEqual([2n]);
    expect(agg('count', [], []).values).toEqual([0n]);
    expect(agg('sum', [], [x])).toEqual({ type: 'UInt64', values: [45n] });
    expect(agg('sum', [], [col('Int8', -1, -2)])).toEqual({ type: 'Int64', values: [-3n] });
    expect(agg('sum', [], [col('Float32', 0.5, 0.25)])).toEqual({ type: 'Float64', values: [0.75] });
    expect(agg('sum', [], [col('Decimal(9,2)', 150n, 250n)])).toEqual({ type: 'Decimal(38, 2)', values: [400n] });
    expect(agg('sum', [], [col('Nullable(Int32)', null, null)])).toEqual({ type: 'Nullable(Int64)', values: [null] });
    expect(agg('avg', [], [x]).values).toEqual([4.5]);
    expect(Number.isNaN(agg('avg', [], [nums()]).values[0])).toBe(true);
    expect(agg('min', [], [x]).values).toEqual([0n]);
    expect(agg('max', [], [x]).values).toEqual([9n]);
    expect(agg('max', [], [col('String', 'b', 'a', 'c')]).values).toEqual(['c']);
    expect(agg('min', [], [col('Nullable(String)', null, 'b', 'a')]).values).toEqual(['a']);
    expect(agg('any', [], [col('Nullable(String)', null, 'x', 'y')]).values).toEqual(['x']);
    expect(agg('anyLast', [], [x]).values).toEqual([9n]);
    expect(agg('argMin', [], [y, x]).values).toEqual([0]);
    expect(agg('argMax', [], [col('String', 'a', 'b', 'c'), nums(1, 3, 2)]).values).toEqual(['b']);
  });
  it('sums stay exact past 2^53 and wrap at 64 bits', () => {
    expect(agg('sum', [], [col('Int64', 9007199254740991n, 9007199254740991n)]).values).toEqual([18014398509481982n]);
    expect(agg('sum', [], [col('UInt64', 18446744073709551615n, 2n)]).values).toEqual([1n]);
    expect(agg('sumWithOverflow', [], [col('UInt8', 200, 100)])).toEqual({ type: 'UInt8', values: [44] });
    expect(agg('max', [], [col('Int64', -5n, 3n, 9223372036854775807n)]).values).toEqual([9223372036854775807n]);
  });
  it('groups', () => {
    expect(agg('sum', [], [nums(1, 2, 3, 4)], [0, 1, 0, 1]).values).toEqual([4n, 6n]);
    expect(agg('avg', [], [nums(1, 2, 3, 4)], [0, 0, 1, 1]).values).toEqual([1.5, 3.5]);
    expect(agg('max', [], [col('String', 'a', 'z', 'b')], [1, 0, 1]).values).toEqual(['z', 'b']);
    expect(agg('uniqExact', [], [col('String', 'a', 'b', 'a', 'c')], [0, 0, 1, 1]).values).toEqual([2n, 2n]);
    expect(agg('count', [], [], [0, 0, 2]).values).toEqual([0n, 0n, 0n]);
  });
  it('uniq, quantiles, groupArray, topK, statistics', () => {
    expect(agg('uniq', [], [y]).values).toEqual([3n]);
    expect(agg('uniqExact', [], [y, col('UInt8', 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)]).values).toEqual([4n]);
    expect(agg('quantile', [0.5], [x]).values).toEqual([4.5]);
    expect(agg('quantileExact', [0.5], [x]).values).toEqual([5n]);
    expect(agg('median', [], [x]).values).toEqual([4.5]);
    expect(agg('quantiles', [0.1, 0.9], [x]).values).toEqual([[0.9, 8.1]]);
    expect(agg('quantileExactWeighted', [0.5], [nums(1, 2, 3), nums(1, 1, 5)]).values).toEqual([3]);
    expect(agg('groupArray', [], [y]).values).toEqual([[0, 1, 2, 0, 1, 2, 0, 1, 2, 0]]);
    expect(agg('groupArray', [2], [y]).values).toEqual([[0, 1]]);
    expect(agg('groupArray', [], [col('Nullable(UInt8)', 1, null, 3)]).values).toEqual([[1, 3]]);
    expect(agg('groupUniqArray', [], [y]).values).toEqual([[0, 1, 2]]);
    expect(agg('topK', [2], [y]).values).toEqual([[0, 1]]);
    expect(agg('varSamp', [], [x]).values).toEqual([9.166666666666666]);
    expect(agg('varPop', [], [x]).values).toEqual([8.25]);
    expect(agg('stddevSamp', [], [x]).values[0]).toBeCloseTo(3.0276503540974917, 12);
    expect(agg('covarSamp', [], [x, y]).values[0]).toBeCloseTo(0.16666666666666666, 12);
    expect(agg('corr', [], [x, y]).values[0]).toBeCloseTo(0.06286946134619315, 12);
    expect(Number.isNaN(agg('varSamp', [], [nums(1)]).values[0])).toBe(true);
    expect(agg('sumMap', [], [col('Array(UInt8)', [1, 2], [2]), col('Array(UInt8)', [10, 20], [5])]).values).toEqual([[[1, 2], [10n, 25n]]]);
    expect(agg('groupBitOr', [], [nums(1, 2, 4)]).values).toEqual([7]);
    expect(agg('entropy', [], [nums(1, 2, 1, 2)]).values).toEqual([1]);
  });
  it('combinators', () => {
    expect(agg('sumIf', [], [nums(1, 2, 3), nums(1, 0, 1)]).values).toEqual([4n]);
    expect(agg('countIf', [], [nums(1, 0, 1)]).values).toEqual([2n]);
    expect(agg('avgIf', [], [nums(1, 2, 3), col('Nullable(UInt8)', 1, null, 1)]).values).toEqual([2]);
    expect(agg('uniqDistinct', [], [nums(1, 1, 2)]).values).toEqual([2n]);
    expect(agg('sumDistinct', [], [nums(1, 1, 2)]).values).toEqual([3n]);
    expect(agg('avgOrNull', [], [nums()])).toEqual({ type: 'Nullable(Float64)', values: [null] });
    expect(agg('avgOrDefault', [], [nums()]).values).toEqual([0]);
    expect(agg('sumArray', [], [col('Array(UInt8)', [1, 2], [3])]).values).toEqual([6n]);
    expect(agg('sumForEach', [], [col('Array(UInt8)', [1, 2], [3])]).values).toEqual([[4n, 2n]]);
    expect(agg('groupArrayIf', [], [nums(1, 2, 3), nums(0, 1, 1)]).values).toEqual([[2, 3]]);
    expect(agg('max_if', [], [nums(1, 2, 3), nums(1, 1, 0)]).values).toEqual([2]);
  });
  it('-State then -Merge gives the same result, and states serialize', () => {
    const reg = defaultRegistry();
    const t = parseDataType('UInt64');
    for (const name of ['sum', 'avg', 'uniqExact', 'quantile', 'min', 'max', 'count', 'groupArray', 'varSamp', 'argMax', 'any']) {
      const argTypes = name === 'argMax' ? [t, t] : name === 'count' ? [] : [t];
      const f = reg.resolveAggregate(name, name === 'quantile' ? [0.5] : [], argTypes, ctx);
      const a = f.createStates();
      const b = f.createStates();
      a.resize(1);
      b.resize(1);
      const c1 = columnFromValues(t, [1n, 5n, 3n]);
      const c2 = columnFromValues(t, [9n, 3n]);
      a.addAll(argTypes.map(() => c1), 3);
      b.addAll(argTypes.map(() => c2), 2);
      const direct = f.createStates();
      direct.resize(1);
      direct.addAll(argTypes.map(() => columnFromValues(t, [1n, 5n, 3n, 9n, 3n])), 5);
      const viaBytes = f.createStates();
      viaBytes.resize(1);
      viaBytes.mergeState(0, a.deserializeState(a.serializeState(0)));
      viaBytes.mergeState(0, b.getState(0));
      const merged = f.createStates();
      merged.resize(1);
      merged.mergeFrom(a, 0, 0);
      merged.mergeFrom(b, 0, 0);
      const expected = columnValues(f.returnType, direct.finalize(1));
      expect(columnValues(f.returnType, viaBytes.finalize(1)), name).toEqual(expected);
      expect(columnValues(f.returnType, merged.finalize(1)), name).toEqual(expected);
    }
    const state = reg.resolveAggregate('uniqState', [], [t], ctx);
    expect(state.returnType.name).toBe('AggregateFunction(uniq, UInt64)');
    const st = state.createStates();
    st.resize(2);
    st.add(Uint32Array.from([0, 0, 1]), [columnFromValues(t, [1n, 2n, 1n])], 3);
    const stateCol = st.finalize(2);
    const merge = reg.resolveAggregate('uniqMerge', [], [state.returnType], ctx);
    const m = merge.createStates();
    m.resize(1);
    m.addAll([stateCol], 2);
    expect(columnValues(merge.returnType, m.finalize(1))).toEqual([2n]);
  });
  it('rejects bad arguments', () => {
    expect(() => agg('sum', [], [col('String', 'a')])).toThrow(/Illegal type String/);
    expect(() => defaultRegistry().resolveAggregate('summ', [], [], ctx)).toThrow(/Unknown aggregate function summ/);
    void lit;
    void ({} as Value);
  });
});
