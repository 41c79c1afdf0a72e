import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Binary formats out and back in through real HTTP requests: Parquet, Arrow, Native, RowBinary. */
describe('binary formats round trip over HTTP', () => {
  let s: TestServer;
  const source =
    "SELECT number AS id, toString(number) AS name, toDate('2024-01-01') + number AS d, " +
    "toDateTime64('2024-01-01 00:00:00.123', 3, 'UTC') + number AS ts, if(number % 2, number / 2, NULL) AS x FROM numbers(1000)";
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.stop();
  });

  it.each(['Parquet', 'Arrow', 'ArrowStream', 'Native', 'RowBinaryWithNamesAndTypes'])('%s', async (format) => {
    const table = `rt_${format.toLowerCase()}`;
    await s.query(`CREATE TABLE ${table} (id UInt64, name String, d Date, ts DateTime64(3, 'UTC'), x Nullable(Float64)) ENGINE = Memory`);
    const out = await fetch(s.url, { method: 'POST', body: `${source} FORMAT ${format}` });
    expect(out.status).toBe(200);
    const bytes = new Uint8Array(await out.arrayBuffer());
    const ins = await fetch(`${s.url}?query=${encodeURIComponent(`INSERT INTO ${table} FORMAT ${format}`)}`, { method: 'POST', body: bytes });
    expect(ins.status, await ins.text()).toBe(200);
    const back = await s.query(`SELECT count(), sum(id), sum(length(name)), max(d), max(ts), sum(x), countIf(x IS NULL) FROM ${table}`);
    const want = await s.query(`SELECT count(), sum(id), sum(length(name)), max(d), max(ts), sum(x), countIf(x IS NULL) FROM (${source})`);
    expect(back).toBe(want);
  });
});
