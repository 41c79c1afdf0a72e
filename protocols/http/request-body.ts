import type { Transform } from 'node:stream';
import zlib from 'node:zlib';
import {
  CompressedBlockReader, Lz4FrameDecoder, initZstd, zstdDecompress,
} from '../../src/compression/index.js';
import { DbError, toDbError } from '../../src/errors/index.js';
import { httpError } from './http-errors.js';

/**
 * The request body as decoded bytes: `Content-Encoding` (gzip, deflate, br, zstd, lz4 frame) is undone first,
 * then `decompress=1` (ClickHouse's compressed-block framing). Everything streams chunk by chunk except zstd,
 * whose frames are decoded whole. Errors come out of the iterator as DbError.
 */
export interface BodyDecodingOptions {
  readonly contentEncoding?: string;
  readonly decompress: boolean;
  /** Largest decoded body accepted from a one-shot decoder (zstd). */
  readonly maxBufferedBody: number;
}

export type RequestEncoding = 'none' | 'gzip' | 'deflate' | 'br' | 'zstd' | 'lz4';

export function requestEncodingOf(header: string | undefined): RequestEncoding {
  const name = (header ?? '').trim().toLowerCase();
  switch (name) {
    case '':
    case 'identity':
    case 'none':
      return 'none';
    case 'gzip':
    case 'x-gzip':
      return 'gzip';
    case 'deflate':
      return 'deflate';
    case 'br':
      return 'br';
    case 'zstd':
      return 'zstd';
    case 'lz4':
      return 'lz4';
    default:
      throw new DbError('NOT_IMPLEMENTED',
        `Unknown compression method '${header}'. Only 'gzip', 'deflate', 'br', 'zstd', 'lz4' are supported as HTTP content encodings`);
  }
}

export function decodeRequestBody(body: AsyncIterable<Uint8Array>, options: BodyDecodingOptions): AsyncIterable<Uint8Array> {
  const encoding = requestEncodingOf(options.contentEncoding);
  let source: AsyncIterable<Uint8Array>;
  switch (encoding) {
    case 'none':
      source = body;
      break;
    case 'gzip':
      source = viaZlib(body, zlib.createGunzip(), 'gzip');
      break;
    case 'deflate':
      source = viaZlib(body, zlib.createInflate(), 'deflate');
      break;
    case 'br':
      source = viaZlib(body, zlib.createBrotliDecompress(), 'br');
      break;
    case 'zstd':
      source = zstdBody(body, options.maxBufferedBody);
      break;
    case 'lz4':
      source = lz4FrameBody(body);
      break;
  }
  return options.decompress ? compressedBlocks(source) : source;
}

async function* viaZlib(body: AsyncIterable<Uint8Array>, decoder: Transform, name: string): AsyncGenerator<Uint8Array> {
  let bodyError: unknown;
  // Feed the decoder from the body with backpressure; its output is read below.
  const pump = (async (): Promise<void> => {
    for await (const chunk of body) {
      if (decoder.destroyed) return;
      if (!decoder.write(chunk)) await new Promise<void>((resolve) => {
        decoder.once('drain', resolve);
        decoder.once('close', resolve);
      });
    }
    if (!decoder.destroyed) decoder.end();
  })().catch((e: unknown) => {
    bodyError = e;
    decoder.destroy(e as Error);
  });
  try {
    for await (const chunk of decoder) yield chunk as Uint8Array;
  } catch (e) {
    if (e === bodyError || e instanceof DbError) throw e;
    const message = e instanceof Error ? e.message : String(e);
    throw name === 'br'
      ? new DbError('CANNOT_DECOMPRESS', `Cannot decompress brotli-encoded request body: ${message}`)
      : httpError('ZLIB_INFLATE_FAILED', `inflate failed: ${message}`);
  } finally {
    // The pump ends by itself: it stops at the destroyed decoder, or when the body reader is closed.
    decoder.destroy();
  }
}

async function* zstdBody(body: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of body) {
    const c = chunk as Uint8Array;
    total += c.length;
    if (total > maxBytes) {
      throw new DbError('TOO_LARGE_SIZE_COMPRESSED', `zstd-encoded request body is larger than ${maxBytes} bytes`);
    }
    parts.push(c);
  }
  if (total === 0) return;
  await initZstd();
  try {
    yield zstdDecompress(Buffer.concat(parts, total), undefined, maxBytes * 64);
  } catch (e) {
    throw toDbError(e);
  }
}

async function* lz4FrameBody(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const decoder = new Lz4FrameDecoder();
  try {
    for await (const chunk of body) {
      for (const out of decoder.push(chunk as Uint8Array)) yield out;
    }
    decoder.finish();
  } catch (e) {
    throw toDbError(e);
  }
}

async function* compressedBlocks(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = new CompressedBlockReader();
  try {
    for await (const chunk of source) {
      // The reader keeps a reference to the chunk: zlib and socket chunks are not reused afterwards.
      for (const out of reader.feed(chunk)) yield out;
    }
    reader.finish();
  } catch (e) {
    throw toDbError(e);
  }
}
