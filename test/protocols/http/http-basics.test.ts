import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { q, request, startTestServer, type TestServer } from './http-test-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('static handlers', () => {
  it('answers Ok. on / and /ping and /replicas_status', async () => {
    for (const path of ['/', '/ping', '/replicas_status']) {
      const r = await request(server.port, { path });
      expect(r.status).toBe(200);
      expect(r.text()).toBe('Ok.\n');
    }
  });

  it('answers HEAD /ping without a body', async () => {
    const r = await request(server.port, { method: 'HEAD', path: '/ping' });
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
  });

  it('serves the play page', async () => {
    const r = await request(server.port, { path: '/play' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/html');
    expect(r.text()).toContain('<textarea');
    expect(r.text()).toContain('FORMAT JSON'.length > 0 ? 'default_format=JSON' : '');
  });
});

describe('queries', () => {
  it('runs GET /?query= with the standard headers', async () => {
    const r = await request(server.port, { path: q('SELECT 1') });
    expect(r.status).toBe(200);
    expect(r.text()).toBe('1\n');
    expect(r.headers['content-type']).toBe('text/tab-separated-values; charset=UTF-8');
    expect(r.headers['x-clickhouse-format']).toBe('TabSeparated');
    expect(r.headers['x-clickhouse-timezone']).toBe('UTC');
    expect(r.headers['x-clickhouse-server-display-name']).toBe('hadron-test');
    expect(r.headers['x-clickhouse-query-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers['x-clickhouse-exception-tag']).toMatch(/^[a-z0-9]{16}$/);
    const summary = JSON.parse(String(r.headers['x-clickhouse-summary'])) as Record<string, string>;
    expect(summary.read_rows).toBe('1');
    expect(summary.result_rows).toBe('1');
    expect(typeof summary.elapsed_ns).toBe('string');
    expect(server.engine.queries.at(-1)?.readonlyRequest).toBe(true);
  });

  it('uses the query_id parameter', async () => {
    const r = await request(server.port, { path: q('SELECT 1', 'query_id=my-query-1') });
    expect(r.headers['x-clickhouse-query-id']).toBe('my-query-1');
    expect(server.engine.queries.at(-1)?.queryId).toBe('my-query-1');
  });

  it('takes the query from a POST body', async () => {
    const r = await request(server.port, { method: 'POST', body: 'SELECT 1' });
    expect(r.status).toBe(200);
    expect(r.text()).toBe('1\n');
    expect(server.engine.queries.at(-1)?.readonlyRequest).toBe(false);
  });

  it('joins the query parameter and the body with a newline', async () => {
    const r = await request(server.port, { method: 'POST', path: q('SELECT'), body: '1' });
    expect(r.text()).toBe('1\n');
    expect(server.engine.queries.at(-1)?.sql).toBe('SELECT\n1');
  });

  it('accepts any Content-Type, even a malformed one', async () => {
    const r = await request(server.port, { method: 'POST', body: 'SELECT 1', headers: { 'Content-Type': '%%%garbage' } });
    expect(r.status).toBe(200);
    const r2 = await request(server.port, { method: 'POST', body: 'SELECT 1', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(r2.text()).toBe('1\n');
  });

  it('runs queries on other paths too', async () => {
    const r = await request(server.port, { method: 'POST', path: '/some/path?database=default', body: 'SELECT 1' });
    expect(r.text()).toBe('1\n');
  });

  it('refuses writes over GET (READONLY, 164)', async () => {
    const r = await request(server.port, { path: q('INSERT INTO t VALUES (1)') });
    expect(r.status).toBe(500);
    expect(r.headers['x-clickhouse-exception-code']).toBe('164');
    expect(r.text()).toMatch(/^Code: 164\. DB::Exception: .*\(READONLY\)\n$/);
  });

  it('picks the format: FORMAT clause > default_format > X-ClickHouse-Format > TabSeparated', async () => {
    let r = await request(server.port, { path: q('SELECT 1', 'default_format=JSONEachRow') });
    expect(r.text()).toBe('{"1":1}\n');
    expect(r.headers['x-clickhouse-format']).toBe('JSONEachRow');
    expect(server.engine.queries.at(-1)?.defaultFormat).toBe('JSONEachRow');
    r = await request(server.port, { path: q('SELECT 1'), headers: { 'X-ClickHouse-Format': 'JSONEachRow' } });
    expect(r.text()).toBe('{"1":1}\n');
    r = await request(server.port, { path: q('SELECT 1 FORMAT TSV', 'default_format=JSONEachRow') });
    expect(r.text()).toBe('1\n');
  });

  it('reports an unknown format with code 73 and 404', async () => {
    const r = await request(server.port, { path: q('SELECT 1 FORMAT NoSuchFormat') });
    expect(r.status).toBe(404);
    expect(r.headers['x-clickhouse-exception-code']).toBe('73');
  });

  it('discards the output of FORMAT Null but runs the query', async () => {
    const r = await request(server.port, { path: q('SELECT number FROM numbers(200000) FORMAT Null') });
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
    const summary = JSON.parse(String(r.headers['x-clickhouse-summary'])) as Record<string, string>;
    expect(summary.read_rows).toBe('200000');
  });

  it('forwards settings and param_ values, keeping reserved parameters out', async () => {
    await request(server.port, {
      path: q('SELECT 1', 'max_result_rows=10&param_id=42&param_name=x%20y&session_timeout=5&compress=0&query_id=abc&database=default&client_protocol_version=54460'),
    });
    const last = server.engine.queries.at(-1)!;
    expect(last.settings).toEqual({ max_result_rows: '10', client_protocol_version: '54460' });
    expect(last.params).toEqual({ id: '42', name: 'x y' });
  });

  it('uses the last value of a repeated parameter', async () => {
    const r = await request(server.port, { path: q("SELECT getSetting('max_threads')", 'max_threads=1&max_threads=3') });
    expect(r.text()).toBe('3\n');
  });

  it('answers an empty POST with a syntax error', async () => {
    const r = await request(server.port, { method: 'POST', body: '' });
    expect(r.status).toBe(400);
    expect(r.headers['x-clickhouse-exception-code']).toBe('62');
    expect(r.text()).toContain('Empty query');
  });

  it('returns an empty body for statements without a result', async () => {
    const r = await request(server.port, { method: 'POST', body: 'CREATE TEMPORARY TABLE t (x UInt8)' });
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
    expect(r.headers['x-clickhouse-format']).toBeUndefined();
    expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(r.headers['x-clickhouse-summary']).toBeDefined();
  });

  it('keeps the connection usable across requests (keep-alive)', async () => {
    const http = await import('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const ports = new Set<number>();
      for (let i = 0; i < 5; i++) {
        const r = await request(server.port, {
          method: 'POST', body: i % 2 === 0 ? 'SELECT 1' : 'SELECT fail(60)', agent,
          onResponse: (req) => ports.add(req.socket?.localPort ?? -1),
        });
        expect(r.status).toBe(i % 2 === 0 ? 200 : 404);
      }
      expect(ports.size).toBe(1);
    } finally {
      agent.destroy();
    }
  });
});

describe('malformed requests', () => {
  it('copes with broken percent-encoding in the URL', async () => {
    const r = await request(server.port, { path: '/?query=SELECT%201%zz&x=%' });
    expect([200, 400, 404]).toContain(r.status);
    expect((await request(server.port, { path: q('SELECT 1') })).text()).toBe('1\n');
  });

  it('accepts a long query in the URL', async () => {
    const r = await request(server.port, { path: q(`SELECT 1 ${' '.repeat(100_000)}`) });
    expect(r.text()).toBe('1\n');
  });
});
