import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { waitFor } from '../helpers/child-server.js';

describe('query limits, cancellation and users', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hadron-users-'));
    const sha = createHash('sha256').update('s3cret').digest('hex');
    writeFileSync(path.join(dir, 'config.yaml'), `users:\n  default: {}\n  alice:\n    password_sha256_hex: ${sha}\n`);
    const cfg = loadConfig(new Map([['config', path.join(dir, 'config.yaml')]]));
    s = await startTestServer({ users: cfg.users });
  });
  afterAll(async () => {
    await s?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const code = async (sql: string, params: Record<string, string> = {}, init?: RequestInit) => (await s.raw(sql, params, init)).headers.get('x-clickhouse-exception-code');

  it('max_memory_usage stops a query with MEMORY_LIMIT_EXCEEDED and the server carries on', async () => {
    expect(await code('SELECT groupArray(toString(number)) FROM numbers(20000000)', { max_memory_usage: '50000000' })).toBe('241');
    expect((await s.query('SELECT 1')).trim()).toBe('1');
  });

  it('max_result_rows (throw and break)', async () => {
    expect(await code('SELECT number FROM numbers(1000000)', { max_result_rows: '10', max_block_size: '5' })).toBe('396');
    const r = await s.raw('SELECT number FROM numbers(1000000)', { max_result_rows: '10', result_overflow_mode: 'break', max_block_size: '5' });
    expect(r.headers.get('x-clickhouse-exception-code')).toBeNull();
  });

  it('max_execution_time gives TIMEOUT_EXCEEDED', async () => {
    expect(await code('SELECT count() FROM system.numbers', { max_execution_time: '1' })).toBe('159');
  });

  it('readonly=1 refuses writes (READONLY 164)', async () => {
    await s.query('CREATE TABLE ro (x UInt8) ENGINE = Memory');
    expect(await code('INSERT INTO ro VALUES (1)', { readonly: '1' })).toBe('164');
    expect(await code('SELECT count() FROM ro', { readonly: '1' })).toBeNull();
  });

  it('KILL QUERY cancels a running query, which reports QUERY_WAS_CANCELLED', async () => {
    const running = s.raw('SELECT count() FROM system.numbers', { query_id: 'to-kill' });
    await waitFor(async () => (await s.query("SELECT count() FROM system.processes WHERE query_id = 'to-kill'")).trim() === '1', 10_000, 'the query to run');
    await s.query("KILL QUERY WHERE query_id = 'to-kill'");
    const r = await running;
    expect(r.headers.get('x-clickhouse-exception-code') ?? r.body).toMatch(/394/);
  });

  it('users: SHA-256 passwords from the config; wrong credentials → 516', async () => {
    const basic = (u: string, p: string) => ({ headers: { authorization: 'Basic ' + Buffer.from(`${u}:${p}`).toString('base64') } });
    const ok = await s.raw('SELECT currentUser()', {}, basic('alice', 's3cret'));
    expect(ok.body.trim()).toBe('alice');
    expect(await code('SELECT 1', {}, basic('alice', 'wrong'))).toBe('516');
    expect(await code('SELECT 1', {}, basic('mallory', ''))).toBe('516');
    expect((await s.raw('SELECT 1', {}, basic('alice', 'wrong'))).status).not.toBe(200);
  });
});
