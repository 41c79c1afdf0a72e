// Incremental reader of ClickHouse compressed frames: feed it socket chunks of any size and
// take decompressed payloads out as frames complete. A partial frame is never decoded; it
// waits for more bytes. Bytes after the last frame (e.g. the next uncompressed packet of the
// native protocol) can be taken back with takeBuffered().

import { ByteQueue } from './byte-queue.js';
import {
  CHECKSUM_SIZE, COMPRESSED_BLOCK_HEADER_SIZE, decodeCompressedBlockBody, parseCompressedBlockHeader,
  type CompressedBlockHeader, type CompressedBlockLimits,
} from './compressed-block-format.js';
import { CompressionError } from './compression-error.js';

export class CompressedBlockReader {
  private readonly queue = new ByteQueue();
  private readonly headerBytes = new Uint8Array(COMPRESSED_BLOCK_HEADER_SIZE);
  /** Header of the frame at the front of the queue, once its 25 bytes have arrived. */
  private pending: CompressedBlockHeader | undefined;

  constructor(private readonly limits: CompressedBlockLimits = {}) {}

  /** Bytes received but not yet consumed as whole frames. */
  get bufferedBytes(): number {
    return this.queue.length;
  }

  /** Adds received bytes. The chunk is referenced, not copied: do not modify it afterwards. */
  push(chunk: Uint8Array): void {
    this.queue.push(chunk);
  }

  /**
   * The next decompressed payload, or undefined if no complete frame is buffered yet.
   * Throws CompressionError (unknown method, bad size, checksum mismatch, corrupt payload).
   */
  next(): Uint8Array | undefined {
    if (this.pending === undefined) {
      if (this.queue.length < COMPRESSED_BLOCK_HEADER_SIZE) return undefined;
      for (let i = 0; i < COMPRESSED_BLOCK_HEADER_SIZE; i++) this.headerBytes[i] = this.queue.byteAt(i);
      // Throws before waiting for the payload, as ClickHouse does for an unknown method.
      this.pending = parseCompressedBlockHeader(this.headerBytes, CHECKSUM_SIZE, this.limits);
    }
    const frameLength = CHECKSUM_SIZE + this.pending.compressedSize;
    if (this.queue.length < frameLength) return undefined;
    const header = this.pending;
    this.pending = undefined;
    const frame = this.queue.take(frameLength);
    return decodeCompressedBlockBody(frame, 0, header);
  }

  /** push(chunk), then every payload that is now complete. */
  feed(chunk: Uint8Array): Uint8Array[] {
    this.push(chunk);
    const out: Uint8Array[] = [];
    for (let d = this.next(); d !== undefined; d = this.next()) out.push(d);
    return out;
  }

  /** Removes and returns the buffered bytes that do not form a complete frame. */
  takeBuffered(): Uint8Array {
    this.pending = undefined;
    return this.queue.takeAll();
  }

  /** Call at end of input: throws if a frame was left incomplete. */
  finish(): void {
    if (this.queue.length > 0) {
      const expected = this.pending === undefined ? COMPRESSED_BLOCK_HEADER_SIZE : CHECKSUM_SIZE + this.pending.compressedSize;
      throw new CompressionError('CANNOT_READ_ALL_DATA',
        `Cannot read all data. Bytes read: ${this.queue.length}. Bytes expected: ${expected}`);
    }
  }
}
