import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/server/engine.js';
import { DbError } from '../../src/errors/index.js';
import { formatValueText } from '../../src/types/text-conversion.js';
import { waitFor } from '../helpers/child-server.js';
import { CheckpointStore, encodeCheckpoint } from '../../src/streaming/materialized-view-checkpoint.js';

/**
 * Materialized views over streaming joins: the join's state (both sides' rows, the versioned side's latest
 * versions), every stream's position and a global aggregation above the join are checkpointed with the view;
 * after a restart (or from a crash image) the view continues from there: new events join rows that arrived
 * before the restart, nothing is read twice, and counts continue without double counting.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function newDir(prefix: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `hadron-mv-join-${prefix}-`));
  dirs.push(d);
  return d;
}

async function open(dataDir: string): Promise<Engine> {
  const engine = new Engine({ dataDir, timezone: 'UTC' });
  await engine.start();
  return engine;
}

async function rows(engine: Engine, sql: string): Promise<string[][]> {
  const r = await engine.openSession({ user: 'default', password: '' }, { interface: 'http' }).execute({ sql });
  const out: string[][] = [];
  for await (const b of r.blocks) for (let i = 0; i < b.rows; i++) out.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
  return out;
}

const exec = async (engine: Engine, sql: string): Promise<void> => void (await rows(engine, sql));

const sorted = (r: string[][]): string[][] => [...r].sort((a, b) => a.join('|').localeCompare(b.join('|')));

/** Waits until `sql` answers `want` (as sorted rows). */
async function until(engine: Engine, sql: string, want: string[][], what: string): Promise<void> {
  let last: string[][] = [];
  try {
    await waitFor(async () => JSON.stringify((last = sorted(await rows(engine, sql)))) === JSON.stringify(sorted(want)), 20_000, what);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last answer ${JSON.stringify(last)}, want ${JSON.stringify(want)}`);
  }
}

async function errorOf(engine: Engine, sql: string): Promise<DbError> {
  try {
    await exec(engine, sql);
  } catch (e) {
    if (e instanceof DbError) return e;
    throw e;
  }
  throw new Error(`expected an error from ${sql}`);
}

const viewStatus = async (engine: Engine, name: string): Promise<{ status: string; checkpoints: number; lastError: string }> => {
  const [r] = await rows(engine, `SELECT status, checkpoints, last_error FROM system.materialized_views WHERE name = '${name}'`);
  return { status: r?.[0] ?? '', checkpoints: Number(r?.[1] ?? 0), lastError: r?.[2] ?? '' };
};

/** Seconds after 2024-01-01 00:00:00 as a DateTime literal. */
const at = (s: number): string => `'${new Date(Date.UTC(2024, 0, 1) + s * 1000).toISOString().slice(0, 19).replace('T', ' ')}'`;

/**
 * Events (key, time). The range join keeps time buckets of 10 s and evicts a bucket once both sides have passed
 * it (an approximation, as Proton's): left times stay in [0, 10) and right times in [0, 20), so nothing is
 * evicted or late and the join's count is exactly the historical one, while the range still excludes pairs
 * (|Δ| up to 19 s).
 */
function events(from: number, n: number, keys: number, span: number): string {
  return Array.from({ length: n }, (_, j) => `(${(from + j) % keys}, ${at(((from + j) * 7) % span)})`).join(', ');
}
const left = (from: number, n: number, keys = 4): string => events(from, n, keys, 10);
const right = (from: number, n: number, keys = 4): string => events(from, n, keys, 20);

const RANGE_COUNT = (a: string, b: string): string =>
  `SELECT count() FROM table(${a}) AS a INNER JOIN table(${b}) AS b ON a.i = b.ii WHERE abs(date_diff('second', a.ts, b.tts)) <= 10`;

describe('materialized views over streaming joins', () => {
  it('append ⋈ versioned_kv INTO a stream: the dimension state comes back after a restart, no row written twice', async () => {
    const dir = newDir('enrich');
    let e = await open(dir);
    try {
      await exec(e, 'CREATE STREAM ev (i int, s string)');
      await exec(e, "CREATE STREAM dim (ii int, ss string) PRIMARY KEY ii SETTINGS mode='versioned_kv'");
      await exec(e, 'CREATE STREAM enriched (s string, ss string, note string DEFAULT \'-\')');
      await exec(e, 'CREATE MATERIALIZED VIEW enrich INTO enriched AS SELECT s, ss FROM ev INNER JOIN dim ON i = ii');
      await exec(e, "INSERT INTO dim (ii, ss) VALUES (1, 'v1')");
      await exec(e, "INSERT INTO dim (ii, ss) VALUES (1, 'v2')");
      await exec(e, "INSERT INTO ev (i, s) VALUES (1, 'a')");
      await until(e, 'SELECT s, ss, note FROM table(enriched)', [['a', 'v2', '-']], 'the first enriched row');
      // A version the view sees before the restart but no event uses yet: only the checkpointed state has it.
      await exec(e, "INSERT INTO dim (ii, ss) VALUES (2, 'w1')");
      await exec(e, "INSERT INTO dim (ii, ss) VALUES (3, 'x1')");
      await exec(e, "INSERT INTO ev (i, s) VALUES (3, 'x')");
      await until(e, 'SELECT s, ss FROM table(enriched)', [['a', 'v2'], ['x', 'x1']], 'the row that shows w1 is in the state');
    } finally {
      await e.stop();
    }
    e = await open(dir);
    try {
      await until(e, "SELECT status FROM system.materialized_views WHERE name = 'enrich'", [['running']], 'the view to resume');
      await exec(e, "INSERT INTO ev (i, s) VALUES (2, 'b'), (1, 'c')");
      await exec(e, "INSERT INTO dim (ii, ss) VALUES (1, 'v3')");
      await exec(e, "INSERT INTO ev (i, s) VALUES (1, 'd')");
      // The view starts from 'latest' and does not read history again: 'b' and 'c' are enriched from the
      // restored state, and the rows written before the restart are not written again.
      await until(e, 'SELECT s, ss FROM table(enriched)', [['a', 'v2'], ['x', 'x1'], ['b', 'w1'], ['c', 'v2'], ['d', 'v3']], 'enrichment continuing from the state');
      expect((await viewStatus(e, 'enrich')).lastError).toBe('');
    } finally {
      await e.stop();
    }
    // A third run with nothing new: still nothing written twice.
    e = await open(dir);
    try {
      await exec(e, "INSERT INTO ev (i, s) VALUES (3, 'y')");
      await until(e, 'SELECT s, ss FROM table(enriched)', [['a', 'v2'], ['x', 'x1'], ['b', 'w1'], ['c', 'v2'], ['d', 'v3'], ['y', 'x1']], 'one more row');
    } finally {
      await e.stop();
    }
  });

  it('stream ⋈ stream with date_diff_within and count() above: the count continues across restarts', async () => {
    const dir = newDir('count');
    let e = await open(dir);
    const latest = 'SELECT arg_max(c, _tp_time) FROM table(jc)';
    try {
      await exec(e, 'CREATE STREAM ja (i int, ts datetime)');
      await exec(e, 'CREATE STREAM jb (ii int, tts datetime)');
      await exec(e, 'CREATE MATERIALIZED VIEW jc AS SELECT count() AS c FROM ja INNER JOIN jb ON i = ii AND date_diff_within(10s, ts, tts) EMIT PERIODIC 100ms');
      await exec(e, `INSERT INTO ja (i, ts) VALUES ${left(0, 30, 4)}`);
      await exec(e, `INSERT INTO jb (ii, tts) VALUES ${right(5, 30, 4)}`);
      const truth = await rows(e, RANGE_COUNT('ja', 'jb'));
      expect(Number(truth[0]![0])).toBeGreaterThan(0);
      // The range excludes some pairs of equal keys.
      const pairs = await rows(e, 'SELECT count() FROM table(ja) AS a INNER JOIN table(jb) AS b ON a.i = b.ii');
      expect(Number(pairs[0]![0])).toBeGreaterThan(Number(truth[0]![0]));
      await until(e, latest, truth, 'the first count');
    } finally {
      await e.stop();
    }
    e = await open(dir);
    try {
      // Rows of both sides within 10 s of rows inserted before the restart: they join the restored state.
      await exec(e, `INSERT INTO ja (i, ts) VALUES ${left(30, 20, 4)}`);
      await exec(e, `INSERT INTO jb (ii, tts) VALUES ${right(35, 20, 4)}`);
      const truth = await rows(e, RANGE_COUNT('ja', 'jb'));
      await until(e, latest, truth, 'the count continuing across the restart');
      // Every emission is a count of a prefix: none exceeds the true count (a double count would).
      expect(await rows(e, 'SELECT max(c) FROM table(jc)')).toEqual(truth);
    } finally {
      await e.stop();
    }
    e = await open(dir);
    try {
      await exec(e, `INSERT INTO jb (ii, tts) VALUES ${right(55, 5, 4)}`);
      const truth = await rows(e, RANGE_COUNT('ja', 'jb'));
      await until(e, latest, truth, 'the count after a second restart');
      expect(await rows(e, 'SELECT max(c) FROM table(jc)')).toEqual(truth);
    } finally {
      await e.stop();
    }
  });

  it('recovers from a crash image copied while the view runs', async () => {
    const dir = newDir('crash');
    const e1 = await open(dir);
    let image: string;
    const latest = 'SELECT arg_max(c, _tp_time) FROM table(cc)';
    try {
      await exec(e1, 'CREATE STREAM ca (i int, ts datetime)');
      await exec(e1, 'CREATE STREAM cb (ii int, tts datetime)');
      await exec(e1, 'CREATE MATERIALIZED VIEW cc AS SELECT count() AS c FROM ca INNER JOIN cb ON i = ii AND date_diff_within(10s, ts, tts) EMIT PERIODIC 100ms');
      await exec(e1, `INSERT INTO ca (i, ts) VALUES ${left(0, 20, 3)}`);
      await exec(e1, `INSERT INTO cb (ii, tts) VALUES ${right(3, 20, 3)}`);
      await until(e1, latest, await rows(e1, RANGE_COUNT('ca', 'cb')), 'the first count');
      // A periodic checkpoint of that state, then more events the view handles (and may or may not have
      // checkpointed when the image is taken).
      const before = (await viewStatus(e1, 'cc')).checkpoints;
      await waitFor(async () => (await viewStatus(e1, 'cc')).checkpoints > before, 10_000, 'a periodic checkpoint');
      await exec(e1, `INSERT INTO ca (i, ts) VALUES ${left(20, 10, 3)}`);
      await exec(e1, `INSERT INTO cb (ii, tts) VALUES ${right(23, 10, 3)}`);
      await until(e1, latest, await rows(e1, RANGE_COUNT('ca', 'cb')), 'the second count');
      // Copy the data directory while the view keeps running: what a crash would leave.
      image = newDir('crash-image');
      cpSync(dir, image, { recursive: true });
    } finally {
      await e1.stop();
    }
    const e2 = await open(image);
    try {
      await until(e2, "SELECT status FROM system.materialized_views WHERE name = 'cc'", [['running']], 'the view to resume from the image');
      await exec(e2, `INSERT INTO ca (i, ts) VALUES ${left(30, 10, 3)}`);
      await exec(e2, `INSERT INTO cb (ii, tts) VALUES ${right(33, 10, 3)}`);
      const truth = await rows(e2, RANGE_COUNT('ca', 'cb'));
      await until(e2, latest, truth, 'the count recovered from the image');
      expect(await rows(e2, 'SELECT max(c) FROM table(cc)')).toEqual(truth);
    } finally {
      await e2.stop();
    }
  });

  it('a checkpoint whose streams do not match the query is an error (LOGICAL_ERROR), not a silent restart', async () => {
    const dir = newDir('mismatch');
    let e = await open(dir);
    let uuid: string;
    try {
      await exec(e, 'CREATE STREAM ma (i int)');
      await exec(e, 'CREATE STREAM mb (ii int)');
      await exec(e, 'CREATE MATERIALIZED VIEW mj AS SELECT i FROM ma INNER JOIN mb ON i = ii');
      uuid = (await rows(e, "SELECT uuid FROM system.tables WHERE name = 'mj'"))[0]![0]!;
      await waitFor(async () => (await viewStatus(e, 'mj')).checkpoints > 0, 10_000, 'a checkpoint');
    } finally {
      await e.stop();
    }
    const store = new CheckpointStore(dir, uuid);
    const cp = (await store.load())!;
    expect(cp.sources.map((x) => x.table)).toEqual(['default.ma', 'default.mb']);
    expect(cp.join).toBeDefined();
    await store.save(encodeCheckpoint({ ...cp, sources: [...cp.sources].reverse() }, []));
    e = await open(dir);
    try {
      await waitFor(async () => (await viewStatus(e, 'mj')).status === 'error', 10_000, 'the view to fail');
      expect((await viewStatus(e, 'mj')).lastError).toContain("does not match its query's streams");
      const runner = e.materializedViews.runner(e.catalog.table('default', 'mj')!)!;
      expect(runner.lastErrorCode).toBe(new DbError('LOGICAL_ERROR', '').code);
      // Nothing was read from the wrong positions.
      expect(runner.emittedRows).toBe(0);
    } finally {
      await e.stop();
    }
  });

  it('refuses what a checkpoint cannot capture: several joins, windows or dedup over a join', async () => {
    const e = await open(newDir('refuse'));
    try {
      await exec(e, 'CREATE STREAM ra (i int, ts datetime)');
      await exec(e, 'CREATE STREAM rb (ii int, tts datetime)');
      await exec(e, 'CREATE STREAM rc (iii int)');
      const cases = [
        'SELECT i FROM ra INNER JOIN rb ON i = ii INNER JOIN rc ON i = iii',
        'SELECT window_start, count() FROM tumble(ra, ts, 10s) INNER JOIN rb ON i = ii GROUP BY window_start',
      ];
      for (const [n, q] of cases.entries()) {
        const err = await errorOf(e, `CREATE MATERIALIZED VIEW bad${n} AS ${q}`);
        expect(err.errorName, q).toBe('NOT_IMPLEMENTED');
      }
      expect(await rows(e, "SELECT count() FROM system.tables WHERE name LIKE 'bad%'")).toEqual([['0']]);
      // A view over a join reads both streams: neither can be dropped while it exists.
      await exec(e, 'CREATE MATERIALIZED VIEW ok AS SELECT i, tts FROM ra INNER JOIN rb ON i = ii');
      expect((await errorOf(e, 'DROP STREAM rb')).code).toBe(630);
      await exec(e, 'DROP VIEW ok');
    } finally {
      await e.stop();
    }
  });
});
