import { describe, expect, it } from 'vitest';
import { call, col, lit, one } from './helpers.js';

describe('comparison', () => {
  it('compares mixed numbers mathematically, including 64-bit boundaries', () => {
    expect(one('greater', lit('UInt64', 18446744073709551615n), lit('Int64', -1n))).toBe(1);
    expect(one('less', lit('Int8', -1), lit('UInt64', 1n))).toBe(1);
    expect(one('equals', lit('Int8', -1), lit('UInt8', 255))).toBe(0);
    expect(one('equals', lit('UInt64', 9007199254740993n), lit('UInt64', 9007199254740992n))).toBe(0);
    expect(one('equals', lit('Float64', NaN), lit('Float64', NaN))).toBe(0);
    expect(one('notEquals', lit('Float64', NaN), lit('Float64', NaN))).toBe(1);
  });
  it('parses string literals against dates, datetimes, enums and UUIDs', () => {
    expect(call('less', [col('Date', 18262, 18263), lit('String', '2020-01-02')]).values).toEqual([1, 0]);
    expect(call('equals', [col('DateTime', 1577836800), lit('String', '2020-01-01 00:00:00')]).values).toEqual([1]);
    expect(call('equals', [col("Enum8('a' = 1, 'b' = 2)", 2), lit('String', 'b')]).values).toEqual([1]);
    expect(one('equals', lit('UUID', '00000000-0000-0000-0000-000000000001'), lit('String', '00000000-0000-0000-0000-000000000001'))).toBe(1);
    expect(one('greater', lit('Date', 18263), lit('DateTime', 1577919600))).toBe(1);
  });
  it('compares strings by bytes and FixedString with its padding', () => {
    expect(call('less', [col('String', 'a', 'b', 'é'), lit('String', 'b')]).values).toEqual([1, 0, 0]);
    expect(one('equals', lit('FixedString(3)', 'ab'), lit('String', 'ab'))).toBe(0);
    expect(one('less', lit('FixedString(3)', 'ab'), lit('String', 'abc'))).toBe(1);
  });
  it('compares arrays and tuples lexicographically; NULL gives NULL', () => {
    expect(one('less', lit('Array(UInt8)', [1, 2]), lit('Array(UInt8)', [1, 3]))).toBe(1);
    expect(one('equals', lit('Tuple(UInt8, String)', [1, 'a']), lit('Tuple(UInt8, String)', [1, 'a']))).toBe(1);
    expect(call('equals', [col('Nullable(Int32)', 1, null), lit('Int32', 1)]).values).toEqual([1, null]);
  });
});

describe('logical (three-valued)', () => {
  it('and/or with NULLs', () => {
    const a = col('Nullable(UInt8)', 1, 0, null, null, null);
    const b = col('Nullable(UInt8)', 1, null, 0, 1, null);
    expect(call('and', [a, b])).toEqual({ type: 'Nullable(UInt8)', values: [1, 0, 0, null, null] });
    expect(call('or', [a, b])).toEqual({ type: 'Nullable(UInt8)', values: [1, null, null, 1, null] });
    expect(call('and', [col('UInt8', 1, 2), col('Int32', 5, 0), lit('UInt8', 1)]).values).toEqual([1, 0]);
  });
  it('xor and not', () => {
    expect(call('xor', [col('UInt8', 1, 0, 1), col('UInt8', 1, 1, 0)]).values).toEqual([0, 1, 1]);
    expect(call('not', [col('Nullable(UInt8)', 1, 0, null)]).values).toEqual([0, 1, null]);
  });
});

describe('conditional and NULL functions', () => {
  it('if uses the branches supertype and treats a NULL condition as false', () => {
    expect(call('if', [col('Nullable(UInt8)', 1, 0, null), lit('UInt8', 1), lit('Int8', -1)])).toEqual({ type: 'Int16', values: [1, -1, -1] });
    expect(call('if', [col('UInt8', 1, 0), lit('String', 'yes'), col('Nullable(String)', 'x', null)])).toEqual({ type: 'Nullable(String)', values: ['yes', null] });
    expect(call('if', [col('UInt8', 1, 0), lit('UInt8', 1), lit('Nullable(Nothing)', null)])).toEqual({ type: 'Nullable(UInt8)', values: [1, null] });
  });
  it('multiIf, caseWithExpression and transform', () => {
    expect(call('multiIf', [col('UInt8', 1, 0, 0), lit('String', 'a'), col('UInt8', 0, 1, 0), lit('String', 'b'), lit('String', 'c')]).values).toEqual(['a', 'b', 'c']);
    expect(call('caseWithExpression', [col('UInt8', 1, 2, 3), lit('UInt8', 1), lit('String', 'one'), lit('UInt8', 2), lit('String', 'two'), lit('String', 'other')]).values).toEqual(['one', 'two', 'other']);
    expect(call('transform', [col('UInt8', 1, 2, 3), lit('Array(UInt8)', [1, 2]), lit('Array(String)', ['a', 'b']), lit('String', 'z')]).values).toEqual(['a', 'b', 'z']);
  });
  it('coalesce, ifNull, nullIf, isNull, assumeNotNull, toNullable', () => {
    expect(call('coalesce', [col('Nullable(Int32)', null, 2, null), col('Nullable(Int64)', 5, 6, null), lit('UInt8', 9)])).toEqual({ type: 'Int64', values: [5n, 2n, 9n] });
    expect(call('coalesce', [col('Nullable(Int32)', null, 2), col('Nullable(Int32)', null, 3)])).toEqual({ type: 'Nullable(Int32)', values: [null, 2] });
    expect(call('ifNull', [col('Nullable(String)', null, 'x'), lit('String', 'd')]).values).toEqual(['d', 'x']);
    expect(call('nullIf', [col('Int32', 1, 2), lit('Int32', 1)])).toEqual({ type: 'Nullable(Int32)', values: [null, 2] });
    expect(call('isNull', [col('Nullable(Int32)', null, 1)]).values).toEqual([1, 0]);
    expect(call('isNotNull', [lit('Nullable(Nothing)', null)]).values).toEqual([0]);
    expect(call('assumeNotNull', [col('Nullable(Int32)', null, 1)])).toEqual({ type: 'Int32', values: [0, 1] });
    expect(call('toNullable', [col('String', 'a')]).type).toBe('Nullable(String)');
    expect(one('toTypeName', lit('Nullable(Nothing)', null))).toBe('Nullable(Nothing)');
  });
});
