-- Comparison operators, logical operators, IN / BETWEEN / LIKE-free predicates.

SELECT 1 = 1, 1 != 2, 1 <> 1, 2 > 1, 2 < 1, 2 >= 2, 3 <= 2;
SELECT toTypeName(1 = 1), equals(1, 1), notEquals(1, 2), less(1, 2), greater(1, 2), lessOrEquals(2, 2), greaterOrEquals(1, 2);
SELECT 1 == 1, 'a' = 'a', 'a' < 'b', 'abc' > 'abd', 'B' < 'a';
SELECT toInt8(-1) < toUInt8(1), toInt64(-1) < toUInt64(1), toUInt64(18446744073709551615) > toInt64(-1);
SELECT 1 = 1.0, 0.1 + 0.2 = 0.3, toFloat32(0.5) = 0.5;
SELECT nan = nan, nan != nan, inf > 1e308, -inf < 0;
SELECT toDate('2020-01-01') < toDate('2020-01-02'), toDate('2020-01-01') = '2020-01-01';
SELECT toDateTime('2020-01-01 00:00:00', 'UTC') = toDateTime('2020-01-01 05:30:00', 'Asia/Kolkata');
SELECT 1 AND 1, 1 AND 0, 0 OR 1, 0 OR 0, NOT 1, NOT 0;
SELECT and(1, 1, 0), or(0, 0, 1), xor(1, 0), xor(1, 1), not(5);
SELECT 2 AND 3, toTypeName(2 AND 3), 0 OR 7;
SELECT number, number > 2 AND number < 6 AS mid FROM numbers(8);
SELECT number FROM numbers(20) WHERE number % 3 = 0 OR number % 5 = 0;
SELECT number FROM numbers(10) WHERE NOT (number BETWEEN 2 AND 7);
SELECT 5 BETWEEN 1 AND 10, 5 BETWEEN 6 AND 10, 'b' BETWEEN 'a' AND 'c';
SELECT 3 IN (1, 2, 3), 4 IN (1, 2, 3), 4 NOT IN (1, 2, 3), 'x' IN ('x', 'y');
SELECT number FROM numbers(10) WHERE number IN (2, 4, 8, 16);
SELECT (1, 2) IN ((1, 2), (3, 4)), (1, 3) IN ((1, 2), (3, 4));
SELECT number FROM numbers(10) WHERE number NOT IN (SELECT number * 2 FROM numbers(5));
SELECT [1, 2] = [1, 2], [1, 2] < [1, 3], [1, 2] < [1, 2, 0], (1, 'a') < (1, 'b');
SELECT (1 < 2) = 1, (2 > 1) > 0, not(1 > 2) = (1 <= 2);
SELECT number FROM numbers(10) WHERE number > 3 AND number < 8 AND number != 5;
SELECT count() FROM numbers(1000) WHERE number % 7 = 0 AND NOT number % 2 = 0;
SELECT isNaN(nan), isNaN(1.0), isFinite(1.0), isFinite(inf), isInfinite(-inf), isInfinite(nan);
