import net from 'node:net';

/** Shared pieces of the bounded fuzz runs against live listeners. */

/** xorshift32: reproducible runs (tests print their seed). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A copy of `b` with a few random bits flipped. */
export function flipBits(b: Uint8Array, rand: () => number): Uint8Array {
  const out = Uint8Array.from(b);
  for (let k = 0, n = 1 + Math.floor(rand() * 4); k < n; k++) out[Math.floor(rand() * out.length)]! ^= 1 << Math.floor(rand() * 8);
  return out;
}

/**
 * Connects, sends `bytes`, half-closes, and resolves with what came back once the server closed the
 * connection. A server that keeps a finished connection open fails the run.
 */
export function exchange(port: number, bytes: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = net.connect(port, '127.0.0.1', () => {
      s.end(bytes);
    });
    s.on('data', (d) => chunks.push(d));
    s.on('error', () => undefined); // a reset is an acceptable way to be refused
    s.on('close', () => resolve(Buffer.concat(chunks)));
    s.setTimeout(20_000, () => reject(new Error('the server kept a finished connection open')));
  });
}
