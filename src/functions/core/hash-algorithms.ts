/**
 * Non-cryptographic hashes exactly as ClickHouse computes them: CityHash64 v1.0.2, SipHash-2-4 (zero key),
 * xxHash64, MurmurHash2/3, intHash32/64. Written with BigInt (64-bit wraparound via asUintN): correct
 * first, these run per row over bytes and are not on the hot aggregation path.
 */
const M64 = (x: bigint) => BigInt.asUintN(64, x);
const k0 = 0xc3a5c85c97cb3127n;
const k1 = 0xb492b66fbe98f273n;
const k2 = 0x9ae16a3b2f90404fn;
const k3 = 0xc949d7c7509e6557n;

function fetch64(s: Uint8Array, i: number): bigint {
  let v = 0n;
  for (let k = 7; k >= 0; k--) v = (v << 8n) | BigInt(s[i + k] ?? 0);
  return v;
}
function fetch32(s: Uint8Array, i: number): bigint {
  return BigInt(((s[i]! | (s[i + 1]! << 8) | (s[i + 2]! << 16) | (s[i + 3]! << 24)) >>> 0));
}
function rotate(v: bigint, shift: number): bigint {
  return shift === 0 ? v : M64((v >> BigInt(shift)) | (v << BigInt(64 - shift)));
}
function shiftMix(v: bigint): bigint {
  return v ^ (v >> 47n);
}

export function hash128to64(u: bigint, v: bigint): bigint {
  const kMul = 0x9ddfea08eb382d69n;
  let a = M64((u ^ v) * kMul);
  a ^= a >> 47n;
  let b = M64((v ^ a) * kMul);
  b ^= b >> 47n;
  return M64(b * kMul);
}

function hashLen0to16(s: Uint8Array, len: number): bigint {
  if (len > 8) {
    const a = fetch64(s, 0);
    const b = fetch64(s, len - 8);
    return hash128to64(a, rotate(M64(b + BigInt(len)), len)) ^ b;
  }
  if (len >= 4) {
    const a = fetch32(s, 0);
    return hash128to64(M64(BigInt(len) + (a << 3n)), fetch32(s, len - 4));
  }
  if (len > 0) {
    const a = BigInt(s[0]!);
    const b = BigInt(s[len >> 1]!);
    const c = BigInt(s[len - 1]!);
    const y = BigInt.asUintN(32, a + (b << 8n));
    const z = BigInt.asUintN(32, BigInt(len) + (c << 2n));
    return M64(shiftMix(M64(y * k2) ^ M64(z * k3)) * k2);
  }
  return k2;
}

function hashLen17to32(s: Uint8Array, len: number): bigint {
  const a = M64(fetch64(s, 0) * k1);
  const b = fetch64(s, 8);
  const c = M64(fetch64(s, len - 8) * k2);
  const d = M64(fetch64(s, len - 16) * k0);
  return hash128to64(M64(rotate(M64(a - b), 43) + rotate(c, 30) + d), M64(a + rotate(b ^ k3, 20) - c + BigInt(len)));
}

function weak(w: bigint, x: bigint, y: bigint, z: bigint, a: bigint, b: bigint): [bigint, bigint] {
  a = M64(a + w);
  b = rotate(M64(b + a + z), 21);
  const c = a;
  a = M64(a + x);
  a = M64(a + y);
  b = M64(b + rotate(a, 44));
  return [M64(a + z), M64(b + c)];
}
function weakAt(s: Uint8Array, i: number, a: bigint, b: bigint): [bigint, bigint] {
  return weak(fetch64(s, i), fetch64(s, i + 8), fetch64(s, i + 16), fetch64(s, i + 24), a, b);
}

function hashLen33to64(s: Uint8Array, len: number): bigint {
  let z = fetch64(s, 24);
  let a = M64(fetch64(s, 0) + M64((BigInt(len) + fetch64(s, len - 16)) * k0));
  let b = rotate(M64(a + z), 52);
  let c = rotate(a, 37);
  a = M64(a + fetch64(s, 8));
  c = M64(c + rotate(a, 7));
  a = M64(a + fetch64(s, 16));
  const vf = M64(a + z);
  const vs = M64(b + rotate(a, 31) + c);
  a = M64(fetch64(s, 16) + fetch64(s, len - 32));
  z = fetch64(s, len - 8);
  b = rotate(M64(a + z), 52);
  c = rotate(a, 37);
  a = M64(a + fetch64(s, len - 24));
  c = M64(c + rotate(a, 7));
  a = M64(a + fetch64(s, len - 16));
  const wf = M64(a + z);
  const ws = M64(b + rotate(a, 31) + c);
  const r = shiftMix(M64(M64((vf + ws) * k2) + M64((wf + vs) * k0)));
  return M64(shiftMix(M64(r * k0 + vs)) * k2);
}

/** CityHash64 as in ClickHouse (CityHash v1.0.2). */
export function cityHash64(s: Uint8Array): bigint {
  let len = s.length;
  if (len <= 32) return len <= 16 ? hashLen0to16(s, len) : hashLen17to32(s, len);
  if (len <= 64) return hashLen33to64(s, len);
  let x = fetch64(s, 0);
  let y = fetch64(s, len - 16) ^ k1;
  let z = fetch64(s, len - 56) ^ k0;
  let v = weakAt(s, len - 64, BigInt(len), y);
  let w = weakAt(s, len - 32, M64(BigInt(len) * k1), k0);
  z = M64(z + M64(shiftMix(v[1]) * k1));
  x = M64(rotate(M64(z + x), 39) * k1);
  y = M64(rotate(y, 33) * k1);
  len = (len - 1) & ~63;
  let p = 0;
  do {
    x = M64(rotate(M64(x + y + v[0] + fetch64(s, p + 16)), 37) * k1);
    y = M64(rotate(M64(y + v[1] + fetch64(s, p + 48)), 42) * k1);
    x ^= w[1];
    y ^= v[0];
    z = rotate(z ^ w[0], 33);
    v = weakAt(s, p, M64(v[1] * k1), M64(x + w[0]));
    w = weakAt(s, p + 32, M64(z + w[1]), y);
    [z, x] = [x, z];
    p += 64;
    len -= 64;
  } while (len !== 0);
  return hash128to64(M64(hash128to64(v[0], w[0]) + M64(shiftMix(y) * k1) + z), M64(hash128to64(v[1], w[1]) + x));
}

/** ClickHouse's intHash64 SQL function: the MurmurHash3 finalizer over x XOR a fixed salt. */
export function intHash64(x: bigint): bigint {
  x = M64(x) ^ 0x4cf2d2baae6da887n;
  x ^= x >> 33n;
  x = M64(x * 0xff51afd7ed558ccdn);
  x ^= x >> 33n;
  x = M64(x * 0xc4ceb9fe1a85ec53n);
  x ^= x >> 33n;
  return x;
}

/** ClickHouse's intHash32 (Thomas Wang's 64→32 mix). */
export function intHash32(key: bigint): number {
  key = M64(key) ^ 0x75d9543de018bf45n;
  key = M64(~key + (key << 18n));
  key = key ^ M64((key >> 31n) | (key << 33n));
  key = M64(key * 21n);
  key = key ^ M64((key >> 11n) | (key << 53n));
  key = M64(key + (key << 6n));
  key = key ^ M64((key >> 22n) | (key << 42n));
  return Number(BigInt.asUintN(32, key));
}

/** SipHash-2-4 with ClickHouse's zero key; returns the 64-bit hash (and the 128-bit variant's halves). */
function sipRounds(s: Uint8Array, is128: boolean): bigint[] {
  let v0 = 0x736f6d6570736575n;
  let v1 = 0x646f72616e646f6dn;
  let v2 = 0x6c7967656e657261n;
  let v3 = 0x7465646279746573n;
  if (is128) v1 ^= 0xeen;
  const round = () => {
    v0 = M64(v0 + v1);
    v1 = rotl(v1, 13n);
    v1 ^= v0;
    v0 = rotl(v0, 32n);
    v2 = M64(v2 + v3);
    v3 = rotl(v3, 16n);
    v3 ^= v2;
    v0 = M64(v0 + v3);
    v3 = rotl(v3, 21n);
    v3 ^= v0;
    v2 = M64(v2 + v1);
    v1 = rotl(v1, 17n);
    v1 ^= v2;
    v2 = rotl(v2, 32n);
  };
  const len = s.length;
  const end = len - (len % 8);
  for (let i = 0; i < end; i += 8) {
    const m = fetch64(s, i);
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
  let b = BigInt(len & 255) << 56n;
  for (let i = 0; i < len % 8; i++) b |= BigInt(s[end + i]!) << BigInt(8 * i);
  v3 ^= b;
  round();
  round();
  v0 ^= b;
  v2 ^= is128 ? 0xeen : 0xffn;
  for (let i = 0; i < 4; i++) round();
  const h1 = v0 ^ v1 ^ v2 ^ v3;
  if (!is128) return [h1];
  v1 ^= 0xddn;
  for (let i = 0; i < 4; i++) round();
  return [h1, v0 ^ v1 ^ v2 ^ v3];
}
function rotl(x: bigint, b: bigint): bigint {
  return M64((x << b) | (x >> (64n - b)));
}

export function sipHash64(s: Uint8Array): bigint {
  return sipRounds(s, false)[0]!;
}
export function sipHash128(s: Uint8Array): Uint8Array {
  const [a, b] = sipRounds(s, true) as [bigint, bigint];
  const out = new Uint8Array(16);
  for (let i = 0; i < 8; i++) {
    out[i] = Number((a >> BigInt(8 * i)) & 255n);
    out[8 + i] = Number((b >> BigInt(8 * i)) & 255n);
  }
  return out;
}

const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

export function xxHash64(s: Uint8Array, seed = 0n): bigint {
  const len = s.length;
  let i = 0;
  let h: bigint;
  const r = (acc: bigint, input: bigint) => M64(rotl(M64(acc + M64(input * P2)), 31n) * P1);
  if (len >= 32) {
    let v1 = M64(seed + P1 + P2);
    let v2 = M64(seed + P2);
    let v3 = seed;
    let v4 = M64(seed - P1);
    for (; i + 32 <= len; i += 32) {
      v1 = r(v1, fetch64(s, i));
      v2 = r(v2, fetch64(s, i + 8));
      v3 = r(v3, fetch64(s, i + 16));
      v4 = r(v4, fetch64(s, i + 24));
    }
    h = M64(rotl(v1, 1n) + rotl(v2, 7n) + rotl(v3, 12n) + rotl(v4, 18n));
    for (const v of [v1, v2, v3, v4]) h = M64(M64((h ^ r(0n, v)) * P1) + P4);
  } else h = M64(seed + P5);
  h = M64(h + BigInt(len));
  for (; i + 8 <= len; i += 8) h = M64(M64(rotl(h ^ r(0n, fetch64(s, i)), 27n) * P1) + P4);
  if (i + 4 <= len) {
    h = M64(M64(rotl(h ^ M64(fetch32(s, i) * P1), 23n) * P2) + P3);
    i += 4;
  }
  for (; i < len; i++) h = M64(rotl(h ^ M64(BigInt(s[i]!) * P5), 11n) * P1);
  h ^= h >> 33n;
  h = M64(h * P2);
  h ^= h >> 29n;
  h = M64(h * P3);
  h ^= h >> 32n;
  return h;
}

export function murmurHash2_32(s: Uint8Array, seed = 0): number {
  const m = 0x5bd1e995;
  let h = (seed ^ s.length) >>> 0;
  let i = 0;
  for (; i + 4 <= s.length; i += 4) {
    let k = s[i]! | (s[i + 1]! << 8) | (s[i + 2]! << 16) | (s[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = s.length - i;
  if (rest >= 3) h ^= s[i + 2]! << 16;
  if (rest >= 2) h ^= s[i + 1]! << 8;
  if (rest >= 1) h = Math.imul(h ^ s[i]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h >>> 0;
}

export function murmurHash2_64(s: Uint8Array, seed = 0n): bigint {
  const m = 0xc6a4a7935bd1e995n;
  let h = M64(seed ^ M64(BigInt(s.length) * m));
  let i = 0;
  for (; i + 8 <= s.length; i += 8) {
    let k = fetch64(s, i);
    k = M64(k * m);
    k ^= k >> 47n;
    k = M64(k * m);
    h ^= k;
    h = M64(h * m);
  }
  const rest = s.length - i;
  if (rest) {
    for (let k = rest - 1; k >= 0; k--) h ^= BigInt(s[i + k]!) << BigInt(8 * k);
    h = M64(h * m);
  }
  h ^= h >> 47n;
  h = M64(h * m);
  h ^= h >> 47n;
  return h;
}

export function murmurHash3_32(s: Uint8Array, seed = 0): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  let i = 0;
  for (; i + 4 <= s.length; i += 4) {
    let k = s[i]! | (s[i + 1]! << 8) | (s[i + 2]! << 16) | (s[i + 3]! << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  const rest = s.length - i;
  if (rest >= 3) k ^= s[i + 2]! << 16;
  if (rest >= 2) k ^= s[i + 1]! << 8;
  if (rest >= 1) {
    k ^= s[i]!;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }
  h ^= s.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** MurmurHash3 x64 128; murmurHash3_64 in ClickHouse is the XOR of its halves. */
export function murmurHash3_128(s: Uint8Array, seed = 0n): [bigint, bigint] {
  const c1 = 0x87c37b91114253d5n;
  const c2 = 0x4cf5ad432745937fn;
  let h1 = seed;
  let h2 = seed;
  const len = s.length;
  let i = 0;
  const fmix = (k: bigint) => {
    k ^= k >> 33n;
    k = M64(k * 0xff51afd7ed558ccdn);
    k ^= k >> 33n;
    k = M64(k * 0xc4ceb9fe1a85ec53n);
    k ^= k >> 33n;
    return k;
  };
  for (; i + 16 <= len; i += 16) {
    let k1 = fetch64(s, i);
    let k2 = fetch64(s, i + 8);
    k1 = M64(rotl(M64(k1 * c1), 31n) * c2);
    h1 ^= k1;
    h1 = M64(M64(rotl(h1, 27n) + h2) * 5n + 0x52dce729n);
    k2 = M64(rotl(M64(k2 * c2), 33n) * c1);
    h2 ^= k2;
    h2 = M64(M64(rotl(h2, 31n) + h1) * 5n + 0x38495ab5n);
  }
  let k1 = 0n;
  let k2 = 0n;
  const rest = len - i;
  for (let k = Math.min(rest, 16) - 1; k >= 8; k--) k2 ^= BigInt(s[i + k]!) << BigInt(8 * (k - 8));
  if (rest > 8) {
    k2 = M64(rotl(M64(k2 * c2), 33n) * c1);
    h2 ^= k2;
  }
  for (let k = Math.min(rest, 8) - 1; k >= 0; k--) k1 ^= BigInt(s[i + k]!) << BigInt(8 * k);
  if (rest > 0) {
    k1 = M64(rotl(M64(k1 * c1), 31n) * c2);
    h1 ^= k1;
  }
  h1 ^= BigInt(len);
  h2 ^= BigInt(len);
  h1 = M64(h1 + h2);
  h2 = M64(h2 + h1);
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = M64(h1 + h2);
  h2 = M64(h2 + h1);
  return [h1, h2];
}

/** xxHash32 (for ClickHouse's xxHash32). */
export function xxHash32(s: Uint8Array, seed = 0): number {
  const P1_32 = 2654435761;
  const P2_32 = 2246822519;
  const P3_32 = 3266489917;
  const P4_32 = 668265263;
  const P5_32 = 374761393;
  const rotl32 = (x: number, r: number) => (x << r) | (x >>> (32 - r));
  const len = s.length;
  let i = 0;
  let h: number;
  const rd = (i2: number) => s[i2]! | (s[i2 + 1]! << 8) | (s[i2 + 2]! << 16) | (s[i2 + 3]! << 24);
  if (len >= 16) {
    let v1 = (seed + P1_32 + P2_32) | 0;
    let v2 = (seed + P2_32) | 0;
    let v3 = seed | 0;
    let v4 = (seed - P1_32) | 0;
    for (; i + 16 <= len; i += 16) {
      v1 = Math.imul(rotl32((v1 + Math.imul(rd(i), P2_32)) | 0, 13), P1_32);
      v2 = Math.imul(rotl32((v2 + Math.imul(rd(i + 4), P2_32)) | 0, 13), P1_32);
      v3 = Math.imul(rotl32((v3 + Math.imul(rd(i + 8), P2_32)) | 0, 13), P1_32);
      v4 = Math.imul(rotl32((v4 + Math.imul(rd(i + 12), P2_32)) | 0, 13), P1_32);
    }
    h = (rotl32(v1, 1) + rotl32(v2, 7) + rotl32(v3, 12) + rotl32(v4, 18)) | 0;
  } else h = (seed + P5_32) | 0;
  h = (h + len) | 0;
  for (; i + 4 <= len; i += 4) h = Math.imul(rotl32((h + Math.imul(rd(i), P3_32)) | 0, 17), P4_32);
  for (; i < len; i++) h = Math.imul(rotl32((h + Math.imul(s[i]!, P5_32)) | 0, 11), P1_32);
  h ^= h >>> 15;
  h = Math.imul(h, P2_32);
  h ^= h >>> 13;
  h = Math.imul(h, P3_32);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Java's String.hashCode over the bytes (ClickHouse's javaHash for strings). */
export function javaHash(s: Uint8Array): number {
  let h = 0;
  for (const b of s) h = (Math.imul(h, 31) + ((b << 24) >> 24)) | 0;
  return h;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(s: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of s) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
