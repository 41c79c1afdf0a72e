-- Tuples (literal syntax, element access, comparison) and Maps.

SELECT (1, 'a'), tuple(1, 2, 3), ((1, 2), 'x'), (1, [2, 3]), tuple(1);
SELECT toTypeName((1, 'a')), toTypeName(tuple(1, 2.5, NULL)), toTypeName(((1, 2), 'x'));
SELECT (1, 'a').1, (1, 'a').2, tupleElement((10, 20, 30), 3), ((1, 2), 'x').1.2;
SELECT (1, 2) = (1, 2), (1, 2) < (1, 3), (2, 0) > (1, 9), (1, 'b') > (1, 'a');
SELECT t.1 AS a, t.2 AS b FROM (SELECT arrayJoin([(1, 'x'), (2, 'y')]) AS t);
SELECT arrayMap(t -> t.1 + t.2, [(1, 2), (3, 4)]), [(1, 'a'), (2, 'b')];
SELECT number, (number, toString(number)) FROM numbers(3);
SELECT max((number % 3, number)), min((number % 3, -number)) FROM numbers(10);
SELECT (1, 2) IN ((1, 2)), tuple(1, 'a') IN (SELECT 1, 'a');
SELECT argMax(t, t.2) FROM (SELECT arrayJoin([(1, 5), (2, 9), (3, 7)]) AS t);
SELECT tupleElement((1, 'a'), 'x'); -- { serverError 10 }
SELECT tupleElement(CAST((1, 'a') AS Tuple(x UInt8, y String)), 'x'), toTypeName(CAST((1, 'a') AS Tuple(x UInt8, y String)));
SELECT untuple((1, 'a'));
-- expected (ClickHouse 18.16 lacks untuple):
-- 1	a
SELECT tupleHammingDistance((1, 2, 3), (1, 0, 3)), tuplePlus((1, 2), (10, 20)), dotProduct([1, 2, 3], [4, 5, 6]);
-- expected (ClickHouse 18.16 lacks tuple arithmetic functions):
-- 1	(11,22)	32
SELECT map('a', 1, 'b', 2), toTypeName(map('a', 1, 'b', 2));
-- expected (ClickHouse 18.16 lacks Map):
-- {'a':1,'b':2}	Map(String, UInt8)
SELECT map('a', 1, 'b', 2)['b'], map('a', 1)['z'], mapKeys(map('x', 1, 'y', 2)), mapValues(map('x', 1, 'y', 2));
-- expected (ClickHouse 18.16 lacks Map):
-- 2	0	['x','y']	[1,2]
SELECT mapContains(map('a', 1), 'a'), mapContains(map('a', 1), 'b'), length(map('a', 1, 'b', 2)), empty(map());
-- expected (ClickHouse 18.16 lacks Map):
-- 1	0	2	1
SELECT CAST(([1, 2], ['x', 'y']), 'Map(UInt8, String)'), map(1, [1, 2]);
-- expected (ClickHouse 18.16 lacks Map):
-- {1:'x',2:'y'}	{1:[1,2]}
SELECT mapAdd(map(1, 1), map(1, 2, 2, 5)), mapFilter((k, v) -> v > 1, map('a', 1, 'b', 2)), mapApply((k, v) -> (k, v * 10), map('a', 1));
-- expected (ClickHouse 18.16 lacks Map):
-- {1:3,2:5}	{'b':2}	{'a':10}
SELECT m['k'] FROM (SELECT map('k', number) AS m FROM numbers(3));
-- expected (ClickHouse 18.16 lacks Map):
-- 0
-- 1
-- 2
SELECT sumMap(k, v) FROM (SELECT [1, 2] AS k, [10, 20] AS v UNION ALL SELECT [2, 3] AS k, [5, 7] AS v);
SELECT sumMap(k, v) FROM (SELECT ['b', 'a'] AS k, [1, 2] AS v);
-- expected (ClickHouse 18.16 lacks String keys in sumMap):
-- (['a','b'],[2,1])
