import { describe, expect, it } from 'vitest';
import { call, col, lit, typeOfCall, one } from './helpers.js';

describe('arithmetic result types (ClickHouse NumberTraits)', () => {
  const cases: [string, string, string, string][] = [
    ['plus', 'UInt8', 'UInt8', 'UInt16'],
    ['plus', 'UInt32', 'UInt32', 'UInt64'],
    ['plus', 'Int8', 'UInt8', 'Int16'],
    ['plus', 'UInt64', 'Int64', 'Int64'],
    ['plus', 'Float32', 'Float32', 'Float64'],
    ['plus', 'Float32', 'Int8', 'Float64'],
    ['minus', 'UInt8', 'UInt8', 'Int16'],
    ['multiply', 'UInt8', 'Int64', 'Int64'],
    ['multiply', 'Int16', 'Int16', 'Int32'],
    ['divide', 'UInt8', 'UInt8', 'Float64'],
    ['intDiv', 'UInt8', 'Int32', 'Int8'],
    ['intDiv', 'Int32', 'UInt8', 'Int32'],
    ['intDiv', 'Float64', 'UInt8', 'Int64'],
    ['modulo', 'UInt8', 'Int32', 'UInt32'],
    ['modulo', 'Int32', 'UInt8', 'Int16'],
    ['gcd', 'UInt8', 'Int32', 'Int64'],
    ['plus', 'Decimal(9, 2)', 'Decimal(9, 3)', 'Decimal(9, 3)'],
    ['multiply', 'Decimal(9, 2)', 'Decimal(18, 3)', 'Decimal(18, 5)'],
    ['divide', 'Decimal(9, 2)', 'Decimal(9, 1)', 'Decimal(9, 2)'],
    ['plus', 'Decimal(9, 2)', 'UInt8', 'Decimal(9, 2)'],
    ['plus', 'Date', 'UInt8', 'Date'],
    ['plus', 'DateTime', 'Int32', 'DateTime'],
    ['minus', 'Date', 'Date', 'Int32'],
    ['plus', 'Nullable(Int32)', 'Int8', 'Nullable(Int64)'],
    ['plus', 'Nullable(Nothing)', 'Int8', 'Nullable(Nothing)'],
  ];
  for (const [fn, a, b, rt] of cases) {
    it(`${fn}(${a}, ${b}) → ${rt}`, () => {
      const v = (t: string) => (t.startsWith('Decimal') ? 1n : t.includes('Int64') ? 1n : t === 'Nullable(Nothing)' ? null : 1);
      expect(typeOfCall(fn, col(a, v(a)), col(b, v(b)))).toBe(rt);
    });
  }
  it('negate and abs', () => {
    expect(call('negate', [col('UInt8', 255)])).toEqual({ type: 'Int16', values: [-255] });
    expect(call('abs', [col('Int8', -128, 5)])).toEqual({ type: 'UInt8', values: [128, 5] });
  });
});

describe('arithmetic values', () => {
  it('wraps integers like ClickHouse and keeps 64-bit values exact', () => {
    expect(call('plus', [col('UInt8', 200), lit('UInt8', 100)]).values).toEqual([300]);
    expect(call('multiply', [col('UInt64', 18446744073709551615n), lit('UInt8', 2)]).values).toEqual([18446744073709551614n]);
    expect(call('plus', [col('Int64', 9223372036854775807n), lit('Int64', 1n)]).values).toEqual([-9223372036854775808n]);
    expect(call('multiply', [col('UInt32', 4000000000), col('UInt32', 4000000000)]).values).toEqual([16000000000000000000n]);
    expect(call('minus', [col('UInt64', 0n), lit('UInt64', 1n)]).values).toEqual([-1n]);
  });
  it('divides, with infinities for floats and errors for integer division by zero', () => {
    const r = call('divide', [col('Int32', 1, -1, 0), lit('UInt8', 0)]).values as number[];
    expect(r[0]).toBe(Infinity);
    expect(r[1]).toBe(-Infinity);
    expect(Number.isNaN(r[2])).toBe(true);
    expect(call('intDiv', [col('Int32', -7, 7), lit('Int8', 2)]).values).toEqual([-3, 3]);
    expect(() => call('intDiv', [col('Int32', 1), lit('Int8', 0)])).toThrow(/Division by zero/);
    expect(call('intDivOrZero', [col('Int32', 5), lit('Int8', 0)]).values).toEqual([0]);
    expect(call('modulo', [col('Int32', -7, 7), lit('Int8', 3)]).values).toEqual([-1, 1]);
    expect(call('moduloOrZero', [col('Int32', 7), lit('Int8', 0)]).values).toEqual([0]);
  });
  it('propagates NULLs', () => {
    expect(call('plus', [col('Nullable(Int32)', 1, null), lit('Int8', 3)]).values).toEqual([4n, null]);
    expect(call('plus', [col('Int32', 1, 2), lit('Nullable(Nothing)', null)]).values).toEqual([null, null]);
  });
  it('computes decimals exactly', () => {
    expect(call('plus', [col('Decimal(9,2)', 150n), lit('Decimal(9,3)', 1500n)]).values).toEqual([3000n]);
    expect(call('divide', [col('Decimal(9,2)', 100n), lit('Decimal(9,2)', 300n)]).values).toEqual([33n]);
    expect(call('multiply', [col('Decimal(9,2)', 150n), lit('Decimal(9,2)', 200n)]).values).toEqual([30000n]);
  });
  it('adds days, months and intervals to dates', () => {
    expect(call('plus', [col('Date', 18262), lit('UInt8', 1)]).values).toEqual([18263]);
    expect(call('minus', [col('Date', 18263), col('Date', 18262)]).values).toEqual([1]);
    // 2020-01-31 + 1 month = 2020-02-29
    expect(call('addMonths', [col('Date', 18292), lit('UInt8', 1)]).values).toEqual([18321]);
    expect(call('plus', [col('DateTime', 1600000000), lit('IntervalHour', 2)]).values).toEqual([1600007200]);
    // DST: adding one day keeps the wall clock (America/New_York 2020-03-07 12:00 → 2020-03-08 12:00, 23h later)
    expect(call('addDays', [col("DateTime('America/New_York')", 1583600400), lit('UInt8', 1)]).values).toEqual([1583600400 + 23 * 3600]);
    expect(one('gcd', lit('Int32', 12), lit('Int32', -18))).toBe(6n);
    expect(one('lcm', lit('Int32', 4), lit('Int32', 6))).toBe(12n);
  });
});
