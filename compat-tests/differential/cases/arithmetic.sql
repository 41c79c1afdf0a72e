-- Arithmetic operators and functions on integers and floats: result values and result types.

SELECT 1 + 2, 10 - 3, 6 * 7, 7 / 2;
SELECT toTypeName(1 + 2), toTypeName(1 - 2), toTypeName(2 * 3), toTypeName(7 / 2);
SELECT toTypeName(toUInt8(1) + toUInt8(1)), toTypeName(toUInt16(1) + toUInt8(1)), toTypeName(toUInt32(1) + toUInt8(1)), toTypeName(toUInt64(1) + toUInt8(1));
SELECT toTypeName(toInt8(1) + toUInt8(1)), toTypeName(toInt32(1) + toUInt32(1)), toTypeName(toInt64(1) * toInt8(1));
SELECT toTypeName(toFloat32(1) + toFloat32(1)), toTypeName(toFloat32(1) + 1), toTypeName(toFloat64(1) + toInt64(1));
SELECT 255 + 1, toUInt8(255) + toUInt8(1), toInt8(127) + toInt8(1);
SELECT toUInt8(200) * toUInt8(2), toTypeName(toUInt8(200) * toUInt8(2));
SELECT toUInt64(18446744073709551615) + 1;
SELECT toInt64(-9223372036854775808) - 1;
SELECT 0 - 1, toTypeName(0 - 1), toUInt8(0) - toUInt8(1);
SELECT 1 / 0, -1 / 0, 0 / 0;
SELECT 10 / 4, 1 / 3, 2 / 3, 1e300 * 1e10;
SELECT intDiv(7, 2), intDiv(100, 7), toTypeName(intDiv(7, 2));
SELECT intDiv(1, 0); -- { serverError 153 }
SELECT intDivOrZero(1, 0), intDivOrZero(9, 3);
SELECT 7 % 3, -7 % 3, 7 % -3, toTypeName(7 % 3);
SELECT modulo(17, 5), modulo(-17, 5);
SELECT 5.5 % 2, toTypeName(5.5 % 2), -7.5 % 2;
-- expected (ClickHouse 18.16 truncates float operands of modulo; later releases use fmod with a Float64 result):
-- 1.5	Float64	-1.5
SELECT 1 % 0; -- { serverError 153 }
SELECT -(5), negate(3), toTypeName(negate(toUInt8(3)));
SELECT abs(-5), abs(5), abs(-2.5), toTypeName(abs(toInt8(-5)));
SELECT plus(2, 3), minus(10, 4), multiply(3, 4), divide(9, 3);
SELECT gcd(12, 18), lcm(4, 6), gcd(17, 5);
SELECT 0.1 + 0.2, 0.1 * 3, 1 - 0.9;
SELECT 1e15 + 0.5, 123456789012345678, 1.5e-7, 12345.678e2;
SELECT toFloat32(1) / 3, toFloat32(0.1) + toFloat32(0.2);
SELECT -0.0, 0.0 * -1, 1 / -0.0;
SELECT number * number - 3 * number + 2 AS y FROM numbers(6);
SELECT sum(number * 2 + 1) FROM numbers(100);
SELECT bitAnd(12, 10), bitOr(12, 10), bitXor(12, 10), bitNot(toUInt8(0)), bitNot(toInt8(5));
SELECT bitShiftLeft(1, 10), bitShiftRight(1024, 3), bitShiftLeft(toUInt8(1), 7);
SELECT bitTest(5, 0), bitTest(5, 1), bitTest(5, 2);
SELECT intExp2(10), intExp10(3), exp2(3), exp10(2);
SELECT greatest(1, 5), least(1, 5), greatest(2.5, 1), least(-1, 2);
SELECT greatest(1, 5, 3), least(4, 2, 8);
-- expected (ClickHouse 18.16 lacks variadic greatest/least):
-- 5	2
SELECT 2 + 3 * 4 - 10 / 5, (2 + 3) * 4, 2 * -3, - - 4;
