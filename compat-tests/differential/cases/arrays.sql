-- Array functions, higher-order functions with lambdas, array literals and their text form.

SELECT [1, 2, 3], ['a', 'b'], [], [[1, 2], [3]], [1.5, 2], ['it''s'];
SELECT toTypeName([1, 2]), toTypeName([1, -1]), toTypeName([1, 2.5]), toTypeName([[1]]), toTypeName(['a']), toTypeName([]);
SELECT array(1, 2, 3), range(5), range(0), emptyArrayUInt8(), emptyArrayString();
SELECT range(2, 5), range(0, 10, 3);
-- expected (ClickHouse 18.16 lacks the start/step arguments of range):
-- [2,3,4]	[0,3,6,9]
SELECT length([1, 2, 3]), empty([]), notEmpty([1]), length(emptyArrayString());
SELECT [10, 20, 30][1], [10, 20, 30][3], [10, 20, 30][4], [10, 20, 30][-1], [10, 20, 30][0], arrayElement(['a', 'b'], 2);
SELECT has([1, 2, 3], 2), has([1, 2, 3], 5), has(['a'], 'a'), hasAll([1, 2, 3], [1, 3]), hasAll([1, 2], [1, 4]), hasAny([1, 2], [5, 2]), hasAny([1], []);
SELECT indexOf([5, 6, 7], 7), indexOf([5, 6, 7], 8), countEqual([1, 2, 1, 1], 1);
SELECT arrayConcat([1, 2], [3], []), arrayPushBack([1, 2], 3), arrayPushFront([1, 2], 0), arrayPopBack([1, 2, 3]), arrayPopFront([1, 2, 3]);
SELECT arraySlice([1, 2, 3, 4, 5], 2, 3), arraySlice([1, 2, 3, 4, 5], -2), arraySlice([1, 2, 3], 2), arraySlice([1, 2, 3], 5, 1);
SELECT arrayResize([1, 2], 4), arrayResize([1, 2, 3], 1), arrayResize(['a'], 3, 'z');
SELECT arrayReverse([1, 2, 3]), arraySort([3, 1, 2]), arraySort(['b', 'a', 'c']), arrayReverseSort([3, 1, 2]), arraySort([2.5, -1, 0]);
SELECT arraySort(x -> -x, [1, 3, 2]), arraySort((x, y) -> y, ['a', 'b', 'c'], [3, 1, 2]), arrayReverseSort(x -> x % 3, [1, 2, 3]);
SELECT arrayDistinct([1, 2, 2, 3, 1]), arrayUniq([1, 2, 2, 3, 1]), arrayUniq([1, 2], [1, 3]), arrayEnumerate([5, 6, 7]);
SELECT arrayEnumerateUniq([10, 20, 10, 30, 20]), arrayEnumerateDense([10, 20, 10, 30]);
SELECT arraySort(arrayIntersect([1, 2, 3, 4], [2, 4, 6], [4, 2])), arrayIntersect([1], [2]);
SELECT arrayMap(x -> x * x, [1, 2, 3]), arrayMap((x, y) -> x + y, [1, 2], [10, 20]), arrayMap(x -> concat(x, '!'), ['a', 'b']);
SELECT arrayFilter(x -> x % 2 = 0, [1, 2, 3, 4]), arrayFilter((x, y) -> y, [1, 2, 3], [1, 0, 1]), arrayFilter(x -> x > 10, [1, 2]);
SELECT arrayExists(x -> x > 2, [1, 2, 3]), arrayExists(x -> x > 5, [1, 2, 3]), arrayAll(x -> x > 0, [1, 2]), arrayAll(x -> x > 1, [1, 2]), arrayExists([0, 1]);
SELECT arrayCount(x -> x > 1, [1, 2, 3]), arrayCount([0, 1, 1]), arraySum([1, 2, 3]), arraySum(x -> x * 10, [1, 2]), arraySum([1.5, 2.5]);
SELECT arrayFirst(x -> x > 1, [1, 2, 3]), arrayFirstIndex(x -> x > 1, [1, 2, 3]), arrayFirst(x -> x > 5, [1, 2, 3]), arrayFirstIndex(x -> x > 5, [1, 2]);
SELECT arrayCumSum([1, 2, 3, 4]), arrayCumSum(x -> x * 2, [1, 2, 3]);
SELECT arrayReduce('sum', [1, 2, 3]), arrayReduce('max', ['a', 'c', 'b']), arrayReduce('uniqExact', [1, 1, 2]), arrayReduce('groupArray', [3, 1]);
SELECT arrayStringConcat(arrayMap(x -> toString(x), [1, 2, 3]), '+'), arrayJoin([1, 2, 3]) AS j;
SELECT emptyArrayToSingle(emptyArrayUInt8()), emptyArrayToSingle([1, 2]);
SELECT arrayMap(x -> arrayMap(y -> x * y, [1, 2]), [1, 10]);
SELECT number, range(number) FROM numbers(4);
SELECT groupArray(number), groupArray(2)(number) FROM numbers(5);
SELECT arrayMap(x -> toString(x), [toDate('2021-01-01')]), [toDate('2021-01-01'), toDate('2021-01-02')];
SELECT [1, 2] = [1, 2], [[1], [2, 3]][2][1], length([[], [1]]);
SELECT arrayCompact([1, 1, 2, 2, 1]), arrayZip([1, 2], ['a', 'b']), arrayFlatten([[1], [2, 3]]);
-- expected (ClickHouse 18.16 lacks arrayCompact/arrayZip/arrayFlatten):
-- [1,2,1]	[(1,'a'),(2,'b')]	[1,2,3]
SELECT arrayFill(x -> x > 0, [1, 0, 0, 2, 0]), arrayReverseFill(x -> x > 0, [1, 0, 0, 2, 0]), arraySplit((x, y) -> y, [1, 2, 3, 4], [1, 0, 1, 0]);
-- expected (ClickHouse 18.16 lacks arrayFill/arrayReverseFill/arraySplit):
-- [1,1,1,2,2]	[1,2,2,2,0]	[[1,2],[3,4]]
SELECT arrayMin([3, 1, 2]), arrayMax([3, 1, 2]), arrayAvg([1, 2, 3, 4]), arrayProduct([2, 3, 4]);
-- expected (ClickHouse 18.16 lacks arrayMin/arrayMax/arrayAvg/arrayProduct):
-- 1	3	2.5	24
SELECT arrayDifference([1, 4, 9, 16]), arrayDifference(emptyArrayUInt8());
SELECT arrayRotateLeft([1, 2, 3, 4], 1), arrayShiftRight([1, 2, 3], 1), arrayWithConstant(3, 'x');
-- expected (ClickHouse 18.16 lacks arrayRotateLeft/arrayShiftRight/arrayWithConstant):
-- [2,3,4,1]	[0,1,2]	['x','x','x']
SELECT arrayFold((acc, x) -> acc + x, [1, 2, 3], toUInt64(0)), arrayLast(x -> x < 3, [1, 2, 3]), arrayLastIndex(x -> x < 3, [1, 2, 3]);
-- expected (ClickHouse 18.16 lacks arrayFold/arrayLast/arrayLastIndex):
-- 6	2	2
