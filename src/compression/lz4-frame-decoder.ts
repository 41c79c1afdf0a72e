// Incremental LZ4 frame decoder: push body chunks as they arrive, get decoded bytes back
// block by block, so a large `Content-Encoding: lz4` insert never has to be held whole.
// Supports linked blocks (python-lz4 / clickhouse-connect's default), block and content
// checksums, content size, skippable frames and concatenated frames.

import { ByteQueue } from './byte-queue.js';
import { CompressionError } from './compression-error.js';
import { lz4DecompressInto } from './lz4-block.js';
import {
  BLOCK_UNCOMPRESSED_FLAG, FLG_BLOCK_CHECKSUM, FLG_BLOCK_INDEPENDENT, FLG_CONTENT_CHECKSUM, FLG_CONTENT_SIZE,
  FLG_DICT_ID, FLG_RESERVED, FLG_VERSION_01, FLG_VERSION_MASK, LZ4_FRAME_MAGIC, LZ4_LEGACY_MAGIC,
  LZ4_SKIPPABLE_MAGIC_MAX, LZ4_SKIPPABLE_MAGIC_MIN, LZ4_WINDOW_SIZE, blockSizeOfBd,
} from './lz4-frame-format.js';
import { XxHash32, xxhash32 } from './xxhash32.js';

export interface Lz4FrameDecoderOptions {
  /** Largest total output accepted (default 1 GiB); more is treated as a decompression bomb. */
  readonly maxOutputSize?: number;
}

type State = 'magic' | 'skip-size' | 'skip' | 'descriptor' | 'block-size' | 'block' | 'content-checksum';

function corrupt(detail: string): CompressionError {
  return new CompressionError('CANNOT_DECOMPRESS', `Cannot decompress LZ4 frame: ${detail}`);
}

export class Lz4FrameDecoder {
  private readonly queue = new ByteQueue();
  private readonly maxOutputSize: number;
  private state: State = 'magic';
  private skipLeft = 0;
  private totalOut = 0;
  // Current frame.
  private independent = false;
  private blockChecksum = false;
  private contentChecksum: XxHash32 | undefined;
  private contentSize = -1; // -1: not declared
  private frameOut = 0;
  private blockMax = 0;
  private blockLength = 0;
  private blockStored = false;
  // Output window: earlier output of this frame (for linked blocks) followed by the block being decoded.
  private window = new Uint8Array(0);
  private windowEnd = 0;

  constructor(options: Lz4FrameDecoderOptions = {}) {
    this.maxOutputSize = options.maxOutputSize ?? 0x40000000;
  }

  /** Adds input and returns the blocks it completed (fresh arrays, safe to keep). */
  push(chunk: Uint8Array): Uint8Array[] {
    this.queue.push(chunk);
    const out: Uint8Array[] = [];
    while (this.step(out));
    return out;
  }

  /** Call at end of input: throws unless the input ended exactly at a frame boundary. */
  finish(): void {
    if (this.state !== 'magic' || this.queue.length > 0) {
      throw new CompressionError('CANNOT_READ_ALL_DATA',
        `Cannot read all data: LZ4 frame truncated (in ${this.state}, ${this.queue.length} bytes buffered)`);
    }
  }

  /** Advances one state if enough input is buffered; false when more input is needed. */
  private step(out: Uint8Array[]): boolean {
    const q = this.queue;
    switch (this.state) {
      case 'magic': {
        if (q.length < 4) return false;
        const magic = q.u32At(0);
        if (magic === LZ4_FRAME_MAGIC) {
          this.state = 'descriptor';
          return true;
        }
        if (magic >= LZ4_SKIPPABLE_MAGIC_MIN && magic <= LZ4_SKIPPABLE_MAGIC_MAX) {
          q.skip(4);
          this.state = 'skip-size';
          return true;
        }
        if (magic === LZ4_LEGACY_MAGIC) throw corrupt('legacy LZ4 frames (magic 0x184C2102) are not supported');
        throw corrupt(`bad magic 0x${magic.toString(16).padStart(8, '0')}`);
      }
      case 'skip-size':
        if (q.length < 4) return false;
        this.skipLeft = q.u32At(0);
        q.skip(4);
        this.state = 'skip';
        return true;
      case 'skip': {
        const n = Math.min(this.skipLeft, q.length);
        q.skip(n);
        this.skipLeft -= n;
        if (this.skipLeft > 0) return false;
        this.state = 'magic';
        return true;
      }
      case 'descriptor':
        return this.readDescriptor();
      case 'block-size': {
        if (q.length < 4) return false;
        const raw = q.u32At(0);
        q.skip(4);
        if (raw === 0) {
          this.state = this.contentChecksum !== undefined ? 'content-checksum' : 'magic';
          if (this.state === 'magic') this.endFrame();
          return true;
        }
        this.blockStored = (raw & BLOCK_UNCOMPRESSED_FLAG) !== 0;
        this.blockLength = raw & 0x7fffffff;
        if (this.blockLength > this.blockMax) {
          throw corrupt(`block of ${this.blockLength} bytes exceeds the frame's maximum of ${this.blockMax}`);
        }
        this.state = 'block';
        return true;
      }
      case 'block': {
        const need = this.blockLength + (this.blockChecksum ? 4 : 0);
        if (q.length < need) return false;
        const data = q.take(this.blockLength);
        if (this.blockChecksum) {
          const expected = q.u32At(0);
          q.skip(4);
          if (xxhash32(data) !== expected) {
            throw new CompressionError('CHECKSUM_DOESNT_MATCH', 'LZ4 frame block checksum does not match: corrupted data');
          }
        }
        out.push(this.decodeBlock(data));
        this.state = 'block-size';
        return true;
      }
      case 'content-checksum': {
        if (q.length < 4) return false;
        const expected = q.u32At(0);
        q.skip(4);
        if (this.contentChecksum !== undefined && this.contentChecksum.digest() !== expected) {
          throw new CompressionError('CHECKSUM_DOESNT_MATCH', 'LZ4 frame content checksum does not match: corrupted data');
        }
        this.endFrame();
        this.state = 'magic';
        return true;
      }
    }
  }

  private readDescriptor(): boolean {
    const q = this.queue;
    if (q.length < 7) return false; // magic + FLG + BD + HC at least
    const flg = q.byteAt(4);
    const bd = q.byteAt(5);
    if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) throw corrupt(`unsupported frame version ${flg >>> 6}`);
    if ((flg & FLG_RESERVED) !== 0) throw corrupt('reserved FLG bit set');
    if ((flg & FLG_DICT_ID) !== 0) throw corrupt('frames that need a dictionary are not supported');
    const blockMax = blockSizeOfBd(bd);
    if (blockMax === undefined) throw corrupt(`invalid BD byte 0x${bd.toString(16)}`);
    const descriptorLength = 2 + ((flg & FLG_CONTENT_SIZE) !== 0 ? 8 : 0);
    if (q.length < 4 + descriptorLength + 1) return false;
    q.skip(4);
    const descriptor = q.take(descriptorLength + 1);
    const hc = (xxhash32(descriptor, 0, descriptorLength) >>> 8) & 0xff;
    if (hc !== descriptor[descriptorLength]) throw corrupt('frame header checksum does not match');
    this.independent = (flg & FLG_BLOCK_INDEPENDENT) !== 0;
    this.blockChecksum = (flg & FLG_BLOCK_CHECKSUM) !== 0;
    this.contentChecksum = (flg & FLG_CONTENT_CHECKSUM) !== 0 ? new XxHash32() : undefined;
    this.contentSize = -1;
    if ((flg & FLG_CONTENT_SIZE) !== 0) {
      let size = 0;
      for (let i = 9; i >= 2; i--) size = size * 256 + descriptor[i];
      if (size > this.maxOutputSize) {
        throw new CompressionError('TOO_LARGE_SIZE_COMPRESSED', `LZ4 frame declares ${size} bytes, more than the limit of ${this.maxOutputSize}`);
      }
      this.contentSize = size;
    }
    this.blockMax = blockMax;
    this.frameOut = 0;
    // History plus room for several blocks, so the history is moved down only now and then.
    const capacity = LZ4_WINDOW_SIZE + Math.max(blockMax, 1 << 20);
    if (this.window.length !== capacity) this.window = new Uint8Array(capacity);
    this.windowEnd = 0;
    this.state = 'block-size';
    return true;
  }

  private decodeBlock(data: Uint8Array): Uint8Array {
    if (this.windowEnd + this.blockMax > this.window.length) {
      const keep = Math.min(LZ4_WINDOW_SIZE, this.windowEnd);
      this.window.copyWithin(0, this.windowEnd - keep, this.windowEnd);
      this.windowEnd = keep;
    }
    const start = this.windowEnd;
    let end: number;
    if (this.blockStored) {
      this.window.set(data, start);
      end = start + data.length;
    } else {
      // Linked blocks may refer back into earlier output of this frame, which the window holds.
      end = lz4DecompressInto(data, 0, data.length, this.window, start, start + this.blockMax, this.independent ? start : 0);
    }
    const n = end - start;
    this.windowEnd = end;
    this.frameOut += n;
    this.totalOut += n;
    if (this.totalOut > this.maxOutputSize) {
      throw new CompressionError('TOO_LARGE_SIZE_COMPRESSED', `LZ4 data expands past the limit of ${this.maxOutputSize} bytes`);
    }
    if (this.contentSize >= 0 && this.frameOut > this.contentSize) {
      throw corrupt(`frame expands past its declared content size of ${this.contentSize}`);
    }
    this.contentChecksum?.update(this.window, start, n);
    return this.window.slice(start, end);
  }

  private endFrame(): void {
    if (this.contentSize >= 0 && this.frameOut !== this.contentSize) {
      throw corrupt(`frame holds ${this.frameOut} bytes but declares ${this.contentSize}`);
    }
  }
}
