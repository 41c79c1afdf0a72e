import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UdfTestEngine } from './udf-helpers.js';

/**
 * Remote UDFs (Proton's RemoteUserDefinedFunction) against a local endpoint. The endpoint runs in its own
 * worker thread: the engine's thread waits while the call is made, so a server on it could not answer.
 */
const ENDPOINT = `
const http = require('node:http');
const { parentPort } = require('node:worker_threads');
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/slow') return setTimeout(() => res.end('{"result":[]}'), 3000);
    if (req.url === '/fail') { res.statusCode = 500; return res.end('boom'); }
    if (req.url === '/auth' && req.headers['auth'] !== 'proton') { res.statusCode = 401; return res.end('no auth'); }
    const args = JSON.parse(body);
    const ips = args.ip;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ result: ips.map((ip) => (ip === '1' ? { status: 404 } : { ip, bogon: ip.startsWith('127.') })) }));
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

let t: UdfTestEngine;
let worker: Worker;
let base: string;

beforeAll(async () => {
  t = await UdfTestEngine.open('udf-remote');
  worker = new Worker(ENDPOINT, { eval: true });
  const port = await new Promise<number>((resolve) => worker.once('message', resolve));
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await t.close();
  await worker.terminate();
});

describe('remote UDFs', () => {
  it('POSTs each block as JSONColumns and reads {"result": [...]}', async () => {
    await t.query(`CREATE REMOTE FUNCTION ip_lookup(ip string) RETURNS string URL '${base}/' AUTH_METHOD 'none'`);
    expect(await t.query("SELECT ip_lookup('127.0.0.1')")).toEqual([['{"ip":"127.0.0.1","bogon":true}']]);
    expect(await t.query("SELECT ip_lookup('1')")).toEqual([['{"status":404}']]);
    expect(await t.query("SELECT ip_lookup(concat('10.0.0.', toString(number))) FROM numbers(2)")).toEqual([
      ['{"ip":"10.0.0.0","bogon":false}'],
      ['{"ip":"10.0.0.1","bogon":false}'],
    ]);
    const [[create]] = (await t.query('SHOW CREATE FUNCTION ip_lookup')) as [[string]];
    expect(create).toContain(`CREATE REMOTE FUNCTION ip_lookup(ip String) RETURNS String URL '${base}/' AUTH_METHOD 'none'`);
  });

  it('sends the auth header; endpoint errors and timeouts fail the query only', async () => {
    await t.query(`CREATE REMOTE FUNCTION ip_auth(ip string) RETURNS string URL '${base}/auth' AUTH_METHOD 'auth_header' AUTH_HEADER 'auth' AUTH_KEY 'proton' EXECUTION_TIMEOUT 60000`);
    expect(await t.query("SELECT ip_auth('127.0.0.2')")).toEqual([['{"ip":"127.0.0.2","bogon":true}']]);
    await t.query(`CREATE REMOTE FUNCTION ip_noauth(ip string) RETURNS string URL '${base}/auth' AUTH_METHOD 'none'`);
    expect((await t.error("SELECT ip_noauth('1')")).code).toBe(2526);
    await t.query(`CREATE REMOTE FUNCTION ip_fail(ip string) RETURNS string URL '${base}/fail' AUTH_METHOD 'none'`);
    const e = await t.error("SELECT ip_fail('1')");
    expect(e.code).toBe(2526);
    expect(e.message).toContain('http_status: 500');
    await t.query(`CREATE REMOTE FUNCTION ip_slow(ip string) RETURNS string URL '${base}/slow' AUTH_METHOD 'none' EXECUTION_TIMEOUT 200`);
    expect((await t.error("SELECT ip_slow('1')")).code).toBe(159);
    await t.query("CREATE REMOTE FUNCTION ip_down(ip string) RETURNS string URL 'http://127.0.0.1:1/' AUTH_METHOD 'none'");
    expect((await t.error("SELECT ip_down('1')")).code).toBe(2526);
    expect(await t.query("SELECT ip_lookup('127.0.0.1')")).toEqual([['{"ip":"127.0.0.1","bogon":true}']]);
    expect((await t.error("CREATE REMOTE FUNCTION bad(ip string) RETURNS string URL 'ftp://x' AUTH_METHOD 'none'")).code).toBe(36);
    expect((await t.error("CREATE REMOTE FUNCTION bad(ip string) RETURNS string URL 'http://x' AUTH_METHOD 'auth_header'")).code).toBe(36);
  });

  it('persists across a restart and DROP FUNCTION removes it', async () => {
    await t.restart();
    expect(await t.query("SELECT ip_auth('127.0.0.3')")).toEqual([['{"ip":"127.0.0.3","bogon":true}']]);
    expect(await t.query("SELECT origin FROM system.functions WHERE name = 'ip_auth'")).toEqual([['ExecutableUserDefined']]);
    await t.query('DROP FUNCTION ip_auth');
    expect((await t.error("SELECT ip_auth('1')")).code).toBe(46);
  });
});
