import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { q, request, startTestServer, type TestServer } from './http-test-client.js';

/** The HTTP server with the engine's real format registry (the default when no formats are given). */
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(undefined, { formats: undefined });
});
afterAll(async () => {
  await server.close();
});

describe('real output formats', () => {
  it('writes TabSeparated by default', async () => {
    const r = await request(server.port, { path: q('SELECT number FROM numbers(3)') });
    expect(r.text()).toBe('0\n1\n2\n');
    expect(r.headers['x-clickhouse-format']).toBe('TabSeparated');
    expect(r.headers['content-type']).toContain('text/tab-separated-values');
  });

  it('writes JSON with meta, data, rows and statistics', async () => {
    const r = await request(server.port, { path: q('SELECT number FROM numbers(2) FORMAT JSON') });
    expect(r.headers['content-type']).toContain('application/json');
    const json = JSON.parse(r.text()) as { meta: unknown[]; data: unknown[]; rows: number; statistics: Record<string, number> };
    expect(json.meta).toEqual([{ name: 'number', type: 'UInt64' }]);
    expect(json.data).toEqual([{ number: '0' }, { number: '1' }]);
    expect(json.rows).toBe(2);
    expect(typeof json.statistics.elapsed).toBe('number');
  });

  it('resolves aliases case-insensitively and accepts FORMAT Null', async () => {
    expect((await request(server.port, { path: q('SELECT 1', 'default_format=tsv') })).text()).toBe('1\n');
    const n = await request(server.port, { path: q('SELECT number FROM numbers(1000) FORMAT Null') });
    expect(n.status).toBe(200);
    expect(n.body.length).toBe(0);
  });

  it('reports an unknown format as 73', async () => {
    const r = await request(server.port, { path: q('SELECT 1 FORMAT Nope') });
    expect(r.status).toBe(404);
    expect(r.headers['x-clickhouse-exception-code']).toBe('73');
  });
});
