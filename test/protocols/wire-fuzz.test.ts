import pg from 'pg';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concat, exchange, flipBits, rng } from '../helpers/fuzz.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Bounded fuzz runs of the Postgres and MySQL decoders against a live server: random bytes, truncated and
 * bit-flipped versions of valid first messages, absurd lengths. Each connection must end once the client
 * stops sending; fresh connections must keep working; memory must stay bounded.
 */

function be32(n: number): Uint8Array {
  return Uint8Array.of(n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
}

/** A Postgres StartupMessage (protocol 3.0), then a simple Query. */
function pgStartupAndQuery(): Uint8Array {
  const params = Buffer.from('user\0default\0database\0default\0\0');
  const startup = concat(be32(8 + params.length), be32(196608), params);
  const sql = Buffer.from('SELECT number FROM numbers(3)\0');
  return concat(startup, Uint8Array.of(0x51), be32(4 + sql.length), sql);
}

/** A MySQL HandshakeResponse41 for `default` with no password (sequence id 1), then COM_QUERY. */
function mysqlLoginAndQuery(): Uint8Array {
  const caps = 0x0000_0200 | 0x0000_8000 | 0x0008_0000 | 0x0020_0000; // PROTOCOL_41, SECURE_CONNECTION, PLUGIN_AUTH, LENENC_CLIENT_DATA
  const body = concat(
    Uint8Array.of(caps & 255, (caps >>> 8) & 255, (caps >>> 16) & 255, caps >>> 24),
    Uint8Array.of(0, 0, 0, 1), // max packet size
    Uint8Array.of(33), // utf8
    new Uint8Array(23),
    Buffer.from('default\0'),
    Uint8Array.of(0), // empty auth response
    Buffer.from('mysql_native_password\0'),
  );
  const login = concat(Uint8Array.of(body.length & 255, (body.length >>> 8) & 255, 0, 1), body);
  const q = concat(Uint8Array.of(3), Buffer.from('SELECT 1 AS fuzz_ok'));
  return concat(login, Uint8Array.of(q.length, 0, 0, 0), q);
}

describe('Postgres and MySQL wire protocols under bad input', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({}, ['postgres', 'mysql']);
  });
  afterAll(async () => {
    await s?.stop();
  });

  async function postgresServes(): Promise<void> {
    const c = new pg.Client({ host: '127.0.0.1', port: s.server.ports.postgres!, user: 'default', database: 'default' });
    await c.connect();
    expect((await c.query('SELECT 1 AS x')).rows).toEqual([{ x: 1 }]);
    await c.end();
  }

  async function mysqlServes(): Promise<void> {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: s.server.ports.mysql!, user: 'default' });
    const [rows] = await c.query('SELECT 1 AS x');
    expect(rows).toEqual([{ x: 1 }]);
    await c.end();
  }

  const SEED = 0x0badf00d;
  for (const target of ['postgres', 'mysql'] as const) {
    it(`${target}: survives 200 malformed exchanges (seed ${SEED.toString(16)})`, async () => {
      const rand = rng(SEED + (target === 'mysql' ? 1 : 0));
      const int = (n: number) => Math.floor(rand() * n);
      const randomBytes = (n: number) => Uint8Array.from({ length: n }, () => int(256));
      const valid = target === 'postgres' ? pgStartupAndQuery() : mysqlLoginAndQuery();
      const port = target === 'postgres' ? s.server.ports.postgres! : s.server.ports.mysql!;
      const cases: Array<() => Uint8Array> = [
        () => randomBytes(1 + int(2000)),
        () => flipBits(valid, rand),
        () => valid.subarray(0, int(valid.length)),
        () => concat(valid, randomBytes(1 + int(300))),
        // Lengths claiming about 2 GiB / 16 MiB, then nothing.
        () => (target === 'postgres' ? concat(be32(0x7fff_fff0), be32(196608)) : Uint8Array.of(0xff, 0xff, 0xff, 1, 0xff)),
        () => (target === 'postgres' ? concat(valid.subarray(0, 41), Uint8Array.of(0x51), be32(0x7fff_0000)) : concat(valid.subarray(0, 70), Uint8Array.of(0xfe, 0xff, 0xff, 0))),
      ];
      // The unmangled bytes log in and run the query, so mutations of them reach the deeper states.
      const answer = (await exchange(port, valid)).toString('latin1');
      expect(answer).toContain(target === 'postgres' ? 'SELECT 3' : 'fuzz_ok');
      const serves = target === 'postgres' ? postgresServes : mysqlServes;
      const before = process.memoryUsage().rss;
      for (let i = 0; i < 200; i++) {
        await exchange(port, cases[int(cases.length)]!());
        if (i % 50 === 49) await serves();
      }
      await serves();
      expect(process.memoryUsage().rss - before).toBeLessThan(1 << 30);
    }, 120_000);
  }
});
