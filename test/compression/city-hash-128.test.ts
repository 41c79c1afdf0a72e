import { describe, expect, it } from 'vitest';
import { cityHash128, cityHash128Equals, cityHash128Into } from '../../src/compression/city-hash-128.js';
import { cityHash128Reference } from './city-hash-128-reference.js';
import { goldenText, hex, xorshiftBytes } from './test-data.js';

const u64hex = (v: bigint): string => v.toString(16).padStart(16, '0');
const enc = new TextEncoder();

describe('cityHash128 (v1.0.2)', () => {
  const data = xorshiftBytes(1 << 20, 0x12345678);

  it('matches clickhouse-cityhash for prefixes of every length 0..600 and large ones', () => {
    let checked = 0;
    for (const line of goldenText('cityhash128-xorshift.csv').split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      const [len, low, high] = line.split(',');
      const h = cityHash128(data, 0, Number(len));
      expect(`${len},${u64hex(h.low)},${u64hex(h.high)}`).toBe(line);
      checked++;
    }
    expect(checked).toBeGreaterThan(600);
  });

  it('matches go-faster/city test strings (ClickHouse128)', () => {
    const rows = JSON.parse(goldenText('go-faster-city-strings.json')) as { input: string; low: string; high: string }[];
    expect(rows.length).toBeGreaterThan(40);
    for (const r of rows) {
      const h = cityHash128(enc.encode(r.input));
      expect([u64hex(h.low), u64hex(h.high)]).toEqual([r.low, r.high]);
    }
  });

  it('matches go-faster/city ch128.csv sample (random strings up to 1000 bytes)', () => {
    const lines = goldenText('go-faster-city-ch128-sample.csv').split('\n').filter((l) => l !== '');
    expect(lines.length).toBe(50);
    for (const line of lines) {
      const [s, lo, hi] = line.split(',');
      const h = cityHash128(enc.encode(s));
      // The CSV drops leading zeros.
      expect([h.low.toString(16), h.high.toString(16)]).toEqual([lo, hi]);
    }
  });

  it('matches ch-go FormatU128(CH128("Moscow"))', () => {
    const out = new Uint8Array(16);
    const moscow = enc.encode('Moscow');
    cityHash128Into(moscow, 0, moscow.length, out);
    expect(hex(out)).toBe('6ddf3eeebf17df2e559d40c605f3ae22');
    expect(cityHash128Equals(moscow, 0, moscow.length, out)).toBe(true);
    out[15] ^= 1;
    expect(cityHash128Equals(moscow, 0, moscow.length, out)).toBe(false);
  });

  it('hashes a sub-range the same as a copy of it (offsets, no reads outside the range)', () => {
    for (const [off, len] of [[1, 0], [3, 7], [5, 15], [7, 16], [9, 127], [11, 128], [13, 129], [17, 1000], [1, 4099]]) {
      const copy = data.slice(off, off + len);
      expect(cityHash128(data, off, len)).toEqual(cityHash128(copy));
      // Bytes around the range must not matter.
      const padded = new Uint8Array(len + 64).fill(0xab);
      padded.set(copy, 32);
      expect(cityHash128(padded, 32, len)).toEqual(cityHash128(copy));
    }
  });

  it('agrees with a BigInt reference on random inputs', () => {
    const rnd = xorshiftBytes(5000, 42);
    for (let len = 0; len < 700; len += 3) {
      const off = len % 13;
      expect(cityHash128(rnd, off, len)).toEqual(cityHash128Reference(rnd.subarray(off, off + len)));
    }
    const ones = new Uint8Array(1000).fill(0xff);
    expect(cityHash128(ones)).toEqual(cityHash128Reference(ones));
  });

  it('rejects ranges outside the input', () => {
    expect(() => cityHash128(data.subarray(0, 10), 5, 6)).toThrow(RangeError);
    expect(() => cityHash128Into(data, 0, 1, new Uint8Array(15))).toThrow(RangeError);
  });
});
