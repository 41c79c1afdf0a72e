import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Block } from '../../src/core/block.js';
import { NumericColumn } from '../../src/columns/column.js';
import { columnFromValues } from '../../src/columns/builder.js';
import { StreamStorage, MemoryStorage, newReadStats, type StreamStorageOptions } from '../../src/storage/index.js';
import { parseDataType } from '../../src/types/type-factory.js';
import { allRows, header, makeBlock, rng, tempDir, waitFor } from './helpers.js';

let cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

const h = header({ _tp_time: 'DateTime64(3)', id: 'UInt32', s: 'String' });
const rowsOf = (from: number, n: number, time = (i: number) => 1_700_000_000_000 + i) =>
  makeBlock(h, {
    _tp_time: Array.from({ length: n }, (_, i) => time(from + i)),
    id: Array.from({ length: n }, (_, i) => from + i),
    s: Array.from({ length: n }, (_, i) => `s${(from + i) % 13}`),
  });

async function openStream(extra: Partial<StreamStorageOptions> = {}, dirPath?: string): Promise<StreamStorage> {
  let d = dirPath;
  if (!d) {
    const t = tempDir();
    cleanups.push(t.cleanup);
    d = path.join(t.dir, 'stream');
  }
  const s = await StreamStorage.open({ dir: d, header: h, commit: { enabled: false }, merge: { enabled: false }, ...extra });
  cleanups.push(() => s.close().catch(() => undefined));
  return s;
}

async function ids(s: { read: StreamStorage['read'] }, opts: { final?: boolean } = {}): Promise<number[]> {
  return (await allRows(s.read({ columns: ['id'], ...opts }))).map((r) => r[0] as number);
}

const sorted = (xs: number[]) => xs.slice().sort((a, b) => a - b);
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('StreamStorage', () => {
  it('acknowledges inserts with sequence numbers and reads parts plus the log tail', async () => {
    const s = await openStream();
    const r = await s.insert(rowsOf(0, 100));
    expect(r).toEqual({ firstSn: 0n, lastSn: 99n, rows: 100 });
    expect(await ids(s)).toEqual(range(0, 100));
    expect(s.stats().logRows).toBe(100);
    await s.commitNow();
    expect(s.stats()).toMatchObject({ rows: 100, parts: 1, logRows: 0 });
    await s.insert(rowsOf(100, 50));
    expect(sorted(await ids(s))).toEqual(range(0, 150));
    expect(s.parts()[0]).toMatchObject({ name: 'all_0_99_0', rows: 100, minSn: 0n, maxSn: 99n, level: 0 });
    const rows = await allRows(s.read({ columns: ['s', 'id'], blockRows: 7 }));
    expect(rows.length).toBe(150);
    expect(rows.find((x) => x[1] === 120)).toEqual(['s3', 120]);
  });

  it('persists across reopen: parts, uncommitted log rows, sequence numbers', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const d = path.join(t.dir, 's');
    const s1 = await StreamStorage.open({ dir: d, header: h, commit: { enabled: false }, merge: { enabled: false } });
    await s1.insert(rowsOf(0, 10));
    await s1.commitNow();
    await s1.insert(rowsOf(10, 10));
    // Simulate a crash: no close(), so the second insert is only in the log.
    await s1.log.close();
    const s2 = await openStream({}, d);
    expect(sorted(await ids(s2))).toEqual(range(0, 20));
    expect(s2.stats().logRows).toBe(10);
    expect((await s2.insert(rowsOf(20, 1))).firstSn).toBe(20n);
    await s2.close();
    const s3 = await openStream({}, d);
    expect(s3.stats()).toMatchObject({ rows: 21, logRows: 0 });
    expect(sorted(await ids(s3))).toEqual(range(0, 21));
  });

  it('never duplicates or drops rows while the committer and merges run concurrently', async () => {
    const s = await openStream({
      commit: { intervalMs: 2, rows: 50, maxBatchRows: 120 },
      merge: { intervalMs: 3, minParts: 3 },
    });
    const r = rng(42);
    let next = 0;
    let acked = 0;
    const writers = Array.from({ length: 3 }, async () => {
      for (let k = 0; k < 60; k++) {
        const n = 1 + Math.floor(r() * 30);
        const from = next;
        next += n;
        // Appends are issued synchronously in `from` order, so sequence numbers equal ids.
        const res = await s.insert(rowsOf(from, n));
        expect(Number(res.firstSn)).toBe(from);
        acked = Math.max(acked, from + n);
      }
    });
    let reads = 0;
    const reader = (async () => {
      while (reads < 1000) {
        const before = acked;
        const got = sorted(await ids(s));
        // A prefix of the id space: no gap, no duplicate, nothing acknowledged before the read is missing.
        expect(got).toEqual(range(0, got.length));
        expect(got.length).toBeGreaterThanOrEqual(before);
        reads++;
        if (acked === next && reads > 20 && s.stats().logRows === 0) break;
        await new Promise((res) => setImmediate(res));
      }
    })();
    await Promise.all(writers);
    await reader;
    await waitFor(() => s.stats().logRows === 0, 10_000, 'the committer to catch up');
    expect(sorted(await ids(s))).toEqual(range(0, next));
    expect(s.parts().length).toBeGreaterThan(0);
    expect(s.backgroundError).toBeUndefined();
  });

  it('merges small parts in the background and on OPTIMIZE, deleting sources after readers finish', async () => {
    const s = await openStream({ merge: { enabled: false, minParts: 3 } });
    for (let i = 0; i < 8; i++) {
      await s.insert(rowsOf(i * 10, 10));
      await s.commitNow();
    }
    expect(s.parts().length).toBe(8);
    // A reader in the middle of a scan keeps its parts.
    const it = s.read({ columns: ['id'], blockRows: 5 })[Symbol.asyncIterator]();
    const first = await it.next();
    expect(first.done).toBe(false);
    expect(await s.mergeNow()).toBeGreaterThan(0);
    expect(s.parts().length).toBeLessThan(8);
    const rest: number[] = [];
    for (let x = await it.next(); !x.done; x = await it.next()) rest.push(...x.value.toRows().map((r) => r[0] as number));
    expect(rest.length + first.value!.rows).toBe(80);
    await s.optimize(true);
    expect(s.parts()).toMatchObject([{ name: expect.stringMatching(/^all_0_79_\d+$/), rows: 80 }]);
    expect(sorted(await ids(s))).toEqual(range(0, 80));
    const dirs = fs.readdirSync(path.join(path.dirname(s.log['opts'].dir), 'parts'));
    await waitFor(() => fs.readdirSync(path.join(path.dirname(s.log['opts'].dir), 'parts')).length === 1, 5000, 'source parts removal');
    expect(dirs.length).toBeGreaterThanOrEqual(1);
  });

  it('prunes parts and log records by the time range', async () => {
    const s = await openStream({ parts: { granuleRows: 256, blockRows: 1024 } });
    await s.insert(rowsOf(0, 10_000));
    await s.commitNow();
    await s.insert(rowsOf(10_000, 100));
    const stats = newReadStats();
    const lo = 1_700_000_000_000 + 5000;
    const rows = await allRows(s.read({ columns: ['id'], ranges: [{ column: '_tp_time', min: lo, max: lo + 100 }], stats } as never));
    const got = rows.map((r) => r[0] as number);
    expect(got).toEqual(expect.arrayContaining(range(5000, 5101)));
    expect(got.length).toBeLessThan(1000);
    expect(stats.granulesSkipped).toBeGreaterThan(30);
  });

  it('ReplacingMergeTree: FINAL dedups across parts and log; OPTIMIZE FINAL dedups on disk', async () => {
    const hr = header({ k: 'String', ver: 'UInt64', v: 'Int32' });
    const t = tempDir();
    cleanups.push(t.cleanup);
    const s = await StreamStorage.open({
      dir: path.join(t.dir, 'r'),
      header: hr,
      sortKey: ['k'],
      replacing: { versionColumn: 'ver' },
      commit: { enabled: false },
      merge: { enabled: false },
    });
    cleanups.push(() => s.close());
    await s.insert(makeBlock(hr, { k: ['a', 'b', 'c'], ver: [1n, 1n, 1n], v: [1, 1, 1] }));
    await s.commitNow();
    await s.insert(makeBlock(hr, { k: ['a', 'b'], ver: [3n, 0n], v: [2, 2] }));
    await s.commitNow();
    await s.insert(makeBlock(hr, { k: ['c', 'a', 'c'], ver: [1n, 2n, 1n], v: [3, 3, 4] })); // log tail; c ties → last
    const final = await allRows(s.read({ columns: ['k', 'v'], final: true }));
    expect(final.sort()).toEqual([['a', 2], ['b', 1], ['c', 4]]);
    expect((await allRows(s.read({ columns: ['k'] }))).length).toBe(8);
    await s.optimize(true);
    expect((await allRows(s.read({ columns: ['k', 'v'] }))).sort()).toEqual([['a', 2], ['b', 1], ['c', 4]]);
    expect(s.parts().length).toBe(1);
  });

  it('TTL drops fully expired parts and rewrites partly expired ones', async () => {
    const cutoff = { t: 1_700_000_000_000 + 150 };
    const s = await openStream({
      ttl: {
        columns: ['_tp_time'],
        expired: (b) => {
          const d = (b.columns[0] as NumericColumn).data as Float64Array;
          return Uint8Array.from(d, (x) => (x < cutoff.t ? 1 : 0));
        },
      },
    });
    await s.insert(rowsOf(0, 100));
    await s.commitNow();
    await s.insert(rowsOf(100, 100));
    await s.commitNow();
    expect(await s.applyTtlNow()).toBe(150);
    expect(sorted(await ids(s))).toEqual(range(150, 200));
    expect(s.parts().map((p) => p.rows)).toEqual([50]);
    // Expired rows also disappear in merges.
    cutoff.t += 20;
    await s.insert(rowsOf(200, 10));
    await s.optimize(true);
    expect(sorted(await ids(s))).toEqual(range(170, 210));
  });

  it('deleteWhere removes matching rows from parts and the log tail, durably', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const d = path.join(t.dir, 's');
    const s = await openStream({}, d);
    await s.insert(rowsOf(0, 100));
    await s.commitNow();
    await s.insert(rowsOf(100, 100));
    const even = (b: Block) => {
      const col = b.column('id') as NumericColumn;
      return Uint8Array.from(col.data as Uint32Array, (x) => (x % 2 === 0 ? 1 : 0));
    };
    expect(await s.deleteWhere(even)).toBe(100);
    const odd = range(0, 200).filter((x) => x % 2 === 1);
    expect(sorted(await ids(s))).toEqual(odd);
    expect(await s.deleteWhere((b) => new Uint8Array(b.rows).fill(((b.column('id') as NumericColumn).data[0] as number) < 100 ? 1 : 0))).toBe(50);
    await s.close();
    const again = await openStream({}, d);
    expect(sorted(await ids(again))).toEqual(odd.filter((x) => x >= 100));
    expect(fs.readdirSync(path.join(d, 'parts')).filter((n) => !n.startsWith('detached'))).toHaveLength(1);
  });

  it('alterColumns rewrites parts with the new header and keeps reading', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const d = path.join(t.dir, 's');
    const s = await openStream({}, d);
    await s.insert(rowsOf(0, 20));
    const h2 = [...h, { name: 'extra', type: parseDataType('UInt64') }];
    await s.alterColumns(h2, (b) => new Block(h2, [...b.columns, columnFromValues(h2[3]!.type, Array.from({ length: b.rows }, () => 7n))], b.rows));
    expect(s.header).toBe(h2);
    const rows = await allRows(s.read({ columns: ['id', 'extra'] }));
    expect(rows.length).toBe(20);
    expect(rows.every((r) => r[1] === 7n)).toBe(true);
    await s.insert(new Block(h2, [...rowsOf(20, 5).columns, columnFromValues(h2[3]!.type, [1n, 2n, 3n, 4n, 5n])], 5));
    await s.close();
    const again = await StreamStorage.open({ dir: d, header: h2, commit: { enabled: false }, merge: { enabled: false } });
    cleanups.push(() => again.close());
    expect((await allRows(again.read({ columns: ['extra'] }))).map((r) => r[0])).toEqual([...Array(20).fill(7n), 1n, 2n, 3n, 4n, 5n]);
  });

  it('truncate removes parts and log; sequence numbers continue; survives reopen', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const d = path.join(t.dir, 's');
    const s = await openStream({}, d);
    await s.insert(rowsOf(0, 30));
    await s.commitNow();
    await s.insert(rowsOf(30, 30));
    await s.truncate();
    expect(await ids(s)).toEqual([]);
    expect(s.stats()).toMatchObject({ rows: 0, parts: 0 });
    const r = await s.insert(rowsOf(60, 5));
    expect(r.firstSn).toBe(60n);
    await s.close();
    const again = await openStream({}, d);
    expect(await ids(again)).toEqual(range(60, 65));
  });

  it('cleans up crash leftovers at open: tmp dirs, uncommitted parts, covered parts', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const d = path.join(t.dir, 's');
    const s = await openStream({}, d);
    for (let i = 0; i < 3; i++) {
      await s.insert(rowsOf(i * 10, 10));
      await s.commitNow();
    }
    await s.close();
    const parts = path.join(d, 'parts');
    const names = fs.readdirSync(parts).sort();
    // A merge whose sources were not yet removed; a commit whose checkpoint never landed; a tmp dir.
    const copyAs = (name: string, fields: Record<string, number>) => {
      fs.cpSync(path.join(parts, names[0]!), path.join(parts, name), { recursive: true });
      const metaFile = path.join(parts, name, 'meta.json');
      fs.writeFileSync(metaFile, JSON.stringify({ ...JSON.parse(fs.readFileSync(metaFile, 'utf8')), name, ...fields }));
    };
    copyAs('all_0_9_0_5', { mutation: 5 });
    copyAs('all_30_39_0', { minSn: 30, maxSn: 39 });
    fs.cpSync(path.join(parts, names[1]!), path.join(parts, 'all_11_12_0'), { recursive: true }); // meta names another part
    fs.mkdirSync(path.join(parts, 'tmp_all_40_49_0'));
    fs.writeFileSync(path.join(parts, 'tmp_all_40_49_0', 'id.bin'), 'junk');
    const warnings: string[] = [];
    const again = await openStream({ logger: { warn: (m) => warnings.push(m) } }, d);
    expect(sorted(await ids(again))).toEqual(range(0, 30));
    expect(fs.readdirSync(parts).sort()).toEqual(['all_0_9_0_5', 'all_10_19_0', 'all_20_29_0', 'detached']);
    expect(warnings.join()).toMatch(/all_11_12_0 is broken/);
  });

  it('streams the log: waitForSn wakes on insert', async () => {
    const s = await openStream();
    const seen: number[] = [];
    const tail = (async () => {
      let sn = 0;
      while (sn < 30) {
        await s.log.waitForSn(sn);
        for await (const rec of s.log.readFrom(sn)) {
          seen.push(...rec.block.toRows().map((r) => r[1] as number));
          sn = rec.lastSn + 1;
        }
      }
    })();
    for (let i = 0; i < 3; i++) await s.insert(rowsOf(i * 10, 10));
    await tail;
    expect(seen).toEqual(range(0, 30));
  });
});

describe('MemoryStorage', () => {
  it('inserts, reads, dedups FINAL, deletes, truncates', async () => {
    const hr = header({ k: 'UInt32', v: 'String' });
    const m = new MemoryStorage({ header: hr, sortKey: ['k'], replacing: {} });
    expect((await m.insert(makeBlock(hr, { k: [1, 2], v: ['a', 'b'] }))).lastSn).toBe(1n);
    expect((await m.insert(makeBlock(hr, { k: [1], v: ['c'] }))).firstSn).toBe(2n);
    expect((await allRows(m.read({ columns: ['v'] }))).flat()).toEqual(['a', 'b', 'c']);
    expect(await allRows(m.read({ columns: ['k', 'v'], final: true }))).toEqual([[1, 'c'], [2, 'b']]);
    expect(await m.deleteWhere((b) => Uint8Array.from((b.columns[0] as NumericColumn).data as Uint32Array, (x) => (x === 2 ? 1 : 0)))).toBe(1);
    expect(m.stats().rows).toBe(2);
    await m.optimize();
    expect(await allRows(m.read({ columns: ['v'] }))).toEqual([['c']]);
    await m.truncate();
    expect(await allRows(m.read({ columns: ['v'] }))).toEqual([]);
  });
});
