-- if / multiIf / CASE / ternary operator and their result types.

SELECT if(1, 'yes', 'no'), if(0, 'yes', 'no'), if(number % 2 = 0, 'even', 'odd') FROM numbers(3);
SELECT 1 ? 'a' : 'b', 0 ? 1 : 2;
SELECT toTypeName(if(number = 0, toUInt8(1), toInt8(-1))), if(number = 0, toUInt8(1), toInt8(-1)) FROM numbers(2);
SELECT toTypeName(if(number = 0, 1, 2.5)), if(number = 0, 1, 2.5) FROM numbers(2);
SELECT toTypeName(if(number = 0, toUInt32(1), toUInt64(2))), toTypeName(if(number = 0, toInt32(1), toUInt16(2))) FROM numbers(1);
SELECT toTypeName(if(number = 0, 'a', toFixedString('b', 1))), toTypeName(if(number = 0, toDate('2020-01-01'), toDate('2020-01-02'))) FROM numbers(1);
SELECT multiIf(number < 2, 'small', number < 5, 'medium', 'large') FROM numbers(7);
SELECT multiIf(0, 1, 0, 2, 3), multiIf(1, 'a', 'b');
SELECT CASE WHEN number = 0 THEN 'zero' WHEN number = 1 THEN 'one' ELSE 'many' END FROM numbers(4);
SELECT CASE number WHEN 0 THEN 'zero' WHEN 2 THEN 'two' ELSE 'other' END FROM numbers(4);
SELECT CASE WHEN 1 = 0 THEN 'never' END;
SELECT toTypeName(CASE WHEN 1 = 0 THEN 'never' END);
SELECT number, if(number > 5, number * 10, number) AS v FROM numbers(8) ORDER BY v DESC LIMIT 3;
SELECT sum(if(number % 2 = 0, number, 0)), sum(if(number % 2 = 1, 1, 0)) FROM numbers(10);
SELECT if(1, [1, 2], [3]), if(0, (1, 'a'), (2, 'b'));
SELECT if(1, NULL, 2), if(number = 0, NULL, number) FROM numbers(2);
SELECT toTypeName(if(number = 0, NULL, number)), toTypeName(if(number = 0, 'x', NULL)) FROM numbers(1);
SELECT if(NULL, 1, 2);
-- expected (ClickHouse 18.16 returns NULL for a NULL condition; later releases treat it as false):
-- 2
SELECT transform(number, [0, 1, 2], ['zero', 'one', 'two'], 'other') FROM numbers(4);
SELECT transform(number, [1, 3], [100, 300]) FROM numbers(4);
SELECT if(number = 1, toDate('2020-01-01'), toDate('2021-06-15')) FROM numbers(2);
