import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, streamRows, type EngineHarness, type StreamedRows } from '../helpers/engine-harness.js';

/**
 * Tumble / hop / session windows over a live stream with out-of-order and late events. Expectations are worked
 * out by hand in the comments. Each case ends with a far-future sentinel event, whose window closes nothing of
 * interest but proves every earlier emission has arrived (emissions are ordered).
 */
let h: EngineHarness;

beforeAll(async () => {
  h = await startEngine('windows');
});

afterAll(() => h.close());

const exec = (sql: string): Promise<void> => h.exec(sql);

/** Starts a streaming query; rows arrive in `rows` as they are emitted. */
const stream = (sql: string): Promise<StreamedRows> => streamRows(h, sql);

const at = (s: number): string => `'2024-01-01 00:00:${String(Math.floor(s)).padStart(2, '0')}.${String(Math.round((s % 1) * 1000)).padStart(3, '0')}'`;
const insert = (name: string, events: [string, number][]): Promise<void> => exec(`INSERT INTO ${name} (k, ts) VALUES ${events.map(([k, s]) => `('${k}', ${at(s)})`).join(', ')}`);

const BATCHES: [string, number][][] = [
  [['a', 1], ['b', 3], ['a', 4]],
  [['a', 6]],
  [['b', 2]], // late for every window that contained it
  [['a', 5.5], ['b', 7], ['a', 5]], // out of order within the open window
  [['a', 12]],
];

describe('streaming windows', () => {
  it('tumble(5s): each window once, when the watermark passes its end; late events dropped', async () => {
    await exec('CREATE STREAM tw (k string, ts datetime64(3))');
    const q = await stream('SELECT window_start, k, count() FROM tumble(tw, ts, 5s) GROUP BY window_start, k ORDER BY window_start, k');
    try {
      // Nothing is emitted while window [0,5) is open.
      await insert('tw', BATCHES[0]!);
      // a@6 moves the watermark to 6: [0,5) closes with a: 1, 4 and b: 3.
      await insert('tw', BATCHES[1]!);
      await q.waitFor((r) => r.length >= 2);
      // b@2 is late ([0,5) is closed) and dropped; a@5.5, b@7, a@5 join [5,10); a@12 closes [5,10).
      for (const b of BATCHES.slice(2)) await insert('tw', b);
      await insert('tw', [['z', 40]]); // closes [10,15) holding a@12
      await q.waitFor((r) => r.some((x) => x[0] === '2024-01-01 00:00:10.000'));
      expect(q.rows).toEqual([
        ['2024-01-01 00:00:00.000', 'a', '2'],
        ['2024-01-01 00:00:00.000', 'b', '1'],
        ['2024-01-01 00:00:05.000', 'a', '3'],
        ['2024-01-01 00:00:05.000', 'b', '1'],
        ['2024-01-01 00:00:10.000', 'a', '1'],
      ]);
      // The dropped event is counted where operators can see it.
      const r = await h.session().execute({ sql: "SELECT late_events FROM system.processes WHERE query LIKE '%tumble(tw, ts, 5s)%' AND query NOT LIKE '%system.processes%'" });
      const late: unknown[][] = [];
      for await (const b of r.blocks) late.push(...b.toRows());
      expect(late.map((x) => Number(x[0]))).toEqual([1]);
    } finally {
      q.stop();
    }
  });

  it('hop(2s, 4s): every window containing an event, closed in order, late replicas dropped', async () => {
    await exec('CREATE STREAM hw (k string, ts datetime64(3))');
    const q = await stream('SELECT window_start, window_end, k, count() FROM hop(hw, ts, 2s, 4s) GROUP BY window_start, window_end, k ORDER BY window_start, k');
    try {
      // Batch 1 (a@1, b@3, a@4) moves the watermark to 4: [-2,2) {a@1} and [0,4) {a@1, b@3} close at once.
      await insert('hw', BATCHES[0]!);
      await q.waitFor((r) => r.length >= 3);
      // a@6 → watermark 6: [2,6) {b@3, a@4} closes.
      await insert('hw', BATCHES[1]!);
      await q.waitFor((r) => r.length >= 5);
      // b@2 belongs to [0,4) and [2,6), both closed: dropped. a@5.5 and a@5 are late for [2,6) but count in [4,8).
      // a@12 → watermark 12: [4,8) {a@4, a@6, a@5.5, a@5, b@7}, [6,10) {a@6, b@7}, [8,12) {} close.
      for (const b of BATCHES.slice(2)) await insert('hw', b);
      await insert('hw', [['z', 40]]); // closes [10,14) and [12,16), each {a@12}
      await q.waitFor((r) => r.some((x) => x[0] === '2024-01-01 00:00:12.000'));
      const s = (n: number): string => (n < 0 ? `2023-12-31 23:59:${60 + n}.000` : `2024-01-01 00:00:${String(n).padStart(2, '0')}.000`);
      expect(q.rows).toEqual([
        [s(-2), s(2), 'a', '1'],
        [s(0), s(4), 'a', '1'],
        [s(0), s(4), 'b', '1'],
        [s(2), s(6), 'a', '1'],
        [s(2), s(6), 'b', '1'],
        [s(4), s(8), 'a', '4'],
        [s(4), s(8), 'b', '1'],
        [s(6), s(10), 'a', '1'],
        [s(6), s(10), 'b', '1'],
        [s(10), s(14), 'a', '1'],
        [s(12), s(16), 'a', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('a WHERE on window_end that drops a whole block still closes the windows its events moved the watermark past', async () => {
    // Proton's 0000_smoke_case:21: the watermark comes from every event, before WHERE.
    await exec('CREATE STREAM fw (k string, ts datetime64(3))');
    const q = await stream(`SELECT window_end, k, count() FROM hop(fw, ts, 2s, 5s) WHERE window_end < ${at(9)} GROUP BY window_end, k`);
    const s = (n: number): string => `2024-01-01 00:00:${String(n).padStart(2, '0')}.000`;
    try {
      // Windows [2j, 2j+5). Watermark 3: [-2,3) closes with a@1, a@2.
      await insert('fw', [['a', 1], ['b', 3], ['a', 2]]);
      await q.waitFor((r) => r.length >= 1);
      // Watermark 6: [0,5) closes with a@1, a@2, a@4 and b@3.
      await insert('fw', [['a', 4], ['c', 6]]);
      await q.waitFor((r) => r.length >= 3);
      // Every window of these events ends at 9 or later, so WHERE drops the whole block; the watermark is 9 all
      // the same and [2,7) closes with a@2, a@4, b@3, c@6.
      await insert('fw', [['d', 9], ['d', 8], ['e', 7]]);
      await q.waitFor((r) => r.length >= 6);
      expect([...q.rows].sort()).toEqual([
        [s(3), 'a', '2'],
        [s(5), 'a', '3'],
        [s(5), 'b', '1'],
        [s(7), 'a', '2'],
        [s(7), 'b', '1'],
        [s(7), 'c', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('EMIT AFTER WATERMARK WITH DELAY keeps a window open for late events', async () => {
    await exec('CREATE STREAM dw (k string, ts datetime64(3))');
    const q = await stream('SELECT window_start, count() FROM tumble(dw, ts, 5s) GROUP BY window_start EMIT AFTER WATERMARK WITH DELAY 3s');
    try {
      // Watermark = max event time − 3s. a@6 → watermark 3: [0,5) stays open, so b@2 still counts.
      await insert('dw', [['a', 1], ['a', 6]]);
      await insert('dw', [['b', 2]]);
      // a@9 → watermark 6 ≥ 5: [0,5) closes with a@1 and b@2.
      await insert('dw', [['a', 9]]);
      await insert('dw', [['z', 40]]);
      await q.waitFor((r) => r.length >= 2);
      expect(q.rows.slice(0, 2)).toEqual([
        ['2024-01-01 00:00:00.000', '2'],
        ['2024-01-01 00:00:05.000', '2'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('session(5s): per key, an idle gap or the maximum length (5 × timeout) closes a session', async () => {
    await exec('CREATE STREAM sw (k string, ts datetime64(3))');
    const q = await stream('SELECT k, window_start, window_end, count() FROM session(sw, ts, 5s) PARTITION BY k GROUP BY window_start, window_end');
    try {
      // a: 0.262 and 5.261 are 4.999 s apart (one session); 10.263 comes 5.002 s after the last event: the
      // session [0.262, 5.261 + 5s] closes and a new one starts. b@1 stays open while a's events arrive.
      await insert('sw', [['a', 0.262], ['b', 1], ['a', 5.261]]);
      await insert('sw', [['a', 10.263]]);
      await q.waitFor((r) => r.length >= 1);
      // a@20 is 9.737 s after 10.263: [10.263, 15.263] closes. b@30 is past b's start + 25 s: [1, 26] closes.
      await insert('sw', [['a', 20], ['b', 30]]);
      await q.waitFor((r) => r.length >= 3);
      expect(q.rows).toEqual([
        ['a', '2024-01-01 00:00:00.262', '2024-01-01 00:00:10.261', '2'],
        ['a', '2024-01-01 00:00:10.263', '2024-01-01 00:00:15.263', '1'],
        ['b', '2024-01-01 00:00:01.000', '2024-01-01 00:00:26.000', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('session(2s): an event older than its substream’s latest one is late and dropped, also within one block', async () => {
    await exec('CREATE STREAM sl (k string, ts datetime64(3))');
    const q = await stream('SELECT k, window_start, window_end, count() FROM session(sl, ts, 2s) PARTITION BY k GROUP BY window_start, window_end');
    try {
      // a@1.263 comes after a@2.262 and b@1.263 after b@2.262: both late (Proton stamps a session's watermark per row).
      await insert('sl', [['a', 1.262], ['b', 2.262], ['a', 2.262], ['a', 1.263], ['b', 1.263]]);
      await insert('sl', [['a', 10], ['b', 10]]);
      await q.waitFor((r) => r.length >= 2);
      expect([...q.rows].sort()).toEqual([
        ['a', '2024-01-01 00:00:01.262', '2024-01-01 00:00:04.262', '2'],
        ['b', '2024-01-01 00:00:02.262', '2024-01-01 00:00:04.262', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('session windows with EMIT ON UPDATE emit the open session’s changed groups after each block', async () => {
    // Proton's 0034_emit_mode: an open session's window_end is just past its latest event.
    await exec('CREATE STREAM su (k string, ts datetime64(3))');
    const q = await stream('SELECT window_start, window_end, k, count() FROM session(su, ts, 5s) GROUP BY window_start, window_end, k EMIT ON UPDATE');
    const t = (s: string): string => `2024-01-01 00:00:${s}`;
    try {
      await insert('su', [['a', 1], ['b', 1]]);
      await q.waitFor((r) => r.length >= 2);
      // Only a changed.
      await insert('su', [['a', 2]]);
      await q.waitFor((r) => r.length >= 3);
      // 40 is past the idle timeout: the session closes with nothing left unemitted, and z's session opens.
      await insert('su', [['z', 40]]);
      await q.waitFor((r) => r.length >= 4);
      expect(q.rows.slice(0, 2).sort()).toEqual([
        [t('01.000'), t('01.001'), 'a', '1'],
        [t('01.000'), t('01.001'), 'b', '1'],
      ]);
      expect(q.rows.slice(2)).toEqual([
        [t('01.000'), t('02.001'), 'a', '2'],
        [t('40.000'), t('40.001'), 'z', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('session windows with EMIT PERIODIC emit the open session whole when it changed since the last tick', async () => {
    await exec('CREATE STREAM sp (k string, ts datetime64(3))');
    const q = await stream('SELECT window_start, window_end, k, count() FROM session(sp, ts, 5s) GROUP BY window_start, window_end, k EMIT PERIODIC 100ms');
    const t = (s: string): string => `2024-01-01 00:00:${s}`;
    try {
      await insert('sp', [['a', 1]]);
      await q.waitFor((r) => r.length >= 1);
      await insert('sp', [['a', 2], ['b', 3]]);
      await q.waitFor((r) => r.length >= 3);
      expect(q.rows[0]).toEqual([t('01.000'), t('01.001'), 'a', '1']);
      expect(q.rows.slice(1).sort()).toEqual([
        [t('01.000'), t('03.001'), 'a', '2'],
        [t('01.000'), t('03.001'), 'b', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('session windows over many substreams: results stay right once emitted sessions’ state slots are reclaimed', async () => {
    await exec('CREATE STREAM sc (k uint32, v uint64, ts datetime64(3))');
    const q = await stream('SELECT k, window_start, sum(v) FROM session(sc, ts, 1s) PARTITION BY k GROUP BY window_start, window_end');
    const keys = 1000;
    const rounds = 8; // sessions 1..7 close (7000 slots: reclaimed once 4096 and 4 × the 1000 open ones are passed)
    try {
      for (let r = 1; r <= rounds; r++) {
        await exec(`INSERT INTO sc (k, v, ts) SELECT number, ${r} * 10000 + number, '2024-01-01 00:0${r}:00' FROM numbers(${keys})`);
      }
      await q.waitFor((rows) => rows.length >= keys * (rounds - 1));
      expect(q.rows.length).toBe(keys * (rounds - 1));
      const bad = q.rows.filter(([k, start, sum]) => Number(sum) !== Number(start!.slice(15, 16)) * 10000 + Number(k));
      expect(bad.slice(0, 3)).toEqual([]);
    } finally {
      q.stop();
    }
  });

  it('EMIT PERIODIC over windows emits the windows that changed since the last tick, and each window when it closes', async () => {
    await exec('CREATE STREAM pw (k string, ts datetime64(3))');
    const q = await stream('SELECT window_start, count() FROM tumble(pw, ts, 10s) GROUP BY window_start EMIT PERIODIC 50ms');
    try {
      const w = (s: number): string => `2024-01-01 00:00:${String(s).padStart(2, '0')}.000`;
      await insert('pw', [['a', 0]]);
      await q.waitFor((r) => r.length >= 1); // the tick after the insert: [0,10) with 1
      await insert('pw', [['a', 5]]);
      await q.waitFor((r) => r.length >= 2); // [0,10) changed: 2
      // a@10 closes [0,10) (emitted whole, at once) and opens [10,20) (emitted by the next tick).
      await insert('pw', [['a', 10]]);
      await q.waitFor((r) => r.length >= 4);
      // Ticks without changes emit nothing: the next row is the one b@11 causes.
      await insert('pw', [['b', 11]]);
      await q.waitFor((r) => r.length >= 5);
      expect(q.rows).toEqual([
        [w(0), '1'],
        [w(0), '2'],
        [w(0), '2'],
        [w(10), '1'],
        [w(10), '2'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('EMIT ON UPDATE over windows emits the changed groups after each block; closing a window adds nothing', async () => {
    await exec('CREATE STREAM uw (k string, ts datetime64(3))');
    const q = await stream('SELECT window_start, k, count() FROM tumble(uw, ts, 10s) GROUP BY window_start, k EMIT ON UPDATE');
    try {
      const w = (s: number): string => `2024-01-01 00:00:${String(s).padStart(2, '0')}.000`;
      await insert('uw', [['a', 0], ['b', 1]]);
      await q.waitFor((r) => r.length >= 2);
      await insert('uw', [['a', 5]]); // only a changed
      await q.waitFor((r) => r.length >= 3);
      await insert('uw', [['a', 12]]); // closes [0,10) silently, opens [10,20)
      await q.waitFor((r) => r.length >= 4);
      expect(q.rows).toEqual([
        [w(0), 'a', '1'],
        [w(0), 'b', '1'],
        [w(0), 'a', '2'],
        [w(10), 'a', '1'],
      ]);
    } finally {
      q.stop();
    }
  });

  it('PARTITION BY gives each substream its own watermark', async () => {
    await exec('CREATE STREAM sub (k string, ts datetime64(3))');
    const q = await stream('SELECT k, window_start, count() FROM tumble(sub, ts, 5s) PARTITION BY k GROUP BY window_start');
    try {
      const w = (s: number): string => `2024-01-01 00:00:${String(s).padStart(2, '0')}.000`;
      await insert('sub', [['a', 1], ['b', 2]]);
      // a@6 closes a's [0,5) only: b's watermark is still 2.
      await insert('sub', [['a', 6]]);
      await q.waitFor((r) => r.length >= 1);
      // b@3 is on time for b, though a's watermark is past 5; b@7 then closes b's [0,5) with 2 events.
      await insert('sub', [['b', 3]]);
      await insert('sub', [['b', 7]]);
      await q.waitFor((r) => r.length >= 2);
      // a@2 is late for a (dropped); a@11 closes a's [5,10) holding a@6 alone.
      await insert('sub', [['a', 2]]);
      await insert('sub', [['a', 11]]);
      await q.waitFor((r) => r.length >= 3);
      expect(q.rows).toEqual([
        ['a', w(0), '1'],
        ['b', w(0), '2'],
        ['a', w(5), '1'],
      ]);
    } finally {
      q.stop();
    }
  });
});
