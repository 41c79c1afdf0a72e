import { describe, expect, it } from 'vitest';
import { CompressionError } from '../../src/compression/compression-error.js';
import {
  lz4Compress, lz4CompressBound, lz4CompressInto, lz4Decompress, lz4DecompressInto,
} from '../../src/compression/lz4-block.js';
import { golden, sameBytes, textBytes, xorshiftBytes } from './test-data.js';

function roundTrip(data: Uint8Array): Uint8Array {
  const c = lz4Compress(data);
  expect(c.length).toBeLessThanOrEqual(lz4CompressBound(data.length));
  expect(sameBytes(lz4Decompress(c, data.length), data)).toBe('same');
  return c;
}

/** Runs fn and requires it to return normally or throw a CompressionError, nothing else. */
function expectCleanOutcome(fn: () => unknown): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CompressionError);
    expect((e as CompressionError).code).toBe(271);
  }
}

describe('LZ4 block', () => {
  it('decodes blocks made by python-lz4 (liblz4), default and HC', () => {
    expect(sameBytes(lz4Decompress(golden('lz4-block-text20000-default.lz4'), 20000), textBytes(20000, 7))).toBe('same');
    expect(sameBytes(lz4Decompress(golden('lz4-block-text20000-hc.lz4'), 20000), textBytes(20000, 7))).toBe('same');
    expect(sameBytes(lz4Decompress(golden('lz4-block-random3000.lz4'), 3000), xorshiftBytes(3000, 99))).toBe('same');
  });

  it('round-trips every size from 0 to 300 (random and repetitive)', () => {
    for (let n = 0; n <= 300; n++) {
      roundTrip(xorshiftBytes(n, n + 1));
      roundTrip(textBytes(n, n + 1));
      roundTrip(new Uint8Array(n).fill(n & 0xff));
    }
  });

  it('round-trips large inputs up to 1 MB and compresses what is compressible', () => {
    for (const n of [1000, 65535, 65536, 65537, 100_000, 1 << 20]) {
      const text = textBytes(n, 3);
      expect(roundTrip(text).length).toBeLessThan(n * 0.6);
      roundTrip(xorshiftBytes(n, 5));
      expect(roundTrip(new Uint8Array(n)).length).toBeLessThan(n / 200 + 20);
    }
    // Matches beyond the 64 KiB window must not be used: same 70 KB chunk twice.
    const chunk = xorshiftBytes(70_000, 9);
    const twice = new Uint8Array(140_000);
    twice.set(chunk, 0);
    twice.set(chunk, 70_000);
    roundTrip(twice);
    // Short periodic patterns exercise overlapping match copies.
    for (const period of [1, 2, 3, 5, 7, 31, 33, 100]) {
      const p = new Uint8Array(5000);
      for (let i = 0; i < p.length; i++) p[i] = (i % period) * 37;
      roundTrip(p);
    }
  });

  it('compresses and decompresses sub-ranges without touching bytes outside them', () => {
    const data = textBytes(10_000, 1);
    const dst = new Uint8Array(20 + lz4CompressBound(5000) + 20).fill(0xee);
    const n = lz4CompressInto(data, 1234, 5000, dst, 20);
    expect(dst.subarray(0, 20).every((b) => b === 0xee)).toBe(true);
    expect(dst.subarray(20 + n).every((b) => b === 0xee)).toBe(true);
    const out = new Uint8Array(5010).fill(0xdd);
    expect(lz4DecompressInto(dst, 20, n, out, 5, 5005)).toBe(5005);
    expect(sameBytes(out.subarray(5, 5005), data.subarray(1234, 6234))).toBe('same');
    expect([...out.subarray(0, 5), ...out.subarray(5005)].every((b) => b === 0xdd)).toBe(true);
  });

  it('rejects a destination smaller than the bound', () => {
    expect(() => lz4CompressInto(new Uint8Array(100), 0, 100, new Uint8Array(100), 0)).toThrow(RangeError);
  });

  it('throws on malformed blocks', () => {
    const cases: [string, number[], number][] = [
      ['empty input', [], 0],
      ['truncated literal length', [0xf0], 100],
      ['literals past input end', [0x50, 1, 2], 5],
      ['literals past output size', [0x30, 1, 2, 3], 2],
      ['zero offset', [0x10, 65, 0, 0], 100],
      ['offset before output start', [0x10, 65, 2, 0], 100],
      ['match past output size', [0x1f, 65, 1, 0, 200], 50],
      ['truncated offset', [0x10, 65, 1], 100],
      ['truncated match length', [0x1f, 65, 1, 0], 100],
    ];
    for (const [name, bytes, size] of cases) {
      expect(() => lz4Decompress(new Uint8Array(bytes), size), name).toThrow(CompressionError);
    }
    // Decodes fine, but to fewer bytes than announced.
    expect(() => lz4Decompress(new Uint8Array([0x20, 1, 2]), 3)).toThrow(/expected 3/);
  });

  it('survives random corruption: returns or throws CompressionError, never hangs or reads out of range', () => {
    const data = textBytes(20_000, 4);
    const good = lz4Compress(data);
    const rnd = xorshiftBytes(200_000, 77);
    let r = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const bad = good.slice();
      const flips = 1 + (rnd[r++] % 4);
      for (let f = 0; f < flips; f++) {
        const pos = ((rnd[r++] << 8) | rnd[r++]) % bad.length;
        bad[pos] ^= 1 << (rnd[r++] & 7);
      }
      expectCleanOutcome(() => lz4Decompress(bad, data.length));
      // Truncation too.
      expectCleanOutcome(() => lz4Decompress(bad.subarray(0, (trial * 7) % bad.length), data.length));
    }
    // Pure garbage.
    for (let trial = 0; trial < 2000; trial++) {
      const junk = xorshiftBytes(1 + (trial % 300), trial + 1);
      expectCleanOutcome(() => lz4Decompress(junk, trial % 1000));
    }
  });
});
