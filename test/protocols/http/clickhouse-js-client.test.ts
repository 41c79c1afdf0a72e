import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './http-test-client.js';

/** The real @clickhouse/client against the HTTP server, the fake engine and the real format registry. */
let server: TestServer;
let client: ClickHouseClient;
beforeAll(async () => {
  server = await startTestServer(undefined, { formats: undefined });
  client = createClient({ url: `http://127.0.0.1:${server.port}`, username: 'alice', password: 'secret', log: { level: ClickHouseLogLevel.OFF } });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

describe('@clickhouse/client', () => {
  it('pings', async () => {
    const r = await client.ping();
    expect(r.success).toBe(true);
  });

  it('queries in JSONEachRow', async () => {
    const rs = await client.query({ query: 'SELECT number FROM numbers(5)', format: 'JSONEachRow', query_id: 'js-1' });
    expect(rs.query_id).toBe('js-1');
    expect(await rs.json()).toEqual([{ number: '0' }, { number: '1' }, { number: '2' }, { number: '3' }, { number: '4' }]);
    const sent = server.engine.queries.at(-1)!;
    expect(sent.sql).toMatch(/^SELECT number FROM numbers\(5\)\s*\nFORMAT JSONEachRow$/);
    expect(sent.user).toBe('alice');
  });

  it('passes query parameters and settings', async () => {
    const rs = await client.query({
      query: "SELECT param('id')", format: 'JSONEachRow', query_params: { id: 42 }, clickhouse_settings: { max_threads: 3 },
    });
    expect(await rs.json()).toEqual([{ value: '42' }]);
    expect(server.engine.queries.at(-1)!.settings['max_threads']).toBe('3');
  });

  it('inserts', async () => {
    await client.insert({ table: 'events', values: [{ a: 1, b: 'x' }, { a: 2, b: 'y' }], format: 'JSONEachRow' });
    const ins = server.engine.inserts.at(-1)!;
    expect(ins.sql).toMatch(/^INSERT INTO events/);
    expect(ins.format).toBe('JSONEachRow');
    expect(ins.text).toBe('{"a":1,"b":"x"}\n{"a":2,"b":"y"}\n');
  });

  it('streams a large result', async () => {
    const rs = await client.query({ query: 'SELECT number FROM numbers(200000)', format: 'JSONEachRow' });
    let n = 0;
    for await (const rows of rs.stream()) n += rows.length;
    expect(n).toBe(200000);
  });

  it('surfaces server errors with their code', async () => {
    await expect(client.query({ query: 'SELECT missing', format: 'JSONEachRow' })).rejects.toMatchObject({
      code: '60', type: 'UNKNOWN_TABLE',
    });
  });

  it('detects an exception in the middle of a stream', async () => {
    const rs = await client.query({ query: 'SELECT fail_after(400)', format: 'JSONEachRow', clickhouse_settings: { buffer_size: '1000' } as never });
    let error: unknown;
    let rows = 0;
    try {
      for await (const batch of rs.stream()) rows += batch.length;
    } catch (e) {
      error = e;
    }
    expect(rows).toBeGreaterThan(0);
    expect(error).toMatchObject({ code: '395', type: 'FUNCTION_THROW_IF_VALUE_IS_NON_ZERO' });
  });

  it('works with response and request compression', async () => {
    const c = createClient({
      url: `http://127.0.0.1:${server.port}`, compression: { response: true, request: true },
    });
    try {
      const rs = await c.query({ query: 'SELECT number FROM numbers(3)', format: 'JSONEachRow' });
      expect(await rs.json()).toEqual([{ number: '0' }, { number: '1' }, { number: '2' }]);
      await c.insert({ table: 't', values: [{ a: 1 }], format: 'JSONEachRow' });
      expect(server.engine.inserts.at(-1)!.text).toBe('{"a":1}\n');
    } finally {
      await c.close();
    }
  });

  it('keeps session state with session_id', async () => {
    const c = createClient({ url: `http://127.0.0.1:${server.port}`, session_id: 'js-session' });
    try {
      await c.command({ query: 'SET max_threads = 6' });
      const rs = await c.query({ query: "SELECT getSetting('max_threads')", format: 'JSONEachRow' });
      expect(await rs.json()).toEqual([{ value: '6' }]);
    } finally {
      await c.close();
    }
  });
});
