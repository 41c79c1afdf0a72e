import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/child-server.js';

/** Rows of a TSV answer as arrays of strings. */
function tsv(body: string): string[][] {
  return body.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

async function rows(s: TestServer, sql: string): Promise<string[][]> {
  return tsv(await s.query(`${sql} FORMAT TSV`));
}

/** Waits until `sql` answers exactly `want` (sorted rows). */
async function until(s: TestServer, sql: string, want: string[][], what: string): Promise<void> {
  let last: string[][] = [];
  try {
    await waitFor(async () => JSON.stringify((last = (await rows(s, sql)).sort())) === JSON.stringify([...want].sort()), 20_000, what);
  } catch (e) {
    throw new Error(`${(e as Error).message}; last answer ${JSON.stringify(last)}, want ${JSON.stringify(want)}`);
  }
}

async function errorOf(s: TestServer, sql: string): Promise<{ code: string | null; body: string }> {
  const r = await s.raw(sql);
  return { code: r.headers.get('x-clickhouse-exception-code'), body: r.body };
}

describe('materialized views', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('aggregates a stream into its own storage: SELECT FROM table(mv) is the history, system tables show it', async () => {
    const s = await startTestServer();
    try {
      await s.query('CREATE STREAM ev (k String, v Int64)');
      await s.query('CREATE MATERIALIZED VIEW mv AS SELECT k, count() AS c, sum(v) AS total FROM ev GROUP BY k');
      await s.query("INSERT INTO ev (k, v) VALUES ('a', 1), ('b', 2), ('a', 3)");
      const latest = 'SELECT k, arg_max(c, _tp_time), arg_max(total, _tp_time) FROM table(mv) GROUP BY k';
      await until(s, latest, [['a', '2', '4'], ['b', '1', '2']], 'the first emission');
      await s.query("INSERT INTO ev (k, v) VALUES ('b', 10)");
      await until(s, latest, [['a', '2', '4'], ['b', '2', '12']], 'the second emission');
      // Every emission is a true count of a prefix of the stream: none exceeds the final one.
      expect(await rows(s, 'SELECT k, max(c) FROM table(mv) GROUP BY k ORDER BY k')).toEqual([['a', '2'], ['b', '2']]);
      expect(await rows(s, "SELECT engine FROM system.tables WHERE database = 'default' AND name = 'mv'")).toEqual([['MaterializedView']]);
      const create = await s.query('SHOW CREATE mv FORMAT TSVRaw');
      expect(create).toContain('CREATE MATERIALIZED VIEW default.mv\n');
      expect(create).toContain(') AS\nSELECT k, count() AS c, sum(v) AS total FROM ev GROUP BY k');
      // Reading the view directly is a streaming query over what it emitted.
      expect(await rows(s, "SELECT k, c FROM mv WHERE k = 'a' LIMIT 1 SETTINGS seek_to = 'earliest'")).toEqual([['a', '2']]);
      expect(await rows(s, "SELECT name, status, target, last_error FROM system.materialized_views")).toEqual([['mv', 'running', 'default.mv', '']]);
      await waitFor(async () => Number((await rows(s, "SELECT checkpoint_sn FROM system.materialized_views WHERE name = 'mv'"))[0]![0]) >= 3, 10_000, 'a checkpoint covering every event');
      // The MV's columns (plus the hidden _tp_time) describe its storage.
      expect(tsv(await s.query("SELECT name, type FROM system.columns WHERE table = 'mv' ORDER BY position FORMAT TSVRaw"))).toEqual([
        ['k', 'String'],
        ['c', 'UInt64'],
        ['total', 'Int64'],
        ['_tp_time', "DateTime64(3, 'UTC')"],
      ]);
    } finally {
      await s.stop();
    }
  });

  it('writes INTO a target stream, matching columns by name and filling defaults', async () => {
    const s = await startTestServer();
    try {
      await s.query('CREATE STREAM src (id UInt32, v Float64)');
      await s.query("CREATE STREAM big (v2 Float64, id UInt32, note String DEFAULT 'x')");
      await s.query('CREATE MATERIALIZED VIEW flt INTO big AS SELECT id, v * 2 AS v2 FROM src WHERE v > 1');
      await s.query('INSERT INTO src (id, v) VALUES (1, 0.5), (2, 1.5), (3, 2.5)');
      await until(s, 'SELECT id, v2, note FROM table(big)', [['2', '3', 'x'], ['3', '5', 'x']], 'filtered rows in the target');
      // Reading the view reads its target.
      await until(s, 'SELECT id FROM table(flt)', [['2'], ['3']], 'the view to read as its target');
      // Events the filter drops still move the checkpoint (up to the record before the last one read).
      for (let i = 0; i < 3; i++) await s.query('INSERT INTO src (id, v) VALUES (9, 0)');
      await waitFor(async () => Number((await rows(s, "SELECT checkpoint_sn FROM system.materialized_views WHERE name = 'flt'"))[0]![0]) >= 4, 10_000, 'the checkpoint to pass dropped events');
      expect(await rows(s, 'SELECT count() FROM table(big)')).toEqual([['2']]);
      expect((await errorOf(s, 'CREATE MATERIALIZED VIEW bad INTO big AS SELECT id, v AS nope FROM src')).code).toBe('16');
      expect((await errorOf(s, 'CREATE MATERIALIZED VIEW bad2 INTO missing AS SELECT id FROM src')).code).toBe('60');
    } finally {
      await s.stop();
    }
  });

  it("refuses historical queries and honours SETTINGS seek_to = 'earliest'", async () => {
    const s = await startTestServer();
    try {
      await s.query('CREATE STREAM h (k UInt8)');
      await s.query('INSERT INTO h (k) VALUES (1), (1), (2)');
      const hist = await errorOf(s, 'CREATE MATERIALIZED VIEW m0 AS SELECT k, count() FROM table(h) GROUP BY k');
      expect(hist.code).toBe('80');
      expect(hist.body).toContain("doesn't support historical select query");
      expect(await rows(s, "SELECT count() FROM system.tables WHERE name = 'm0'")).toEqual([['0']]);
      await s.query("CREATE MATERIALIZED VIEW m1 AS SELECT k, count() AS c FROM h GROUP BY k SETTINGS seek_to = 'earliest'");
      await s.query('CREATE MATERIALIZED VIEW m2 AS SELECT k, count() AS c FROM h GROUP BY k');
      await s.query('INSERT INTO h (k) VALUES (2)');
      await until(s, 'SELECT k, arg_max(c, _tp_time) FROM table(m1) GROUP BY k', [['1', '2'], ['2', '2']], 'history plus the new event');
      await until(s, 'SELECT k, arg_max(c, _tp_time) FROM table(m2) GROUP BY k', [['2', '1']], 'only the new event (seek_to latest)');
    } finally {
      await s.stop();
    }
  });

  it('resumes after a restart from its checkpoint: no event lost or counted twice', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hadron-mv-'));
    dirs.push(dataDir);
    let s = await startTestServer({ dataDir });
    const latest = 'SELECT k, arg_max(c, _tp_time) FROM table(mv) GROUP BY k';
    try {
      await s.query('CREATE STREAM ev (k UInt32)');
      await s.query('CREATE MATERIALIZED VIEW mv AS SELECT k, count() AS c FROM ev GROUP BY k');
      await s.query('INSERT INTO ev (k) SELECT number % 3 FROM numbers(30)');
      await until(s, latest, [['0', '10'], ['1', '10'], ['2', '10']], 'the first counts');
      // A windowed aggregation (state: open windows and the watermark) and a plain filter into a target.
      await s.query('CREATE STREAM te (t DateTime, k String)');
      await s.query('CREATE MATERIALIZED VIEW win AS SELECT window_start AS w, k, count() AS c FROM tumble(te, t, 10s) GROUP BY window_start, k');
      // Session windows (state: the open session with its groups): one session at a time over every k.
      await s.query('CREATE MATERIALIZED VIEW ses AS SELECT window_start AS ws, window_end AS we, k, count() AS c FROM session(te, t, 5s) GROUP BY window_start, window_end, k');
      await s.query('CREATE STREAM copied (k String)');
      await s.query("CREATE MATERIALIZED VIEW cp INTO copied AS SELECT k FROM te WHERE k != 'skip'");
      // Stateful functions (state: the rows lag looks back on, the counter).
      await s.query('CREATE MATERIALIZED VIEW lg AS SELECT k, lag(k) AS prev, monotonic(1) AS n FROM te');
      await s.query("INSERT INTO te (t, k) VALUES ('2024-01-01 00:00:01', 'x'), ('2024-01-01 00:00:02', 'x'), ('2024-01-01 00:00:03', 'skip')");
      await until(s, 'SELECT count() FROM table(copied)', [['2']], 'copied rows');
      await until(s, 'SELECT count() FROM table(lg)', [['3']], 'lagged rows');
    } finally {
      await s.stop();
    }
    s = await startTestServer({ dataDir });
    try {
      await until(s, "SELECT status FROM system.materialized_views WHERE name = 'mv'", [['running']], 'the view to resume');
      await s.query('INSERT INTO ev (k) SELECT number % 3 FROM numbers(6)');
      await until(s, latest, [['0', '12'], ['1', '12'], ['2', '12']], 'counts continuing from the checkpoint');
      expect(await rows(s, 'SELECT max(c) FROM table(mv)')).toEqual([['12']]);
      // The first window is still open: one more event for it, then one that closes it.
      await s.query("INSERT INTO te (t, k) VALUES ('2024-01-01 00:00:04', 'x'), ('2024-01-01 00:00:15', 'y')");
      await until(s, "SELECT toString(w), k, c FROM table(win)", [['2024-01-01 00:00:00', 'skip', '1'], ['2024-01-01 00:00:00', 'x', '3']], 'the first window');
      // 00:15 is more than 5 s after 00:04: the session open across the restart closes at 00:09.
      const firstSession = [['2024-01-01 00:00:01', '2024-01-01 00:00:09', 'skip', '1'], ['2024-01-01 00:00:01', '2024-01-01 00:00:09', 'x', '3']];
      await until(s, 'SELECT toString(ws), toString(we), k, c FROM table(ses)', firstSession, 'the first session');
    } finally {
      await s.stop();
    }
    s = await startTestServer({ dataDir });
    try {
      await until(s, "SELECT status FROM system.materialized_views ORDER BY name", [['running'], ['running'], ['running'], ['running'], ['running']], 'the views to resume');
      await s.query("INSERT INTO te (t, k) VALUES ('2024-01-01 00:00:16', 'y'), ('2024-01-01 00:00:31', 'z')");
      await until(
        s,
        "SELECT toString(w), k, c FROM table(win)",
        [['2024-01-01 00:00:00', 'skip', '1'], ['2024-01-01 00:00:00', 'x', '3'], ['2024-01-01 00:00:10', 'y', '2']],
        'each window emitted once, with every event',
      );
      await until(
        s,
        'SELECT toString(ws), toString(we), k, c FROM table(ses)',
        [['2024-01-01 00:00:01', '2024-01-01 00:00:09', 'skip', '1'], ['2024-01-01 00:00:01', '2024-01-01 00:00:09', 'x', '3'], ['2024-01-01 00:00:15', '2024-01-01 00:00:21', 'y', '2']],
        'each session emitted once, with every event',
      );
      // A clean shutdown checkpoints where the view got to: nothing copied twice.
      await until(s, "SELECT k, count() FROM table(copied) GROUP BY k", [['x', '3'], ['y', '2'], ['z', '1']], 'copied rows after restarts');
      // lag and monotonic go on across both restarts, as if the view had never stopped.
      const lagged = [['x', '', '1'], ['x', 'x', '2'], ['skip', 'x', '3'], ['x', 'skip', '4'], ['y', 'x', '5'], ['y', 'y', '6'], ['z', 'y', '7']];
      await until(s, 'SELECT k, prev, n FROM table(lg)', lagged, 'lagged rows after restarts');
    } finally {
      await s.stop();
    }
  });

  it('restores every kind of group key and aggregate state from a checkpoint', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hadron-mv-types-'));
    dirs.push(dataDir);
    const query =
      'SELECT k1, k2, count() AS n, uniq(v) AS u, avg(v) AS a, sum(v) AS s, min(name) AS lo, max(name) AS hi, arraySort(groupArray(v)) AS arr, any(d) AS d1 FROM src GROUP BY k1, k2';
    const insert = (from: number) =>
      `INSERT INTO src (k1, k2, v, name, d) SELECT ['x', 'y', 'z'][number % 3 + 1], if(number % 4 = 0, NULL, toInt32(number % 2)), number, concat('n', toString(number)), toDate('2024-01-01') FROM numbers(${from}, 40)`;
    const latest = 'SELECT k1, k2, arg_max(n, _tp_time), arg_max(u, _tp_time), arg_max(a, _tp_time), arg_max(s, _tp_time), arg_max(lo, _tp_time), arg_max(hi, _tp_time), arg_max(arr, _tp_time), arg_max(d1, _tp_time) FROM table(agg) GROUP BY k1, k2';
    let s = await startTestServer({ dataDir });
    try {
      await s.query('CREATE STREAM src (k1 LowCardinality(String), k2 Nullable(Int32), v UInt64, name String, d Date)');
      await s.query(`CREATE MATERIALIZED VIEW agg AS ${query}`);
      await s.query(insert(0));
      await until(s, latest, await rows(s, query.replace('FROM src', 'FROM table(src)')), 'the first result');
    } finally {
      await s.stop();
    }
    s = await startTestServer({ dataDir });
    try {
      await s.query(insert(40));
      const want = await rows(s, query.replace('FROM src', 'FROM table(src)'));
      expect(want.length).toBe(9);
      await until(s, latest, want, 'results merged across the restart');
    } finally {
      await s.stop();
    }
  });

  it('DROP VIEW stops the view and deletes its storage and checkpoint; streams it depends on cannot be dropped', async () => {
    const s = await startTestServer();
    try {
      await s.query('CREATE STREAM base (x UInt8)');
      await s.query('CREATE MATERIALIZED VIEW dep AS SELECT x, count() AS n FROM base GROUP BY x');
      const uuid = (await rows(s, "SELECT uuid FROM system.tables WHERE name = 'dep'"))[0]![0]!;
      const blocked = await errorOf(s, 'DROP STREAM base');
      expect(blocked.code).toBe('630');
      expect(blocked.body).toContain('default.dep');
      // A view over a view reads what the first one emits.
      await s.query('CREATE MATERIALIZED VIEW chained AS SELECT x, n * 10 AS n10 FROM dep');
      await s.query('INSERT INTO base (x) VALUES (1)');
      await until(s, 'SELECT x, n FROM table(dep)', [['1', '1']], 'an emission');
      await until(s, 'SELECT x, n10 FROM table(chained)', [['1', '10']], 'the chained view');
      expect((await errorOf(s, 'DROP VIEW dep')).code).toBe('630');
      await s.query('DROP VIEW chained');
      await waitFor(() => existsSync(path.join(s.dataDir, 'checkpoints', uuid, 'checkpoint.bin')), 10_000, 'a checkpoint file');
      await s.query('DROP VIEW dep');
      expect(await rows(s, "SELECT count() FROM system.materialized_views WHERE name = 'dep'")).toEqual([['0']]);
      expect(existsSync(path.join(s.dataDir, 'checkpoints', uuid))).toBe(false);
      expect(existsSync(path.join(s.dataDir, 'store', uuid))).toBe(false);
      expect((await errorOf(s, 'SELECT * FROM table(dep)')).code).toBe('60');
      await s.query('DROP STREAM base');
      // With the check disabled, a source can go while a view still reads it.
      await s.query('CREATE STREAM base2 (x UInt8)');
      await s.query('CREATE MATERIALIZED VIEW dep2 AS SELECT x FROM base2');
      await s.query('DROP STREAM base2 SETTINGS enable_dependency_check = false');
      await s.query('DROP VIEW dep2');
    } finally {
      await s.stop();
    }
  });

  it('records a failing query in system.materialized_views and keeps retrying with backoff', async () => {
    const s = await startTestServer();
    try {
      await s.query('CREATE STREAM nums (v Int64)');
      await s.query("CREATE MATERIALIZED VIEW boom AS SELECT v, throwIf(v = 13, 'unlucky number') AS ok FROM nums");
      await s.query('INSERT INTO nums (v) VALUES (13)');
      await waitFor(async () => Number((await rows(s, "SELECT errors FROM system.materialized_views WHERE name = 'boom'"))[0]![0]) >= 2, 20_000, 'two failed attempts');
      const [status, err, starts] = (await rows(s, "SELECT status, last_error, starts FROM system.materialized_views WHERE name = 'boom'"))[0]!;
      expect(['error', 'running']).toContain(status);
      expect(err).toContain('unlucky number');
      expect(Number(starts)).toBeGreaterThanOrEqual(2);
      // The server and other queries are unaffected; the view can be dropped.
      expect(await s.query('SELECT 1')).toBe('1\n');
      await s.query('DROP VIEW boom');
    } finally {
      await s.stop();
    }
  });
});
