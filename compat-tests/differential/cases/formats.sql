-- Output formats. Statistics are switched off so JSON outputs are deterministic.

SET output_format_write_statistics = 0;
SET output_format_pretty_color = 0;
DROP TABLE IF EXISTS d_fmt;
CREATE TABLE d_fmt (id UInt32, name String, score Float64, tags Array(String), d Date, n Nullable(Int32)) ENGINE = Memory;
INSERT INTO d_fmt VALUES (1, 'alpha', 1.5, ['x', 'y'], '2021-01-01', NULL), (2, 'be"ta\t', -2, [], '2021-12-31', 7), (3, 'gam\'ma', 1e-3, ['z'], '2020-02-29', -1);

SELECT * FROM d_fmt ORDER BY id FORMAT TabSeparated;
SELECT * FROM d_fmt ORDER BY id FORMAT TSV;
SELECT * FROM d_fmt ORDER BY id FORMAT TabSeparatedWithNames;
SELECT * FROM d_fmt ORDER BY id FORMAT TSVWithNamesAndTypes;
SELECT id, name, score, tags, d FROM d_fmt ORDER BY id FORMAT TabSeparatedRaw;
SELECT * FROM d_fmt ORDER BY id FORMAT CSV;
SELECT * FROM d_fmt ORDER BY id FORMAT CSVWithNames;
SELECT * FROM d_fmt ORDER BY id FORMAT JSONEachRow;
SELECT * FROM d_fmt ORDER BY id FORMAT JSON;
SELECT * FROM d_fmt ORDER BY id FORMAT JSONCompact;
SELECT * FROM d_fmt ORDER BY id FORMAT Values;
SELECT * FROM d_fmt ORDER BY id FORMAT TSKV;
SELECT * FROM d_fmt ORDER BY id FORMAT Vertical;
SELECT id, score FROM d_fmt ORDER BY id FORMAT Pretty;
SELECT id, d, n FROM d_fmt ORDER BY id FORMAT PrettyCompact;
SELECT id, tags FROM d_fmt ORDER BY id FORMAT PrettyCompactMonoBlock;
SELECT id, score, n FROM d_fmt ORDER BY id FORMAT PrettySpace;
SELECT id, 'text' AS s FROM d_fmt ORDER BY id FORMAT PrettyNoEscapes;
SELECT id, toString(id * 1000) AS s FROM d_fmt ORDER BY id FORMAT PrettyCompactNoEscapes;
SELECT id FROM d_fmt WHERE id > 100 FORMAT JSON;
SELECT id FROM d_fmt WHERE id > 100 FORMAT JSONCompact;
SELECT id FROM d_fmt WHERE id > 100 FORMAT CSVWithNames;
SELECT id FROM d_fmt WHERE id > 100 FORMAT TSVWithNames;
SELECT id FROM d_fmt WHERE id > 100 FORMAT Pretty;
SELECT number FROM numbers(3) FORMAT Null;
SELECT toUInt64(18446744073709551615) AS big, toInt64(-1) AS neg, 1.5 AS f, nan AS x, inf AS i FORMAT JSON;
SELECT toUInt64(18446744073709551615) AS big, toInt64(-1) AS neg FORMAT JSONEachRow;
SELECT 'a/b' AS s, 'ü' AS u, '\x01' AS c, 'q"\\' AS q FORMAT JSONEachRow;
SELECT [1, 2] AS a, (1, 'x') AS t, [[1], []] AS aa, ['s'] AS sa FORMAT JSONEachRow;
SELECT [1, 2] AS a, 'x,y' AS t, NULL AS n, 1.5 AS f FORMAT CSV;
SELECT [1, 2] AS a, ('x', 'y') AS t, NULL AS n, 'it''s' AS s FORMAT Values;
SELECT toDateTime('2021-01-02 03:04:05', 'UTC') AS t, toDate('2021-01-02') AS d FORMAT JSONEachRow;
SELECT toDateTime('2021-01-02 03:04:05', 'UTC') AS t, toDate('2021-01-02') AS d FORMAT CSV;
SELECT 1 AS x, 'a' AS y FORMAT XML;
SELECT number AS n, toString(number) AS s FROM numbers(2) FORMAT JSONCompactEachRow;
-- expected (ClickHouse 18.16 lacks JSONCompactEachRow):
-- [0, "0"]
-- [1, "1"]
SELECT number AS n, toString(number) AS s FROM numbers(2) FORMAT JSONCompactEachRowWithNames;
-- expected (ClickHouse 18.16 lacks JSONCompactEachRowWithNames):
-- ["n", "s"]
-- [0, "0"]
-- [1, "1"]
SELECT number AS n, toString(number) AS s FROM numbers(2) FORMAT JSONStringsEachRow;
-- expected (ClickHouse 18.16 lacks JSONStringsEachRow):
-- {"n":"0","s":"0"}
-- {"n":"1","s":"1"}
SELECT toUInt64(arrayJoin([0, 1])) AS n FORMAT JSONCompactStrings;
-- expected (ClickHouse 18.16 lacks JSONCompactStrings):
-- {
-- 	"meta":
-- 	[
-- 		{
-- 			"name": "n",
-- 			"type": "UInt64"
-- 		}
-- 	],
--
-- 	"data":
-- 	[
-- 		["0"],
-- 		["1"]
-- 	],
--
-- 	"rows": 2
-- }
SELECT number AS n, number * 2 AS m FROM numbers(2) FORMAT Markdown;
-- expected (ClickHouse 18.16 lacks Markdown):
-- | n | m |
-- |-:|-:|
-- | 0 | 0 |
-- | 1 | 2 |
SELECT number AS n, 'x' AS s FROM numbers(2) FORMAT CSVWithNamesAndTypes;
-- expected (ClickHouse 18.16 lacks CSVWithNamesAndTypes):
-- "n","s"
-- "UInt64","String"
-- 0,"x"
-- 1,"x"
SELECT number AS n, 'x' AS s FROM numbers(2) FORMAT TSVWithNamesAndTypes;
