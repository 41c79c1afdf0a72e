import { describe, expect, it } from 'vitest';
import { call, col, lit, one } from './helpers.js';

describe('math', () => {
  it('rounds floats half to even and integers/decimals half away from zero', () => {
    expect(call('round', [col('Float64', 2.5, 3.5, -2.5, 1.4)]).values).toEqual([2, 4, -2, 1]);
    expect(one('round', lit('Float64', 1.2345), lit('UInt8', 2))).toBe(1.23);
    expect(call('round', [col('Int32', 15, 25, -15), lit('Int8', -1)]).values).toEqual([20, 30, -20]);
    expect(call('round', [col('Decimal(9,3)', 1235n, -1245n), lit('UInt8', 2)]).values).toEqual([1240n, -1250n]);
    expect(call('floor', [col('Float64', -1.5, 1.5)]).values).toEqual([-2, 1]);
    expect(call('ceil', [col('Float64', -1.5, 1.5)]).values).toEqual([-1, 2]);
    expect(one('trunc', lit('Float64', -1.77), lit('UInt8', 1))).toBe(-1.7);
    expect(call('roundBankers', [col('Float64', 2.5, 3.5)]).values).toEqual([2, 4]);
  });
  it('functions and constants', () => {
    expect(one('sqrt', lit('UInt8', 16))).toBe(4);
    expect(one('pow', lit('UInt8', 2), lit('UInt8', 10))).toBe(1024);
    expect(one('log10', lit('UInt16', 1000))).toBe(3);
    expect(one('pi')).toBe(Math.PI);
    expect(one('greatest', lit('UInt8', 1), lit('Int16', -5), lit('UInt8', 7))).toBe(7);
    expect(call('least', [col('String', 'b', 'a'), lit('String', 'aa')]).values).toEqual(['aa', 'a']);
    expect(one('sign', lit('Int32', -5))).toBe(-1);
    expect(one('intExp2', lit('UInt8', 10))).toBe(1024n);
    expect(one('isNaN', lit('Float64', NaN))).toBe(1);
    expect(one('isFinite', lit('Float64', Infinity))).toBe(0);
    expect(one('bitAnd', lit('UInt8', 12), lit('UInt8', 10))).toBe(8);
    expect(one('bitOr', lit('UInt64', 1n), lit('UInt64', 2n))).toBe(3n);
    expect(one('bitShiftLeft', lit('UInt8', 1), lit('UInt8', 3))).toBe(8);
    expect(one('bitNot', lit('UInt8', 0))).toBe(255);
    expect(one('bitCount', lit('UInt32', 255))).toBe(8);
  });
});

describe('hashes (values checked against ClickHouse)', () => {
  it('cityHash64, sipHash64, murmur, intHash, MD5', () => {
    expect(one('cityHash64', lit('String', ''))).toBe(11160318154034397263n);
    expect(one('cityHash64', lit('String', 'hello'))).toBe(2578220239953316063n);
    expect(one('cityHash64', lit('String', '0123456789abcdefghij0123456789abcdefghij'))).toBe(16467516125720644394n);
    expect(one('cityHash64', lit('String', 'x'.repeat(100)))).toBe(8273723555210364035n);
    expect(one('cityHash64', lit('UInt32', 123))).toBe(12585326385145454095n);
    expect(one('cityHash64', lit('String', 'a'), lit('String', 'b'))).toBe(7468329322676821011n);
    expect(one('sipHash64', lit('String', 'hello'))).toBe(10142490492830962361n);
    expect(one('intHash32', lit('UInt32', 42))).toBe(1228623923);
    expect(one('intHash64', lit('UInt32', 42))).toBe(11490350930367293593n);
    expect(one('halfMD5', lit('String', 'hello'))).toBe(6719722671305337462n);
    expect(one('murmurHash2_32', lit('String', 'hello'))).toBe(3848350155);
    expect(one('murmurHash2_64', lit('String', 'hello'))).toBe(2191231550387646743n);
    expect(one('murmurHash3_32', lit('String', 'hello'))).toBe(613153351);
    expect(one('murmurHash3_64', lit('String', 'hello'))).toBe(10432086992150038043n);
    expect(call('MD5', [lit('String', 'hello')]).type).toBe('FixedString(16)');
  });
});

describe('introspection, IP, UUID and formatting', () => {
  it('context functions', () => {
    expect(one('version')).toBe('24.1.1');
    expect(one('currentDatabase')).toBe('default');
    expect(one('DATABASE')).toBe('default');
    expect(one('timezone')).toBe('UTC');
    expect(call('rowNumberInBlock', [lit('UInt8', 0)].slice(0, 0)).values).toEqual([0n]);
    expect(() => one('throwIf', lit('UInt8', 1))).toThrow(/non-zero/);
  });
  it('IP and UUID', () => {
    expect(one('IPv4NumToString', lit('UInt32', 0x01020304))).toBe('1.2.3.4');
    expect(one('IPv4StringToNum', lit('String', '1.2.3.4'))).toBe(0x01020304);
    expect(one('IPv4StringToNumOrNull', lit('String', 'x'))).toBe(null);
    expect(one('toIPv4', lit('String', '10.0.0.1'))).toBe(0x0a000001);
    expect(one('isIPv4String', lit('String', '256.1.1.1'))).toBe(0);
    expect(one('isIPv6String', lit('String', '::1'))).toBe(1);
    expect(one('IPv4CIDRToRange', lit('IPv4', 0xc0a80001), lit('UInt8', 16))).toEqual([0xc0a80000, 0xc0a8ffff]);
    expect(one('toUUID', lit('String', '61f0c404-5cb3-11e7-907b-a6006ad3dba0'))).toBe('61f0c404-5cb3-11e7-907b-a6006ad3dba0');
    expect(one('toUUIDOrNull', lit('String', 'x'))).toBe(null);
    expect(typeof one('generateUUIDv4')).toBe('string');
  });
  it('readable formatting', () => {
    expect(one('formatReadableSize', lit('UInt32', 1536))).toBe('1.50 KiB');
    expect(one('formatReadableQuantity', lit('UInt32', 1234567))).toBe('1.23 million');
    expect(one('formatReadableTimeDelta', lit('UInt32', 3725))).toBe('1 hour, 2 minutes and 5 seconds');
    expect(call('runningDifference', [col('UInt8', 1, 4, 9)]).values).toEqual([0, 3, 5]);
  });
});
