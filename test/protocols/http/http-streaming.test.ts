import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { q, request, startTestServer, type TestServer } from './http-test-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('streaming behaviour', () => {
  it('applies backpressure: a client that stops reading stops the query', async () => {
    const total = 10_000_000;
    const before = server.engine.blocksProduced;
    let received = 0;
    let res!: http.IncomingMessage;
    const req = http.get({ host: '127.0.0.1', port: server.port, path: q(`SELECT number FROM numbers(${total})`) });
    req.on('error', () => undefined);
    await new Promise<void>((resolve) => req.on('response', (r) => {
      res = r;
      res.on('data', (c: Buffer) => { received += c.length; });
      resolve();
    }));
    res.pause();
    await sleep(300);
    const produced = server.engine.blocksProduced - before;
    await sleep(300);
    const later = server.engine.blocksProduced - before;
    // All 153 blocks would be ~75 MB of text; while paused, only what fits the socket buffers is produced.
    expect(produced).toBeLessThan(60);
    expect(later).toBe(produced);
    req.destroy();
    expect(received).toBeLessThan(75 << 20);
  });

  it('answers HEAD queries with headers only', async () => {
    const r = await request(server.port, { method: 'HEAD', path: q('SELECT 1') });
    expect(r.status).toBe(200);
    expect(r.body.length).toBe(0);
    expect(r.headers['x-clickhouse-format']).toBe('TabSeparated');
  });

  it('takes the database from X-ClickHouse-Database', async () => {
    const r = await request(server.port, { path: q('SELECT currentDatabase()'), headers: { 'X-ClickHouse-Database': 'sales' } });
    expect(r.text()).toBe('sales\n');
  });

  it('fails the INSERT, and stays up, when the client drops mid-upload', async () => {
    const count = server.engine.inserts.length;
    const closedBefore = server.engine.closed;
    const req = http.request({ host: '127.0.0.1', port: server.port, method: 'POST', path: q('INSERT INTO t FORMAT RowBinary') });
    req.on('error', () => undefined);
    req.write(Buffer.alloc(1 << 20, 1));
    await sleep(100);
    req.destroy();
    await sleep(100);
    const ins = server.engine.inserts.at(-1)!;
    expect(server.engine.inserts.length).toBe(count + 1);
    expect(ins.done).toBe(false);
    expect(ins.bytes).toBeGreaterThan(0);
    // The request finished (its session was closed): nothing is left waiting on the dead body.
    expect(server.engine.closed).toBe(closedBefore + 1);
    expect((await request(server.port, { path: q('SELECT 1') })).text()).toBe('1\n');
  });

  it('handles many concurrent queries', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      request(server.port, { method: 'POST', body: i % 5 === 0 ? 'SELECT missing' : 'SELECT number FROM numbers(1000)' })));
    results.forEach((r, i) => {
      if (i % 5 === 0) expect(r.status).toBe(404);
      else expect(r.text().split('\n').length).toBe(1001);
    });
  });
});

describe('unread request bodies', () => {
  /**
   * A raw keep-alive connection: node's own client stops emitting 'drain' on a request whose response already
   * ended, so it cannot finish uploading a body the server answered early. curl and the drivers can.
   */
  async function twoRequestsOnOneSocket(path: string, headers: Record<string, string>, head: string, mb: number): Promise<string> {
    const net = await import('node:net');
    const sock = net.connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => sock.once('connect', resolve));
    let data = '';
    sock.on('data', (c: Buffer) => { data += c.toString('latin1'); });
    const write = async (b: Buffer | string): Promise<void> => {
      if (!sock.write(b)) await new Promise<void>((resolve) => sock.once('drain', resolve));
    };
    const size = Buffer.byteLength(head) + mb * (1 << 20);
    const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    await write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n${extra}\r\n${head}`);
    const chunk = Buffer.alloc(1 << 20, 0x31);
    for (let i = 0; i < mb; i++) await write(chunk);
    await write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 8\r\nConnection: close\r\n\r\nSELECT 1');
    await new Promise<void>((resolve) => sock.once('close', resolve));
    return data;
  }

  it.each([
    ['an INSERT refused before its data is read', '/', {}, 'INSERT INTO missing FORMAT CSV\n', 404],
    ['a corrupt lz4 body', '/', { 'Content-Encoding': 'lz4' }, 'garbage', 500],
    ['a corrupt gzip body', '/', { 'Content-Encoding': 'gzip' }, 'garbage', 500],
    ['a corrupt decompress=1 body', '/?decompress=1', {}, 'garbage', 500],
  ])('drains %s and keeps the connection', async (_name, path, headers, head, status) => {
    const data = await twoRequestsOnOneSocket(path, headers, head, 20);
    const responses = data.split(/(?=HTTP\/1\.1 )/);
    expect(responses.length).toBe(2);
    expect(responses[0]).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(responses[1]).toMatch(/^HTTP\/1\.1 200 /);
    expect(responses[1].endsWith('\r\n\r\n1\n')).toBe(true);
  });
});
