import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** A filter on the time or primary key reads only the granules that can match (read_rows in the summary). */
describe('range filters skip granules', () => {
  let s: TestServer;
  const rows = 200_000;
  beforeAll(async () => {
    s = await startTestServer();
    await s.query('CREATE TABLE g (ts DateTime, id UInt32, v Float64) ENGINE = MergeTree ORDER BY ts');
    await s.query(`INSERT INTO g SELECT toDateTime('2024-01-01 00:00:00', 'UTC') + number * 10, number, number / 2 FROM numbers(${rows})`);
    await s.query('OPTIMIZE TABLE g FINAL');
  });
  afterAll(async () => {
    await s?.stop();
  });

  async function readRows(sql: string): Promise<{ body: string; read: number }> {
    const r = await s.raw(sql, { wait_end_of_query: '1' });
    expect(r.status, r.body).toBe(200);
    const summary = JSON.parse(r.headers.get('x-clickhouse-summary') ?? '{}') as { read_rows?: string };
    return { body: r.body.trim(), read: Number(summary.read_rows) };
  }

  it('a 0.5% time range reads a small fraction of the rows and gives the right answer', async () => {
    const { body, read } = await readRows("SELECT count(), min(id), max(id) FROM g WHERE ts >= '2024-01-02 00:00:00' AND ts < '2024-01-02 02:46:40'");
    expect(body).toBe('1000\t8640\t9639');
    expect(read).toBeGreaterThanOrEqual(1000);
    expect(read).toBeLessThan(rows / 4);
  });

  it('without a usable bound everything is read', async () => {
    const { body, read } = await readRows('SELECT count() FROM g WHERE v >= 0');
    expect(body).toBe(String(rows));
    expect(read).toBe(rows);
  });

  it('an alias that shadows the key column is not taken for a bound', async () => {
    const { body } = await readRows("SELECT ts + 86400 AS ts FROM g WHERE ts = toDateTime('2024-01-02 00:00:00', 'UTC') FORMAT TSV");
    expect(body).toBe('2024-01-02 00:00:00');
  });
});
