import { beforeAll, describe, expect, it } from 'vitest';
import {
  COMPRESSED_BLOCK_HEADER_SIZE, CompressedBlockReader, decodeCompressedBlockAt, decodeCompressedStream,
  encodeCompressedBlock, type CompressionMethod,
} from '../../src/compression/compressed-block.js';
import { cityHash128Into } from '../../src/compression/city-hash-128.js';
import { CompressionError } from '../../src/compression/compression-error.js';
import { initZstd } from '../../src/compression/zstd.js';
import { concatBytes, golden, hex, sameBytes, textBytes, xorshiftBytes } from './test-data.js';

const METHODS: CompressionMethod[] = ['lz4', 'zstd', 'none'];
const enc = new TextEncoder();

function errorOf(fn: () => unknown): CompressionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CompressionError);
    return e as CompressionError;
  }
  throw new Error('expected a CompressionError');
}

describe('ClickHouse compressed blocks', () => {
  beforeAll(() => initZstd());

  const chGoRaw = golden('ch-go-data_raw.raw'); // "Hello!\n" x 25

  it('decodes ch-go golden frames (LZ4, LZ4HC, ZSTD, none)', () => {
    expect(new TextDecoder().decode(chGoRaw)).toBe('Hello!\n'.repeat(25));
    for (const name of ['lz4', 'lz4hc', 'zstd', 'none']) {
      const frame = golden(`ch-go-data_compressed_${name}.raw`);
      expect(sameBytes(decodeCompressedStream(frame), chGoRaw), name).toBe('same');
    }
  });

  it("encodes 'none' byte-for-byte like ch-go (same checksum)", () => {
    expect(hex(encodeCompressedBlock(chGoRaw, 'none'))).toBe(hex(golden('ch-go-data_compressed_none.raw')));
  });

  it('decodes frames built the clickhouse-driver way (LZ4 + ZSTD + none, back to back)', () => {
    const expected = concatBytes([textBytes(20000, 7), xorshiftBytes(3000, 99), enc.encode('Moscow')]);
    const stream = golden('clickhouse-driver-blocks.bin');
    expect(sameBytes(decodeCompressedStream(stream), expected)).toBe('same');
    for (const size of [1, 5, 25, 4096]) {
      const reader = new CompressedBlockReader();
      const parts: Uint8Array[] = [];
      for (let p = 0; p < stream.length; p += size) parts.push(...reader.feed(stream.subarray(p, p + size)));
      reader.finish();
      expect(parts.length).toBe(3);
      expect(sameBytes(concatBytes(parts), expected)).toBe('same');
    }
  });

  it('round-trips every method for sizes 0..1 MB', () => {
    const sizes = [0, 1, 2, 15, 16, 17, 100, 1000, 65536, 100_000, 1 << 20];
    for (const method of METHODS) {
      for (const n of sizes) {
        for (const data of [textBytes(n, n), xorshiftBytes(n, n + 1)]) {
          const frame = encodeCompressedBlock(data, method);
          expect(frame[16]).toBe({ lz4: 0x82, zstd: 0x90, none: 0x02 }[method]);
          const r = decodeCompressedBlockAt(frame, 0);
          expect(r?.end).toBe(frame.length);
          expect(sameBytes(r!.data, data)).toBe('same');
        }
      }
    }
  });

  it('short reads: every prefix waits for more bytes, never returns a payload', () => {
    for (const method of METHODS) {
      const frame = encodeCompressedBlock(textBytes(300, 1), method);
      for (let n = 0; n < frame.length; n++) {
        const prefix = frame.subarray(0, n);
        expect(decodeCompressedBlockAt(prefix, 0)).toBeUndefined();
        const reader = new CompressedBlockReader();
        expect(reader.feed(prefix)).toEqual([]);
        expect(reader.bufferedBytes).toBe(n);
        if (n > 0) expect(errorOf(() => reader.finish()).name).toBe('CANNOT_READ_ALL_DATA');
        if (n > 0) expect(() => decodeCompressedStream(prefix)).toThrow(CompressionError);
        // The rest completes it.
        expect(reader.feed(frame.subarray(n)).length).toBe(1);
        reader.finish();
      }
    }
  });

  it('any corrupted byte is caught (checksum, method or size), like ch-go CheckHash', () => {
    for (const method of METHODS) {
      const frame = encodeCompressedBlock(textBytes(500, 2), method);
      for (let i = 0; i < frame.length; i++) {
        const bad = frame.slice();
        bad[i]++;
        const e = errorOf(() => decodeCompressedStream(bad));
        if (i < 16 || i >= COMPRESSED_BLOCK_HEADER_SIZE) expect(e.name).toBe('CHECKSUM_DOESNT_MATCH');
      }
    }
  });

  it('reports ClickHouse codes: checksum 40, unknown method 89, too large 39', () => {
    const frame = encodeCompressedBlock(enc.encode('hello'), 'lz4');
    const badSum = frame.slice();
    badSum[0] ^= 1;
    const e1 = errorOf(() => decodeCompressedStream(badSum));
    expect([e1.code, e1.name]).toEqual([40, 'CHECKSUM_DOESNT_MATCH']);
    expect(e1.message).toMatch(/^Checksum doesn't match: corrupted data\. Reference: [0-9a-f]{32}\. Actual: [0-9a-f]{32}\. Size of compressed block: \d+$/);

    const badMethod = frame.slice();
    badMethod[16] = 0x91;
    // Thrown from the header alone, before the payload has arrived.
    const reader = new CompressedBlockReader();
    reader.push(badMethod.subarray(0, COMPRESSED_BLOCK_HEADER_SIZE));
    const e2 = errorOf(() => reader.next());
    expect([e2.code, e2.name]).toEqual([89, 'UNKNOWN_COMPRESSION_METHOD']);
    expect(e2.message).toContain('0x91');

    const huge = frame.slice();
    huge[17 + 3] = 0x7f; // compressed size ~2 GiB
    expect(errorOf(() => decodeCompressedBlockAt(huge, 0)).code).toBe(39);
    const tooBig = encodeCompressedBlock(new Uint8Array(5000), 'lz4');
    expect(errorOf(() => decodeCompressedBlockAt(tooBig, 0, { maxUncompressedSize: 4096 })).code).toBe(39);
  });

  it('a frame whose checksum is right but whose payload is corrupt still fails cleanly', () => {
    // Re-sign corrupted frames (as ch-go's FuzzReader_Read does) so the payload decoder is exercised.
    const rnd = xorshiftBytes(20_000, 11);
    for (const method of ['lz4', 'none'] as const) {
      const frame = encodeCompressedBlock(textBytes(2000, 3), method);
      for (let t = 0; t < 1000; t++) {
        const bad = frame.slice();
        bad[COMPRESSED_BLOCK_HEADER_SIZE + ((rnd[t * 3] << 8 | rnd[t * 3 + 1]) % (bad.length - COMPRESSED_BLOCK_HEADER_SIZE))] ^= 1 << (rnd[t * 3 + 2] & 7);
        const resigned = resign(bad);
        try {
          decodeCompressedStream(resigned);
        } catch (e) {
          expect(e).toBeInstanceOf(CompressionError);
        }
      }
    }
  });

  it('hands back the bytes after the last frame (the next native packet)', () => {
    const frame = encodeCompressedBlock(enc.encode('payload'), 'lz4');
    const reader = new CompressedBlockReader();
    const out = reader.feed(concatBytes([frame, new Uint8Array([1, 2, 3])]));
    expect(new TextDecoder().decode(out[0])).toBe('payload');
    expect(reader.bufferedBytes).toBe(3);
    expect(reader.takeBuffered()).toEqual(new Uint8Array([1, 2, 3]));
    reader.finish();
  });
});

/** Recomputes the checksum of a (corrupted) frame in place, so the payload decoder behind it runs. */
function resign(frame: Uint8Array): Uint8Array {
  cityHash128Into(frame, 16, frame.length - 16, frame, 0);
  return frame;
}
