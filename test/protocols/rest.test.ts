import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRestServer, type RestServer } from '../../protocols/rest/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let base: string;

interface Res { status: number; headers: Headers; text: string; json: Record<string, unknown> }

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(base + path, init);
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON (e.g. TSV search output)
  }
  return { status: res.status, headers: res.headers, text, json };
}

function expectError(r: Res, status: number, code: number, message?: RegExp): void {
  expect(r.status).toBe(status);
  expect(Object.keys(r.json).sort()).toEqual(['code', 'error_msg', 'request_id']);
  expect(r.json['code']).toBe(code);
  expect(typeof r.json['request_id']).toBe('string');
  if (message) expect(String(r.json['error_msg'])).toMatch(message);
}

async function countRows(stream: string): Promise<number> {
  return Number((await server.query(`SELECT count() FROM table(${stream})`)).trim());
}

beforeAll(async () => {
  server = await startTestServer({}, ['rest']);
  base = `http://127.0.0.1:${server.server.ports.rest}`;
});
afterAll(async () => {
  await server.stop();
});

describe('ping and info', () => {
  test('GET /proton/ping', async () => {
    const r = await call('GET', '/proton/ping');
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ status: 'UP' });
  });
  test('GET /proton/info reports the build', async () => {
    const r = await call('GET', '/proton/info');
    expect(r.status).toBe(200);
    const build = r.json['build'] as Record<string, unknown>;
    expect(build['version']).toBe(server.server.engine.serverInfo.version);
    expect(build['name']).toBe('proton');
    const s = r.json['server'] as Record<string, unknown>;
    expect(typeof s['uuid']).toBe('string');
    expect(s['num_of_physical_cpu_cores']).toBeGreaterThan(0);
  });
  test('the timeplusd prefix works too', async () => {
    expect((await call('GET', '/timeplusd/ping')).json).toEqual({ status: 'UP' });
  });
  test('unknown paths and methods answer with the error shape', async () => {
    expectError(await call('GET', '/proton/v1/nothing'), 404, 408, /Unknown URI/);
    expectError(await call('GET', '/proton/v1/search'), 501, 408, /not supported/);
  });
});

describe('DDL streams', () => {
  test('create, list one, list all, patch, delete', async () => {
    const create = await call('POST', '/proton/v1/ddl/streams', {
      name: 'ddl_s',
      columns: [
        { name: 'id', type: 'int32' },
        { name: 'label', type: 'string', default: 'none' },
        { name: 'score', type: 'float64', nullable: true },
        { name: 'big', type: 'uint64', compression_codec: 'ZSTD(1)' },
      ],
      order_by_expression: 'id',
      partition_by_expression: 'to_YYYYMM(_tp_time)',
      ttl_expression: 'to_datetime(_tp_time) + INTERVAL 1 DAY',
    });
    expect(create.status, create.text).toBe(200);
    expect(Object.keys(create.json)).toEqual(['request_id']);

    const one = await call('GET', '/proton/v1/ddl/streams/default/ddl_s');
    expect(one.status, one.text).toBe(200);
    const data = one.json['data'] as Record<string, unknown>[];
    expect(data).toHaveLength(1);
    const s = data[0]!;
    expect(s['name']).toBe('ddl_s');
    expect(s['engine']).toBe('Stream');
    expect(s['mode']).toBe('append');
    expect(s['order_by_expression']).toBe('id');
    expect(s['partition_by_expression']).toBe('to_YYYYMM(_tp_time)');
    expect(String(s['ttl'])).toMatch(/INTERVAL 1 DAY/);
    const cols = s['columns'] as Record<string, unknown>[];
    expect(cols.find((c) => c['name'] === 'label')).toMatchObject({ type: 'string', nullable: false, default: 'none' });
    expect(cols.find((c) => c['name'] === 'score')).toMatchObject({ type: 'float64', nullable: true });
    expect(cols.find((c) => c['name'] === 'big')).toMatchObject({ type: 'uint64', codec: expect.stringMatching(/ZSTD/) });

    const all = await call('GET', '/proton/v1/ddl/streams');
    expect((all.json['data'] as { name: string }[]).map((x) => x.name)).toContain('ddl_s');
    const byDb = await call('GET', '/proton/v1/ddl/streams/default');
    expect((byDb.json['data'] as { name: string }[]).map((x) => x.name)).toContain('ddl_s');
    const alias = await call('GET', '/proton/v1/ddl/tables');
    expect((alias.json['data'] as { name: string }[]).map((x) => x.name)).toContain('ddl_s');

    const patch = await call('PATCH', '/proton/v1/ddl/streams/ddl_s', { ttl_expression: 'to_datetime(_tp_time) + INTERVAL 2 DAY', logstore_retention_ms: 5000 });
    expect(patch.status, patch.text).toBe(200);
    const after = ((await call('GET', '/proton/v1/ddl/streams/default/ddl_s')).json['data'] as Record<string, unknown>[])[0]!;
    expect(String(after['ttl'])).toMatch(/INTERVAL 2 DAY/);
    expect(after['logstore_retention_ms']).toBe(5000);

    await call('POST', '/proton/v1/ingest/streams/ddl_s', { columns: ['id'], data: [[1], [2]] });
    const truncate = await call('DELETE', '/proton/v1/ddl/streams/ddl_s?mode=truncate');
    expect(truncate.status, truncate.text).toBe(200);
    expect(await countRows('ddl_s')).toBe(0);

    const del = await call('DELETE', '/proton/v1/ddl/streams/ddl_s');
    expect(del.status, del.text).toBe(200);
    expectError(await call('GET', '/proton/v1/ddl/streams/default/ddl_s'), 404, 60, /No stream named 'ddl_s'/);
  });

  test('the create SQL honours mode, primary key and event_time_column', async () => {
    const r = await call('POST', '/proton/v1/ddl/streams', {
      name: 'kv_s', columns: [{ name: 'k', type: 'string' }, { name: 'v', type: 'int64' }, { name: 'at', type: 'datetime64(3)' }],
      mode: 'versioned_kv', primary_key: 'k', event_time_column: 'at',
    });
    expect(r.status, r.text).toBe(200);
    const s = ((await call('GET', '/proton/v1/ddl/streams/default/kv_s')).json['data'] as Record<string, unknown>[])[0]!;
    expect(s['mode']).toBe('versioned_kv');
    expect(s['primary_key']).toBe('k');
    const tp = (s['columns'] as Record<string, unknown>[]).find((c) => c['name'] === '_tp_time');
    expect(tp?.['default']).toBe('at');
  });

  test('bad create bodies are refused without creating anything', async () => {
    expectError(await call('POST', '/proton/v1/ddl/streams', { columns: [] }), 400, 408, /'name'/);
    expectError(await call('POST', '/proton/v1/ddl/streams', { name: 'bad1', columns: [{ name: 'x' }] }), 400, 408, /'type'/);
    expectError(await call('POST', '/proton/v1/ddl/streams', { name: 'bad2', columns: [{ name: 'x', type: 'int8' }], mode: 'weird' }), 400, 408, /mode/);
    expectError(await call('POST', '/proton/v1/ddl/streams', { name: 'bad3', columns: [{ name: 'x', type: 'int8' }], mode: 'changelog_kv' }), 400, 408, /PRIMARY KEY/);
    expectError(await call('POST', '/proton/v1/ddl/streams', { name: 'bad4', columns: [{ name: 'x', type: 'int8' }], shards: 3 }), 400, 408, /shard/);
    const badType = await call('POST', '/proton/v1/ddl/streams', { name: 'bad5', columns: [{ name: 'x', type: 'no_such_type' }] });
    expect(badType.status).toBeGreaterThanOrEqual(400);
    expect(typeof badType.json['code']).toBe('number');
    const names = ((await call('GET', '/proton/v1/ddl/streams')).json['data'] as { name: string }[]).map((x) => x.name);
    expect(names.filter((n) => n.startsWith('bad'))).toEqual([]);
    expectError(await call('POST', '/proton/v1/ddl/streams', '{"name": "x", '), 400, 117, /Invalid JSON/);
  });

  test('deleting or patching an unknown stream is UNKNOWN_TABLE', async () => {
    expectError(await call('DELETE', '/proton/v1/ddl/streams/no_such_stream'), 404, 60);
    expectError(await call('PATCH', '/proton/v1/ddl/streams/no_such_stream', { ttl_expression: 'to_datetime(_tp_time) + INTERVAL 1 DAY' }), 404, 60);
  });

  test('listing an unknown database is 404', async () => {
    expectError(await call('GET', '/proton/v1/ddl/streams/no_such_db'), 404, 81, /does not exist/);
  });
});

describe('ingest', () => {
  beforeAll(async () => {
    await server.query('CREATE STREAM ing (id int64, name string, v nullable(float64), tags array(string), big uint64, at datetime64(3))');
  });

  test('rows of every type land exactly', async () => {
    const r = await call('POST', '/proton/v1/ingest/streams/ing', {
      columns: ['id', 'name', 'v', 'tags', 'big', 'at'],
      data: [[1, 'hello', 1.5, ['a', 'b'], 1, '2024-01-02 03:04:05.678'], [2, 'wo"rld\n', null, [], 2, '2024-01-02 03:04:06']],
    });
    expect(r.status, r.text).toBe(200);
    expect(Object.keys(r.json)).toEqual(['request_id']);
    // uint64 beyond 2^53 goes through as written, not through a JS number.
    const big = await call('POST', '/proton/v1/ingest/streams/ing', '{"columns":["id","big"],"data":[[3, 18446744073709551615]]}');
    expect(big.status, big.text).toBe(200);
    const out = await server.query('SELECT id, name, v, tags, big, at FROM table(ing) ORDER BY id FORMAT JSONCompactEachRow', { output_format_json_quote_64bit_integers: '0' });
    expect(out.trim().split('\n')).toEqual([
      '[1, "hello", 1.5, ["a","b"], 1, "2024-01-02 03:04:05.678"]',
      '[2, "wo\\"rld\\n", null, [], 2, "2024-01-02 03:04:06.000"]',
      '[3, "", null, [], 18446744073709551615, "1970-01-01 00:00:00.000"]',
    ]);
  });

  test('the old /ingest/tables alias and a given request id', async () => {
    const r = await call('POST', '/proton/v1/ingest/tables/ing?x-proton-request-id=my-req-1', { columns: ['id'], data: [[10]] });
    expect(r.status, r.text).toBe(200);
    expect(r.json['request_id']).toBe('my-req-1');
  });

  test('a gzip-encoded body is decoded; a corrupt one is refused', async () => {
    const before = await countRows('ing');
    const body = gzipSync(Buffer.from(JSON.stringify({ columns: ['id', 'name'], data: [[20, 'gz'], [21, 'gz']] })));
    const r = await fetch(`${base}/proton/v1/ingest/streams/ing`, { method: 'POST', body, headers: { 'Content-Encoding': 'gzip' } });
    expect(r.status, await r.text()).toBe(200);
    expect(await countRows('ing')).toBe(before + 2);
    const bad = await fetch(`${base}/proton/v1/ingest/streams/ing`, { method: 'POST', body: Buffer.from('not gzip'), headers: { 'Content-Encoding': 'gzip' } });
    expect(bad.status).toBe(500);
    expect((JSON.parse(await bad.text()) as { code: number }).code).toBe(271);
    expect(await countRows('ing')).toBe(before + 2);
  });

  test('bad input is refused and acknowledged rows stay', async () => {
    const before = await countRows('ing');
    expectError(await call('POST', '/proton/v1/ingest/streams/ing', '{"columns": ["id"], "data": [[1],'), 400, 117, /Invalid JSON/);
    expectError(await call('POST', '/proton/v1/ingest/streams/ing', { data: [[1]] }), 400, 117, /'columns'/);
    expectError(await call('POST', '/proton/v1/ingest/streams/ing', { columns: [], data: [[1]] }), 400, 117, /empty/);
    expectError(await call('POST', '/proton/v1/ingest/streams/ing', { columns: ['id'] }), 400, 117, /'data'/);
    expectError(await call('POST', '/proton/v1/ingest/streams/ing', { columns: ['id', 'name'], data: [[1, 'a'], [2]] }), 400, 117, /row 2/);
    expectError(await call('POST', '/proton/v1/ingest/streams/ing', { columns: ['id'], data: [['not a number']] }), 400, 6);
    expectError(await call('POST', '/proton/v1/ingest/streams/ing', { columns: ['nope'], data: [[1]] }), 500, 16);
    expectError(await call('POST', '/proton/v1/ingest/streams/no_such_stream', { columns: ['id'], data: [[1]] }), 404, 60);
    expect(await countRows('ing')).toBe(before);
    expect((await call('GET', '/proton/ping')).status).toBe(200);
  });
});

describe('search', () => {
  beforeAll(async () => {
    await server.query('CREATE STREAM srch (n int32, s string)');
    await server.query("INSERT INTO srch (n, s) SELECT number, to_string(number) FROM system.numbers LIMIT 5");
  });

  test('JSONCompact by default, Proton type names', async () => {
    const r = await call('POST', '/proton/v1/search', { query: 'SELECT n, s FROM table(srch) ORDER BY n' });
    expect(r.status, r.text).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/json/);
    expect(r.json['meta']).toEqual([{ name: 'n', type: 'int32' }, { name: 's', type: 'string' }]);
    expect(r.json['data']).toEqual([[0, '0'], [1, '1'], [2, '2'], [3, '3'], [4, '4']]);
  });

  test('default_format is honoured, as are offset and page_size', async () => {
    const r = await call('POST', '/proton/v1/search?default_format=TSV', { query: 'SELECT n FROM table(srch) ORDER BY n', offset: 1, page_size: 2 });
    expect(r.status, r.text).toBe(200);
    expect(r.text).toBe('1\n2\n');
  });

  test('URL parameters other than reserved ones are settings; param_ fill placeholders', async () => {
    const r = await call('POST', '/proton/v1/search?default_format=TSV&max_block_size=1234', { query: "SELECT value FROM system.settings WHERE name = 'max_block_size'" });
    expect(r.status, r.text).toBe(200);
    expect(r.text).toBe('1234\n');
    const p = await call('POST', '/proton/v1/search?default_format=TSV&param_x=41', { query: 'SELECT {x:UInt8} + 1' });
    expect(p.status, p.text).toBe(200);
    expect(p.text).toBe('42\n');
  });

  test('results are chunked, one write per block', async () => {
    const chunks: number[] = [];
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      const req = httpRequest(`${base}/proton/v1/search?default_format=TSV&max_block_size=1000`, { method: 'POST' }, (res) => {
        res.on('data', (c: Buffer) => chunks.push(c.length));
        res.on('end', () => resolve(res.headers));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ query: 'SELECT number FROM system.numbers LIMIT 100000' }));
    });
    expect(headers['transfer-encoding']).toBe('chunked');
    expect(chunks.length).toBeGreaterThan(1);
  });

  test('an error after data went out is appended to the body', async () => {
    const r = await call('POST', '/proton/v1/search?default_format=TSV&max_block_size=100', {
      query: "SELECT throwIf(number = 550, 'boom') FROM system.numbers LIMIT 1000",
    });
    expect(r.status).toBe(200);
    const lines = r.text.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    const last = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
    expect(Object.keys(last).sort()).toEqual(['code', 'error_msg', 'request_id']);
    expect(String(last['error_msg'])).toMatch(/boom/);
  });

  test('an unbounded query streams until the client leaves, then stops', async () => {
    const queryId = 'rest-unbounded-1';
    const req = await new Promise<ReturnType<typeof httpRequest>>((resolve, reject) => {
      const r = httpRequest(`${base}/proton/v1/search?default_format=TSV&query_id=${queryId}`, { method: 'POST' }, (res) => {
        res.once('data', () => resolve(r));
      });
      r.on('error', (e) => (r.destroyed ? undefined : reject(e)));
      r.end(JSON.stringify({ query: 'SELECT number FROM system.numbers' }));
    });
    // Rows are flowing and the query is running under the request's id.
    expect((await server.query(`SELECT count() FROM system.processes WHERE query_id = '${queryId}'`)).trim()).toBe('1');
    req.destroy();
    // Wait (on the condition, not a timer) until the query is gone from system.processes.
    for (let i = 0; ; i++) {
      const n = Number((await server.query(`SELECT count() FROM system.processes WHERE query_id = '${queryId}'`)).trim());
      if (n === 0) break;
      expect(i).toBeLessThan(5000);
      await new Promise((r) => setImmediate(r));
    }
    expect((await call('GET', '/proton/ping')).status).toBe(200);
  });

  test('errors use the JSON error shape with the engine code', async () => {
    expectError(await call('POST', '/proton/v1/search', { query: 'SELECT * FROM table(no_such_stream)' }), 404, 60);
    expectError(await call('POST', '/proton/v1/search', { query: 'SELEC 1' }), 400, 62);
    expectError(await call('POST', '/proton/v1/search', {}), 400, 408, /'query'/);
    expectError(await call('POST', '/proton/v1/search', 'not json'), 400, 117);
    expectError(await call('POST', '/proton/v1/search', { query: 'SELECT 1', mode: 'bogus' }), 400, 408, /mode/);
    expectError(await call('POST', '/proton/v1/search?default_format=NoSuchFormat', { query: 'SELECT 1' }), 404, 73);
  });
});

describe('sqlanalyzer and sqlformat', () => {
  beforeAll(async () => {
    await server.query('CREATE STREAM an (id int32, v float64, name string)');
  });

  test('a streaming aggregation', async () => {
    const r = await call('POST', '/proton/v1/sqlanalyzer', { query: 'SELECT name, count() AS c, max(v) FROM an GROUP BY name' });
    expect(r.status, r.text).toBe(200);
    expect(r.json['is_streaming']).toBe(true);
    expect(r.json['has_aggr']).toBe(true);
    expect(r.json['query_type']).toBe('SELECT');
    expect(r.json['group_by_columns']).toEqual(['name']);
    expect(r.json['rewritten_query']).toBe('SELECT name, count() AS c, max(v) FROM an GROUP BY name');
    expect(r.json['result_columns']).toEqual([
      { column: 'name', column_type: 'string' }, { column: 'c', column_type: 'uint64' }, { column: 'max(v)', column_type: 'float64' },
    ]);
    expect(r.json['required_columns']).toEqual([
      { database: 'default', table: 'an', is_view: false, column: 'v', column_type: 'float64' },
      { database: 'default', table: 'an', is_view: false, column: 'name', column_type: 'string' },
    ]);
  });

  test('table() is historical; an aggregate without GROUP BY is still an aggregation', async () => {
    const r = await call('POST', '/proton/v1/sqlanalyzer', { query: 'SELECT count() FROM table(an)' });
    expect(r.status, r.text).toBe(200);
    expect(r.json['is_streaming']).toBe(false);
    expect(r.json['has_aggr']).toBe(true);
    const plain = await call('POST', '/proton/v1/sqlanalyzer', { query: 'SELECT * FROM an WHERE id > 1' });
    expect(plain.json['has_aggr']).toBe(false);
    expect(plain.json['is_streaming']).toBe(true);
    expect((plain.json['required_columns'] as unknown[]).length).toBe(3);
    const none = await call('POST', '/proton/v1/sqlanalyzer', { query: 'SELECT 1 AS x' });
    expect(none.json['is_streaming']).toBe(false);
  });

  test('analyzer errors', async () => {
    expectError(await call('POST', '/proton/v1/sqlanalyzer', { query: 'SELECT FROM WHERE' }), 400, 62);
    expectError(await call('POST', '/proton/v1/sqlanalyzer', { query: '' }), 400, 408, /Empty query/);
    expectError(await call('POST', '/proton/v1/sqlanalyzer', { query: 'SELECT nope FROM an' }), 404, 47);
  });

  test('sqlformat', async () => {
    const r = await call('POST', '/proton/v1/sqlformat', { query: 'select  id,v from   an where id>1' });
    expect(r.status, r.text).toBe(200);
    expect(typeof r.json['request_id']).toBe('string');
    expect(String(r.json['query'])).toMatch(/^SELECT id, v\s+FROM an\s+WHERE id > 1$/);
    expectError(await call('POST', '/proton/v1/sqlformat', { query: 'SELECT (' }), 400, 62);
  });
});

describe('databases, external streams, udfs', () => {
  test('databases: list, create, drop', async () => {
    const list = await call('GET', '/proton/v1/ddl/databases');
    expect(list.status).toBe(200);
    expect(list.json['data']).toEqual(expect.arrayContaining(['default', 'system']));
    expect((await call('POST', '/proton/v1/ddl/databases', { name: 'rest_db' })).status).toBe(200);
    expect((await call('GET', '/proton/v1/ddl/databases')).json['data']).toContain('rest_db');
    expect((await call('GET', '/proton/v1/ddl/streams/rest_db')).json['data']).toEqual([]);
    expect((await call('DELETE', '/proton/v1/ddl/databases/rest_db')).status).toBe(200);
    expect((await call('GET', '/proton/v1/ddl/databases')).json['data']).not.toContain('rest_db');
  });
  test('external streams and udfs list what exists', async () => {
    const ext = await call('GET', '/proton/v1/ddl/externalstreams');
    expect(ext.status).toBe(200);
    expect(ext.json['data']).toEqual([]);
    const udfs = await call('GET', '/proton/v1/udfs');
    expect(udfs.status, udfs.text).toBe(200);
    expect(Array.isArray(udfs.json['data'])).toBe(true);
    expectError(await call('GET', '/proton/v1/udfs/no_such_udf'), 404, 408);
  });
});

describe('auth', () => {
  test('Basic auth for default, and a wrong password', async () => {
    const good = await call('GET', '/proton/v1/ddl/databases', undefined, { Authorization: 'Basic ' + Buffer.from('default:').toString('base64') });
    expect(good.status).toBe(200);
    expectError(await call('GET', '/proton/v1/ddl/databases', undefined, { Authorization: 'Basic ' + Buffer.from('default:wrong').toString('base64') }), 403, 516);
    expectError(await call('GET', '/proton/v1/ddl/databases', undefined, { Authorization: 'Bearer x' }), 403, 516);
  });
});

describe('body limit', () => {
  let small: RestServer;
  let smallBase: string;
  beforeAll(async () => {
    small = createRestServer(server.server.engine, server.server.engine.catalog, { host: '127.0.0.1', port: 0, maxBodySize: 64 * 1024 });
    smallBase = `http://127.0.0.1:${(await small.listen()).port}`;
    await server.query('CREATE STREAM lim (id int64)');
  });
  afterAll(async () => {
    await small.close();
  });
  test('a huge body is refused with 413, nothing inserted, the server keeps serving', async () => {
    const ok = await fetch(`${smallBase}/proton/v1/ingest/streams/lim`, { method: 'POST', body: JSON.stringify({ columns: ['id'], data: [[1], [2]] }) });
    expect(ok.status).toBe(200);
    const rows = Array.from({ length: 50000 }, (_, i) => [i]);
    const res = await fetch(`${smallBase}/proton/v1/ingest/streams/lim`, { method: 'POST', body: JSON.stringify({ columns: ['id'], data: rows }) });
    expect(res.status).toBe(413);
    const body = JSON.parse(await res.text()) as Record<string, unknown>;
    expect(body['code']).toBe(229);
    // A small body that inflates past the limit is refused the same way.
    const bomb = gzipSync(Buffer.from(JSON.stringify({ columns: ['id'], data: rows.map(() => [0]) })));
    expect(bomb.length).toBeLessThan(64 * 1024);
    const inflated = await fetch(`${smallBase}/proton/v1/ingest/streams/lim`, { method: 'POST', body: bomb, headers: { 'Content-Encoding': 'gzip' } });
    expect(inflated.status).toBe(413);
    expect(await countRows('lim')).toBe(2);
    expect((await fetch(`${smallBase}/proton/ping`)).status).toBe(200);
  });
});
