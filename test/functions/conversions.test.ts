import { describe, expect, it } from 'vitest';
import { call, col, lit, one, withTz } from './helpers.js';
import { formatFloat32, formatFloat64, formatValue, parseValueText, formatIPv6, parseIPv6Text } from '../../src/types/text-conversion.js';
import { parseDataType } from '../../src/types/type-factory.js';

describe('text conversion', () => {
  it('prints floats like ClickHouse', () => {
    expect([1e21, 1e20, 1e-7, 0.000001, -0, 0.1, 1 / 3, NaN, Infinity, -Infinity].map(formatFloat64)).toEqual([
      '1e21', '100000000000000000000', '1e-7', '0.000001', '-0', '0.1', '0.3333333333333333', 'nan', 'inf', '-inf',
    ]);
    expect(formatFloat32(Math.fround(0.1))).toBe('0.1');
    expect(formatFloat32(Math.fround(123456789))).toBe('123456790');
  });
  it('prints nested values quoted and decimals with their scale', () => {
    const t = (s: string) => parseDataType(s);
    expect(formatValue(t('Array(String)'), ["a'b", 'c'], 'UTC')).toBe("['a\\'b','c']");
    expect(formatValue(t('Tuple(UInt8, String)'), [1, 'x'], 'UTC')).toBe("(1,'x')");
    expect(formatValue(t('Array(Nullable(UInt8))'), [null, 1], 'UTC')).toBe('[NULL,1]');
    expect(formatValue(t('Array(Date)'), [18262], 'UTC')).toBe("['2020-01-01']");
    expect(formatValue(t('Map(String, UInt8)'), [['a', 1]], 'UTC')).toBe("{'a':1}");
    expect(formatValue(t('Decimal(9, 2)'), 150n, 'UTC')).toBe('1.50');
    expect(formatValue(t('Decimal(18, 3)'), -500n, 'UTC')).toBe('-0.500');
    expect(formatValue(t('DateTime64(3)'), 1577934245123, 'UTC')).toBe('2020-01-02 03:04:05.123');
    expect(formatValue(t("DateTime('Asia/Kolkata')"), 1577836800, 'UTC')).toBe('2020-01-01 05:30:00');
    expect(formatValue(t('Bool'), true, 'UTC')).toBe('true');
    expect(formatValue(t('Nullable(Int32)'), null, 'UTC')).toBe('\\N');
  });
  it('parses text strictly', () => {
    const t = (s: string) => parseDataType(s);
    expect(parseValueText(t('Int32'), '-12', 'UTC')).toBe(-12);
    expect(parseValueText(t('UInt8'), '300', 'UTC')).toBe(44);
    expect(() => parseValueText(t('Int32'), '12a', 'UTC')).toThrow(/Cannot parse string '12a' as Int32: syntax error at position 2/);
    expect(parseValueText(t('Float64'), 'inf', 'UTC')).toBe(Infinity);
    expect(parseValueText(t('Decimal(9,2)'), '1.239', 'UTC')).toBe(123n);
    expect(parseValueText(t('Date'), '2020-1-2', 'UTC')).toBe(18263);
    expect(parseValueText(t('DateTime'), '2020-01-01 00:00:00', 'Asia/Kolkata')).toBe(1577817000);
    expect(parseValueText(t('DateTime'), '1600000000', 'UTC')).toBe(1600000000);
    expect(parseValueText(t('DateTime64(3)'), '2020-01-02 03:04:05.1', 'UTC')).toBe(1577934245100);
    expect(parseValueText(t('Array(Nullable(UInt8))'), '[1, NULL,3]', 'UTC')).toEqual([1, null, 3]);
    expect(parseValueText(t('Tuple(UInt8, String)'), "(1,'a\\'b')", 'UTC')).toEqual([1, "a'b"]);
    expect(parseValueText(t('Map(String, Array(UInt8))'), "{'k':[1,2]}", 'UTC')).toEqual([['k', [1, 2]]]);
    expect(parseValueText(t('Bool'), 'true', 'UTC')).toBe(true);
    expect(parseValueText(t('IPv4'), '1.2.3.4', 'UTC')).toBe(0x01020304);
    expect(formatIPv6(parseIPv6Text('2001:db8::1'))).toBe('2001:db8::1');
    expect(formatIPv6(parseIPv6Text('1.2.3.4'))).toBe('::ffff:1.2.3.4');
  });
});

describe('conversion functions', () => {
  it('toX from strings and numbers', () => {
    expect(call('toInt32', [col('String', '12', '-5')]).values).toEqual([12, -5]);
    expect(call('toUInt8', [col('String', '300')]).values).toEqual([44]);
    expect(() => call('toInt32', [col('String', '1.5')])).toThrow(/Cannot parse/);
    expect(call('toInt32OrNull', [col('String', '12', 'x')])).toEqual({ type: 'Nullable(Int32)', values: [12, null] });
    expect(call('toInt32OrZero', [col('String', 'x')]).values).toEqual([0]);
    expect(call('toInt64OrDefault', [col('String', 'x', '5'), lit('Int64', 7n)]).values).toEqual([7n, 5n]);
    expect(call('toInt32', [col('Float64', 1.9, -1.9)]).values).toEqual([1, -1]);
    expect(call('toUInt64', [col('Int8', -1)]).values).toEqual([18446744073709551615n]);
    expect(call('toFloat32', [col('String', '0.1')]).values).toEqual([Math.fround(0.1)]);
    expect(call('toDecimal32', [col('Float64', 1.555, -1.555), lit('UInt8', 2)])).toEqual({ type: 'Decimal(9, 2)', values: [155n, -155n] });
    expect(call('toDecimal64', [col('String', '3.14159'), lit('UInt8', 3)]).values).toEqual([3141n]);
  });
  it('toString and CAST', () => {
    expect(call('toString', [col('Float64', 0.1, 1e21, NaN)]).values).toEqual(['0.1', '1e21', 'nan']);
    expect(call('toString', [col("DateTime('America/New_York')", 1600000000)]).values).toEqual(['2020-09-13 08:26:40']);
    expect(call('toString', [col('FixedString(3)', 'ab')]).values).toEqual(['ab']);
    expect(call('CAST', [col('String', '[1,2,3]'), lit('String', 'Array(UInt8)')]).values).toEqual([[1, 2, 3]]);
    expect(call('CAST', [col('Nullable(String)', '1', null), lit('String', 'Nullable(Int32)')]).values).toEqual([1, null]);
    expect(() => call('CAST', [col('Nullable(String)', null), lit('String', 'Int32')])).toThrow(/Cannot convert NULL/);
    expect(call('accurateCastOrNull', [col('Int32', 300, 5), lit('String', 'UInt8')]).values).toEqual([null, 5]);
    expect(() => call('accurateCast', [col('Int32', -1), lit('String', 'UInt8')])).toThrow(/cannot be safely converted/);
    expect(call('toBool', [col('String', 'true', 'false')]).values).toEqual([true, false]);
    expect(call('CAST', [col('UInt8', 1), lit('String', "Enum8('a' = 1, 'b' = 2)")]).values).toEqual([1]);
    expect(call('reinterpretAsUInt32', [col('String', 'ab')]).values).toEqual([25185]);
  });
  it('dates from strings and numbers in timezones', () => {
    expect(call('toDate', [col('String', '2020-01-02')]).values).toEqual([18263]);
    expect(call('toDate', [col('UInt32', 1600000000, 100)]).values).toEqual([18518, 100]);
    expect(call('toDateTime', [col('String', '2020-01-02 03:04:05'), lit('String', 'Asia/Kolkata')])).toEqual({ type: "DateTime('Asia/Kolkata')", values: [1577914445] });
    expect(call('toDateTime64', [col('String', '2020-01-02 03:04:05.123456'), lit('UInt8', 3)])).toEqual({ type: 'DateTime64(3)', values: [1577934245123] });
    // the session timezone decides how a zone-less DateTime string is read
    expect(call('toDateTime', [col('String', '2020-07-01 12:00:00')], withTz('America/New_York')).values).toEqual([1593619200]);
    expect(call('toDate', [col('DateTime', 1577917800)], withTz('America/New_York')).values).toEqual([18262]);
    expect(one('toUnixTimestamp', lit('String', '2020-01-01 00:00:00'), lit('String', 'Asia/Kolkata'))).toBe(1577817000);
  });
});
