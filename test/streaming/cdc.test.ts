import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startChildServer, waitFor, type ChildServer } from '../helpers/child-server.js';
import { ensureBuilt } from '../helpers/ensure-built.js';

/**
 * CDC into a versioned_kv stream: 100,000 keys receive 1,000,000 updates and deletes (a key may move between
 * regions, so a change retracts from one group and adds to another). A materialized view keeps the sum and count
 * per region. After each phase of 100,000 changes the view's latest emission equals a historical
 * recomputation over `table(cdc)` (each key's latest live version); midway the server is SIGKILLed during a
 * phase and restarted from the view's checkpoint. Amounts are integers, so sums compare exactly.
 */
const KEYS = 100_000;
const PHASES = 10;
const PER_PHASE = 100_000;
const BATCH = 10_000;
const REGIONS = 10;

function tsv(body: string): string[][] {
  return body.split('\n').filter((l) => l.length).map((l) => l.split('\t'));
}

/** A deterministic generator, so a failure reproduces. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('CDC into a versioned_kv stream', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hadron-cdc-'));
  beforeAll(ensureBuilt, 240_000);
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('a retracting sum per region equals the recomputation after every phase, across a SIGKILL', { timeout: 300_000 }, async () => {
    const port = await freePort();
    let server: ChildServer = await startChildServer(dataDir, port);
    const q = async (sql: string, body?: string): Promise<string> => {
      const r = await server.query(sql, {}, body);
      if (r.code !== null || r.status !== 200) throw new Error(`${sql}: ${r.body}`);
      return r.body;
    };
    await q("CREATE STREAM cdc (id UInt32, region UInt8, amount UInt32, ver UInt64) PRIMARY KEY id SETTINGS mode='versioned_kv', version_column='ver'");
    await q('CREATE MATERIALIZED VIEW per_region AS SELECT region, sum(amount) AS total, count() AS n, emit_version() AS v FROM cdc GROUP BY region EMIT PERIODIC 200ms');
    const truth = async (): Promise<string[][]> => tsv(await q('SELECT region, sum(amount), count() FROM table(cdc) GROUP BY region ORDER BY region FORMAT TSV'));
    const latest = async (): Promise<string[][]> =>
      // The last emission written (re-emitted versions after a restart are written later than the lost ones).
      tsv(await q('SELECT region, arg_max(total, (_tp_time, v)), arg_max(n, (_tp_time, v)) FROM table(per_region) GROUP BY region ORDER BY region FORMAT TSV'));
    const checkpointSn = async (): Promise<number> => Number(tsv(await q("SELECT checkpoint_sn FROM system.materialized_views WHERE name = 'per_region' FORMAT TSV"))[0]?.[0] ?? -1);

    const rand = lcg(42);
    let ver = 0;
    let deletes = 0;
    const batch = (): string => {
      const rows: string[] = [];
      for (let i = 0; i < BATCH; i++) {
        const id = Math.floor(rand() * KEYS);
        // One change in ten deletes its key (a no-op if the key is absent); the rest insert or update it.
        const del = rand() < 0.1;
        if (del) deletes++;
        rows.push(`${id},${Math.floor(rand() * REGIONS)},${Math.floor(rand() * 1000)},${++ver},${del ? -1 : 1}`);
      }
      return rows.join('\n') + '\n';
    };
    const send = async (body: string): Promise<void> => {
      // Retried until acknowledged: a batch that landed before a crash lands again with the same versions,
      // which replaces each key with the same row.
      for (;;) {
        try {
          const r = await server.query('INSERT INTO cdc (id, region, amount, ver, _tp_delta) FORMAT CSV', {}, body);
          if (r.status === 200 && r.code === null) return;
        } catch {
          /* down */
        }
        await new Promise((r) => setTimeout(r, 20));
      }
    };

    let killed = false;
    for (let phase = 0; phase < PHASES; phase++) {
      for (let b = 0; b < PER_PHASE / BATCH; b++) {
        const body = batch();
        if (phase === 4 && b === 5 && !killed) {
          // Mid-phase: once the view has checkpointed part of this phase, kill the server while a batch is in flight.
          const cp = await checkpointSn();
          await send(body);
          await waitFor(async () => (await checkpointSn()) > cp, 60_000, 'a checkpoint within the phase');
          const inFlight = send(batch());
          await server.kill('SIGKILL');
          killed = true;
          server = await startChildServer(dataDir, port);
          await inFlight;
          continue;
        }
        await send(body);
      }
      const want = await truth();
      expect(want.length).toBe(REGIONS);
      let got: string[][] = [];
      await waitFor(
        async () => {
          got = await latest();
          return JSON.stringify(got) === JSON.stringify(want);
        },
        60_000,
        `phase ${phase}: the view to equal the recomputation`,
      ).catch((e: Error) => {
        throw new Error(`${e.message}: view ${JSON.stringify(got)}, recomputed ${JSON.stringify(want)}`);
      });
    }
    expect(killed).toBe(true);
    expect(deletes).toBeGreaterThan(50_000);
    // Every key that was ever inserted and not deleted last is live: far fewer rows than changes.
    const live = Number(tsv(await q('SELECT count() FROM table(cdc) FORMAT TSV'))[0]![0]);
    expect(live).toBeGreaterThan(KEYS / 2);
    expect(live).toBeLessThanOrEqual(KEYS);
    const [status] = tsv(await q("SELECT status FROM system.materialized_views WHERE name = 'per_region' FORMAT TSV"))[0]!;
    expect(status).toBe('running');
    await server.kill('SIGTERM');
  });
});
