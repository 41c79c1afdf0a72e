import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, until, type EngineHarness } from '../helpers/engine-harness.js';
import { StreamStorage } from '../../src/storage/engines/stream-storage.js';

/**
 * Backfill hands over from history (parts + log snapshot) to the live log at one sequence number. While a
 * writer inserts and the committer moves rows into parts and merges them, streaming counts that start in the
 * past must never exceed what has been written and must end at exactly the acknowledged total.
 */
let h: EngineHarness;

beforeAll(async () => {
  h = await startEngine('backfill');
});

afterAll(() => h.close());

/** A streaming `count()` query; `counts` receives each emitted value. */
async function countStream(sql: string): Promise<{ counts: number[]; stop: () => void; error: () => unknown }> {
  const counts: number[] = [];
  const q = await h.start(sql, (b) => {
    for (const row of b.toRows()) counts.push(Number(row[0]));
  });
  return { counts, stop: q.stop, error: q.error };
}

describe('backfill from history into the live stream', () => {
  it('counts every acknowledged row exactly once while the writer and the committer run', async () => {
    await h.exec('CREATE STREAM bf (id uint64, v string)');
    const storage = h.engine.catalog.table('default', 'bf')!.storage as StreamStorage;
    let started = 0; // rows of inserts that have been sent (an upper bound of what any reader may see)
    let acked = 0;
    let stop = false;
    let id = 0;
    const writing = (async () => {
      while (!stop) {
        const rows = 1 + (id % 37);
        const values = Array.from({ length: rows }, (_, i) => `(${id + i}, 'x${id + i}')`).join(', ');
        id += rows;
        started += rows;
        await h.exec(`INSERT INTO bf (id, v) VALUES ${values}`);
        acked += rows;
      }
    })();
    // The committer moves the log into parts (and merges them) while readers hand over.
    const committing = (async () => {
      while (!stop) {
        await storage.commitNow();
        await storage.mergeNow();
        await new Promise((r) => setTimeout(r, 3));
      }
    })();
    const readers: Awaited<ReturnType<typeof countStream>>[] = [];
    for (let i = 0; i < 6; i++) {
      await until(() => acked > (i + 1) * 3000, 'the writer');
      readers.push(await countStream("SELECT count() FROM bf EMIT PERIODIC 50ms SETTINGS seek_to = 'earliest'"));
      readers.push(await countStream("SELECT count() FROM bf WHERE _tp_time >= '2000-01-01 00:00:00' EMIT PERIODIC 50ms"));
    }
    await until(() => readers.every((r) => r.counts.length > 0), 'first emissions');
    stop = true;
    await writing;
    await committing;
    const total = acked;
    expect(total).toBe(started);
    try {
      await until(() => readers.every((r) => r.error() !== undefined || r.counts[r.counts.length - 1] === total), `every reader to reach ${total}`);
      for (const r of readers) {
        expect(r.error()).toBeUndefined();
        // Never more than was written, never decreasing, and exactly the acknowledged total at the end.
        expect(Math.max(...r.counts)).toBe(total);
        for (let i = 1; i < r.counts.length; i++) expect(r.counts[i]!).toBeGreaterThanOrEqual(r.counts[i - 1]!);
      }
    } finally {
      for (const r of readers) r.stop();
    }
    // History alone agrees.
    const res = await h.session().execute({ sql: 'SELECT count(), uniqExact(id) FROM table(bf)' });
    const rows: unknown[][] = [];
    for await (const b of res.blocks) rows.push(...b.toRows());
    expect(rows.map((r) => r.map(Number))).toEqual([[total, total]]);
  }, 60_000);

  it('hands a large log record over in slices, each with the position of its last row', async () => {
    await h.exec('CREATE STREAM big (id uint64)');
    const storage = h.engine.catalog.table('default', 'big')!.storage as StreamStorage;
    const ac = new AbortController();
    const seen: { rows: number; sn: number }[] = [];
    let last = -1;
    let started = false;
    const reading = (async () => {
      try {
        for await (const b of storage.tail({ columns: ['id'], start: { kind: 'latest' }, signal: ac.signal, onPosition: (p) => ((last = p.sn), (started = true)) })) {
          seen.push({ rows: b.rows, sn: last });
          if (seen.reduce((n, x) => n + x.rows, 0) >= 200_000) break;
        }
      } catch (e) {
        if (!ac.signal.aborted) throw e;
      }
    })();
    await until(() => started, 'the tail to start');
    const first = storage.log.lastSn + 1;
    await h.exec(`INSERT INTO big FORMAT TSV\n${Array.from({ length: 200_000 }, (_, i) => i).join('\n')}\n`);
    await reading;
    ac.abort();
    // One INSERT of 200,000 rows is one log record: 65,536-row slices, each with the sequence number of its last row.
    expect(seen.map((x) => x.rows)).toEqual([65536, 65536, 65536, 3392]);
    expect(seen.map((x) => x.sn - first + 1)).toEqual([65536, 131072, 196608, 200000]);
  });
});
