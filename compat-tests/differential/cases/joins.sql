-- JOINs: INNER / LEFT / RIGHT / FULL / CROSS, USING and ON, ANY / ALL strictness.

DROP TABLE IF EXISTS d_users;
DROP TABLE IF EXISTS d_orders;
CREATE TABLE d_users (uid UInt32, name String) ENGINE = Memory;
CREATE TABLE d_orders (oid UInt32, uid UInt32, amount UInt32) ENGINE = Memory;
INSERT INTO d_users VALUES (1, 'ann'), (2, 'bob'), (3, 'cid'), (4, 'dan');
INSERT INTO d_orders VALUES (10, 1, 100), (11, 1, 150), (12, 2, 75), (13, 5, 20), (14, 3, 60), (15, 3, 40);

SELECT uid, name, oid, amount FROM d_users INNER JOIN d_orders USING uid ORDER BY oid;
SELECT uid, name, oid, amount FROM d_users ALL INNER JOIN d_orders USING uid ORDER BY oid;
SELECT uid, name, oid, amount FROM d_users LEFT JOIN d_orders USING uid ORDER BY uid, oid;
SELECT uid, name, oid, amount FROM d_users ALL LEFT JOIN d_orders USING uid ORDER BY uid, oid;
SELECT uid, name, oid FROM d_users RIGHT JOIN d_orders USING uid ORDER BY oid;
SELECT uid, name, oid FROM d_users FULL JOIN d_orders USING uid ORDER BY uid, oid;
SELECT uid, name, oid FROM d_users FULL OUTER JOIN d_orders USING uid ORDER BY uid, oid;
SELECT uid, name, amount FROM d_users ANY LEFT JOIN d_orders USING uid ORDER BY uid;
SELECT name, count(), sum(amount) FROM d_users INNER JOIN d_orders USING uid GROUP BY name ORDER BY name;
SELECT name, sum(amount) AS total FROM d_users LEFT JOIN d_orders USING uid GROUP BY name ORDER BY total DESC, name;
SELECT name, oid FROM d_users AS u INNER JOIN d_orders AS o ON u.uid = o.uid ORDER BY oid;
SELECT name, oid FROM d_users AS u LEFT JOIN d_orders AS o ON u.uid = o.uid ORDER BY name, oid;
SELECT u.name, o.amount FROM d_users AS u INNER JOIN d_orders AS o ON o.uid = u.uid WHERE o.amount > 70 ORDER BY o.amount;
SELECT count() FROM d_users CROSS JOIN d_orders;
SELECT name, x FROM d_users CROSS JOIN (SELECT arrayJoin([1, 2]) AS x) ORDER BY name, x;
SELECT a, b FROM (SELECT number AS a FROM numbers(3)) CROSS JOIN (SELECT number AS b FROM numbers(2)) ORDER BY a, b;
SELECT k, l, r FROM (SELECT number AS k, number * 10 AS l FROM numbers(5)) ALL INNER JOIN (SELECT number + 2 AS k, number * 100 AS r FROM numbers(5)) USING k ORDER BY k;
SELECT k, l, r FROM (SELECT number AS k, number * 10 AS l FROM numbers(5)) ALL LEFT JOIN (SELECT number + 2 AS k, number * 100 AS r FROM numbers(5)) USING k ORDER BY k;
SELECT k, l, r FROM (SELECT number AS k, number * 10 AS l FROM numbers(3)) ANY LEFT JOIN (SELECT toUInt64(1) AS k, 'one' AS r UNION ALL SELECT toUInt64(2) AS k, 'two' AS r) USING k ORDER BY k;
SELECT k, s FROM (SELECT toString(number) AS k FROM numbers(4)) ALL INNER JOIN (SELECT toString(number * 2) AS k, 'even' AS s FROM numbers(4)) USING k ORDER BY k;
SELECT a, b, v FROM (SELECT 1 AS a, 2 AS b) ALL INNER JOIN (SELECT 1 AS a, 2 AS b, 'hit' AS v UNION ALL SELECT 1, 3, 'miss') USING (a, b);
SELECT name, amount FROM d_users ALL LEFT JOIN (SELECT uid, amount FROM d_orders WHERE amount > 100) USING uid ORDER BY name;
SELECT uid FROM d_users WHERE uid IN (SELECT uid FROM d_orders) ORDER BY uid;
SELECT name, oid FROM d_users AS u INNER JOIN d_orders AS o ON u.uid = o.uid AND o.amount < 100 ORDER BY oid;
-- expected (ClickHouse 18.16 lacks non-equality conditions in JOIN ON):
-- bob	12
-- cid	14
-- cid	15
SELECT u.name, o.oid, p.x FROM d_users AS u JOIN d_orders AS o ON u.uid = o.uid JOIN (SELECT 10 AS oid, 'p' AS x) AS p ON o.oid = p.oid;
-- expected (ClickHouse 18.16 lacks joins of more than two tables):
-- ann	10	p
SELECT name, oid FROM d_users, d_orders WHERE d_users.uid = d_orders.uid ORDER BY oid;
-- expected (ClickHouse 18.16 lacks comma joins):
-- ann	10
-- ann	11
-- bob	12
-- cid	14
-- cid	15
SELECT uid, name FROM d_users LEFT SEMI JOIN d_orders USING uid ORDER BY uid;
-- expected (ClickHouse 18.16 lacks SEMI JOIN):
-- 1	ann
-- 2	bob
-- 3	cid
SELECT uid, name FROM d_users LEFT ANTI JOIN d_orders USING uid ORDER BY uid;
-- expected (ClickHouse 18.16 lacks ANTI JOIN):
-- 4	dan
SELECT name, oid FROM d_users AS u LEFT JOIN d_orders AS o ON u.uid = o.uid ORDER BY name, oid SETTINGS join_use_nulls = 1;
