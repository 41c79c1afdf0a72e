// ZSTD through @bokuweb/zstd-wasm (libzstd compiled to WebAssembly). The wasm module must be
// instantiated once, asynchronously (`await initZstd()` at startup); after that compress and
// decompress are synchronous calls into wasm.
//
// We call the module's exported C functions directly instead of the package's `decompress`
// helper: that helper reads the frame's content size through a 32-bit truncated return
// (unknown = -1, error = -2 which it then passes to malloc) and sizes the output from it,
// while ClickHouse blocks tell us the exact size up front. Here the output capacity is
// always ours to choose, so a lying frame cannot make us allocate or write past it.

import { createRequire } from 'node:module';
import path from 'node:path';
import { init } from '@bokuweb/zstd-wasm';
import { CompressionError } from './compression-error.js';

/** The subset of the Emscripten module (libzstd exports) that we use. */
interface ZstdWasm {
  HEAPU8: Uint8Array; // replaced by Emscripten when memory grows: re-read after every malloc
  _malloc(size: number): number;
  _free(ptr: number): void;
  _ZSTD_compressBound(srcSize: number): number;
  _ZSTD_compress(dst: number, dstCapacity: number, src: number, srcSize: number, level: number): number;
  _ZSTD_decompress(dst: number, dstCapacity: number, src: number, srcSize: number): number;
  _ZSTD_isError(code: number): number;
  _ZSTD_getFrameContentSize(src: number, srcSize: number): number;
}

// libzstd error codes (zstd_errors.h) that deserve a readable message; size_t results come
// back as negative int32 in wasm32.
const ZSTD_ERRORS: Record<number, string> = {
  10: 'unknown frame magic (not ZSTD data)',
  12: 'unsupported ZSTD version',
  14: 'unsupported frame parameter',
  16: 'frame requires too much memory',
  20: 'corrupted data',
  22: 'checksum mismatch',
  64: 'out of memory',
  70: 'destination buffer too small',
  72: 'wrong source size',
};
const ERROR_DST_TOO_SMALL = 70;

let wasm: ZstdWasm | undefined;
let initializing: Promise<void> | undefined;

/** Instantiates the ZSTD wasm module; idempotent, safe to call concurrently. */
export function initZstd(): Promise<void> {
  initializing ??= (async () => {
    await init();
    // The package's CommonJS build keeps the Emscripten module in dist/common/module.js;
    // requiring that file by path yields the same (now initialised) instance.
    const require = createRequire(import.meta.url);
    const entry = require.resolve('@bokuweb/zstd-wasm');
    const loaded = require(path.join(path.dirname(entry), 'module.js')) as { Module: ZstdWasm };
    if (typeof loaded.Module._ZSTD_decompress !== 'function') {
      throw new Error('@bokuweb/zstd-wasm: unexpected module layout (no _ZSTD_decompress export)');
    }
    wasm = loaded.Module;
  })();
  return initializing;
}

/** True once initZstd() has completed. */
export function isZstdReady(): boolean {
  return wasm !== undefined;
}

function ready(): ZstdWasm {
  if (wasm === undefined) throw new Error('ZSTD is not initialised: await initZstd() at startup');
  return wasm;
}

function errorText(code: number): string {
  return ZSTD_ERRORS[-code] ?? `zstd error ${-code}`;
}

/** ZSTD-compresses data into one frame (content size recorded). ClickHouse's network default level is 1. */
export function zstdCompress(data: Uint8Array, level = 1): Uint8Array {
  const m = ready();
  const bound = m._ZSTD_compressBound(data.length);
  const src = m._malloc(Math.max(1, data.length));
  const dst = m._malloc(bound);
  try {
    if (src === 0 || dst === 0) throw new CompressionError('CANNOT_COMPRESS', 'ZSTD: out of wasm memory');
    m.HEAPU8.set(data, src);
    const n = m._ZSTD_compress(dst, bound, src, data.length, level);
    if (m._ZSTD_isError(n)) throw new CompressionError('CANNOT_COMPRESS', `Cannot compress with ZSTD: ${errorText(n)}`);
    return m.HEAPU8.slice(dst, dst + n);
  } finally {
    m._free(dst);
    m._free(src);
  }
}

/** Decompresses into a buffer of `capacity` bytes; returns the size or a (negative) zstd error code. */
function decompressWithCapacity(m: ZstdWasm, data: Uint8Array, capacity: number): Uint8Array | number {
  const src = m._malloc(Math.max(1, data.length));
  const dst = m._malloc(Math.max(1, capacity));
  try {
    if (src === 0 || dst === 0) throw new CompressionError('CANNOT_DECOMPRESS', 'ZSTD: out of wasm memory');
    m.HEAPU8.set(data, src);
    const n = m._ZSTD_decompress(dst, capacity, src, data.length);
    if (m._ZSTD_isError(n)) return n;
    return m.HEAPU8.slice(dst, dst + n);
  } finally {
    m._free(dst);
    m._free(src);
  }
}

/**
 * Decompresses one or more concatenated ZSTD frames. With expectedSize (ClickHouse blocks
 * carry it) the output must be exactly that long. Without it, the size comes from the frame
 * header, or is found by retrying with doubling capacity up to maxSize.
 */
export function zstdDecompress(data: Uint8Array, expectedSize?: number, maxSize = 0x40000000): Uint8Array {
  const m = ready();
  if (expectedSize !== undefined) {
    const out = decompressWithCapacity(m, data, expectedSize);
    if (typeof out === 'number') {
      const why = -out === ERROR_DST_TOO_SMALL ? `data expands past the expected ${expectedSize} bytes` : errorText(out);
      throw new CompressionError('CANNOT_DECOMPRESS', `Cannot decompress ZSTD-encoded data: ${why}`);
    }
    if (out.length !== expectedSize) {
      throw new CompressionError('CANNOT_DECOMPRESS',
        `Cannot decompress ZSTD-encoded data: got ${out.length} bytes, expected ${expectedSize}`);
    }
    return out;
  }
  let capacity = Math.min(maxSize, Math.max(1 << 16, data.length * 4));
  const declared = frameContentSize(m, data);
  if (declared >= 0) {
    if (declared > maxSize) {
      throw new CompressionError('TOO_LARGE_SIZE_COMPRESSED', `ZSTD frame declares ${declared} bytes, more than the limit of ${maxSize}`);
    }
    capacity = Math.max(declared, 1);
  }
  for (;;) {
    const out = decompressWithCapacity(m, data, capacity);
    if (typeof out !== 'number') return out;
    // Too small also happens with concatenated frames (the header gave only the first one's size).
    if (-out !== ERROR_DST_TOO_SMALL) {
      throw new CompressionError('CANNOT_DECOMPRESS', `Cannot decompress ZSTD-encoded data: ${errorText(out)}`);
    }
    if (capacity >= maxSize) {
      throw new CompressionError('TOO_LARGE_SIZE_COMPRESSED', `ZSTD data expands past the limit of ${maxSize} bytes`);
    }
    capacity = Math.min(maxSize, capacity * 2);
  }
}

/** Content size from the first frame header: >= 0 known, -1 unknown (or >= 4 GiB). Throws on a bad header. */
function frameContentSize(m: ZstdWasm, data: Uint8Array): number {
  const src = m._malloc(Math.max(1, data.length));
  try {
    m.HEAPU8.set(data, src);
    // The wasm returns only the low 32 bits of the u64 (unknown = -1, error = -2 as int32).
    const low = m._ZSTD_getFrameContentSize(src, data.length);
    if (low === -2) throw new CompressionError('CANNOT_DECOMPRESS', 'Cannot decompress ZSTD-encoded data: invalid frame header');
    if (low === -1) return -1;
    // A declared size of 4 GiB or more would also be truncated: let the retry loop find out.
    return declaredSizeFitsIn32Bits(data) ? low >>> 0 : -1;
  } finally {
    m._free(src);
  }
}

/**
 * Reads the Frame_Content_Size field width from the frame header descriptor: only the
 * 8-byte form can hold sizes >= 4 GiB.
 */
function declaredSizeFitsIn32Bits(data: Uint8Array): boolean {
  if (data.length < 5) return true;
  const fcsFlag = data[4] >>> 6;
  return fcsFlag !== 3;
}
