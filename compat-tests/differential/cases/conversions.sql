-- Type conversion functions and CAST.

SELECT toInt8(127), toInt8(128), toInt8(-129), toUInt8(256), toUInt8(-1), toInt16(40000);
SELECT toInt32(2.7), toInt32(-2.7), toUInt32(3.99), toInt64(1e18), toUInt64(1e19);
SELECT toInt32('123'), toInt32('-45'), toUInt64('18446744073709551615'), toInt64('-9223372036854775808');
SELECT toFloat64('1.5'), toFloat64('1e3'), toFloat32('0.1'), toFloat64('-0'), toFloat64('inf'), toFloat64('nan');
SELECT toString(123), toString(-1.5), toString(1e21), toString(0.000001), toString(1e-7), toString(toFloat32(3.14));
SELECT toString(toDate('2021-01-02')), toString(toDateTime('2021-01-02 03:04:05', 'UTC')), toString([1, 2]), toString((1, 'a'));
SELECT toInt32('abc'); -- { serverError 6 }
SELECT toInt32OrZero('abc'), toInt32OrZero('12'), toInt32OrNull('abc'), toInt32OrNull('12'), toFloat64OrZero('x'), toFloat64OrNull('2.5');
SELECT toUInt8OrZero('12'), toDateOrNull('2021-02-03'), toDateTimeOrNull('nope');
SELECT CAST(1.9 AS Int32), CAST('42' AS UInt8), CAST(65 AS String), CAST('2021-01-01' AS Date), CAST(1 AS Float32);
SELECT CAST(-1 AS UInt8), CAST(300 AS UInt8), CAST(3.5 AS UInt16);
SELECT CAST('1' AS Nullable(Int32)), CAST(NULL AS Nullable(String)), toTypeName(CAST('1' AS Nullable(Int32)));
SELECT CAST([1, 2, 3] AS Array(String)), CAST(['1', '2'] AS Array(UInt8)), CAST((1, '2') AS Tuple(String, UInt8));
SELECT CAST(x AS Enum8('a' = 1, 'b' = 2)) FROM (SELECT arrayJoin(['a', 'b']) AS x);
SELECT CAST('c' AS Enum8('a' = 1, 'b' = 2)); -- { serverError 36 }
-- expected (ClickHouse 18.16 reports an unknown Enum element as LOGICAL_ERROR): serverError 36
SELECT 1::String, '5'::UInt8 + 1, '2021-01-01'::Date;
-- expected (ClickHouse 18.16 lacks the :: cast operator):
-- 1	6	2021-01-01
SELECT toFixedString('abc', 3), toFixedString('ab', 3) = 'ab\0', toTypeName(toFixedString('x', 8));
SELECT toFixedString('abcd', 3); -- { serverError 131 }
SELECT toDate(toDateTime('2021-06-30 23:59:59', 'UTC')), toDateTime(toDate('2021-06-30'), 'UTC'), toDate('2021-06-30') = toDate(toDateTime('2021-06-30 10:00:00', 'UTC'));
SELECT toUInt32(toDateTime('2021-01-01 00:00:00', 'UTC')), toUInt16(toDate('2021-01-01')), toDateTime(toUInt32(1609459200), 'UTC');
SELECT toUUID('61f0c404-5cb3-11e7-907b-a6006ad3dba0'), toString(toUUID('00000000-0000-0000-0000-000000000000'));
SELECT reinterpretAsUInt32('abcd'), reinterpretAsString(toUInt32(1684234849)), reinterpretAsUInt8('A');
SELECT hex(reinterpretAsString(toUInt16(258))), reinterpretAsInt64(reinterpretAsString(toInt64(-5)));
SELECT toTypeName(toInt8(1)), toTypeName(toUInt16(1)), toTypeName(toInt64(1)), toTypeName(toFloat32(1)), toTypeName(toString(1));
SELECT accurateCast(300, 'UInt8'); -- { serverError 70 }
-- expected (ClickHouse 18.16 lacks accurateCast): serverError 70
SELECT accurateCastOrNull(300, 'UInt8'), accurateCastOrNull(200, 'UInt8'), accurateCastOrNull(-1, 'UInt32');
-- expected (ClickHouse 18.16 lacks accurateCastOrNull):
-- \N	200	\N
SELECT toInt128(1) + 1, toUInt256('123456789012345678901234567890'), toTypeName(toInt256(1));
-- expected (ClickHouse 18.16 lacks 128/256-bit integers):
-- 2	123456789012345678901234567890	Int256
SELECT toBool(1), toBool('true'), CAST(0 AS Bool), toTypeName(toBool(1));
-- expected (ClickHouse 18.16 lacks Bool):
-- true	true	false	Bool
SELECT parseDateTimeBestEffortUS('03/04/2021 10:00:00', 'UTC'), toDateTimeOrZero('2021-01-01 00:00:00', 'UTC');
-- expected (ClickHouse 18.16 lacks parseDateTimeBestEffortUS):
-- 2021-03-04 10:00:00	2021-01-01 00:00:00
SELECT toDecimal32('3.14159', 5), toDecimal64(-12.25, 2), toTypeName(toDecimal64(1, 3)), toDecimal128('1234.5678', 4);
SELECT toDecimal32(1.5, 3), toDecimal64('2', 2), CAST(3 AS Decimal(10, 2));
-- expected (ClickHouse 18.16 prints Decimal trailing zeros; later releases do not by default):
-- 1.5	2	3
SELECT toDecimal32('1.25', 2) + toDecimal32('2.5', 1), toDecimal64('10.25', 2) * 2, toDecimal32('7.25', 2) / 2;
-- expected (ClickHouse 18.16 prints Decimal trailing zeros; later releases do not by default):
-- 3.75	20.5	3.62
SELECT toTypeName(toDecimal32('1.25', 2) + toDecimal32('2.5', 1)), toTypeName(toDecimal64('10.25', 2) * 2), toTypeName(toDecimal32(1, 2) * toDecimal32(1, 3));
SELECT toDecimal32('9999.99999', 5) * 10000; -- { serverError 407 }
