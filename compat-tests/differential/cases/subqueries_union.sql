-- Subqueries (FROM, IN, scalar), WITH aliases, UNION ALL.

SELECT x * 2 FROM (SELECT number AS x FROM numbers(4)) ORDER BY x;
SELECT s FROM (SELECT sum(number) AS s FROM numbers(10));
SELECT (SELECT max(number) FROM numbers(10)) AS m, m + 1;
SELECT number FROM numbers(10) WHERE number > (SELECT avg(number) FROM numbers(10)) ORDER BY number;
SELECT number FROM numbers(10) WHERE number IN (SELECT number * 3 FROM numbers(4)) ORDER BY number;
SELECT number FROM numbers(6) WHERE number NOT IN (SELECT number FROM numbers(3)) ORDER BY number;
SELECT number, number IN (SELECT toUInt64(2) UNION ALL SELECT toUInt64(4)) FROM numbers(5) ORDER BY number;
SELECT number FROM numbers(5) WHERE number IN (SELECT 2 UNION ALL SELECT 4) ORDER BY number;
-- expected (ClickHouse 18.16 rejects IN with differently typed sides):
-- 2
-- 4
SELECT (number, number % 2) IN (SELECT number, 0 FROM numbers(10)) FROM numbers(4);
SELECT count() FROM (SELECT number FROM numbers(100) WHERE number % 7 = 0);
SELECT a, b FROM (SELECT number AS a, a * a AS b FROM numbers(5)) WHERE b > 3 ORDER BY a;
SELECT * FROM (SELECT number, toString(number) AS s FROM numbers(3)) ORDER BY number;
SELECT k, c FROM (SELECT number % 3 AS k, count() AS c FROM numbers(10) GROUP BY k) ORDER BY c DESC, k;
SELECT max(c) FROM (SELECT count() AS c FROM numbers(10) GROUP BY number % 4);
WITH 10 AS n SELECT n * 2, n + number FROM numbers(2);
WITH number * 2 AS d SELECT d FROM numbers(3);
WITH (SELECT sum(number) FROM numbers(5)) AS total SELECT total, total / 2;
SELECT (SELECT 1), (SELECT 'a'), (SELECT [1, 2]);
SELECT (SELECT number FROM numbers(2)); -- { serverError 125 }
SELECT x FROM (SELECT 1 AS x UNION ALL SELECT 2 AS x UNION ALL SELECT 3 AS x) ORDER BY x;
SELECT x, y FROM (SELECT 1 AS x, 'a' AS y UNION ALL SELECT 2, 'b') ORDER BY x;
SELECT count(), sum(number) FROM (SELECT number FROM numbers(5) UNION ALL SELECT number FROM numbers(10));
SELECT x FROM (SELECT toUInt8(1) AS x UNION ALL SELECT toUInt16(300)) ORDER BY x;
SELECT toTypeName(x) FROM (SELECT toUInt8(1) AS x UNION ALL SELECT toInt8(-1)) LIMIT 1;
SELECT 1 UNION ALL SELECT 1, 2; -- { serverError 258 }
SELECT x FROM (SELECT 1 AS x UNION DISTINCT SELECT 1 UNION DISTINCT SELECT 2) ORDER BY x;
-- expected (ClickHouse 18.16 lacks UNION DISTINCT):
-- 1
-- 2
SELECT number FROM (SELECT number FROM numbers(5) EXCEPT SELECT number FROM numbers(2)) ORDER BY number;
-- expected (ClickHouse 18.16 lacks EXCEPT):
-- 2
-- 3
-- 4
SELECT number FROM (SELECT number FROM numbers(5) INTERSECT SELECT number + 3 FROM numbers(5)) ORDER BY number;
-- expected (ClickHouse 18.16 lacks INTERSECT):
-- 3
-- 4
WITH t AS (SELECT number AS x FROM numbers(4)) SELECT sum(x) FROM t;
-- expected (ClickHouse 18.16 lacks common table expressions):
-- 6
WITH t AS (SELECT number AS x FROM numbers(4)), u AS (SELECT x * 10 AS y FROM t) SELECT max(y) FROM u;
-- expected (ClickHouse 18.16 lacks common table expressions):
-- 30
SELECT number FROM numbers(5) WHERE EXISTS (SELECT 1 FROM numbers(1)) ORDER BY number LIMIT 2;
-- expected (ClickHouse 18.16 lacks EXISTS):
-- 0
-- 1
SELECT number FROM numbers(4) WHERE number = ANY (SELECT 2 UNION ALL SELECT 3) ORDER BY number;
-- expected (ClickHouse 18.16 lacks ANY subquery comparisons):
-- 2
-- 3
