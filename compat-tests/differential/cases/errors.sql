-- Error cases: the error code must match (the message text is not compared).

SELECT nonexistent_function(1); -- { serverError 46 }
SELECT unknown_column FROM numbers(1); -- { serverError 47 }
SELECT * FROM nonexistent_table_xyz; -- { serverError 60 }
SELECT * FROM nonexistent_db_xyz.t; -- { serverError 81 }
SELECT 1 +; -- { serverError 62 }
SELECT FROM WHERE; -- { serverError 62 }
SELECT plus(1); -- { serverError 42 }
SELECT plus(1, 2, 3); -- { serverError 42 }
SELECT 'a' + 1; -- { serverError 43 }
SELECT length(1); -- { serverError 43 }
SELECT sum('a'); -- { serverError 43 }
SELECT intDiv(10, 0); -- { serverError 153 }
SELECT toUInt8('x1'); -- { serverError 6 }
SELECT CAST('abc' AS UInt32); -- { serverError 6 }
SELECT number FROM numbers(3) GROUP BY number % 2; -- { serverError 215 }
SELECT sum(number) FROM numbers(3) WHERE sum(number) > 1; -- { serverError 184 }
SELECT sum(sum(number)) FROM numbers(3); -- { serverError 184 }
SELECT arrayElement([1, 2], 'a'); -- { serverError 43 }
SELECT [1, 2][1.5]; -- { serverError 43 }
SELECT tupleElement((1, 2), 3); -- { serverError 127 }
SELECT number AS a, number + 1 AS a FROM numbers(1); -- { serverError 179 }
SELECT throwIf(1); -- { serverError 395 }
SELECT throwIf(number = 2) FROM numbers(5); -- { serverError 395 }
SELECT 1 FROM numbers(1) ARRAY JOIN 5 AS x; -- { serverError 53 }
SELECT * FROM numbers(3) LIMIT 'a'; -- { serverError 440 }
-- expected (ClickHouse 18.16 reports a syntax error): serverError 440
SELECT number FROM numbers(10) FORMAT NoSuchFormat; -- { serverError 73 }
SELECT x FROM (SELECT 1 AS y); -- { serverError 47 }
SELECT 1 UNION ALL SELECT 'a', 2; -- { serverError 258 }
CREATE TABLE d_err_t (x UInt8) ENGINE = NoSuchEngine; -- { serverError 56 }
SELECT toFixedString('abcdef', 2); -- { serverError 131 }
SELECT range(100000000000); -- { serverError 69 }
SELECT arrayMap(x -> x, 1); -- { serverError 43 }
SELECT if(number = 0, 'a', 2) FROM numbers(1); -- { serverError 386 }
SELECT [1, 'a']; -- { serverError 386 }
SELECT CAST(1 AS NoSuchType); -- { serverError 50 }
SELECT quantile(2)(number) FROM numbers(10); -- { serverError 12 }
SELECT number FROM numbers(3) WHERE 'abc'; -- { serverError 59 }
SELECT toDateTime('2021-01-01 00:00:00', 'No/Such_Zone'); -- { serverError 1000 }
SELECT sleep(5); -- { serverError 160 }
