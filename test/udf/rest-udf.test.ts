import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Proton's `/proton/v1/udfs` REST API (UDFHandler) on a real server, and UDFs across a server restart. */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'hadron-udf-rest-'));
let s: TestServer;
let base: string;

async function rest(method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(base + p, { method, body: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': 'application/json' } });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

async function start(): Promise<void> {
  s = await startTestServer({ dataDir }, ['rest']);
  base = `http://127.0.0.1:${s.server.ports.rest}`;
}

beforeAll(start);
afterAll(async () => {
  await s.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const ADD_FIVE = {
  type: 'javascript',
  name: 'test_23_add_five',
  arguments: [{ name: 'value', type: 'float32' }],
  return_type: 'float32',
  source: 'function test_23_add_five(value) { for(let i=0; i<value.length; i++) { value[i] = value[i]+5; } return value;}',
};

const SEC_LARGE = {
  type: 'javascript',
  name: 'test_23_sec_large',
  arguments: [{ name: 'value', type: 'float32' }],
  is_aggregation: true,
  return_type: 'float32',
  source:
    "{ initialize: function() { this.max = -1.0; this.sec = -1.0; }, process: function(values) { for (let i=0; i<values.length; i++) { if (values[i] > this.max) { this.sec=this.max; this.max=values[i]; } if (values[i]<this.max && values[i]>this.sec) this.sec=values[i]; } }, finalize:function() { return this.sec; }, serialize: function() { return JSON.stringify({max: this.max, sec: this.sec}); }, deserialize: function (s) { let o=JSON.parse(s); this.max=o.max; this.sec=o.sec; }, merge: function (s) { let o=JSON.parse(s); if(o.sec>=this.max) { this.max=o.max; this.sec=o.sec;} else if(o.max>=this.max) { this.sec=this.max; this.max=o.max;} else if(o.max>this.sec) { this.sec=o.max; } } }",
};

describe('/proton/v1/udfs', () => {
  it('POST creates scalar and aggregate functions that SQL can call', async () => {
    const r = await rest('POST', '/proton/v1/udfs', ADD_FIVE);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(typeof r.json['request_id']).toBe('string');
    expect((await rest('POST', '/proton/v1/udfs', SEC_LARGE)).status).toBe(200);
    expect(await s.query('SELECT test_23_add_five(2) FORMAT TSV')).toBe('7\n');
    expect(await s.query('SELECT test_23_sec_large(toFloat32(number)) FROM numbers(10) FORMAT TSV')).toBe('8\n');
  });

  it('GET lists them in Proton\'s JSON, GET /{name} gives one', async () => {
    const list = await rest('GET', '/proton/v1/udfs');
    expect(list.status).toBe(200);
    const data = list.json['data'] as Record<string, unknown>[];
    expect(data.map((d) => d['name'])).toEqual(['test_23_add_five', 'test_23_sec_large']);
    expect(data[0]).toEqual({ ...ADD_FIVE, is_aggregation: false });
    const one = await rest('GET', '/proton/v1/udfs/test_23_sec_large');
    expect(one.status).toBe(200);
    expect(one.json['data']).toEqual(SEC_LARGE);
    expect((await rest('GET', '/proton/v1/udfs/nope')).status).toBe(404);
  });

  it('POST replaces; bad bodies and bad sources are refused with an error body', async () => {
    expect((await rest('POST', '/proton/v1/udfs', { ...ADD_FIVE, source: 'function test_23_add_five(v) { return v.map(x => x + 50); }' })).status).toBe(200);
    expect(await s.query('SELECT test_23_add_five(2) FORMAT TSV')).toBe('52\n');
    const missing = await rest('POST', '/proton/v1/udfs', { name: 'x', type: 'javascript' });
    expect(missing.status).toBe(400);
    expect(missing.json['error_msg']).toContain('return_type');
    const broken = await rest('POST', '/proton/v1/udfs', { ...ADD_FIVE, name: 'broken', source: 'function broken(v) { return v. }' });
    expect(broken.json['code']).toBe(2530);
    expect(broken.status).toBeGreaterThanOrEqual(400);
  });

  it('functions persist across a restart; DELETE drops them', async () => {
    await s.query("CREATE FUNCTION sql_twice AS (x) -> x * 2");
    await s.stop();
    await start();
    expect(await s.query('SELECT test_23_add_five(2), sql_twice(21) FORMAT TSV')).toBe('52\t42\n');
    expect(await s.query('SELECT test_23_sec_large(toFloat32(number)) FROM numbers(10) FORMAT TSV')).toBe('8\n');
    expect((await rest('DELETE', '/proton/v1/udfs/test_23_add_five')).status).toBe(200);
    expect((await rest('GET', '/proton/v1/udfs')).json['data']).toHaveLength(2);
    expect((await rest('DELETE', '/proton/v1/udfs/test_23_add_five')).json['code']).toBe(46);
    await s.stop();
    await start();
    expect((await rest('GET', '/proton/v1/udfs')).json['data']).toHaveLength(2);
    expect(await s.query('SELECT sql_twice(21) FORMAT TSV')).toBe('42\n');
  });

  it('POST and GET remote UDFs in Proton\'s JSON', async () => {
    const remote = {
      name: 'ip_lookup',
      type: 'remote',
      arguments: [{ name: 'ip', type: 'string' }],
      return_type: 'string',
      url: 'http://127.0.0.1:9/lookup',
      auth_method: 'auth_header',
      auth_context: { key_name: 'auth', key_value: 'proton' },
      is_aggregation: false,
    };
    expect((await rest('POST', '/proton/v1/udfs', remote)).status).toBe(200);
    expect((await rest('GET', '/proton/v1/udfs/ip_lookup')).json['data']).toEqual(remote);
    expect((await rest('DELETE', '/proton/v1/udfs/ip_lookup')).status).toBe(200);
  });
});
