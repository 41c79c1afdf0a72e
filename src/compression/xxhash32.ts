// xxHash32 (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md): the checksum of
// the LZ4 frame format (header byte, optional block and content checksums). All arithmetic
// is mod 2^32 with Math.imul, so nothing allocates.

const P1 = 0x9e3779b1 | 0;
const P2 = 0x85ebca77 | 0;
const P3 = 0xc2b2ae3d | 0;
const P4 = 0x27d4eb2f | 0;
const P5 = 0x165667b1 | 0;

function read32(s: Uint8Array, p: number): number {
  return s[p] | (s[p + 1] << 8) | (s[p + 2] << 16) | (s[p + 3] << 24);
}

function round(acc: number, lane: number): number {
  acc = (acc + Math.imul(lane, P2)) | 0;
  acc = (acc << 13) | (acc >>> 19);
  return Math.imul(acc, P1);
}

/** Mixes the (< 16 byte) tail into h and avalanches; returns the unsigned digest. */
function finish(h: number, s: Uint8Array, p: number, end: number): number {
  for (; p + 4 <= end; p += 4) {
    h = (h + Math.imul(read32(s, p), P3)) | 0;
    h = Math.imul((h << 17) | (h >>> 15), P4);
  }
  for (; p < end; p++) {
    h = (h + Math.imul(s[p], P5)) | 0;
    h = Math.imul((h << 11) | (h >>> 21), P1);
  }
  h ^= h >>> 15;
  h = Math.imul(h, P2);
  h ^= h >>> 13;
  h = Math.imul(h, P3);
  h ^= h >>> 16;
  return h >>> 0;
}

/** xxHash32 of data[offset, offset+length), as an unsigned 32-bit number. */
export function xxhash32(data: Uint8Array, offset = 0, length = data.length - offset, seed = 0): number {
  if (offset < 0 || length < 0 || offset + length > data.length) {
    throw new RangeError(`xxhash32: range [${offset}, ${offset + length}) outside ${data.length} bytes`);
  }
  const end = offset + length;
  let p = offset;
  let h: number;
  if (length >= 16) {
    let v1 = (seed + P1 + P2) | 0;
    let v2 = (seed + P2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1) | 0;
    for (const limit = end - 16; p <= limit; p += 16) {
      v1 = round(v1, read32(data, p));
      v2 = round(v2, read32(data, p + 4));
      v3 = round(v3, read32(data, p + 8));
      v4 = round(v4, read32(data, p + 12));
    }
    h = (((v1 << 1) | (v1 >>> 31)) + ((v2 << 7) | (v2 >>> 25)) + ((v3 << 12) | (v3 >>> 20)) + ((v4 << 18) | (v4 >>> 14))) | 0;
  } else {
    h = (seed + P5) | 0;
  }
  h = (h + length) | 0; // the spec adds the length mod 2^32
  return finish(h, data, p, end);
}

/** Incremental xxHash32, for content checksums of a frame decoded block by block. */
export class XxHash32 {
  private v1: number;
  private v2: number;
  private v3: number;
  private v4: number;
  private readonly seed: number;
  private total = 0;
  private readonly tail = new Uint8Array(16);
  private tailLength = 0;

  constructor(seed = 0) {
    this.seed = seed | 0;
    this.v1 = (this.seed + P1 + P2) | 0;
    this.v2 = (this.seed + P2) | 0;
    this.v3 = this.seed;
    this.v4 = (this.seed - P1) | 0;
  }

  update(data: Uint8Array, offset = 0, length = data.length - offset): this {
    const end = offset + length;
    let p = offset;
    this.total += length;
    if (this.tailLength > 0) {
      while (this.tailLength < 16 && p < end) this.tail[this.tailLength++] = data[p++];
      if (this.tailLength < 16) return this;
      this.stripe(this.tail, 0);
      this.tailLength = 0;
    }
    for (const limit = end - 16; p <= limit; p += 16) this.stripe(data, p);
    while (p < end) this.tail[this.tailLength++] = data[p++];
    return this;
  }

  digest(): number {
    let h: number;
    if (this.total >= 16) {
      const { v1, v2, v3, v4 } = this;
      h = (((v1 << 1) | (v1 >>> 31)) + ((v2 << 7) | (v2 >>> 25)) + ((v3 << 12) | (v3 >>> 20)) + ((v4 << 18) | (v4 >>> 14))) | 0;
    } else {
      h = (this.seed + P5) | 0;
    }
    h = (h + this.total) | 0;
    return finish(h, this.tail, 0, this.tailLength);
  }

  private stripe(s: Uint8Array, p: number): void {
    this.v1 = round(this.v1, read32(s, p));
    this.v2 = round(this.v2, read32(s, p + 4));
    this.v3 = round(this.v3, read32(s, p + 8));
    this.v4 = round(this.v4, read32(s, p + 12));
  }
}
