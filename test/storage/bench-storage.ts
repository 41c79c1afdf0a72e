/**
 * Storage benchmark (a script, not a test): ingest N rows (DateTime, String from 1000 values, UInt32, Float64,
 * UInt8) in 100K-row blocks through StreamStorage.insert with fsync, then full scans.
 *
 *   node_modules/.bin/tsc --outDir /tmp/hb --rootDir . --module nodenext --moduleResolution nodenext \
 *     --target es2022 --skipLibCheck --types node test/storage/bench-storage.ts
 *   echo '{"type":"module"}' > /tmp/hb/package.json
 *   node /tmp/hb/test/storage/bench-storage.js [rows=10000000] [concurrency=1] [dir]
 */
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Block } from '../../src/core/block.js';
import { NumericColumn, StringColumn } from '../../src/columns/column.js';
import { StreamStorage } from '../../src/storage/engines/stream-storage.js';
import { parseDataType } from '../../src/types/type-factory.js';

const total = Number(process.argv[2] ?? 10_000_000);
const concurrency = Number(process.argv[3] ?? 1);
const base = process.argv[4] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'hadron-bench-'));
const BLOCK = 100_000;

const header = [
  { name: 'ts', type: parseDataType('DateTime') },
  { name: 'name', type: parseDataType('String') },
  { name: 'u32', type: parseDataType('UInt32') },
  { name: 'f64', type: parseDataType('Float64') },
  { name: 'u8', type: parseDataType('UInt8') },
];

function stringColumn(n: number, seed: number): StringColumn {
  const values = Array.from({ length: 1000 }, (_, i) => new TextEncoder().encode(`service-${i}-${'abcdefgh'.slice(0, i % 8)}`));
  let bytes = 0;
  const pick = new Uint16Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pick[i] = (x >>> 0) % 1000;
    bytes += values[pick[i]!]!.length;
  }
  const chars = new Uint8Array(bytes);
  const offsets = new Uint32Array(n + 1);
  let at = 0;
  for (let i = 0; i < n; i++) {
    chars.set(values[pick[i]!]!, at);
    at += values[pick[i]!]!.length;
    offsets[i + 1] = at;
  }
  return new StringColumn(chars, offsets);
}

// A few distinct blocks reused (generation is not what we measure); the time column is fresh per block.
const shared = Array.from({ length: 4 }, (_, k) => ({
  name: stringColumn(BLOCK, k + 1),
  u32: new NumericColumn(Uint32Array.from({ length: BLOCK }, (_, i) => (i * 2654435761) >>> 0)),
  f64: new NumericColumn(Float64Array.from({ length: BLOCK }, (_, i) => Math.sin(i + k) * 1000)),
  u8: new NumericColumn(Uint8Array.from({ length: BLOCK }, (_, i) => (i * 31 + k) & 0xff)),
}));

const t0 = 1_700_000_000;
function blockAt(b: number): Block {
  const s = shared[b % shared.length]!;
  const ts = new Uint32Array(BLOCK);
  const start = b * BLOCK;
  for (let i = 0; i < BLOCK; i++) ts[i] = t0 + Math.floor((start + i) / 1000);
  return new Block(header, [new NumericColumn(ts), s.name, s.u32, s.f64, s.u8], BLOCK);
}

function du(p: string): number {
  return Number(execSync(`du -sb ${JSON.stringify(p)}`).toString().split('\t')[0]);
}

async function main(): Promise<void> {
  const dir = path.join(base, 'stream');
  const s = await StreamStorage.open({
    dir,
    header,
    sortKey: ['ts'],
    timeColumn: 'ts',
    partitionOf: (b) => {
      // toYYYYMMDD-like: one partition per simulated day.
      const ts = (b.columns[0] as NumericColumn<Uint32Array>).data;
      const ids = new Uint32Array(b.rows);
      const values: string[] = [];
      const seen = new Map<number, number>();
      for (let i = 0; i < b.rows; i++) {
        const day = Math.floor(ts[i]! / 86400);
        let id = seen.get(day);
        if (id === undefined) {
          id = values.length;
          seen.set(day, id);
          values.push(new Date(day * 86400_000).toISOString().slice(0, 10).replace(/-/g, ''));
        }
        ids[i] = id;
      }
      return { ids, values };
    },
  });
  const blocks = Math.ceil(total / BLOCK);
  let next = 0;
  const start = performance.now();
  const writer = async (): Promise<void> => {
    while (next < blocks) await s.insert(blockAt(next++));
  };
  await Promise.all(Array.from({ length: concurrency }, writer));
  const ingestMs = performance.now() - start;
  const logRowsAtEnd = s.stats().logRows;
  await s.commitNow();
  const committedMs = performance.now() - start;
  await s.optimize(false);
  const partsBytes = s.parts().reduce((sum, p) => sum + p.bytesOnDisk, 0);
  const logBytes = du(path.join(dir, 'log'));
  const rawBytes = blocks * BLOCK * (4 + 4 + 8 + 1) + shared[0]!.name.offsets[BLOCK]! * blocks;
  console.log(`ingest: ${total.toLocaleString()} rows in ${(ingestMs / 1000).toFixed(2)} s = ${((total / ingestMs) * 1000 / 1e6).toFixed(2)} M rows/s acknowledged (fsync, ${concurrency} writer(s)); ${logRowsAtEnd.toLocaleString()} rows still in the log`);
  console.log(`  all committed to parts after ${(committedMs / 1000).toFixed(2)} s = ${((total / committedMs) * 1000 / 1e6).toFixed(2)} M rows/s`);
  console.log(`disk: parts ${(partsBytes / 1e6).toFixed(1)} MB (${s.parts().length} parts, ${(partsBytes / total).toFixed(2)} bytes/row), log ${(logBytes / 1e6).toFixed(1)} MB, raw column data ${(rawBytes / 1e6).toFixed(1)} MB`);

  for (const cols of [['u32'], ['ts', 'u32', 'f64', 'u8'], ['ts', 'name', 'u32', 'f64', 'u8']]) {
    for (let rep = 0; rep < 2; rep++) {
      const t = performance.now();
      let rows = 0;
      let sum = 0;
      for await (const b of s.read({ columns: cols })) {
        rows += b.rows;
        const c = b.columns[0]!;
        if (c.kind === 'numeric') sum += (c.data as Uint32Array)[0]!;
      }
      const ms = performance.now() - t;
      if (rep === 1) console.log(`scan [${cols.join(', ')}]: ${rows.toLocaleString()} rows in ${ms.toFixed(0)} ms = ${((rows / ms) * 1000 / 1e6).toFixed(1)} M rows/s (${sum > 0 ? 'ok' : ''})`);
    }
  }
  const lo = t0 + Math.floor(total / 2000);
  const t = performance.now();
  let rows = 0;
  for await (const b of s.read({ columns: ['u32'], ranges: [{ column: 'ts', min: lo, max: lo + 60 }] })) rows += b.rows;
  console.log(`range scan (1 minute of ts): ${rows.toLocaleString()} rows in ${(performance.now() - t).toFixed(1)} ms`);
  await s.close();
  if (!process.argv[4]) fs.rmSync(base, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
