-- Mathematical functions and rounding (values chosen so results are exact or rounded).

SELECT pi() > 3.14159 AND pi() < 3.1416, e() > 2.71828 AND e() < 2.71829, round(pi(), 5), round(e(), 5);
SELECT sqrt(16), sqrt(2) * sqrt(2) > 1.9999, round(cbrt(27), 6), pow(2, 10), power(2, 0.5) = sqrt(2), pow(4, -1);
SELECT exp(0), exp2(8), exp10(3), log(1), log2(1024), log10(1000), ln(1);
SELECT round(exp(1), 6), round(log(10), 6), round(log2(3), 6), round(log10(2), 6);
SELECT sin(0), cos(0), tan(0), asin(1) * 2 = pi(), acos(1), atan(0), round(sin(pi() / 6), 6), round(cos(pi() / 3), 6);
SELECT round(erf(0.5), 6), round(erfc(0.5), 6), round(lgamma(5), 6), round(tgamma(5), 6);
SELECT sqrt(-1), log(0), log(-1), exp(1000), 1 / sqrt(0);
SELECT floor(2.7), floor(-2.7), ceil(2.2), ceil(-2.2), ceiling(1.5), trunc(2.7), trunc(-2.7), truncate(1.99);
SELECT round(2.4), round(-2.6), round(2.567, 2), round(1234.5, -2), round(15, -1), round(-15, -1);
SELECT round(2.5), round(3.5), round(-2.5), round(0.5);
-- expected (ClickHouse 18.16 rounds float halves away from zero; later releases round them to even):
-- 2	4	-2	0
SELECT floor(123.456, 1), ceil(123.456, 1), floor(123.456, -1), ceil(-0.5), floor(-0.5);
SELECT round(toFloat32(2.567), 1), toTypeName(round(toFloat32(2.5))), toTypeName(floor(1)), floor(17, -1), ceil(17, -1);
SELECT roundToExp2(0), roundToExp2(1), roundToExp2(10), roundToExp2(1000), roundToExp2(1.5);
SELECT roundDuration(0), roundDuration(9), roundDuration(100), roundDuration(5000), roundAge(17), roundAge(30), roundAge(70);
SELECT roundDown(7, [1, 5, 10]), roundDown(12, [1, 5, 10]), roundDown(0, [1, 5, 10]);
-- expected (ClickHouse 18.16 lacks roundDown):
-- 5	10	1
SELECT abs(-3), sign(-3), sign(0), sign(2.5);
-- expected (ClickHouse 18.16 lacks sign):
-- 3	-1	0	1
SELECT roundBankers(2.5), roundBankers(3.5), roundBankers(-2.5), roundBankers(2.675, 2);
-- expected (ClickHouse 18.16 lacks roundBankers):
-- 2	4	-2	2.67
SELECT sum(number), avg(number), sum(number * number) FROM numbers(101);
SELECT number, sqrt(number) = floor(sqrt(number)) AS perfect FROM numbers(10) WHERE perfect;
SELECT intExp2(0), intExp2(63), intExp10(18), toTypeName(intExp2(1));
SELECT hypot(3, 4), atan2(1, 1) * 4 = pi(), degrees(pi()), radians(180) = pi();
-- expected (ClickHouse 18.16 lacks hypot/atan2/degrees/radians):
-- 5	1	180	1
SELECT factorial(5), factorial(0), width_bucket(5.5, 0, 10, 5);
-- expected (ClickHouse 18.16 lacks factorial/width_bucket):
-- 120	1	3
SELECT positiveModulo(-7, 3), pmod(-7, 3), moduloOrZero(5, 0);
-- expected (ClickHouse 18.16 lacks positiveModulo/moduloOrZero):
-- 2	2	0
