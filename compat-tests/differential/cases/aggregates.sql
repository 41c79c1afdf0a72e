-- Aggregate functions over numbers(N) and a small table.

DROP TABLE IF EXISTS d_sales;
CREATE TABLE d_sales (region String, product String, qty UInt32, price Float64, day Date) ENGINE = MergeTree ORDER BY (region, product, day);
INSERT INTO d_sales VALUES ('east', 'apple', 10, 1.5, '2021-01-01'), ('east', 'apple', 5, 1.5, '2021-01-02'), ('east', 'pear', 7, 2.25, '2021-01-01'), ('west', 'apple', 3, 1.75, '2021-01-03'), ('west', 'kiwi', 12, 0.5, '2021-01-01'), ('west', 'kiwi', 8, 0.5, '2021-01-04'), ('north', 'pear', 1, 2.5, '2021-01-02');

SELECT count(), count(*), count(1), sum(number), min(number), max(number), avg(number) FROM numbers(10);
SELECT count(), sum(number), min(number), max(number) FROM numbers(10) WHERE number > 100;
SELECT avg(number), any(number), groupArray(number), uniq(number) FROM numbers(10) WHERE number > 100;
SELECT toTypeName(sum(toUInt8(1))), toTypeName(sum(toInt16(1))), toTypeName(sum(1.5)), toTypeName(avg(1)), toTypeName(count());
SELECT sum(toUInt8(200)), sumWithOverflow(toUInt8(200)), toTypeName(sumWithOverflow(toUInt8(200))) FROM numbers(10);
SELECT region, sum(qty), count(), round(sum(qty * price), 4) FROM d_sales GROUP BY region ORDER BY region;
SELECT region, product, sum(qty) FROM d_sales GROUP BY region, product ORDER BY region, product;
SELECT product, min(price), max(price), argMin(region, qty), argMax(region, qty) FROM d_sales GROUP BY product ORDER BY product;
SELECT any(number), anyLast(number) FROM numbers(5);
SELECT uniq(number % 7), uniqExact(number % 7), uniqHLL12(number % 7), uniqCombined(number % 7) FROM numbers(1000);
SELECT uniqExact(region), uniqExact(region, product), uniq(product) FROM d_sales;
SELECT uniqExact(toString(number)), uniq(toString(number % 100)) FROM numbers(10000);
SELECT uniqUpTo(3)(number % 5), uniqUpTo(10)(number % 5) FROM numbers(100);
SELECT groupArray(qty) FROM (SELECT qty FROM d_sales ORDER BY qty);
SELECT region, groupArray(product) FROM (SELECT region, product FROM d_sales ORDER BY region, product, qty) GROUP BY region ORDER BY region;
SELECT arraySort(groupUniqArray(product)), arraySort(groupUniqArray(region)) FROM d_sales WHERE region != 'north';
SELECT arraySort(groupUniqArray(2)(region)) FROM d_sales WHERE region != 'north';
-- expected (ClickHouse 18.16 lacks the max_size parameter of groupUniqArray):
-- ['east','west']
SELECT groupArrayInsertAt(toString(number), number * 2) FROM numbers(3);
SELECT topK(2)(x) FROM (SELECT arrayJoin([1, 1, 1, 2, 2, 3]) AS x);
SELECT topK(3)(product) FROM (SELECT arrayJoin(['a', 'b', 'a', 'c', 'a', 'b']) AS product);
SELECT median(number), quantile(0.9)(number), quantileExact(0.5)(number), quantileExact(0.9)(number) FROM numbers(101);
SELECT quantiles(0.1, 0.5, 0.9)(number), quantilesExact(0.25, 0.75)(number) FROM numbers(101);
SELECT quantileExact(0.5)(number), quantileExactWeighted(0.5)(number, number) FROM numbers(10);
SELECT quantileTiming(0.5)(number), quantileTimingWeighted(0.5)(number, 1) FROM numbers(101);
SELECT medianExact(x) FROM (SELECT arrayJoin([3, 1, 4, 1, 5, 9, 2, 6]) AS x);
SELECT varPop(number), varSamp(number), stddevPop(number), round(stddevSamp(number), 6) FROM numbers(10);
SELECT round(varPop(price), 6), round(covarPop(qty, price), 6), round(corr(qty, price), 6) FROM d_sales;
SELECT round(covarSamp(number, number * 2), 6), round(corr(number, number * 3), 6) FROM numbers(5);
SELECT groupBitAnd(x), groupBitOr(x), groupBitXor(x) FROM (SELECT arrayJoin([12, 10, 6]) AS x);
SELECT sumMap([1, 2], [10, 20]), sum(number) * 2 FROM numbers(3);
SELECT count(DISTINCT region), count(DISTINCT product), uniqExact(product) FROM d_sales;
SELECT count(DISTINCT qty), uniqExact(qty) FROM (SELECT arrayJoin([1, 1, 2, 3, 3]) AS qty);
SELECT sum(DISTINCT qty), avg(DISTINCT qty) FROM (SELECT arrayJoin([1, 1, 2, 3, 3]) AS qty);
-- expected (ClickHouse 18.16 lacks DISTINCT inside aggregates other than count):
-- 6	2
SELECT countIf(qty > 5), sumIf(qty, region = 'east'), avgIf(price, product = 'kiwi') FROM d_sales;
SELECT region, count() AS c FROM d_sales GROUP BY region HAVING c > 1 ORDER BY region;
SELECT region, sum(qty) AS s FROM d_sales GROUP BY region HAVING s > 10 AND min(price) < 1 ORDER BY region;
SELECT count() FROM d_sales WHERE day = '2021-01-01';
SELECT day, sum(qty) FROM d_sales GROUP BY day ORDER BY day;
SELECT toStartOfMonth(day) AS m, count() FROM d_sales GROUP BY m;
SELECT number % 3 AS k, sum(number), groupArray(number) FROM numbers(9) GROUP BY k ORDER BY k;
SELECT intDiv(number, 10) AS k, count(), min(number), max(number) FROM numbers(35) GROUP BY k ORDER BY k;
SELECT length(groupArray(number)), sum(number) FROM numbers(100000);
SELECT min(s), max(s) FROM (SELECT toString(number) AS s FROM numbers(20));
SELECT min(x), max(x), sum(x) FROM (SELECT arrayJoin([-1.5, 2.25, -0.25]) AS x);
SELECT avgWeighted(x, w) FROM (SELECT arrayJoin([(1, 1), (3, 3)]) AS t, t.1 AS x, t.2 AS w);
-- expected (ClickHouse 18.16 lacks avgWeighted):
-- 2.5
SELECT any_value(number), first_value(number), last_value(number), anyHeavy(number % 2) FROM numbers(4);
-- expected (ClickHouse 18.16 lacks any_value/first_value/last_value):
-- 0	0	3	0
SELECT groupArrayMovingSum(2)(number), groupArrayMovingAvg(2)(number) FROM numbers(4);
-- expected (ClickHouse 18.16 lacks groupArrayMoving*):
-- [0,1,3,5]	[0,0.5,1.5,2.5]
SELECT entropy(x), round(skewPop(number), 6), round(kurtPop(number), 6) FROM (SELECT number, number % 2 AS x FROM numbers(4));
-- expected (ClickHouse 18.16 lacks entropy/skewPop/kurtPop):
-- 1	0	1.64
SELECT minMap([1, 2], [5, 3]), maxMap(k, v) FROM (SELECT [1, 2] AS k, [10, 20] AS v UNION ALL SELECT [2], [30]);
-- expected (ClickHouse 18.16 lacks minMap/maxMap):
-- ([1,2],[5,3])	([1,2],[10,30])
SELECT simpleLinearRegression(x, y) FROM (SELECT number AS x, 2 * number + 1 AS y FROM numbers(5));
-- expected (ClickHouse 18.16 lacks simpleLinearRegression):
-- (2,1)
SELECT boundingRatio(number, number * 2), rankCorr(number, number * number) FROM numbers(5);
-- expected (ClickHouse 18.16 lacks boundingRatio/rankCorr):
-- 2	1
SELECT groupConcat(toString(number)), groupConcat(',')(toString(number)) FROM numbers(3);
-- expected (ClickHouse 18.16 lacks groupConcat):
-- 012	0,1,2
