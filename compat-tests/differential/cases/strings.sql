-- String functions: length, case, concatenation, substrings, padding, splitting, escaping in TSV.

SELECT length('hello'), length(''), length('héllo'), lengthUTF8('héllo'), char_length('abc');
SELECT empty(''), empty('a'), notEmpty(''), notEmpty('a');
SELECT lower('Hello World'), upper('Hello World'), lcase('ABC'), ucase('abc');
SELECT lowerUTF8('ÄÖÜ Straße'), upperUTF8('äöü straße');
SELECT reverse('abcdef'), reverseUTF8('привет'), reverse('');
SELECT concat('a', 'b', 'c'), concat('x', toString(1), 'y'), 'foo' || 'bar', concat('', '');
SELECT substring('Hello, world', 1, 5), substring('Hello, world', 8), substr('abcdef', 2, 3), mid('abcdef', 3, 2);
SELECT substring('abcdef', -3), substring('abcdef', -3, 2), substring('abc', 10), substring('abc', 0, 2);
SELECT substringUTF8('привет мир', 1, 6), substringUTF8('привет мир', 8, 3);
SELECT substringUTF8('привет мир', 8);
-- expected (ClickHouse 18.16 requires the length argument of substringUTF8):
-- мир
SELECT appendTrailingCharIfAbsent('abc', '/'), appendTrailingCharIfAbsent('abc/', '/');
SELECT startsWith('clickhouse', 'click'), startsWith('clickhouse', 'house'), endsWith('clickhouse', 'house'), endsWith('', 'x');
SELECT splitByChar(',', 'a,b,,c'), splitByString('::', 'x::y::z'), splitByChar(',', '');
SELECT splitByString('', 'abc');
-- expected (ClickHouse 18.16 rejects an empty separator):
-- ['a','b','c']
SELECT arrayStringConcat(['a', 'b', 'c']), arrayStringConcat(['a', 'b', 'c'], '-'), arrayStringConcat(emptyArrayString(), ',');
SELECT alphaTokens('abc1def 23ghi'), extractAll('a1b22c333', '[0-9]+');
SELECT toString(number) AS s, length(s), concat(s, '!') FROM numbers(3);
SELECT 'tab\there', 'new\nline', 'back\\slash', 'quote\'s', 'dq"x';
SELECT 'nul\0byte', length('nul\0byte'), '\x41\x42';
SELECT hex('abc'), hex(''), unhex('616263'), hex(255), hex(toUInt16(256)), hex(unhex('00FF'));
SELECT bin(5);
-- expected (ClickHouse 18.16 lacks bin):
-- 00000101
SELECT repeat('x', 0), repeat('ab', 3);
-- expected (ClickHouse 18.16 lacks repeat):
-- 	ababab
SELECT leftPad('abc', 6, '*'), rightPad('abc', 6, '*'), leftPad('abcdef', 3), lpad('7', 3, '0');
-- expected (ClickHouse 18.16 lacks leftPad/rightPad):
-- ***abc	abc***	abc	007
SELECT trim('  a b  '), ltrim('  x '), rtrim(' x  '), trimBoth(' y ');
-- expected (ClickHouse 18.16 lacks trim functions):
-- a b	x 	 x	y
SELECT trim(BOTH 'x' FROM 'xxaxx'), trim(LEADING 'x' FROM 'xxaxx'), trim(TRAILING 'x' FROM 'xxaxx');
-- expected (ClickHouse 18.16 lacks trim functions):
-- a	axx	xxa
SELECT format('{} is {}', 'x', 'y'), format('{1}{0}', 'a', 'b');
-- expected (ClickHouse 18.16 lacks format):
-- x is y	ba
SELECT base64Encode(''), base64Encode('Hello'), base64Decode('SGVsbG8=');
-- expected (ClickHouse 18.16 lacks base64Encode/base64Decode):
-- 	SGVsbG8=	Hello
SELECT left('abcdef', 2), right('abcdef', 2);
-- expected (ClickHouse 18.16 lacks left/right):
-- ab	ef
SELECT concatWithSeparator('-', 'a', 'b', 'c');
-- expected (ClickHouse 18.16 lacks concatWithSeparator):
-- a-b-c
SELECT initcap('hello world');
-- expected (ClickHouse 18.16 lacks initcap):
-- Hello World
SELECT toValidUTF8('a\xFFb'), isValidUTF8('abc'), isValidUTF8('\xFF');
-- expected (ClickHouse 18.16 lacks toValidUTF8/isValidUTF8):
-- a�b	1	0
SELECT splitByRegexp('[0-9]+', 'a1b22c'), splitByWhitespace('  a b  c ');
-- expected (ClickHouse 18.16 lacks splitByRegexp/splitByWhitespace):
-- ['a','b','c']	['a','b','c']
SELECT convertCharset('abc', 'UTF-8', 'UTF-16LE') = 'a\0b\0c\0';
SELECT lower(toFixedString('AbC', 3)), length(toFixedString('ab', 5));
SELECT toFixedString('ab', 4) = 'ab\0\0', toStringCutToZero('ab\0cd');
SELECT 'a' < 'b', 'abc' = 'abc', 'abc' != 'abd', max('z'), min('a');
SELECT number, toString(number * 1000000) AS s, length(s) FROM numbers(3);
SELECT arrayStringConcat(arrayMap(x -> toString(x), range(5)), ',');
SELECT visibleWidth('abc'), visibleWidth('привет');
