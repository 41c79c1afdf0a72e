import http from 'node:http';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { q, request, startTestServer, type TestServer } from './http-test-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(undefined, { defaultSessionTimeoutSec: 60 });
});
afterAll(async () => {
  await server.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('error status codes', () => {
  it.each([
    [62, 400], [6, 400], [27, 400], [60, 404], [81, 404], [46, 404], [47, 404], [73, 404], [115, 404],
    [516, 403], [192, 403], [194, 401], [159, 408], [48, 501], [229, 413], [49, 500], [164, 500], [395, 500],
  ])('code %i → HTTP %i', async (code, status) => {
    const r = await request(server.port, { path: q(`SELECT fail(${code})`) });
    expect(r.status).toBe(status);
    expect(r.headers['x-clickhouse-exception-code']).toBe(String(code));
    expect(r.headers['content-type']).toBe('text/plain; charset=UTF-8');
    expect(r.text()).toMatch(new RegExp(`^Code: ${code}\\. DB::Exception: Failing on purpose with code ${code}\\. \\([A-Z_0-9]+\\)\\n$`));
    if (code === 194) expect(r.headers['www-authenticate']).toContain('Basic');
  });

  it('reports errors thrown by execute() itself', async () => {
    const r = await request(server.port, { method: 'POST', body: 'SELECT missing' });
    expect(r.status).toBe(404);
    expect(r.text()).toBe('Code: 60. DB::Exception: Table default.missing does not exist. (UNKNOWN_TABLE)\n');
  });

  it('appends a tagged exception block to a response that already started streaming, and cuts it', async () => {
    const r = await request(server.port, { path: q('SELECT fail_after(400)', 'buffer_size=1000') });
    expect(r.status).toBe(200);
    expect(r.aborted).toBe(true);
    const tag = String(r.headers['x-clickhouse-exception-tag']);
    const text = r.text();
    expect(text.startsWith('0\n1\n2\n')).toBe(true);
    const msg = 'Code: 395. DB::Exception: Value passed to \'throwIf\' function is non-zero. (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO)\n';
    expect(text.endsWith(`\r\n__exception__\r\n${tag}\r\n${msg}${Buffer.byteLength(msg)} ${tag}\r\n__exception__\r\n`)).toBe(true);
  });

  it('turns an error within buffer_size into a proper status, discarding partial output', async () => {
    const r = await request(server.port, { path: q('SELECT fail_after(3)') });
    expect(r.status).toBe(500);
    expect(r.text()).toMatch(/^Code: 395\./);
  });

  it('wait_end_of_query=1 buffers the whole result so a late error still gets a status', async () => {
    const r = await request(server.port, { path: q('SELECT fail_after(400)', 'wait_end_of_query=1&buffer_size=1000') });
    expect(r.status).toBe(500);
    expect(r.headers['x-clickhouse-exception-code']).toBe('395');
    const ok = await request(server.port, { path: q('SELECT number FROM numbers(300000)', 'wait_end_of_query=1') });
    expect(ok.headers['content-length']).toBe(String(ok.body.length));
    expect(JSON.parse(String(ok.headers['x-clickhouse-summary'])).read_rows).toBe('300000');
  });

  it('streams large results chunked once they pass buffer_size', async () => {
    const r = await request(server.port, { path: q('SELECT number FROM numbers(300000)') });
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.text().split('\n').length).toBe(300001);
  });

  it('rejects a bad buffer_size', async () => {
    const r = await request(server.port, { path: q('SELECT 1', 'buffer_size=WRONG') });
    expect(r.status).toBe(400);
    expect(r.headers['x-clickhouse-exception-code']).toBe('27');
  });

  it('survives a 100 MB garbage body', async () => {
    async function* garbage(): AsyncGenerator<Uint8Array> {
      const chunk = Buffer.alloc(1 << 20);
      for (let j = 0; j < chunk.length; j += 4) chunk.writeUInt32LE((Math.random() * 0xffffffff) >>> 0, j);
      for (let i = 0; i < 100; i++) yield chunk;
    }
    const r = await request(server.port, { method: 'POST', body: garbage() });
    expect([400, 500]).toContain(r.status);
    expect(r.headers['x-clickhouse-exception-code']).toBe('62');
    const ok = await request(server.port, { method: 'POST', body: 'SELECT 1' });
    expect(ok.text()).toBe('1\n');
  });

  it('survives a garbage body with decompress=1', async () => {
    const r = await request(server.port, { method: 'POST', path: '/?decompress=1', body: Buffer.alloc(5 << 20, 0x5a) });
    expect(r.status).toBe(500);
    expect(Number(r.headers['x-clickhouse-exception-code'])).toBeGreaterThan(0);
  });

  it('accepts invalid UTF-8 in the query text (the engine reports the syntax error)', async () => {
    const r = await request(server.port, { method: 'POST', body: Buffer.from([0x53, 0xff, 0xfe, 0xc3, 0x28]) });
    expect(r.status).toBe(400);
    expect(r.headers['x-clickhouse-exception-code']).toBe('62');
  });

  it('enforces max_query_size for query text', async () => {
    const r = await request(server.port, { method: 'POST', path: '/?max_query_size=100', body: `SELECT ${'1+'.repeat(200)}1` });
    expect(r.status).toBe(400);
    expect(r.text()).toContain('Max query size exceeded');
  });
});

describe('authentication', () => {
  it('accepts Basic auth', async () => {
    const r = await request(server.port, {
      path: q('SELECT 1'), headers: { Authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}` },
    });
    expect(r.status).toBe(200);
    expect(server.engine.queries.at(-1)?.user).toBe('alice');
  });

  it('accepts X-ClickHouse-User / X-ClickHouse-Key', async () => {
    const r = await request(server.port, { path: q('SELECT 1'), headers: { 'X-ClickHouse-User': 'alice', 'X-ClickHouse-Key': 'secret' } });
    expect(r.status).toBe(200);
    expect(server.engine.queries.at(-1)?.user).toBe('alice');
  });

  it('accepts user/password parameters', async () => {
    const r = await request(server.port, { path: q('SELECT 1', 'user=alice&password=secret') });
    expect(r.status).toBe(200);
    expect(server.engine.queries.at(-1)?.user).toBe('alice');
  });

  it('refuses a wrong password with 516 / 403', async () => {
    const r = await request(server.port, { path: q('SELECT 1', 'user=alice&password=nope') });
    expect(r.status).toBe(403);
    expect(r.headers['x-clickhouse-exception-code']).toBe('516');
    expect(r.text()).toMatch(/^Code: 516\. DB::Exception: alice: Authentication failed/);
  });

  it('refuses credentials given in two places', async () => {
    const r = await request(server.port, {
      path: q('SELECT 1', 'user=alice&password=secret'),
      headers: { Authorization: `Basic ${Buffer.from('alice:secret').toString('base64')}` },
    });
    expect(r.status).toBe(403);
    expect(r.headers['x-clickhouse-exception-code']).toBe('516');
    expect(r.text()).toContain('simultaneously');
  });
});

describe('sessions', () => {
  it('keeps settings, the current database and temporary tables across requests', async () => {
    const s = 'session_id=keep1';
    await request(server.port, { method: 'POST', path: `/?${s}`, body: 'SET max_threads = 3' });
    await request(server.port, { method: 'POST', path: `/?${s}`, body: 'USE other' });
    await request(server.port, { method: 'POST', path: `/?${s}`, body: 'CREATE TEMPORARY TABLE tmp (x UInt8)' });
    expect((await request(server.port, { path: q("SELECT getSetting('max_threads')", s) })).text()).toBe('3\n');
    expect((await request(server.port, { path: q('SELECT currentDatabase()', s) })).text()).toBe('other\n');
    expect((await request(server.port, { path: q('SELECT temp_tables', s) })).text()).toBe('tmp\n');
    // Without the session nothing persists.
    expect((await request(server.port, { path: q("SELECT getSetting('max_threads')") })).text()).toBe('\n');
  });

  it('opens the session in the requested database', async () => {
    const r = await request(server.port, { path: q('SELECT currentDatabase()', 'session_id=db1&database=analytics') });
    expect(r.text()).toBe('analytics\n');
    const r2 = await request(server.port, { path: q('SELECT currentDatabase()', 'database=reports') });
    expect(r2.text()).toBe('reports\n');
  });

  it('closes sessionless sessions after each request', async () => {
    const before = server.engine.closed;
    await request(server.port, { path: q('SELECT 1') });
    expect(server.engine.closed).toBe(before + 1);
  });

  it('expires a session after session_timeout', async () => {
    await request(server.port, { method: 'POST', path: '/?session_id=short&session_timeout=0.2', body: 'SET max_threads = 7' });
    expect((await request(server.port, { path: q("SELECT getSetting('max_threads')", 'session_id=short&session_timeout=0.2') })).text()).toBe('7\n');
    await sleep(400);
    expect((await request(server.port, { path: q("SELECT getSetting('max_threads')", 'session_id=short') })).text()).toBe('\n');
  });

  it('session_check=1 requires an existing session', async () => {
    const r = await request(server.port, { path: q('SELECT 1', 'session_id=nope&session_check=1') });
    expect(r.headers['x-clickhouse-exception-code']).toBe('372');
    expect(r.text()).toContain('SESSION_NOT_FOUND');
  });

  it('close_session=1 drops the session after the query', async () => {
    await request(server.port, { method: 'POST', path: '/?session_id=closing', body: 'SET max_threads = 5' });
    await request(server.port, { path: q('SELECT 1', 'session_id=closing&close_session=1') });
    expect((await request(server.port, { path: q("SELECT getSetting('max_threads')", 'session_id=closing') })).text()).toBe('\n');
  });

  it('refuses a session_timeout above the maximum', async () => {
    const r = await request(server.port, { path: q('SELECT 1', 'session_id=x&session_timeout=100000') });
    expect(r.headers['x-clickhouse-exception-code']).toBe('374');
  });

  it('refuses concurrent use of one session (SESSION_IS_LOCKED, 373)', async () => {
    const slow = request(server.port, { path: q('SELECT sleep(300)', 'session_id=locked') });
    await sleep(80);
    const second = await request(server.port, { path: q('SELECT 1', 'session_id=locked') });
    expect(second.headers['x-clickhouse-exception-code']).toBe('373');
    expect(second.text()).toContain('SESSION_IS_LOCKED');
    expect((await slow).text()).toBe('1\n');
    expect((await request(server.port, { path: q('SELECT 1', 'session_id=locked') })).text()).toBe('1\n');
  });

  it('keys sessions by user, and checks the password of an existing session', async () => {
    await request(server.port, { method: 'POST', path: '/?session_id=shared&user=alice&password=secret', body: 'SET max_threads = 9' });
    expect((await request(server.port, { path: q("SELECT getSetting('max_threads')", 'session_id=shared') })).text()).toBe('\n');
    const wrong = await request(server.port, { path: q('SELECT 1', 'session_id=shared&user=alice&password=bad') });
    expect(wrong.headers['x-clickhouse-exception-code']).toBe('516');
    expect((await request(server.port, { path: q("SELECT getSetting('max_threads')", 'session_id=shared&user=alice&password=secret') })).text()).toBe('9\n');
  });
});

describe('streaming and cancellation', () => {
  it('sends headers and blocks of a streaming query as they come', async () => {
    const got: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: server.port, path: q('SELECT stream', 'query_id=stream-1') }, (res) => {
        expect(res.statusCode).toBe(200);
        res.on('data', (c: Buffer) => {
          got.push(c.toString());
          if (got.length >= 3) {
            req.destroy();
            resolve();
          }
        });
      });
      req.on('error', (e) => { if (got.length < 3) reject(e); });
    });
    expect(got.join('')).toMatch(/^0\n1\n2\n/);
    for (let i = 0; i < 50 && !server.engine.aborted.includes('stream-1'); i++) await sleep(20);
    expect(server.engine.aborted).toContain('stream-1');
  });

  it('aborts the query when the client disconnects before any output', async () => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: q('SELECT stream', 'query_id=stream-2&session_id=abort-s') });
    req.on('error', () => undefined);
    await sleep(60);
    req.destroy();
    for (let i = 0; i < 50 && !server.engine.aborted.includes('stream-2'); i++) await sleep(20);
    expect(server.engine.aborted).toContain('stream-2');
    // The session is released, not left locked.
    for (let i = 0; i < 50; i++) {
      const r = await request(server.port, { path: q('SELECT 1', 'session_id=abort-s') });
      if (r.status === 200) return;
      await sleep(20);
    }
    throw new Error('session stayed locked');
  });

  it('sends X-ClickHouse-Progress headers while the query runs', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1', () => {
        sock.write(`GET ${q('SELECT sleep(350)', 'send_progress_in_http_headers=1&http_headers_progress_interval_ms=50')} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      });
      let data = '';
      sock.on('data', (c: Buffer) => { data += c.toString('latin1'); });
      sock.on('end', () => resolve(data));
      sock.on('error', reject);
    });
    const [head, body] = raw.split('\r\n\r\n');
    const lines = head.split('\r\n');
    expect(lines[0]).toBe('HTTP/1.1 200 OK');
    expect(lines.filter((l) => l.startsWith('HTTP/')).length).toBe(1);
    const progress = lines.filter((l) => l.startsWith('X-ClickHouse-Progress: '));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    const last = JSON.parse(progress.at(-1)!.slice('X-ClickHouse-Progress: '.length)) as Record<string, string>;
    expect(Number(last.read_rows)).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith('X-ClickHouse-Summary: '))).toBe(true);
    expect(lines.some((l) => /^Content-Length: 2$/i.test(l))).toBe(true);
    expect(body).toBe('1\n');
  });

  it('reports an error after progress headers as 200 + X-ClickHouse-Exception-Code + exception block', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const sock = net.connect(server.port, '127.0.0.1', () => {
        sock.write(`GET ${q('SELECT sleep_fail(200)', 'send_progress_in_http_headers=1&http_headers_progress_interval_ms=30')} HTTP/1.1\r\nHost: x\r\n\r\n`);
      });
      let data = '';
      sock.on('data', (c: Buffer) => { data += c.toString('latin1'); });
      sock.on('close', () => resolve(data));
      sock.on('error', reject);
    });
    const [head, ...rest] = raw.split('\r\n\r\n');
    const lines = head.split('\r\n');
    expect(lines[0]).toBe('HTTP/1.1 200 OK');
    expect(lines.some((l) => l.startsWith('X-ClickHouse-Progress: '))).toBe(true);
    expect(lines).toContain('X-ClickHouse-Exception-Code: 159');
    const tag = lines.find((l) => l.startsWith('X-ClickHouse-Exception-Tag: '))!.slice('X-ClickHouse-Exception-Tag: '.length);
    const body = rest.join('\r\n\r\n');
    expect(body).toContain(`__exception__\r\n${tag}\r\nCode: 159. DB::Exception: Timeout exceeded`);
    // Chunked and cut short: no terminating zero-length chunk.
    expect(body.endsWith('0\r\n\r\n')).toBe(false);
  });

  it('keeps a keep-alive connection working after progress headers', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const r1 = await request(server.port, { path: q('SELECT sleep(120)', 'send_progress_in_http_headers=1&http_headers_progress_interval_ms=20'), agent });
      expect(r1.text()).toBe('1\n');
      expect(r1.headers['x-clickhouse-progress']).toBeDefined();
      const r2 = await request(server.port, { path: q('SELECT 1'), agent });
      expect(r2.text()).toBe('1\n');
    } finally {
      agent.destroy();
    }
  });
});
