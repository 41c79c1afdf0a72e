import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startChildServer, waitFor, type ChildServer } from '../helpers/child-server.js';
import { ensureBuilt } from '../helpers/ensure-built.js';

/**
 * Exactly-once state across crashes: a materialized view counting events per key is SIGKILLed mid-stream
 * five times while a writer keeps inserting. After the last restart, once the view has caught up, the latest
 * count it emitted per key equals the count of acknowledged events in the stream, and no emission ever
 * exceeded it (an event counted twice would show as a larger count). Runs the built server (`npm run build`).
 */
const KEYS = 7;
const BATCH = 50;
const KILLS = 5;
/** 100 events per second of event time, in order. */
const eventTime = (seq: number): string => new Date(Date.UTC(2024, 0, 1) + Math.floor(seq / 100) * 1000).toISOString().slice(0, 19).replace('T', ' ');

function tsv(body: string): string[][] {
  return body.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

describe('materialized view across SIGKILL', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hadron-mv-crash-'));
  beforeAll(ensureBuilt, 240_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('counts every acknowledged event exactly once after 5 kills', { timeout: 180_000 }, async () => {
    const port = await freePort();
    let server: ChildServer = await startChildServer(dataDir, port);
    const q = async (sql: string): Promise<string> => {
      const r = await server.query(sql);
      if (r.code !== null || r.status !== 200) throw new Error(`${sql}: ${r.body}`);
      return r.body;
    };
    await q('CREATE STREAM ev (k UInt32, seq UInt64, t DateTime)');
    await q('CREATE MATERIALIZED VIEW per_key AS SELECT k, count() AS c FROM ev GROUP BY k');
    // Windows of event time: state is the open windows plus the watermark.
    await q('CREATE MATERIALIZED VIEW per_second AS SELECT window_start AS w, k, count() AS c FROM tumble(ev, t, 1s) GROUP BY window_start, k');

    let acked = 0;
    let stop = false;
    let seq = 0;
    const writer = (async () => {
      while (!stop) {
        const rows: string[] = [];
        for (let i = 0; i < BATCH; i++, seq++) rows.push(`${seq % KEYS},${seq},${eventTime(seq)}`);
        try {
          const r = await server.query('INSERT INTO ev (k, seq, t) FORMAT CSV', {}, rows.join('\n') + '\n');
          if (r.status === 200 && r.code === null) acked += BATCH;
        } catch {
          // The server is down (killed): not acknowledged; retry once it is back.
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    })();

    const checkpointSn = async (): Promise<number> => {
      const r = await server.query("SELECT checkpoint_sn FROM system.materialized_views WHERE name = 'per_key' FORMAT TSV");
      return r.code === null ? Number(tsv(r.body)[0]?.[0] ?? -1) : -1;
    };
    for (let round = 0; round < KILLS; round++) {
      // Kill mid-stream, after the view has checkpointed progress made in this run and more events arrived.
      const ackedAtStart = acked;
      const cpAtStart = await checkpointSn();
      await waitFor(async () => (await checkpointSn()) > cpAtStart && acked > ackedAtStart + 20 * BATCH, 60_000, `round ${round}: view progress`);
      await server.kill('SIGKILL');
      server = await startChildServer(dataDir, port);
    }
    await waitFor(() => acked > 0, 10_000, 'a final acknowledged insert');
    stop = true;
    await writer;

    const truth = tsv(await q('SELECT k, count() FROM table(ev) GROUP BY k ORDER BY k FORMAT TSV'));
    expect(truth.length).toBe(KEYS);
    // Every acknowledged event is in the stream (some unacknowledged ones may be too).
    expect(truth.reduce((s, r) => s + Number(r[1]), 0)).toBeGreaterThanOrEqual(acked);
    let latest: string[][] = [];
    await waitFor(
      async () => {
        latest = tsv(await q('SELECT k, arg_max(c, _tp_time) FROM table(per_key) GROUP BY k ORDER BY k FORMAT TSV'));
        return JSON.stringify(latest) === JSON.stringify(truth);
      },
      60_000,
      'the view to catch up',
    ).catch((e: Error) => {
      throw new Error(`${e.message}: latest ${JSON.stringify(latest)}, truth ${JSON.stringify(truth)}`);
    });
    expect(tsv(await q('SELECT k, max(c) FROM table(per_key) GROUP BY k ORDER BY k FORMAT TSV'))).toEqual(truth);

    // Every window closed by the watermark was emitted with exactly its events (re-emitted after a crash
    // with the same count, never a different one). A last event far ahead closes them all.
    await q(`INSERT INTO ev (k, seq, t) VALUES (0, ${seq + 1_000_000}, '2030-01-01 00:00:00')`);
    const perSecond = tsv(await q(`SELECT toString(t), k, count(), count() FROM table(ev) WHERE t < '2030-01-01 00:00:00' GROUP BY t, k ORDER BY t, k FORMAT TSV`));
    let windows: string[][] = [];
    await waitFor(
      async () => {
        windows = tsv(await q('SELECT toString(w), k, min(c), max(c) FROM table(per_second) GROUP BY w, k ORDER BY w, k FORMAT TSV'));
        return JSON.stringify(windows) === JSON.stringify(perSecond);
      },
      60_000,
      'every window to be emitted',
    ).catch((e: Error) => {
      const diff = windows.filter((w, i) => JSON.stringify(w) !== JSON.stringify(perSecond[i])).slice(0, 5);
      throw new Error(`${e.message}: ${windows.length} windows vs ${perSecond.length}; first differences ${JSON.stringify(diff)}`);
    });
    const [status, starts] = tsv(await q("SELECT status, starts FROM system.materialized_views WHERE name = 'per_key' FORMAT TSV"))[0]!;
    expect(status).toBe('running');
    expect(Number(starts)).toBe(1);
    await server.kill('SIGTERM');
  });
});
