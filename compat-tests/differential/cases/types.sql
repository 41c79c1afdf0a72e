-- Data types and their text (TabSeparated) representation, limits, and toTypeName.

DROP TABLE IF EXISTS d_types;
CREATE TABLE d_types (i8 Int8, u8 UInt8, i16 Int16, u16 UInt16, i32 Int32, u32 UInt32, i64 Int64, u64 UInt64, f32 Float32, f64 Float64, s String, fs FixedString(3), d Date, dt DateTime('UTC'), e Enum8('x' = 1, 'y' = 2), n Nullable(UInt8), a Array(Int32), t Tuple(UInt8, String), u UUID) ENGINE = Memory;
INSERT INTO d_types VALUES (-128, 255, -32768, 65535, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, 1.5, -0.125, 'tab\there', 'ab', '2021-02-03', '2021-02-03 04:05:06', 'y', NULL, [1, -2], (7, 'q'), '123e4567-e89b-12d3-a456-426614174000');
INSERT INTO d_types VALUES (127, 0, 32767, 0, 2147483647, 0, 9223372036854775807, 0, -3.25, 1e100, '', 'xyz', '2105-12-31', '1970-01-02 00:00:00', 'x', 42, [], (0, ''), '00000000-0000-0000-0000-000000000000');

SELECT * FROM d_types ORDER BY i8;
SELECT i8, u8, i16, u16, i32, u32, i64, u64 FROM d_types ORDER BY i8;
SELECT f32, f64, s, fs, d, dt, e, n, a, t, u FROM d_types ORDER BY i8;
SELECT toTypeName(i8), toTypeName(u64), toTypeName(f32), toTypeName(fs), toTypeName(dt), toTypeName(e), toTypeName(n), toTypeName(a), toTypeName(t), toTypeName(u) FROM d_types LIMIT 1;
SELECT e, toString(e), CAST(e AS Int8), e = 'y' FROM d_types ORDER BY i8;
SELECT length(fs), hex(fs), fs = toFixedString('ab', 3) FROM d_types ORDER BY i8;
SELECT toInt8(-128), toUInt64(18446744073709551615), toInt64(-9223372036854775808), toInt16(-32768), toUInt32(4294967295);
SELECT toFloat32(3.4028235e38), toFloat64(1.7976931348623157e308), toFloat64(2.2250738585072014e-308), toFloat32(16777217), toFloat32(0.5) + toFloat32(0.25);
SELECT toFloat32(0.1), toFloat32(1) / 3, toFloat64(0.1), 1e15, 1e16, 123456789.123456789, 1e-5, 0.0001;
SELECT -0., toFloat32(-0.), inf, -inf, nan, toFloat32(nan);
SELECT 'émoji 😀', 'multi\nline', 'back\\slash', 'ctrl\x01char', 'quote\'"';
SELECT toDate('1970-01-02'), toDate('2105-12-31'), toDateTime('1970-01-01 00:00:01', 'UTC'), toDateTime('2105-12-31 23:59:59', 'UTC');
SELECT CAST('x' AS Enum16('x' = -1000, 'y' = 1000)), toTypeName(CAST('x' AS Enum16('x' = -1000, 'y' = 1000)));
SELECT CAST(1 AS Enum8('a' = 1, 'b' = 2)) < CAST(2 AS Enum8('a' = 1, 'b' = 2));
SELECT CAST([NULL, 1] AS Array(Nullable(UInt8))), CAST((NULL, 'a') AS Tuple(Nullable(UInt8), String)), [[NULL]], [(1, NULL)];
SELECT toTypeName([(1, 'a')]), toTypeName(emptyArrayString()), toTypeName((1, [2], ('a', 3.5)));
SELECT toUUID('123e4567-e89b-12d3-a456-426614174000') = toUUID('123E4567-E89B-12D3-A456-426614174000'), toTypeName(toUUID('123e4567-e89b-12d3-a456-426614174000'));
SELECT toLowCardinality('abc'), toTypeName(toLowCardinality('abc')), toTypeName(toLowCardinality(toNullable('x')));
SELECT lc, count() FROM (SELECT toLowCardinality(toString(number % 3)) AS lc FROM numbers(9)) GROUP BY lc ORDER BY lc;
SELECT materialize(toLowCardinality('a')) = 'a', materialize(toLowCardinality('b')) = 'a';
-- expected (ClickHouse 18.16 miscompares a materialized LowCardinality column with a constant):
-- 1	0
SELECT toDecimal32('-1.25', 2), toDecimal64('12345678.9', 1), toDecimal128('-0.001', 3), toTypeName(toDecimal32(1, 2)), toTypeName(toDecimal128(1, 10));
SELECT toDecimal32(1, 2), toDecimal64('100', 4), toDecimal32('0.10', 2), CAST('12.50' AS Decimal(6, 2));
-- expected (ClickHouse 18.16 prints Decimal trailing zeros; later releases do not by default):
-- 1	100	0.1	12.5
SELECT CAST(1.5 AS Decimal(9, 1)), CAST(-7 AS Decimal(18, 0)), toTypeName(CAST(1 AS Decimal(40, 5)));
-- expected (ClickHouse 18.16 lacks Decimal256):
-- 1.5	-7	Decimal(40, 5)
SELECT toInt128('-170141183460469231731687303715884105728'), toUInt128('340282366920938463463374607431768211455'), toInt256(-1), toUInt256(2) * 3;
-- expected (ClickHouse 18.16 lacks 128/256-bit integers):
-- -170141183460469231731687303715884105728	340282366920938463463374607431768211455	-1	6
SELECT toTypeName(toInt128(1)), toTypeName(toUInt128(1)), toTypeName(toInt256(1)), toTypeName(toUInt256(1));
-- expected (ClickHouse 18.16 lacks 128/256-bit integers):
-- Int128	UInt128	Int256	UInt256
SELECT true, false, CAST(1 AS Bool), CAST('false' AS Bool), true AND false, toTypeName(true);
-- expected (ClickHouse 18.16 lacks Bool):
-- true	false	true	false	0	Bool
SELECT toDate32('1950-06-15'), toDate32('2250-01-01') > toDate32('2200-01-01'), toTypeName(toDate32('2000-01-01'));
-- expected (ClickHouse 18.16 lacks Date32):
-- 1950-06-15	1	Date32
SELECT toDateTime64('2021-02-03 04:05:06.789', 3, 'UTC'), toDateTime64('2021-02-03 04:05:06', 0, 'UTC'), toDateTime64('2021-02-03 04:05:06.123456789', 9, 'UTC');
-- expected (ClickHouse 18.16 lacks DateTime64):
-- 2021-02-03 04:05:06.789	2021-02-03 04:05:06	2021-02-03 04:05:06.123456789
SELECT toDateTime64('2021-02-03 04:05:06.5', 1, 'UTC') + INTERVAL 1 SECOND, toTypeName(toDateTime64('2021-02-03 04:05:06', 6, 'Europe/Berlin'));
-- expected (ClickHouse 18.16 lacks DateTime64):
-- 2021-02-03 04:05:07.5	DateTime64(6, 'Europe/Berlin')
SELECT toIPv4('10.1.2.3'), toIPv6('::ffff:10.1.2.3'), toTypeName(toIPv4('1.1.1.1')), CAST('2001:db8::1' AS IPv6);
-- expected (ClickHouse 18.16 lacks IPv4/IPv6 types):
-- 10.1.2.3	::ffff:10.1.2.3	IPv4	2001:db8::1
SELECT map('k', [1, 2]), CAST(map(1, 'a') AS Map(UInt64, String)), toTypeName(map('a', (1, 'b')));
-- expected (ClickHouse 18.16 lacks Map):
-- {'k':[1,2]}	{1:'a'}	Map(String, Tuple(UInt8, String))
SELECT CAST(NULL AS Nullable(Date)), CAST('2021-01-01' AS Nullable(DateTime('UTC'))), toTypeName(CAST(NULL AS Nullable(Enum8('a' = 1))));
SELECT CAST(('a', 1) AS Tuple(s String, n UInt8)) AS t, toTypeName(t);
SELECT toNullable(toLowCardinality('z')), toTypeName(CAST('a' AS LowCardinality(Nullable(String))));
-- expected (ClickHouse 18.16 returns no row for toNullable of a LowCardinality constant):
-- z	LowCardinality(Nullable(String))
SELECT CAST(300 AS Nullable(UInt8)), CAST(-1 AS Nullable(UInt64));
