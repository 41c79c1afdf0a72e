import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newReadStats, PartReader, readPartMeta, writeSortedParts, mergeParts, type PartLayout } from '../../src/storage/parts/index.js';
import { sortPermutation } from '../../src/storage/parts/row-comparator.js';
import { selectMerge } from '../../src/storage/engines/merge-policy.js';
import { DbError } from '../../src/errors/index.js';
import { allRows, header, makeBlock, rng, tempDir } from './helpers.js';

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function dir(): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const h = header({ t: 'DateTime', k: 'String', v: 'UInt32', f: 'Nullable(Float64)' });

function layout(partsDir: string, extra: Partial<PartLayout> = {}): PartLayout {
  return { partsDir, header: h, sortKey: ['t'], indexColumns: ['t'], granuleRows: 1024, blockRows: 4096, ...extra };
}

function data(n: number, seed = 1) {
  const r = rng(seed);
  const t: number[] = [];
  const k: string[] = [];
  const v: number[] = [];
  const f: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    t.push(1_700_000_000 + Math.floor(r() * 100_000));
    k.push(`key-${Math.floor(r() * 50)}`);
    v.push(i);
    f.push(i % 7 === 0 ? null : r());
  }
  return makeBlock(h, { t, k, v, f });
}

describe('parts', () => {
  it('writes sorted parts and reads them back (requested columns only)', async () => {
    const d = dir();
    const b = data(10_000);
    const [meta] = await writeSortedParts(b, layout(d), { minSn: 0, maxSn: 9999, level: 0, mutation: 0 });
    expect(meta!.name).toBe('all_0_9999_0');
    expect(meta!.rows).toBe(10_000);
    expect(fs.readdirSync(d)).toEqual(['all_0_9999_0']);
    const reread = await readPartMeta(path.join(d, meta!.name));
    expect(reread.columns.map((c) => c.type)).toEqual(['DateTime', 'String', 'UInt32', 'Nullable(Float64)']);
    const reader = new PartReader(path.join(d, meta!.name), reread);
    const rows = await allRows(reader.read([h[2]!, h[0]!]));
    expect(rows.length).toBe(10_000);
    for (let i = 1; i < rows.length; i++) expect(rows[i]![1] as number).toBeGreaterThanOrEqual(rows[i - 1]![1] as number);
    const expected = b.toRows().map((r) => r[2]).sort((x, y) => (x as number) - (y as number));
    expect(rows.map((r) => r[0]).sort((x, y) => (x as number) - (y as number))).toEqual(expected);
    // Full rows survive intact.
    const full = await allRows(reader.read(h));
    const byV = new Map(b.toRows().map((r) => [r[2], r]));
    for (const r of full) expect(r).toEqual(byV.get(r[2]));
  });

  it('prunes granules by the minmax index and counts skipped granules', async () => {
    const d = dir();
    const b = data(20_000, 7);
    const [meta] = await writeSortedParts(b, layout(d), { minSn: 0, maxSn: 19_999, level: 0, mutation: 0 });
    const reader = new PartReader(path.join(d, meta!.name), meta!);
    const sortedT = b.toRows().map((r) => r[0] as number).sort((x, y) => x - y);
    const lo = sortedT[5000]!;
    const hi = sortedT[6000]!;
    const stats = newReadStats();
    const rows = await allRows(reader.read([h[0]!], { ranges: [{ column: 't', min: lo, max: hi }], stats }));
    const matching = sortedT.filter((x) => x >= lo && x <= hi).length;
    expect(rows.filter((r) => (r[0] as number) >= lo && (r[0] as number) <= hi).length).toBe(matching);
    expect(stats.granulesTotal).toBe(20);
    expect(stats.granulesSkipped).toBeGreaterThanOrEqual(17);
    expect(rows.length).toBeLessThanOrEqual(3 * 1024);
    const none = newReadStats();
    expect(await allRows(reader.read([h[0]!], { ranges: [{ column: 't', min: 0, max: 5 }], stats: none }))).toEqual([]);
    expect(none.partsSkipped).toBe(1);
  });

  it('splits by partition and sorts by a multi-column key (strings by bytes)', async () => {
    const d = dir();
    const b = data(3000, 3);
    const metas = await writeSortedParts(
      b,
      layout(d, {
        sortKey: ['k', 'v'],
        indexColumns: ['v'],
        partitionOf: (blk) => {
          const v = blk.column('v')!;
          const ids = new Uint32Array(blk.rows);
          for (let i = 0; i < blk.rows; i++) ids[i] = ((v as { data: Uint32Array }).data[i]! % 3);
          return { ids, values: ['p0', "('x', 1)", 'p2'] };
        },
      }),
      { minSn: 10, maxSn: 20, level: 0, mutation: 0 },
    );
    expect(metas.map((m) => m.partition).sort()).toEqual(["('x', 1)", 'p0', 'p2']);
    expect(metas.find((m) => m.partition === "('x', 1)")!.partitionId).toMatch(/^h[0-9a-f]{16}$/);
    let total = 0;
    for (const m of metas) {
      const rows = await allRows(new PartReader(path.join(d, m.name), m).read(h));
      total += rows.length;
      for (let i = 1; i < rows.length; i++) {
        const a = rows[i - 1]!;
        const c = rows[i]!;
        const cmp = Buffer.compare(Buffer.from(a[1] as string), Buffer.from(c[1] as string));
        expect(cmp < 0 || (cmp === 0 && (a[2] as number) < (c[2] as number))).toBe(true);
      }
    }
    expect(total).toBe(3000);
  });

  it('detects a corrupted column file', async () => {
    const d = dir();
    const [meta] = await writeSortedParts(data(5000), layout(d), { minSn: 0, maxSn: 1, level: 0, mutation: 0 });
    const file = path.join(d, meta!.name, 'k.bin');
    const bytes = fs.readFileSync(file);
    bytes[bytes.length - 10] ^= 0xff;
    fs.writeFileSync(file, bytes);
    const reader = new PartReader(path.join(d, meta!.name), meta!);
    await expect(allRows(reader.read(h))).rejects.toThrow(/checksum/);
    await expect(allRows(reader.read(h))).rejects.toBeInstanceOf(DbError);
    expect((await allRows(reader.read([h[0]!]))).length).toBe(5000);
  });

  it('stores uncompressed blocks behind the codec switch', async () => {
    const d = dir();
    const b = data(3000);
    const [lz] = await writeSortedParts(b, layout(d), { minSn: 0, maxSn: 1, level: 0, mutation: 0 });
    const [raw] = await writeSortedParts(b, layout(d, { codec: 'none' }), { minSn: 2, maxSn: 3, level: 0, mutation: 0 });
    expect(raw!.bytesOnDisk).toBeGreaterThan(lz!.bytesOnDisk);
    const a = await allRows(new PartReader(path.join(d, lz!.name), lz!).read(h));
    const c = await allRows(new PartReader(path.join(d, raw!.name), raw!).read(h));
    expect(c).toEqual(a);
  });

  it('merges parts into one covering their range, with replacing dedup', async () => {
    const d = dir();
    const hh = header({ id: 'UInt32', ver: 'UInt32', s: 'String' });
    const l: PartLayout = { partsDir: d, header: hh, sortKey: ['id'], indexColumns: ['id'] };
    const p1 = await writeSortedParts(makeBlock(hh, { id: [1, 2, 3], ver: [1, 1, 5], s: ['a', 'b', 'c'] }), l, { minSn: 0, maxSn: 2, level: 0, mutation: 0 });
    const p2 = await writeSortedParts(makeBlock(hh, { id: [3, 2, 4], ver: [2, 1, 1], s: ['c2', 'b2', 'd'] }), l, { minSn: 3, maxSn: 5, level: 0, mutation: 0 });
    const readers = [...p1, ...p2].map((m) => new PartReader(path.join(d, m.name), m));
    const plain = await mergeParts(readers, { layout: l });
    expect(plain.part!.name).toBe('all_0_5_1');
    expect(await allRows(new PartReader(path.join(d, plain.part!.name), plain.part!).read(hh))).toEqual([
      [1, 1, 'a'], [2, 1, 'b'], [2, 1, 'b2'], [3, 5, 'c'], [3, 2, 'c2'], [4, 1, 'd'],
    ]);
    fs.rmSync(path.join(d, plain.part!.name), { recursive: true });
    const rep = await mergeParts(readers, { layout: l, replacing: { versionColumn: 'ver' } });
    expect(await allRows(new PartReader(path.join(d, rep.part!.name), rep.part!).read(hh))).toEqual([
      [1, 1, 'a'], [2, 1, 'b2'], [3, 5, 'c'], [4, 1, 'd'],
    ]);
  });

  it('sorts stably and handles NaN, bigints and already-sorted input', () => {
    const hh = header({ f: 'Float64', b: 'Int64' });
    const blk = makeBlock(hh, { f: [3, NaN, 1, 3, -1], b: [5n, -5n, 0n, -1n, 2n] });
    expect(Array.from(sortPermutation([blk.columns[0]!], 5)!)).toEqual([4, 2, 0, 3, 1]);
    expect(Array.from(sortPermutation([blk.columns[1]!], 5)!)).toEqual([1, 3, 2, 4, 0]);
    expect(sortPermutation([makeBlock(hh, { f: [1, 2, 2, 3], b: [0n, 0n, 0n, 0n] }).columns[0]!], 4)).toBeNull();
  });

  it('chooses size-tiered merges', () => {
    const p = (...rows: number[]) => rows.map((r) => ({ rows: r }));
    const o = { minParts: 3, maxParts: 5, maxRows: 1000 };
    expect(selectMerge(p(10, 10), o)).toBeNull();
    expect(selectMerge(p(10, 10, 10), o)).toEqual([0, 3]);
    expect(selectMerge(p(900, 10, 10, 10), o)).toEqual([1, 4]);
    expect(selectMerge(p(600, 600, 600), o)).toBeNull();
    expect(selectMerge(p(500, 1, 1), o)).toBeNull();
  });
});
