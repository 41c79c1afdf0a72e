// CityHash128 as ClickHouse uses it to checksum compressed blocks: CityHash **v1.0.2**
// (ClickHouse `contrib/cityhash102`, Go port: go-faster/city `ch_128.go`). Later CityHash
// releases changed the algorithm, so no off-the-shelf "cityhash" matches the wire format.
//
// Every 64-bit value is held as two int32 halves (`…L` low, `…H` high) because BigInt is
// ~5x slower and this runs over every compressed block. Helpers return the low half and
// leave the high half in the module register `H` so that no pair object is allocated.

import { ST, cityRounds } from './city-rounds.js';

/** A 128-bit checksum as ClickHouse names its halves (`low` is written first on the wire). */
export interface CityHash128Value {
  readonly low: bigint;
  readonly high: bigint;
}

// Second return register for the 64-bit helpers below (read immediately after each call).
let H = 0;

const K0L = 0x97cb3127 | 0, K0H = 0xc3a5c85c | 0;
const K1L = 0xbe98f273 | 0, K1H = 0xb492b66f | 0;
const K2L = 0x2f90404f | 0, K2H = 0x9ae16a3b | 0;
const K3L = 0x509e6557 | 0, K3H = 0xc949d7c7 | 0;
const KML = 0xeb382d69 | 0, KMH = 0x9ddfea08 | 0; // Hash128to64's kMul

/** Low 64 bits of a*b, from 16-bit partial products (each exact in a double). */
function mul(aL: number, aH: number, bL: number, bH: number): number {
  const a0 = aL & 0xffff, a1 = aL >>> 16, b0 = bL & 0xffff, b1 = bL >>> 16;
  const p00 = a0 * b0, p10 = a1 * b0, p01 = a0 * b1;
  const mid = (p00 >>> 16) + (p10 & 0xffff) + (p01 & 0xffff);
  const carry = a1 * b1 + (p10 >>> 16) + (p01 >>> 16) + (mid >>> 16);
  H = (carry + Math.imul(aL, bH) + Math.imul(aH, bL)) | 0;
  return (mid << 16) | (p00 & 0xffff);
}

function add(aL: number, aH: number, bL: number, bH: number): number {
  const s = (aL >>> 0) + (bL >>> 0);
  H = (aH + bH + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
}

function sub(aL: number, aH: number, bL: number, bH: number): number {
  H = (aH - bH - ((aL >>> 0) < (bL >>> 0) ? 1 : 0)) | 0;
  return (aL - bL) | 0;
}

/** Rotate right by r (0 <= r < 64). */
function rot(l: number, h: number, r: number): number {
  if (r >= 32) {
    const t = l;
    l = h;
    h = t;
    r -= 32;
  }
  if (r === 0) {
    H = h;
    return l;
  }
  H = (h >>> r) | (l << (32 - r));
  return (l >>> r) | (h << (32 - r));
}

/** Little-endian int32 at p (bytes assembled by hand: faster than a DataView per call). */
function f32(s: Uint8Array, p: number): number {
  return s[p] | (s[p + 1] << 8) | (s[p + 2] << 16) | (s[p + 3] << 24);
}

/** Hash128to64(u, v): Murmur-inspired mix of two 64-bit values. */
function ch16(uL: number, uH: number, vL: number, vH: number): number {
  let aL = mul(uL ^ vL, uH ^ vH, KML, KMH), aH = H;
  aL ^= aH >>> 15; // a ^= a >> 47
  let bL = mul(vL ^ aL, vH ^ aH, KML, KMH), bH = H;
  bL ^= bH >>> 15;
  bL = mul(bL, bH, KML, KMH);
  return bL;
}

/** HashLen0to16 from v1.0.2 (result in return + H). */
function hash0to16(s: Uint8Array, p: number, len: number): number {
  if (len > 8) {
    const aL = f32(s, p), aH = f32(s, p + 4);
    const bL = f32(s, p + len - 8), bH = f32(s, p + len - 4);
    let tL = add(bL, bH, len, 0), tH = H;
    tL = rot(tL, tH, len);
    tH = H;
    const rL = ch16(aL, aH, tL, tH);
    H ^= bH;
    return rL ^ bL;
  }
  if (len >= 4) {
    const a = f32(s, p);
    // len + (a << 3), with a a uint32 widened to 64 bits.
    const uL = add(a << 3, a >>> 29, len, 0), uH = H;
    return ch16(uL, uH, f32(s, p + len - 4), 0);
  }
  if (len > 0) {
    const y = s[p] + (s[p + (len >> 1)] << 8);
    const z = len + (s[p + len - 1] << 2);
    const yL = mul(y, 0, K2L, K2H), yH = H;
    const zL = mul(z, 0, K3L, K3H), zH = H;
    const xL = yL ^ zL, xH = yH ^ zH;
    return mul(xL ^ (xH >>> 15), xH, K2L, K2H);
  }
  H = K2H;
  return K2L;
}

// Output registers of the core, read by the exported wrappers.
let outLowL = 0, outLowH = 0, outHighL = 0, outHighH = 0;

/** The v1.0.2 CityMurmur: for seeded inputs shorter than 128 bytes. */
function cityMurmur(s: Uint8Array, p: number, len: number, sLL: number, sLH: number, sHL: number, sHH: number): void {
  let aL = sLL, aH = sLH, bL = sHL, bH = sHH, cL: number, cH: number, dL: number, dH: number;
  let l = len - 16;
  if (l <= 0) {
    // a = ShiftMix(a * k1) * k1
    aL = mul(aL, aH, K1L, K1H); aH = H;
    aL = mul(aL ^ (aH >>> 15), aH, K1L, K1H); aH = H;
    // c = b * k1 + HashLen0to16(s)
    cL = mul(bL, bH, K1L, K1H); cH = H;
    const hL = hash0to16(s, p, len), hH = H;
    cL = add(cL, cH, hL, hH); cH = H;
    // d = ShiftMix(a + (len >= 8 ? Fetch64(s) : c))
    if (len >= 8) dL = add(aL, aH, f32(s, p), f32(s, p + 4));
    else dL = add(aL, aH, cL, cH);
    dH = H;
    dL ^= dH >>> 15;
  } else {
    // c = HashLen16(Fetch64(s + len - 8) + k1, a)
    let tL = add(f32(s, p + len - 8), f32(s, p + len - 4), K1L, K1H), tH = H;
    cL = ch16(tL, tH, aL, aH); cH = H;
    // d = HashLen16(b + len, c + Fetch64(s + len - 16))
    tL = add(bL, bH, len, 0); tH = H;
    const uL = add(cL, cH, f32(s, p + len - 16), f32(s, p + len - 12)), uH = H;
    dL = ch16(tL, tH, uL, uH); dH = H;
    aL = add(aL, aH, dL, dH); aH = H;
    do {
      // a ^= ShiftMix(Fetch64(s) * k1) * k1; a *= k1; b ^= a;
      tL = mul(f32(s, p), f32(s, p + 4), K1L, K1H); tH = H;
      tL = mul(tL ^ (tH >>> 15), tH, K1L, K1H); tH = H;
      aL = mul(aL ^ tL, aH ^ tH, K1L, K1H); aH = H;
      bL ^= aL; bH ^= aH;
      // c ^= ShiftMix(Fetch64(s + 8) * k1) * k1; c *= k1; d ^= c;
      tL = mul(f32(s, p + 8), f32(s, p + 12), K1L, K1H); tH = H;
      tL = mul(tL ^ (tH >>> 15), tH, K1L, K1H); tH = H;
      cL = mul(cL ^ tL, cH ^ tH, K1L, K1H); cH = H;
      dL ^= cL; dH ^= cH;
      p += 16;
      l -= 16;
    } while (l > 0);
  }
  aL = ch16(aL, aH, cL, cH); aH = H;
  bL = ch16(dL, dH, bL, bH); bH = H;
  outLowL = aL ^ bL;
  outLowH = aH ^ bH;
  outHighL = ch16(bL, bH, aL, aH);
  outHighH = H;
}

/** CityHash128WithSeed (v1.0.2). */
function cityHash128WithSeed(s: Uint8Array, p: number, len: number, xL: number, xH: number, yL: number, yH: number): void {
  if (len < 128) {
    cityMurmur(s, p, len, xL, xH, yL, yH);
    return;
  }
  const end = p + len;
  let tL: number, tH: number;
  // z = len * k1
  let zL = mul(len, 0, K1L, K1H), zH = H;
  // v.first = Rotate(y ^ k1, 49) * k1 + Fetch64(s)
  tL = rot(yL ^ K1L, yH ^ K1H, 49); tH = H;
  tL = mul(tL, tH, K1L, K1H); tH = H;
  let vLL = add(tL, tH, f32(s, p), f32(s, p + 4)), vLH = H;
  // v.second = Rotate(v.first, 42) * k1 + Fetch64(s + 8)
  tL = rot(vLL, vLH, 42); tH = H;
  tL = mul(tL, tH, K1L, K1H); tH = H;
  let vHL = add(tL, tH, f32(s, p + 8), f32(s, p + 12)), vHH = H;
  // w.first = Rotate(y + z, 35) * k1 + x
  tL = add(yL, yH, zL, zH); tH = H;
  tL = rot(tL, tH, 35); tH = H;
  tL = mul(tL, tH, K1L, K1H); tH = H;
  let wLL = add(tL, tH, xL, xH), wLH = H;
  // w.second = Rotate(x + Fetch64(s + 88), 53) * k1
  tL = add(xL, xH, f32(s, p + 88), f32(s, p + 92)); tH = H;
  tL = rot(tL, tH, 53); tH = H;
  let wHL = mul(tL, tH, K1L, K1H), wHH = H;

  // The hot loop runs out of line on locals only (see cityRounds).
  const rounds = (len >>> 7) << 1;
  ST[0] = xL; ST[1] = xH; ST[2] = yL; ST[3] = yH; ST[4] = zL; ST[5] = zH;
  ST[6] = vLL; ST[7] = vLH; ST[8] = vHL; ST[9] = vHH; ST[10] = wLL; ST[11] = wLH; ST[12] = wHL; ST[13] = wHH;
  cityRounds(s, p, rounds);
  xL = ST[0]; xH = ST[1]; yL = ST[2]; yH = ST[3]; zL = ST[4]; zH = ST[5];
  vLL = ST[6]; vLH = ST[7]; vHL = ST[8]; vHH = ST[9]; wLL = ST[10]; wLH = ST[11]; wHL = ST[12]; wHH = ST[13];
  len &= 127;

  // y += Rotate(w.first, 37) * k0 + z
  tL = rot(wLL, wLH, 37); tH = H;
  tL = mul(tL, tH, K0L, K0H); tH = H;
  tL = add(tL, tH, zL, zH); tH = H;
  yL = add(yL, yH, tL, tH); yH = H;
  // x += Rotate(v.first + z, 49) * k0
  tL = add(vLL, vLH, zL, zH); tH = H;
  tL = rot(tL, tH, 49); tH = H;
  tL = mul(tL, tH, K0L, K0H); tH = H;
  xL = add(xL, xH, tL, tH); xH = H;

  // Up to four 32-byte chunks from the end of the whole input.
  for (let done = 0; done < len; ) {
    done += 32;
    // y = Rotate(y - x, 42) * k0 + v.second
    tL = sub(yL, yH, xL, xH); tH = H;
    tL = rot(tL, tH, 42); tH = H;
    tL = mul(tL, tH, K0L, K0H); tH = H;
    yL = add(tL, tH, vHL, vHH); yH = H;
    // w.first += Fetch64(s + len - tail_done + 16)
    wLL = add(wLL, wLH, f32(s, end - done + 16), f32(s, end - done + 20)); wLH = H;
    // x = Rotate(x, 49) * k0 + w.first
    tL = rot(xL, xH, 49); tH = H;
    tL = mul(tL, tH, K0L, K0H); tH = H;
    xL = add(tL, tH, wLL, wLH); xH = H;
    // w.first += v.first
    wLL = add(wLL, wLH, vLL, vLH); wLH = H;
    // v = WeakHashLen32WithSeeds(s + len - tail_done, v.first, v.second)
    weak32(s, end - done, vLL, vLH, vHL, vHH);
    vLL = wkL; vLH = wkLH; vHL = wkH; vHH = wkHH;
  }

  // x = HashLen16(x, v.first); y = HashLen16(y, w.first)
  xL = ch16(xL, xH, vLL, vLH); xH = H;
  yL = ch16(yL, yH, wLL, wLH); yH = H;
  // low = HashLen16(x + v.second, w.second) + y
  tL = add(xL, xH, vHL, vHH); tH = H;
  tL = ch16(tL, tH, wHL, wHH); tH = H;
  outLowL = add(tL, tH, yL, yH); outLowH = H;
  // high = HashLen16(x + w.second, y + v.second)
  tL = add(xL, xH, wHL, wHH); tH = H;
  const uL = add(yL, yH, vHL, vHH), uH = H;
  outHighL = ch16(tL, tH, uL, uH);
  outHighH = H;
}

// Output registers of weak32.
let wkL = 0, wkLH = 0, wkH = 0, wkHH = 0;

/** WeakHashLen32WithSeeds(s[q..q+32), a, b) → (wkL:wkLH, wkH:wkHH). */
function weak32(s: Uint8Array, q: number, aL: number, aH: number, bL: number, bH: number): void {
  const zL = f32(s, q + 24), zH = f32(s, q + 28);
  // a += w
  aL = add(aL, aH, f32(s, q), f32(s, q + 4)); aH = H;
  // b = Rotate(b + a + z, 21)
  let tL = add(bL, bH, aL, aH), tH = H;
  tL = add(tL, tH, zL, zH); tH = H;
  bL = rot(tL, tH, 21); bH = H;
  const cL = aL, cH = aH;
  // a += x; a += y
  aL = add(aL, aH, f32(s, q + 8), f32(s, q + 12)); aH = H;
  aL = add(aL, aH, f32(s, q + 16), f32(s, q + 20)); aH = H;
  // b += Rotate(a, 44)
  tL = rot(aL, aH, 44); tH = H;
  bL = add(bL, bH, tL, tH); bH = H;
  // return (a + z, b + c)
  wkL = add(aL, aH, zL, zH); wkLH = H;
  wkH = add(bL, bH, cL, cH); wkHH = H;
}

/** CityHash128 (v1.0.2) of s[p, p+len): result in the out registers. */
function cityHash128Core(s: Uint8Array, p: number, len: number): void {
  if (len >= 16) {
    cityHash128WithSeed(s, p + 16, len - 16,
      f32(s, p) ^ K3L, f32(s, p + 4) ^ K3H, f32(s, p + 8), f32(s, p + 12));
  } else if (len >= 8) {
    const mL = mul(len, 0, K0L, K0H), mH = H;
    cityHash128WithSeed(s, p, 0,
      f32(s, p) ^ mL, f32(s, p + 4) ^ mH,
      f32(s, p + len - 8) ^ K1L, f32(s, p + len - 4) ^ K1H);
  } else {
    cityHash128WithSeed(s, p, len, K0L, K0H, K1L, K1H);
  }
}

function checkRange(data: Uint8Array, offset: number, length: number): void {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > data.length) {
    throw new RangeError(`cityHash128: range [${offset}, ${offset + length}) outside input of ${data.length} bytes`);
  }
}

/** CityHash128 v1.0.2 of data[offset, offset+length) as two unsigned 64-bit halves. */
export function cityHash128(data: Uint8Array, offset = 0, length = data.length - offset): CityHash128Value {
  checkRange(data, offset, length);
  cityHash128Core(data, offset, length);
  return {
    low: (BigInt(outLowH >>> 0) << 32n) | BigInt(outLowL >>> 0),
    high: (BigInt(outHighH >>> 0) << 32n) | BigInt(outHighL >>> 0),
  };
}

/**
 * Writes the 16 checksum bytes exactly as they appear on the wire (low u64 LE, then high u64 LE)
 * into target[targetOffset, targetOffset+16). No allocation: use this on hot paths.
 */
export function cityHash128Into(
  data: Uint8Array, offset: number, length: number, target: Uint8Array, targetOffset = 0,
): void {
  checkRange(data, offset, length);
  if (targetOffset < 0 || targetOffset + 16 > target.length) {
    throw new RangeError('cityHash128Into: target too small for 16 checksum bytes');
  }
  cityHash128Core(data, offset, length);
  writeI32(target, targetOffset, outLowL);
  writeI32(target, targetOffset + 4, outLowH);
  writeI32(target, targetOffset + 8, outHighL);
  writeI32(target, targetOffset + 12, outHighH);
}

/** True when expected[expectedOffset, +16) holds the checksum of data[offset, offset+length). */
export function cityHash128Equals(
  data: Uint8Array, offset: number, length: number, expected: Uint8Array, expectedOffset = 0,
): boolean {
  checkRange(data, offset, length);
  if (expectedOffset < 0 || expectedOffset + 16 > expected.length) return false;
  cityHash128Core(data, offset, length);
  return f32(expected, expectedOffset) === outLowL && f32(expected, expectedOffset + 4) === outLowH
    && f32(expected, expectedOffset + 8) === outHighL && f32(expected, expectedOffset + 12) === outHighH;
}

function writeI32(t: Uint8Array, p: number, v: number): void {
  t[p] = v;
  t[p + 1] = v >>> 8;
  t[p + 2] = v >>> 16;
  t[p + 3] = v >>> 24;
}
