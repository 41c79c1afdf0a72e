import { describe, expect, it } from 'vitest';
import { call, col, ctx, lit, one } from './helpers.js';

// 2020-01-02 03:04:05 UTC
const T0 = 1577934245;

describe('date parts and timezones', () => {
  it('extracts parts in the type timezone', () => {
    expect(one('toYear', lit('Date', 18262))).toBe(2020);
    expect(one('toHour', lit("DateTime('Asia/Kolkata')", 1577836800))).toBe(5);
    expect(one('toMinute', lit("DateTime('Asia/Kolkata')", 1577836800))).toBe(30);
    expect(one('toHour', lit('DateTime', 1577836800), lit('String', 'America/New_York'))).toBe(19);
    expect(one('toDayOfWeek', lit('Date', 18266))).toBe(7); // 2020-01-05 is a Sunday
    expect(one('toDayOfWeek', lit('Date', 18266), lit('UInt8', 2))).toBe(0);
    expect(one('toDayOfYear', lit('Date', 18627))).toBe(366); // 2020-12-31
    expect(one('toQuarter', lit('Date', 18444))).toBe(3);
    expect(one('toISOWeek', lit('Date', 18628))).toBe(53); // 2021-01-01
    expect(one('toISOYear', lit('Date', 18628))).toBe(2020);
    expect(one('toWeek', lit('Date', 18266), lit('UInt8', 0))).toBe(1);
    expect(one('toYYYYMM', lit('DateTime', T0))).toBe(202001);
    expect(one('toYYYYMMDDhhmmss', lit('DateTime', T0))).toBe(20200102030405n);
    expect(one('toUnixTimestamp', lit('DateTime', T0))).toBe(T0);
  });
  it('rounds down to intervals, with DST and half-hour zones', () => {
    // 2020-01-01 15:57 IST → 15:00 IST
    expect(one('toStartOfHour', lit("DateTime('Asia/Kolkata')", 1577874420))).toBe(1577871000);
    expect(one('toStartOfFifteenMinutes', lit("DateTime('Asia/Kolkata')", 1577874420))).toBe(1577873700);
    // New York 2020-03-08 (DST starts): start of day is 05:00 UTC
    expect(one('toStartOfDay', lit("DateTime('America/New_York')", 1583676000))).toBe(1583643600);
    expect(one('toStartOfMonth', lit('DateTime', 1600000000))).toBe(18506);
    expect(one('toMonday', lit('Date', 18266))).toBe(18260);
    expect(one('toStartOfWeek', lit('Date', 18268))).toBe(18266);
    expect(one('toStartOfInterval', lit('DateTime', 1600000000), lit('IntervalMinute', 15))).toBe(1599999300);
    expect(one('toStartOfInterval', lit('Date', 18268), lit('IntervalMonth', 1))).toBe(18262);
    // Proton's to_start_of_interval gives whole seconds (datetime) of a datetime64 for second … day intervals.
    const proton = { ...ctx, settings: new Map([['dialect', 'proton']]) };
    const t64 = lit('DateTime64(3)', 1580673601262); // 2020-02-02 20:00:01.262
    expect(call('toStartOfInterval', [t64, lit('IntervalSecond', 2)], proton)).toEqual({ type: 'DateTime', values: [1580673600] });
    expect(call('toStartOfInterval', [t64, lit('IntervalSecond', 2)]).type).toBe('DateTime64(3)');
    expect(call('toStartOfInterval', [t64, lit('IntervalMillisecond', 100)], proton).type).toBe('DateTime64(3)');
    expect(one('toStartOfMinute', lit('DateTime64(3)', 1577934245123))).toBe(1577934240000);
    expect(call('toStartOfMinute', [col('DateTime64(3)', 1577934245123)]).type).toBe('DateTime64(3)');
    expect(one('date_trunc', lit('String', 'month'), lit('DateTime', T0))).toBe(1577836800);
  });
  it('formats and parses', () => {
    expect(one('formatDateTime', lit('DateTime', T0), lit('String', '%Y-%m-%d %H:%M:%S %j %a %b %W %p %D %e'))).toBe('2020-01-02 03:04:05 002 Thu Jan Thursday AM 01/02/20  2');
    expect(one('formatDateTime', lit('DateTime', T0), lit('String', '%H:%M'), lit('String', 'Asia/Kolkata'))).toBe('08:34');
    expect(call('parseDateTimeBestEffort', [col('String', '2020-01-02T03:04:05Z', 'Thu, 02 Jan 2020 03:04:05 GMT', '2020-01-02 08:34:05+05:30', '1577934245', '20200102', '02/01/2020 03:04:05 AM')]).values).toEqual([T0, T0, T0, T0, 1577923200, T0]);
    expect(call('parseDateTimeBestEffortOrNull', [col('String', 'garbage')]).values).toEqual([null]);
    expect(one('parseDateTime64BestEffort', lit('String', '2020-01-02 03:04:05.123456'), lit('UInt8', 6))).toBe(1577934245123456);
    expect(one('fromUnixTimestamp', lit('UInt32', T0), lit('String', '%F'))).toBe('2020-01-02');
  });
  it('dateDiff counts boundaries; age counts full units', () => {
    expect(one('dateDiff', lit('String', 'hour'), lit('DateTime', 1577876340), lit('DateTime', 1577876460))).toBe(1n);
    expect(one('dateDiff', lit('String', 'day'), lit('Date', 18262), lit('Date', 18300))).toBe(38n);
    expect(one('dateDiff', lit('String', 'month'), lit('Date', 18292), lit('Date', 18293))).toBe(1n);
    expect(one('date_diff', lit('String', 'year'), lit('Date', 18627), lit('Date', 18628))).toBe(1n);
    expect(one('age', lit('String', 'month'), lit('Date', 18292), lit('Date', 18293))).toBe(0n);
    expect(one('age', lit('String', 'hour'), lit('DateTime', 1577876340), lit('DateTime', 1577876460))).toBe(0n);
  });
  it('now, today, intervals, time zones and unix timestamps', () => {
    expect(one('now')).toBe(Math.floor(Date.UTC(2024, 0, 15, 10, 30, 0) / 1000));
    expect(one('today')).toBe(19737);
    expect(one('toIntervalDay', lit('UInt8', 3))).toBe(3);
    expect(call('toTimeZone', [col('DateTime', T0), lit('String', 'Asia/Kolkata')]).type).toBe("DateTime('Asia/Kolkata')");
    expect(one('toUnixTimestamp64Milli', lit('DateTime64(3)', 1577934245123))).toBe(1577934245123n);
    expect(one('fromUnixTimestamp64Milli', lit('Int64', 1577934245123n))).toBe(1577934245123);
    expect(one('dateAdd', lit('String', 'day'), lit('UInt8', 1), lit('Date', 18262))).toBe(18263);
    expect(one('date_sub', lit('Date', 18262), lit('IntervalYear', 1))).toBe(17897);
    expect(one('addHours', lit('Date', 18262), lit('UInt8', 1))).toBe(1577840400);
  });
});
