-- JSON functions: the simple visitParam*/simpleJSON* family and the JSONExtract* family.

SELECT visitParamExtractUInt('{"a":123,"b":"x"}', 'a'), visitParamExtractInt('{"a":-5}', 'a'), visitParamExtractFloat('{"a":1.5}', 'a'), visitParamExtractBool('{"a":true}', 'a');
SELECT visitParamExtractString('{"a":"hello","b":2}', 'a'), visitParamExtractString('{"a":"esc\\"aped"}', 'a'), visitParamExtractString('{"a":1}', 'a');
SELECT visitParamHas('{"a":1}', 'a'), visitParamHas('{"a":1}', 'b'), visitParamExtractRaw('{"a":[1,2],"b":{"c":3}}', 'b'), visitParamExtractRaw('{"a":[1,2]}', 'a');
SELECT visitParamExtractUInt('{"a":1}', 'missing'), visitParamExtractString('not json', 'a');
SELECT visitParamExtractUInt(s, 'id') AS id, visitParamExtractString(s, 'name') FROM (SELECT arrayJoin(['{"id":1,"name":"x"}', '{"id":2,"name":"y"}']) AS s) ORDER BY id;
SELECT simpleJSONExtractUInt('{"a":7}', 'a'), simpleJSONHas('{"a":7}', 'a'), simpleJSONExtractString('{"s":"v"}', 's');
-- expected (ClickHouse 18.16 lacks the simpleJSON* names):
-- 7	1	v
SELECT JSONExtractInt('{"a":-100,"b":[1,2]}', 'a'), JSONExtractString('{"a":"hello"}', 'a'), JSONExtractFloat('{"x":2.25}', 'x'), JSONExtractBool('{"f":false}', 'f');
-- expected (ClickHouse 18.16 lacks the JSONExtract functions):
-- -100	hello	2.25	0
SELECT JSONHas('{"a":{"b":1}}', 'a', 'b'), JSONHas('{"a":1}', 'z'), JSONLength('[1,2,3]'), JSONLength('{"a":1,"b":2}'), JSONType('{"a":[]}', 'a'), JSONType('1');
-- expected (ClickHouse 18.16 lacks the JSONExtract functions):
-- 1	0	3	2	Array	Int64
SELECT JSONExtractRaw('{"a":{"b":[1,2]}}', 'a'), JSONExtractString('{"a":{"b":"deep"}}', 'a', 'b'), JSONExtractInt('[10,20,30]', 2), JSONExtractInt('[10,20,30]', -1);
-- expected (ClickHouse 18.16 lacks the JSONExtract functions):
-- {"b":[1,2]}	deep	20	30
SELECT JSONExtract('{"a":[1,2,3]}', 'a', 'Array(UInt8)'), JSONExtract('{"t":[1,"x"]}', 't', 'Tuple(Int32, String)'), JSONExtract('{"n":null}', 'n', 'Nullable(Int32)');
-- expected (ClickHouse 18.16 lacks the JSONExtract functions):
-- [1,2,3]	(1,'x')	\N
SELECT JSONExtractKeys('{"a":1,"b":{"c":2}}'), JSONExtractKeysAndValues('{"x":1,"y":2}', 'Int64'), JSONExtractArrayRaw('[1,"a",{"b":2}]');
-- expected (ClickHouse 18.16 lacks the JSONExtract functions):
-- ['a','b']	[('x',1),('y',2)]	['1','"a"','{"b":2}']
SELECT JSONExtractUInt('not json', 'a'), JSONExtractString('{"a":1}', 'a'), isValidJSON('{"a":1}'), isValidJSON('{a:1}');
-- expected (ClickHouse 18.16 lacks the JSONExtract functions):
-- 0		1	0
SELECT toJSONString(map('a', 1)), toJSONString([1, 2]), toJSONString('x"y');
-- expected (ClickHouse 18.16 lacks toJSONString):
-- {"a":1}	[1,2]	"x\\"y"
SELECT JSON_VALUE('{"a":{"b":"v"}}', '$.a.b'), JSON_QUERY('{"a":[1,2]}', '$.a'), JSON_EXISTS('{"a":1}', '$.b');
-- expected (ClickHouse 18.16 lacks JSON_VALUE/JSON_QUERY/JSON_EXISTS):
-- v	[[1,2]]	0
