-- ARRAY JOIN (and LEFT ARRAY JOIN), arrayJoin(), and arrayEnumerate with ARRAY JOIN.

DROP TABLE IF EXISTS d_arr;
CREATE TABLE d_arr (id UInt32, tags Array(String), nums Array(UInt32)) ENGINE = Memory;
INSERT INTO d_arr VALUES (1, ['a', 'b'], [10, 20]), (2, [], []), (3, ['c'], [30]);

SELECT id, tag FROM d_arr ARRAY JOIN tags AS tag ORDER BY id, tag;
SELECT id, tags FROM d_arr ARRAY JOIN tags ORDER BY id, tags;
SELECT id, tag FROM d_arr LEFT ARRAY JOIN tags AS tag ORDER BY id, tag;
SELECT id, tag, num FROM d_arr ARRAY JOIN tags AS tag, nums AS num ORDER BY id, tag;
SELECT id, tag, idx FROM d_arr ARRAY JOIN tags AS tag, arrayEnumerate(tags) AS idx ORDER BY id, idx;
SELECT id, tags, tag FROM d_arr ARRAY JOIN tags AS tag WHERE tag != 'a' ORDER BY id;
SELECT tag, count() FROM d_arr ARRAY JOIN tags AS tag GROUP BY tag ORDER BY tag;
SELECT sum(num), count() FROM d_arr ARRAY JOIN nums AS num;
SELECT x FROM system.one ARRAY JOIN [1, 2, 3] AS x;
SELECT x, y FROM system.one ARRAY JOIN [1, 2] AS x, ['a', 'b'] AS y;
SELECT arrayJoin([1, 2, 3]) AS x, x * 10;
SELECT arrayJoin(['a', 'b']) AS s, arrayJoin([1, 2]) AS n ORDER BY s, n;
SELECT number, arrayJoin(range(number)) AS r FROM numbers(4) ORDER BY number, r;
SELECT id, arrayJoin(nums) AS n FROM d_arr ORDER BY id, n;
SELECT count() FROM (SELECT arrayJoin(range(10)) FROM numbers(10));
SELECT id, t.1, t.2 FROM d_arr ARRAY JOIN arrayMap((x, y) -> (x, y), tags, nums) AS t ORDER BY id, t.1;
SELECT id, num FROM d_arr ARRAY JOIN nums AS num WHERE num > 15 ORDER BY num;
SELECT groupArray(tag) FROM (SELECT tag FROM d_arr ARRAY JOIN tags AS tag ORDER BY tag);
SELECT id, tag FROM d_arr ARRAY JOIN tags AS tag ARRAY JOIN nums AS num WHERE id = 1 ORDER BY tag, num;
-- expected (ClickHouse 18.16 lacks several ARRAY JOIN clauses in one query):
-- 1	a
-- 1	a
-- 1	b
-- 1	b
