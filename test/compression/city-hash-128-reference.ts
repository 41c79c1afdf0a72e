// Straightforward BigInt transcription of CityHash128 v1.0.2 (go-faster/city ch_128.go),
// used only to cross-check the fast uint32-pair implementation on random inputs.
import type { CityHash128Value } from '../../src/compression/city-hash-128.js';

const M = (1n << 64n) - 1n;
const k0 = 0xc3a5c85c97cb3127n, k1 = 0xb492b66fbe98f273n, k2 = 0x9ae16a3b2f90404fn, k3 = 0xc949d7c7509e6557n;

const f64 = (s: Uint8Array, p: number): bigint => {
  let v = 0n;
  for (let i = 7; i >= 0; i--) v = (v << 8n) | BigInt(s[p + i]);
  return v;
};
const f32 = (s: Uint8Array, p: number): bigint => BigInt((s[p] | (s[p + 1] << 8) | (s[p + 2] << 16) | (s[p + 3] << 24)) >>> 0);
const rot = (v: bigint, r: number): bigint => (r === 0 ? v : ((v >> BigInt(r)) | (v << BigInt(64 - r))) & M);
const sm = (v: bigint): bigint => v ^ (v >> 47n);
const mul = (a: bigint, b: bigint): bigint => (a * b) & M;
const add = (...xs: bigint[]): bigint => xs.reduce((a, b) => (a + b) & M, 0n);
function h16(u: bigint, v: bigint): bigint {
  const km = 0x9ddfea08eb382d69n;
  let a = mul(u ^ v, km);
  a ^= a >> 47n;
  let b = mul(v ^ a, km);
  b ^= b >> 47n;
  return mul(b, km);
}
function h0to16(s: Uint8Array, p: number, len: number): bigint {
  if (len > 8) {
    const a = f64(s, p), b = f64(s, p + len - 8);
    return h16(a, rot(add(b, BigInt(len)), len)) ^ b;
  }
  if (len >= 4) return h16(add(BigInt(len), (f32(s, p) << 3n) & M), f32(s, p + len - 4));
  if (len > 0) {
    const y = BigInt(s[p] + (s[p + (len >> 1)] << 8)), z = BigInt(len + (s[p + len - 1] << 2));
    return mul(sm(mul(y, k2) ^ mul(z, k3)), k2);
  }
  return k2;
}
function weak(s: Uint8Array, p: number, a: bigint, b: bigint): [bigint, bigint] {
  const w = f64(s, p), x = f64(s, p + 8), y = f64(s, p + 16), z = f64(s, p + 24);
  a = add(a, w);
  b = rot(add(b, a, z), 21);
  const c = a;
  a = add(a, x, y);
  b = add(b, rot(a, 44));
  return [add(a, z), add(b, c)];
}
function murmur(s: Uint8Array, p: number, len: number, sl: bigint, sh: bigint): [bigint, bigint] {
  let a = sl, b = sh, c: bigint, d: bigint, l = len - 16;
  if (l <= 0) {
    a = mul(sm(mul(a, k1)), k1);
    c = add(mul(b, k1), h0to16(s, p, len));
    d = sm(add(a, len >= 8 ? f64(s, p) : c));
  } else {
    c = h16(add(f64(s, p + len - 8), k1), a);
    d = h16(add(b, BigInt(len)), add(c, f64(s, p + len - 16)));
    a = add(a, d);
    do {
      a ^= mul(sm(mul(f64(s, p), k1)), k1); a = mul(a, k1); b ^= a;
      c ^= mul(sm(mul(f64(s, p + 8), k1)), k1); c = mul(c, k1); d ^= c;
      p += 16; l -= 16;
    } while (l > 0);
  }
  a = h16(a, c); b = h16(d, b);
  return [a ^ b, h16(b, a)];
}
function withSeed(s: Uint8Array, p: number, len: number, x: bigint, y: bigint): [bigint, bigint] {
  if (len < 128) return murmur(s, p, len, x, y);
  const end = p + len;
  let z = mul(BigInt(len), k1);
  let v0 = add(mul(rot(y ^ k1, 49), k1), f64(s, p));
  let v1 = add(mul(rot(v0, 42), k1), f64(s, p + 8));
  let w0 = add(mul(rot(add(y, z), 35), k1), x);
  let w1 = mul(rot(add(x, f64(s, p + 88)), 53), k1);
  while (len >= 128) {
    for (let r = 0; r < 2; r++) {
      x = mul(rot(add(x, y, v0, f64(s, p + 16)), 37), k1);
      y = mul(rot(add(y, v1, f64(s, p + 48)), 42), k1);
      x ^= w1; y ^= v0;
      z = rot(z ^ w0, 33);
      [v0, v1] = weak(s, p, mul(v1, k1), add(x, w0));
      [w0, w1] = weak(s, p + 32, add(z, w1), y);
      [z, x] = [x, z];
      p += 64;
    }
    len -= 128;
  }
  y = add(y, mul(rot(w0, 37), k0), z);
  x = add(x, mul(rot(add(v0, z), 49), k0));
  for (let done = 0; done < len;) {
    done += 32;
    y = add(mul(rot((y - x) & M, 42), k0), v1);
    w0 = add(w0, f64(s, end - done + 16));
    x = add(mul(rot(x, 49), k0), w0);
    w0 = add(w0, v0);
    [v0, v1] = weak(s, end - done, v0, v1);
  }
  x = h16(x, v0); y = h16(y, w0);
  return [add(h16(add(x, v1), w1), y), h16(add(x, w1), add(y, v1))];
}

export function cityHash128Reference(s: Uint8Array): CityHash128Value {
  const n = s.length;
  let r: [bigint, bigint];
  if (n >= 16) r = withSeed(s, 16, n - 16, f64(s, 0) ^ k3, f64(s, 8));
  else if (n >= 8) r = withSeed(s, 0, 0, f64(s, 0) ^ mul(BigInt(n), k0), f64(s, n - 8) ^ k1);
  else r = withSeed(s, 0, n, k0, k1);
  return { low: r[0], high: r[1] };
}
