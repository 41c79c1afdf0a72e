import { beforeAll, describe, expect, it } from 'vitest';
import { CompressionError } from '../../src/compression/compression-error.js';
import { initZstd, isZstdReady, zstdCompress, zstdDecompress } from '../../src/compression/zstd.js';
import { golden, sameBytes, textBytes, xorshiftBytes } from './test-data.js';

describe('ZSTD (wasm)', () => {
  beforeAll(async () => {
    await Promise.all([initZstd(), initZstd()]); // concurrent init is fine
  });

  it('is ready after init', () => {
    expect(isZstdReady()).toBe(true);
  });

  it('decodes frames made by python-zstandard, with and without a content size', () => {
    const text = textBytes(20000, 7);
    expect(sameBytes(zstdDecompress(golden('zstd-text20000-level3.zst'), 20000), text)).toBe('same');
    expect(sameBytes(zstdDecompress(golden('zstd-text20000-level3.zst')), text)).toBe('same');
    expect(sameBytes(zstdDecompress(golden('zstd-text20000-nosize.zst'), 20000), text)).toBe('same');
    expect(sameBytes(zstdDecompress(golden('zstd-text20000-nosize.zst')), text)).toBe('same');
  });

  it('round-trips sizes 0..1 MB at several levels', () => {
    for (const n of [0, 1, 100, 65536, 1 << 20]) {
      for (const level of [1, 3, 9]) {
        const text = textBytes(n, n + level);
        const c = zstdCompress(text, level);
        expect(sameBytes(zstdDecompress(c, n), text)).toBe('same');
        expect(sameBytes(zstdDecompress(c), text)).toBe('same');
      }
      const rnd = xorshiftBytes(n, 3);
      expect(sameBytes(zstdDecompress(zstdCompress(rnd), n), rnd)).toBe('same');
    }
  });

  it('grows the output for frames without a size (and concatenated frames)', () => {
    const big = textBytes(3 << 20, 1);
    const nosize = golden('zstd-text20000-nosize.zst');
    expect(zstdDecompress(nosize, undefined, 1 << 20).length).toBe(20000);
    const two = new Uint8Array([...zstdCompress(big.subarray(0, 100)), ...zstdCompress(big)]);
    expect(zstdDecompress(two).length).toBe(100 + big.length);
    expect(() => zstdDecompress(zstdCompress(big), undefined, 1 << 20)).toThrow(/limit/);
  });

  it('throws CompressionError on wrong sizes and corrupt input', () => {
    const text = textBytes(5000, 1);
    const c = zstdCompress(text);
    expect(() => zstdDecompress(c, 4999)).toThrow(CompressionError);
    expect(() => zstdDecompress(c, 5001)).toThrow(/expected 5001/);
    expect(() => zstdDecompress(new Uint8Array([1, 2, 3, 4, 5, 6]), 10)).toThrow(/ZSTD/);
    expect(() => zstdDecompress(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0xff, 0xff]))).toThrow(CompressionError);
    const rnd = xorshiftBytes(3000, 1);
    for (let t = 0; t < 500; t++) {
      const bad = c.slice();
      bad[4 + ((rnd[t * 2] << 8 | rnd[t * 2 + 1]) % (bad.length - 4))] ^= 0x10;
      try {
        zstdDecompress(bad, 5000);
      } catch (e) {
        expect(e).toBeInstanceOf(CompressionError);
      }
    }
  });
});
