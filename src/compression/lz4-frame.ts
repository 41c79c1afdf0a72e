// One-shot LZ4 frame encode/decode over whole buffers, on top of the streaming classes.

import { Lz4FrameDecoder, type Lz4FrameDecoderOptions } from './lz4-frame-decoder.js';
import { Lz4FrameEncoder, type Lz4FrameEncoderOptions } from './lz4-frame-encoder.js';

export { Lz4FrameDecoder, type Lz4FrameDecoderOptions } from './lz4-frame-decoder.js';
export { Lz4FrameEncoder, type Lz4FrameEncoderOptions } from './lz4-frame-encoder.js';
export { LZ4_FRAME_MAGIC, type Lz4FrameBlockSize } from './lz4-frame-format.js';

/** Encodes data as one LZ4 frame (content size recorded, content checksum on by default). */
export function lz4FrameEncode(data: Uint8Array, options: Omit<Lz4FrameEncoderOptions, 'contentSize'> = {}): Uint8Array {
  const enc = new Lz4FrameEncoder({ ...options, contentSize: data.length });
  const body = enc.push(data);
  const tail = enc.finish();
  const out = new Uint8Array(body.length + tail.length);
  out.set(body, 0);
  out.set(tail, body.length);
  return out;
}

/** Decodes a complete body of one or more LZ4 frames; throws CompressionError if corrupt or truncated. */
export function lz4FrameDecode(data: Uint8Array, options?: Lz4FrameDecoderOptions): Uint8Array {
  const dec = new Lz4FrameDecoder(options);
  const parts = dec.push(data);
  dec.finish();
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
