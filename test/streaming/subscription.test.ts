import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/server/engine.js';
import type { Session } from '../../src/server/session-api.js';
import { DbError } from '../../src/errors/index.js';
import { formatValueText } from '../../src/types/text-conversion.js';
import { formatStatement, parseStatement } from '../../src/sql/index.js';
import { subscriptionsOf } from '../../src/streaming/subscription.js';
import { until } from '../helpers/engine-harness.js';

/**
 * Proton's checkpointed queries: SUBSCRIBE TO … checkpoints state and source position under the query id,
 * RECOVER FROM 'id' resumes from the checkpoint (state restored, events inserted meanwhile processed, nothing
 * emitted before the checkpoint emitted again), UNSUBSCRIBE TO 'id' deletes it; checkpoints survive restarts.
 */
const dirs: string[] = [];
const engines: Engine[] = [];

async function openEngine(dir?: string): Promise<{ engine: Engine; dir: string }> {
  const d = dir ?? mkdtempSync(path.join(os.tmpdir(), 'hadron-subscription-'));
  if (!dir) dirs.push(d);
  const engine = new Engine({ dataDir: d, timezone: 'UTC' });
  await engine.start();
  engines.push(engine);
  return { engine, dir: d };
}

let engine: Engine;
let writer: Session;

beforeAll(async () => {
  ({ engine } = await openEngine());
  writer = engine.openSession({ user: 'default', password: '' }, { interface: 'http' });
});

afterAll(async () => {
  for (const e of engines) await e.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function exec(sql: string, e: Engine = engine): Promise<string[][]> {
  const s = e === engine ? writer : e.openSession({ user: 'default', password: '' }, { interface: 'http' });
  const r = await s.execute({ sql });
  const rows: string[][] = [];
  for await (const b of r.blocks) for (let i = 0; i < b.rows; i++) rows.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
  return rows;
}

interface Running {
  readonly rows: string[][];
  readonly queryId: string;
  waitFor(pred: (rows: string[][]) => boolean): Promise<void>;
  /** Cancels the query (the client goes away) and waits until it has ended. */
  stop(): Promise<void>;
  readonly done: Promise<void>;
  error(): unknown;
}

/** Starts a streaming statement with a client-chosen query id; rows arrive in `rows`. */
async function start(sql: string, queryId: string, e: Engine = engine): Promise<Running> {
  const ac = new AbortController();
  const session = e.openSession({ user: 'default', password: '' }, { interface: 'tcp' });
  const r = await session.execute({ sql, queryId, signal: ac.signal });
  const rows: string[][] = [];
  let error: unknown;
  const done = (async () => {
    try {
      for await (const b of r.blocks) for (let i = 0; i < b.rows; i++) rows.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
    } catch (err) {
      error = err;
    }
  })();
  return {
    rows,
    queryId: r.queryId,
    done,
    error: () => error,
    async waitFor(pred) {
      await until(() => {
        if (error && !ac.signal.aborted) throw error;
        return pred(rows);
      }, `rows of ${sql}; so far: ${JSON.stringify(rows)}`, 10_000);
    },
    async stop() {
      ac.abort();
      await done;
    },
  };
}

/** Waits until the subscription has saved its starting position (it reads the stream from here on). */
async function subscribed(id: string, e: Engine = engine): Promise<void> {
  await until(() => (subscriptionsOf(e).status(id)?.checkpoints ?? 0) >= 1, `the first checkpoint of ${id}`, 10_000);
}

/** Waits until the subscription has saved `n` checkpoints (one after the rows inserted since the first). */
async function checkpointed(id: string, n: number, e: Engine = engine): Promise<void> {
  await until(() => (subscriptionsOf(e).status(id)?.checkpoints ?? 0) >= n, `checkpoint ${n} of ${id}`, 10_000);
}

async function expectError(p: Promise<unknown>, name: string): Promise<DbError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DbError);
  expect((err as DbError).errorName).toBe(name);
  return err as DbError;
}

const processIds = async (): Promise<string[]> => (await exec('SELECT query_id FROM system.processes')).map((r) => r[0]!);

describe('SUBSCRIBE / RECOVER / UNSUBSCRIBE', () => {
  it('parses and formats RECOVER FROM and UNSUBSCRIBE TO', () => {
    expect(parseStatement("recover from 'q-1'")).toEqual({ kind: 'recover', queryId: 'q-1' });
    expect(parseStatement("UNSUBSCRIBE TO 'it''s'")).toEqual({ kind: 'unsubscribe', queryId: "it's" });
    expect(formatStatement(parseStatement("recover from 'q-1'"))).toBe("RECOVER FROM 'q-1'");
    expect(formatStatement(parseStatement("unsubscribe to 'a'"))).toBe("UNSUBSCRIBE TO 'a'");
    expect(() => parseStatement('RECOVER FROM q1')).toThrow(DbError);
  });

  it('tail: RECOVER emits only the events after the checkpoint, under the original query id', async () => {
    await exec('CREATE STREAM st (id string, v float64)');
    const q = await start('SUBSCRIBE TO SELECT id, v FROM st SETTINGS checkpoint_interval=1', 'tail-1');
    await subscribed('tail-1');
    await exec("INSERT INTO st (id, v) VALUES ('a', 1)");
    await q.waitFor((r) => r.length >= 1);
    await q.stop();
    expect(q.rows).toEqual([['a', '1']]);

    // While nothing runs, events keep coming.
    await exec("INSERT INTO st (id, v) VALUES ('b', 2)");
    const r1 = await start("RECOVER FROM 'tail-1'", 'tail-1-r1');
    expect(r1.queryId).toBe('tail-1');
    await r1.waitFor((r) => r.length >= 1);
    const ids = await processIds();
    expect(ids).toContain('tail-1');
    expect(ids).not.toContain('tail-1-r1');
    // The original id is taken while the recovered query runs.
    await expectError(start("RECOVER FROM 'tail-1'", 'tail-1-dup'), 'QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING');
    await exec("INSERT INTO st (id, v) VALUES ('c', 3)");
    await r1.waitFor((r) => r.length >= 2);
    // KILL by the original id ends it (and checkpoints it).
    await exec("KILL QUERY WHERE query_id = 'tail-1' SYNC");
    await r1.done;
    expect(r1.rows).toEqual([['b', '2'], ['c', '3']]);

    await exec("INSERT INTO st (id, v) VALUES ('d', 4)");
    const r2 = await start("RECOVER FROM 'tail-1'", 'tail-1-r2');
    await r2.waitFor((r) => r.length >= 1);
    await exec("INSERT INTO st (id, v) VALUES ('e', 5)");
    await r2.waitFor((r) => r.length >= 2);
    await r2.stop();
    expect(r2.rows).toEqual([['d', '4'], ['e', '5']]);
    await exec("UNSUBSCRIBE TO 'tail-1'");
  });

  it('global aggregation: the recovered count continues from the checkpointed state', async () => {
    await exec('CREATE STREAM sg (id string, v float64)');
    const q = await start('SUBSCRIBE TO SELECT count(), sum(v) FROM sg EMIT PERIODIC 200ms SETTINGS checkpoint_interval=1', 'agg-1');
    await subscribed('agg-1');
    await exec("INSERT INTO sg (id, v) VALUES ('a', 1), ('b', 2), ('c', 3)");
    await q.waitFor((r) => r.at(-1)?.[0] === '3');
    await q.stop();

    await exec("INSERT INTO sg (id, v) VALUES ('d', 4), ('e', 5)");
    const r = await start("RECOVER FROM 'agg-1'", 'agg-1-r');
    await r.waitFor((rows) => rows.at(-1)?.[0] === '5');
    await exec("INSERT INTO sg (id, v) VALUES ('f', 6)");
    await r.waitFor((rows) => rows.at(-1)?.[0] === '6');
    await r.stop();
    // Restarted from scratch it would have counted 2, then 3; restored it counts on from 3.
    expect(r.rows.every((row) => Number(row[0]) >= 3)).toBe(true);
    expect(r.rows.at(-1)).toEqual(['6', '21']);
    await exec("UNSUBSCRIBE TO 'agg-1'");
  });

  it('tumble window: a window emitted before the checkpoint is not emitted again; open windows keep their rows', async () => {
    await exec('CREATE STREAM sw (k string, ts datetime64(3))');
    const at = (s: number): string => `'2024-01-01 00:00:${String(s).padStart(2, '0')}'`;
    const ins = (events: [string, number][]) => exec(`INSERT INTO sw (k, ts) VALUES ${events.map(([k, s]) => `('${k}', ${at(s)})`).join(', ')}`);
    const q = await start('SUBSCRIBE TO SELECT window_start, count() FROM tumble(sw, ts, 5s) GROUP BY window_start SETTINGS checkpoint_interval=1', 'win-1');
    await subscribed('win-1');
    await ins([['a', 1], ['b', 2]]);
    await ins([['a', 6]]); // closes [0, 5)
    await q.waitFor((r) => r.length >= 1);
    await ins([['b', 7]]); // [5, 10) holds 6 and 7
    await q.stop();
    expect(q.rows).toEqual([['2024-01-01 00:00:00.000', '2']]);

    await ins([['c', 8], ['d', 12]]); // 8 joins [5, 10); 12 closes it
    const r = await start("RECOVER FROM 'win-1'", 'win-1-r');
    await r.waitFor((rows) => rows.length >= 1);
    await ins([['e', 30]]); // closes [10, 15)
    await r.waitFor((rows) => rows.length >= 2);
    await r.stop();
    expect(r.rows).toEqual([
      ['2024-01-01 00:00:05.000', '3'],
      ['2024-01-01 00:00:10.000', '1'],
    ]);
    await exec("UNSUBSCRIBE TO 'win-1'");
  });

  it('windows per substream: each partition keeps its open windows, its watermark and its emit_version', async () => {
    await exec('CREATE STREAM sp (k string, ts datetime64(3))');
    const at = (s: number): string => `'2024-01-01 00:00:${String(s).padStart(2, '0')}'`;
    const ins = (events: [string, number][]) => exec(`INSERT INTO sp (k, ts) VALUES ${events.map(([k, s]) => `('${k}', ${at(s)})`).join(', ')}`);
    const sql = 'SUBSCRIBE TO SELECT k, window_start, count(), emit_version() FROM tumble(sp, ts, 5s) PARTITION BY k GROUP BY k, window_start SETTINGS checkpoint_interval=1';
    const q = await start(sql, 'sub-1');
    await subscribed('sub-1');
    await ins([['a', 1], ['b', 2], ['a', 6]]); // a closes its [0, 5); b's stays open
    await q.waitFor((r) => r.length >= 1);
    await ins([['b', 3]]); // b's [0, 5) holds 2 and 3
    await q.stop();
    expect(q.rows).toEqual([['a', '2024-01-01 00:00:00.000', '1', '0']]);

    // a's watermark (6) survives: its late row at 4 is dropped; b's [0, 5) is still open and takes 4.
    await ins([['a', 4], ['b', 4], ['b', 9], ['a', 11]]);
    const r = await start("RECOVER FROM 'sub-1'", 'sub-1-r');
    await r.waitFor((rows) => rows.length >= 2);
    await r.stop();
    expect(r.rows.sort()).toEqual([
      ['a', '2024-01-01 00:00:05.000', '1', '1'],
      ['b', '2024-01-01 00:00:00.000', '3', '0'],
    ]);
    await exec("UNSUBSCRIBE TO 'sub-1'");
  });

  it('session windows: an open session keeps its groups across RECOVER; without PARTITION BY one session spans every key', async () => {
    // Proton's session_window_aggr (query_state3): dev1 and dev2 share the session that dev2's event at 3 s closes.
    await exec('CREATE STREAM ss (id string, v float64, ts datetime64(3))');
    const at = (s: number): string => `'2024-01-01 00:00:${String(s).padStart(2, '0')}'`;
    const ins = (events: [string, number, number][]) => exec(`INSERT INTO ss (id, v, ts) VALUES ${events.map(([k, v, s]) => `('${k}', ${v}, ${at(s)})`).join(', ')}`);
    const sql = 'SUBSCRIBE TO SELECT id, max(v), window_start, window_end FROM session(ss, ts, 2s) GROUP BY id, window_start, window_end SETTINGS checkpoint_interval=1';
    const q = await start(sql, 'ses-1');
    await subscribed('ses-1');
    await ins([['dev1', 57, 0]]);
    await ins([['dev2', 58, 0]]);
    await ins([['dev1', 60, 1]]);
    await checkpointed('ses-1', 2); // the state holding the open session is what RECOVER restores
    await q.stop();
    expect(q.rows).toEqual([]);

    await ins([['dev2', 66, 3]]); // idle since 1 s + 2 s: the session closes at 3 s; dev2's row opens the next
    const r = await start("RECOVER FROM 'ses-1'", 'ses-1-r');
    await r.waitFor((rows) => rows.length >= 2);
    await ins([['dev2', 58, 15]]); // past the next session's maximum length (5 × 2 s): it ends at 3 + 10 s
    await r.waitFor((rows) => rows.length >= 3);
    await r.stop();
    expect(r.rows).toEqual([
      ['dev1', '60', '2024-01-01 00:00:00.000', '2024-01-01 00:00:03.000'],
      ['dev2', '58', '2024-01-01 00:00:00.000', '2024-01-01 00:00:03.000'],
      ['dev2', '66', '2024-01-01 00:00:03.000', '2024-01-01 00:00:13.000'],
    ]);
    await exec("UNSUBSCRIBE TO 'ses-1'");
  });

  it('session windows per substream: each partition keeps its own open session and emit_version', async () => {
    await exec('CREATE STREAM sps (id string, ts datetime64(3))');
    const at = (s: number): string => `'2024-01-01 00:00:${String(s).padStart(2, '0')}'`;
    const ins = (events: [string, number][]) => exec(`INSERT INTO sps (id, ts) VALUES ${events.map(([k, s]) => `('${k}', ${at(s)})`).join(', ')}`);
    const sql =
      'SUBSCRIBE TO SELECT id, count(), window_start, window_end, emit_version() FROM session(sps, ts, 2s) PARTITION BY id GROUP BY id, window_start, window_end SETTINGS checkpoint_interval=1';
    const q = await start(sql, 'ses-2');
    await subscribed('ses-2');
    await ins([['a', 0], ['b', 0], ['a', 1]]);
    await checkpointed('ses-2', 2);
    await q.stop();
    expect(q.rows).toEqual([]);

    await ins([['a', 5], ['b', 5]]); // each closes its own partition's session, at its idle deadline
    const r = await start("RECOVER FROM 'ses-2'", 'ses-2-r');
    await r.waitFor((rows) => rows.length >= 2);
    await ins([['a', 9]]);
    await r.waitFor((rows) => rows.length >= 3);
    await r.stop();
    expect(r.rows).toEqual([
      ['a', '2', '2024-01-01 00:00:00.000', '2024-01-01 00:00:03.000', '0'],
      ['b', '1', '2024-01-01 00:00:00.000', '2024-01-01 00:00:02.000', '0'],
      ['a', '1', '2024-01-01 00:00:05.000', '2024-01-01 00:00:07.000', '1'],
    ]);
    await exec("UNSUBSCRIBE TO 'ses-2'");
  });

  it('dedup(): the keys seen before the checkpoint stay seen after RECOVER', async () => {
    // Proton's recover_func_dedup (query_state1)
    await exec('CREATE STREAM sd (i int32, s string)');
    const q = await start('SUBSCRIBE TO SELECT i, s FROM dedup(sd, s) SETTINGS checkpoint_interval=1', 'dd-1');
    await subscribed('dd-1');
    await exec("INSERT INTO sd (i, s) VALUES (1, 's1'), (2, 's2'), (3, 's3')");
    await q.waitFor((r) => r.length >= 3);
    await checkpointed('dd-1', 2);
    await q.stop();

    await exec("INSERT INTO sd (i, s) VALUES (4, 's1'), (5, 's4')");
    const r = await start("RECOVER FROM 'dd-1'", 'dd-1-r');
    await r.waitFor((rows) => rows.length >= 1);
    await exec("INSERT INTO sd (i, s) VALUES (6, 's2'), (7, 's5')");
    await r.waitFor((rows) => rows.length >= 2);
    await r.stop();
    expect(q.rows).toEqual([['1', 's1'], ['2', 's2'], ['3', 's3']]);
    expect(r.rows).toEqual([['5', 's4'], ['7', 's5']]);
    await exec("UNSUBSCRIBE TO 'dd-1'");
  });

  it('lag / lags / neighbor / monotonic: their state is checkpointed and restored by RECOVER', async () => {
    // Proton's recover_func_lag and recover_func_neighbor (query_state1), 0021_random_stream:22: the recovered
    // query's first rows look back on the rows before the checkpoint, and the counter goes on. Without the saved
    // state they would get the defaults and 100 again.
    await exec('CREATE STREAM sl (v int32)');
    const sql = 'SUBSCRIBE TO SELECT v, lag(v), lag(v, 3, -1), neighbor(v, -2), lags(v, 1, 2), monotonic(100) FROM sl SETTINGS checkpoint_interval=1';
    const q = await start(sql, 'lag-1');
    await subscribed('lag-1');
    for (const v of [1, 2, 3]) await exec(`INSERT INTO sl (v) VALUES (${v})`);
    await q.waitFor((r) => r.length >= 3);
    await checkpointed('lag-1', 2);
    await q.stop();

    await exec('INSERT INTO sl (v) VALUES (4), (5)');
    const r = await start("RECOVER FROM 'lag-1'", 'lag-1-r');
    await r.waitFor((rows) => rows.length >= 2);
    await exec('INSERT INTO sl (v) VALUES (6)');
    await r.waitFor((rows) => rows.length >= 3);
    await r.stop();
    expect(q.rows).toEqual([
      ['1', '0', '-1', '0', '[0,0]', '100'],
      ['2', '1', '-1', '0', '[1,0]', '101'],
      ['3', '2', '-1', '1', '[2,1]', '102'],
    ]);
    expect(r.rows).toEqual([
      ['4', '3', '1', '2', '[3,2]', '103'],
      ['5', '4', '2', '3', '[4,3]', '104'],
      ['6', '5', '3', '4', '[5,4]', '105'],
    ]);
    await exec("UNSUBSCRIBE TO 'lag-1'");
  });

  it('neighbor in a streaming query reaches earlier rows across inserts; a non-negative offset is refused', async () => {
    await exec('CREATE STREAM sn (v int32)');
    const q = await start('SUBSCRIBE TO SELECT v, neighbor(v, -1), neighbor(v, -2, 100) FROM sn', 'nb-1');
    await subscribed('nb-1');
    await exec('INSERT INTO sn (v) VALUES (1), (2)');
    await exec('INSERT INTO sn (v) VALUES (3)');
    await q.waitFor((r) => r.length >= 3);
    await q.stop();
    expect(q.rows).toEqual([
      ['1', '0', '100'],
      ['2', '1', '100'],
      ['3', '2', '1'],
    ]);
    await expectError(exec('SELECT neighbor(v, 1) FROM sn'), 'ARGUMENT_OUT_OF_BOUND');
    // Over table() the query is bounded: neighbor is ClickHouse's, within a block, both ways.
    expect(await exec('SELECT v, neighbor(v, 1) FROM (SELECT v FROM table(sn) ORDER BY v)')).toEqual([
      ['1', '2'],
      ['2', '3'],
      ['3', '0'],
    ]);
    await exec("UNSUBSCRIBE TO 'nb-1'");
  });

  it('UNSUBSCRIBE deletes the checkpoint (a running query is cancelled); unknown ids as Proton', async () => {
    await exec('CREATE STREAM su (id string)');
    const q = await start('SUBSCRIBE TO SELECT id FROM su SETTINGS checkpoint_interval=1', 'unsub-1');
    await subscribed('unsub-1');
    await exec("INSERT INTO su (id) VALUES ('a')");
    await q.waitFor((r) => r.length >= 1);
    await exec("UNSUBSCRIBE TO 'unsub-1'");
    await q.done; // cancelled by UNSUBSCRIBE
    expect(q.error()).toBeInstanceOf(DbError);
    expect((await processIds()).includes('unsub-1')).toBe(false);
    // Within the grace period: QUERY_WAS_CANCELLED (394), as Proton's delete mark.
    const e1 = await expectError(exec("RECOVER FROM 'unsub-1'"), 'QUERY_WAS_CANCELLED');
    expect(e1.code).toBe(394);
    const e2 = await expectError(exec("RECOVER FROM 'never-subscribed'"), 'RESOURCE_NOT_FOUND');
    expect(e2.code).toBe(2003);
    // UNSUBSCRIBE of an unknown id is not an error (Proton ignores it).
    await exec("UNSUBSCRIBE TO 'never-subscribed'");
    // The id can be subscribed again.
    const again = await start('SUBSCRIBE TO SELECT id FROM su SETTINGS checkpoint_interval=1', 'unsub-1');
    await subscribed('unsub-1');
    await exec("INSERT INTO su (id) VALUES ('b')");
    await again.waitFor((r) => r.length >= 1);
    await again.stop();
    expect(again.rows).toEqual([['b']]);
    await exec("UNSUBSCRIBE TO 'unsub-1'");
  });

  it('SUBSCRIBE over more than one stream is refused (its state cannot be checkpointed)', async () => {
    await exec('CREATE STREAM sj1 (id string)');
    await exec('CREATE STREAM sj2 (id string)');
    await expectError(start('SUBSCRIBE TO SELECT * FROM sj1 UNION ALL SELECT * FROM sj2', 'join-1'), 'NOT_IMPLEMENTED');
  });

  it('checkpoints survive a restart: RECOVER after restart continues the aggregation', async () => {
    const { engine: e1, dir } = await openEngine();
    await exec('CREATE STREAM sr (id string)', e1);
    const q = await start('SUBSCRIBE TO SELECT count() FROM sr EMIT PERIODIC 200ms SETTINGS checkpoint_interval=1', 'restart-1', e1);
    await subscribed('restart-1', e1);
    await exec("INSERT INTO sr (id) VALUES ('a'), ('b')", e1);
    await q.waitFor((r) => r.at(-1)?.[0] === '2');
    await q.stop();
    await e1.stop();
    engines.splice(engines.indexOf(e1), 1);

    const { engine: e2 } = await openEngine(dir);
    await exec("INSERT INTO sr (id) VALUES ('c')", e2);
    const r = await start("RECOVER FROM 'restart-1'", 'restart-1-r', e2);
    await r.waitFor((rows) => rows.at(-1)?.[0] === '3');
    await exec("INSERT INTO sr (id) VALUES ('d')", e2);
    await r.waitFor((rows) => rows.at(-1)?.[0] === '4');
    await r.stop();
    expect(r.rows.every((row) => Number(row[0]) >= 2)).toBe(true);
  });

  it('periodic checkpoints: a crash image taken while the query runs recovers from the last one', async () => {
    const { engine: e1, dir } = await openEngine();
    await exec('CREATE STREAM sp (id string)', e1);
    const q = await start('SUBSCRIBE TO SELECT count() FROM sp EMIT PERIODIC 100ms SETTINGS checkpoint_interval=1', 'crash-1', e1);
    await subscribed('crash-1', e1);
    await exec("INSERT INTO sp (id) VALUES ('a'), ('b'), ('c')", e1);
    await q.waitFor((r) => r.at(-1)?.[0] === '3');
    // A periodic checkpoint taken after the state held the three events.
    const seen = Date.now();
    await until(() => (subscriptionsOf(e1).status('crash-1')?.lastCheckpointMs ?? 0) > seen, 'a periodic checkpoint', 10_000);
    // Copy the data directory while the query keeps running: what a crash would leave.
    const image = mkdtempSync(path.join(os.tmpdir(), 'hadron-subscription-image-'));
    dirs.push(image);
    cpSync(dir, image, { recursive: true });
    await q.stop();

    const { engine: e2 } = await openEngine(image);
    await exec("INSERT INTO sp (id) VALUES ('d')", e2);
    const r = await start("RECOVER FROM 'crash-1'", 'crash-1-r', e2);
    await r.waitFor((rows) => rows.at(-1)?.[0] === '4');
    await r.stop();
    expect(r.rows.every((row) => Number(row[0]) >= 3)).toBe(true);
  });
});
