-- Aggregate function combinators: -If, -Array, -ForEach, -State/-Merge, -Distinct, -OrNull, -OrDefault, -Resample.

SELECT sumIf(number, number % 2 = 0), countIf(number > 5), avgIf(number, number < 4), maxIf(number, number < 7), minIf(number, number > 2) FROM numbers(10);
SELECT uniqIf(number % 5, number > 3), groupArrayIf(number, number % 3 = 0), anyIf(number, number > 7), argMaxIf(number, number, number < 5) FROM numbers(10);
SELECT sumArray(arr), uniqArray(arr), arraySort(groupArrayArray(arr)), countArray(arr) FROM (SELECT [1, 2] AS arr UNION ALL SELECT [2, 3] AS arr);
SELECT sumForEach(arr), maxForEach(arr) FROM (SELECT [1, 2, 3] AS arr UNION ALL SELECT [10, 20] AS arr);
SELECT sumArrayIf(arr, c), countIf(c) FROM (SELECT [1, 2] AS arr, 1 AS c UNION ALL SELECT [5], 0);
SELECT finalizeAggregation(sumState(number)), finalizeAggregation(uniqExactState(number % 3)) FROM numbers(10);
SELECT sumMerge(s), avgMerge(a), uniqExactMerge(u) FROM (SELECT sumState(number) AS s, avgState(number) AS a, uniqExactState(number % 4) AS u FROM numbers(10));
SELECT k, sumMerge(s) FROM (SELECT number % 2 AS k, sumState(number) AS s FROM numbers(10) GROUP BY k) GROUP BY k ORDER BY k;
SELECT uniqMerge(st) FROM (SELECT uniqState(number) AS st FROM numbers(100) GROUP BY number % 10);
SELECT groupArrayMerge(st) FROM (SELECT groupArrayState(number) AS st FROM numbers(3));
SELECT quantilesMerge(0.5, 0.9)(st) FROM (SELECT quantilesState(0.5, 0.9)(number) AS st FROM numbers(101));
SELECT toTypeName(sumState(number)), toTypeName(uniqState(toString(number))), toTypeName(quantileState(0.5)(number)) FROM numbers(1);
SELECT arrayReduce('sumIf', [1, 2, 3], [1, 0, 1]), arrayReduce('uniqArray', [[1, 2], [2]]);
SELECT sumMergeState(s) AS m, toTypeName(m) FROM (SELECT sumState(number) AS s FROM numbers(4)) FORMAT Null;
SELECT finalizeAggregation(sumMergeState(s)) FROM (SELECT sumState(number) AS s FROM numbers(4));
SELECT countIf(number, number > 100), sumIf(number, 0) FROM numbers(10);
SELECT sumDistinct(x), countDistinct(x), arraySort(groupArrayDistinct(x)) FROM (SELECT arrayJoin([3, 1, 3, 2, 1]) AS x);
-- expected (ClickHouse 18.16 lacks the -Distinct combinator):
-- 6	3	[1,2,3]
SELECT sumOrNull(number), avgOrNull(number), maxOrNull(number), sumOrDefault(number), avgOrDefault(number) FROM numbers(10) WHERE number > 100;
-- expected (ClickHouse 18.16 lacks the -OrNull/-OrDefault combinators):
-- \N	\N	\N	0	0
SELECT sumOrNull(number), maxOrDefault(number) FROM numbers(3);
-- expected (ClickHouse 18.16 lacks the -OrNull/-OrDefault combinators):
-- 3	2
SELECT sumResample(0, 6, 2)(number, number) FROM numbers(6);
-- expected (ClickHouse 18.16 lacks the -Resample combinator):
-- [1,5,9]
SELECT countIfOrNull(number > 100), uniqExactIf(number, number < 3) FROM numbers(10);
-- expected (ClickHouse 18.16 lacks the -OrNull combinator):
-- \N	3
SELECT initializeAggregation('sumState', number) FROM numbers(2) FORMAT Null;
-- expected (ClickHouse 18.16 lacks initializeAggregation):
SELECT finalizeAggregation(initializeAggregation('uniqExactState', number % 2)) FROM numbers(4);
-- expected (ClickHouse 18.16 lacks initializeAggregation):
-- 1
-- 1
-- 1
-- 1
SELECT sumSimpleState(number), toTypeName(sumSimpleState(number)) FROM numbers(4);
-- expected (ClickHouse 18.16 lacks SimpleAggregateFunction):
-- 6	SimpleAggregateFunction(sum, UInt64)
