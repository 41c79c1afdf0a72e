-- Window functions (ClickHouse 18.16 has none: every expected output here is checked in,
-- derived from ClickHouse's documented semantics).

DROP TABLE IF EXISTS d_win;
CREATE TABLE d_win (g String, x UInt32, v Int32) ENGINE = Memory;
INSERT INTO d_win VALUES ('a', 1, 10), ('a', 2, 20), ('a', 3, 20), ('a', 4, 5), ('b', 1, 7), ('b', 2, 3);

SELECT g, x, row_number() OVER (PARTITION BY g ORDER BY x) FROM d_win ORDER BY g, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	1	1
-- a	2	2
-- a	3	3
-- a	4	4
-- b	1	1
-- b	2	2
SELECT g, v, rank() OVER (PARTITION BY g ORDER BY v DESC), dense_rank() OVER (PARTITION BY g ORDER BY v DESC) FROM d_win ORDER BY g, v DESC, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	20	1	1
-- a	20	1	1
-- a	10	3	2
-- a	5	4	3
-- b	7	1	1
-- b	3	2	2
SELECT g, x, sum(v) OVER (PARTITION BY g ORDER BY x) FROM d_win ORDER BY g, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	1	10
-- a	2	30
-- a	3	50
-- a	4	55
-- b	1	7
-- b	2	10
SELECT g, x, sum(v) OVER (PARTITION BY g) FROM d_win ORDER BY g, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	1	55
-- a	2	55
-- a	3	55
-- a	4	55
-- b	1	10
-- b	2	10
SELECT x, v, sum(v) OVER (ORDER BY v) FROM d_win WHERE g = 'a' ORDER BY v, x;
-- expected (ClickHouse 18.16 lacks window functions): the default RANGE frame includes peers
-- 4	5	5
-- 1	10	15
-- 2	20	55
-- 3	20	55
SELECT g, x, sum(v) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM d_win ORDER BY g, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	1	10
-- a	2	30
-- a	3	40
-- a	4	25
-- b	1	7
-- b	2	10
SELECT g, x, avg(v) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM d_win ORDER BY g, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	1	15
-- a	2	16.666666666666668
-- a	3	15
-- a	4	12.5
-- b	1	5
-- b	2	5
SELECT g, x, count() OVER (PARTITION BY g ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), max(v) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM d_win ORDER BY g, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	1	4	20
-- a	2	4	20
-- a	3	4	20
-- a	4	4	5
-- b	1	2	7
-- b	2	2	3
SELECT g, x, lagInFrame(v) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), leadInFrame(v, 1, toInt32(-1)) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM d_win ORDER BY g, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	1	0	20
-- a	2	10	20
-- a	3	20	5
-- a	4	20	-1
-- b	1	0	3
-- b	2	7	-1
SELECT g, x, first_value(v) OVER (PARTITION BY g ORDER BY x), last_value(v) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM d_win ORDER BY g, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	1	10	5
-- a	2	10	5
-- a	3	10	5
-- a	4	10	5
-- b	1	7	3
-- b	2	7	3
SELECT g, x, nth_value(v, 2) OVER (PARTITION BY g ORDER BY x ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) FROM d_win ORDER BY g, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	1	20
-- a	2	20
-- a	3	20
-- a	4	20
-- b	1	3
-- b	2	3
SELECT number, sum(number) OVER (ORDER BY number ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s FROM numbers(5) ORDER BY number;
-- expected (ClickHouse 18.16 lacks window functions):
-- 0	0
-- 1	1
-- 2	3
-- 3	6
-- 4	9
SELECT number, number % 2 AS p, row_number() OVER w, sum(number) OVER w FROM numbers(6) WINDOW w AS (PARTITION BY number % 2 ORDER BY number) ORDER BY number;
-- expected (ClickHouse 18.16 lacks window functions):
-- 0	0	1	0
-- 1	1	1	1
-- 2	0	2	2
-- 3	1	2	4
-- 4	0	3	6
-- 5	1	3	9
SELECT g, sum(v) AS s, rank() OVER (ORDER BY sum(v) DESC) FROM d_win GROUP BY g ORDER BY g;
-- expected (ClickHouse 18.16 lacks window functions):
-- a	55	1
-- b	10	2
SELECT x, v, percent_rank() OVER (ORDER BY v), cume_dist() OVER (ORDER BY v) FROM d_win WHERE g = 'a' ORDER BY v, x;
-- expected (ClickHouse 18.16 lacks window functions):
-- 4	5	0	0.25
-- 1	10	0.3333333333333333	0.5
-- 2	20	0.6666666666666666	1
-- 3	20	0.6666666666666666	1
SELECT number, ntile(2) OVER (ORDER BY number) FROM numbers(5) ORDER BY number;
-- expected (ClickHouse 18.16 lacks window functions):
-- 0	1
-- 1	1
-- 2	1
-- 3	2
-- 4	2
