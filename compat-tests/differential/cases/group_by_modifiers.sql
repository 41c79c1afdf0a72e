-- GROUP BY WITH TOTALS / ROLLUP / CUBE, GROUPING SETS, and totals in several formats.

DROP TABLE IF EXISTS d_gb;
CREATE TABLE d_gb (a String, b String, v UInt32) ENGINE = Memory;
INSERT INTO d_gb VALUES ('x', 'p', 1), ('x', 'q', 2), ('y', 'p', 3), ('y', 'p', 4), ('z', 'q', 5);
SET output_format_write_statistics = 0;

SELECT a, sum(v) FROM d_gb GROUP BY a WITH TOTALS ORDER BY a;
SELECT a, b, count(), sum(v) FROM d_gb GROUP BY a, b WITH TOTALS ORDER BY a, b;
SELECT number % 3 AS k, count() FROM numbers(10) GROUP BY k WITH TOTALS ORDER BY k;
SELECT a, sum(v) AS s FROM d_gb GROUP BY a WITH TOTALS HAVING s > 3 ORDER BY a;
SELECT a, sum(v) FROM d_gb GROUP BY a WITH TOTALS ORDER BY a FORMAT TSVWithNames;
SELECT a, sum(v) FROM d_gb GROUP BY a WITH TOTALS ORDER BY a FORMAT CSV;
SELECT a, sum(v) FROM d_gb GROUP BY a WITH TOTALS ORDER BY a FORMAT JSONCompact;
-- expected (ClickHouse 18.16 writes the totals row without a space after commas):
-- {
-- 	"meta":
-- 	[
-- 		{
-- 			"name": "a",
-- 			"type": "String"
-- 		},
-- 		{
-- 			"name": "sum(v)",
-- 			"type": "UInt64"
-- 		}
-- 	],
--
-- 	"data":
-- 	[
-- 		["x", "3"],
-- 		["y", "7"],
-- 		["z", "5"]
-- 	],
--
-- 	"totals": ["", "15"],
--
-- 	"rows": 3
-- }
SELECT a, sum(v) FROM d_gb GROUP BY a WITH TOTALS ORDER BY a FORMAT JSONEachRow;
SELECT a, sum(v) FROM d_gb GROUP BY a WITH TOTALS ORDER BY a LIMIT 1;
SELECT count() FROM d_gb WITH TOTALS;
SELECT a, sum(v) FROM d_gb GROUP BY a WITH ROLLUP ORDER BY a;
SELECT a, b, sum(v) FROM d_gb GROUP BY a, b WITH ROLLUP ORDER BY a, b;
SELECT a, b, sum(v) FROM d_gb GROUP BY a, b WITH CUBE ORDER BY a, b;
SELECT a, b, sum(v) FROM d_gb GROUP BY ROLLUP(a, b) ORDER BY a, b LIMIT 3;
SELECT a, b, sum(v) FROM d_gb GROUP BY GROUPING SETS ((a), (b)) ORDER BY a, b;
-- expected (ClickHouse 18.16 lacks GROUPING SETS):
-- 	p	8
-- 	q	7
-- x		3
-- y		7
-- z		5
SELECT a, sum(v) FROM d_gb GROUP BY a WITH ROLLUP WITH TOTALS ORDER BY a;
