import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import Cursor from 'pg-cursor';
import mysql from 'mysql2';
import { formatValueText } from '../../src/types/text-conversion.js';
import type { Block } from '../../src/core/block.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { TestNativeClient } from '../helpers/native-client.js';
import { RawPgClient, errorCode, query as pgQuery } from '../protocols/postgres-helpers.js';

/**
 * An unbounded streaming `SELECT count() FROM s` over every protocol: each INSERT's new count reaches the
 * client while the query keeps running (it appears before the next INSERT is sent); KILL QUERY ends it with
 * QUERY_WAS_CANCELLED (394); a client that goes away takes its query out of system.processes. Nothing here
 * sleeps and then asserts: every wait polls what was received, with a deadline.
 */

let server: TestServer;
const DEADLINE_MS = 15_000;

beforeAll(async () => {
  server = await startTestServer({}, ['tcp', 'postgres', 'mysql', 'rest']);
});
afterAll(async () => {
  await server?.stop();
});

/** Polls `cond` every 10 ms until it holds; fails with `what()` after the deadline. */
async function waitFor(cond: () => boolean | Promise<boolean>, what: () => string, deadlineMs = DEADLINE_MS): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    if (await cond()) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The counts a streaming query has delivered so far, with when each arrived. */
class CountLog {
  readonly values: number[] = [];
  readonly times: number[] = [];
  push(v: number): void {
    this.values.push(v);
    this.times.push(performance.now());
  }
  get last(): number | undefined {
    return this.values.at(-1);
  }
  describe(): string {
    return `counts [${this.values.join(', ')}]`;
  }
}

async function running(pattern: string): Promise<string[]> {
  const out = await server.query(`SELECT query_id FROM system.processes WHERE query LIKE '${pattern}' AND query NOT LIKE '%system.processes%'`);
  return out.split('\n').filter((l) => l !== '');
}

async function insert(stream: string, rows: number): Promise<number> {
  await server.query(`INSERT INTO ${stream} (x) SELECT number FROM numbers(${rows})`);
  return performance.now();
}

/**
 * The stream is tailed from the moment the query subscribes, which the client cannot observe: one row at a
 * time goes in until the first count comes back. From then on every count is exact.
 */
async function warmUp(stream: string, log: CountLog): Promise<number> {
  const end = Date.now() + DEADLINE_MS;
  while (log.last === undefined) {
    if (Date.now() > end) throw new Error('no count arrived from the streaming query');
    await insert(stream, 1);
    // Long enough that a count still on its way is never mistaken for a missed INSERT.
    const until = Date.now() + 3000;
    while (log.last === undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
  }
  return log.last;
}

/** Three INSERTs; each one's count must arrive before the next INSERT is sent. Returns the latencies (ms). */
async function followInserts(stream: string, log: CountLog, label: string): Promise<number[]> {
  let expected = await warmUp(stream, log);
  const latencies: number[] = [];
  for (let i = 1; i <= 3; i++) {
    const seen = log.values.length;
    const acked = await insert(stream, i * 10);
    expected += i * 10;
    await waitFor(() => log.last === expected, () => `count ${expected} (${label}), got ${log.describe()}`);
    const at = log.times[log.values.indexOf(expected, seen)] ?? performance.now();
    latencies.push(Math.max(0, Math.round(at - acked)));
  }
  expect(Math.max(...log.values)).toBe(expected);
  console.log(`${label}: INSERT acknowledged → new count received in ${latencies.join(' / ')} ms`);
  return latencies;
}

function countsOf(block: Block): number[] {
  const out: number[] = [];
  for (let r = 0; r < block.rows; r++) out.push(Number(formatValueText(block.header[0]!.type, block.columns[0]!, r, 'UTC')));
  return out;
}

let streamNo = 0;
async function newStream(): Promise<string> {
  const name = `sp_${++streamNo}`;
  await server.query(`CREATE STREAM ${name} (x Int32)`);
  return name;
}

// ------------------------------------------------------------------------------------------------ HTTP

/** A streaming HTTP query read chunk by chunk; the body text so far is kept. */
function httpStream(sql: string, queryId: string, params: Record<string, string> = {}): { text: () => string; done: Promise<string>; abort: () => void; status: Promise<number> } {
  const ac = new AbortController();
  let body = '';
  let resolveStatus!: (n: number) => void;
  const status = new Promise<number>((r) => (resolveStatus = r));
  const qs = new URLSearchParams({ query_id: queryId, ...params }).toString();
  const done = (async () => {
    try {
      const res = await fetch(`${server.url}?${qs}`, { method: 'POST', body: sql, signal: ac.signal });
      resolveStatus(res.status);
      const reader = res.body!.getReader();
      const dec = new TextDecoder();
      for (;;) {
        const { done: end, value } = await reader.read();
        if (end) break;
        body += dec.decode(value, { stream: true });
      }
    } catch {
      // aborted by the test, or the body was cut after an in-band exception
    }
    return body;
  })();
  return { text: () => body, done, abort: () => ac.abort(), status };
}

describe('HTTP', () => {
  it('streams a new count after each INSERT, in every streamable format', async () => {
    const s = await newStream();
    const formats: [string, (text: string) => number[]][] = [
      ['TabSeparated', (t) => t.split('\n').filter(Boolean).map(Number)],
      ['CSV', (t) => t.split('\n').filter(Boolean).map(Number)],
      ['JSONEachRow', (t) => t.split('\n').filter(Boolean).map((l) => Number((JSON.parse(l) as { c: string }).c))],
      ['JSONCompactEachRow', (t) => t.split('\n').filter(Boolean).map((l) => Number((JSON.parse(l) as string[])[0]))],
      ['JSON', (t) => [...t.matchAll(/"c": "(\d+)"/g)].map((m) => Number(m[1]))],
      ['PrettyCompact', (t) => [...t.matchAll(/│ +(\d+) │/g)].map((m) => Number(m[1]))],
    ];
    const streams = formats.map(([f, parse]) => {
      const log = new CountLog();
      // seek_to='earliest': every query counts the whole stream, whenever it subscribed to the tail.
      const h = httpStream(`SELECT count() AS c FROM ${s} EMIT PERIODIC 100ms SETTINGS seek_to = 'earliest' FORMAT ${f}`, `http-${f}-${s}`);
      let consumed = 0;
      const timer = setInterval(() => {
        const values = parse(h.text());
        for (; consumed < values.length; consumed++) log.push(values[consumed]!);
      }, 5);
      return { f, log, h, timer };
    });
    try {
      // Every format's query follows the same inserts: the first one paces them, all must reach its count.
      await waitFor(async () => (await running(`%FROM ${s} EMIT%`)).length === formats.length, () => 'all queries running');
      await followInserts(s, streams[0]!.log, 'HTTP TabSeparated');
      const total = streams[0]!.log.last!;
      for (const st of streams) await waitFor(() => st.log.last === total, () => `${st.f} to reach ${total}: ${st.log.describe()}`);
    } finally {
      for (const st of streams) {
        clearInterval(st.timer);
        st.h.abort();
      }
    }
    await waitFor(async () => (await running(`%FROM ${s} EMIT%`)).length === 0, () => 'the disconnected queries to leave system.processes');
  });

  it('streams through gzip, wait_end_of_query=1, progress headers and a large buffer_size', async () => {
    const s = await newStream();
    const variants: Record<string, string>[] = [
      { enable_http_compression: '1' },
      { wait_end_of_query: '1' },
      { send_progress_in_http_headers: '1' },
      { buffer_size: '100000000' },
    ];
    const hs = variants.map((v, i) => ({ v, h: httpStream(`SELECT count() FROM ${s} EMIT PERIODIC 100ms`, `http-var-${i}-${s}`, { ...v, seek_to: 'earliest' }) }));
    try {
      await waitFor(async () => (await running(`%FROM ${s} EMIT%`)).length === variants.length, () => 'all queries running');
      const log = new CountLog();
      const timer = setInterval(() => {
        const values = hs[0]!.h.text().split('\n').filter(Boolean).map(Number);
        while (log.values.length < values.length) log.push(values[log.values.length]!);
      }, 5);
      try {
        await followInserts(s, log, 'HTTP gzip');
      } finally {
        clearInterval(timer);
      }
      for (const { v, h } of hs) {
        await waitFor(() => h.text().split('\n').filter(Boolean).map(Number).at(-1) === log.last, () => `${JSON.stringify(v)}: ${h.text()}`);
      }
    } finally {
      for (const { h } of hs) h.abort();
    }
  });

  it('KILL QUERY ends a streaming query with 394 in the body', async () => {
    const s = await newStream();
    const id = `http-kill-${s}`;
    const h = httpStream(`SELECT count() FROM ${s} EMIT PERIODIC 100ms`, id);
    expect(await h.status).toBe(200);
    await waitFor(async () => (await running(`%FROM ${s} EMIT%`)).includes(id), () => 'the query in system.processes');
    expect(await server.query(`KILL QUERY WHERE query_id = '${id}'`)).toBe(`finished\t${id}\n`);
    const body = await h.done;
    expect(body).toContain('Code: 394.');
    expect(body).toContain('QUERY_WAS_CANCELLED');
    await waitFor(async () => (await running(`%FROM ${s} EMIT%`)).length === 0, () => 'the killed query to leave system.processes');
  });

  it('SHOW PROCESSLIST lists a running streaming query', async () => {
    const s = await newStream();
    const id = `http-show-${s}`;
    const h = httpStream(`SELECT count() FROM ${s}`, id);
    try {
      await waitFor(async () => (await server.query('SHOW PROCESSLIST')).includes(id), () => 'SHOW PROCESSLIST to list it');
      const row = await server.query(`SELECT query, user, elapsed >= 0, interface, is_cancelled FROM system.processes WHERE query_id = '${id}'`);
      expect(row).toBe(`SELECT count() FROM ${s}\tdefault\t1\thttp\t0\n`);
    } finally {
      h.abort();
    }
    await waitFor(async () => (await running(`%FROM ${s}`)).length === 0, () => 'the query to leave system.processes');
  });
});

// ---------------------------------------------------------------------------------------------- native

describe('native protocol', () => {
  it('sends each new count as a Data packet; Cancel ends the query with EndOfStream', async () => {
    const s = await newStream();
    const c = await TestNativeClient.connect({ port: server.server.ports.tcp!, compression: 'lz4' });
    const log = new CountLog();
    let progress = 0;
    const q = c.query(`SELECT count() FROM ${s} EMIT PERIODIC 100ms`, {
      queryId: `native-${s}`,
      onBlock: (b) => countsOf(b).forEach((v) => log.push(v)),
      onPacket: (code) => {
        if (code === 3) progress++;
      },
    });
    try {
      await followInserts(s, log, 'native');
      // Progress packets keep flowing while the query runs, also while nothing new arrives (as ClickHouse
      // sends one every interactive_delay): clients with a receive timeout keep waiting.
      const before = progress;
      await waitFor(() => progress >= before + 3, () => `Progress packets on a quiet stream (${progress - before} so far)`);
      c.cancel();
      const r = await q;
      expect(r.exception).toBeUndefined();
      expect(r.packets.at(-1)).toBe(5);
      await waitFor(async () => (await running(`%FROM ${s} EMIT%`)).length === 0, () => 'the cancelled query to leave system.processes');
      // The connection stays usable.
      const after = await c.query('SELECT 42');
      expect(countsOf(after.blocks[0]!)).toEqual([42]);
    } finally {
      c.close();
    }
  });

  it('KILL QUERY ends it with Exception 394; a closed socket removes it', async () => {
    const s = await newStream();
    const c = await TestNativeClient.connect({ port: server.server.ports.tcp! });
    const id = `native-kill-${s}`;
    const q = c.query(`SELECT count() FROM ${s}`, { queryId: id });
    await waitFor(async () => (await running(`%FROM ${s}`)).includes(id), () => 'the query in system.processes');
    await server.query(`KILL QUERY WHERE query_id = '${id}'`);
    const r = await q;
    expect(r.exception?.code).toBe(394);
    c.close();

    const c2 = await TestNativeClient.connect({ port: server.server.ports.tcp! });
    const q2 = c2.query(`SELECT count() FROM ${s}`, { queryId: `${id}-2` }).catch(() => undefined);
    await waitFor(async () => (await running(`%FROM ${s}`)).includes(`${id}-2`), () => 'the second query in system.processes');
    c2.close();
    await q2;
    await waitFor(async () => (await running(`%FROM ${s}`)).length === 0, () => 'the disconnected query to leave system.processes');
  });
});

// ------------------------------------------------------------------------------------------------ REST

describe('REST /proton/v1/search', () => {
  function search(body: object, requestId: string, ac: AbortController): { text: () => string; done: Promise<string>; headersAt: Promise<number> } {
    let text = '';
    let headers!: (t: number) => void;
    const headersAt = new Promise<number>((r) => (headers = r));
    const done = (async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${server.server.ports.rest}/proton/v1/search`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: { 'x-proton-request-id': requestId },
          signal: ac.signal,
        });
        expect(res.status).toBe(200);
        headers(performance.now());
        const reader = res.body!.getReader();
        const dec = new TextDecoder();
        for (;;) {
          const { done: end, value } = await reader.read();
          if (end) break;
          text += dec.decode(value, { stream: true });
        }
      } catch {
        // aborted by the test
      }
      return text;
    })();
    return { text: () => text, done, headersAt };
  }

  it('streams JSONCompact rows as they are produced; KILL QUERY appends the 394 error', async () => {
    const s = await newStream();
    const id = `rest-${s}`;
    const ac = new AbortController();
    const r = search({ query: `SELECT count() FROM ${s} EMIT PERIODIC 100ms` }, id, ac);
    // The response headers come at once, before any row exists.
    await r.headersAt;
    const log = new CountLog();
    const timer = setInterval(() => {
      const values = [...r.text().matchAll(/\[\s*"?(\d+)"?\s*\]/g)].map((m) => Number(m[1]));
      while (log.values.length < values.length) log.push(values[log.values.length]!);
    }, 5);
    try {
      await followInserts(s, log, 'REST');
    } finally {
      clearInterval(timer);
    }
    await server.query(`KILL QUERY WHERE query_id = '${id}'`);
    const body = await r.done;
    expect(body).toMatch(/"code":\s*394/);
  });

  it('a client that disconnects removes its query from system.processes', async () => {
    const s = await newStream();
    const ac = new AbortController();
    const r = search({ query: `SELECT count() FROM ${s}` }, `rest-gone-${s}`, ac);
    await r.headersAt;
    await waitFor(async () => (await running(`%FROM ${s}`)).length === 1, () => 'the query in system.processes');
    ac.abort();
    await r.done;
    await waitFor(async () => (await running(`%FROM ${s}`)).length === 0, () => 'the query to leave system.processes');
  });
});

// -------------------------------------------------------------------------------------------- Postgres

/** DataRow counts from a raw Postgres connection, read as the messages arrive. */
function pgCounts(c: RawPgClient, log: CountLog, ends: { type: string; body: Buffer }[]): Promise<void> {
  return (async () => {
    for (;;) {
      const m = await c.message();
      if (!m) return;
      if (m.type === 'D') {
        const len = m.body.readInt32BE(2);
        log.push(Number(m.body.toString('utf8', 6, 6 + len)));
      } else if (m.type === 'E' || m.type === 'C' || m.type === 'Z') {
        ends.push(m);
        if (m.type === 'Z') return;
      }
    }
  })();
}

describe('Postgres wire', () => {
  it('sends a DataRow per new count (node-postgres row events)', async () => {
    const s = await newStream();
    const client = new pg.Client({ host: '127.0.0.1', port: server.server.ports.postgres, user: 'default', database: 'default' });
    await client.connect();
    // Postgres sessions read streams historically (psql and ORMs buffer whole results) until they ask to stream.
    expect((await client.query(`SELECT count() AS n FROM ${s}`)).rows).toEqual([{ n: '0' }]);
    await client.query("SET query_mode = 'streaming'");
    const log = new CountLog();
    const q = client.query(new pg.Query(`SELECT count() FROM ${s} EMIT PERIODIC 100ms`));
    const ended = new Promise<Error | undefined>((resolve) => {
      q.on('row', (row: Record<string, unknown>) => log.push(Number(Object.values(row)[0])));
      q.on('error', (e: Error) => resolve(e));
      q.on('end', () => resolve(undefined));
    });
    try {
      await followInserts(s, log, 'Postgres (node-postgres)');
      const [id] = await running(`%FROM ${s} EMIT%`);
      await server.query(`KILL QUERY WHERE query_id = '${id}'`);
      const err = (await ended) as (Error & { code?: string; detail?: string }) | undefined;
      expect(err?.code).toBe('57014');
      expect(err?.detail).toContain('Code: 394');
      // The connection stays usable.
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await client.end();
    }
  });

  it('pg-cursor (extended protocol, Execute with a row limit) reads each new count as it comes', async () => {
    const s = await newStream();
    const client = new pg.Client({ host: '127.0.0.1', port: server.server.ports.postgres, user: 'default', database: 'default' });
    await client.connect();
    const cursor = client.query(new Cursor<Record<string, string>>(`SELECT count() AS n FROM ${s} WHERE x >= $1 EMIT PERIODIC 100ms SETTINGS query_mode = 'streaming'`, [0]));
    const log = new CountLog();
    const reading = (async (): Promise<unknown> => {
      try {
        for (;;) {
          const rows = await cursor.read(1);
          if (rows.length === 0) return 'ended';
          log.push(Number(rows[0]!['n']));
        }
      } catch (e) {
        return e;
      }
    })();
    try {
      await followInserts(s, log, 'Postgres (pg-cursor)');
      const [id] = await running(`%FROM ${s} WHERE%`);
      await server.query(`KILL QUERY WHERE query_id = '${id}'`);
      expect((await reading) as { code?: string }).toMatchObject({ code: '57014' });
      await waitFor(async () => (await running(`%FROM ${s} WHERE%`)).length === 0, () => 'the killed query to leave system.processes');
    } finally {
      await client.end();
    }
  });

  it('CancelRequest ends it with 57014; a closed connection removes it', async () => {
    const s = await newStream();
    const port = server.server.ports.postgres!;
    const c = await RawPgClient.connect(port);
    const { pid, secret } = await c.startup();
    c.write(pgQuery(`SELECT count() FROM ${s} EMIT PERIODIC 100ms SETTINGS query_mode = 'streaming'`));
    const log = new CountLog();
    const ends: { type: string; body: Buffer }[] = [];
    const reading = pgCounts(c, log, ends);
    await followInserts(s, log, 'Postgres (raw DataRow)');
    const cancel = await new Promise<net.Socket>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => resolve(sock));
    });
    const packet = Buffer.alloc(16);
    packet.writeInt32BE(16, 0);
    packet.writeInt32BE(80877102, 4);
    packet.writeInt32BE(pid, 8);
    packet.writeInt32BE(secret, 12);
    cancel.end(packet);
    await reading;
    expect(ends.map((m) => m.type)).toEqual(['E', 'Z']);
    expect(errorCode(ends[0]!.body)).toBe('57014');

    c.write(pgQuery(`SELECT count() FROM ${s} SETTINGS query_mode = 'streaming'`));
    await waitFor(async () => (await running(`%FROM ${s} SETTINGS%`)).length === 1, () => 'the second query in system.processes');
    c.close();
    await waitFor(async () => (await running(`%FROM ${s} SETTINGS%`)).length === 0, () => 'the disconnected query to leave system.processes');
  });
});

// ----------------------------------------------------------------------------------------------- MySQL

describe('MySQL wire', () => {
  it('sends text rows as counts change; KILL QUERY n ends it with ERR 1317', async () => {
    const s = await newStream();
    const opts = { host: '127.0.0.1', port: server.server.ports.mysql, user: 'default', password: '', database: 'default' };
    const conn = mysql.createConnection(opts);
    const killer = mysql.createConnection(opts);
    // MySQL sessions read streams historically (most clients buffer whole results) until they ask to stream.
    const [before] = await conn.promise().query(`SELECT count() AS c FROM ${s}`);
    expect(before).toEqual([{ c: 0 }]);
    await conn.promise().query("SET query_mode = 'streaming'");
    const log = new CountLog();
    const ended = new Promise<(Error & { errno?: number; sqlMessage?: string }) | undefined>((resolve) => {
      conn.query(`SELECT count() AS c FROM ${s} EMIT PERIODIC 100ms`)
        .on('result', (row: unknown) => log.push(Number((row as { c: string | number }).c)))
        .on('error', (e: Error) => resolve(e))
        .on('end', () => resolve(undefined));
    });
    try {
      await followInserts(s, log, 'MySQL (mysql2)');
      await killer.promise().query(`KILL QUERY ${conn.threadId}`);
      const err = await ended;
      expect(err?.errno).toBe(1317);
      expect(err?.sqlMessage).toContain('394');
      await waitFor(async () => (await running(`%FROM ${s} EMIT%`)).length === 0, () => 'the killed query to leave system.processes');
      const [rows] = await conn.promise().query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      conn.destroy();
      killer.destroy();
    }
  });

  it('KILL QUERY WHERE query_id ends it; a closed connection removes it', async () => {
    const s = await newStream();
    const opts = { host: '127.0.0.1', port: server.server.ports.mysql, user: 'default', password: '', database: 'default' };
    const conn = mysql.createConnection(opts);
    const ended = new Promise<(Error & { errno?: number }) | undefined>((resolve) => {
      conn.query(`SELECT count() FROM ${s} SETTINGS query_mode = 'streaming'`).on('error', (e: Error) => resolve(e)).on('end', () => resolve(undefined));
    });
    await waitFor(async () => (await running(`%FROM ${s} SETTINGS%`)).length === 1, () => 'the query in system.processes');
    const [id] = await running(`%FROM ${s} SETTINGS%`);
    await server.query(`KILL QUERY WHERE query_id = '${id}'`);
    expect((await ended)?.errno).toBe(1317);

    const conn2 = mysql.createConnection(opts);
    conn2.query(`SELECT count() FROM ${s} SETTINGS query_mode = 'streaming'`).on('error', () => undefined);
    await waitFor(async () => (await running(`%FROM ${s} SETTINGS%`)).length === 1, () => 'the second query in system.processes');
    conn2.destroy();
    await waitFor(async () => (await running(`%FROM ${s} SETTINGS%`)).length === 0, () => 'the disconnected query to leave system.processes');
    conn.destroy();
  });
});
