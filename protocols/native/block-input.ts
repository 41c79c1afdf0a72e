import type { Block } from '../../src/core/block.js';
import {
  COMPRESSED_BLOCK_HEADER_SIZE, CHECKSUM_SIZE, decodeCompressedBlockBody, parseCompressedBlockHeader,
} from '../../src/compression/index.js';
import { DbError } from '../../src/errors/index.js';
import { decodeNativeBlock } from '../../src/formats/native-block.js';
import { scanNativeBlock, type BlockScan, type ScanSource } from '../../src/formats/native-block-scan.js';
import { BinaryReader } from '../../src/types/serializations/buffer.js';
import type { SocketInput } from './socket-input.js';

/** Decompressed bytes of the frames of one block, appended as frames arrive. */
class GrowableBytes implements ScanSource {
  private buf = new Uint8Array(64 * 1024);
  private len = 0;

  view(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }

  append(data: Uint8Array): void {
    if (this.len + data.length > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < this.len + data.length) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(data, this.len);
    this.len += data.length;
  }
}

export interface BlockInputOptions {
  readonly revision: number;
  /** Largest block (uncompressed bytes) accepted. */
  readonly maxBlockBytes: number;
}

/** Reads one compressed frame from the socket and returns its payload (checksum verified). */
async function readFrame(input: SocketInput, maxBytes: number): Promise<Uint8Array> {
  await input.ensure(COMPRESSED_BLOCK_HEADER_SIZE);
  const header = parseCompressedBlockHeader(input.view(), CHECKSUM_SIZE, { maxUncompressedSize: maxBytes });
  const frameLength = CHECKSUM_SIZE + header.compressedSize;
  await input.ensure(frameLength);
  const payload = decodeCompressedBlockBody(input.view(), 0, header);
  input.consume(frameLength);
  return payload;
}

async function runScan(scan: BlockScan, more: (need: number) => Promise<void>): Promise<number> {
  for (;;) {
    const step = scan.next();
    if (step.done === true) return step.value;
    await more(step.value);
  }
}

/**
 * The block of a client Data packet (after its code and table name): scanned as its bytes arrive, then
 * decoded once. Compressed blocks span one or more frames that end with the block.
 */
export async function readBlock(input: SocketInput, compressed: boolean, options: BlockInputOptions): Promise<Block> {
  const scanOptions = { revision: options.revision, withBlockInfo: true, maxBytes: options.maxBlockBytes };
  const nativeOptions = { revision: options.revision, withBlockInfo: true };
  if (!compressed) {
    const end = await runScan(scanNativeBlock(input, scanOptions), (need) => input.ensure(need));
    // A copy: decoded columns may keep views of their bytes, and the socket buffer is reused.
    const bytes = input.view().slice(0, end);
    input.consume(end);
    return decodeNativeBlock(new BinaryReader(bytes), nativeOptions);
  }
  const data = new GrowableBytes();
  const end = await runScan(scanNativeBlock(data, scanOptions), async (need) => {
    while (data.view().length < need) data.append(await readFrame(input, options.maxBlockBytes));
  });
  const bytes = data.view();
  if (end !== bytes.length) {
    throw new DbError('INCORRECT_DATA', `Compressed Data packet carries ${bytes.length - end} bytes after its block`);
  }
  return decodeNativeBlock(new BinaryReader(bytes), nativeOptions);
}
