import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../src/server/engine.js';
import type { Session } from '../../src/server/session-api.js';
import { StreamStorage } from '../../src/storage/engines/stream-storage.js';

/**
 * Backfill hands over from history (parts + log snapshot) to the live log at one sequence number. While a
 * writer inserts and the committer moves rows into parts and merges them, streaming counts that start in the
 * past must never exceed what has been written and must end at exactly the acknowledged total.
 */
let dir: string;
let engine: Engine;
let writer: Session;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hadron-backfill-'));
  engine = new Engine({ dataDir: dir, timezone: 'UTC' });
  await engine.start();
  writer = engine.openSession({ user: 'default', password: '' }, { interface: 'http' });
});

afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function exec(session: Session, sql: string): Promise<void> {
  const r = await session.execute({ sql });
  for await (const _ of r.blocks) {
    /* drain */
  }
}

/** A streaming `count()` query; `counts` receives each emitted value. */
async function countStream(sql: string): Promise<{ counts: number[]; stop: () => void; error: () => unknown }> {
  const session = engine.openSession({ user: 'default', password: '' }, { interface: 'http' });
  const ac = new AbortController();
  const r = await session.execute({ sql, signal: ac.signal });
  const counts: number[] = [];
  let error: unknown;
  void (async () => {
    try {
      for await (const b of r.blocks) for (const row of b.toRows()) counts.push(Number(row[0]));
    } catch (e) {
      if (!ac.signal.aborted) error = e;
    }
  })();
  return { counts, stop: () => ac.abort(), error: () => error };
}

async function until(pred: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('backfill from history into the live stream', () => {
  it('counts every acknowledged row exactly once while the writer and the committer run', async () => {
    await exec(writer, 'CREATE STREAM bf (id uint64, v string)');
    const storage = engine.catalog.table('default', 'bf')!.storage as StreamStorage;
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
        await exec(writer, `INSERT INTO bf (id, v) VALUES ${values}`);
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
      await until(() => acked > (i + 1) * 3000, "the writer");
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
    const s = engine.openSession({ user: 'default', password: '' }, { interface: 'http' });
    const res = await s.execute({ sql: 'SELECT count(), uniqExact(id) FROM table(bf)' });
    const rows: unknown[][] = [];
    for await (const b of res.blocks) rows.push(...b.toRows());
    expect(rows.map((r) => r.map(Number))).toEqual([[total, total]]);
  }, 60_000);
});
