import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildServer, waitFor, type ChildServer } from '../helpers/child-server.js';

/**
 * SIGKILL during a sustained multi-client insert: every acknowledged row survives exactly once and no
 * block is half there. Batches carry their own id so a torn insert would show as a partial batch.
 */
const CLIENTS = 4;
const BATCH = 500;

describe('durability across SIGKILL', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hadron-durability-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps every acknowledged row of streams and MergeTree tables', async () => {
    let server: ChildServer = await startChildServer(dataDir);
    for (const ddl of [
      'CREATE STREAM ev (client UInt32, batch UInt32, seq UInt32, payload String)',
      'CREATE TABLE mt (client UInt32, batch UInt32, seq UInt32, payload String) ENGINE = MergeTree ORDER BY (client, batch, seq)',
    ]) {
      const r = await server.query(ddl);
      expect(r.code, r.body).toBeNull();
    }
    const acked = new Map<string, Set<string>>([
      ['ev', new Set()],
      ['mt', new Set()],
    ]);
    let nextBatch = 0;

    for (let round = 0; round < 3; round++) {
      let stop = false;
      let ackedThisRound = 0;
      const loops = Array.from({ length: CLIENTS }, async (_, client) => {
        while (!stop) {
          const batch = nextBatch++;
          const table = batch % 2 ? 'ev' : 'mt';
          const rows: string[] = [];
          for (let seq = 0; seq < BATCH; seq++) rows.push(`${client},${batch},${seq},"row ${client}-${batch}-${seq}"`);
          try {
            const r = await server.query(`INSERT INTO ${table} (client, batch, seq, payload) FORMAT CSV`, {}, rows.join('\n') + '\n');
            if (r.status === 200 && r.code === null) {
              acked.get(table)!.add(`${client}:${batch}`);
              ackedThisRound++;
            }
          } catch {
            // The connection died with the server: this batch was not acknowledged.
          }
        }
      });
      await waitFor(() => ackedThisRound >= 40, 60_000, 'inserts to be acknowledged');
      await server.kill('SIGKILL');
      stop = true;
      await Promise.all(loops);
      server = await startChildServer(dataDir);

      for (const [table, batches] of acked) {
        const r = await server.query(`SELECT client, batch, count(), uniqExact(seq) FROM table(${table}) GROUP BY client, batch FORMAT TSV`);
        expect(r.code, r.body).toBeNull();
        const present = new Map<string, [number, number]>();
        for (const line of r.body.trim().split('\n').filter(Boolean)) {
          const [c, b, n, u] = line.split('\t');
          present.set(`${c}:${b}`, [Number(n), Number(u)]);
        }
        for (const key of batches) {
          expect(present.get(key), `${table} batch ${key} acknowledged but missing`).toEqual([BATCH, BATCH]);
        }
        for (const [key, [n, u]] of present) {
          // Unacknowledged batches may or may not be there, but only whole and only once.
          expect([n, u], `${table} batch ${key} is partial or duplicated`).toEqual([BATCH, BATCH]);
        }
      }
    }
    await server.kill('SIGTERM');
  }, 240_000);
});
