// LZ4 *block* format (https://github.com/lz4/lz4/blob/dev/doc/lz4_Block_format.md): the raw
// sequences ClickHouse puts inside a 0x82 compressed block. No frame, no sizes: the caller
// knows the uncompressed size from the surrounding header.
//
// The compressor follows LZ4_compress_fast (acceleration 1): a greedy hash-table matcher
// that keeps the spec's end-of-block rules (last match starts >= 12 bytes before the end,
// last 5 bytes are literals) so any LZ4 decoder, ClickHouse's included, accepts the output.
// The decompressor validates every length and offset against both buffers and throws on
// corrupt input; every loop consumes input, so it cannot hang.

import { CompressionError } from './compression-error.js';

const MIN_MATCH = 4;
const LAST_LITERALS = 5; // the last 5 bytes are always literals
const MF_LIMIT = 12; // a match must start at least 12 bytes before the end
const MAX_DISTANCE = 65535;
const SKIP_TRIGGER = 6; // LZ4's search acceleration: step grows every 64 misses
const MAX_HASH_LOG = 16;
const MIN_HASH_LOG = 8;

/** Reused between calls (compression is synchronous, so there is no concurrent user). */
const hashTable = new Int32Array(1 << MAX_HASH_LOG);

/** Worst-case compressed size of n input bytes (LZ4_COMPRESSBOUND). */
export function lz4CompressBound(n: number): number {
  return n + Math.floor(n / 255) + 16;
}

function read32(s: Uint8Array, p: number): number {
  return s[p] | (s[p + 1] << 8) | (s[p + 2] << 16) | (s[p + 3] << 24);
}

/** Writes the LSIC continuation bytes for a length field that overflowed its 4-bit nibble. */
function writeLength(dst: Uint8Array, op: number, rest: number): number {
  while (rest >= 255) {
    dst[op++] = 255;
    rest -= 255;
  }
  dst[op++] = rest;
  return op;
}

function copyBytes(src: Uint8Array, from: number, dst: Uint8Array, to: number, n: number): void {
  if (n > 32) {
    dst.set(src.subarray(from, from + n), to);
  } else {
    for (let i = 0; i < n; i++) dst[to + i] = src[from + i];
  }
}

/**
 * Compresses src[srcOffset, srcOffset+srcLength) into dst at dstOffset and returns the number
 * of bytes written. dst must have lz4CompressBound(srcLength) bytes of room after dstOffset.
 */
export function lz4CompressInto(
  src: Uint8Array, srcOffset: number, srcLength: number, dst: Uint8Array, dstOffset: number,
): number {
  if (srcOffset < 0 || srcLength < 0 || srcOffset + srcLength > src.length) {
    throw new RangeError(`lz4: source range [${srcOffset}, ${srcOffset + srcLength}) outside ${src.length} bytes`);
  }
  if (dstOffset < 0 || dst.length - dstOffset < lz4CompressBound(srcLength)) {
    throw new RangeError('lz4: destination smaller than lz4CompressBound(srcLength)');
  }
  const start = srcOffset;
  const end = srcOffset + srcLength;
  let op = dstOffset;
  let anchor = start;

  if (srcLength >= MF_LIMIT + 1) {
    // Size the table to the input so small blocks do not pay for clearing 256 KB.
    let hashLog = MIN_HASH_LOG;
    while (hashLog < MAX_HASH_LOG && 1 << hashLog < srcLength) hashLog++;
    const shift = 32 - hashLog;
    // Entries below start - MAX_DISTANCE are treated as empty.
    hashTable.fill(start - MAX_DISTANCE - 1, 0, 1 << hashLog);

    const mfLimit = end - MF_LIMIT;
    const matchLimit = end - LAST_LITERALS;
    let ip = start;
    hashTable[Math.imul(read32(src, ip), 2654435761) >>> shift] = ip;
    ip++;
    let h = Math.imul(read32(src, ip), 2654435761) >>> shift;

    search: for (;;) {
      // Find a match, moving faster the longer nothing is found.
      let ref: number;
      let forward = ip;
      let step = 1;
      let attempts = 1 << SKIP_TRIGGER;
      do {
        ip = forward;
        forward += step;
        step = attempts++ >> SKIP_TRIGGER;
        // Checking `forward` (not ip) keeps the look-ahead read32 inside the input.
        if (forward > mfLimit + 1) break search;
        ref = hashTable[h];
        hashTable[h] = ip;
        h = Math.imul(read32(src, forward), 2654435761) >>> shift;
      } while (ref < ip - MAX_DISTANCE || read32(src, ref) !== read32(src, ip));

      // Extend the match backwards over literals that also match.
      while (ip > anchor && ref > start && src[ip - 1] === src[ref - 1]) {
        ip--;
        ref--;
      }

      // Literal run.
      const litLen = ip - anchor;
      let token = op++;
      if (litLen >= 15) {
        dst[token] = 15 << 4;
        op = writeLength(dst, op, litLen - 15);
      } else {
        dst[token] = litLen << 4;
      }
      copyBytes(src, anchor, dst, op, litLen);
      op += litLen;

      for (;;) {
        // Offset, then the match length beyond the 4 bytes already known to match.
        const offset = ip - ref;
        dst[op++] = offset;
        dst[op++] = offset >>> 8;
        ip += MIN_MATCH;
        ref += MIN_MATCH;
        const matchStart = ip;
        while (ip + 4 <= matchLimit && read32(src, ip) === read32(src, ref)) {
          ip += 4;
          ref += 4;
        }
        while (ip < matchLimit && src[ip] === src[ref]) {
          ip++;
          ref++;
        }
        const ml = ip - matchStart;
        if (ml >= 15) {
          dst[token] |= 15;
          op = writeLength(dst, op, ml - 15);
        } else {
          dst[token] |= ml;
        }
        anchor = ip;
        if (ip > mfLimit) break search;

        // Index a position inside the match, then try for an immediate next match.
        hashTable[Math.imul(read32(src, ip - 2), 2654435761) >>> shift] = ip - 2;
        h = Math.imul(read32(src, ip), 2654435761) >>> shift;
        ref = hashTable[h];
        hashTable[h] = ip;
        if (ref >= ip - MAX_DISTANCE && read32(src, ref) === read32(src, ip)) {
          token = op++;
          dst[token] = 0;
          continue;
        }
        ip++;
        h = Math.imul(read32(src, ip), 2654435761) >>> shift;
        continue search;
      }
    }
  }

  // Last literals (the whole input when it is too short to hold a match).
  const litLen = end - anchor;
  if (litLen >= 15) {
    dst[op++] = 15 << 4;
    op = writeLength(dst, op, litLen - 15);
  } else {
    dst[op++] = litLen << 4;
  }
  copyBytes(src, anchor, dst, op, litLen);
  op += litLen;
  return op - dstOffset;
}

/** Compresses a whole buffer into a new, exactly sized LZ4 block. */
export function lz4Compress(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(lz4CompressBound(src.length));
  const n = lz4CompressInto(src, 0, src.length, out, 0);
  return out.slice(0, n);
}

function corrupt(detail: string): CompressionError {
  return new CompressionError('CANNOT_DECOMPRESS', `Cannot decompress LZ4-encoded data: ${detail}`);
}

/**
 * Decodes the LZ4 block src[srcOffset, srcOffset+srcLength) into dst starting at dstOffset,
 * never writing at or past dstEnd, and returns the end position in dst. Matches may reach
 * back to windowStart (default dstOffset; lower it for linked blocks of an LZ4 frame, whose
 * matches may point into the previous blocks' output). Throws CompressionError on corrupt input.
 * Bytes between the returned end and dstEnd may be overwritten (short copies are done 8 at a time).
 */
export function lz4DecompressInto(
  src: Uint8Array, srcOffset: number, srcLength: number,
  dst: Uint8Array, dstOffset: number, dstEnd: number, windowStart = dstOffset,
): number {
  if (srcOffset < 0 || srcLength < 0 || srcOffset + srcLength > src.length) {
    throw new RangeError(`lz4: source range [${srcOffset}, ${srcOffset + srcLength}) outside ${src.length} bytes`);
  }
  if (dstOffset < 0 || dstEnd > dst.length || dstOffset > dstEnd || windowStart < 0 || windowStart > dstOffset) {
    throw new RangeError('lz4: invalid destination range');
  }
  let ip = srcOffset;
  const iend = srcOffset + srcLength;
  let op = dstOffset;
  if (srcLength === 0) throw corrupt('empty input');

  for (;;) {
    const token = src[ip++];

    let litLen = token >>> 4;
    if (litLen === 15) {
      let b: number;
      do {
        if (ip >= iend) throw corrupt('truncated literal length');
        b = src[ip++];
        litLen += b;
      } while (b === 255);
    }
    if (litLen > iend - ip) throw corrupt('literals run past the end of the input');
    if (litLen > dstEnd - op) throw corrupt('literals overflow the output size');
    copyBytes(src, ip, dst, op, litLen);
    ip += litLen;
    op += litLen;

    // The last sequence holds only literals.
    if (ip === iend) return op;

    if (iend - ip < 2) throw corrupt('truncated match offset');
    const offset = src[ip] | (src[ip + 1] << 8);
    ip += 2;
    if (offset === 0) throw corrupt('zero match offset');
    if (offset > op - windowStart) throw corrupt(`match offset ${offset} points before the start of the output`);

    let matchLen = token & 15;
    if (matchLen === 15) {
      let b: number;
      do {
        if (ip >= iend) throw corrupt('truncated match length');
        b = src[ip++];
        matchLen += b;
      } while (b === 255);
    }
    matchLen += MIN_MATCH;
    if (matchLen > dstEnd - op) throw corrupt('match overflows the output size');

    let ref = op - offset;
    if (matchLen <= 8 && offset >= 8 && dstEnd - op >= 8) {
      // Common short match: a fixed 8-byte copy (bytes past the match are overwritten later).
      dst[op] = dst[ref]; dst[op + 1] = dst[ref + 1]; dst[op + 2] = dst[ref + 2]; dst[op + 3] = dst[ref + 3];
      dst[op + 4] = dst[ref + 4]; dst[op + 5] = dst[ref + 5]; dst[op + 6] = dst[ref + 6]; dst[op + 7] = dst[ref + 7];
      op += matchLen;
    } else if (matchLen <= 32) {
      // Short or overlapping copies: byte by byte reproduces LZ4's repeat semantics.
      const stop = op + matchLen;
      while (op < stop) dst[op++] = dst[ref++];
    } else if (offset >= matchLen) {
      dst.copyWithin(op, ref, ref + matchLen);
      op += matchLen;
    } else {
      // Long overlapping match (a repeated pattern): copy whole periods, doubling each time,
      // so source and destination never overlap inside one copyWithin.
      let span = offset;
      let left = matchLen;
      while (left > 0) {
        const n = left < span ? left : span;
        dst.copyWithin(op, op - span, op - span + n);
        op += n;
        left -= n;
        span *= 2;
      }
    }
    // The spec wants a final literals-only sequence, but ClickHouse's decoder stops on the
    // output size, so accept a block that ends right after a match too.
    if (ip === iend) return op;
  }
}

/** Decodes a whole LZ4 block that must expand to exactly uncompressedSize bytes. */
export function lz4Decompress(src: Uint8Array, uncompressedSize: number): Uint8Array {
  const out = new Uint8Array(uncompressedSize);
  const n = lz4DecompressInto(src, 0, src.length, out, 0, uncompressedSize);
  if (n !== uncompressedSize) {
    throw corrupt(`decoded ${n} bytes, expected ${uncompressedSize}`);
  }
  return out;
}
