import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, streamRows, type EngineHarness, type StreamedRows } from '../helpers/engine-harness.js';
import { formatValueText } from '../../src/types/text-conversion.js';

/**
 * Changelog and key-value streams: `_tp_delta`, history merged per primary key, retracting aggregation,
 * EMIT CHANGELOG and the changelog() table function. Expectations follow Proton's smoke cases
 * (0013_changelog_stream, 0015_single_stream_changelog_aggr, 0029_emit_changelog).
 */
let h: EngineHarness;

beforeAll(async () => {
  h = await startEngine('changelog');
});

afterAll(() => h.close());

const exec = (sql: string): Promise<void> => h.exec(sql);

async function rowsOf(sql: string): Promise<string[][]> {
  const r = await h.session().execute({ sql });
  const out: string[][] = [];
  for await (const b of r.blocks) for (let i = 0; i < b.rows; i++) out.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
  return out;
}

const stream = (sql: string): Promise<StreamedRows> => streamRows(h, sql);

describe('changelog streams', () => {
  it('a changelog stream carries _tp_delta', async () => {
    await exec("CREATE STREAM cl (i int) SETTINGS mode='changelog'");
    const q = await stream('SELECT i, _tp_delta FROM cl');
    try {
      await new Promise((r) => setTimeout(r, 100));
      await exec('INSERT INTO cl (i) VALUES (1)');
      await exec('INSERT INTO cl (i, _tp_delta) VALUES (1, -1)');
      await q.waitFor(2);
      expect(q.rows).toEqual([['1', '1'], ['1', '-1']]);
    } finally {
      q.stop();
    }
  });

  it('changelog_kv: history is each key’s latest live row; a streaming read backfills it, then streams', async () => {
    await exec("CREATE STREAM ckv (i int, s string) PRIMARY KEY i SETTINGS mode='changelog_kv'");
    await exec("INSERT INTO ckv (i, s) VALUES (1, 'a')");
    await exec("INSERT INTO ckv (i, s) VALUES (2, 'b')");
    await exec("INSERT INTO ckv (i, s, _tp_delta) VALUES (1, 'a', -1), (2, 'b', -1), (3, 'b', 1), (4, 'c', 1)");
    expect(await rowsOf('SELECT i, s FROM table(ckv) ORDER BY i')).toEqual([['3', 'b'], ['4', 'c']]);
    const q = await stream('SELECT i, s, _tp_delta FROM ckv');
    try {
      await q.waitFor(2);
      await exec("INSERT INTO ckv (i, s) VALUES (5, 'd')");
      await exec("INSERT INTO ckv (i, s, _tp_delta) VALUES (4, 'c', -1)");
      await q.waitFor(4);
      expect(q.rows).toEqual([['3', 'b', '1'], ['4', 'c', '1'], ['5', 'd', '1'], ['4', 'c', '-1']]);
    } finally {
      q.stop();
    }
  });

  it('changelog_kv: a key’s rows collapse as Proton’s VersionedCollapsing merge does (a −1 cancels the newest +1)', async () => {
    await exec("CREATE STREAM ckv2 (ii int, jj int, kk string) PRIMARY KEY jj SETTINGS mode='changelog_kv'");
    // Two +1 rows of key 2 without a −1 between them (not a proper changelog), then one −1: the first row stays.
    await exec("INSERT INTO ckv2 (ii, jj, kk) VALUES (1, 2, 'a')");
    await exec("INSERT INTO ckv2 (ii, jj, kk) VALUES (1, 3, 'b')");
    await exec("INSERT INTO ckv2 (ii, jj, kk) VALUES (4, 2, 'a')");
    await exec("INSERT INTO ckv2 (ii, jj, kk, _tp_delta) VALUES (1, 2, 'a', -1)");
    // A −1 of a key that has no row retracts nothing.
    await exec("INSERT INTO ckv2 (ii, jj, kk, _tp_delta) VALUES (9, 9, 'z', -1)");
    expect(await rowsOf('SELECT ii, jj, kk FROM table(ckv2) ORDER BY jj')).toEqual([
      ['1', '2', 'a'],
      ['1', '3', 'b'],
    ]);
    await exec("INSERT INTO ckv2 (ii, jj, kk, _tp_delta) VALUES (1, 2, 'a', -1)");
    expect(await rowsOf('SELECT ii, jj, kk FROM table(ckv2) ORDER BY jj')).toEqual([['1', '3', 'b']]);
  });

  it('key-value parts keep one state per key: commits and merges compact, reads stay the same', async () => {
    const partRows = async (t: string): Promise<number> =>
      Number((await rowsOf(`SELECT sum(rows) FROM system.parts WHERE table = '${t}' AND active`))[0]![0]);
    await exec("CREATE STREAM vkc (k int, v int, ver int) PRIMARY KEY k SETTINGS mode='versioned_kv', version_column='ver'");
    // One partition (a fixed _tp_time). The first insert updates each key three times (one committed part), the next two are parts of their own.
    await exec(`INSERT INTO vkc (k, v, ver, _tp_time) SELECT number % 1000, number, intDiv(number, 1000), toDateTime64('2024-01-01 00:00:00', 3, 'UTC') FROM numbers(3000)`);
    await exec(`INSERT INTO vkc (k, v, ver, _tp_time) SELECT number, number + 5000, 5, toDateTime64('2024-01-01 00:00:00', 3, 'UTC') FROM numbers(500)`);
    await exec(`INSERT INTO vkc (k, v, ver, _tp_time) SELECT number, 0, 1, toDateTime64('2024-01-01 00:00:00', 3, 'UTC') FROM numbers(200)`); // older versions: lose
    await exec("INSERT INTO vkc (k, v, ver, _tp_delta, _tp_time) VALUES (7, 0, 9, -1, '2024-01-01 00:00:00')");
    const want = [['999', '3994493', '1']];
    const summary = 'SELECT count(), sum(v), countIf(k = 7 OR k = 8) FROM table(vkc)';
    const before = await rowsOf(summary);
    await exec('OPTIMIZE TABLE vkc FINAL');
    // 1000 keys, the deleted key's −1 kept (other partitions could still hold an older row of it).
    expect(await partRows('vkc')).toBe(1000);
    expect(await rowsOf(summary)).toEqual(before);
    expect(before).toEqual(want);

    await exec("CREATE STREAM ckc (k int, v int) PRIMARY KEY k SETTINGS mode='changelog_kv'");
    await exec(`INSERT INTO ckc (k, v, _tp_time) SELECT number, number, toDateTime64('2024-01-01 00:00:00', 3, 'UTC') FROM numbers(1000)`);
    await exec(`INSERT INTO ckc (k, v, _tp_delta, _tp_time) SELECT number, number, -1, toDateTime64('2024-01-01 00:00:00', 3, 'UTC') FROM numbers(400)`);
    await exec(`INSERT INTO ckc (k, v, _tp_time) SELECT number, number + 1, toDateTime64('2024-01-01 00:00:00', 3, 'UTC') FROM numbers(100)`);
    await exec("INSERT INTO ckc (k, v, _tp_time) VALUES (999, 1, '2024-01-01 00:00:00')"); // a second +1 of key 999, no −1 between
    const cl = 'SELECT count(), sum(v) FROM table(ckc)';
    const clBefore = await rowsOf(cl);
    await exec('OPTIMIZE TABLE ckc FINAL');
    expect(await partRows('ckc')).toBe(701);
    expect(await rowsOf(cl)).toEqual(clBefore);
    expect(clBefore).toEqual([['701', String((400 + 999) * 300 + 5050 + 1)]]);

    // Rows that cancel out within one commit leave no part.
    await exec("CREATE STREAM ckz (k int, v int) PRIMARY KEY k SETTINGS mode='changelog_kv'");
    await exec("INSERT INTO ckz (k, v, _tp_delta) VALUES (1, 1, 1), (1, 1, -1)");
    await exec('OPTIMIZE TABLE ckz FINAL');
    expect(await partRows('ckz')).toBe(0);
    expect(await rowsOf('SELECT count() FROM table(ckz)')).toEqual([['0']]);
  });

  it('versioned_kv: history returns the latest version per key (largest version column wins)', async () => {
    await exec("CREATE STREAM vkv (k string, v int, ver int) PRIMARY KEY k SETTINGS mode='versioned_kv', version_column='ver'");
    await exec("INSERT INTO vkv (k, v, ver) VALUES ('a', 1, 1), ('b', 2, 1)");
    await exec("INSERT INTO vkv (k, v, ver) VALUES ('a', 10, 3), ('b', 20, 0)");
    await exec("INSERT INTO vkv (k, v, ver) VALUES ('a', 11, 3)");
    expect(await rowsOf('SELECT k, v FROM table(vkv) ORDER BY k')).toEqual([['a', '11'], ['b', '2']]);
    expect(await rowsOf('SELECT count() FROM table(vkv)')).toEqual([['2']]);
  });

  it('changelog() with wrong arguments is an error, and the session goes on', async () => {
    await exec('CREATE STREAM badargs (i int)');
    await exec("CREATE STREAM badargs_kv (i int, k string) PRIMARY KEY k SETTINGS mode='versioned_kv'");
    await expect(rowsOf('SELECT * FROM changelog(badargs)')).rejects.toMatchObject({ errorName: 'NUMBER_OF_ARGUMENTS_DOESNT_MATCH' });
    await expect(rowsOf('SELECT * FROM changelog(badargs_kv, i)')).rejects.toMatchObject({ errorName: 'NUMBER_OF_ARGUMENTS_DOESNT_MATCH' });
    await expect(rowsOf("SELECT * FROM changelog(badargs, 'i')")).rejects.toMatchObject({ errorName: 'BAD_ARGUMENTS' });
    expect(await rowsOf('SELECT count() FROM table(badargs)')).toEqual([['0']]);
  });

  it('a keyed mode needs a primary key', async () => {
    await expect(exec("CREATE STREAM nokey (i int) SETTINGS mode='versioned_kv'")).rejects.toThrow(/PRIMARY KEY/);
    await expect(exec("CREATE STREAM badmode (i int) SETTINGS mode='nope'")).rejects.toThrow(/Invalid stream mode/);
  });
});

describe('aggregation over changelogs retracts', () => {
  it('count/min/max/sum/avg over changelog_kv equal a recomputation after each change', async () => {
    await exec("CREATE STREAM agg_kv (id int, val float64) PRIMARY KEY id SETTINGS mode='changelog_kv'");
    await exec('INSERT INTO agg_kv (id, val) VALUES (1, 1.1), (2, 2.2), (3, 3.3)');
    const q = await stream('SELECT count(val), min(val), max(val), sum(val), avg(val) FROM agg_kv EMIT PERIODIC 100ms');
    const steps = [
      'INSERT INTO agg_kv (id, val) VALUES (4, 4.4), (5, 5.5)',
      'INSERT INTO agg_kv (id, val, _tp_delta) VALUES (3, 3.3, -1)',
      'INSERT INTO agg_kv (id, val, _tp_delta) VALUES (1, 1.1, -1)',
      'INSERT INTO agg_kv (id, val, _tp_delta) VALUES (5, 5.5, -1)',
    ];
    try {
      await q.waitFor(1);
      for (let i = 0; i < steps.length; i++) {
        await exec(steps[i]!);
        await q.waitFor(i + 2);
      }
      const round = (r: string[]): string[] => r.map((x) => String(Math.round(Number(x) * 1000) / 1000));
      expect(q.rows.map(round)).toEqual([
        ['3', '1.1', '3.3', '6.6', '2.2'],
        ['5', '1.1', '5.5', '16.5', '3.3'],
        ['4', '1.1', '5.5', '13.2', '3.3'],
        ['3', '2.2', '5.5', '12.1', '4.033'],
        ['2', '2.2', '4.4', '6.6', '3.3'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('versioned_kv GROUP BY with EMIT CHANGELOG emits −1 / +1 pairs', async () => {
    await exec("CREATE STREAM evk (i int, k string) PRIMARY KEY i SETTINGS mode='versioned_kv'");
    const q = await stream('SELECT k, count(), _tp_delta FROM evk GROUP BY k EMIT CHANGELOG PERIODIC 100ms');
    try {
      await new Promise((r) => setTimeout(r, 200));
      await exec("INSERT INTO evk (i, k) VALUES (1, 'k1'), (2, 'k1')");
      await q.waitFor(1);
      await exec("INSERT INTO evk (i, k) VALUES (1, 'k2')");
      await q.waitFor(4);
      expect(q.rows).toEqual([['k1', '2', '1'], ['k1', '2', '-1'], ['k1', '1', '1'], ['k2', '1', '1']]);
    } finally {
      q.stop();
    }
  });

  it('changelog(append_stream, key) keys an append stream', async () => {
    await exec('CREATE STREAM app (i int, k string)');
    const q = await stream('SELECT k, count(), _tp_delta FROM changelog(app, i) GROUP BY k EMIT CHANGELOG PERIODIC 100ms');
    try {
      await new Promise((r) => setTimeout(r, 200));
      await exec("INSERT INTO app (i, k) VALUES (1, 'k1'), (2, 'k1')");
      await q.waitFor(1);
      await exec("INSERT INTO app (i, k) VALUES (1, 'k2')");
      await q.waitFor(4);
      expect(q.rows).toEqual([['k1', '2', '1'], ['k1', '2', '-1'], ['k1', '1', '1'], ['k2', '1', '1']]);
    } finally {
      q.stop();
    }
  });

  it('an aggregation over an EMIT CHANGELOG subquery retracts', async () => {
    await exec('CREATE STREAM nest (i int, k string)');
    const q = await stream('SELECT count() FROM (SELECT k, count() FROM changelog(nest, i) GROUP BY k EMIT CHANGELOG PERIODIC 100ms) EMIT PERIODIC 100ms');
    try {
      await new Promise((r) => setTimeout(r, 200));
      await exec("INSERT INTO nest (i, k) VALUES (1, 'k1'), (2, 'k1')");
      await q.waitFor(1);
      await exec("INSERT INTO nest (i, k) VALUES (1, 'k2')");
      await q.waitFor(2);
      expect(q.rows).toEqual([['1'], ['2']]);
    } finally {
      q.stop();
    }
  });

  it('an aggregation over a global aggregation reads its results keyed by the inner keys', async () => {
    // Proton's 0013_changelog_stream2 case 50: the inner counts per id; the outer sees 2 ids, not one row per emission.
    await exec('CREATE STREAM agg2 (id int, name string, val float64)');
    const q = await stream(
      'WITH sub AS (SELECT id, count() AS cnt, max(val) AS max_val FROM changelog(agg2, id, name) GROUP BY id EMIT PERIODIC 100ms) SELECT count(*), sum(cnt), max(max_val) FROM sub EMIT PERIODIC 100ms',
    );
    try {
      await new Promise((r) => setTimeout(r, 200));
      await exec("INSERT INTO agg2 (id, name, val) VALUES (1, 'a', 11.1), (2, 'a', 33.3)");
      await q.waitFor(1);
      await exec("INSERT INTO agg2 (id, name, val) VALUES (1, 'b', 22.2), (2, 'b', 22.2)");
      await q.waitFor(2);
      await exec("INSERT INTO agg2 (id, name, val) VALUES (1, 'b', 44.4)");
      await q.waitFor(3);
      expect(q.rows).toEqual([['2', '2', '33.3'], ['2', '4', '33.3'], ['2', '4', '44.4']]);
    } finally {
      q.stop();
    }
  });

  it('an aggregation over a global aggregation emits right after each inner emission (one tick through both)', async () => {
    await exec('CREATE STREAM cascade_src (k string, v int)');
    const plan = (await rowsOf('EXPLAIN SELECT count(), sum(c) FROM (SELECT k, count() AS c FROM cascade_src GROUP BY k EMIT PERIODIC 100ms)')).map((r) => r[0]);
    expect(plan[1]).toContain('emit every 2000 ms and after each emission of its input');
    expect(plan[4]).toContain('emit every 100 ms');
    expect(plan[4]).not.toContain('after each emission');
    // An explicit EMIT on the outer query keeps its own schedule.
    const own = (await rowsOf('EXPLAIN SELECT count() FROM (SELECT k, count() AS c FROM cascade_src GROUP BY k) EMIT PERIODIC 1s')).map((r) => r[0]);
    expect(own[1]).toContain('emit every 1000 ms)');
  });

  it("OVER in a streaming query: Proton's forbidden combinations are NOT_IMPLEMENTED (48)", async () => {
    await exec('CREATE STREAM over_src (k string, v int, i int)');
    const code = async (sql: string): Promise<number | undefined> => {
      try {
        const q = await stream(sql);
        q.stop();
        return undefined;
      } catch (e) {
        return (e as { code?: number }).code;
      }
    };
    // PARTITION BY makes lag() an OVER of the partition beside the aggregate OVER one.
    expect(await code('SELECT k, lag(v), max(v) OVER (PARTITION BY k) FROM over_src PARTITION BY k GROUP BY k')).toBe(48);
    expect(await code('SELECT count(), max(v) OVER (PARTITION BY k) FROM over_src')).toBe(48);
    // An aggregate OVER a partition alone is an aggregation per substream.
    expect(await code('SELECT i, max(v) OVER (PARTITION BY k) FROM over_src GROUP BY i')).toBeUndefined();
  });

  it('PARTITION BY a global aggregation emits the substreams that changed', async () => {
    await exec('CREATE STREAM sub1 (val float64, id int, name string)');
    const q = await stream('SELECT max(val), name FROM changelog(sub1, id) PARTITION BY id GROUP BY name EMIT PERIODIC 100ms');
    try {
      await new Promise((r) => setTimeout(r, 200));
      await exec("INSERT INTO sub1 (val, id, name) VALUES (1, 2, 'a')");
      await q.waitFor(1);
      await exec("INSERT INTO sub1 (val, id, name) VALUES (3, 3, 'b')");
      await q.waitFor(2);
      // id 2 moves from a to b: its substream's group a empties (max of nothing: 0) and b gets 8.
      await exec("INSERT INTO sub1 (val, id, name) VALUES (8, 2, 'b')");
      await q.waitFor(4);
      expect(q.rows.slice(0, 2)).toEqual([['1', 'a'], ['3', 'b']]);
      expect(q.rows.slice(2).sort()).toEqual([['0', 'a'], ['8', 'b']]);
    } finally {
      q.stop();
    }
  });

  it('_tp_delta shows in * when a view selects it, and passes hidden through a subquery that does not', async () => {
    await exec('CREATE STREAM vsrc (i int, k string)');
    await exec('CREATE VIEW vcl AS WITH cte AS (SELECT i, k, _tp_delta FROM changelog(vsrc, k)) SELECT * FROM cte');
    const q1 = await stream('SELECT * FROM vcl');
    const q2 = await stream('SELECT * FROM (SELECT i FROM changelog(vsrc, k))');
    const q3 = await stream('SELECT sum(i) FROM (SELECT i FROM changelog(vsrc, k)) EMIT PERIODIC 100ms');
    try {
      await new Promise((r) => setTimeout(r, 200));
      await exec("INSERT INTO vsrc (i, k) VALUES (4, 'a')");
      await q1.waitFor(1);
      await q3.waitFor(1);
      await exec("INSERT INTO vsrc (i, k) VALUES (2, 'a')");
      await q1.waitFor(3);
      await q2.waitFor(3);
      await q3.waitFor(2);
      expect(q1.rows).toEqual([['4', 'a', '1'], ['4', 'a', '-1'], ['2', 'a', '1']]);
      expect(q2.rows).toEqual([['4'], ['4'], ['2']]);
      expect(q3.rows).toEqual([['4'], ['2']]);
    } finally {
      q1.stop();
      q2.stop();
      q3.stop();
    }
  });

  it('a global aggregation over a backfill emits as soon as the history is read', async () => {
    await exec('CREATE STREAM bf (v int)');
    await exec('INSERT INTO bf (v) VALUES (2), (3)');
    // With a period of 10 minutes, only the end of the backfill can bring an emission within the wait.
    const q = await stream("SELECT sum(v) FROM bf EMIT PERIODIC 600s SETTINGS seek_to = 'earliest'");
    try {
      await q.waitFor(1);
      expect(q.rows).toEqual([['5']]);
    } finally {
      q.stop();
    }
  });

  it('PARTITION BY without aggregation keeps lag() per substream', async () => {
    await exec('CREATE STREAM lagsub (i int, k string)');
    const q = await stream('SELECT i, k, lag(i) FROM lagsub PARTITION BY k');
    try {
      await new Promise((r) => setTimeout(r, 200));
      await exec("INSERT INTO lagsub (i, k) VALUES (1, 'a'), (2, 'b'), (3, 'a')");
      await exec("INSERT INTO lagsub (i, k) VALUES (4, 'b')");
      await q.waitFor(4);
      expect(q.rows).toEqual([['1', 'a', '0'], ['2', 'b', '0'], ['3', 'a', '1'], ['4', 'b', '2']]);
    } finally {
      q.stop();
    }
  });

  it('a materialized view propagates EMIT CHANGELOG into a changelog_kv stream', async () => {
    await exec("CREATE STREAM mv_src (i int, k string) PRIMARY KEY i SETTINGS mode='versioned_kv'");
    await exec("CREATE STREAM mv_dst (k string, c uint64) PRIMARY KEY k SETTINGS mode='changelog_kv'");
    await exec('CREATE MATERIALIZED VIEW mv_cl INTO mv_dst AS SELECT k, count() AS c, _tp_delta FROM mv_src GROUP BY k EMIT CHANGELOG PERIODIC 100ms');
    await exec("INSERT INTO mv_src (i, k) VALUES (1, 'a'), (2, 'a'), (3, 'b')");
    const current = async (): Promise<string[][]> => rowsOf('SELECT k, c FROM table(mv_dst) ORDER BY k');
    const waitRows = async (want: string[][]): Promise<void> => {
      let got: string[][] = [];
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline) {
        got = await current();
        if (JSON.stringify(got) === JSON.stringify(want)) return;
        await new Promise((r) => setTimeout(r, 20));
      }
      throw new Error(`mv_dst: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    };
    await waitRows([['a', '2'], ['b', '1']]);
    // Key 2 moves to b: a's count drops, b's rises; the changelog target keeps one row per k.
    await exec("INSERT INTO mv_src (i, k) VALUES (2, 'b')");
    await waitRows([['a', '1'], ['b', '2']]);
  });
});

