// ClickHouse's compressed-block framing, used by the native protocol (after the hello, when
// the client asked for compression) and by HTTP `compress=1` / `decompress=1`:
//
//   [16] CityHash128 v1.0.2 of everything after it (low u64 LE, then high u64 LE)
//   [1]  method: 0x82 LZ4 (also LZ4HC), 0x90 ZSTD, 0x02 none
//   [4]  u32 LE compressed size, counting these 9 header bytes
//   [4]  u32 LE uncompressed size
//   [..] payload

import { cityHash128Into } from './city-hash-128.js';
import {
  CHECKSUM_SIZE, COMPRESSED_BLOCK_HEADER_SIZE, MAX_COMPRESSED_SIZE, METHOD_BYTE, decodeCompressedBlockAt, writeU32,
  type CompressedBlockLimits, type CompressionMethod,
} from './compressed-block-format.js';
import { CompressionError } from './compression-error.js';
import { lz4CompressBound, lz4CompressInto } from './lz4-block.js';
import { zstdCompress } from './zstd.js';

export {
  CHECKSUM_SIZE, COMPRESSED_BLOCK_HEADER_SIZE, COMPRESSION_HEADER_SIZE, MAX_COMPRESSED_SIZE, METHOD_BYTE,
  decodeCompressedBlockAt, decodeCompressedBlockBody, parseCompressedBlockHeader,
  type CompressedBlockHeader, type CompressedBlockLimits, type CompressionMethod,
} from './compressed-block-format.js';
export { CompressedBlockReader } from './compressed-block-reader.js';

/**
 * Compresses data into one framed block. `level` applies to ZSTD (default 1, as ClickHouse's
 * network_zstd_compression_level); LZ4 has a single speed here.
 */
export function encodeCompressedBlock(data: Uint8Array, method: CompressionMethod, level?: number): Uint8Array {
  if (data.length > MAX_COMPRESSED_SIZE) {
    throw new CompressionError('CANNOT_COMPRESS', `Block of ${data.length} bytes is too large to compress (limit ${MAX_COMPRESSED_SIZE})`);
  }
  let frame: Uint8Array;
  switch (method) {
    case 'lz4': {
      const out = new Uint8Array(COMPRESSED_BLOCK_HEADER_SIZE + lz4CompressBound(data.length));
      const n = lz4CompressInto(data, 0, data.length, out, COMPRESSED_BLOCK_HEADER_SIZE);
      const used = COMPRESSED_BLOCK_HEADER_SIZE + n;
      // A view is free, but it pins the whole worst-case buffer: copy when much of it is unused,
      // since callers (e.g. part writers) may keep frames around.
      frame = used < out.length * 0.75 ? out.slice(0, used) : out.subarray(0, used);
      break;
    }
    case 'zstd': {
      const payload = zstdCompress(data, level ?? 1);
      frame = new Uint8Array(COMPRESSED_BLOCK_HEADER_SIZE + payload.length);
      frame.set(payload, COMPRESSED_BLOCK_HEADER_SIZE);
      break;
    }
    case 'none':
      frame = new Uint8Array(COMPRESSED_BLOCK_HEADER_SIZE + data.length);
      frame.set(data, COMPRESSED_BLOCK_HEADER_SIZE);
      break;
    default:
      throw new CompressionError('UNKNOWN_COMPRESSION_METHOD', `Unknown compression method: ${String(method)}`);
  }
  frame[CHECKSUM_SIZE] = METHOD_BYTE[method];
  writeU32(frame, CHECKSUM_SIZE + 1, frame.length - CHECKSUM_SIZE);
  writeU32(frame, CHECKSUM_SIZE + 5, data.length);
  cityHash128Into(frame, CHECKSUM_SIZE, frame.length - CHECKSUM_SIZE, frame, 0);
  return frame;
}

/** Decodes a whole body of back-to-back frames (HTTP `decompress=1`) into one buffer. */
export function decodeCompressedStream(buf: Uint8Array, limits?: CompressedBlockLimits): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let p = 0;
  while (p < buf.length) {
    const r = decodeCompressedBlockAt(buf, p, limits);
    if (r === undefined) {
      throw new CompressionError('CANNOT_READ_ALL_DATA',
        `Cannot read all data: compressed stream ends inside a block (${buf.length - p} trailing bytes)`);
    }
    parts.push(r.data);
    total += r.data.length;
    p = r.end;
  }
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let q = 0;
  for (const part of parts) {
    out.set(part, q);
    q += part.length;
  }
  return out;
}
