-- SELECT clauses: DISTINCT, ORDER BY (directions, NULLS FIRST/LAST, expressions), LIMIT/OFFSET, LIMIT BY, WHERE/PREWHERE, HAVING.

DROP TABLE IF EXISTS d_ev;
CREATE TABLE d_ev (user String, ts DateTime('UTC'), kind String, score Nullable(Int32)) ENGINE = MergeTree ORDER BY (user, ts);
INSERT INTO d_ev VALUES ('u1', '2021-01-01 10:00:00', 'view', 5), ('u1', '2021-01-01 10:05:00', 'click', 7), ('u1', '2021-01-01 10:09:00', 'view', NULL), ('u2', '2021-01-01 09:00:00', 'view', 3), ('u2', '2021-01-01 09:30:00', 'buy', 9), ('u3', '2021-01-02 00:00:00', 'view', 1), ('u3', '2021-01-02 00:01:00', 'view', NULL);

SELECT DISTINCT kind FROM d_ev ORDER BY kind;
SELECT DISTINCT user, kind FROM d_ev ORDER BY user, kind;
SELECT DISTINCT number % 3 FROM numbers(10) ORDER BY number % 3;
SELECT count(DISTINCT kind), uniqExact(user) FROM d_ev;
SELECT user, ts FROM d_ev ORDER BY ts DESC LIMIT 3;
SELECT user, kind FROM d_ev ORDER BY user DESC, kind ASC, ts;
SELECT number FROM numbers(10) ORDER BY number % 3, number DESC;
SELECT number FROM numbers(10) ORDER BY number LIMIT 3;
SELECT number FROM numbers(10) ORDER BY number LIMIT 3 OFFSET 4;
SELECT number FROM numbers(10) ORDER BY number LIMIT 4, 2;
SELECT number FROM numbers(10) ORDER BY number DESC LIMIT 0;
SELECT number FROM numbers(5) ORDER BY number LIMIT 10 OFFSET 3;
SELECT user, ts FROM d_ev ORDER BY user, ts LIMIT 1 BY user;
SELECT user, kind, ts FROM d_ev ORDER BY user, ts DESC LIMIT 2 BY user;
SELECT kind, user FROM d_ev ORDER BY kind, user LIMIT 1 BY kind;
SELECT number % 3 AS k, number FROM numbers(12) ORDER BY k, number LIMIT 2 BY k;
SELECT number % 2 AS k, number FROM numbers(10) ORDER BY k, number LIMIT 1, 2 BY k;
-- expected (ClickHouse 18.16 lacks an offset in LIMIT BY):
-- 0	2
-- 0	4
-- 1	3
-- 1	5
SELECT user, score FROM d_ev ORDER BY score, user, ts;
SELECT user, score FROM d_ev ORDER BY score NULLS FIRST, user, ts;
SELECT user, score FROM d_ev ORDER BY score DESC NULLS FIRST, user, ts;
SELECT user, score FROM d_ev ORDER BY score DESC NULLS LAST, user, ts;
SELECT x FROM (SELECT arrayJoin([3.5, nan, -1, inf, 0]) AS x) ORDER BY x;
SELECT x FROM (SELECT arrayJoin([3.5, nan, -1, inf, 0]) AS x) ORDER BY x DESC;
SELECT x FROM (SELECT arrayJoin([3.5, nan, -1]) AS x) ORDER BY x NULLS FIRST;
SELECT s FROM (SELECT arrayJoin(['b', 'A', 'a', 'B', '']) AS s) ORDER BY s;
SELECT user, count() AS c FROM d_ev GROUP BY user HAVING c >= 2 ORDER BY c DESC, user;
SELECT user FROM d_ev PREWHERE kind = 'view' WHERE score > 2 ORDER BY user;
SELECT kind, count() FROM d_ev WHERE ts >= '2021-01-01 10:00:00' GROUP BY kind ORDER BY kind;
SELECT user, max(ts) FROM d_ev GROUP BY user ORDER BY max(ts);
SELECT toDate(ts) AS d, count() FROM d_ev GROUP BY d ORDER BY d;
SELECT user, argMax(kind, ts), min(ts) FROM d_ev GROUP BY user ORDER BY user;
SELECT number FROM numbers(100) WHERE number % 10 = 3 AND number > 50 ORDER BY number;
SELECT 1 AS x, x + 1 AS y, y * 2 AS z;
SELECT number AS n, n * 2 AS m FROM numbers(3) WHERE m > 1 ORDER BY n;
SELECT count() FROM d_ev FINAL; -- { serverError 181 }
SELECT number FROM numbers(10) ORDER BY number DESC LIMIT 2 WITH TIES;
-- expected (ClickHouse 18.16 lacks WITH TIES):
-- 9
-- 8
SELECT number % 3 AS k FROM numbers(7) ORDER BY k LIMIT 2 WITH TIES;
-- expected (ClickHouse 18.16 lacks WITH TIES):
-- 0
-- 0
-- 0
SELECT number FROM numbers(10) ORDER BY number OFFSET 7 ROWS;
-- expected (ClickHouse 18.16 lacks OFFSET without LIMIT):
-- 7
-- 8
-- 9
SELECT number FROM numbers(10) ORDER BY number OFFSET 2 ROWS FETCH FIRST 3 ROWS ONLY;
-- expected (ClickHouse 18.16 lacks OFFSET/FETCH):
-- 2
-- 3
-- 4
SELECT n FROM (SELECT number * 3 AS n FROM numbers(3)) ORDER BY n WITH FILL;
-- expected (ClickHouse 18.16 lacks WITH FILL):
-- 0
-- 1
-- 2
-- 3
-- 4
-- 5
-- 6
SELECT DISTINCT ON (k) k, v FROM (SELECT number % 2 AS k, number AS v FROM numbers(6) ORDER BY v) ORDER BY k;
-- expected (ClickHouse 18.16 lacks DISTINCT ON):
-- 0	0
-- 1	1
SELECT number FROM numbers(10) ORDER BY number LIMIT -2;
-- expected (ClickHouse 18.16 lacks negative LIMIT):
-- 8
-- 9
SELECT user, count() FROM d_ev GROUP BY ALL ORDER BY ALL;
-- expected (ClickHouse 18.16 lacks GROUP BY ALL / ORDER BY ALL):
-- u1	3
-- u2	2
-- u3	2
SELECT kind, count() FROM d_ev GROUP BY 1 ORDER BY 2 DESC, 1 SETTINGS enable_positional_arguments = 1;
-- expected (ClickHouse 18.16 lacks positional GROUP BY / ORDER BY arguments):
-- view	5
-- buy	1
-- click	1
