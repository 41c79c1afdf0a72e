import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Bad input from a client gets a ClickHouse-style error (code in X-ClickHouse-Exception-Code, text in the
 * body); the server, new connections and every acknowledged row stay intact.
 */
describe('bad input over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    await s.query('CREATE TABLE kept (id UInt32, name String) ENGINE = MergeTree ORDER BY id');
    const r = await s.raw('1,"a"\n2,"b"\n3,"c"\n', { query: 'INSERT INTO kept FORMAT CSV' });
    expect(r.status, r.body).toBe(200);
  });
  afterAll(async () => {
    await s?.stop();
  });

  async function expectError(sql: string, params: Record<string, string>, code: number, body?: string) {
    const r = await s.raw(body === undefined ? sql : body, body === undefined ? params : { ...params, query: sql });
    expect(r.headers.get('x-clickhouse-exception-code'), r.body).toBe(String(code));
    expect(r.body).toMatch(new RegExp(`Code: ${code}\\. DB::Exception`));
    // A fresh connection still works, and the acknowledged rows are all there.
    const ok = await fetch(s.url + '?query=' + encodeURIComponent('SELECT count(), sum(id) FROM kept'), { headers: { connection: 'close' } });
    expect(await ok.text()).toBe('3\t6\n');
  }

  it('malformed SQL → SYNTAX_ERROR 62', () => expectError('SELECT FROM FROM', {}, 62));
  it('unknown table → 60', () => expectError('SELECT * FROM nope', {}, 60));
  it('unknown format → 73', () => expectError('SELECT 1 FORMAT NoSuchFormat', {}, 73));
  it('wrong type in CSV data → a parse error', async () => {
    const r = await s.raw('x,"a"\n', { query: 'INSERT INTO kept FORMAT CSV' });
    expect(Number(r.headers.get('x-clickhouse-exception-code'))).toBeGreaterThan(0);
    expect((await s.query('SELECT count() FROM kept')).trim()).toBe('3');
  });
  it('truncated RowBinary → CANNOT_READ_ALL_DATA 33', () => expectError('INSERT INTO kept FORMAT RowBinary', {}, 33, '\x01\x00'));
  it('invalid UTF-8 in the query text is an error, not a crash', async () => {
    const r = await s.raw(Buffer.from([0x53, 0x45, 0x4c, 0xff, 0xfe, 0x20, 0x31]) as unknown as string);
    expect(r.headers.get('x-clickhouse-exception-code')).not.toBeNull();
    expect((await s.query('SELECT 1')).trim()).toBe('1');
  });
  it('a 100 MB garbage body gets an error and the server stays up', async () => {
    const garbage = randomBytes(100 * 1024 * 1024);
    const r = await s.raw(garbage as unknown as string, { query: 'INSERT INTO kept FORMAT RowBinary' });
    expect(r.headers.get('x-clickhouse-exception-code')).not.toBeNull();
    expect((await s.query('SELECT count() FROM kept')).trim()).toBe('3');
  }, 120_000);
  it('an oversized query text → QUERY_IS_TOO_LARGE or SYNTAX_ERROR', async () => {
    const r = await s.raw('SELECT ' + '1+'.repeat(400_000) + '1', { max_query_size: '1000' });
    expect(['62', '229', '167']).toContain(r.headers.get('x-clickhouse-exception-code'));
    expect((await s.query('SELECT 1')).trim()).toBe('1');
  });
});
