import { describe, expect, it } from 'vitest';
import { CompressionError } from '../../src/compression/compression-error.js';
import {
  Lz4FrameDecoder, Lz4FrameEncoder, lz4FrameDecode, lz4FrameEncode, type Lz4FrameBlockSize,
} from '../../src/compression/lz4-frame.js';
import { XxHash32, xxhash32 } from '../../src/compression/xxhash32.js';
import { concatBytes, golden, sameBytes, textBytes, xorshiftBytes } from './test-data.js';

const enc = new TextEncoder();

/** Decodes with the streaming decoder, feeding chunks of `size` bytes. */
function decodeChunked(data: Uint8Array, size: number): Uint8Array {
  const dec = new Lz4FrameDecoder();
  const parts: Uint8Array[] = [];
  for (let p = 0; p < data.length; p += size) parts.push(...dec.push(data.subarray(p, p + size)));
  dec.finish();
  return concatBytes(parts);
}

describe('xxhash32', () => {
  it('matches python xxhash', () => {
    const vectors: [Uint8Array, number, number][] = [
      [new Uint8Array(0), 0x02cc5d05, 0x8d3b42d8],
      [enc.encode('a'), 0x550d7456, 0x12b7e114],
      [enc.encode('abc'), 0x32d153ff, 0x4d4cb222],
      [enc.encode('Nobody inspects the spammish repetition'), 0xe2293b2f, 0x70b91719],
      [Uint8Array.from({ length: 768 }, (_, i) => i & 0xff), 0xcdb946b1, 0xeaa85739],
    ];
    for (const [data, h0, hSeed] of vectors) {
      expect(xxhash32(data)).toBe(h0);
      expect(xxhash32(data, 0, data.length, 0x9747b28c)).toBe(hSeed);
    }
  });

  it('incremental hashing equals one-shot for any split', () => {
    const data = xorshiftBytes(1000, 3);
    for (const split of [0, 1, 3, 15, 16, 17, 100, 999, 1000]) {
      for (const step of [1, 5, 16, 33]) {
        const h = new XxHash32();
        h.update(data, 0, split);
        for (let p = split; p < data.length; p += step) h.update(data.subarray(p, Math.min(p + step, data.length)));
        expect(h.digest()).toBe(xxhash32(data));
      }
    }
  });
});

describe('LZ4 frame', () => {
  it('decodes python-lz4 frames (linked blocks, checksums, independent blocks, empty)', () => {
    expect(sameBytes(lz4FrameDecode(golden('lz4-frame-text140000-default.lz4')), textBytes(140000, 11))).toBe('same');
    expect(sameBytes(lz4FrameDecode(golden('lz4-frame-text70000-checksums.lz4')), textBytes(70000, 12))).toBe('same');
    expect(sameBytes(lz4FrameDecode(golden('lz4-frame-text70000-independent.lz4')), textBytes(70000, 12))).toBe('same');
    expect(sameBytes(lz4FrameDecode(golden('lz4-frame-random3000.lz4')), xorshiftBytes(3000, 99))).toBe('same');
    expect(sameBytes(lz4FrameDecode(golden('lz4-frame-empty.lz4')), new Uint8Array(0))).toBe('same');
  });

  it('decodes the same when fed in small chunks', () => {
    const frame = golden('lz4-frame-text70000-checksums.lz4');
    for (const size of [1, 3, 4, 7, 1000, 65536]) {
      expect(sameBytes(decodeChunked(frame, size), textBytes(70000, 12))).toBe('same');
    }
  });

  it('round-trips with every option combination', () => {
    const inputs = [new Uint8Array(0), enc.encode('x'), textBytes(300_000, 2), xorshiftBytes(100_000, 8)];
    const sizes: Lz4FrameBlockSize[] = [65536, 262144, 1048576, 4194304];
    for (const data of inputs) {
      for (const blockSize of sizes) {
        for (const contentChecksum of [false, true]) {
          for (const blockChecksum of [false, true]) {
            const f = lz4FrameEncode(data, { blockSize, contentChecksum, blockChecksum });
            expect(sameBytes(lz4FrameDecode(f), data)).toBe('same');
          }
        }
      }
    }
  });

  it('streams: encoder pushes of any size decode to the concatenation', () => {
    const data = textBytes(200_000, 6);
    const e = new Lz4FrameEncoder({ blockSize: 65536 });
    const parts: Uint8Array[] = [];
    for (let p = 0, step = 1; p < data.length; p += step, step = step * 3 + 1) parts.push(e.push(data.subarray(p, p + step)));
    parts.push(e.finish());
    expect(sameBytes(decodeChunked(concatBytes(parts), 4096), data)).toBe('same');
  });

  it('handles concatenated frames and skippable frames', () => {
    const a = lz4FrameEncode(enc.encode('hello '));
    const b = lz4FrameEncode(enc.encode('world'));
    const skippable = new Uint8Array([0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 9, 9, 9]);
    expect(new TextDecoder().decode(lz4FrameDecode(concatBytes([skippable, a, skippable, b])))).toBe('hello world');
  });

  it('every proper prefix is reported as truncated, never decoded as complete', () => {
    const f = lz4FrameEncode(textBytes(3000, 1), { blockSize: 65536, blockChecksum: true });
    for (let n = 1; n < f.length; n++) {
      const dec = new Lz4FrameDecoder();
      dec.push(f.subarray(0, n));
      expect(() => dec.finish()).toThrow(CompressionError);
    }
  });

  it('detects corrupted checksums and bad headers', () => {
    const f = lz4FrameEncode(textBytes(5000, 1), { blockChecksum: true, contentChecksum: true });
    const errorAt = (i: number): CompressionError => {
      const bad = f.slice();
      bad[i] ^= 0x40;
      try {
        lz4FrameDecode(bad);
      } catch (e) {
        return e as CompressionError;
      }
      throw new Error(`no error when byte ${i} was corrupted`);
    };
    expect(errorAt(0).message).toMatch(/bad magic/);
    expect(errorAt(14).message).toMatch(/header checksum/); // HC byte (content size present)
    expect(errorAt(f.length - 1).name).toBe('CHECKSUM_DOESNT_MATCH'); // content checksum
    expect(errorAt(30).name).toBe('CHECKSUM_DOESNT_MATCH'); // inside block 1 data: block checksum
    for (let i = 0; i < f.length; i++) expect(errorAt(i)).toBeInstanceOf(CompressionError);
  });

  it('throws cleanly on random corruption of frames without checksums', () => {
    const f = lz4FrameEncode(textBytes(20_000, 1), { contentChecksum: false });
    const rnd = xorshiftBytes(10_000, 5);
    for (let t = 0; t < 2000; t++) {
      const bad = f.slice();
      bad[(rnd[t * 3] << 8 | rnd[t * 3 + 1]) % bad.length] ^= 1 << (rnd[t * 3 + 2] & 7);
      try {
        lz4FrameDecode(bad);
      } catch (e) {
        expect(e).toBeInstanceOf(CompressionError);
      }
    }
  });

  it('enforces the output limit', () => {
    const f = lz4FrameEncode(new Uint8Array(1 << 20));
    expect(() => lz4FrameDecode(f, { maxOutputSize: 1000 })).toThrow(/limit/);
    const streamed = new Lz4FrameEncoder();
    const g = concatBytes([streamed.push(new Uint8Array(1 << 20)), streamed.finish()]);
    expect(() => lz4FrameDecode(g, { maxOutputSize: 100_000 })).toThrow(/limit/);
  });
});
