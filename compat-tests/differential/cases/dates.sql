-- Date and time functions with fixed constants and explicit time zones (never now()).

SELECT toDate('2021-03-14'), toDateTime('2021-03-14 15:09:26', 'UTC'), toTypeName(toDate('2021-03-14'));
SELECT toYear(toDate('2021-03-14')), toMonth(toDate('2021-03-14')), toDayOfMonth(toDate('2021-03-14')), toDayOfWeek(toDate('2021-03-14')), toDayOfYear(toDate('2021-03-14')), toQuarter(toDate('2021-03-14'));
SELECT toHour(t), toMinute(t), toSecond(t), toYear(t), toDayOfWeek(t) FROM (SELECT toDateTime('2021-12-31 23:59:58', 'UTC') AS t);
SELECT toDateTime('2021-06-01 12:00:00', 'UTC') AS t, toTimeZone(t, 'Asia/Tokyo'), toTimeZone(t, 'America/New_York'), toTimeZone(t, 'Asia/Kolkata');
SELECT toHour(toDateTime('2021-06-01 12:00:00', 'UTC'), 'Asia/Tokyo'), toDate(toDateTime('2021-06-01 22:00:00', 'UTC'), 'Asia/Tokyo');
SELECT toUnixTimestamp(toDateTime('2021-01-01 00:00:00', 'UTC')), toUnixTimestamp(toDateTime('2021-01-01 00:00:00', 'Asia/Kolkata'));
SELECT toDateTime(1609459200, 'UTC'), toDateTime(1609459200, 'Europe/Berlin'), toDate(18628);
SELECT toTypeName(toDateTime('2021-01-01 00:00:00', 'Europe/Berlin')), toTypeName(toTimeZone(toDateTime(0, 'UTC'), 'Asia/Tokyo'));
SELECT toStartOfYear(toDate('2021-08-17')), toStartOfQuarter(toDate('2021-08-17')), toStartOfMonth(toDate('2021-08-17')), toMonday(toDate('2021-08-19'));
SELECT toStartOfDay(t), toStartOfHour(t), toStartOfMinute(t), toStartOfFiveMinute(t), toStartOfFifteenMinutes(t) FROM (SELECT toDateTime('2021-08-17 13:47:31', 'UTC') AS t);
SELECT toStartOfDay(toDateTime('2021-08-17 13:47:31', 'Asia/Kolkata')), toStartOfHour(toDateTime('2021-08-17 13:47:31', 'Asia/Kolkata'));
SELECT toTime(toDateTime('2021-08-17 13:47:31', 'UTC')) = toDateTime('1970-01-02 13:47:31', 'UTC');
SELECT toYYYYMM(toDate('2021-08-17')), toYYYYMMDD(toDate('2021-08-17')), toYYYYMMDDhhmmss(toDateTime('2021-08-17 13:47:31', 'UTC'));
SELECT toISOWeek(toDate('2021-01-03')), toISOWeek(toDate('2021-01-04')), toISOYear(toDate('2021-01-03')), toISOWeek(toDate('2020-12-31'));
SELECT toRelativeYearNum(toDate('2021-08-17')), toRelativeMonthNum(toDate('2021-08-17')), toRelativeWeekNum(toDate('2021-08-17')), toRelativeDayNum(toDate('2021-08-17'));
SELECT toRelativeHourNum(toDateTime('2021-08-17 13:47:31', 'UTC')), toRelativeMinuteNum(toDateTime('2021-08-17 13:47:31', 'UTC')), toRelativeSecondNum(toDateTime('2021-08-17 13:47:31', 'UTC'));
SELECT toDate('2021-01-31') + 1, toDate('2021-03-01') - 1, toDateTime('2021-01-01 00:00:00', 'UTC') + 3600, toDateTime('2021-01-01 00:00:00', 'UTC') - 1;
SELECT addDays(toDate('2021-01-31'), 30), addWeeks(toDate('2021-01-31'), 2), addMonths(toDate('2021-01-31'), 1), addYears(toDate('2020-02-29'), 1);
SELECT addQuarters(toDate('2021-01-15'), 1), subtractQuarters(toDate('2021-01-15'), 1);
-- expected (ClickHouse 18.16 lacks addQuarters/subtractQuarters):
-- 2021-04-15	2020-10-15
SELECT subtractDays(toDate('2021-03-01'), 1), subtractMonths(toDate('2021-03-31'), 1), subtractYears(toDate('2021-06-15'), 21);
SELECT addHours(toDateTime('2021-01-01 22:00:00', 'UTC'), 3), addMinutes(toDateTime('2021-01-01 00:00:00', 'UTC'), 90), addSeconds(toDateTime('2021-01-01 00:00:00', 'UTC'), -1);
SELECT toDate('2021-01-31') + INTERVAL 1 MONTH, toDateTime('2021-01-01 00:00:00', 'UTC') + INTERVAL 36 HOUR, toDate('2021-03-31') - INTERVAL 1 MONTH;
SELECT toDate('2021-03-01') - toDate('2021-01-01'), toDateTime('2021-01-01 01:00:00', 'UTC') - toDateTime('2021-01-01 00:00:00', 'UTC');
SELECT dateDiff('day', toDate('2021-01-01'), toDate('2021-03-01')), dateDiff('month', toDate('2021-01-31'), toDate('2021-03-01')), dateDiff('year', toDate('2020-12-31'), toDate('2021-01-01'));
SELECT dateDiff('hour', toDateTime('2021-01-01 00:00:00', 'UTC'), toDateTime('2021-01-02 12:30:00', 'UTC')), dateDiff('minute', toDateTime('2021-01-01 00:00:00', 'UTC'), toDateTime('2021-01-01 00:10:59', 'UTC')), dateDiff('second', toDateTime('2021-01-01 00:00:00', 'UTC'), toDateTime('2021-01-01 00:01:00', 'UTC'));
SELECT dateDiff('week', toDate('2021-01-01'), toDate('2021-01-31')), dateDiff('quarter', toDate('2021-01-01'), toDate('2021-12-31'));
SELECT formatDateTime(toDateTime('2021-08-07 03:04:05', 'UTC'), '%F %T'), formatDateTime(toDateTime('2021-08-07 03:04:05', 'UTC'), '%d/%m/%y %R %T');
SELECT formatDateTime(toDateTime('2021-08-07 15:04:05', 'UTC'), '%F %D %I %p %j %u %w %%');
SELECT formatDateTime(toDateTime('2021-08-07 15:04:05', 'UTC'), '%R', 'Asia/Kolkata'), formatDateTime(toDate('2021-08-07'), '%Y%m%d');
SELECT toDateTime(1616893199, 'Europe/Berlin'), toDateTime(1616893200, 'Europe/Berlin'), toDateTime(1635641999, 'Europe/Berlin'), toDateTime(1635642000, 'Europe/Berlin');
SELECT toUnixTimestamp(toDateTime('2021-07-01 12:00:00', 'Europe/Berlin')), toUnixTimestamp(toDateTime('2021-03-14 03:00:00', 'America/New_York'));
SELECT toStartOfDay(toDateTime('2021-03-28 12:00:00', 'Europe/Berlin')), toHour(toDateTime(1616893200, 'UTC'), 'Europe/Berlin');
SELECT toDateTime('2021-03-28 01:30:00', 'Europe/Berlin') + 3600, toDateTime('2021-03-14 01:59:59', 'America/New_York') + 1;
-- expected (ClickHouse 18.16 miscomputes local times next to a DST change):
-- 2021-03-28 03:30:00	2021-03-14 03:00:00
SELECT timeSlot(toDateTime('2021-01-01 12:47:00', 'UTC')), timeSlots(toDateTime('2021-01-01 12:20:00', 'UTC'), toUInt32(3600));
SELECT parseDateTimeBestEffort('2021-08-17T13:47:31Z'), parseDateTimeBestEffort('17 Aug 2021 13:47:31 GMT', 'UTC'), parseDateTimeBestEffort('2021-08-17 13:47:31+03:00', 'UTC');
SELECT parseDateTimeBestEffortOrNull('garbage'), parseDateTimeBestEffortOrNull('2021-02-03', 'UTC');
SELECT parseDateTimeBestEffort('1609459200', 'UTC');
-- expected (ClickHouse 18.16 does not read a 10-digit string as a Unix timestamp):
-- 2021-01-01 00:00:00
SELECT toDate('2021-12-31') > toDate('2021-01-01'), max(toDate('2021-01-01') + number), min(toDate('2021-01-01') + number) FROM numbers(10);
SELECT d, count() FROM (SELECT toDate('2021-01-01') + intDiv(number, 3) AS d FROM numbers(10)) GROUP BY d ORDER BY d;
SELECT toStartOfMonth(toDate('2021-01-01') + number * 13) AS m, count() FROM numbers(20) GROUP BY m ORDER BY m;
SELECT toString(toDateTime('2021-08-17 13:47:31', 'Asia/Kolkata')), toString(toDateTime('2021-08-17 13:47:31', 'UTC'), 'Asia/Kolkata');
SELECT toDateTime('2021-08-17', 'UTC');
-- expected (ClickHouse 18.16 cannot parse a date-only string as DateTime):
-- 2021-08-17 00:00:00
SELECT toStartOfInterval(toDateTime('2021-08-17 13:47:31', 'UTC'), INTERVAL 10 MINUTE), toStartOfInterval(toDateTime('2021-08-17 13:47:31', 'UTC'), INTERVAL 2 HOUR), toStartOfInterval(toDate('2021-08-17'), INTERVAL 1 MONTH);
-- expected (ClickHouse 18.16 lacks toStartOfInterval):
-- 2021-08-17 13:40:00	2021-08-17 12:00:00	2021-08-01
SELECT toStartOfTenMinutes(toDateTime('2021-08-17 13:47:31', 'UTC')), toStartOfWeek(toDate('2021-08-19')), toStartOfWeek(toDate('2021-08-19'), 1), toLastDayOfMonth(toDate('2021-02-10'));
-- expected (ClickHouse 18.16 lacks toStartOfTenMinutes/toStartOfWeek/toLastDayOfMonth):
-- 2021-08-17 13:40:00	2021-08-15	2021-08-16	2021-02-28
SELECT toWeek(toDate('2021-01-03')), toWeek(toDate('2021-01-03'), 1), toYearWeek(toDate('2021-01-03'));
-- expected (ClickHouse 18.16 lacks toWeek/toYearWeek):
-- 1	0	202101
SELECT toDayOfWeek(toDate('2021-08-15'), 1), dayofweek(toDate('2021-08-15'));
-- expected (ClickHouse 18.16 lacks the mode argument of toDayOfWeek):
-- 6	7
SELECT date_diff('day', toDate('2021-01-01'), toDate('2021-01-11')), DATE_ADD(DAY, 1, toDate('2021-01-01')), DATE_SUB(toDate('2021-01-01'), INTERVAL 1 DAY);
-- expected (ClickHouse 18.16 lacks date_diff/DATE_ADD/DATE_SUB):
-- 10	2021-01-02	2020-12-31
SELECT toDate32('1900-01-01'), toDate32('2200-12-31'), toTypeName(toDate32('2021-01-01'));
-- expected (ClickHouse 18.16 lacks Date32):
-- 1900-01-01	2200-12-31	Date32
SELECT toDateTime64('2021-08-17 13:47:31.123456', 6, 'UTC'), toDateTime64('2021-08-17 13:47:31', 3, 'Asia/Tokyo'), toTypeName(toDateTime64('2021-08-17 13:47:31', 3, 'UTC'));
-- expected (ClickHouse 18.16 lacks DateTime64):
-- 2021-08-17 13:47:31.123456	2021-08-17 13:47:31.000	DateTime64(3, 'UTC')
SELECT toUnixTimestamp64Milli(toDateTime64('2021-01-01 00:00:01.5', 3, 'UTC')), fromUnixTimestamp64Milli(toInt64(1609459201500), 'UTC');
-- expected (ClickHouse 18.16 lacks DateTime64):
-- 1609459201500	2021-01-01 00:00:01.500
SELECT makeDate(2021, 8, 17), makeDateTime(2021, 8, 17, 13, 47, 31, 'UTC');
-- expected (ClickHouse 18.16 lacks makeDate/makeDateTime):
-- 2021-08-17	2021-08-17 13:47:31
SELECT formatDateTime(toDateTime('2021-08-07 15:04:05', 'UTC'), '%a %b %e %h'), dateName('month', toDate('2021-08-07'));
-- expected (ClickHouse 18.16 lacks %a/%b/%h in formatDateTime and dateName):
-- Sat Aug  7 Aug	August
