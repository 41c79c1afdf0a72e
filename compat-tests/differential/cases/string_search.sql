-- Searching and replacing in strings: position, LIKE, match, extract, replace*.

SELECT position('Hello, world', 'o'), position('Hello, world', 'xyz'), position('abc', '');
SELECT positionCaseInsensitive('Hello', 'LL'), positionUTF8('привет', 'в'), position('привет', 'в');
SELECT 'abc' LIKE 'a%', 'abc' LIKE '_b_', 'abc' LIKE 'b%', 'abc' NOT LIKE '%d', 'a%c' LIKE 'a\\%c', 'abc' LIKE 'a\\%c';
SELECT like('Hello', '%ll%'), notLike('Hello', 'H%'), 'HELLO' LIKE 'hello';
SELECT 'Hello' ILIKE 'hello', 'Hello' NOT ILIKE 'h%';
-- expected (ClickHouse 18.16 lacks ILIKE):
-- 1	0
SELECT number, toString(number) LIKE '1%' FROM numbers(12) WHERE toString(number) LIKE '1%';
SELECT match('abc123', '[0-9]+'), match('abc', '^b'), match('abc', 'B'), match('', '^$');
SELECT extract('key=value; other=x', 'key=([a-z]+)'), extract('abc', '[0-9]+'), extract('a1b2', '[0-9]');
SELECT extractAll('x=1, y=22, z=333', '[0-9]+'), extractAll('none', '[0-9]');
SELECT replaceOne('aaa', 'a', 'b'), replaceAll('aaa', 'a', 'b'), replace('abab', 'b', 'X'), replaceOne('abc', 'z', 'y');
SELECT replaceRegexpOne('2020-01-15', '(\\d+)-(\\d+)-(\\d+)', '\\3/\\2/\\1'), replaceRegexpAll('a1b2c3', '[0-9]', '#');
SELECT replaceRegexpAll('Hello World', '(\\w+)', '<\\1>'), replaceRegexpOne('abc', 'x', 'y');
SELECT replaceRegexpAll('a.b.c', '\\.', ''), replaceRegexpOne('aaa', 'a+', 'x');
SELECT replaceRegexpAll('aaa', '^a', 'b');
SELECT countSubstrings('aaaa', 'aa'), countSubstrings('abcabc', 'bc');
-- expected (ClickHouse 18.16 lacks countSubstrings):
-- 2	2
SELECT multiSearchAny('hello world', ['xyz', 'wor']), multiSearchFirstIndex('hello', ['z', 'l', 'h']), multiSearchAllPositions('hello', ['l', 'o', 'z']);
-- expected (ClickHouse 18.16 lacks multiSearch functions):
-- 1	2	[3,5,0]
SELECT multiMatchAny('abc', ['^x', 'b']);
-- expected (ClickHouse 18.16 lacks multiMatchAny):
-- 1
SELECT regexpExtract('abc123def', '([a-z]+)([0-9]+)', 2);
-- expected (ClickHouse 18.16 lacks regexpExtract):
-- 123
SELECT extractAllGroupsHorizontal('a=1,b=2', '(\\w)=(\\d)');
-- expected (ClickHouse 18.16 lacks extractAllGroupsHorizontal):
-- [['a','b'],['1','2']]
SELECT number FROM numbers(30) WHERE match(toString(number), '^2[0-9]$');
SELECT position('abcabc', 'c', 4);
-- expected (ClickHouse 18.16 lacks the start position argument of position):
-- 6
SELECT ngramDistance('hello', 'hello'), ngramDistance('abc', 'xyz');
-- expected (ClickHouse 18.16 lacks ngramDistance):
-- 0	1
SELECT domain('https://clickhouse.com/docs/x?y=1'), domainWithoutWWW('http://www.example.org/'), protocol('ftp://a.b/c'), path('https://a.b/c/d?x=1'), queryString('https://a.b/c?x=1&y=2');
SELECT topLevelDomain('https://a.b.example.co.uk/x'), firstSignificantSubdomain('https://news.example.com/'), extractURLParameter('http://a/?x=1&y=2', 'y'), extractURLParameters('http://a/?x=1&y=2');
SELECT cutQueryString('http://a.b/c?x=1'), cutFragment('http://a.b/c#frag'), fragment('http://a.b/c#frag'), cutWWW('http://www.a.b/');
SELECT URLHierarchy('https://a.b/c/d'), URLPathHierarchy('https://a.b/c/d');
