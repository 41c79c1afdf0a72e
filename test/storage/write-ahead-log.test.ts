import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WriteAheadLog, crc32c, crc32cUpdate, type WalOptions } from '../../src/storage/log/index.js';
import { segmentFileName } from '../../src/storage/log/segment-file.js';
import { DbError } from '../../src/errors/index.js';
import { header, makeBlock, tempDir } from './helpers.js';

const h = header({ _tp_time: 'DateTime64(3)', v: 'UInt32', s: 'String' });
const blockOf = (from: number, n: number) =>
  makeBlock(h, {
    _tp_time: Array.from({ length: n }, (_, i) => 1000 + from + i),
    v: Array.from({ length: n }, (_, i) => from + i),
    s: Array.from({ length: n }, (_, i) => `row-${from + i}`),
  });

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return path.join(t.dir, 'log');
}
const open = (d: string, o: Partial<WalOptions> = {}) => WriteAheadLog.open({ dir: d, headerOf: () => h, ...o });

async function readAll(wal: WriteAheadLog, from = wal.firstSn): Promise<number[]> {
  const vs: number[] = [];
  for await (const r of wal.readFrom(from)) {
    const rows = r.block.toRows();
    rows.forEach((row, i) => {
      expect(row[1]).toBe(r.firstSn + i); // v == sn in these tests
      vs.push(row[1] as number);
    });
  }
  return vs;
}

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    const big = new Uint8Array(1000).map((_, i) => i * 7);
    const bytewise = (b: Uint8Array) => {
      let c = ~0;
      for (const x of b) {
        c ^= x;
        for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
      }
      return ~c >>> 0;
    };
    for (const off of [0, 1, 3, 5]) {
      // Unaligned views take the byte-wise prologue; every split point continues correctly.
      expect(crc32c(big.subarray(off))).toBe(bytewise(big.slice(off)));
      expect(crc32cUpdate(crc32c(big, off, 500), big, 500)).toBe(bytewise(big.slice(off)));
    }
  });
});

describe('WriteAheadLog', () => {
  it('assigns contiguous sequence numbers and reads them back, after reopen too', async () => {
    const d = dir();
    const wal = await open(d);
    const r1 = await wal.append(blockOf(0, 5));
    const r2 = await wal.append(blockOf(5, 3));
    expect(r1).toEqual({ firstSn: 0, lastSn: 4 });
    expect(r2).toEqual({ firstSn: 5, lastSn: 7 });
    expect(await readAll(wal)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(await readAll(wal, 3)).toEqual([3, 4, 5, 6, 7]);
    const recs = [];
    for await (const r of wal.readFrom(2, { toSn: 6 })) recs.push([r.firstSn, r.lastSn, r.minTime, r.maxTime]);
    expect(recs).toEqual([[2, 4, 1000, 1004], [5, 6, 1005, 1007]]);
    await wal.close();
    const again = await open(d);
    expect(again.lastSn).toBe(7);
    expect(await readAll(again)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await again.append(blockOf(8, 1))).firstSn).toBe(8);
    await again.close();
  });

  it('group-commits concurrent appends into shared writes', async () => {
    const d = dir();
    const wal = await open(d);
    let syncs = 0;
    wal.onAppend(() => syncs++);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => wal.append(blockOf(i, 1))));
    expect(results.map((r) => r.firstSn)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(syncs).toBeLessThan(10);
    // Appends arriving while a write is in flight join the next batch.
    syncs = 0;
    const more: Promise<unknown>[] = [];
    for (let i = 0; i < 50; i++) {
      more.push(wal.append(blockOf(200 + i, 1)));
      await Promise.resolve();
    }
    await Promise.all(more);
    expect(syncs).toBeLessThan(50);
    expect(await readAll(wal)).toEqual(Array.from({ length: 250 }, (_, i) => i));
    await wal.close();
  });

  it('rolls segments by size, indexes them sparsely and reads across them after reopen', async () => {
    const d = dir();
    const wal = await open(d, { segmentBytes: 2048, indexIntervalBytes: 512, cacheBytes: 0 });
    for (let i = 0; i < 400; i += 10) await wal.append(blockOf(i, 10));
    expect(wal.segmentCount).toBeGreaterThan(3);
    expect(await readAll(wal, 123)).toEqual(Array.from({ length: 277 }, (_, i) => 123 + i));
    await wal.close();
    const again = await open(d, { segmentBytes: 2048, indexIntervalBytes: 512, cacheBytes: 0 });
    expect(await readAll(again, 7)).toEqual(Array.from({ length: 393 }, (_, i) => 7 + i));
    await again.close();
  });

  it('truncates a torn or garbage tail at open and keeps appending after it', async () => {
    for (const damage of ['partial', 'garbage', 'zeros', 'bitflip-last'] as const) {
      const d = dir();
      const wal = await open(d);
      await wal.append(blockOf(0, 10));
      await wal.append(blockOf(10, 10));
      await wal.close();
      const file = path.join(d, segmentFileName(0));
      const size = fs.statSync(file).size;
      if (damage === 'partial') fs.truncateSync(file, size - 13);
      if (damage === 'garbage') fs.appendFileSync(file, Buffer.from('HWAL this is not a record at all, just junk bytes'));
      if (damage === 'zeros') fs.appendFileSync(file, Buffer.alloc(4096));
      if (damage === 'bitflip-last') {
        const b = fs.readFileSync(file);
        b[size - 20] ^= 0xff;
        fs.writeFileSync(file, b);
      }
      const warnings: string[] = [];
      const again = await open(d, { logger: { warn: (m) => warnings.push(m) } });
      const expected = damage === 'garbage' || damage === 'zeros' ? 20 : 10;
      expect(again.lastSn, damage).toBe(expected - 1);
      expect(warnings.length, damage).toBe(1);
      expect(await readAll(again)).toEqual(Array.from({ length: expected }, (_, i) => i));
      expect((await again.append(blockOf(expected, 2))).firstSn).toBe(expected);
      await again.close();
      const third = await open(d);
      expect(await readAll(third)).toEqual(Array.from({ length: expected + 2 }, (_, i) => i));
      await third.close();
    }
  });

  it('reports corruption in the middle (an intact later batch) as CORRUPTED_DATA', async () => {
    const d = dir();
    const wal = await open(d);
    await wal.append(blockOf(0, 10));
    await wal.append(blockOf(10, 10));
    await wal.close();
    const file = path.join(d, segmentFileName(0));
    const b = fs.readFileSync(file);
    b[100] ^= 0x55; // inside the first record
    fs.writeFileSync(file, b);
    await expect(open(d)).rejects.toThrow(/corrupted.*not a torn tail/);
    await expect(open(d)).rejects.toBeInstanceOf(DbError);
  });

  it('treats damage inside the last group-commit batch as a torn tail, even with intact records after it', async () => {
    const d = dir();
    const wal = await open(d);
    await wal.append(blockOf(0, 10)); // batch 1
    const batch2 = [wal.append(blockOf(10, 5)), wal.append(blockOf(15, 5)), wal.append(blockOf(20, 5))];
    await Promise.all(batch2); // one batch of three records
    await wal.close();
    const file = path.join(d, segmentFileName(0));
    const b = fs.readFileSync(file);
    // Find the second record of the file (first of batch 2) and damage it; records 3 and 4 stay intact.
    const firstLen = b.readUInt32LE(8);
    expect(b[firstLen + 5]).toBe(1); // batch-start flag
    expect(b[firstLen + b.readUInt32LE(firstLen + 8) + 5]).toBe(0);
    b[firstLen + 70] ^= 0x0f;
    fs.writeFileSync(file, b);
    const warnings: string[] = [];
    const again = await open(d, { logger: { warn: (m) => warnings.push(m) } });
    expect(again.lastSn).toBe(9);
    expect(warnings[0]).toMatch(/torn tail/);
    await again.close();
  });

  it('works without fsync (durability none) and recovers the same way', async () => {
    const d = dir();
    const wal = await open(d, { durability: 'none', segmentBytes: 1024 });
    for (let i = 0; i < 100; i += 10) await wal.append(blockOf(i, 10));
    await wal.close();
    const again = await open(d, { durability: 'none' });
    expect(await readAll(again)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    await again.close();
  });

  it('reports a corrupted sealed segment on read', async () => {
    const d = dir();
    const wal = await open(d, { segmentBytes: 2048, cacheBytes: 0 });
    for (let i = 0; i < 100; i += 10) await wal.append(blockOf(i, 10));
    await wal.close();
    const file = path.join(d, segmentFileName(0));
    const b = fs.readFileSync(file);
    b[b.length - 30] ^= 0x55;
    fs.writeFileSync(file, b);
    const again = await open(d, { cacheBytes: 0 });
    await expect(readAll(again)).rejects.toThrow(/CRC32C mismatch/);
    await again.close();
  });

  it('wakes waiters and subscribers on append, and honours abort', async () => {
    const wal = await open(dir());
    const seen: [number, number][] = [];
    const off = wal.onAppend((a, b) => seen.push([a, b]));
    const waiting = wal.waitForSn(14);
    let done = false;
    void waiting.then(() => (done = true));
    await wal.append(blockOf(0, 10));
    await Promise.resolve();
    expect(done).toBe(false);
    await wal.append(blockOf(10, 10));
    await waiting;
    expect(seen).toEqual([[0, 9], [10, 19]]);
    off();
    const ac = new AbortController();
    const w2 = wal.waitForSn(100, ac.signal);
    ac.abort();
    await expect(w2).rejects.toThrow(/cancelled/);
    await wal.close();
  });

  it('applies retention only to committed, unpinned, sealed segments', async () => {
    const d = dir();
    const wal = await open(d, { segmentBytes: 1024, retentionBytes: 0, retentionMs: -1 });
    for (let i = 0; i < 200; i += 10) await wal.append(blockOf(i, 10));
    const segs = wal.segmentCount;
    expect(segs).toBeGreaterThan(4);
    expect(await wal.applyRetention()).toBe(0); // nothing committed
    wal.setCommittedSn(99);
    const unpin = wal.pin(30);
    const removedPinned = await wal.applyRetention();
    expect(wal.firstSn).toBeLessThanOrEqual(30);
    unpin();
    const removed = await wal.applyRetention();
    expect(removedPinned + removed).toBeGreaterThan(0);
    expect(wal.firstSn).toBeLessThanOrEqual(100);
    expect(wal.firstSn).toBeGreaterThan(30);
    expect(await readAll(wal, 100)).toEqual(Array.from({ length: 100 }, (_, i) => 100 + i));
    await expect(readAll(wal, 0)).rejects.toThrow(/no longer in the log/);
    await wal.close();
    const again = await open(d);
    expect(again.firstSn).toBe(wal.firstSn);
    expect(again.lastSn).toBe(199);
    await again.close();
  });

  it('truncates to a new generation with sequence numbers continuing', async () => {
    const d = dir();
    const wal = await open(d);
    await wal.append(blockOf(0, 10));
    let boundary = -1;
    await wal.truncate(async (b) => {
      boundary = b;
    });
    expect(boundary).toBe(10);
    expect(await readAll(wal)).toEqual([]);
    const r = await wal.append(blockOf(10, 5));
    expect(r.firstSn).toBe(10);
    await wal.close();
    const again = await open(d);
    expect(again.firstSn).toBe(10);
    expect(await readAll(again)).toEqual([10, 11, 12, 13, 14]);
    await again.close();
  });

  it('starts at startSn when the log is empty or behind the checkpoint', async () => {
    const d = dir();
    const wal = await open(d, { startSn: 500 });
    expect((await wal.append(blockOf(500, 2))).firstSn).toBe(500);
    await wal.close();
    const again = await open(d, { startSn: 900 });
    expect((await again.append(blockOf(900, 2))).firstSn).toBe(900);
    expect(await readAll(again, 900)).toEqual([900, 901]);
    await again.close();
  });
});
