// Layout constants and decoding of one ClickHouse compressed frame (see compressed-block.ts
// for the layout). Error codes and checks mirror ClickHouse's CompressedReadBufferBase: the
// method is checked as soon as the header is in, then the sizes, then the checksum, then
// the payload.

import { cityHash128, cityHash128Equals } from './city-hash-128.js';
import { CompressionError } from './compression-error.js';
import { lz4DecompressInto } from './lz4-block.js';
import { zstdDecompress } from './zstd.js';

export type CompressionMethod = 'lz4' | 'zstd' | 'none';

export const CHECKSUM_SIZE = 16;
/** Method byte + compressed size + uncompressed size. */
export const COMPRESSION_HEADER_SIZE = 9;
/** Checksum + header: bytes needed before the frame length is known. */
export const COMPRESSED_BLOCK_HEADER_SIZE = CHECKSUM_SIZE + COMPRESSION_HEADER_SIZE;
/** ClickHouse's DBMS_MAX_COMPRESSED_SIZE: larger frames are treated as corruption. */
export const MAX_COMPRESSED_SIZE = 0x40000000;

export const METHOD_BYTE: Readonly<Record<CompressionMethod, number>> = { lz4: 0x82, zstd: 0x90, none: 0x02 };

export function methodOfByte(b: number): CompressionMethod | undefined {
  switch (b) {
    case 0x82: return 'lz4';
    case 0x90: return 'zstd';
    case 0x02: return 'none';
    default: return undefined;
  }
}

export function writeU32(b: Uint8Array, p: number, v: number): void {
  b[p] = v;
  b[p + 1] = v >>> 8;
  b[p + 2] = v >>> 16;
  b[p + 3] = v >>> 24;
}

function readU32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
}

/** The fields of a frame header, validated. */
export interface CompressedBlockHeader {
  readonly method: CompressionMethod;
  /** Method byte + sizes + payload, i.e. the frame length minus the 16 checksum bytes. */
  readonly compressedSize: number;
  readonly uncompressedSize: number;
}

export interface CompressedBlockLimits {
  /** Largest accepted uncompressed size (default MAX_COMPRESSED_SIZE, 1 GiB). */
  readonly maxUncompressedSize?: number;
}

/** Validates the 9 header bytes at b[p] (just after the checksum), in ClickHouse's order. */
export function parseCompressedBlockHeader(b: Uint8Array, p: number, limits?: CompressedBlockLimits): CompressedBlockHeader {
  const methodByte = b[p];
  const method = methodOfByte(methodByte);
  if (method === undefined) {
    throw new CompressionError('UNKNOWN_COMPRESSION_METHOD',
      `Unknown compression method: ${methodByte} (0x${methodByte.toString(16).padStart(2, '0')})`);
  }
  const compressedSize = readU32(b, p + 1);
  const uncompressedSize = readU32(b, p + 5);
  if (compressedSize > MAX_COMPRESSED_SIZE) {
    throw new CompressionError('TOO_LARGE_SIZE_COMPRESSED',
      `Too large size_compressed_without_checksum: ${compressedSize}. Most likely corrupted data`);
  }
  if (compressedSize < COMPRESSION_HEADER_SIZE) {
    throw new CompressionError('CANNOT_DECOMPRESS',
      `Compressed block size ${compressedSize} is smaller than its own ${COMPRESSION_HEADER_SIZE}-byte header. Most likely corrupted data`);
  }
  const maxUncompressed = limits?.maxUncompressedSize ?? MAX_COMPRESSED_SIZE;
  if (uncompressedSize > maxUncompressed) {
    throw new CompressionError('TOO_LARGE_SIZE_COMPRESSED',
      `Too large size_decompressed: ${uncompressedSize} (limit ${maxUncompressed}). Most likely corrupted data`);
  }
  return { method, compressedSize, uncompressedSize };
}

function hex64(v: bigint): string {
  return v.toString(16).padStart(16, '0');
}

/**
 * Verifies the checksum of the complete frame at b[start, start + 16 + header.compressedSize)
 * and returns its decompressed payload.
 */
export function decodeCompressedBlockBody(b: Uint8Array, start: number, header: CompressedBlockHeader): Uint8Array {
  const bodyStart = start + CHECKSUM_SIZE;
  if (!cityHash128Equals(b, bodyStart, header.compressedSize, b, start)) {
    const actual = cityHash128(b, bodyStart, header.compressedSize);
    const ref = readChecksum(b, start);
    throw new CompressionError('CHECKSUM_DOESNT_MATCH',
      `Checksum doesn't match: corrupted data. Reference: ${hex64(ref.low)}${hex64(ref.high)}. ` +
      `Actual: ${hex64(actual.low)}${hex64(actual.high)}. Size of compressed block: ${header.compressedSize}`);
  }
  const payloadStart = start + COMPRESSED_BLOCK_HEADER_SIZE;
  const payloadLength = header.compressedSize - COMPRESSION_HEADER_SIZE;
  const size = header.uncompressedSize;
  switch (header.method) {
    case 'none':
      if (payloadLength !== size) {
        throw new CompressionError('CANNOT_DECOMPRESS',
          `Uncompressed block holds ${payloadLength} bytes but its header says ${size}`);
      }
      return b.slice(payloadStart, payloadStart + payloadLength);
    case 'lz4': {
      const out = new Uint8Array(size);
      const n = lz4DecompressInto(b, payloadStart, payloadLength, out, 0, size);
      if (n !== size) {
        throw new CompressionError('CANNOT_DECOMPRESS', `Cannot decompress LZ4-encoded data: got ${n} bytes, expected ${size}`);
      }
      return out;
    }
    case 'zstd':
      return zstdDecompress(b.subarray(payloadStart, payloadStart + payloadLength), size);
  }
}

function readChecksum(b: Uint8Array, p: number): { low: bigint; high: bigint } {
  const u64 = (q: number): bigint => (BigInt(readU32(b, q + 4)) << 32n) | BigInt(readU32(b, q));
  return { low: u64(p), high: u64(p + 8) };
}

/**
 * Decodes the frame starting at b[offset]. Returns undefined when b does not yet hold the
 * whole frame (wait for more bytes); throws CompressionError when it is corrupt.
 */
export function decodeCompressedBlockAt(
  b: Uint8Array, offset: number, limits?: CompressedBlockLimits,
): { data: Uint8Array; end: number } | undefined {
  if (b.length - offset < COMPRESSED_BLOCK_HEADER_SIZE) return undefined;
  const header = parseCompressedBlockHeader(b, offset + CHECKSUM_SIZE, limits);
  const end = offset + CHECKSUM_SIZE + header.compressedSize;
  if (end > b.length) return undefined;
  return { data: decodeCompressedBlockBody(b, offset, header), end };
}

