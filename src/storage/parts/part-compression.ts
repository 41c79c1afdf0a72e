import { lz4CompressBound, lz4CompressInto, lz4DecompressInto } from '../../compression/lz4-block.js';
import { DbError } from '../../errors/index.js';
import { crc32cUpdate } from '../log/crc32c.js';

/**
 * Compressed blocks inside part column files: a 16-byte header then the data.
 *
 *   0 u8 method (0 none, 1 LZ4 block)   4 u32 compressed size   8 u32 uncompressed size
 *   12 u32 CRC32C of header bytes [0, 12) and the data
 *
 * `DEFAULT_PART_CODEC` is the switch new parts use; readers accept every method.
 */
export type PartCodec = 'none' | 'lz4';
export const DEFAULT_PART_CODEC: PartCodec = 'lz4';

export const BLOCK_HEADER_SIZE = 16;
const METHOD: Record<PartCodec, number> = { none: 0, lz4: 1 };

let scratch = new Uint8Array(0);

/** Compresses `data` into a new buffer holding header + compressed bytes (stored raw when it does not shrink by 1/8). */
/** True when the block was stored without compression. */
export function isStoredRaw(block: Uint8Array): boolean {
  return block[0] === 0;
}

export function compressBlock(data: Uint8Array, codec: PartCodec): Uint8Array {
  let method = METHOD[codec];
  let out: Uint8Array;
  let size: number;
  if (method === 1) {
    const bound = lz4CompressBound(data.length) + BLOCK_HEADER_SIZE;
    if (scratch.length < bound) scratch = new Uint8Array(Math.max(bound, scratch.length * 2));
    size = lz4CompressInto(data, 0, data.length, scratch, BLOCK_HEADER_SIZE);
    if (size >= data.length - (data.length >>> 3)) {
      method = 0;
    } else {
      out = scratch.slice(0, BLOCK_HEADER_SIZE + size);
    }
  }
  if (method === 0) {
    size = data.length;
    out = new Uint8Array(BLOCK_HEADER_SIZE + size);
    out.set(data, BLOCK_HEADER_SIZE);
  }
  const v = new DataView(out!.buffer, out!.byteOffset, BLOCK_HEADER_SIZE);
  // Stored raw: the header's method byte says so; readers handle both.
  v.setUint8(0, method);
  v.setUint32(4, size!, true);
  v.setUint32(8, data.length, true);
  v.setUint32(12, crc32cUpdate(crc32cUpdate(0, out!, 0, 12), out!, BLOCK_HEADER_SIZE, out!.length), true);
  return out!;
}

/** Verifies and decompresses the block occupying buf[at, at + length); the result is a fresh, aligned buffer. */
export function decompressBlock(buf: Uint8Array, at: number, length: number, where: string): Uint8Array {
  if (length < BLOCK_HEADER_SIZE || at + length > buf.length) {
    throw new DbError('CORRUPTED_DATA', `${where}: compressed block of ${length} bytes is truncated`);
  }
  const v = new DataView(buf.buffer, buf.byteOffset + at, BLOCK_HEADER_SIZE);
  const method = v.getUint8(0);
  const size = v.getUint32(4, true);
  const raw = v.getUint32(8, true);
  if (size !== length - BLOCK_HEADER_SIZE) {
    throw new DbError('CORRUPTED_DATA', `${where}: compressed size ${size} does not match the mark (${length - BLOCK_HEADER_SIZE})`);
  }
  const crc = crc32cUpdate(crc32cUpdate(0, buf, at, at + 12), buf, at + BLOCK_HEADER_SIZE, at + length);
  if (crc !== v.getUint32(12, true)) {
    throw new DbError('CHECKSUM_DOESNT_MATCH', `${where}: checksum of a compressed block doesn't match (corrupted data)`);
  }
  const data = buf.subarray(at + BLOCK_HEADER_SIZE, at + length);
  if (method === 0) {
    if (raw !== size) throw new DbError('CORRUPTED_DATA', `${where}: stored block sizes differ`);
    return data.slice();
  }
  if (method !== 1) throw new DbError('CORRUPTED_DATA', `${where}: unknown compression method ${method}`);
  const out = new Uint8Array(raw);
  let n: number;
  try {
    n = lz4DecompressInto(data, 0, data.length, out, 0, raw);
  } catch (e) {
    throw new DbError('CORRUPTED_DATA', `${where}: ${(e as Error).message}`);
  }
  if (n !== raw) throw new DbError('CORRUPTED_DATA', `${where}: decompressed ${n} bytes, expected ${raw}`);
  return out;
}
