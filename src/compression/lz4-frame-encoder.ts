// Streaming LZ4 frame encoder, for `Content-Encoding: lz4` responses: the header goes out with
// the first chunk, each full block as soon as it is filled, and the end mark plus content
// checksum on finish(). Blocks are independent (every decoder handles those) and a block that
// does not shrink is stored raw.

import { lz4CompressBound, lz4CompressInto } from './lz4-block.js';
import {
  BLOCK_UNCOMPRESSED_FLAG, FLG_BLOCK_CHECKSUM, FLG_BLOCK_INDEPENDENT, FLG_CONTENT_CHECKSUM, FLG_CONTENT_SIZE,
  FLG_VERSION_01, LZ4_FRAME_MAGIC, blockSizeCode, writeU32LE, type Lz4FrameBlockSize,
} from './lz4-frame-format.js';
import { XxHash32, xxhash32 } from './xxhash32.js';

export interface Lz4FrameEncoderOptions {
  /** Maximum block size (default 64 KiB, LZ4F's default, which bounds decoder memory). */
  readonly blockSize?: Lz4FrameBlockSize;
  /** Append xxh32 of the whole content (default true). */
  readonly contentChecksum?: boolean;
  /** Append xxh32 after every block (default false). */
  readonly blockChecksum?: boolean;
  /** Record the total size in the header; only possible when it is known up front. */
  readonly contentSize?: number;
}

export class Lz4FrameEncoder {
  private readonly blockSize: Lz4FrameBlockSize;
  private readonly blockChecksum: boolean;
  private readonly hasher: XxHash32 | undefined;
  private readonly contentSize: number | undefined;
  private headerWritten = false;
  private readonly pending: Uint8Array; // input not yet forming a full block
  private pendingLength = 0;
  private total = 0;
  private finished = false;

  constructor(options: Lz4FrameEncoderOptions = {}) {
    this.blockSize = options.blockSize ?? 65536;
    this.blockChecksum = options.blockChecksum ?? false;
    this.hasher = (options.contentChecksum ?? true) ? new XxHash32() : undefined;
    this.contentSize = options.contentSize;
    this.pending = new Uint8Array(this.blockSize);
  }

  /** Encodes more input; returns the bytes ready to send (possibly empty). */
  push(data: Uint8Array): Uint8Array {
    if (this.finished) throw new Error('Lz4FrameEncoder: push() after finish()');
    this.total += data.length;
    this.hasher?.update(data);
    const parts: Uint8Array[] = [];
    if (!this.headerWritten) parts.push(this.header());
    let p = 0;
    if (this.pendingLength > 0) {
      const n = Math.min(data.length, this.blockSize - this.pendingLength);
      this.pending.set(data.subarray(0, n), this.pendingLength);
      this.pendingLength += n;
      p = n;
      if (this.pendingLength === this.blockSize) {
        parts.push(this.block(this.pending, 0, this.blockSize));
        this.pendingLength = 0;
      }
    }
    for (; data.length - p >= this.blockSize; p += this.blockSize) parts.push(this.block(data, p, this.blockSize));
    if (p < data.length) {
      this.pending.set(data.subarray(p), this.pendingLength);
      this.pendingLength += data.length - p;
    }
    return concat(parts);
  }

  /** Flushes the last partial block and writes the end mark (and content checksum). */
  finish(): Uint8Array {
    if (this.finished) throw new Error('Lz4FrameEncoder: finish() called twice');
    this.finished = true;
    if (this.contentSize !== undefined && this.contentSize !== this.total) {
      throw new Error(`Lz4FrameEncoder: declared content size ${this.contentSize} but got ${this.total} bytes`);
    }
    const parts: Uint8Array[] = [];
    if (!this.headerWritten) parts.push(this.header());
    if (this.pendingLength > 0) parts.push(this.block(this.pending, 0, this.pendingLength));
    const tail = new Uint8Array(this.hasher !== undefined ? 8 : 4); // end mark (0) [+ checksum]
    if (this.hasher !== undefined) writeU32LE(tail, 4, this.hasher.digest());
    parts.push(tail);
    return concat(parts);
  }

  private header(): Uint8Array {
    this.headerWritten = true;
    const hasSize = this.contentSize !== undefined;
    const h = new Uint8Array(hasSize ? 15 : 7);
    writeU32LE(h, 0, LZ4_FRAME_MAGIC);
    h[4] = FLG_VERSION_01 | FLG_BLOCK_INDEPENDENT
      | (this.blockChecksum ? FLG_BLOCK_CHECKSUM : 0)
      | (this.hasher !== undefined ? FLG_CONTENT_CHECKSUM : 0)
      | (hasSize ? FLG_CONTENT_SIZE : 0);
    h[5] = blockSizeCode(this.blockSize);
    if (this.contentSize !== undefined) {
      writeU32LE(h, 6, this.contentSize >>> 0);
      writeU32LE(h, 10, Math.floor(this.contentSize / 4294967296));
    }
    h[h.length - 1] = (xxhash32(h, 4, h.length - 5) >>> 8) & 0xff;
    return h;
  }

  private block(src: Uint8Array, offset: number, length: number): Uint8Array {
    const extra = this.blockChecksum ? 4 : 0;
    const out = new Uint8Array(4 + Math.max(length, lz4CompressBound(length)) + extra);
    let n = lz4CompressInto(src, offset, length, out, 4);
    if (n >= length) {
      // Incompressible: store it, flagged by the size's high bit.
      out.set(src.subarray(offset, offset + length), 4);
      n = length;
      writeU32LE(out, 0, (n | BLOCK_UNCOMPRESSED_FLAG) >>> 0);
    } else {
      writeU32LE(out, 0, n);
    }
    if (this.blockChecksum) writeU32LE(out, 4 + n, xxhash32(out, 4, n));
    return out.subarray(0, 4 + n + extra);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let q = 0;
  for (const p of parts) {
    out.set(p, q);
    q += p.length;
  }
  return out;
}
