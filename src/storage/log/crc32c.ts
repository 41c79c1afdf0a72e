/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), slicing-by-8: eight 256-entry tables let the main loop
 * fold eight input bytes per step. Aligned input is read as little-endian 32-bit words through a Uint32Array view.
 * `crc32c(data)` of "123456789" is 0xE3069283.
 */

const POLY = 0x82f63b78;
const TABLE = new Int32Array(8 * 256);

for (let i = 0; i < 256; i++) {
  let c = i;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
  TABLE[i] = c;
}
for (let i = 0; i < 256; i++) {
  for (let t = 1; t < 8; t++) {
    const prev = TABLE[(t - 1) * 256 + i]!;
    TABLE[t * 256 + i] = (prev >>> 8) ^ TABLE[prev & 0xff]!;
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Continues a CRC32C over data[start, end). Start with `crc = 0`; feed the previous result to continue
 * (crc32cUpdate(crc32cUpdate(0, a), b) === crc32c(a ++ b)). Returns an unsigned 32-bit value.
 */
export function crc32cUpdate(crc: number, data: Uint8Array, start = 0, end = data.length): number {
  const t = TABLE;
  let c = ~crc | 0;
  let p = start;
  // Byte-wise until the absolute address is 4-byte aligned, so a Uint32Array view can cover the bulk.
  while (p < end && ((data.byteOffset + p) & 3) !== 0) c = t[(c ^ data[p++]!) & 0xff]! ^ (c >>> 8);
  const words = (end - p) >>> 3;
  if (words > 0) {
    if (LITTLE_ENDIAN) {
      const w = new Uint32Array(data.buffer, data.byteOffset + p, words * 2);
      for (let i = 0; i < w.length; i += 2) {
        const a = c ^ w[i]!;
        const b = w[i + 1]!;
        c =
          t[0x700 + (a & 0xff)]! ^
          t[0x600 + ((a >>> 8) & 0xff)]! ^
          t[0x500 + ((a >>> 16) & 0xff)]! ^
          t[0x400 + (a >>> 24)]! ^
          t[0x300 + (b & 0xff)]! ^
          t[0x200 + ((b >>> 8) & 0xff)]! ^
          t[0x100 + ((b >>> 16) & 0xff)]! ^
          t[b >>> 24]!;
      }
    } else {
      for (let i = 0, q = p; i < words; i++, q += 8) {
        const a = c ^ (data[q]! | (data[q + 1]! << 8) | (data[q + 2]! << 16) | (data[q + 3]! << 24));
        c =
          t[0x700 + (a & 0xff)]! ^
          t[0x600 + ((a >>> 8) & 0xff)]! ^
          t[0x500 + ((a >>> 16) & 0xff)]! ^
          t[0x400 + (a >>> 24)]! ^
          t[0x300 + data[q + 4]!]! ^
          t[0x200 + data[q + 5]!]! ^
          t[0x100 + data[q + 6]!]! ^
          t[data[q + 7]!]!;
      }
    }
    p += words * 8;
  }
  while (p < end) c = t[(c ^ data[p++]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** CRC32C of data[start, end). */
export function crc32c(data: Uint8Array, start = 0, end = data.length): number {
  return crc32cUpdate(0, data, start, end);
}
