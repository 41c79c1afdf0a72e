import { describe, expect, it } from 'vitest';
import { agg, call, col, lit, one } from './helpers.js';
import { defaultRegistry } from '../../src/functions/index.js';
import { ctx } from './helpers.js';
import { ConstColumn, columnFromValues, columnValues } from '../../src/columns/index.js';
import { parseDataType } from '../../src/types/type-factory.js';

describe('NULL constant arguments keep the result type', () => {
  it('CAST(NULL AS Nullable(UInt8)) + 1 is Nullable(UInt16)', () => {
    expect(call('plus', [lit('Nullable(UInt8)', null), lit('UInt8', 1)])).toEqual({ type: 'Nullable(UInt16)', values: [null] });
    expect(call('plus', [lit('Nullable(Nothing)', null), lit('UInt8', 1)]).type).toBe('Nullable(Nothing)');
  });
});

describe('aggregate states', () => {
  it('initializeAggregation and finalizeAggregation', () => {
    const r = call('initializeAggregation', [lit('String', 'sumState'), col('UInt8', 1, 2, 3)]);
    expect(r.type).toBe('AggregateFunction(sum, UInt8)');
    expect(call('initializeAggregation', [lit('String', 'uniqExact'), col('UInt8', 1, 2)]).values).toEqual([1n, 1n]);
    const reg = defaultRegistry();
    const stateType = parseDataType('AggregateFunction(sum, UInt8)');
    const init = reg.resolveScalar('initializeAggregation', [{ type: parseDataType('String'), constant: { value: 'sumState' } }, { type: parseDataType('UInt8') }], ctx);
    const states = init.execute([new ConstColumn(columnFromValues(parseDataType('String'), ['sumState']), 3), columnFromValues(parseDataType('UInt8'), [1, 2, 3])], 3, ctx);
    const fin = reg.resolveScalar('finalizeAggregation', [{ type: stateType }], ctx);
    expect(fin.returnType.name).toBe('UInt64');
    expect(columnValues(fin.returnType, fin.execute([states], 3, ctx))).toEqual([1n, 2n, 3n]);
  });
});

describe('geo', () => {
  it('distances and polygons', () => {
    const d = call('greatCircleDistance', [lit('Float64', 0), lit('Float64', 0), lit('Float64', 0), lit('Float64', 1)]);
    expect(d.type).toBe('Float32');
    expect(Math.abs((d.values[0] as number) - 111226.3)).toBeLessThan(1);
    expect(one('greatCircleAngle', lit('Float64', 0), lit('Float64', 0), lit('Float64', 45), lit('Float64', 0))).toBeCloseTo(45, 4);
    expect(Math.abs((one('geoDistance', lit('Float64', 0), lit('Float64', 0), lit('Float64', 0), lit('Float64', 1)) as number) - 110574)).toBeLessThan(50);
    const poly = [[6, 0], [8, 4], [5, 8], [0, 2]];
    expect(call('pointInPolygon', [col('Tuple(Float64, Float64)', [3, 3], [10, 10]), lit('Array(Tuple(Float64, Float64))', poly)]).values).toEqual([1, 0]);
    expect(one('pointInPolygon', lit('Tuple(Float64, Float64)', [5, 5]), lit('Array(Tuple(Float64, Float64))', [[0, 0], [10, 0], [10, 10], [0, 10]]), lit('Array(Tuple(Float64, Float64))', [[4, 4], [6, 4], [6, 6], [4, 6]]))).toBe(0);
    expect(one('pointInEllipses', lit('Float64', 10), lit('Float64', 10), lit('Float64', 10), lit('Float64', 9.1), lit('Float64', 1), lit('Float64', 0.9999))).toBe(1);
  });
});

describe('URL functions', () => {
  const u = 'https://user:pw@www.news.clickhouse.com.tr:8080/a/b/c?x=1&y=2&z#frag';
  it('parts', () => {
    expect(one('protocol', lit('String', u))).toBe('https');
    expect(one('domain', lit('String', u))).toBe('www.news.clickhouse.com.tr');
    expect(one('domain', lit('String', 'svn+ssh://some.svn-hosting.com:80/repo/trunk'))).toBe('some.svn-hosting.com');
    expect(one('domainWithoutWWW', lit('String', 'http://www.example.com/'))).toBe('example.com');
    expect(one('topLevelDomain', lit('String', u))).toBe('tr');
    expect(one('firstSignificantSubdomain', lit('String', 'https://news.clickhouse.com.tr/'))).toBe('clickhouse');
    expect(one('firstSignificantSubdomain', lit('String', 'http://www.yandex.ru/'))).toBe('yandex');
    expect(one('cutToFirstSignificantSubdomain', lit('String', 'https://news.clickhouse.com.tr/'))).toBe('clickhouse.com.tr');
    expect(one('port', lit('String', u))).toBe(8080);
    expect(one('path', lit('String', u))).toBe('/a/b/c');
    expect(one('pathFull', lit('String', u))).toBe('/a/b/c?x=1&y=2&z#frag');
    expect(one('queryString', lit('String', u))).toBe('x=1&y=2&z');
    expect(one('fragment', lit('String', u))).toBe('frag');
    expect(one('netloc', lit('String', u))).toBe('user:pw@www.news.clickhouse.com.tr:8080');
  });
  it('parameters and cutting', () => {
    expect(call('extractURLParameter', [col('String', u, 'http://a.com/'), lit('String', 'y')]).values).toEqual(['2', '']);
    expect(one('extractURLParameters', lit('String', u))).toEqual(['x=1', 'y=2', 'z', 'frag']);
    expect(one('extractURLParameterNames', lit('String', 'http://a.com/?a=1&b=2'))).toEqual(['a', 'b']);
    expect(one('cutQueryString', lit('String', 'http://a.com/p?x=1#f'))).toBe('http://a.com/p#f');
    expect(one('cutFragment', lit('String', 'http://a.com/p?x=1#f'))).toBe('http://a.com/p?x=1');
    expect(one('cutQueryStringAndFragment', lit('String', 'http://a.com/p?x=1#f'))).toBe('http://a.com/p');
    expect(one('cutWWW', lit('String', 'http://www.a.com/p'))).toBe('http://a.com/p');
    expect(one('cutURLParameter', lit('String', 'http://a.com/?a=1&b=2'), lit('String', 'a'))).toBe('http://a.com/?b=2');
    expect(one('URLHierarchy', lit('String', 'https://example.com/browse/CONV-6788'))).toEqual(['https://example.com/', 'https://example.com/browse/', 'https://example.com/browse/CONV-6788']);
    expect(one('URLPathHierarchy', lit('String', 'https://example.com/browse/CONV-6788'))).toEqual(['/browse/', '/browse/CONV-6788']);
    expect(one('decodeURLComponent', lit('String', 'a%20b%2Fc'))).toBe('a b/c');
    expect(one('encodeURLComponent', lit('String', 'a b/c'))).toBe('a%20b%2Fc');
    expect(one('extract_url_parameter', lit('String', 'http://a.com/?q=1'), lit('String', 'q'))).toBe('1');
  });
});

describe('strings (more)', () => {
  it('regular expression groups', () => {
    expect(one('extractGroups', lit('String', 'hello world'), lit('String', '(\\w+) (\\w+)'))).toEqual(['hello', 'world']);
    expect(one('extractGroups', lit('String', '!'), lit('String', '(\\w+) (\\w+)'))).toEqual(['', '']);
    expect(one('extractAllGroupsHorizontal', lit('String', 'abc=111, def=222'), lit('String', '(\\w+)=(\\w+)'))).toEqual([['abc', 'def'], ['111', '222']]);
    expect(one('regexpQuoteMeta', lit('String', 'a.b*c'))).toBe('a\\.b\\*c');
  });
  it('counting, n-grams, char, width, JSON', () => {
    expect(one('countSubstringsCaseInsensitiveUTF8', lit('String', 'АбвАБВ'), lit('String', 'абв'))).toBe(2n);
    expect(one('ngramDistance', lit('String', 'ClickHouse'), lit('String', 'ClickHouse'))).toBe(0);
    expect(one('ngramDistance', lit('String', 'abcd'), lit('String', 'wxyz'))).toBe(1);
    expect(one('char', lit('UInt8', 104), lit('UInt8', 105))).toBe('hi');
    expect(one('visibleWidth', lit('Nullable(String)', null))).toBe(4n);
    expect(one('visibleWidth', lit('UInt32', 12345))).toBe(5n);
    expect(one('toJSONString', lit('Map(String, Array(UInt8))', [['a', [1, 2]]]))).toBe('{"a":[1,2]}');
    expect(one('toJSONString', lit('Tuple(UInt64, Nullable(String))', [1n, null]))).toBe('["1",null]');
    expect(one('appendTrailingCharIfAbsent', lit('String', 'abc'), lit('String', '/'))).toBe('abc/');
    expect(call('randomFixedString', [lit('UInt8', 5)]).type).toBe('FixedString(5)');
  });
});

describe('arrays (more)', () => {
  it('fill, split, rotate, shift', () => {
    const lam = (name: string, arr: unknown[]) => {
      const reg = defaultRegistry();
      const t = parseDataType('Array(Nullable(UInt8))');
      const isNotNull = { arity: 1, bind: () => parseDataType('UInt8') };
      const r = reg.resolveScalar(name, [{ type: parseDataType('Nothing'), lambda: isNotNull }, { type: t }], ctx);
      const out = r.execute([new ConstColumn(columnFromValues(parseDataType('Nothing'), [null]), 1), columnFromValues(t, [arr as never])], 1, {
        ...ctx,
        lambdas: [{ execute: (params) => columnFromValues(parseDataType('UInt8'), columnValues(t.kind === 'Array' ? t.element : t, params[0]!).map((x) => (x === null ? 0 : 1))) }],
      });
      return columnValues(r.returnType, out)[0];
    };
    expect(lam('arrayFill', [1, null, 3, null, null])).toEqual([1, 1, 3, 3, 3]);
    expect(lam('arrayReverseFill', [1, null, 3, null, 5])).toEqual([1, 3, 3, 5, 5]);
    expect(lam('arraySplit', [1, null, 3, null])).toEqual([[1, null], [3, null]]);
    expect(lam('arrayReverseSplit', [1, null, 3, null])).toEqual([[1], [null, 3], [null]]);
    expect(one('arrayRotateLeft', lit('Array(UInt8)', [1, 2, 3, 4]), lit('Int8', 1))).toEqual([2, 3, 4, 1]);
    expect(one('arrayRotateRight', lit('Array(UInt8)', [1, 2, 3, 4]), lit('Int8', 1))).toEqual([4, 1, 2, 3]);
    expect(one('arrayShiftLeft', lit('Array(UInt8)', [1, 2, 3, 4]), lit('Int8', 2))).toEqual([3, 4, 0, 0]);
    expect(one('arrayShiftRight', lit('Array(UInt8)', [1, 2, 3, 4]), lit('Int8', 1), lit('UInt8', 9))).toEqual([9, 1, 2, 3]);
    expect(one('emptyArrayToSingle', lit('Array(String)', []))).toEqual(['']);
    expect(one('arrayAUC', lit('Array(Float64)', [0.1, 0.4, 0.35, 0.8]), lit('Array(UInt8)', [0, 0, 1, 1]))).toBe(0.75);
  });
});

describe('rounding', () => {
  it('roundToExp2, roundDuration, roundAge, roundDown, widthBucket', () => {
    expect(call('roundToExp2', [col('UInt32', 0, 1, 5, 1024, 1025)]).values).toEqual([0, 1, 4, 1024, 1024]);
    expect(one('roundToExp2', lit('Float64', 3.5))).toBe(2);
    expect(call('roundDuration', [col('UInt32', 0, 5, 45, 3700, 100000)])).toEqual({ type: 'UInt16', values: [0, 1, 30, 3600, 36000] });
    expect(call('roundAge', [col('UInt8', 0, 5, 18, 30, 70)]).values).toEqual([0, 17, 18, 25, 55]);
    expect(call('roundDown', [col('Int32', 1, 7, 25), lit('Array(UInt8)', [5, 10, 20])]).values).toEqual([5, 5, 20]);
    expect(call('widthBucket', [col('Float64', 10.15, -1, 100), lit('Float64', 0), lit('Float64', 20), lit('UInt8', 4)])).toEqual({ type: 'UInt16', values: [3, 0, 5] });
  });
});

describe('misc', () => {
  it('isNotDistinctFrom, bit tests, jumpConsistentHash, tupleHammingDistance', () => {
    expect(call('isNotDistinctFrom', [col('Nullable(UInt8)', 1, null, null), col('Nullable(UInt8)', 1, null, 2)])).toEqual({ type: 'UInt8', values: [1, 1, 0] });
    expect(call('isDistinctFrom', [col('Nullable(UInt8)', 1, null), lit('Nullable(UInt8)', null)]).values).toEqual([1, 0]);
    expect(one('bitTestAny', lit('UInt8', 43), lit('UInt8', 0), lit('UInt8', 2))).toBe(1);
    expect(one('bitTestAll', lit('UInt8', 43), lit('UInt8', 0), lit('UInt8', 2))).toBe(0);
    expect(one('jumpConsistentHash', lit('UInt64', 18446744073709551615n), lit('UInt8', 12))).toBe(10);
    expect(one('jumpConsistentHash', lit('UInt8', 1), lit('UInt8', 1))).toBe(0);
    expect(one('tupleHammingDistance', lit('Tuple(UInt8, UInt8, UInt8)', [1, 2, 3]), lit('Tuple(UInt8, UInt8, UInt8)', [3, 2, 1]))).toBe(2);
  });
  it('stable statistics aliases', () => {
    expect(agg('varSampStable', [], [col('Float64', 1, 2, 3, 4)]).values[0]).toBeCloseTo(1.6667, 3);
    expect(agg('var_samp_stable', [], [col('Float64', 1, 2, 3, 4)]).values[0]).toBeCloseTo(1.6667, 3);
  });
});
