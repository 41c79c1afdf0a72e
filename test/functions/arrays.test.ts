import { describe, expect, it } from 'vitest';
import { call, col, ctx, lit, one } from './helpers.js';
import { defaultRegistry } from '../../src/functions/index.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { ArrayColumn, columnFromValues, columnValues, type Column } from '../../src/columns/index.js';
import type { RuntimeLambda } from '../../src/functions/function.js';
import { T } from '../../src/types/data-type.js';

/** Calls a higher-order function with a lambda implemented in JS over element columns. */
function hof(name: string, lambda: (params: Column[]) => Column, bodyType: string, arrays: [string, unknown[][]][]) {
  const reg = defaultRegistry();
  const types = arrays.map(([t]) => parseDataType(t));
  const resolved = reg.resolveScalar(
    name,
    [{ type: T.Nothing, lambda: { arity: arrays.length, bind: () => parseDataType(bodyType) } }, ...types.map((type) => ({ type }))],
    ctx,
  );
  const rows = arrays[0]![1].length;
  const cols = arrays.map(([, v], k) => columnFromValues(types[k]!, v as never));
  const rt: RuntimeLambda = { execute: (params) => lambda(params) };
  const out = resolved.execute([new ArrayColumn(new Uint32Array(rows + 1), columnFromValues(T.UInt8, [])), ...cols], rows, { ...ctx, lambdas: [rt] });
  return columnValues(resolved.returnType, out);
}

describe('arrays', () => {
  it('builds arrays with a supertype and indexes them 1-based', () => {
    expect(call('array', [col('UInt8', 1, 2), lit('Int8', -1)])).toEqual({ type: 'Array(Int16)', values: [[1, -1], [2, -1]] });
    expect(call('arrayElement', [col('Array(UInt8)', [1, 2, 3], []), lit('Int8', -1)]).values).toEqual([3, 0]);
    expect(call('arrayElement', [col('Array(UInt8)', [1, 2, 3]), lit('UInt8', 0)]).values).toEqual([0]);
    expect(call('arrayElement', [col('Array(Nullable(String))', ['a'], []), lit('UInt8', 1)]).values).toEqual(['a', null]);
    expect(call('arrayElement', [col('Map(String, UInt8)', [['a', 1], ['b', 2]]), lit('String', 'b')]).values).toEqual([2]);
  });
  it('searches', () => {
    expect(call('has', [col('Array(UInt8)', [1, 2, 3], []), lit('UInt8', 2)]).values).toEqual([1, 0]);
    expect(call('has', [lit('Array(UInt8)', [1, 2, 3]), col('UInt32', 2, 5)]).values).toEqual([1, 0]);
    expect(call('has', [col('Array(Nullable(UInt8))', [1, null]), lit('Nullable(Nothing)', null)]).values).toEqual([1]);
    expect(one('indexOf', lit('Array(String)', ['a', 'b']), lit('String', 'b'))).toBe(2n);
    expect(one('countEqual', lit('Array(UInt8)', [1, 2, 1]), lit('UInt8', 1))).toBe(2n);
    expect(one('hasAll', lit('Array(UInt8)', [1, 2, 3]), lit('Array(UInt8)', [3, 1]))).toBe(1);
    expect(one('hasAny', lit('Array(UInt8)', [1, 2]), lit('Array(UInt8)', [5, 6]))).toBe(0);
  });
  it('transforms', () => {
    expect(one('range', lit('UInt8', 5))).toEqual([0, 1, 2, 3, 4]);
    expect(one('range', lit('UInt8', 1), lit('UInt8', 10), lit('UInt8', 3))).toEqual([1, 4, 7]);
    expect(one('arrayConcat', lit('Array(UInt8)', [1]), lit('Array(Int16)', [-2]))).toEqual([1, -2]);
    expect(one('arraySlice', lit('Array(UInt8)', [1, 2, 3, 4, 5]), lit('Int8', 2), lit('UInt8', 3))).toEqual([2, 3, 4]);
    expect(one('arraySlice', lit('Array(UInt8)', [1, 2, 3, 4, 5]), lit('Int8', -2))).toEqual([4, 5]);
    expect(one('arrayPushBack', lit('Array(UInt8)', [1]), lit('UInt8', 2))).toEqual([1, 2]);
    expect(one('arrayPushFront', lit('Array(UInt8)', [1]), lit('UInt8', 2))).toEqual([2, 1]);
    expect(one('arrayPopBack', lit('Array(UInt8)', [1, 2]))).toEqual([1]);
    expect(one('arrayReverse', lit('Array(UInt8)', [1, 2]))).toEqual([2, 1]);
    expect(one('arraySort', lit('Array(Nullable(Int8))', [3, null, -1, 2]))).toEqual([-1, 2, 3, null]);
    expect(one('arrayReverseSort', lit('Array(UInt8)', [3, 1, 2]))).toEqual([3, 2, 1]);
    expect(one('arrayDistinct', lit('Array(UInt8)', [1, 1, 2]))).toEqual([1, 2]);
    expect(one('arrayUniq', lit('Array(UInt8)', [1, 1, 2]))).toBe(2n);
    expect(one('arrayEnumerate', lit('Array(String)', ['a', 'b']))).toEqual([1, 2]);
    expect(one('arrayEnumerateUniq', lit('Array(UInt8)', [10, 20, 10]))).toEqual([1, 1, 2]);
    expect(one('arrayZip', lit('Array(UInt8)', [1, 2]), lit('Array(String)', ['a', 'b']))).toEqual([[1, 'a'], [2, 'b']]);
    expect(one('arrayFlatten', lit('Array(Array(UInt8))', [[1], [2, 3]]))).toEqual([1, 2, 3]);
    expect(one('arrayCompact', lit('Array(UInt8)', [1, 1, 2, 1]))).toEqual([1, 2, 1]);
    expect(one('arraySum', lit('Array(UInt8)', [1, 2, 3]))).toBe(6n);
    expect(one('arrayAvg', lit('Array(UInt8)', [1, 2]))).toBe(1.5);
    expect(one('arrayMax', lit('Array(Int8)', [1, -2]))).toBe(1);
    expect(one('arrayCumSum', lit('Array(UInt8)', [1, 2, 3]))).toEqual([1n, 3n, 6n]);
    expect(one('arrayDifference', lit('Array(UInt8)', [1, 4, 2]))).toEqual([0, 3, -2]);
    expect(one('arrayReduce', lit('String', 'max'), lit('Array(UInt8)', [1, 3, 2]))).toBe(3);
    expect(one('arrayReduce', lit('String', 'uniqExact'), lit('Array(String)', ['a', 'b', 'a']))).toBe(2n);
    expect(one('emptyArrayString')).toEqual([]);
  });
  it('higher-order functions run the lambda once over all elements', () => {
    const double = (p: Column[]) => columnFromValues(T.UInt16, columnValues(T.UInt8, p[0]!).map((x) => (x as number) * 2));
    expect(hof('arrayMap', double, 'UInt16', [['Array(UInt8)', [[1, 2], [], [3]]]])).toEqual([[2, 4], [], [6]]);
    const odd = (p: Column[]) => columnFromValues(T.UInt8, columnValues(T.UInt8, p[0]!).map((x) => (x as number) % 2));
    expect(hof('arrayFilter', odd, 'UInt8', [['Array(UInt8)', [[1, 2, 3], [4]]]])).toEqual([[1, 3], []]);
    expect(hof('arrayExists', odd, 'UInt8', [['Array(UInt8)', [[2, 3], [4]]]])).toEqual([1, 0]);
    expect(hof('arrayAll', odd, 'UInt8', [['Array(UInt8)', [[1, 3], [1, 4], []]]])).toEqual([1, 0, 1]);
    expect(hof('arrayCount', odd, 'UInt8', [['Array(UInt8)', [[1, 2, 3]]]])).toEqual([2]);
    expect(hof('arrayFirst', odd, 'UInt8', [['Array(UInt8)', [[2, 3, 5], [2]]]])).toEqual([3, 0]);
    expect(hof('arrayLast', odd, 'UInt8', [['Array(UInt8)', [[2, 3, 5]]]])).toEqual([5]);
    expect(hof('arrayFirstIndex', odd, 'UInt8', [['Array(UInt8)', [[2, 3, 5]]]])).toEqual([2]);
    const neg = (p: Column[]) => columnFromValues(T.Int16, columnValues(T.UInt8, p[0]!).map((x) => -(x as number)));
    expect(hof('arraySort', neg, 'Int16', [['Array(UInt8)', [[1, 3, 2]]]])).toEqual([[3, 2, 1]]);
    expect(hof('arraySum', double, 'UInt16', [['Array(UInt8)', [[1, 2]]]])).toEqual([6n]);
  });
});

describe('maps and tuples', () => {
  it('map functions', () => {
    expect(call('map', [lit('String', 'a'), col('UInt8', 1), lit('String', 'b'), col('UInt8', 2)])).toEqual({ type: 'Map(String, UInt8)', values: [[['a', 1], ['b', 2]]] });
    expect(one('mapKeys', lit('Map(String, UInt8)', [['a', 1], ['b', 2]]))).toEqual(['a', 'b']);
    expect(one('mapValues', lit('Map(String, UInt8)', [['a', 1], ['b', 2]]))).toEqual([1, 2]);
    expect(one('mapContains', lit('Map(String, UInt8)', [['a', 1]]), lit('String', 'a'))).toBe(1);
  });
  it('tuples', () => {
    expect(call('tuple', [col('UInt8', 1), lit('String', 'a')])).toEqual({ type: 'Tuple(UInt8, String)', values: [[1, 'a']] });
    expect(one('tupleElement', lit('Tuple(a UInt8, b String)', [1, 'x']), lit('String', 'b'))).toBe('x');
    expect(one('tupleElement', lit('Tuple(UInt8, String)', [1, 'x']), lit('UInt8', 1))).toBe(1);
    expect(one('tupleElement', lit('Array(Tuple(UInt8, String))', [[1, 'x'], [2, 'y']]), lit('UInt8', 2))).toEqual(['x', 'y']);
  });
});

describe('JSON', () => {
  const doc = '{"a": "hello", "b": [-100, 200.0, 300], "c": {"d": true, "e": null}, "big": 18446744073709551615}';
  it('extracts by path', () => {
    expect(one('JSONExtractString', lit('String', doc), lit('String', 'a'))).toBe('hello');
    expect(one('JSONExtractInt', lit('String', doc), lit('String', 'b'), lit('Int8', 1))).toBe(-100n);
    expect(one('JSONExtractFloat', lit('String', doc), lit('String', 'b'), lit('Int8', -2))).toBe(200);
    expect(one('JSONExtractUInt', lit('String', doc), lit('String', 'big'))).toBe(18446744073709551615n);
    expect(one('JSONExtractBool', lit('String', doc), lit('String', 'c'), lit('String', 'd'))).toBe(1);
    expect(one('JSONExtractRaw', lit('String', doc), lit('String', 'b'))).toBe('[-100,200.0,300]');
    expect(one('JSONExtractKeys', lit('String', doc), lit('String', 'c'))).toEqual(['d', 'e']);
    expect(one('JSONExtractArrayRaw', lit('String', doc), lit('String', 'b'))).toEqual(['-100', '200.0', '300']);
    expect(one('JSONHas', lit('String', doc), lit('String', 'c'), lit('String', 'e'))).toBe(1);
    expect(one('JSONLength', lit('String', doc), lit('String', 'b'))).toBe(3n);
    expect(one('JSONType', lit('String', doc), lit('String', 'b'))).toBe('Array');
    expect(one('JSONExtract', lit('String', doc), lit('String', 'b'), lit('String', 'Array(Int32)'))).toEqual([-100, 200, 300]);
    expect(one('JSONExtract', lit('String', doc), lit('String', 'missing'), lit('String', 'Nullable(String)'))).toBe(null);
    expect(one('isValidJSON', lit('String', '{"a":1'))).toBe(0);
    expect(one('JSON_VALUE', lit('String', doc), lit('String', '$.c.d'))).toBe('true');
    expect(one('visitParamExtractString', lit('String', doc), lit('String', 'a'))).toBe('hello');
    expect(one('simpleJSONExtractBool', lit('String', doc), lit('String', 'd'))).toBe(1);
  });
});
