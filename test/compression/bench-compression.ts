// Throughput script for the compression layer (not a test). Run with:
//   npx tsc --outDir /tmp/hadron-bench --rootDir . --module nodenext --moduleResolution nodenext \
//     --target es2022 --skipLibCheck --types node test/compression/bench-compression.ts \
//   && node /tmp/hadron-bench/test/compression/bench-compression.js
import {
  cityHash128Into, decodeCompressedBlockAt, encodeCompressedBlock, initZstd, lz4CompressBound, lz4CompressInto,
  lz4DecompressInto, lz4FrameDecode, lz4FrameEncode, zstdCompress, zstdDecompress,
} from '../../src/compression/index.js';
import { textBytes, xorshiftBytes } from './test-data.js';

/** Process CPU time in ms: steadier than wall time on a shared machine. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Best of several rounds, in MB of `bytes` per CPU second. */
function mbps(label: string, bytes: number, fn: () => void, roundMs = 300, rounds = 5): void {
  for (let i = 0; i < 5; i++) fn(); // warm up (JIT)
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const t0 = cpuMs();
    let t = t0;
    while (t - t0 < roundMs) {
      fn();
      n++;
      t = cpuMs();
    }
    best = Math.max(best, (bytes * n) / ((t - t0) / 1000) / 1e6);
  }
  console.log(`${label.padEnd(50)} ${best.toFixed(0).padStart(6)} MB/s`);
}

/** A realistic column: Int64 timestamps in milliseconds with small jitter (8 bytes each). */
function timestampColumn(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const dv = new DataView(out.buffer);
  let ts = 1_700_000_000_000;
  const jitter = xorshiftBytes(n / 8, 1);
  for (let i = 0; i + 8 <= n; i += 8) {
    ts += 1 + (jitter[i >> 3] & 15);
    dv.setBigInt64(i, BigInt(ts), true);
  }
  return out;
}

async function main(): Promise<void> {
  await initZstd();
  const size = 1 << 20;
  const inputs: [string, Uint8Array][] = [
    ['text', textBytes(size, 1)],
    ['int64 timestamps', timestampColumn(size)],
    ['random', xorshiftBytes(size, 2)],
  ];
  const out16 = new Uint8Array(16);
  const hashInput = inputs[2][1];
  mbps('CityHash128 1 MiB', size, () => cityHash128Into(hashInput, 0, size, out16));
  mbps('CityHash128 64 KiB blocks', size, () => {
    for (let p = 0; p < size; p += 65536) cityHash128Into(hashInput, p, 65536, out16);
  });

  for (const [name, data] of inputs) {
    const dst = new Uint8Array(lz4CompressBound(size));
    const n = lz4CompressInto(data, 0, size, dst, 0);
    const back = new Uint8Array(size);
    console.log(`-- ${name}: lz4 ratio ${(size / n).toFixed(2)}, zstd-1 ratio ${(size / zstdCompress(data, 1).length).toFixed(2)}`);
    mbps(`LZ4 compress (${name})`, size, () => lz4CompressInto(data, 0, size, dst, 0));
    mbps(`LZ4 decompress (${name}, output MB/s)`, size, () => lz4DecompressInto(dst, 0, n, back, 0, size));
    const z1 = zstdCompress(data, 1);
    mbps(`ZSTD-1 compress (${name})`, size, () => zstdCompress(data, 1));
    mbps(`ZSTD-3 compress (${name})`, size, () => zstdCompress(data, 3));
    mbps(`ZSTD decompress (${name}, output MB/s)`, size, () => zstdDecompress(z1, size));
    const frame = encodeCompressedBlock(data, 'lz4');
    mbps(`CH block encode lz4 (${name})`, size, () => encodeCompressedBlock(data, 'lz4'));
    mbps(`CH block decode lz4 (${name}, incl. checksum)`, size, () => decodeCompressedBlockAt(frame, 0));
    const lz4f = lz4FrameEncode(data);
    mbps(`LZ4 frame decode (${name})`, size, () => lz4FrameDecode(lz4f));
  }
}

void main();
