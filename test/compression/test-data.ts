// Deterministic inputs shared with the golden-file generator (see golden/README.md):
// the same xorshift32 stream is produced by the Python script that made the goldens.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function xorshiftBytes(n: number, seed: number): Uint8Array {
  let x = seed >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

const VOCAB = ['select', 'from', 'where', 'stream', 'tumble', 'window', 'count', 'sum', '_tp_time',
  'hadron', 'clickhouse', 'proton', 'lz4', 'zstd', 'block', '\n', '1234567890', 'é'];

/** Space-separated words picked by xorshift32: compressible, text-like. */
export function textBytes(n: number, seed: number): Uint8Array {
  let x = seed >>> 0;
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  let total = 0;
  while (total < n) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    const w = enc.encode(VOCAB[x % VOCAB.length] + ' ');
    parts.push(w);
    total += w.length;
  }
  const out = new Uint8Array(total);
  let p = 0;
  for (const w of parts) {
    out.set(w, p);
    p += w.length;
  }
  return out.subarray(0, n);
}

export function golden(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fileURLToPath(new URL(`./golden/${name}`, import.meta.url))));
}

export function goldenText(name: string): string {
  return new TextDecoder().decode(golden(name));
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
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

/**
 * Fast byte equality (vitest's deep toEqual walks large typed arrays slowly); on mismatch
 * reports lengths and the first differing offset.
 */
export function sameBytes(actual: Uint8Array, expected: Uint8Array): string {
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(b)) return 'same';
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return `differ: lengths ${a.length} vs ${b.length}, first difference at ${i}`;
}
