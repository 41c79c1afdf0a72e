-- NULL handling: Nullable types, NULL-aware functions, NULLs in expressions and aggregates.

DROP TABLE IF EXISTS d_nulls;
CREATE TABLE d_nulls (id UInt32, v Nullable(Int32), s Nullable(String)) ENGINE = Memory;
INSERT INTO d_nulls VALUES (1, 10, 'a'), (2, NULL, 'b'), (3, 30, NULL), (4, NULL, NULL), (5, 50, 'e');

SELECT NULL, toTypeName(NULL), NULL IS NULL, NULL IS NOT NULL, isNull(NULL), isNotNull(1);
SELECT NULL + 1, 1 + NULL, NULL * 0, concat('a', NULL), toTypeName(NULL + 1);
SELECT NULL = NULL, NULL != 1, 1 < NULL, NULL = 1;
SELECT coalesce(NULL, NULL, 3), coalesce(NULL, 'x'), coalesce(1, 2), coalesce(NULL, NULL);
SELECT ifNull(NULL, 5), ifNull(7, 5), nullIf(1, 1), nullIf(1, 2), assumeNotNull(toNullable(3)), toNullable(4);
SELECT toTypeName(toNullable(4)), toTypeName(nullIf(1, 2)), toTypeName(ifNull(toNullable(1), 2));
SELECT id, v, s FROM d_nulls ORDER BY id;
SELECT id, v IS NULL, isNull(s), ifNull(v, -1), coalesce(s, 'none') FROM d_nulls ORDER BY id;
SELECT count(), count(v), count(s), sum(v), avg(v), min(v), max(v) FROM d_nulls;
SELECT id FROM d_nulls WHERE v IS NULL ORDER BY id;
SELECT id FROM d_nulls WHERE v > 15 ORDER BY id;
SELECT id FROM d_nulls WHERE NOT (v > 15) ORDER BY id;
SELECT id, v FROM d_nulls ORDER BY v, id;
SELECT id, v FROM d_nulls ORDER BY v DESC, id;
SELECT id, v FROM d_nulls ORDER BY v NULLS FIRST, id;
SELECT id, v FROM d_nulls ORDER BY v DESC NULLS LAST, id;
SELECT s, count() FROM d_nulls GROUP BY s ORDER BY s;
SELECT groupArray(v), groupArray(s) FROM d_nulls;
SELECT uniq(v), uniqExact(s), any(v) FROM d_nulls WHERE id > 1;
SELECT [1, NULL, 3], toTypeName([1, NULL, 3]), arrayFilter(x -> x IS NOT NULL, [1, NULL, 3]);
SELECT arrayMap(x -> x * 2, [1, NULL]), has([1, NULL], NULL), indexOf([NULL, 2], 2);
SELECT v + 1, v * 2, -v FROM d_nulls ORDER BY id;
SELECT if(v IS NULL, 'null', 'value'), multiIf(v IS NULL, 0, v > 20, 2, 1) FROM d_nulls ORDER BY id;
SELECT toString(NULL), toTypeName(toString(NULL)), toInt32(NULL);
SELECT CAST(NULL AS Nullable(UInt8)) + 1, toTypeName(CAST(NULL AS Nullable(UInt8)) + 1);
SELECT sum(x), count(x), avg(x) FROM (SELECT CAST(NULL AS Nullable(Int32)) AS x FROM numbers(3));
SELECT NULL AND 0, NULL OR 1, NULL AND 1, NULL OR 0, NOT NULL;
-- expected (ClickHouse 18.16 lacks three-valued logic for AND/OR with NULL):
-- 0	1	\N	\N	\N
SELECT isZeroOrNull(0), isZeroOrNull(NULL), isZeroOrNull(1);
-- expected (ClickHouse 18.16 lacks isZeroOrNull):
-- 1	1	0
SELECT id, v <=> NULL FROM d_nulls ORDER BY id LIMIT 2;
-- expected (ClickHouse 18.16 lacks <=>):
-- 1	0
-- 2	1
