import { Transform, type TransformCallback } from 'node:stream';
import zlib from 'node:zlib';
import { Lz4FrameEncoder, lz4FrameEncode, zstdCompress } from '../../src/compression/index.js';

/**
 * HTTP response compression (`enable_http_compression=1` + `Accept-Encoding`): gzip, deflate and br through
 * node:zlib, zstd and lz4 (frame format) through Hadron's compression module. A response sent whole is
 * encoded in one call; a streamed one goes through a Transform piped into the socket.
 */
export type ResponseEncoding = 'gzip' | 'deflate' | 'br' | 'zstd' | 'lz4';

/**
 * Preference when a client accepts several encodings. ClickHouse puts zstd first; Hadron's zstd (wasm) has no
 * streaming encoder, so a streamed response would be several frames, which some clients (clickhouse-connect)
 * reject: zstd is chosen only when nothing else is accepted.
 */
const PREFERENCE: readonly ResponseEncoding[] = ['lz4', 'br', 'gzip', 'deflate', 'zstd'];

export function chooseResponseEncoding(acceptEncoding: string | undefined): ResponseEncoding | undefined {
  if (acceptEncoding === undefined || acceptEncoding === '') return undefined;
  const accepted = new Set<string>();
  for (const part of acceptEncoding.split(',')) {
    const [name, ...rest] = part.trim().toLowerCase().split(';');
    // `gzip;q=0` means "not gzip".
    if (rest.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/.test(p))) continue;
    if (name !== undefined && name !== '') accepted.add(name.trim());
  }
  if (accepted.has('x-gzip')) accepted.add('gzip');
  return PREFERENCE.find((e) => accepted.has(e));
}

function zlibLevel(level: number): number {
  return Math.max(0, Math.min(9, level));
}

function brotliQuality(level: number): number {
  return Math.max(0, Math.min(11, level));
}

/** Encodes a complete response body in one go. */
export function encodeWhole(encoding: ResponseEncoding, data: Uint8Array, level: number): Uint8Array {
  switch (encoding) {
    case 'gzip':
      return zlib.gzipSync(data, { level: zlibLevel(level) });
    case 'deflate':
      return zlib.deflateSync(data, { level: zlibLevel(level) });
    case 'br':
      return zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: brotliQuality(level) } });
    case 'zstd':
      return zstdCompress(data, level);
    case 'lz4':
      return lz4FrameEncode(data);
  }
}

/** Written to the lz4 transform to close the current frame; identity-compared, never sent. */
const FLUSH_MARK = Buffer.alloc(0);

/** Makes everything written so far decodable by the client (after each block of a streaming query). */
export function flushEncoder(stream: Transform): void {
  if (stream instanceof Lz4FrameTransform) stream.write(FLUSH_MARK);
  else if (stream instanceof zlib.Gzip || stream instanceof zlib.Deflate || stream instanceof zlib.BrotliCompress) stream.flush();
}

/** A streaming encoder: write uncompressed bytes, read the encoded stream. */
export function createEncoderStream(encoding: ResponseEncoding, level: number): Transform {
  switch (encoding) {
    case 'gzip':
      return zlib.createGzip({ level: zlibLevel(level) });
    case 'deflate':
      return zlib.createDeflate({ level: zlibLevel(level) });
    case 'br':
      return zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: brotliQuality(level) } });
    case 'zstd':
      return new ZstdFramesTransform(level);
    case 'lz4':
      return new Lz4FrameTransform();
  }
}

/** zstd as a sequence of independent frames, one per written chunk (decoders read concatenated frames as one stream). */
class ZstdFramesTransform extends Transform {
  constructor(private readonly level: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      callback(null, chunk.length === 0 ? undefined : zstdCompress(chunk, this.level));
    } catch (e) {
      callback(e as Error);
    }
  }
}

class Lz4FrameTransform extends Transform {
  private encoder = new Lz4FrameEncoder();
  private pushed = false;


  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      if (chunk === FLUSH_MARK) {
        // Ends the current frame so everything written so far can be decoded; the next write opens a new one.
        const tail = this.pushed ? this.encoder.finish() : undefined;
        this.encoder = new Lz4FrameEncoder();
        this.pushed = false;
        callback(null, tail);
        return;
      }
      const out = this.encoder.push(chunk);
      this.pushed = true;
      callback(null, out.length === 0 ? undefined : out);
    } catch (e) {
      callback(e as Error);
    }
  }

  override _flush(callback: TransformCallback): void {
    try {
      // An empty response is an empty body, not an empty frame.
      callback(null, this.pushed ? this.encoder.finish() : undefined);
    } catch (e) {
      callback(e as Error);
    }
  }
}
