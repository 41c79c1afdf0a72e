import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../src/server/engine.js';
import { subscriptionsOf } from '../../src/streaming/subscription.js';
import { formatValueText } from '../../src/types/text-conversion.js';
import { until } from '../helpers/engine-harness.js';

/**
 * SUBSCRIBE TO over joins of streams (Proton's smoke suite 0018 state8): the join's state, the changelog
 * conversion below a versioned side and each stream's position are checkpointed; RECOVER FROM continues with
 * the events inserted meanwhile, joined against the restored state, without emitting earlier rows again.
 */
let engine: Engine;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'hadron-join-subscribe-'));
  engine = new Engine({ dataDir: dir, timezone: 'UTC' });
  await engine.start();
});

afterAll(async () => {
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function exec(sql: string): Promise<void> {
  const r = await engine.openSession({ user: 'default', password: '' }, { interface: 'http' }).execute({ sql });
  for await (const _ of r.blocks) {
    /* drain */
  }
}

async function start(sql: string, queryId: string): Promise<{ rows: string[][]; waitFor: (n: number) => Promise<void>; stop: () => Promise<void> }> {
  const ac = new AbortController();
  const r = await engine.openSession({ user: 'default', password: '' }, { interface: 'tcp' }).execute({ sql, queryId, signal: ac.signal });
  const rows: string[][] = [];
  let error: unknown;
  const done = (async () => {
    try {
      for await (const b of r.blocks) for (let i = 0; i < b.rows; i++) rows.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
    } catch (e) {
      error = e;
    }
  })();
  return {
    rows,
    async waitFor(n) {
      await until(() => {
        if (error && !ac.signal.aborted) throw error;
        return rows.length >= n;
      }, `${n} rows of ${sql}; so far ${JSON.stringify(rows)}`, 10_000);
    },
    async stop() {
      ac.abort();
      await done;
    },
  };
}

const subscribed = (id: string) => until(() => (subscriptionsOf(engine).status(id)?.checkpoints ?? 0) >= 1, `the first checkpoint of ${id}`, 10_000);

describe('SUBSCRIBE over streaming joins', () => {
  it('range join: RECOVER joins new right rows with the restored left rows', async () => {
    await exec('CREATE STREAM sj_l (i int, s string, ts datetime)');
    await exec('CREATE STREAM sj_r (ii int, ss string, tts datetime)');
    const q = await start('SUBSCRIBE TO SELECT s, ss FROM sj_l INNER JOIN sj_r ON i = ii AND date_diff_within(10s, ts, tts) SETTINGS checkpoint_interval=1', 'sj-1');
    await subscribed('sj-1');
    await exec("INSERT INTO sj_l (i, s, ts) VALUES (1, 's', '2022-05-23 15:45:10')");
    await exec("INSERT INTO sj_r (ii, ss, tts) VALUES (1, 's1', '2022-05-23 15:44:59'), (1, 's2', '2022-05-23 15:45:00'), (1, 's3', '2022-05-23 15:45:09')");
    await q.waitFor(2);
    await q.stop();
    expect(q.rows).toEqual([
      ['s', 's2'],
      ['s', 's3'],
    ]);
    // Inserted while no query runs: RECOVER reads them from the checkpointed positions.
    await exec("INSERT INTO sj_r (ii, ss, tts) VALUES (1, 's4', '2022-05-23 15:45:10'), (1, 's8', '2022-05-23 15:45:21')");
    const r = await start("RECOVER FROM 'sj-1'", 'sj-1-r');
    await r.waitFor(1);
    await exec("INSERT INTO sj_r (ii, ss, tts) VALUES (1, 's5', '2022-05-23 15:45:15')");
    await r.waitFor(2);
    await r.stop();
    expect(r.rows).toEqual([
      ['s', 's4'],
      ['s', 's5'],
    ]);
    await exec("UNSUBSCRIBE TO 'sj-1'");
  });

  it('append ⋈ versioned_kv: the dimension state comes back with RECOVER', async () => {
    await exec('CREATE STREAM sv_l (i int, s string)');
    await exec("CREATE STREAM sv_r (ii int, ss string) PRIMARY KEY ii SETTINGS mode='versioned_kv'");
    const q = await start('SUBSCRIBE TO SELECT s, ss FROM sv_l INNER JOIN sv_r ON i = ii SETTINGS checkpoint_interval=1', 'sv-1');
    await subscribed('sv-1');
    await exec("INSERT INTO sv_r (ii, ss) VALUES (1, 'v1')");
    await exec("INSERT INTO sv_r (ii, ss) VALUES (1, 'v2')");
    await exec("INSERT INTO sv_l (i, s) VALUES (1, 'a')");
    await q.waitFor(1);
    await q.stop();
    expect(q.rows).toEqual([['a', 'v2']]);
    await exec("INSERT INTO sv_r (ii, ss) VALUES (2, 'w1')");
    const r = await start("RECOVER FROM 'sv-1'", 'sv-1-r');
    await exec("INSERT INTO sv_l (i, s) VALUES (2, 'b'), (1, 'c')");
    await r.waitFor(2);
    await r.stop();
    expect(r.rows).toEqual([
      ['b', 'w1'],
      ['c', 'v2'],
    ]);
    await exec("UNSUBSCRIBE TO 'sv-1'");
  });

  it('EMIT CHANGELOG over a join: RECOVER retracts the results emitted before the checkpoint', async () => {
    await exec('CREATE STREAM sc_l (i int, k string)');
    await exec("CREATE STREAM sc_r (i int, k string) PRIMARY KEY i SETTINGS mode='versioned_kv'");
    const sql = 'SUBSCRIBE TO SELECT i, count(), max(sc_r.k), _tp_delta FROM sc_l INNER JOIN sc_r USING (i) GROUP BY i EMIT CHANGELOG PERIODIC 100ms SETTINGS checkpoint_interval=1';
    const q = await start(sql, 'sc-1');
    await subscribed('sc-1');
    await exec("INSERT INTO sc_r (i, k) VALUES (1, 'k1'), (2, 'k2')");
    await exec("INSERT INTO sc_l (i, k) VALUES (1, 'a')");
    await q.waitFor(1);
    // Ending the query checkpoints: the emitted result (1, 1, 'k1') is part of the state.
    await q.stop();
    expect(q.rows).toEqual([['1', '1', 'k1', '1']]);
    const r = await start("RECOVER FROM 'sc-1'", 'sc-1-r');
    await exec("INSERT INTO sc_r (i, k) VALUES (1, 'kk1'), (2, 'kk1')");
    await exec("INSERT INTO sc_l (i, k) VALUES (1, 'b'), (2, 'c')");
    await r.waitFor(3);
    await r.stop();
    expect(r.rows).toEqual([
      ['1', '1', 'k1', '-1'],
      ['1', '2', 'kk1', '1'],
      ['2', '1', 'kk1', '1'],
    ]);
    await exec("UNSUBSCRIBE TO 'sc-1'");
  });
});
