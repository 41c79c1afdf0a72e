import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, streamRows, until, type EngineHarness, type StreamedRows } from '../helpers/engine-harness.js';
import { formatValueText } from '../../src/types/text-conversion.js';
import { DbError } from '../../src/errors/index.js';

/**
 * Streaming joins of two streams (Proton's semantics, cases from its stream smoke suite 0009): range joins
 * bounded by date_diff_within / date_diff, global inner joins, LEFT, ASOF and LATEST joins, and the errors Proton
 * gives for what it does not support. Every case ends by inserting a sentinel pair that joins, and waits for
 * it: emissions are in arrival order, so every earlier result is in by then and extra rows would show.
 */
let h: EngineHarness;

beforeAll(async () => {
  h = await startEngine('join');
});

afterAll(() => h.close());

const exec = (sql: string): Promise<void> => h.exec(sql);

const stream = (sql: string): Promise<StreamedRows> => streamRows(h, sql);

async function errorOf(sql: string): Promise<DbError> {
  try {
    const r = await h.session().execute({ sql });
    const it = r.blocks[Symbol.asyncIterator]();
    await it.next();
    await it.return?.();
  } catch (e) {
    if (e instanceof DbError) return e;
    throw e;
  }
  throw new Error(`expected an error from ${sql}`);
}

const sorted = (rows: string[][]): string[][] => [...rows].sort((a, b) => a.join('|').localeCompare(b.join('|')));

async function makeStreams(suffix: string): Promise<[string, string]> {
  const l = `jl_${suffix}`;
  const r = `jr_${suffix}`;
  await exec(`CREATE STREAM ${l} (i int, s string, ts datetime)`);
  await exec(`CREATE STREAM ${r} (ii int, ss string, tts datetime)`);
  return [l, r];
}

const RIGHT_ROWS =
  "(1, 's1', '2022-05-23 15:44:59'),(1, 's2', '2022-05-23 15:45:00'),(1, 's3', '2022-05-23 15:45:09'),(1, 's4', '2022-05-23 15:45:10'),(1, 's5', '2022-05-23 15:45:15'),(1, 's6', '2022-05-23 15:45:19'),(1, 's7', '2022-05-23 15:45:20'),(1, 's8', '2022-05-23 15:45:21')";

/** Runs `query` (selecting s, ss), applies `steps`, then a sentinel (key 99, ts − tts = 1 s) that must join. */
async function rangeCase(suffix: string, on: string, steps: (l: string, r: string) => string[], expected: string[][], kind = 'INNER'): Promise<void> {
  const [l, r] = await makeStreams(suffix);
  const q = await stream(`SELECT s, ss FROM ${l} ${kind} JOIN ${r} ON i = ii AND ${on}`);
  try {
    for (const sql of steps(l, r)) await exec(sql);
    await exec(`INSERT INTO ${l} (i, s, ts) VALUES (99, 'end', '2030-01-01 00:00:01')`);
    await exec(`INSERT INTO ${r} (ii, ss, tts) VALUES (99, 'end', '2030-01-01 00:00:00')`);
    await q.waitFor((rows) => rows.some((x) => x[0] === 'end'));
    expect(sorted(q.rows.filter((x) => x[0] !== 'end'))).toEqual(sorted(expected));
  } finally {
    q.stop();
  }
}

describe('stream ⋈ stream range joins', () => {
  it('date_diff_within(10s, ts, tts): rows within 10 s either way', async () => {
    await rangeCase(
      'ddw',
      'date_diff_within(10s, ts, tts)',
      (l, r) => [`INSERT INTO ${l} (i, s, ts) VALUES (1, 's', '2022-05-23 15:45:10')`, `INSERT INTO ${r} (ii, ss, tts) VALUES ${RIGHT_ROWS}`],
      [['s', 's2'], ['s', 's3'], ['s', 's4'], ['s', 's5'], ['s', 's6'], ['s', 's7']],
    );
  });

  it('date_diff_within(10s, date_add(ts, 1s), tts): expressions as the time columns', async () => {
    await rangeCase(
      'ddwexpr',
      'date_diff_within(10s, date_add(ts, 1s), tts)',
      (l, r) => [`INSERT INTO ${l} (i, s, ts) VALUES (1, 's', '2022-05-23 15:45:10')`, `INSERT INTO ${r} (ii, ss, tts) VALUES ${RIGHT_ROWS}`],
      [['s', 's3'], ['s', 's4'], ['s', 's5'], ['s', 's6'], ['s', 's7'], ['s', 's8']],
    );
  });

  it("date_diff('second', ts, tts) > 0 AND < 10 reads as 0 < ts - tts < 10 (Proton's range orientation)", async () => {
    await rangeCase(
      'dd1',
      "date_diff('second', ts, tts) > 0 AND date_diff('second', ts, tts) < 10",
      (l, r) => [
        `INSERT INTO ${l} (i, s, ts) VALUES (1, 's', '2022-05-23 15:45:10'), (2, 's', '2022-05-23 15:46:10')`,
        `INSERT INTO ${r} (ii, ss, tts) VALUES (1, 's1', '2022-05-23 15:44:59'),(1, 's2', '2022-05-23 15:45:00'),(1, 's3', '2022-05-23 15:45:09'),(1, 's4', '2022-05-23 15:45:10'),(1, 's5', '2022-05-23 15:45:11'),(2, 's6', '2022-05-23 15:45:59'),(2, 's7', '2022-05-23 15:46:00'),(2, 's8', '2022-05-23 15:46:01'),(2, 's9', '2022-05-23 15:46:10'),(2, 's10', '2022-05-23 15:46:11')`,
      ],
      [['s', 's3'], ['s', 's8']],
    );
  });

  it('the watermark evicts old buckets and drops late rows (bucket = half the range)', async () => {
    await rangeCase(
      'wm',
      "date_diff('second', ts, tts) BETWEEN -10 AND 10",
      (l, r) => [
        `INSERT INTO ${l} (i, s, ts) VALUES (1, 's', '2022-05-23 15:45:10'), (2, 's', '2022-05-23 15:46:10')`,
        `INSERT INTO ${r} (ii, ss, tts) VALUES (1, 's1', '2022-05-23 15:45:09'),(1, 's2', '2022-05-23 15:45:10'),(1, 's3', '2022-05-23 15:45:11'),(1, 's4', '2022-05-23 15:45:12'),(1, 's5', '2022-05-23 15:45:13'),(2, 's6', '2022-05-23 15:46:09'),(2, 's7', '2022-05-23 15:46:10'),(2, 's8', '2022-05-23 15:46:11'),(2, 's9', '2022-05-23 15:46:18'),(2, 's10', '2022-05-23 15:46:19')`,
        // Combined watermark 15:46:10: key 1's rows are gone and 'new'@15:45:10 is late; s6 (bucket 15:46:00) is evicted.
        `INSERT INTO ${l} (i, s, ts) VALUES (1, 'new', '2022-05-23 15:45:10'), (2, 'new', '2022-05-23 15:46:10')`,
      ],
      [
        ...['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10'].map((x) => ['s', x]),
        ...['s7', 's8', 's9', 's10'].map((x) => ['new', x]),
      ],
    );
  });

  it('LEFT range join: a left row without a match is emitted with defaults', async () => {
    await rangeCase(
      'left',
      'date_diff_within(10s, ts, tts)',
      (l, r) => [`INSERT INTO ${r} (ii, ss, tts) VALUES (1, 's1', '2022-05-23 15:45:10'), (2, 's2', '2022-05-23 15:45:10')`, `INSERT INTO ${l} (i, s, ts) VALUES (1, 's', '2022-05-23 15:45:10'), (3, 'ss', '2022-05-23 15:45:10')`],
      [['s', 's1'], ['ss', '']],
      'LEFT',
    );
  });

  it('malformed and too wide ranges are rejected as Proton does', async () => {
    await makeStreams('err');
    const j = 'SELECT s, ss FROM jl_err JOIN jr_err ON i = ii AND ';
    expect((await errorOf(`${j}date_diff('second', ts, tts) > 3 AND date_diff('second', ts, tts) < 10`)).code).toBe(62);
    expect((await errorOf(`${j}date_diff('second', ts, tts) > -10 AND date_diff('second', ts, tts) < -2`)).code).toBe(62);
    expect((await errorOf(`${j}date_diff('second', ts, tts) > -200 AND date_diff('second', ts, tts) < 200`)).code).toBe(62);
    expect((await errorOf(`${j}date_diff('second', ts, tts) > -200`)).code).toBe(62);
    expect((await errorOf(`${j}date_diff('second', ts, tts) > -20 AND date_diff('second', ts, tts) < 10 AND date_diff('second', ts, tts) < 20`)).code).toBe(62);
    expect((await errorOf('SELECT s, ss FROM jl_err CROSS JOIN jr_err')).code).toBe(48);
    expect((await errorOf(`SELECT s, ss FROM jl_err RIGHT JOIN jr_err ON i = ii AND date_diff('second', ts, tts) BETWEEN -10 AND 10`)).code).toBe(48);
    expect((await errorOf(`SELECT s, ss FROM jl_err JOIN table(jr_err) AS r ON i = ii AND date_diff('second', ts, tts) BETWEEN -10 AND 10`)).code).toBe(48);
    expect((await errorOf('SELECT s, ss FROM jl_err ASOF JOIN jr_err ON i = ii AND s > ss')).code).toBe(169);
  });
});

describe('stream ⋈ stream without a range', () => {
  it('INNER: rows of either side join every earlier row of the other', async () => {
    const [l, r] = await makeStreams('global');
    const q = await stream(`SELECT s, ss FROM ${l} INNER JOIN ${r} ON i = ii`);
    try {
      await exec(`INSERT INTO ${l} (i, s, ts) VALUES (1, 's', '2022-05-23 15:45:10')`);
      await exec(`INSERT INTO ${r} (ii, ss, tts) VALUES (1, 's1', '2022-05-23 15:44:59'), (1, 's2', '2022-05-23 15:45:00'), (2, 'x', '2022-05-23 15:45:00')`);
      await exec(`INSERT INTO ${l} (i, s, ts) VALUES (1, 'ss', '2022-05-23 15:45:10')`);
      await q.waitFor((rows) => rows.length >= 4);
      await exec(`INSERT INTO ${l} (i, s, ts) VALUES (98, 'end', '2022-05-23 15:45:10')`);
      await exec(`INSERT INTO ${r} (ii, ss, tts) VALUES (98, 'end', '2022-05-23 15:45:10')`);
      await q.waitFor((rows) => rows.some((x) => x[0] === 'end'));
      expect(sorted(q.rows.filter((x) => x[0] !== 'end'))).toEqual(sorted([['s', 's1'], ['s', 's2'], ['ss', 's1'], ['ss', 's2']]));
    } finally {
      q.stop();
    }
  });

  it('count() over a join of two streams', async () => {
    const [l, r] = await makeStreams('agg');
    const rows: string[][] = [];
    const q = await h.start(`SELECT count() AS c FROM ${l} INNER JOIN ${r} ON i = ii EMIT PERIODIC 100ms`, (b) => {
      for (let i = 0; i < b.rows; i++) rows.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
    });
    try {
      await exec(`INSERT INTO ${r} (ii, ss, tts) VALUES (1, 's1', '2022-05-23 15:44:59'), (1, 's2', '2022-05-23 15:45:00'), (1, 's3', '2022-05-23 15:45:09')`);
      await exec(`INSERT INTO ${l} (i, s, ts) VALUES (1, 's', '2022-05-23 15:45:10')`);
      await until(() => rows.some((x) => x[0] === '3'), `count 3; got ${JSON.stringify(rows)}`, 10_000);
    } finally {
      q.stop();
    }
  });

  it('LEFT ALL: a left row with no match yet shows defaults', async () => {
    await exec('CREATE STREAM jl_la (i int, k string)');
    await exec('CREATE STREAM jr_la (j int, kk string)');
    const q = await stream('SELECT i, k, j, kk FROM jl_la LEFT JOIN jr_la ON k = kk');
    try {
      await exec("INSERT INTO jr_la (j, kk) VALUES (1, 'a'), (1, 'b')");
      await exec("INSERT INTO jl_la (i, k) VALUES (2, 'a')");
      await exec("INSERT INTO jl_la (i, k) VALUES (2, 'b')");
      await exec("INSERT INTO jl_la (i, k) VALUES (2, 'c')");
      await q.waitFor((rows) => rows.length >= 3);
      await exec("INSERT INTO jl_la (i, k) VALUES (9, 'end')");
      await q.waitFor((rows) => rows.some((x) => x[1] === 'end'));
      expect(q.rows).toEqual([
        ['2', 'a', '1', 'a'],
        ['2', 'b', '1', 'b'],
        ['2', 'c', '0', ''],
        ['9', 'end', '0', ''],
      ]);
    } finally {
      q.stop();
    }
  });
});

describe('ASOF and LATEST joins of two streams', () => {
  it('ASOF against table(): the closest row among all of the table (ClickHouse semantics), bounded', async () => {
    const [l, r] = await makeStreams('asoft');
    await exec(`INSERT INTO ${l} (i, s, ts) VALUES (1, 's', '2022-05-23 15:45:10'), (2, 's', '2022-05-23 15:46:10'), (3, 'none', '2022-05-23 15:46:10')`);
    await exec(
      `INSERT INTO ${r} (ii, ss, tts) VALUES (1, 's1', '2022-05-23 15:45:09'),(1, 's2', '2022-05-23 15:45:10'),(1, 's3', '2022-05-23 15:45:11'),(1, 's4', '2022-05-23 15:45:12'),(2, 's6', '2022-05-23 15:46:09'),(2, 's7', '2022-05-23 15:46:10'),(2, 's8', '2022-05-23 15:46:11'),(2, 's9', '2022-05-23 15:46:18')`,
    );
    const run = async (sql: string): Promise<string[][]> => {
      const r0 = await h.session().execute({ sql });
      const rows: string[][] = [];
      for await (const b of r0.blocks) for (let i = 0; i < b.rows; i++) rows.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
      return rows;
    };
    expect(sorted(await run(`SELECT s, ss FROM table(${l}) AS a ASOF JOIN table(${r}) AS b ON i = ii AND tts > ts`))).toEqual([
      ['s', 's3'],
      ['s', 's8'],
    ]);
    expect(sorted(await run(`SELECT s, ss FROM table(${l}) AS a LEFT ASOF JOIN table(${r}) AS b ON i = ii AND ts >= tts`))).toEqual([
      ['none', ''],
      ['s', 's2'],
      ['s', 's7'],
    ]);
  });

  it('ASOF: the closest right row among the last keep_versions (default 3) of its key', async () => {
    await exec('CREATE STREAM jl_asof (i int, k string)');
    await exec('CREATE STREAM jr_asof (j int, kk string)');
    const q = await stream('SELECT i, k, j, kk FROM jl_asof ASOF JOIN jr_asof ON k = kk AND i <= j');
    try {
      await exec("INSERT INTO jr_asof (j, kk) VALUES (1, 'a'), (2, 'a'), (3, 'a'), (4, 'a')");
      await exec("INSERT INTO jl_asof (i, k) VALUES (1, 'a'), (4, 'a'), (5, 'a')");
      await q.waitFor((rows) => rows.length >= 2);
      await exec("INSERT INTO jr_asof (j, kk) VALUES (100, 'end')");
      await exec("INSERT INTO jl_asof (i, k) VALUES (100, 'end')");
      await q.waitFor((rows) => rows.some((x) => x[1] === 'end'));
      expect(q.rows).toEqual([
        ['1', 'a', '2', 'a'],
        ['4', 'a', '4', 'a'],
        ['100', 'end', '100', 'end'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('LEFT ASOF with keep_versions = 2', async () => {
    await exec('CREATE STREAM jl_asof2 (i int, k string)');
    await exec('CREATE STREAM jr_asof2 (j int, kk string)');
    const q = await stream('SELECT i, k, j, kk FROM jl_asof2 LEFT ASOF JOIN jr_asof2 ON k = kk AND i <= j SETTINGS keep_versions = 2');
    try {
      await exec("INSERT INTO jr_asof2 (j, kk) VALUES (1, 'a'), (2, 'a'), (3, 'a'), (4, 'a'), (2, 'b')");
      await exec("INSERT INTO jl_asof2 (i, k) VALUES (0, 'a'), (4, 'a'), (5, 'a'), (3, 'b')");
      await q.waitFor((rows) => rows.length >= 4);
      await exec("INSERT INTO jl_asof2 (i, k) VALUES (100, 'end')");
      await q.waitFor((rows) => rows.some((x) => x[1] === 'end'));
      expect(q.rows).toEqual([
        ['0', 'a', '3', 'a'],
        ['4', 'a', '4', 'a'],
        ['5', 'a', '0', ''],
        ['3', 'b', '0', ''],
        ['100', 'end', '0', ''],
      ]);
    } finally {
      q.stop();
    }
  });

  it('LEFT LATEST: the latest right row of the key; right rows alone emit nothing', async () => {
    await exec('CREATE STREAM jl_lat (i int, s string)');
    await exec('CREATE STREAM jr_lat (ii int, ss string)');
    const q = await stream('SELECT i, s, ii, ss FROM jl_lat LEFT LATEST JOIN jr_lat ON i = ii');
    try {
      await exec("INSERT INTO jr_lat (ii, ss) VALUES (1, 'ss1')");
      await exec("INSERT INTO jl_lat (i, s) VALUES (1, 's1')");
      await q.waitFor((rows) => rows.length >= 1);
      await exec("INSERT INTO jr_lat (ii, ss) VALUES (1, 'ss3')");
      await exec("INSERT INTO jl_lat (i, s) VALUES (1, 's2')");
      await exec("INSERT INTO jl_lat (i, s) VALUES (2, 's3')");
      await q.waitFor((rows) => rows.length >= 3);
      await exec("INSERT INTO jl_lat (i, s) VALUES (100, 'end')");
      await q.waitFor((rows) => rows.some((x) => x[1] === 'end'));
      expect(q.rows).toEqual([
        ['1', 's1', '1', 'ss1'],
        ['1', 's2', '1', 'ss3'],
        ['2', 's3', '0', ''],
        ['100', 'end', '0', ''],
      ]);
    } finally {
      q.stop();
    }
  });
});
